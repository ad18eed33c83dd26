"""Jekyll front matter to ABlog post metadata: pure functions, no Sphinx.

Everything here takes the values MyST parsed from a post's YAML front matter and
returns well-typed values plus a list of problems; it never raises on bad input,
so the Sphinx side can turn each problem into a located warning.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from dateutil import parser as date_parser

from ablog_ext.jekyll.ruby_dates import ruby_numeric_date

#: Jekyll's dated file name (its ``DATE_FILENAME_MATCHER``): ``2019-03-05-some-slug.md``,
#: and unpadded, ``2017-2-5-slug.md``, which Jekyll reads as 5 February 2017.
FILENAME_DATE = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-(.*)$")
#: Jekyll's default excerpt separator is the first blank line; ours is the
#: explicit marker most Jekyll themes document.
DEFAULT_EXCERPT_SEPARATOR = "<!--more-->"
#: Dates outside this range are refused: ABlog, feeds and ``strftime`` all
#: assume four-digit years.
MIN_YEAR, MAX_YEAR = 1, 9999
#: Jekyll's front matter delimiters: ``---`` (or ``...`` to close) and trailing blanks.
_OPENING = re.compile(r"^---[ \t]*$")
_CLOSING = re.compile(r"^(---|\.\.\.)[ \t]*$")
#: Longer titles are almost certainly a mistake (a body pasted into front matter).
MAX_TITLE = 300
#: A YAML timestamp with a time of day, as Jekyll's YAML reader (SafeYAML's
#: ``TIME_MATCHER``) finds it in a plain (unquoted) scalar.
_YAML_TIME = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?"
    r"[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?)?$"
)
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


@dataclass(frozen=True)
class Problem:
    """A front matter value that could not be used as written."""

    key: str
    message: str


@dataclass(frozen=True)
class PostMeta:
    """Normalised metadata of one post."""

    title: str | None = None
    #: Publication date; aware when the author gave an offset, naive otherwise.
    date: dt.datetime | None = None
    #: ``"front matter"``, ``"file name"`` or ``None`` (a draft).
    date_source: str | None = None
    updated: dt.datetime | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    published: bool = True
    excerpt: str | None = None
    #: Where the excerpt ends, exactly as written (``"\\n---\\n"`` included);
    #: empty for no excerpt separator (Jekyll's ``excerpt_separator: ""``).
    excerpt_separator: str = DEFAULT_EXCERPT_SEPARATOR
    redirect_from: tuple[str, ...] = ()
    permalink: str | None = None
    comments: bool = True
    problems: tuple[Problem, ...] = field(default=())


class YamlTime(str):
    """A date and time written as a YAML timestamp (``date: 2019-03-05 10:30:00``,
    unquoted): YAML, and so Jekyll, reads one without an offset as UTC, where the
    same text in quotes is a time in the site's zone."""

    __slots__ = ()


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _text(value: object) -> str | None:
    """A scalar as text; ``None`` for mappings and lists."""
    if value is None or isinstance(value, dict | list | tuple | set):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _unprintable(ch: str) -> bool:
    """Control characters and non-characters: XML 1.0 forbids them, HTML shows garbage."""
    code = ord(ch)
    return (
        (code < 32 and ch not in "\t\n\r")
        or code == 127
        or 0xD800 <= code <= 0xDFFF
        or ch in "\ufffe\uffff"
    )


def clean_text(value: str) -> str:
    """Collapse white space and drop characters XML and HTML cannot carry."""
    return " ".join("".join(ch for ch in value if not _unprintable(ch)).split())


