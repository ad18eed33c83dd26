"""Jekyll 4.3's URL rules (``Jekyll::URL``, ``Drops::UrlDrop``, ``Utils.slugify``,
``Document#destination``) redone in Python, so a post's URL here is the URL
``jekyll build`` gave it. Pure: used at read time by
:mod:`ablog_ext.urls.permalinks` and by ``ablog-ext init``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

#: ``Jekyll::Configuration::STYLE_TO_PERMALINK``.
STYLES: dict[str, str] = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}

#: ``Drops::UrlDrop``'s placeholders: those that need the post's date, and the others.
DATE_PLACEHOLDERS = (
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "i_day",
    "i_month",
    "short_month",
    "long_month",
    "short_year",
    "w_year",
    "week",
    "w_day",
    "short_day",
    "long_day",
    "y_day",
)
OTHER_PLACEHOLDERS = (
    "title",
    "slug",
    "name",
    "path",
    "categories",
    "slugified_categories",
    "collection",
    "output_ext",
)
PLACEHOLDERS = frozenset(DATE_PLACEHOLDERS + OTHER_PLACEHOLDERS)

#: Ruby's ``%B`` and ``%A`` (English, whatever the locale).
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: ``Document::DATE_FILENAME_MATCHER``, on a file name without its extension.
_DATED_NAME = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-(.*)$", re.S)
#: ``URL#generate_url_from_drop``.
_PLACEHOLDER = re.compile(r":([a-z_]+)")
#: ``URL.escape_path`` returns a value unchanged when a line of it is only these.
_PLAIN_PATH = re.compile(r"^[a-zA-Z0-9./-]+$", re.M)
#: What Addressable (2.8, Jekyll 4.3's ``URI.encode``) leaves alone in a URI: RFC 3986's
#: unreserved and sub-delims characters, ``:``, ``@``, ``/`` and ``?``; ``#`` is escaped.
_URI_SAFE = "-._~!$&'()*+,;=:@/?"
_PRETTY_KEPT = set("._~!$&'()+,;=@")


class PermalinkError(ValueError):
    """A permalink that Jekyll would refuse, with the reason."""


def slugify(text: str | None, mode: str = "default", *, cased: bool = False) -> str | None:
    """``Jekyll::Utils.slugify`` in its ``default``, ``pretty``, ``raw`` and ``ascii``
    modes (permalinks use the first two): runs of other characters become one ``-``,
    none at either end.  Any other mode returns the text (``latin``, which
    transliterates, is not needed here)."""
    if text is None:
        return None
    if mode == "raw":
        slug = re.sub(r"[ \t\r\n\f\v]+", "-", text)
    elif mode == "ascii":
        slug = re.sub(r"[^A-Za-z0-9]+", "-", text)
    elif mode in {"default", "pretty"}:
        kept = _PRETTY_KEPT if mode == "pretty" else set()
        slug = "".join(ch if ch in kept or _letter_or_digit(ch) else "\0" for ch in text)
        slug = re.sub("\0+", "-", slug)
    else:
        return text if cased else text.lower()
    slug = slug.removeprefix("-").removesuffix("-")
    return slug if cased else slug.lower()


def _letter_or_digit(ch: str) -> bool:
    """Ruby's ``[\\p{M}\\p{L}\\p{Nd}]``."""
    category = unicodedata.category(ch)
    return category[0] in "LM" or category == "Nd"


def escape_path(value: str) -> str:
    """``Jekyll::URL.escape_path`` (Jekyll 4.3): percent-encode what a URL path
    cannot hold, as UTF-8; ``#`` too."""
    if not value or _PLAIN_PATH.search(value):
        return value
    return quote(value, safe=_URI_SAFE)


def sanitize_url(url: str) -> str:
    """``Jekyll::URL#sanitize_url``: one leading ``/``, no ``..``, no ``./``, no ``//``."""
    url = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub("/+", "/", url)


def style_template(style: str) -> str:
    """The URL template of a permalink style name, or the pattern itself."""
    return STYLES.get(style, style)


