"""The pages an author looks at, written first.

After an edit that changes what many pages show (a title, a category, a post
added), Sphinx rewrites every such page, in the order of their names.  Here the
pages looked at come first: the documents of the files just saved, the pages
open in a browser (each page's live-reload script names itself) and the pages a
request is waiting for.  The server sends a page as soon as this build has
written it: the others are sent once the build is over, so no page that the
build may still rewrite is ever sent stale.

The order is: the documents looked at; then what Sphinx's ``finish`` writes
(the generated pages: ``blog.html`` that lists a new post, the archives, the
feeds, the search index), the pages looked at first; then every other document
(those Sphinx found out of date, and those that show something of the blog that
changed, found only now: :func:`~ablog_ext.speed.stale_pages.defer_rewrites`),
again the pages looked at first, and the search index again.  A page requested
while the others are written is the next one written.

The builder's ``_write_serial`` (the loop over the documents to write, called
with their names sorted), ``handle_page`` (which writes one page),
``gen_pages_from_extensions`` (the generated pages) and ``finish`` are wrapped
on the builder object itself; with another Sphinx that lacks one of them, pages
are written in Sphinx's order and sent when the build ends.
"""

from __future__ import annotations

import collections
import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import PurePosixPath
from typing import Any, TypeVar

from sphinx.application import Sphinx

from ablog_ext.speed import stale_pages

T = TypeVar("T")
#: A generated page: its name, context and template.
Page = tuple[str, dict[str, Any], str]
#: The builder methods wrapped (:meth:`PagesFirst.install`).
_WRAPPED = (
    "_write_serial",
    "handle_page",
    "gen_pages_from_extensions",
    "finish",
    "dump_search_index",
)


