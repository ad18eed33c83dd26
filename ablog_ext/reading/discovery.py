"""Which files are posts: read, left out as Jekyll leaves them out, or named in a
warning.  All of it is decided at ``config-inited``, before Sphinx looks for
documents:

- Jekyll's Markdown suffixes (``ablog_ext_post_suffixes``: ``.markdown``,
  ``.mkdn``, ...) become MyST sources, unless ``source_suffix`` says otherwise;
- a Markdown file whose front matter says ``published: false``, and a post dated
  after the build (unless ``ablog_ext_future``), are excluded, so they appear
  nowhere, drafts included, with one info line for each kind;
- every file in a posts folder (a folder ``blog_post_pattern`` looks into) that
  looks like a post (front matter, or a Jekyll dated name with a text suffix) but
  will not be read as one gets a warning with the reason: a suffix Sphinx does not
  read, ``exclude_patterns``, or a pattern that does not match it;
- ABlog's own rule for future posts (before tomorrow, on the build machine's
  clock) is set to ours, so ABlog and ablog_ext agree on what is published.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from glob import escape as glob_escape
from glob import glob
from pathlib import Path, PurePosixPath
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.matching import Matcher

from ablog_ext._version import __version__
from ablog_ext.blog.queries import future_cutoff, is_future, post_zone
from ablog_ext.config import pattern_prefix, post_patterns, provided_by_user
from ablog_ext.jekyll.frontmatter import (
    FILENAME_DATE,
    FrontMatterBlock,
    normalise,
    read_front_matter,
)
from ablog_ext.reaches.ablog import ABLOG_TOMORROW
from ablog_ext.reading.matched import matched_posts
from ablog_ext.reading.notebooks import MARKDOWN_KINDS, is_notebook_file, notebook_file_front_matter
from ablog_ext.reading.outside import is_left_out
from ablog_ext.reading.posts import front_matter_blocks, is_draft, truthy
from ablog_ext.state import Slot, build_state

logger = logging.getLogger("ablog_ext.postfiles")

_PUBLISHED_FALSE = re.compile(
    r"^published\s*:\s*(false|no|off|'false'|\"false\")\s*(#.*)?$", re.I | re.M
)
_DATE_KEY = re.compile(r"^date[ \t]*:.*$", re.M)
_BLOGPOST_TRUE = re.compile(r"^blogpost\s*:\s*(true|yes|on|'true'|\"true\")\s*(#.*)?$", re.I | re.M)
_OPENING = re.compile(rb"^---[ \t]*\r?$", re.M)
#: The closing delimiter of a front matter block (after its opening line).
_CLOSED = re.compile(rb"\n(?:---|\.\.\.)[ \t]*\r?(?:\n|$)")
#: Suffixes of files that hold a post's text in some Jekyll blog (Jekyll publishes
#: any file of ``_posts`` with a dated name).
TEXT_SUFFIXES = frozenset(
    {
        ".md", ".markdown", ".mkdown", ".mkdn", ".mkd", ".mdown", ".mdwn", ".html", ".htm",
        ".xhtml", ".textile", ".txt", ".text", ".rst", ".rmd", ".adoc", ".asciidoc", ".org",
        ".liquid", ".ipynb",
    }
)  # fmt: skip
#: What Sphinx never reads, besides exclude_patterns.
_ALWAYS_EXCLUDED = ["**/.*", "_build", "**/_build", "**/_sources", ".#*", "**/.#*", "*.lproj/**"]


@dataclass
class _Scan:
    """What one pass over the source folder found."""

    unpublished: list[str] = field(default_factory=list)
    future: list[str] = field(default_factory=list)


#: Docnames the build leaves out, found at ``config-inited`` (for the first build
#: of the application), taken by :func:`remove_left_out_output`.
_LEFT_OUT: Slot[list[str]] = Slot("discovery: posts left out")
#: The patterns :func:`exclude_left_out_posts` added to ``exclude_patterns``, taken
#: out again by :func:`rescan_left_out_posts`.
_ADDED_PATTERNS: Slot[list[str]] = Slot("discovery: patterns added", lambda app: [], lasting=True)


# -- suffixes ---------------------------------------------------------------------------------


def own_source_suffix(app: Sphinx, config: Config) -> None:
    """A ``source_suffix`` of the application's own, unless conf.py sets one.

    Sphinx (8 and 9) merges the parsers' suffixes into the default value itself,
    so each later application of the process starts from the first one's: after
    a build with MyST-Parser, a MyST-NB site's ``.md`` files are read by MyST-Parser
    (tests, and a resident server whose conf.py changed, build several sites in
    one process).  The default's value, as Sphinx documents it, in a new dict."""
    if not provided_by_user(config, "source_suffix"):
        config.source_suffix = {".rst": "restructuredtext"}