def template_keys(template: str) -> list[str]:
    """Each placeholder of *template*, resolved as Jekyll does: ``:month_`` is
    ``month`` followed by ``_``.  Unknown ones are returned as written."""
    keys = []
    for name in _PLACEHOLDER.findall(template):
        stem = name.removesuffix("_")
        keys.append(stem if name not in PLACEHOLDERS and stem in PLACEHOLDERS else name)
    return keys


def unknown_placeholders(template: str) -> list[str]:
    return [key for key in template_keys(template) if key not in PLACEHOLDERS]


def jekyll_date(stem: str) -> dt.datetime | None:
    """The date Jekyll reads from a dated file name (``Time.parse``): two-digit years
    are 1969-2068, a day past the month's end rolls over, as Ruby does."""
    match = _DATED_NAME.match(stem)
    if not match:
        return None
    year, month, day = (int(part) for part in match.group(1, 2, 3))
    if len(match[1]) == 2:
        year += 1900 if year >= 69 else 2000
    if not (1 <= month <= 12 and 1 <= day <= 31 and year >= 1):
        return None
    return dt.datetime(year, month, 1) + dt.timedelta(days=day - 1)


def filename_slug(stem: str) -> str:
    """``Document#populate_title``'s slug: the file name without date and extension,
    without trailing dots."""
    match = _DATED_NAME.match(stem)
    slug = match[4] if match else stem
    return slug.rstrip(".")


def is_dated_name(stem: str) -> bool:
    """Whether Jekyll reads a ``_posts`` file of this name (without extension) as a post."""
    return _DATED_NAME.match(stem) is not None


def _ruby_text(value: object) -> str:
    """Ruby's ``to_s`` of a YAML scalar."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flat(values: Iterable[object]) -> list[object]:
    flat: list[object] = []
    for value in values:
        flat.extend(_flat(value) if isinstance(value, list | tuple) else [value])
    return flat


def jekyll_categories(front_matter: Mapping[str, Any], folders: Sequence[str] = ()) -> list[str]:
    """A post's categories as Jekyll orders them: the folders above ``_posts``, then
    ``categories`` (a string is split on white space), then ``category`` (one name,
    not split); duplicates dropped."""
    categories: list[object] = list(folders)
    plural = front_matter.get("categories")
    if isinstance(plural, str):
        plural = plural.split()
    if isinstance(plural, list):
        categories += plural
    elif plural is not None and not isinstance(plural, dict):
        categories.append(plural)
    singular = front_matter.get("category")
    if singular is not None:
        categories += _flat([singular])
    names: list[str] = []
    for name in map(_ruby_text, categories):
        if name not in names:
            names.append(name)
    return names


@dataclass(frozen=True)
class JekyllPost:
    """What a Jekyll post's URL is made of."""

    #: The file name without its extension: ``2019-03-05-my-post``.
    stem: str
    #: Its path below the posts folder, without extension: ``en/2019-03-05-my-post``.
    path: str
    #: The post's date, in the site's time zone; ``None`` when it has none.
    date: dt.datetime | None
    #: Names in Jekyll's order, as :func:`jekyll_categories` gives them.
    categories: tuple[str, ...] = ()
    #: Front matter ``slug``, which replaces the file name's.
    slug: str | None = None


def placeholders(post: JekyllPost) -> dict[str, str]:
    """``Drops::UrlDrop``: each placeholder's value, unescaped."""
    slug = post.slug if post.slug is not None else filename_slug(post.stem)
    lowered: list[str] = []
    for name in post.categories:
        if name.lower() not in lowered:
            lowered.append(name.lower())
    slugged: list[str] = []
    for name in post.categories:
        if (slugged_name := slugify(name) or "") not in slugged:
            slugged.append(slugged_name)
    values = {
        "title": slugify(slug, "pretty", cased=True) or "",
        "slug": slugify(slug) or "",
        "name": slugify(post.stem) or "",
        "path": "/" + post.path.rstrip("."),
        "categories": "/".join(lowered),
        "slugified_categories": "/".join(slugged),
        "collection": "posts",
        "output_ext": ".html",
    }
    if post.date is not None:
        values.update(_date_values(post.date))
    return values


