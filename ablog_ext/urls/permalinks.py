"""A Jekyll post's old URL: a redirect page there, and links to it that resolve.

The first half is pure: Jekyll 4.3's URL rules (``Jekyll::URL``,
``Drops::UrlDrop``, ``Utils.slugify``, ``Document#destination``) redone in
Python, so a post's URL here is the URL ``jekyll build`` gave it.  The second
half wires it into Sphinx:

1. at read time each Jekyll post (a dated file name, or a front matter
   ``permalink``) gets its old URL in :class:`~.domain.PostRecord` (``old_url``);
   :mod:`.redirects` writes a redirect page there;
2. :class:`ResolveOldLinks`, a post-transform that runs before MyST's reference
   resolver, turns a link to a post's old or new site-absolute URL into a link
   to the page, where MyST would warn ``cross-reference target not found``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.nodes import make_refnode
from sphinx.util.osutil import relative_uri

from ablog_ext.blog.domain import blog_domain
from ablog_ext.blog.queries import parse_iso, wall_clock
from ablog_ext.reading.posts import _PARSED, ParsedPost

logger = logging.getLogger("ablog_ext.permalinks")

# -- Jekyll's rules (pure) -----------------------------------------------------------------

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


# -- Sphinx: old URLs at read time ----------------------------------------------------------


def site_template(config: Config) -> str | None:
    """The site's permalink template; ``None`` when site-wide old URLs are off."""
    style = str(config.ablog_ext_permalink).strip()
    return style_template(style) if style else None


def check_site_permalink(app: Sphinx, config: Config) -> None:
    """An unknown placeholder in ``ablog_ext_permalink`` (Jekyll stops with an error)
    gets a warning and the default."""
    value = config.ablog_ext_permalink
    if not isinstance(value, str):
        return  # config.py's own check warns and restores the default
    unknown = unknown_placeholders(style_template(value.strip()))
    if unknown:
        logger.warning(
            "ablog_ext_permalink %r has unknown placeholder(s) %s; using the default 'date'",
            value,
            ", ".join(f":{name}" for name in unknown),
            type="ablog_ext",
            subtype="config",
        )
        config.ablog_ext_permalink = "date"


def posts_folder(config: Config, docname: str) -> str:
    """The fixed start of the ``blog_post_pattern`` that *docname* is under
    (``posts`` for ``posts/**``), or the post's own folder."""
    patterns = config.blog_post_pattern
    for pattern in [patterns] if isinstance(patterns, str) else list(patterns or ()):
        fixed = []
        for segment in str(pattern).strip("/").split("/"):
            if any(char in segment for char in "*?["):
                break
            fixed.append(segment)
        root = "/".join(fixed)
        if root and docname.startswith(root + "/"):
            return root
    return docname.rpartition("/")[0]


#: Python attribute on the doctree between the two ``doctree-read`` handlers below.
_SOURCE = "ablog_ext_jekyll_source"


@dataclass(frozen=True)
class _Source:
    front_matter: Mapping[str, Any]
    permalink: str | None
    permalink_line: int


