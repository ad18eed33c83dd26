"""Jekyll's Liquid filters, for python-liquid: pure functions of their arguments.

Each follows Jekyll 4's (``lib/jekyll/filters.rb`` and ``filters/*.rb``), on the
values a post's front matter and ``site.*`` hold: strings, numbers, dates, lists
and mappings.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from io import StringIO
from typing import Any

from dateutil import parser as date_parser
from liquid.filter import with_context
from liquid.undefined import is_undefined

from ablog_ext.jekyll.ruby_dates import ruby_numeric_date

# -- filters --------------------------------------------------------------------------------


def _to_time(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    text = str(value).strip()
    if text in ("now", "today"):
        return dt.datetime.now(dt.UTC)
    return date_parser.parse(ruby_numeric_date(text))


def _ordinal(day: int) -> str:
    if 11 <= day <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _date_string(month: str) -> Callable[..., object]:
    def stringify(value: object, kind: object = None, style: object = None) -> object:
        if is_undefined(value) or str(value) == "" or value is None:
            return value
        time = _to_time(value)
        if kind == "ordinal":
            day = f"{time.day}{_ordinal(time.day)}"
            if style == "US":
                return time.strftime(f"{month} {day}, %Y")
            return time.strftime(f"{day} {month} %Y")
        return time.strftime(f"%d {month} %Y")

    return stringify


def date_to_xmlschema(value: object) -> object:
    if is_undefined(value) or value in (None, ""):
        return value
    time = _to_time(value)
    text = time.isoformat(timespec="seconds")
    return text if time.tzinfo else text + "+00:00"


def date_to_rfc822(value: object) -> object:
    if is_undefined(value) or value in (None, ""):
        return value
    time = _to_time(value)
    return time.strftime("%a, %d %b %Y %H:%M:%S ") + (time.strftime("%z") or "+0000")


def xml_escape(value: object) -> str:
    return html.escape("" if value is None or is_undefined(value) else str(value), quote=True)


def cgi_escape(value: object) -> str:
    return urllib.parse.quote_plus(str(value))


def uri_escape(value: object) -> str:
    return urllib.parse.quote(str(value), safe="!#$&'()*+,/:;=?@[]~%")


_SLUG_PATTERNS = {
    "raw": r"\s+",
    "default": r"(?:[^\w]|_)+",
    "pretty": r"[^\w._~!$&'()+,;=@]+",
    "ascii": r"[^A-Za-z0-9]+",
    "latin": r"[^A-Za-z0-9]+",
}


def slugify(value: object, mode: object = None) -> object:
    """Jekyll's ``slugify``: ``default``, ``raw``, ``pretty``, ``ascii``, ``latin``, ``none``."""
    if value is None or is_undefined(value):
        return value
    text = str(value)
    mode = "default" if mode is None or is_undefined(mode) else str(mode)
    if mode not in _SLUG_PATTERNS:
        return text.lower()
    if mode == "latin":
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(_SLUG_PATTERNS[mode], "-", text).strip("-")
    return slug.lower()


def normalize_whitespace(value: object) -> str:
    return " ".join(str(value).split())


_CJK = r"\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af"


def number_of_words(value: object, mode: object = None) -> int:
    text = str(value)
    if mode in ("cjk", "auto"):
        cjk = len(re.findall(f"[{_CJK}]", text))
        if mode == "auto" and not cjk:
            return len(text.split())
        return cjk + len(re.findall(f"[^{_CJK}\\s]+", text))
    return len(text.split())


def array_to_sentence_string(value: object, connector: object = "and") -> str:
    items = [str(item) for item in _as_list(value)]
    if len(items) < 2:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {connector} {items[1]}"
    return f"{', '.join(items[:-1])}, {connector} {items[-1]}"


def jsonify(value: object) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"), default=str)


def _plain(value: object) -> object:
    if is_undefined(value):
        return None
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _as_list(value: object) -> list[Any]:
    if value is None or is_undefined(value):
        return []
    if isinstance(value, Mapping):
        return list(value.values())
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


def _property(item: object, name: object) -> object:
    value: object = item
    for part in str(name).split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _liquid_text(value: object) -> str:
    if value is None or is_undefined(value):
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def _matches(found: object, target: object) -> bool:
    if target is None or is_undefined(target):
        return found is None
    if isinstance(found, list | tuple):
        return any(_liquid_text(item) == _liquid_text(target) for item in found)
    return _liquid_text(found) == _liquid_text(target)


def where(value: object, prop: object, target: object = None) -> list[Any]:
    return [item for item in _as_list(value) if _matches(_property(item, prop), target)]


def find(value: object, prop: object, target: object = None) -> object:
    return next(iter(where(value, prop, target)), None)


def group_by(value: object, prop: object) -> list[dict[str, object]]:
    groups: dict[str, list[object]] = {}
    for item in _as_list(value):
        groups.setdefault(_liquid_text(_property(item, prop)), []).append(item)
    return [{"name": name, "items": items, "size": len(items)} for name, items in groups.items()]


def jekyll_sort(value: object, prop: object = None, nils: object = "first") -> list[Any]:
    items = _as_list(value)
    if prop is None or is_undefined(prop):
        return sorted(items, key=_sort_key)
    present = [item for item in items if _property(item, prop) is not None]
    absent = [item for item in items if _property(item, prop) is None]
    present.sort(key=lambda item: _sort_key(_property(item, prop)))
    return present + absent if nils == "last" else absent + present