def _date_values(date: dt.datetime) -> dict[str, str]:
    iso_year, iso_week, iso_day = date.isocalendar()
    return {
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "day": f"{date.day:02d}",
        "hour": f"{date.hour:02d}",
        "minute": f"{date.minute:02d}",
        "second": f"{date.second:02d}",
        "i_day": str(date.day),
        "i_month": str(date.month),
        "short_month": _MONTHS[date.month - 1][:3],
        "long_month": _MONTHS[date.month - 1],
        "short_year": f"{date.year % 100:02d}",
        "w_year": f"{iso_year:04d}",
        "week": f"{iso_week:02d}",
        "w_day": str(iso_day),
        "short_day": _DAYS[date.weekday()][:3],
        "long_day": _DAYS[date.weekday()],
        "y_day": f"{date.timetuple().tm_yday:03d}",
    }


def post_url(template: str, post: JekyllPost) -> str:
    """``Jekyll::URL#to_s``: *template* (a permalink style's or a post's own
    ``permalink``) filled in for *post*.  Raises :class:`PermalinkError` for an
    unknown placeholder, or a date placeholder in a post without a date."""
    values = placeholders(post)

    def fill(match: re.Match[str]) -> str:
        name = match[1]
        key = name if name in PLACEHOLDERS else name.removesuffix("_")
        if key not in PLACEHOLDERS:
            raise PermalinkError(f"unknown placeholder ':{name}'")
        if key not in values:
            raise PermalinkError(f"':{key}' needs the post's date, and it has none")
        return escape_path(values[key]) + name[len(key) :]

    return sanitize_url(_PLACEHOLDER.sub(fill, template))


def jekyll_post(
    front_matter: Mapping[str, Any],
    path: str,
    date: dt.datetime | None,
    *,
    folder_categories: bool = False,
) -> JekyllPost:
    """The post at *path* (below the posts folder, without extension), dated *date*
    (``None``: the file name's date, as Jekyll reads it)."""
    stem = path.rpartition("/")[2]
    folders = path.split("/")[:-1] if folder_categories else []
    slug = front_matter.get("slug")
    return JekyllPost(
        stem=stem,
        path=path,
        date=date if date is not None else jekyll_date(stem),
        categories=tuple(jekyll_categories(front_matter, folders)),
        # Ruby's `data["slug"] ||= ...`: only nil and false give way to the file name's.
        slug=None if slug is None or slug is False else _ruby_text(slug),
    )


def destination(url: str) -> str | None:
    """``Document#destination``: the file, relative to the site's root, that serves
    *url*: ``index.html`` in a folder for ``/x/``, ``x.html`` for ``/x``."""
    path = unquote(url)
    segments = [segment for segment in path.split("/") if segment and segment != "."]
    if any(segment == ".." or "\\" in segment or "\0" in segment for segment in segments):
        return None
    if not segments or path.endswith("/"):
        return "/".join([*segments, "index.html"])
    output = "/".join(segments)
    return output if output.endswith(".html") else output + ".html"


def url_key(path: str) -> str:
    """One spelling of a site path for every way a link may write it: unescaped,
    without ``index.html``, ``.html`` or a final ``/``."""
    path = unquote(path)
    segments = [segment for segment in path.split("/") if segment and segment != "."]
    if segments and segments[-1] in {"index.html", "index.htm", "index"}:
        segments.pop()
    elif segments:
        last = segments[-1]
        for suffix in (".html", ".htm"):
            if last.endswith(suffix) and len(last) > len(suffix):
                segments[-1] = last[: -len(suffix)]
                break
    return "/" + "/".join(segments)


__all__ = [
    "DATE_PLACEHOLDERS",
    "OTHER_PLACEHOLDERS",
    "PLACEHOLDERS",
    "STYLES",
    "JekyllPost",
    "PermalinkError",
    "destination",
    "escape_path",
    "filename_slug",
    "is_dated_name",
    "jekyll_categories",
    "jekyll_date",
    "jekyll_post",
    "placeholders",
    "post_url",
    "sanitize_url",
    "slugify",
    "style_template",
    "template_keys",
    "unknown_placeholders",
    "url_key",
]