def remember_front_matter(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, before :func:`~.posts.record_post` drops it: what the
    post's front matter says about its URL."""
    parsed: ParsedPost | None = getattr(doctree, _PARSED, None)
    if parsed is None:
        return
    source = _Source(
        front_matter=dict(parsed.block.data or {}),
        permalink=parsed.meta.permalink,
        permalink_line=parsed.block.key_lines.get("permalink", 1),
    )
    setattr(doctree, _SOURCE, source)


def record_old_url(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, after the post is recorded: its URL on the Jekyll site."""
    source: _Source | None = doctree.__dict__.pop(_SOURCE, None)
    env = app.env
    docname = env.docname
    domain = blog_domain(env)
    record = domain.posts.get(docname)
    if source is None or record is None:
        return
    config = app.config
    stem = docname.rpartition("/")[2]
    template: str | None = None
    line, setting = 1, "ablog_ext_permalink"
    if source.permalink:
        template, line, setting = source.permalink, source.permalink_line, "'permalink'"
    elif is_dated_name(stem) and not _is_draft(config, docname):
        template = site_template(config)
    if template is None:
        return
    written = parse_iso(record["date"])
    folder = posts_folder(config, docname)
    post = jekyll_post(
        source.front_matter,
        docname.removeprefix(folder + "/") if folder else docname,
        wall_clock(written) if written is not None else None,
        folder_categories=bool(config.ablog_ext_folder_categories),
    )
    try:
        url = post_url(template, post)
    except PermalinkError as error:
        logger.warning(
            "%s %r: %s; the post's old URL is unknown",
            setting,
            template,
            error,
            type="ablog_ext",
            subtype="permalink",
            location=(docname, line),
        )
        return
    record["old_url"] = (url, line)
    domain.add_post(docname, record)


def _is_draft(config: Config, docname: str) -> bool:
    from sphinx.util.matching import Matcher

    return Matcher(list(config.ablog_ext_drafts))(docname)


def old_urls(env: BuildEnvironment) -> list[tuple[str, str, int]]:
    """``(docname, old URL, line)`` of each post that has one, the post Jekyll served
    at a URL first: Jekyll writes posts oldest first, so of two posts with one URL
    the newer (then the later path) is the one that was there."""
    found = []
    for docname, record in blog_domain(env).sorted_posts():
        old = record.get("old_url")
        if old:
            written = parse_iso(record["date"])
            date = wall_clock(written) if written is not None else dt.datetime.min
            found.append((date, docname, old[0], old[1]))
    found.sort(reverse=True)
    return [(docname, url, line) for _date, docname, url, line in found]


# -- Sphinx: links to old (and new) URLs ---------------------------------------------------


@dataclass(frozen=True)
class LinkTargets:
    """Every site path a link may use for a page: each document's own, and each
    post's old URL and ``redirect_from`` paths."""

    pages: Mapping[str, str]
    #: Each post's old URL, to read its relative links against.
    old_urls: Mapping[str, str]
    #: Path prefixes the site was published under (Jekyll's ``baseurl``).
    baseurls: tuple[str, ...]

    def find(self, target: str, refdoc: str) -> tuple[str, str] | None:
        """``(docname, anchor)`` of the page *target* (a link as written) points to."""
        path, _, anchor = target.partition("#")
        path = path.partition("?")[0].strip()
        if not path or path.startswith("//") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path):
            return None
        if path.startswith("/"):
            candidates = [path]
            for base in self.baseurls:
                if path == base or path.startswith(base + "/"):
                    candidates.append(path[len(base) :] or "/")
        elif refdoc in self.old_urls and _looks_like_a_url(path):
            # Jekyll served the post at its old URL: a relative link was written from there.
            candidates = [urljoin(self.old_urls[refdoc], path)]
        else:
            return None
        for candidate in candidates:
            docname = self.pages.get(url_key(candidate))
            if docname is not None:
                return docname, anchor
        return None


def _looks_like_a_url(path: str) -> bool:
    """A relative link MyST would otherwise read as a label or document name is
    left to MyST."""
    return path.startswith(("./", "../")) or path.endswith(("/", ".html", ".htm"))


def link_targets(env: BuildEnvironment) -> LinkTargets:
    return blog_domain(env).memo("link-targets", lambda: _link_targets(env))


def _link_targets(env: BuildEnvironment) -> LinkTargets:
    pages: dict[str, str] = {}
    for docname in sorted(env.found_docs):
        pages.setdefault(url_key("/" + docname + ".html"), docname)
    # A page's own path first, then old URLs, then redirect_from: the order redirects use.
    urls = old_urls(env)
    for docname, url, _line in urls:
        pages.setdefault(url_key(url), docname)
    for docname, record in blog_domain(env).sorted_posts():
        for path, _line in record["redirects"]:
            pages.setdefault(url_key(path), docname)
    return LinkTargets(pages, {docname: url for docname, url, _ in urls}, site_baseurls(env.config))


def site_baseurls(config: Config) -> tuple[str, ...]:
    """The path the Jekyll site was published under: ``ablog_ext_site["baseurl"]``,
    and the path of ``blog_baseurl``."""
    site = config.ablog_ext_site if isinstance(config.ablog_ext_site, dict) else {}
    found = []
    for value in (site.get("baseurl"), urlsplit(str(config.blog_baseurl or "")).path):
        base = "/" + str(value or "").strip().strip("/")
        if base != "/" and base not in found:
            found.append(base)
    return tuple(found)


def _without_baseurl(path: str, baseurls: Sequence[str]) -> str | None:
    """*path* (``/notes/assets/x.png``) without the site's old base path, or None."""
    for base in baseurls:
        if path.startswith(base + "/"):
            return path[len(base) :]
    return None


class ImagePaths(SphinxTransform):
    """An image of a post at the path the browser would fetch for Jekyll's page.

    Written ``{{ site.baseurl }}/assets/x.png``, it is ``/notes/assets/x.png``
    after Liquid, and Sphinx would look for it in a ``notes`` folder; written
    ``a talk.png`` (or ``a%20talk.png``), Markdown gives ``a%20talk.png``, and
    Sphinx would look for that name. When the file is there without the base
    path, or with the name decoded, the image is taken from there, as Sphinx
    reads images: at read time."""

    # Before Sphinx's image collector (doctree-read).
    default_priority = 800

    def apply(self, **kwargs: Any) -> None:
        if getattr(self.document, _PARSED, None) is None:
            return
        baseurls = site_baseurls(self.config)
        srcdir = Path(self.env.srcdir)
        folder = Path(self.env.doc2path(self.env.docname)).parent
        for image in self.document.findall(nodes.image):
            uri = str(image.get("uri", ""))
            if "://" in uri or uri.startswith("data:"):
                continue
            base = srcdir if uri.startswith("/") else folder
            if (base / uri.lstrip("/")).is_file():
                continue  # as written
            for candidate in self._candidates(uri, baseurls):
                if (base / candidate.lstrip("/")).is_file():
                    image["uri"] = candidate
                    break

    @staticmethod
    def _candidates(uri: str, baseurls: Sequence[str]) -> list[str]:
        decoded = unquote(uri)
        found = [decoded] if decoded != uri else []
        if uri.startswith("/"):
            for path in (uri, decoded):
                rest = _without_baseurl(path, baseurls)
                if rest:
                    found.append(rest)
        return found


class ResolveOldLinks(SphinxPostTransform):
    """A Markdown link to a page's site path (``/2019/03/05/slug.html``, a post's
    old URL, or ``/posts/2019-03-05-slug.html``, its new one) becomes a link to the
    page.  MyST leaves such a link as a ``pending_xref`` it cannot resolve."""

    # Before MyST's MystReferenceResolver (9) and Sphinx's ReferencesResolver (10).
    default_priority = 8
    #: The application, set by :func:`setup_permalinks` on a subclass of its own
    #: (Sphinx 9 deprecates a transform's ``app``).
    sphinx_app: weakref.ReferenceType[Sphinx]

    def run(self, **kwargs: Any) -> None:
        targets: LinkTargets | None = None
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("reftype") != "myst" or node.get("refdomain"):
                continue
            targets = targets or link_targets(self.env)
            refdoc = node.get("refdoc", self.env.docname)
            found = targets.find(str(node["reftarget"]), refdoc)
            if found is not None:
                node.replace_self(self._reference(node, *found))
                continue
            served = self._served_file(str(node["reftarget"]), targets.baseurls)
            if served is not None:
                node.replace_self(served(node))

    def _served_file(self, target: str, baseurls: Sequence[str]) -> Any:
        """A link to a file of a root folder (``ablog_ext_root_folders``) written with
        the site's old base path: a link to where the built site serves it."""
        from ablog_ext.urls.root_folders import root_folders

        path = target.partition("#")[0].partition("?")[0]
        rest = _without_baseurl(path, baseurls) if path.startswith("/") else None
        if not rest:
            return None
        rest = unquote(rest).lstrip("/")
        folders = root_folders(self.config, Path(self.env.srcdir))
        if not any(rest.startswith(folder + "/") for folder in folders):
            return None
        if not (Path(self.env.srcdir) / rest).is_file():
            return None
        app = self.sphinx_app()
        assert app is not None
        uri = relative_uri(app.builder.get_target_uri(self.env.docname), rest)

        def reference(node: addnodes.pending_xref) -> nodes.Node:
            inner = node[0].deepcopy().children if len(node) else [nodes.Text(rest)]
            return nodes.reference("", "", *inner, refuri=uri, internal=False)

        return reference

    def _reference(self, node: addnodes.pending_xref, docname: str, anchor: str) -> nodes.Node:
        inner = nodes.inline("", "", classes=["std", "std-doc" if not anchor else "std-ref"])
        if node.get("refexplicit") and len(node):
            inner += node[0].deepcopy().children
        else:
            title = self.env.titles.get(docname)
            text = title.astext() if title is not None else docname
            inner += nodes.Text(text)
        # A heading's MyST slug, when it has one, names the section's id.
        slugs = self.env.metadata.get(docname, {}).get("myst_slugs", {})
        targetid = slugs[anchor][1] if anchor in slugs else anchor
        app = self.sphinx_app()
        assert app is not None
        reference = make_refnode(app.builder, self.env.docname, docname, targetid, inner)
        if "reftitle" in node:
            reference["reftitle"] = node["reftitle"]
        return reference


def setup_permalinks(app: Sphinx) -> None:
    app.connect("config-inited", check_site_permalink, priority=101)
    # Around posts.record_post (600): read the front matter before it is dropped,
    # compute the URL once the post's date is recorded.
    app.connect("doctree-read", remember_front_matter, priority=599)
    app.connect("doctree-read", record_old_url, priority=610)
    resolver = type("ResolveOldLinks", (ResolveOldLinks,), {"sphinx_app": weakref.ref(app)})
    app.add_post_transform(resolver)
    app.add_transform(ImagePaths)
