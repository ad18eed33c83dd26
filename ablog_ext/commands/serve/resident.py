"""The Sphinx application ``ablog-ext serve`` keeps in memory and builds again.

The first build makes one :class:`~sphinx.application.Sphinx` object, as
``sphinx-build`` would.  Each later build is ``app.build()`` on the same object:
Sphinx keeps its environment (every document's doctree location, the toctrees,
the domains, ablog_ext's :class:`~ablog_ext.blog.domain.BlogDomain`) and reads
only the documents whose sources changed, or whose inputs did; ablog_ext forgets
its per-build state when each build ends (:mod:`ablog_ext.state`) and empties
ABlog's ``Blog`` once the documents are read (:mod:`ablog_ext.speed.stale_pages`).

What ``config-inited`` decided from the files on disk (which documents
``blog_post_pattern`` matches, which posts Jekyll would not publish) is decided
again before each build (:func:`refresh_discovery`), so a post added, removed or
unpublished is seen without a new application.  A change to ``conf.py``, a
template added to or removed from ``templates_path``, or a build that raised, makes
a new application (the imports stay; the environment is
read back from its pickle, or, after a build that raised, every document is read
again, as Sphinx has it).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from ablog_ext.commands.serve import env_pickle
from ablog_ext.commands.serve.first import PagesFirst
from ablog_ext.commands.terminal import shown
from ablog_ext.reading import discovery, matched
from ablog_ext.speed import stale_pages

#: The option ``--drafts`` sets (:data:`ablog_ext.config.OPTIONS`).
DRAFTS_OPTION = "ablog_ext_show_drafts"


@dataclass(frozen=True)
class Changes:
    """Files added, removed or modified since the last look (relative paths, ``/``)."""

    added: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    modified: frozenset[str] = frozenset()

    @property
    def paths(self) -> frozenset[str]:
        return self.added | self.removed | self.modified

    @property
    def config(self) -> bool:
        """``conf.py`` changed: the application starts again."""
        return "conf.py" in self.paths

    def __bool__(self) -> bool:
        return bool(self.paths)

    def summary(self) -> str:
        names = sorted(self.paths)
        shown_names = ", ".join(shown(name) for name in names[:3])
        return shown_names + (f" and {len(names) - 3} more" if len(names) > 3 else "")


class WarningStream:
    """Sphinx's warning stream: each line printed to the terminal and kept for the
    page overlay until the next build starts."""

    def __init__(self, terminal: TextIO) -> None:
        self.terminal = terminal
        self._text: list[str] = []

    def write(self, text: str) -> int:
        self._text.append(text)
        self.terminal.write(text)
        return len(text)

    def flush(self) -> None:
        self.terminal.flush()

    def isatty(self) -> bool:  # no colour codes in the overlay
        return False

    def lines(self) -> list[str]:
        return [line for line in "".join(self._text).splitlines() if line.strip()]

    def clear(self) -> None:
        self._text.clear()


@dataclass
class BuildReport:
    """What the last build did, for the terminal, the overlay and ``/__ablog_ext__/status``."""

    generation: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    restarted: bool = False

    def problems(self) -> list[str]:
        return ([self.error] if self.error else []) + self.warnings


class ResidentSite:
    """One site's Sphinx application, built again after each change.

    *html* is where the pages go (the only folder served), *doctrees* where Sphinx
    keeps its environment.  Builds run one at a time; :meth:`wait_idle` lets a
    request wait for the one under way, so no page is served half written.
    """

    def __init__(
        self,
        srcdir: Path,
        html: Path,
        doctrees: Path,
        *,
        drafts: bool = False,
        terminal: TextIO | None = None,
    ) -> None:
        self.srcdir = srcdir
        self.html = html
        self.doctrees = doctrees
        self.drafts = drafts
        self.warnings = WarningStream(terminal or sys.stderr)
        self.app: Sphinx | None = None
        self.report = BuildReport()
        self._namespace: contextlib.ExitStack | None = None
        self._assets: dict[tuple[str, str], list[Any]] = {}
        self._condition = threading.Condition()
        self._building = False
        self.pages_first = PagesFirst(self._condition)

    # -- the application -------------------------------------------------------------

    def _start(self) -> Sphinx:
        """A new application (the old one dropped), as ``sphinx-build`` makes it."""
        self.close()
        stack = contextlib.ExitStack()
        stack.enter_context(patch_docutils(self.srcdir))
        stack.enter_context(docutils_namespace())
        self._namespace = stack
        overrides = {DRAFTS_OPTION: True} if self.drafts else {}
        try:
            self.app = Sphinx(
                self.srcdir,
                self.srcdir,
                self.html,
                self.doctrees,
                "html",
                confoverrides=overrides,
                status=None,
                warning=self.warnings,  # type: ignore[arg-type]
                freshenv=False,
            )
        except BaseException:
            self.close()
            raise
        self._assets = _registered_assets(self.app)
        self.pages_first.install(self.app)
        return self.app

    def close(self) -> None:
        """Drop the application and put docutils' registries back."""
        self.app = None
        gc.unfreeze()
        if self._namespace is not None:
            namespace, self._namespace = self._namespace, None
            namespace.close()

    # -- building --------------------------------------------------------------------

    def build(self, changes: Changes | None = None) -> BuildReport:
        """Build: the first time, or after *changes*.  Never raises for a problem in
        the site: it is in the report (and on the terminal)."""
        self.pages_first.start_build(changes.paths if changes else ())
        with self._condition:
            self._building = True
        started = time.perf_counter()
        self.warnings.clear()
        restarted = self.app is None or (
            changes is not None and (changes.config or _templates_come_or_go(self.app, changes))
        )
        error = None
        try:
            app = self._start() if restarted else self.app
            assert app is not None
            if not restarted:
                _restore_assets(app, self._assets)
                if _files_found_again(app, changes):
                    refresh_discovery(app)
            try:
                with env_pickle.saved_at_the_end(app):
                    app.build()
                    if self.pages_first.installed and not self.pages_first.finished:
                        _build_undeferred(app)
            finally:
                _forget_read_doctrees(app)
        except Exception as exception:  # any failure of the site's build: shown, not raised
            error = f"the build stopped: {type(exception).__name__}: {_gist(exception)}"
            self.warnings.terminal.write(f"ablog-ext serve: {error}\n")
            # The application may be half-way through a build: start a new one next time.
            self.close()
        _collect_garbage()
        report = BuildReport(
            generation=self.report.generation + 1,
            seconds=time.perf_counter() - started,
            warnings=self.warnings.lines(),
            error=error,
            restarted=restarted,
        )
        with self._condition:
            self.report = report
            self._building = False
            self._condition.notify_all()
        return report

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Return once no build is under way (or after *timeout* seconds)."""
        with self._condition:
            self._condition.wait_for(lambda: not self._building, timeout)

    def wait_for_build(self, generation: int, timeout: float) -> int:
        """The generation of the last build, once it is not *generation* (or after
        *timeout* seconds, when it may still be)."""
        with self._condition:
            self._condition.wait_for(lambda: self.report.generation != generation, timeout)
            return self.report.generation

    def wait_for_page(self, page: str, timeout: float = 60.0) -> None:
        """Return once *page* is not going to change in the build under way: this
        build has written it, or is over."""
        written = self.pages_first.written
        with self.pages_first.requesting(page), self._condition:
            self._condition.wait_for(lambda: not self._building or page in written, timeout)

    @property
    def building(self) -> bool:
        return self._building

    def status(self) -> dict[str, Any]:
        report = self.report
        return {
            "generation": report.generation,
            "building": self._building,
            "seconds": round(report.seconds, 4),
            "restarted": report.restarted,
            "error": report.error,
            "warnings": report.warnings,
        }


def _gist(exception: Exception) -> str:
    """An exception's message on one line: its first line, and its last when it has
    more (a ``ConfigError`` quotes the traceback of ``conf.py`` between them)."""
    lines = [line.strip() for line in str(exception).splitlines() if line.strip()]
    if len(lines) > 1:
        lines = [lines[0], lines[-1]]
    return shown(" ... ".join(lines))


def _templates_come_or_go(app: Sphinx, changes: Changes) -> bool:
    """A template file added to or removed from the site's ``templates_path``: which
    of ABlog's templates the site replaces is decided as the application starts
    (:func:`~ablog_ext.speed.archive_entries.keep_entries`), so it starts again."""
    folders = [Path(str(folder)).as_posix().strip("/") for folder in app.config.templates_path]
    return any(
        path == folder or path.startswith(f"{folder}/")
        for path in changes.added | changes.removed
        for folder in folders
        if folder and folder != "."
    )


def _files_found_again(app: Sphinx, changes: Changes | None) -> bool:
    """Whether what ``config-inited`` decided from the files on disk may have
    changed: a file was added or removed, or a modified one is not a post whose
    ``published``, date and ``blogpost`` are as the last build found them (a body
    edit, the common case, skips the walk over every file: 0.1 s at 1000 posts)."""
    if changes is None or changes.added or changes.removed:
        return True
    return discovery.facts_changed(app, changes.modified)


def refresh_discovery(app: Sphinx) -> None:
    """What ``config-inited`` decided from the files on disk, decided again for
    *app*'s next build: which documents are posts, and which posts are left out."""
    matched.rematch_posts(app)
    discovery.rescan_left_out_posts(app)