class PagesFirst:
    def __init__(self, condition: threading.Condition) -> None:
        self._condition = condition
        #: Documents to write first in the build under way.
        self.first: list[str] = []
        #: Pages the build under way has written.
        self.written: set[str] = set()
        #: Documents to write after the generated pages.
        self.deferred: list[str] = []
        #: Pages open in a browser (by their live-reload streams), counted.
        self.open: collections.Counter[str] = collections.Counter()
        #: Pages a request waits for, counted.
        self.requested: collections.Counter[str] = collections.Counter()
        #: Whether the builder's methods are wrapped (the application's last).
        self.installed = False
        #: Whether the build under way got to ``finish``.
        self.finished = False
        #: Which source of generated pages gave each page in the last build (its
        #: place among the ``html-collect-pages`` results).
        self._origins: dict[str, int] = {}

    def install(self, app: Sphinx) -> None:
        builder = app.builder
        methods = {name: getattr(builder, name, None) for name in _WRAPPED}
        self.installed = all(callable(method) for method in methods.values())
        self._origins = {}
        if not self.installed:
            return
        write_serial, handle_page = methods["_write_serial"], methods["handle_page"]
        assert write_serial is not None and handle_page is not None
        wrapped = {
            "_write_serial": self._ordered(app, write_serial),
            "handle_page": self._noted(handle_page),
            "gen_pages_from_extensions": self._generated(app),
            "finish": self._finish(app, methods),
        }
        # On the object: another application's builder keeps Sphinx's own.
        for name, method in wrapped.items():
            setattr(builder, name, method)
        stale_pages.defer_rewrites(app)

    def looked_at(self) -> list[str]:
        """The pages looked at, not yet written in this build: the documents of
        the files saved, the pages requested, the pages open."""
        with self._condition:
            names = [*self.first, *self.requested, *self.open]
        return [name for name in dict.fromkeys(names) if name not in self.written]

    def _ordered(
        self, app: Sphinx, write_serial: Callable[[Sequence[str]], None]
    ) -> Callable[..., None]:
        """The documents looked at are written; the others wait for :meth:`_finish`."""

        def ordered(docnames: Sequence[str]) -> None:
            wanted = set(docnames)
            looked_at = self.looked_at()
            # A page looked at that shows something of the blog that changed.
            shows = self._stale_documents(app, [n for n in looked_at if n not in wanted], wanted)
            first = [name for name in looked_at if name in wanted or name in shows]
            if not first:  # nothing looked at (the first build): Sphinx's order
                write_serial(docnames)
                self.deferred = shows
                return
            chosen = set(first)
            self.deferred = [name for name in [*docnames, *shows] if name not in chosen]
            write_serial(first)

        return ordered

    def _generated(self, app: Sphinx) -> Callable[[], None]:
        """Sphinx's ``gen_pages_from_extensions``: each page of each source of
        generated pages (``html-collect-pages``), those looked at first (the
        source that gave one in the last build goes first)."""

        def generated() -> None:
            handle_page = app.builder.handle_page  # type: ignore[attr-defined]
            sources = [iter(pages) for pages in app.emit("html-collect-pages")]
            looked_at = self.looked_at()
            # Nothing looked at (the first build): Sphinx's order, each page written
            # as it comes.
            in_order = not looked_at
            origins = {self._origins.get(name) for name in looked_at}
            order = sorted(range(len(sources)), key=lambda index: index not in origins)
            later: list[Page] = []
            for index in order:
                for page in sources[index]:
                    self._origins[page[0]] = index
                    if in_order or page[0] in self.looked_at():
                        handle_page(*page)
                    else:
                        later.append(page)
            self._write_in_turn(later, lambda page: page[0], lambda page: handle_page(*page))

        return generated

    def _finish(self, app: Sphinx, methods: dict[str, Any]) -> Callable[[], None]:
        """Sphinx's ``finish`` (the generated pages: ``blog.html``, the archives, the
        feeds; the search index), then the documents not looked at, those that show
        something of the blog that changed, and the search index again."""
        finish, write_serial = methods["finish"], methods["_write_serial"]
        dump_index = methods["dump_search_index"]

        def finished() -> None:
            finish()
            self.finished = True
            rest, self.deferred = self.deferred, []
            pending = set(rest)
            unwritten = [name for name in app.env.found_docs if name not in self.written]
            rest += self._stale_documents(app, unwritten, pending)
            if rest:
                self._write_in_turn(rest, str, lambda name: write_serial([name]))
                dump_index()

        return finished

    def _stale_documents(
        self, app: Sphinx, candidates: Iterable[str], pending: set[str]
    ) -> list[str]:
        """Those of the documents *candidates* that show something of the blog that
        changed, but those written or *pending*, and the documents whose toctrees
        show them (as Sphinx adds them to the documents it writes), each taken out
        of the search index until it is written."""
        env = app.env
        names = [n for n in candidates if n not in self.written and n not in pending]
        stale = stale_pages.stale_documents(app, [n for n in names if n in env.found_docs])
        parents = {
            parent
            for name in stale
            for parent in env.files_to_rebuild.get(name, ())
            if parent in env.found_docs and parent not in self.written and parent not in pending
        }
        stale = sorted(set(stale) | parents)
        indexer = getattr(app.builder, "indexer", None)
        if stale and indexer is not None:
            indexer.prune(set(env.all_docs) - set(stale))
        return stale

    def _write_in_turn(
        self, items: list[T], name_of: Callable[[T], str], write: Callable[[T], Any]
    ) -> None:
        """Write each of *items* in order, but a page looked at meanwhile next."""
        pending = collections.Counter(name_of(item) for item in items)
        queue = collections.deque(items)
        while queue:
            item = queue.popleft()
            looked_at = [name for name in self.looked_at() if pending[name] > 0]
            if looked_at:
                queue.appendleft(item)
                item = next(item for item in queue if name_of(item) in looked_at)
                queue.remove(item)
            pending[name_of(item)] -= 1
            write(item)

    def _noted(self, handle_page: Callable[..., Any]) -> Callable[..., Any]:
        def noted(pagename: str, *args: Any, **kwargs: Any) -> Any:
            result = handle_page(pagename, *args, **kwargs)
            with self._condition:
                self.written.add(pagename)
                self._condition.notify_all()
            return result

        return noted

    def start_build(self, changed: Iterable[str]) -> None:
        """Before a build: the documents of the *changed* files go first."""
        with self._condition:
            self.written.clear()
            self.finished = False
            self.first = sorted(
                str(PurePosixPath(path).with_suffix("")) for path in changed if "." in path
            )

    @contextlib.contextmanager
    def opened(self, page: str | None) -> Iterator[None]:
        """While the block runs, *page* is open in a browser."""
        with self._counted(self.open, page):
            yield

    @contextlib.contextmanager
    def requesting(self, page: str) -> Iterator[None]:
        """While the block runs, a request waits for *page*."""
        with self._counted(self.requested, page):
            yield

    @contextlib.contextmanager
    def _counted(self, counter: collections.Counter[str], page: str | None) -> Iterator[None]:
        if page is None:
            yield
            return
        with self._condition:
            counter[page] += 1
        try:
            yield
        finally:
            with self._condition:
                counter[page] -= 1
                if counter[page] <= 0:
                    del counter[page]


def page_name(path: str) -> str | None:
    """The page a URL path names (``/posts/a.html``: ``posts/a``; ``/``: ``index``),
    or ``None`` for a file that is not a page."""
    path = path.lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path[: -len(".html")] if path.endswith(".html") else None
