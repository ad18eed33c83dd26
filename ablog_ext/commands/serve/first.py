"""The pages an author looks at, written first.

After an edit that changes what many pages show (a title, a category, a post
added), Sphinx rewrites every such page, in the order of their names.  Here the
documents of the files just saved, and the pages open in a browser (each page's
live-reload script names itself), come first, and the server sends a page as soon
as this build has written it: the others are sent once the build is over, so no
page that the build may still rewrite is ever sent stale.

The order is: those documents; then what Sphinx's ``finish`` writes (the
generated pages: ``blog.html`` that lists a new post, the archives, the feeds,
the search index); then every other document, and the search index again.  The
builder's ``_write_serial`` (the loop over the documents to write, called with
their names sorted), ``handle_page`` (which writes one page) and ``finish`` are
wrapped on the builder object itself; with another Sphinx that lacks one of them,
pages are written in Sphinx's order and sent when the build ends.
"""

from __future__ import annotations

import collections
import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import PurePosixPath
from typing import Any

from sphinx.application import Sphinx


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

    def install(self, app: Sphinx) -> None:
        builder = app.builder
        write_serial = getattr(builder, "_write_serial", None)
        handle_page = getattr(builder, "handle_page", None)
        finish = getattr(builder, "finish", None)
        dump_index = getattr(builder, "dump_search_index", None)
        if not (
            callable(write_serial)
            and callable(handle_page)
            and callable(finish)
            and callable(dump_index)
        ):
            return
        # On the object: another application's builder keeps Sphinx's own.
        setattr(builder, "_write_serial", self._ordered(write_serial))  # noqa: B010
        setattr(builder, "handle_page", self._noted(handle_page))  # noqa: B010
        setattr(builder, "finish", self._finish(finish, write_serial, dump_index))  # noqa: B010

    def _ordered(self, write_serial: Callable[[Sequence[str]], None]) -> Callable[..., None]:
        """The documents looked at are written; the others wait for :meth:`_finish`."""

        def ordered(docnames: Sequence[str]) -> None:
            with self._condition:
                opened = list(self.open)
            wanted = [name for name in [*self.first, *opened] if name in docnames]
            first = list(dict.fromkeys(wanted))
            if not first:  # nothing looked at (the first build): Sphinx's order
                write_serial(docnames)
                return
            chosen = set(first)
            self.deferred = [name for name in docnames if name not in chosen]
            write_serial(first)

        return ordered

    def _finish(
        self,
        finish: Callable[[], None],
        write_serial: Callable[[Sequence[str]], None],
        dump_index: Callable[[], None],
    ) -> Callable[[], None]:
        """Sphinx's ``finish`` (the generated pages: ``blog.html``, the archives, the
        feeds; the search index), then the documents not looked at, and the search
        index again with their text."""

        def finished() -> None:
            finish()
            rest, self.deferred = self.deferred, []
            if rest:
                write_serial(rest)
                dump_index()

        return finished

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
            self.first = sorted(
                str(PurePosixPath(path).with_suffix("")) for path in changed if "." in path
            )

    @contextlib.contextmanager
    def opened(self, page: str | None) -> Iterator[None]:
        """While the block runs, *page* is open in a browser."""
        if page is None:
            yield
            return
        with self._condition:
            self.open[page] += 1
        try:
            yield
        finally:
            with self._condition:
                self.open[page] -= 1
                if self.open[page] <= 0:
                    del self.open[page]


def page_name(path: str) -> str | None:
    """The page a URL path names (``/posts/a.html``: ``posts/a``; ``/``: ``index``),
    or ``None`` for a file that is not a page."""
    path = path.lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path[: -len(".html")] if path.endswith(".html") else None
