"""What each page read of the blog, recorded while pages are written.

A page's sidebars (ABlog's recent posts, archives, categories, tag cloud, post
card and previous/next links; ablog_ext's feed and review links) show other
posts.  While a page is rendered, its templates read the blog through views
(:mod:`.blog_views`) that note what they read; each page's reads are kept by
this build's :class:`Recorder`, and :mod:`.stale_pages` keeps them, with a
digest of each, in the page cache's file, to find the pages the next build must
write again.

ablog_ext's own context values (feed and review links) are followed the same
way: :func:`watch_context` at setup, :func:`shows` or :func:`watched` when a
page gets one.  HTML rendered once and shown on several pages (kept sidebars,
archive entries) passes on what its one render read: :func:`capturing`,
:func:`replay`.

What this relies on in ABlog, through :mod:`ablog_ext.reaches.ablog`: its ``html_page_context``
handler (:data:`~ablog_ext.reaches.ablog.ABLOG_PAGE_CONTEXT`; without it, every page depends on
the whole blog).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ablog_ext.pages.render import writes_html_pages
from ablog_ext.reaches.ablog import ABLOG_PAGE_CONTEXT
from ablog_ext.speed.blog_views import Aspect, AspectKind, Reads, post_key, wrap
from ablog_ext.speed.page_cache import page_output
from ablog_ext.state import Slot, build_state

__all__ = [
    "Aspect",
    "AspectKind",
    "ContextSource",
    "Recorder",
    "applies",
    "capturing",
    "context_sources",
    "portable",
    "post_key",
    "recorder",
    "replay",
    "shows",
    "take_recorder",
    "watch_context",
    "watch_templates",
    "watched",
]

#: Computes a page's context value named in a ``("context", name, pagename)`` read.
ContextSource = Callable[[Sphinx, str], Any]


class Recorder:
    """The reads of each page this build writes.

    Pages written by ``sphinx-build -j`` worker processes are noted in a file per
    process (the workers send nothing else back), merged when the build finishes.
    """

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.pid = os.getpid()
        self.pages: dict[str, set[Aspect]] = {}
        self.current: Reads | None = None
        self.spool = Path(app.doctreedir) / "ablog_ext_reads"
        #: The spool file of this worker process, and the process that opened it.
        self.fd: int | None = None
        self.fd_pid: int | None = None
        #: Whether templates read the blog through views (ABlog's listener was found).
        self.watching = True

    def start(self, pagename: str) -> Reads:
        output = page_output(self.app, pagename)
        self.current = Reads(self, output)
        if os.getpid() == self.pid:
            self.pages[output] = set()
        else:
            self._spool([output])
        if not self.watching:
            self.current.add(AspectKind.DEEP)
        return self.current

    def page(self, pagename: str) -> Reads:
        """The reads of *pagename*, being rendered."""
        current = self.current
        if current is None or current.output != page_output(self.app, pagename):
            return self.start(pagename)
        return current

    def note(self, output: str, aspect: Aspect) -> None:
        if os.getpid() == self.pid:
            self.pages.setdefault(output, set()).add(aspect)
        else:
            self._spool([output, list(aspect)])

    def _spool(self, entry: list[Any]) -> None:
        # Unbuffered appends: a worker process ends without running any cleanup.
        if self.fd is None or self.fd_pid != os.getpid():
            self.spool.mkdir(parents=True, exist_ok=True)
            path = self.spool / f"{os.getpid()}.jsonl"
            self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            self.fd_pid = os.getpid()
        os.write(self.fd, (json.dumps(entry) + "\n").encode("utf-8"))

    def clear_spool(self) -> None:
        for path in self.spool.glob("*.jsonl") if self.spool.is_dir() else []:
            path.unlink(missing_ok=True)

    def merge_spool(self) -> None:
        """Add what worker processes noted; remove their files."""
        if not self.spool.is_dir():
            return
        for path in sorted(self.spool.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if len(entry) == 1:
                    self.pages[entry[0]] = set()
                else:
                    self.pages.setdefault(entry[0], set()).add(tuple(entry[1]))
            path.unlink(missing_ok=True)


#: This build's recorder: made when a page is first written (or at
#: ``builder-inited``, to note that templates cannot be watched), dropped when
#: the build's reads are kept (:func:`.stale_pages.keep_reads`).
_RECORDER: Slot[Recorder] = Slot("page reads: this build's recorder", Recorder)
#: The context values pages are given, registered at setup: they last.
_CONTEXT_SOURCES: Slot[dict[str, ContextSource]] = Slot(
    "page reads: ablog_ext's context values", lambda app: {}, lasting=True
)


def recorder(app: Sphinx) -> Recorder:
    return build_state(app).get(_RECORDER)


def take_recorder(app: Sphinx) -> Recorder | None:
    """This build's recorder, if pages were recorded, forgotten here."""
    return build_state(app).pop(_RECORDER)