def register_post_suffixes(app: Sphinx, config: Config) -> None:
    """Read ``ablog_ext_post_suffixes`` as MyST Markdown, each unless ``source_suffix``
    names it already.  Before Sphinx merges the parsers' suffixes (800)."""
    declared = config.source_suffix
    declared = [declared] if isinstance(declared, str) else list(declared or [])
    # config.py has left out what is not a suffix (config-inited, 100).
    for suffix in config.ablog_ext_post_suffixes:
        if suffix not in declared:
            # A suffix another extension registered already stays as it is.
            with contextlib.suppress(ExtensionError):
                app.add_source_suffix(suffix, "markdown")


# -- what Jekyll would not publish ----------------------------------------------------------


def exclude_left_out_posts(app: Sphinx, config: Config) -> None:
    """Exclude each Markdown file that says ``published: false``, and each post
    dated after the build (unless ``ablog_ext_future``), as Jekyll does not build
    them; then warn about files in posts folders that are not read as posts."""
    srcdir = Path(app.srcdir)
    suffixes = tuple(
        suffix for suffix, kind in config.source_suffix.items() if kind in MARKDOWN_KINDS
    )
    user_excluded = Matcher([*config.exclude_patterns, *config.templates_path, *_ALWAYS_EXCLUDED])
    scan = _Scan()
    known = _KnownFacts(Path(app.doctreedir), front_matter_blocks(app))
    for rel in _source_files(srcdir, user_excluded):
        if rel.endswith(suffixes):
            _classify(rel, known.facts(srcdir / rel, rel, config), config, scan)
    known.save()
    left_out = [*scan.unpublished, *scan.future]
    build_state(app).set(_LEFT_OUT, [_docname(path, suffixes) for path in left_out])
    added = build_state(app).set(_ADDED_PATTERNS, [_escape_pattern(path) for path in left_out])
    if added:
        config.exclude_patterns = [*config.exclude_patterns, *added]
    if scan.unpublished:
        logger.info("ablog_ext: leaving out %d unpublished post(s)", len(scan.unpublished))
    if scan.future:
        logger.info(
            "ablog_ext: leaving out %d post(s) dated after the build; "
            "set ablog_ext_future = True to publish them",
            len(scan.future),
        )
    _warn_unread(app, config, user_excluded, set(left_out))


def rescan_left_out_posts(app: Sphinx) -> None:
    """Before another build of the same application (``ablog-ext serve``): the posts
    left out found again, as :func:`exclude_left_out_posts` finds them at
    ``config-inited``, in place of the ones it found before."""
    config = app.config
    before: list[str] | None = build_state(app).peek(_ADDED_PATTERNS)
    added = set(before or [])
    config.exclude_patterns = [p for p in config.exclude_patterns if p not in added]
    exclude_left_out_posts(app, config)


def facts_changed(app: Sphinx, paths: Iterable[str]) -> bool:
    """Whether a file of *paths* (modified since the last build of *app*, relative,
    with ``/``) may change what :func:`exclude_left_out_posts` leaves out: its
    ``published``, date or ``blogpost`` changed, or it is not a Markdown file the
    last scan read."""
    known = _KnownFacts(Path(app.doctreedir), {})
    for rel in paths:
        kept = known.previous.get(rel)
        if kept is None or _read_facts(Path(app.srcdir, rel), app.config, {}) != kept[1]:
            return True
    return False


def _source_files(srcdir: Path, excluded: Matcher) -> list[str]:
    """Every file under *srcdir* Sphinx may read, relative, with ``/``, sorted."""
    found = []
    for directory, subdirs, files in os.walk(srcdir):
        rel_dir = os.path.relpath(directory, srcdir)
        subdirs[:] = sorted(
            sub for sub in subdirs if not excluded(Path(rel_dir, sub).as_posix().removeprefix("./"))
        )
        for name in sorted(files):
            rel = Path(rel_dir, name).as_posix().removeprefix("./")
            if not excluded(rel):
                found.append(rel)
    return found