def parse_bool(value: object, key: str, default: bool, problems: list[Problem]) -> bool:
    """YAML booleans, and the strings a hand-written file may hold instead."""
    if isinstance(value, bool):
        return value
    text = (_text(value) or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    problems.append(
        Problem(key, f"{key!r} should be true or false, not {_describe(value)}; using {default}")
    )
    return default


def parse_date(value: object, key: str, problems: list[Problem]) -> dt.datetime | None:
    """A YAML date or timestamp, or a string in any form ``dateutil`` reads
    (numbers such as ``11-9-2017`` read as Ruby's ``Time.parse`` reads them).

    Jekyll's ``2019-03-05 10:30:00 -0500`` and ISO 8601 with or without an offset
    are all accepted.  Returns ``None`` (and records a problem) when the value is
    not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime(value.year, value.month, value.day)
    else:
        text = _text(value)
        if text is None:
            problems.append(Problem(key, f"{key!r} should be a date, not {_describe(value)}"))
            return None
        text = ruby_numeric_date(text)
        try:
            result = date_parser.isoparse(text.strip())
        except (ValueError, OverflowError):
            try:
                result = date_parser.parse(text.strip())
            except (ValueError, OverflowError, TypeError) as error:
                reason = "not a date" if "Unknown string format" in str(error) else str(error)
                problems.append(Problem(key, f"{key!r} is not a valid date: {text!r} ({reason})"))
                return None
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        problems.append(Problem(key, f"{key!r} has a year out of range: {result.year}"))
        return None
    if isinstance(value, YamlTime) and result.tzinfo is None:
        result = result.replace(tzinfo=dt.UTC)
    if result.tzinfo is not None:
        try:
            result.utcoffset()
            result.astimezone(dt.UTC)
        except (OverflowError, ValueError):
            problems.append(Problem(key, f"{key!r} has an unusable time zone: {_describe(value)}"))
            return result.replace(tzinfo=None)
    return result


def date_from_filename(path: str) -> dt.datetime | None:
    """The date of a Jekyll ``YYYY-MM-DD-slug`` file name, if it has a valid one.

    As in Jekyll, month and day may be unpadded (``2017-2-5-slug``), and a
    two-digit year is Ruby's: ``69``-``99`` are 1969-1999, ``00``-``68`` 2000-2068.
    """
    match = FILENAME_DATE.match(PurePath(path).stem)
    if not match:
        return None
    year = int(match[1])
    if len(match[1]) == 2:
        year += 1900 if year >= 69 else 2000
    try:
        return dt.datetime(year, int(match[2]), int(match[3]))
    except ValueError:
        return None


def in_zone(value: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """*value* in the site's time zone: an offset converted, a date without one taken
    to be in it.  Without a zone, the date as written."""
    if zone is None:
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    try:
        return value.astimezone(zone)
    except (OverflowError, ValueError):  # the last hours of year 9999
        return value


def parse_names(
    value: object, key: str, problems: list[Problem], *, split_spaces: bool
) -> list[str]:
    """A list of names: a YAML list, a comma list, or (Jekyll's ``categories``
    and ``tags``) a space-separated string."""
    if value is None:
        return []
    if isinstance(value, dict):
        problems.append(Problem(key, f"{key!r} should be a list or text, not a mapping"))
        return []
    items: list[object]
    if isinstance(value, list | tuple | set):
        items = list(value)
    else:
        text = _text(value) or ""
        if "," in text:
            items = list(text.split(","))
        elif split_spaces:
            items = list(text.split())
        else:
            items = [text]
    names: list[str] = []
    for item in items:
        item_text = _text(item)
        if item_text is None:
            problems.append(
                Problem(key, f"{key!r} holds a value that is not a name: {_describe(item)}")
            )
            continue
        # ABlog reads these back as a comma list; a comma inside a name would split it.
        name = clean_text(item_text.replace(",", " "))
        if name and name not in names:
            names.append(name)
    return names


def parse_paths(value: object, key: str, problems: list[Problem]) -> list[str]:
    """URL paths of ``redirect_from``: a string or a list of strings."""
    raw = (
        parse_names(value, key, problems, split_spaces=False)
        if not isinstance(value, str)
        else [value]
    )
    paths = []
    for item in raw:
        path = item.strip()
        if not path:
            continue
        if "://" in path or path.startswith("//"):
            problems.append(Problem(key, f"{key!r} must be a path on this site, not {path!r}"))
            continue
        paths.append(path)
    return paths


def normalise(
    front_matter: Mapping[str, Any],
    source_path: str,
    *,
    zone: dt.tzinfo | None = None,
    folder_categories: Sequence[str] = (),
    excerpt_separator: str = DEFAULT_EXCERPT_SEPARATOR,
    space_separated_tags: bool = True,
) -> PostMeta:
    """Normalise a post's front matter.  Never raises.

    With a *zone*, dates are given in it (see :func:`in_zone`); *folder_categories*
    come before the front matter's, as Jekyll's categories from a post's folders;
    *excerpt_separator* is the site's, which the post's own replaces;
    *space_separated_tags*: ``tags: a b`` is two tags, as Jekyll reads it (ABlog
    reads one).
    """
    # Each field in turn: the problems are reported in this order.
    problems: list[Problem] = []
    title = _title(front_matter, problems)
    date, date_source = _date(front_matter, source_path, zone, problems)
    updated = parse_date(front_matter.get("last_modified_at"), "last_modified_at", problems)
    categories = _categories(front_matter, folder_categories, problems)
    tags = _merged_names(front_matter, ("tags", space_separated_tags), ("tag", False), problems)
    authors = _merged_names(front_matter, ("author", False), ("authors", False), problems)
    published = _flag(front_matter, "published", problems)
    comments = _flag(front_matter, "comments", problems)
    excerpt = _excerpt(front_matter, problems)
    separator = _excerpt_separator(front_matter, excerpt_separator, problems)
    redirects = parse_paths(front_matter.get("redirect_from"), "redirect_from", problems)
    permalink = _permalink(front_matter, problems)
    return PostMeta(
        title=title,
        date=date,
        date_source=date_source,
        updated=in_zone(updated, zone) if updated is not None else None,
        categories=tuple(categories),
        tags=tuple(tags),
        authors=tuple(authors),
        published=published,
        excerpt=excerpt,
        excerpt_separator=separator,
        redirect_from=tuple(redirects),
        permalink=permalink,
        comments=comments,
        problems=tuple(problems),
    )


def _title(front_matter: Mapping[str, Any], problems: list[Problem]) -> str | None:
    """``title`` as text, without what HTML and XML cannot carry."""
    if "title" not in front_matter:
        return None
    raw_title = _text(front_matter.get("title"))
    if raw_title is None:
        problems.append(
            Problem("title", f"'title' should be text, not {_describe(front_matter.get('title'))}")
        )
        return None
    title = clean_text(raw_title) or None
    if title and len(title) > MAX_TITLE:
        problems.append(
            Problem(
                "title",
                f"'title' is {len(title):,} characters long; it is kept, "
                "but browsers, feeds and archives will show it in full",
            )
        )
    dropped = [ch for ch in raw_title if _unprintable(ch)]
    if dropped:
        codes = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in dropped}))
        problems.append(
            Problem(
                "title",
                f"'title' has characters HTML and XML cannot carry ({codes}); dropped",
            )
        )
    return title


def _date(
    front_matter: Mapping[str, Any],
    source_path: str,
    zone: dt.tzinfo | None,
    problems: list[Problem],
) -> tuple[dt.datetime | None, str | None]:
    """The post's date and where it comes from: the front matter's ``date``, else
    the file name's (a file name that starts with an invalid date is reported)."""
    written = front_matter.get("date")
    date = None
    date_source = None
    if written not in (None, ""):
        date = parse_date(written, "date", problems)
        if date is not None:
            date_source = "front matter"
    if date is None:
        date = date_from_filename(source_path)
        if date is not None:
            date_source = "file name"
        elif (match := FILENAME_DATE.match(PurePath(source_path).stem)) and written in (
            None,
            "",
        ):
            prefix = PurePath(source_path).stem[: match.end(3)]
            problems.append(
                Problem("date", f"the file name starts with {prefix!r}, which is not a valid date")
            )
    if date is not None:
        date = in_zone(date, zone)
    return date, date_source


def _categories(
    front_matter: Mapping[str, Any], folder_categories: Sequence[str], problems: list[Problem]
) -> list[str]:
    """The folders' categories, then ``category`` (one name), then ``categories``."""
    categories = []
    for folder in folder_categories:
        name = clean_text(folder.replace(",", " "))
        if name and name not in categories:
            categories.append(name)
    for name in parse_names(front_matter.get("category"), "category", problems, split_spaces=False):
        if name not in categories:
            categories.append(name)
    for name in parse_names(
        front_matter.get("categories"), "categories", problems, split_spaces=True
    ):
        if name not in categories:
            categories.append(name)
    return categories


def _merged_names(
    front_matter: Mapping[str, Any],
    first: tuple[str, bool],
    second: tuple[str, bool],
    problems: list[Problem],
) -> list[str]:
    """The names of two keys that mean the same (``tags`` and ``tag``), each a
    ``(key, split_spaces)``: the first key's, then the second's not already there."""
    key, split_spaces = first
    names = parse_names(front_matter.get(key), key, problems, split_spaces=split_spaces)
    key, split_spaces = second
    for name in parse_names(front_matter.get(key), key, problems, split_spaces=split_spaces):
        if name not in names:
            names.append(name)
    return names


def _flag(front_matter: Mapping[str, Any], key: str, problems: list[Problem]) -> bool:
    """A yes/no key that is true unless the front matter says otherwise."""
    if key not in front_matter:
        return True
    return parse_bool(front_matter.get(key), key, True, problems)


def _written_text(front_matter: Mapping[str, Any], key: str, problems: list[Problem]) -> str | None:
    """*key*'s value as text; ``None`` when it is not there or not text (reported)."""
    if front_matter.get(key) is None:
        return None
    text = _text(front_matter.get(key))
    if text is None:
        problems.append(Problem(key, f"'{key}' should be text"))
    return text


def _excerpt(front_matter: Mapping[str, Any], problems: list[Problem]) -> str | None:
    excerpt_text = _written_text(front_matter, "excerpt", problems)
    return None if excerpt_text is None else clean_text(excerpt_text) or None


def _excerpt_separator(
    front_matter: Mapping[str, Any], site_separator: str, problems: list[Problem]
) -> str:
    """The post's own ``excerpt_separator``, else the site's."""
    separator_text = _written_text(front_matter, "excerpt_separator", problems)
    # Kept as written: Jekyll cuts at the exact text, "\n---\n" included.
    return site_separator if separator_text is None else separator_text


def _permalink(front_matter: Mapping[str, Any], problems: list[Problem]) -> str | None:
    """``permalink``: one path, as a string."""
    written = front_matter.get("permalink")
    if written is None:
        return None
    links = parse_paths(written, "permalink", problems)
    if len(links) == 1 and isinstance(written, str):
        return links[0]
    if links:
        problems.append(Problem("permalink", "'permalink' should be a single path"))
    return None


def naive(value: dt.datetime) -> dt.datetime:
    """The wall-clock time the author wrote, for ABlog, which compares naive dates."""
    return value.replace(tzinfo=None)


@dataclass(frozen=True)
class FrontMatterBlock:
    """The YAML block at the top of a Markdown file, as read for a post."""

    #: The mapping, or ``None`` when there is no usable block.
    data: dict[str, Any] | None = None
    #: 1-based source line of each top-level key.
    key_lines: dict[str, int] = field(default_factory=dict)
    #: Why the block could not be read, and on which line.
    error: str | None = None
    error_line: int = 1
    #: 0-based index of the first line after the front matter.
    body_start: int = 0


def _string_date_loader() -> type:
    """A YAML ``SafeLoader`` that keeps dates as written.

    PyYAML turns ``2019-02-30`` into an exception and ``2019-03-05 10:00 -05:00``
    into a UTC time; posts want the first reported with its line and the second
    kept in the author's time zone, so dates stay strings here.  An unquoted date
    with a time of day is a :class:`YamlTime`: without an offset it is UTC, as in
    Jekyll.
    """
    import yaml

    # libyaml's parser when PyYAML has it: the same documents, several times faster.
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StringDateLoader(base):  # type: ignore[valid-type, misc]
        pass

    StringDateLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    StringDateLoader.add_implicit_resolver(_TIME_TAG, _YAML_TIME, list("0123456789"))
    StringDateLoader.add_constructor(
        _TIME_TAG, lambda loader, node: YamlTime(loader.construct_scalar(node))
    )
    return StringDateLoader


_TIME_TAG = "tag:ablog-ext,2025:yaml-time"


_LOADER: type | None = None


def load_yaml(text: str) -> Any:
    """A YAML document (a Jekyll data file), read as front matter is: dates as
    written.  Raises ``yaml.YAMLError`` (a document whose aliases repeat too much
    too: :func:`check_aliases`)."""
    global _LOADER
    if _LOADER is None:
        _LOADER = _string_date_loader()
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" in text:  # no alias without one
            check_aliases(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


#: How many nodes a document's aliases may repeat in all (each alias counts the
#: whole subtree it stands for).  Real front matter repeats a handful and a data
#: file with ``<<: *defaults`` in every entry some thousands; a "billion laughs"
#: document repeats 10^9, and anything that walks it (a list of tags, a page
#: printing it) would run for minutes and end out of memory.
MAX_ALIAS_NODES = 100_000
#: A sum above this is only compared with the limit: the numbers stay small.
_SATURATED = 1 << 62


def check_aliases(root: Any, limit: int = MAX_ALIAS_NODES) -> None:
    """Refuse a composed YAML document whose aliases repeat more than *limit* nodes,
    or that holds itself through an alias, before a Python object is built.

    PyYAML composes an alias as the node its anchor named, so the document is a
    graph: the expanded size is counted over it, each node once (time and memory
    in the size of the text).  Raises ``yaml.composer.ComposerError``, a
    ``yaml.MarkedYAMLError`` that names the line of the node that grew too big.
    """
    from yaml.composer import ComposerError
    from yaml.nodes import MappingNode, SequenceNode

    def children(node: Any) -> list[Any]:
        if isinstance(node, MappingNode):
            return [item for pair in node.value for item in pair]  # keys and values
        return list(node.value) if isinstance(node, SequenceNode) else []

    sizes: dict[int, int] = {}  # expanded size of each node done, by id
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            size = 1 + sum(sizes[id(child)] for child in children(node))
            sizes[key] = min(size, _SATURATED)
            if size - 1 > len(sizes) + limit:  # more than the distinct nodes below it can be
                problem = f"aliases here repeat more than {limit:,} nodes: refused"
                raise ComposerError(None, None, problem, node.start_mark)
            continue
        if key in sizes:
            continue
        on_path.add(key)
        stack.append((node, True))
        for child in children(node):
            if id(child) in on_path:
                problem = "an alias holds the node that defines it (a loop): refused"
                raise ComposerError(None, None, problem, child.start_mark)
            if id(child) not in sizes:
                stack.append((child, False))


def read_front_matter(
    text: str, shared: dict[str, FrontMatterBlock] | None = None
) -> FrontMatterBlock:
    """Read a post's front matter the way Jekyll finds it (``---`` on line 1, up to
    ``---`` or ``...``, each maybe followed by blanks), keeping the line of each
    key.  Never raises.  With *shared* (YAML text -> what it read as, kept by the
    caller: a build's, :func:`ablog_ext.reading.posts.front_matter_blocks`), YAML
    read before is not parsed again."""
    if not text.startswith("---"):
        return FrontMatterBlock()
    lines = text.splitlines()
    if not _OPENING.match(lines[0]):
        return FrontMatterBlock()
    block: list[str] = []
    for line in lines[1:]:
        if _CLOSING.match(line):
            break
        block.append(line.rstrip() + "\n")
    else:
        # Recover what a forgotten closing '---' left: the lines up to the first blank one.
        end = next((index for index, line in enumerate(block) if not line.strip()), len(block))
        recovered = _load("".join(block[:end]), shared) if end else FrontMatterBlock(error="empty")
        error = "the front matter starts with '---' on line 1 but never closes"
        if recovered.error is None:
            return dataclasses.replace(
                recovered, error=f"{error}; read it up to line {end + 1}", body_start=end + 1
            )
        return FrontMatterBlock(error=error, body_start=1)
    loaded = _load("".join(block), shared)
    return dataclasses.replace(loaded, body_start=len(block) + 2)


def delimiters_for_myst(text: str, block: FrontMatterBlock) -> str:
    """*text* with its front matter delimiters written ``---``, as MyST wants them
    (Jekyll also takes ``--- `` and a closing ``...``); line numbers unchanged."""
    if block.data is None or block.error or block.body_start < 2:
        return text
    lines = text.split("\n")
    closing = block.body_start - 1
    if lines[0].rstrip("\r") == "---" and lines[closing].rstrip("\r") == "---":
        return text
    lines[0] = "---"
    lines[closing] = "---"
    return "\n".join(lines)


def _load(yaml_text: str, shared: dict[str, FrontMatterBlock] | None = None) -> FrontMatterBlock:
    if shared is None:
        return _parse(yaml_text)
    block = shared.get(yaml_text)
    if block is None:
        block = shared[yaml_text] = _parse(yaml_text)
    return block


def _parse(yaml_text: str) -> FrontMatterBlock:
    import yaml

    global _LOADER
    if _LOADER is None:
        _LOADER = _string_date_loader()
    try:
        loader = _LOADER(yaml_text)
    except yaml.YAMLError as error:  # e.g. a control character PyYAML refuses
        return FrontMatterBlock(error=f"malformed YAML front matter: {error}")
    try:
        node = loader.get_single_node()
        if node is not None and "*" in yaml_text:  # no alias without one
            check_aliases(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark is not None else 1
        return FrontMatterBlock(
            error=f"malformed YAML front matter: {error.problem}", error_line=line
        )
    # AttributeError: PyYAML's timestamp constructor fails on some text its
    # resolver took for a timestamp (a Unicode line break inside it).
    except (yaml.YAMLError, ValueError, TypeError, RecursionError, AttributeError) as error:
        return FrontMatterBlock(error=f"malformed YAML front matter: {error}")
    finally:
        loader.dispose()
    if data is None:
        return FrontMatterBlock(data={})
    if not isinstance(data, dict):
        return FrontMatterBlock(
            error=f"the front matter is not a mapping but {type(data).__name__}"
        )
    key_lines = {}
    for key_node, _value in node.value:
        key_lines[str(key_node.value)] = key_node.start_mark.line + 2
    data = {str(key): value for key, value in data.items()}
    return FrontMatterBlock(data=data, key_lines=key_lines)