#: Sphinx's lists of CSS and JavaScript files: the registry's (what extensions
#: registered) and the HTML builder's (what its pages link).
_ASSET_LISTS = (
    ("registry", "css_files"),
    ("registry", "js_files"),
    ("builder", "_css_files"),
    ("builder", "_js_files"),
)


def _registered_assets(app: Sphinx) -> dict[tuple[str, str], list[Any]]:
    """The CSS and JavaScript files registered once the application is made.

    A theme may add a file for one page while it is written (pydata-sphinx-theme
    adds ``DOCUMENTATION_OPTIONS.pagename = ...`` to each): Sphinx takes it off the
    page's list before the next page, but its registry keeps every one, and the
    builder the last page's, so the next build of the same application would put
    them on its pages.  Without these lists (another Sphinx), nothing is kept, and
    the incremental-equals-clean test of ``ablog-ext serve`` says what differs."""
    assets = {}
    for owner, name in _ASSET_LISTS:
        value = getattr(getattr(app, owner, None), name, None)
        if isinstance(value, list):
            assets[owner, name] = list(value)
    return assets


def _restore_assets(app: Sphinx, assets: dict[tuple[str, str], list[Any]]) -> None:
    for (owner, name), files in assets.items():
        getattr(getattr(app, owner), name)[:] = files