def _head(path: Path, size: int = 16384) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(size)
    except OSError:
        return b""


def _front_matter_text(head: bytes) -> str | None:
    """The YAML between the delimiters, as far as *head* holds it."""
    if not _OPENING.match(head):
        return None
    text = head.decode("utf-8", errors="replace")
    first_end = text.find("\n")
    end = re.search(r"^(---|\.\.\.)[ \t]*$", text[first_end + 1 :], re.M)
    return text[first_end + 1 : first_end + 1 + end.start()] if end else ""


@dataclass(frozen=True)
class _Facts:
    """What the scan needs of one Markdown file's front matter, whatever the
    configuration and the time."""

    #: It says ``published: false``.
    unpublished: bool
    #: It says ``blogpost: true``.
    blogpost: bool
    #: ``{"date": value}`` as its front matter gives it (empty without a date);
    #: ``None`` when only a ``date:`` line could be found (:attr:`date_line`).
    dated: dict[str, Any] | None
    date_line: str | None


def _notebook_facts(path: Path) -> _Facts:
    data = notebook_file_front_matter(path)
    unpublished = bool(data) and normalise(data, path.name).published is False
    blogpost = truthy(data.get("blogpost"))
    return _Facts(unpublished, blogpost, {"date": data["date"]} if "date" in data else {}, None)


def _read_facts(path: Path, config: Config, blocks: dict[str, FrontMatterBlock]) -> _Facts:
    if is_notebook_file(path):
        return _notebook_facts(path)
    head = _head(path)
    front = _front_matter_text(head)
    data: dict[str, Any] | None = None
    if front is not None and _CLOSED.search(head):
        # The whole block: parsed once, here, for the parser too (shared per build).
        text = head.decode("utf-8", errors="replace")
        data = read_front_matter(text, blocks).data
    unpublished = False
    if front is not None and _PUBLISHED_FALSE.search(front):
        if data is None:
            data = read_front_matter(head.decode("utf-8", errors="replace")).data
        unpublished = bool(data) and normalise(data or {}, path.name).published is False
    if data is None:
        # No readable block: its date line alone, read when the date is needed.
        date_line = _DATE_KEY.search(front or "")
        dated = None
        line = date_line[0] if date_line else None
    else:
        dated = {"date": data["date"]} if "date" in data else {}
        line = None
    return _Facts(unpublished, bool(front and _BLOGPOST_TRUE.search(front)), dated, line)


class _KnownFacts:
    """The facts of each file, kept between builds by its size and modification
    time: a build where no post changed reads no front matter here (1000 posts:
    0.2 s of a no-op rebuild)."""

    VERSION = 1

    def __init__(self, doctreedir: Path, blocks: dict[str, FrontMatterBlock]) -> None:
        #: The front matter read this build, shared with the parser.
        self.blocks = blocks
        self.path = doctreedir / "ablog_ext_post_facts.pickle"
        self.previous: dict[str, tuple[tuple[int, int], _Facts]] = {}
        self.current: dict[str, tuple[tuple[int, int], _Facts]] = {}
        try:
            with self.path.open("rb") as stream:
                version, previous = pickle.load(stream)
            if version == (self.VERSION, __version__) and isinstance(previous, dict):
                self.previous = previous
        except Exception:  # missing, or written by another version: read every file
            self.previous = {}

    def facts(self, path: Path, rel: str, config: Config) -> _Facts:
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            return _read_facts(path, config, self.blocks)
        kept = self.previous.get(rel)
        if kept is not None and kept[0] == stamp and isinstance(kept[1], _Facts):
            self.current[rel] = kept
            return kept[1]
        facts = _read_facts(path, config, self.blocks)
        self.current[rel] = (stamp, facts)
        return facts

    def save(self) -> None:
        if self.current == self.previous:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("wb") as stream:
                pickle.dump(((self.VERSION, __version__), self.current), stream)
        except OSError:  # a read-only build folder: read every file next time
            pass