def context_sources(app: Sphinx) -> dict[str, ContextSource]:
    """The context values registered with :func:`watch_context`, by name."""
    return build_state(app).get(_CONTEXT_SOURCES)


def watch_context(app: Sphinx, name: str, source: ContextSource) -> None:
    """At setup: the context value *name* that ablog_ext gives pages is
    ``source(app, pagename)``; pages that get it are written again when it changes."""
    context_sources(app)[name] = source


def shows(app: Sphinx, pagename: str, name: str) -> None:
    """In ``html-page-context``: the page *pagename* shows the context value *name*
    (registered with :func:`watch_context`), whatever its templates read."""
    if applies(app):
        recorder(app).page(pagename).add(AspectKind.CONTEXT, name, pagename)


def watched(app: Sphinx, pagename: str, name: str, items: list[Any]) -> list[Any]:
    """In ``html-page-context``: the context value *name* (registered with
    :func:`watch_context`) of *pagename*, as a list that notes when a template
    reads it (a sidebar that is not shown does not read it)."""
    if not applies(app):
        return items
    return _WatchedList(items, recorder(app).page(pagename), (AspectKind.CONTEXT, name, pagename))


class _WatchedList(list[Any]):
    def __init__(self, items: Iterable[Any], reads: Reads, aspect: Aspect) -> None:
        super().__init__(items)
        self._reads = reads
        self._aspect = aspect

    def _read(self) -> None:
        self._reads.add(*self._aspect)

    def __iter__(self) -> Iterator[Any]:
        self._read()
        return super().__iter__()

    def __len__(self) -> int:
        self._read()
        return super().__len__()

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, index: Any) -> Any:
        self._read()
        return super().__getitem__(index)


#: The kinds of read that name the page being rendered, and where: a read of this
#: kind made for one page is, for another page, the same read with its name.
_PAGE_PARTS = {AspectKind.RECENT: 2, AspectKind.CONTEXT: 2}


@contextlib.contextmanager
def capturing(app: Sphinx, pagename: str) -> Iterator[list[Aspect] | None]:
    """What the templates of *pagename* read inside the block (``None`` when no
    page's reads are followed), for HTML kept and shown on other pages."""
    if not applies(app):
        yield None
        return
    reads = recorder(app).page(pagename)
    captured: list[Aspect] = []
    reads.captures.append(captured)
    try:
        yield captured
    finally:
        # By identity: a capture inside this one may hold the same reads.
        for index, other in enumerate(reads.captures):
            if other is captured:
                del reads.captures[index]
                break


def portable(aspects: Iterable[Aspect], pagename: str) -> bool:
    """Whether *aspects*, read while *pagename* was rendered, hold for another page
    once its name is put in (:func:`replay`): nothing else in them names the page."""
    for aspect in aspects:
        position = _PAGE_PARTS.get(aspect[0]) if aspect else None
        if any(part == pagename for index, part in enumerate(aspect) if index != position):
            return False
    return True


def replay(app: Sphinx, pagename: str, aspects: Iterable[Aspect], origin: str) -> None:
    """*pagename* shows HTML made for *origin*: it read what *origin* read there
    (:func:`capturing`), its own name in place of *origin*'s."""
    if not applies(app):
        return
    reads = recorder(app).page(pagename)
    for aspect in aspects:
        position = _PAGE_PARTS.get(aspect[0]) if aspect else None
        if position is not None and len(aspect) > position and aspect[position] == origin:
            aspect = (*aspect[:position], pagename, *aspect[position + 1 :])
        reads.add(*aspect)


def applies(app: Sphinx) -> bool:
    """Pages written one file per page, whose sidebars can show the blog."""
    return writes_html_pages(app) and app.builder.name != "singlehtml"


def _watch_page(original: Callable[..., Any] | None) -> Callable[..., Any]:
    """ABlog's ``html-page-context`` handler (which puts ``ablog`` in the context),
    then every ABlog object of the context replaced by a view."""

    def handler(
        app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
    ) -> Any:
        result = original(app, pagename, templatename, context, doctree) if original else None
        if not applies(app):
            return result
        reads = recorder(app).start(pagename)
        for key, value in list(context.items()):
            view = wrap(value, reads)
            if view is not value:
                context[key] = view
        return result

    return handler


def watch_templates(app: Sphinx) -> None:
    """``builder-inited``: run ABlog's ``html-page-context`` handler inside ours,
    early (before themes render sidebars to see which are empty, as
    pydata-sphinx-theme does), so every template reads the blog through views."""
    # ABlog's handler in its place (without it, _watch_page(None): ABlog's own,
    # renamed, still runs).
    listeners = ABLOG_PAGE_CONTEXT.found(app)
    for listener in listeners:
        app.disconnect(listener.id)
    handler = listeners[0].handler if listeners else None
    app.connect(ABLOG_PAGE_CONTEXT.event, _watch_page(handler), priority=450)
    if not listeners:
        recorder(app).watching = False