def _collect_garbage() -> None:
    """Once a build is over, the garbage collector's full pass, and every object
    left out of its later passes (:func:`gc.freeze`) until the next build is over.

    The application holds millions of objects between builds (the environment,
    the templates, the blog): a full pass over them takes a quarter of a second
    on a 1000-post site, and Python makes one about once a build, at whatever
    moment, often before the first page is written.  Here it is made when the
    pages are written, over everything (what the last build dropped is freed),
    and the passes during the next build look only at what it makes."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _return_freed_memory()


def _return_freed_memory() -> None:
    """What the build freed given back to the system, where the C library can
    (glibc's ``malloc_trim``): a rebuild that rewrites every page raises the heap's
    high-water mark, which the process would otherwise keep (1.20 times the first
    build's memory after a new post at 1000 posts; 1.07 times with it)."""
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)


def _build_undeferred(app: Sphinx) -> None:
    """Build again, the pages that show something of the blog that changed found
    when the documents are read, as ``sphinx-build`` finds them: Sphinx 8 stops a
    build that reads nothing before it writes, so the pages found after the pages
    looked at (:class:`~ablog_ext.commands.serve.first.PagesFirst`) were not."""
    stale_pages.defer_rewrites(app, False)
    try:
        app.build()
    finally:
        stale_pages.defer_rewrites(app, True)


def _forget_read_doctrees(app: Sphinx) -> None:
    """Sphinx keeps each doctree it read back from disk, pickled, for the rest of
    the application's life: the next build would render a document edited since
    from its old doctree (Sphinx's own test application empties it before each
    build), and the cache would hold every page's doctree between builds."""
    cache = getattr(app.env, "_pickled_doctree_cache", None) if app.env else None
    if isinstance(cache, dict):
        cache.clear()