def _classify(rel: str, facts: _Facts, config: Config, scan: _Scan) -> None:
    if config.ablog_ext_show_drafts:  # a preview shows them all, as drafts (preview.py)
        return
    if facts.unpublished:
        scan.unpublished.append(rel)
        return
    if config.ablog_ext_future:
        return
    docname = str(PurePosixPath(rel).with_suffix(""))
    is_post = docname in matched_posts(config) or facts.blogpost
    if not is_post or is_draft(config, docname, rel):
        return
    dated = facts.dated
    if dated is None:
        data = read_front_matter(f"---\n{facts.date_line}\n---\n").data if facts.date_line else None
        dated = {"date": data["date"]} if data and "date" in data else {}
    date = normalise(dated, rel, zone=post_zone(config)).date
    if is_future(date, config):
        scan.future.append(rel)


def _docname(path: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return str(PurePosixPath(path).with_suffix(""))


def _escape_pattern(path: str) -> str:
    return "".join(f"[{char}]" if char in "*?[]" else char for char in path)


# -- files in posts folders that are not read ----------------------------------------------


def posts_folders(srcdir: Path, patterns: list[str]) -> list[Path]:
    """The folders ``blog_post_pattern``'s globs look into."""
    folders: set[Path] = set()
    for pattern in patterns:
        parent, _, last = pattern.rpartition("/")
        where = f"{parent}/**" if last == "**" else parent
        if not where:
            folders.add(srcdir)
            continue
        for found in glob(os.path.join(glob_escape(str(srcdir)), where), recursive=True):
            if os.path.isdir(found):
                folders.add(Path(found))
    return sorted(folders)


def looks_like_post(path: Path) -> bool:
    """Front matter on the first line, or a Jekyll dated name with a text suffix."""
    if FILENAME_DATE.match(path.stem) and path.suffix.lower() in TEXT_SUFFIXES:
        return True
    head = _head(path, 512)
    if not _OPENING.match(head):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start > len(head) - 4  # cut in the middle of a character
    return True


def _suggested(pattern: str) -> str | None:
    """``posts/*`` for ``posts/*.md``: the pattern without its suffix."""
    path = PurePosixPath(pattern)
    return str(path.with_suffix("")) if path.suffix and "*" in path.name else None


def _folders_below(root: Path, srcdir: Path, excluded: Matcher) -> list[Path]:
    """*root* and its subfolders that Sphinx may read."""
    found = []
    for directory, subdirs, _ in os.walk(root):
        rel_dir = Path(directory).relative_to(srcdir).as_posix()
        subdirs[:] = sorted(
            sub for sub in subdirs if not sub.startswith(".") and not excluded(f"{rel_dir}/{sub}")
        )
        found.append(Path(directory))
    return found


def _candidates(
    srcdir: Path, patterns: list[str], excluded: Matcher
) -> dict[Path, tuple[list[str], str | None]]:
    """Each file of a posts folder, with the patterns that look into its folder; the
    files in the subfolders of a pattern's fixed start (Jekyll reads ``_posts`` with
    its subfolders) with none, and the pattern that would take them."""
    found: dict[Path, tuple[list[str], str | None]] = {}
    for pattern in patterns:
        looked_into = set(posts_folders(srcdir, [pattern]))
        fixed = pattern_prefix(pattern)
        below = _folders_below(srcdir / fixed, srcdir, excluded) if fixed else []
        for folder in sorted(looked_into | set(below)):
            for path in sorted(folder.iterdir()):
                if path.name.startswith(".") or not path.is_file():
                    continue
                own, wider = found.get(path, ([], None))
                if folder in looked_into:
                    found[path] = ([*own, pattern], wider)
                elif not own:
                    found[path] = (own, wider or f"{fixed}/**")
    return found


def _warn_unread(app: Sphinx, config: Config, excluded: Matcher, left_out: set[str]) -> None:
    srcdir = Path(app.srcdir)
    patterns = post_patterns(config)
    source_suffix = dict(config.source_suffix)
    matched = set(matched_posts(config))
    for path, (own, wider) in sorted(_candidates(srcdir, patterns, excluded).items()):
        rel = path.relative_to(srcdir).as_posix()
        if rel in left_out or is_left_out(path, srcdir):  # named by outside.py
            continue
        suffix = next((s for s in source_suffix if path.name.endswith(s)), None)
        docname = rel[: -len(suffix)] if suffix else rel
        if suffix is not None and not excluded(rel) and docname in matched:
            continue
        if not looks_like_post(path):
            continue
        if suffix is None:
            kind = f"{path.suffix!r} files" if path.suffix else "files without a suffix"
            reason = (
                f"Sphinx does not read {kind}; convert the post to Markdown, or add its "
                "suffix to ablog_ext_post_suffixes if it is Markdown"
            )
        elif excluded(rel):
            reason = "exclude_patterns leaves it out"
        else:
            front = _front_matter_text(_head(path))
            if front and _BLOGPOST_TRUE.search(front):
                continue
            suggested = [s for p in own if (s := _suggested(p)) is not None]
            if not own and wider is not None:
                suggested = [wider]
            reason = f"blog_post_pattern ({', '.join(map(repr, patterns))}) does not match it" + (
                f"; use {' or '.join(map(repr, suggested))} to take "
                + ("every suffix" if own else "its subfolders too")
                if suggested
                else ""
            )
        logger.warning(
            "%s is not read as a post: %s",
            rel,
            reason,
            type="ablog_ext",
            subtype="source",
            location=f"{path}:1",
        )


# -- after the build ------------------------------------------------------------------------


def remove_left_out_output(app: Sphinx, exception: Exception | None) -> None:
    """A post switched to ``published: false`` (or a future date) after a build
    still has its page in the output folder (Sphinx never deletes pages); remove
    it, and its source copy."""
    builder = app.builder
    if exception is not None or builder.format != "html":
        return
    outdir = Path(builder.outdir).resolve()
    for docname in build_state(app).pop(_LEFT_OUT) or []:
        candidates = [outdir / builder.get_target_uri(docname)]
        candidates += (outdir / "_sources").glob(f"{glob_escape(docname)}.*")
        for path in candidates:
            target = path.resolve()
            if outdir in target.parents and target.is_file():
                target.unlink()


# -- ABlog's future rule ----------------------------------------------------------------------


def align_ablog_future(app: Sphinx, config: Config) -> None:
    """ABlog publishes a post dated before tomorrow on the build machine's clock
    (its ``TOMORROW``, computed once when ABlog is imported); make it publish what
    ablog_ext publishes: dated up to the build time, on the site's wall clock, or
    every date with ``ablog_ext_future``.  Only while this build runs (see
    :data:`~ablog_ext.reaches.ablog.ABLOG_TOMORROW`)."""
    limit = future_cutoff(config)
    if limit is None or limit >= dt.datetime.max - dt.timedelta(microseconds=1):
        _use_tomorrow(app, dt.datetime.max)
    else:
        _use_tomorrow(app, limit + dt.timedelta(microseconds=1))


#: The cutoff ABlog gets while the application builds (set at ``config-inited``).
_TOMORROW: Slot[dt.datetime | None] = Slot("ABlog's cutoff", lambda app: None, lasting=True)
#: ABlog's own cutoff, kept while a build runs.
_SAVED_TOMORROW: Slot[list[Any]] = Slot("ABlog's own cutoff", lambda app: [])


def _use_tomorrow(app: Sphinx, value: dt.datetime) -> None:
    """Make *value* ABlog's cutoff while *app* builds."""
    if not ABLOG_TOMORROW.on(app):
        return
    state = build_state(app)
    if state.peek(_TOMORROW) is None:
        app.connect("env-before-read-docs", _set_tomorrow)
        app.connect("build-finished", _restore_tomorrow)
    state.set(_TOMORROW, value)


def _set_tomorrow(app: Sphinx, env: Any, docnames: Any) -> None:
    from ablog import blog

    saved = build_state(app).get(_SAVED_TOMORROW)
    if not saved:
        saved.append(getattr(blog, ABLOG_TOMORROW.attribute))
    setattr(blog, ABLOG_TOMORROW.attribute, build_state(app).get(_TOMORROW))


def _restore_tomorrow(app: Sphinx, exception: Exception | None) -> None:
    from ablog import blog

    saved = build_state(app).pop(_SAVED_TOMORROW)
    if saved:
        setattr(blog, ABLOG_TOMORROW.attribute, saved.pop())