def _sort_key(value: object) -> tuple[int, Any]:
    if isinstance(value, bool):
        return (1, str(value))
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value))


def to_integer(value: object) -> int:
    if value is True or value is False:
        return int(value)
    try:
        return int(float(str(value)))
    except ValueError:
        return 0


def push(value: object, item: object) -> list[Any]:
    return [*_as_list(value), item]


def pop(value: object, count: object = 1) -> list[Any]:
    items = _as_list(value)
    return items[: max(len(items) - to_integer(count), 0)]


def shift(value: object, count: object = 1) -> list[Any]:
    return _as_list(value)[to_integer(count) :]


def unshift(value: object, item: object) -> list[Any]:
    return [item, *_as_list(value)]


def sample(value: object, count: object = 1) -> object:
    # Jekyll picks at random; builds here are reproducible, so the first ones.
    items = _as_list(value)
    wanted = to_integer(count)
    return items[0] if wanted == 1 and items else items[:wanted]


def inspect(value: object) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, default=str)


def strip_index(value: object) -> str:
    return re.sub(r"/index\.html?$", "/", str(value))


def markdownify(value: object) -> str:
    # The post is Markdown already: MyST renders whatever this returns.
    return _liquid_text(value)


_SMART = [
    (re.compile(r"---"), "\u2014"),
    (re.compile(r"--"), "\u2013"),
    (re.compile(r"\.\.\."), "\u2026"),
    (re.compile(r"(^|[\s(\[{\u2014\u2013])\""), "\\1\u201c"),
    (re.compile(r"\""), "\u201d"),
    (re.compile(r"(^|[\s(\[{\u2014\u2013])'"), "\\1\u2018"),
    (re.compile(r"'"), "\u2019"),
]


def smartify(value: object) -> str:
    text = _liquid_text(value)
    for pattern, replacement in _SMART:
        text = pattern.sub(replacement, text)
    return text


def _expression_filter(kind: str) -> Callable[..., object]:
    """``where_exp``, ``find_exp`` and ``group_by_exp``: a Liquid expression per item."""

    @with_context
    def apply(value: object, variable: object, expression: object, *, context: Any) -> object:
        source = (
            f"{{% if {expression} %}}1{{% endif %}}"
            if kind != "group_by_exp"
            else f"{{{{ {expression} }}}}"
        )
        template = context.env.from_string(source)
        results: list[tuple[object, str]] = []
        for item in _as_list(value):
            buffer = StringIO()
            with context.extend({str(variable): item}):
                template.render_with_context(context, buffer, partial=True)
            results.append((item, buffer.getvalue()))
        if kind == "where_exp":
            return [item for item, out in results if out == "1"]
        if kind == "find_exp":
            return next((item for item, out in results if out == "1"), None)
        groups: dict[str, list[object]] = {}
        for item, out in results:
            groups.setdefault(out, []).append(item)
        return [{"name": key, "items": items, "size": len(items)} for key, items in groups.items()]

    return apply


def url_filters(site: Mapping[str, object]) -> dict[str, Callable[..., object]]:
    def relative_url(value: object) -> object:
        if value is None or is_undefined(value):
            return value
        text = str(value)
        if urllib.parse.urlsplit(text).scheme:
            return text
        base = _liquid_text(site.get("baseurl")).rstrip("/")
        parts = [part if not part or part.startswith("/") else "/" + part for part in (base, text)]
        return "".join(parts)

    def absolute_url(value: object) -> object:
        relative = relative_url(value)
        # Nothing, or a URL with a scheme, comes back as it was given (a relative URL
        # starts with "/" or is empty: it never has a scheme).
        if not isinstance(relative, str) or urllib.parse.urlsplit(relative).scheme:
            return relative
        url = _liquid_text(site.get("url")).rstrip("/")
        return f"{url}{relative}" if url else relative

    return {"relative_url": relative_url, "absolute_url": absolute_url}


JEKYLL_FILTERS: dict[str, Callable[..., object]] = {
    "date_to_string": _date_string("%b"),
    "date_to_long_string": _date_string("%B"),
    "date_to_xmlschema": date_to_xmlschema,
    "date_to_rfc822": date_to_rfc822,
    "xml_escape": xml_escape,
    "cgi_escape": cgi_escape,
    "uri_escape": uri_escape,
    "slugify": slugify,
    "normalize_whitespace": normalize_whitespace,
    "number_of_words": number_of_words,
    "array_to_sentence_string": array_to_sentence_string,
    "jsonify": jsonify,
    "where": where,
    "find": find,
    "group_by": group_by,
    "sort": jekyll_sort,
    "to_integer": to_integer,
    "push": push,
    "pop": pop,
    "shift": shift,
    "unshift": unshift,
    "sample": sample,
    "inspect": inspect,
    "strip_index": strip_index,
    "markdownify": markdownify,
    "smartify": smartify,
    "where_exp": _expression_filter("where_exp"),
    "find_exp": _expression_filter("find_exp"),
    "group_by_exp": _expression_filter("group_by_exp"),
}
