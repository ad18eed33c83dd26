"""The later pages of an archive rendered through one frame.

Pages 2 to N of one archive (``blog/page/2.html``, ``blog/page/3.html`` ...) sit
at one folder depth and differ only in the page's name and in two blocks of
``ablog_ext/collection_page.html``: ``linktags`` (the head's links, with
``rel="prev"``/``"next"``) and ``body`` (the page's entries and its page
navigation).  The rest, the theme's head, navbar, sidebars and footer, is the same
HTML on each, and it is most of a page's cost (about 6.7 ms of 9.3 ms with the
PyData theme: 469 later pages at 1000 posts in pages of 10).

So the first later page of an archive is rendered whole and cut into a frame: the
page with its two blocks and each occurrence of its name taken out.  The second
is rendered whole too, and the frame filled with that page's blocks and name must
give its bytes, or the frame is dropped and that archive's pages are all rendered
whole (a template that shows the page's number, posts or a name derived from its
name outside the two blocks).  From then on a later page of that archive is the
frame filled with its own name and its two blocks, each rendered alone in the
page's own context (the blocks it inherits, ``super()``, included).

Sphinx still makes each page's context and emits ``html-page-context`` for it:
only the template's render is replaced, and, on a page whose archive has a
checked frame, the handlers that only prepare what the frame already holds
(:data:`CHROME_HANDLERS`: pydata-sphinx-theme's renders of each section's
templates to drop the empty ones, and of the page's table of contents, 2 to 4 ms
a page); a page rendered whole after all gets them run first.  What the page reads of the blog
(:mod:`.page_reads`): its blocks' reads are its own; those the frame's page read
outside them are given again with this page's name.
"""

from __future__ import annotations

import posixpath
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from ablog_ext.pages.pagination import PAGE_TEMPLATE, archive_of
from ablog_ext.reaches.sphinx import SPHINX_EVENT_LISTENERS
from ablog_ext.speed import page_reads as fresh
from ablog_ext.state import Slot, build_state

logger = logging.getLogger("ablog_ext.later_pages")

#: Off in tests, to compare the pages with those rendered whole.
REUSE = True

#: The blocks of ``ablog_ext/collection_page.html`` that change from page to page,
#: in the order they stand in a page.
BLOCKS = ("linktags", "body")
#: The frame's gaps: each block, and the page's name.
NAME = "name"

#: ``html-page-context`` handlers (module, function) whose work shows only in what a
#: checked frame holds: pydata-sphinx-theme's tests of which templates are empty
#: and its secondary sidebar's, and ablog_ext's names for the first of them.
CHROME_HANDLERS = (
    ("ablog_ext.speed.sidebars", "skip_empty_check"),
    ("pydata_sphinx_theme", "update_and_remove_templates"),
    ("pydata_sphinx_theme.utils", "set_secondary_sidebar_items"),
)


@dataclass(frozen=True)
class Frame:
    """A later page with its blocks and name taken out, and what its render read
    outside the blocks."""

    #: The text between the gaps (one more than the gaps).
    chunks: tuple[str, ...]
    #: What fills each gap: a block's name, or :data:`NAME`.
    gaps: tuple[str, ...]
    reads: tuple[fresh.Aspect, ...]
    #: The page it was cut from.
    origin: str

    def fill(self, pagename: str, blocks: dict[str, str]) -> str:
        values = {**blocks, NAME: pagename}
        out = [self.chunks[0]]
        for gap, chunk in zip(self.gaps, self.chunks[1:], strict=True):
            out.append(values[gap])
            out.append(chunk)
        return "".join(out)


def cut(html: str, pagename: str, blocks: dict[str, str]) -> tuple[list[str], list[str]] | None:
    """*html* cut around its *blocks* (each found once, in order) and its name:
    the chunks and the gaps between them (``None``: a block is not found once)."""
    chunks, gaps = [""], []

    def text(part: str) -> None:
        pieces = part.split(pagename)
        chunks[-1] += pieces[0]
        for piece in pieces[1:]:
            gaps.append(NAME)
            chunks.append(piece)

    rest = html
    for name in BLOCKS:
        block = blocks[name]
        if not block or html.count(block) != 1 or block not in rest:
            return None
        before, _, rest = rest.partition(block)
        text(before)
        gaps.append(name)
        chunks.append("")
    text(rest)
    return chunks, gaps


class LaterPages:
    """The frames of one build, one an archive and folder depth (``None``: dropped)."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.frames: dict[Hashable, Frame | None] = {}
        #: Each page's key (:meth:`key`).
        self.keys: dict[str, Hashable | None] = {}
        #: Pages cut into a frame before it was checked.
        self.candidates: dict[Hashable, Frame] = {}
        #: The handlers not run for each page, in the order they were skipped.
        self.skipped: dict[str, list[Any]] = {}
        #: Pages rendered whole, filled in a frame, and handlers skipped (for tests
        #: and profiles).
        self.rendered = 0
        self.filled = 0
        self.handlers_skipped = 0

    def framed(self, pagename: str) -> bool:
        """Whether *pagename* is a later page whose archive has a checked frame."""
        if not REUSE or not self.frames:
            return False
        key = self.key(pagename)
        return key is not None and self.frames.get(key) is not None

    def key(self, pagename: str) -> Hashable | None:
        """The archive and folder depth of a later page (``None``: not a later page);
        asked by each skipped handler and the render, so worked out once a page."""
        if pagename not in self.keys:
            archive = archive_of(pagename)
            if archive == pagename:
                self.keys[pagename] = None
            else:
                target = self.app.builder.get_target_uri(pagename)
                self.keys[pagename] = (archive, posixpath.dirname(target).count("/"))
        return self.keys[pagename]

    def render(self, template: Any, context: dict[str, Any]) -> str:
        pagename = context.get("pagename")
        if not REUSE or not isinstance(pagename, str):
            return self.whole(template, context)
        skipped = self.skipped.pop(pagename, [])
        key = self.key(pagename)
        frame = self.frames.get(key) if key is not None else None
        if frame is not None:
            blocks = self.blocks(template, context)
            if blocks is not None:
                fresh.replay(self.app, pagename, frame.reads, frame.origin)
                self.filled += 1
                return frame.fill(pagename, blocks)
        if skipped:
            # Not reached while the template is the one the frame was checked with.
            logger.warning(
                "a page of posts rendered without its frame, after %s",
                ", ".join(handler.__name__ for handler in skipped),
                type="ablog_ext",
                subtype="later_pages",
                location=pagename,
            )
            for handler in skipped:
                handler(self.app, pagename, PAGE_TEMPLATE, context, None)
        if key is None or frame is not None or key in self.frames:
            return self.whole(template, context)
        with fresh.capturing(self.app, pagename) as page_reads:
            html = self.whole(template, context)
        with fresh.capturing(self.app, pagename) as block_reads:
            blocks = self.blocks(template, context)
        self.check(key, pagename, html, blocks, page_reads, block_reads)
        return html

    def check(
        self,
        key: Hashable,
        pagename: str,
        html: str,
        blocks: dict[str, str] | None,
        page_reads: list[fresh.Aspect] | None,
        block_reads: list[fresh.Aspect] | None,
    ) -> None:
        """Cut the first page of *key* into a frame; keep the frame if it gives the
        second page's bytes; drop it otherwise."""
        candidate = self.candidates.pop(key, None)
        if candidate is not None:
            same = blocks is not None and candidate.fill(pagename, blocks) == html
            self.frames[key] = candidate if same else None
            return
        found = cut(html, pagename, blocks) if blocks is not None else None
        inside = set(block_reads or ())
        outside = tuple(
            dict.fromkeys(aspect for aspect in page_reads or () if aspect not in inside)
        )
        if found is None or not fresh.portable(outside, pagename):
            self.frames[key] = None
            return
        chunks, gaps = found
        self.candidates[key] = Frame(tuple(chunks), tuple(gaps), outside, pagename)

    def whole(self, template: Any, context: dict[str, Any]) -> str:
        self.rendered += 1
        return str(template.render(context))

    def blocks(self, template: Any, context: dict[str, Any]) -> dict[str, str] | None:
        """The page's blocks, each rendered alone in its context (``None``: the
        template is not one that has them)."""
        environment = template.environment
        jinja_context = template.new_context(dict(context))
        # The page's root runs until its layout writes its first text: by then each
        # template it extends has put its blocks in the context (``super()``), and
        # its top-level ``set`` values are set.
        root = template.root_render_func(jinja_context)
        try:
            next(root)
        except StopIteration:
            return None
        except Exception:
            environment.handle_exception()
        finally:
            root.close()
        found = {}
        for name in BLOCKS:
            functions = jinja_context.blocks.get(name)
            if not functions:
                return None
            try:
                found[name] = environment.concat(functions[0](jinja_context))
            except Exception:
                environment.handle_exception()
        return found


def _unless_framed(later: LaterPages, handler: Any) -> Any:
    def handler_unless_framed(
        app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
    ) -> Any:
        if templatename == PAGE_TEMPLATE and later.framed(pagename):
            later.skipped.setdefault(pagename, []).append(handler)
            later.handlers_skipped += 1
            return None
        return handler(app, pagename, templatename, context, doctree)

    return handler_unless_framed


def skip_chrome_handlers(app: Sphinx) -> None:
    """``builder-inited``, once the theme has connected its handlers: each of
    :data:`CHROME_HANDLERS` found is skipped on a page filled in a checked frame.
    Each keeps its place among the handlers (a listener replaced in Sphinx's list,
    :data:`~ablog_ext.reaches.sphinx.SPHINX_EVENT_LISTENERS`); one not found stays."""
    later = later_pages(app)
    if later is None or not SPHINX_EVENT_LISTENERS.on(app):
        return
    listeners = getattr(app.events, SPHINX_EVENT_LISTENERS.attribute)["html-page-context"]
    if not isinstance(listeners, list):
        return
    for module, function in CHROME_HANDLERS:
        for listener in SPHINX_EVENT_LISTENERS.find(app, "html-page-context", module, function):
            if not hasattr(listener, "_replace"):
                return
            index = listeners.index(listener)
            handler = _unless_framed(later, listener.handler)
            listeners[index] = listener._replace(handler=handler)


class FramedPage:
    """Stands in for ``ablog_ext/collection_page.html``: renders a later page
    through its archive's frame (:class:`LaterPages`)."""

    def __init__(self, later: LaterPages, template: Any) -> None:
        self.later = later
        self.template = template

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self.later.render(self.template, dict(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.template, name)


#: Made at ``builder-inited`` with the page template's stand-in (:mod:`.archive_entries`),
#: which holds it: it lasts as that does (emptied by :func:`forget_frames`).
_LATER: Slot[LaterPages] = Slot("later pages: the frames", lasting=True)


def later_pages(app: Sphinx) -> LaterPages | None:
    """This build's frames (``None`` when later pages are rendered whole)."""
    return build_state(app).peek(_LATER)


def start_frames(app: Sphinx) -> LaterPages:
    """The frames of *app*'s builds, made afresh."""
    later = LaterPages(app)
    build_state(app).set(_LATER, later)
    return later


def stop_frames(app: Sphinx) -> None:
    """No frames: later pages are rendered whole."""
    build_state(app).pop(_LATER)


def forget_frames(app: Sphinx, env: Any) -> None:
    """``env-updated``: each build cuts its own frames (the templates, the blog and
    the theme's options may have changed)."""
    later = later_pages(app)
    if later is not None:
        later.frames.clear()
        later.candidates.clear()
        later.keys.clear()
        later.skipped.clear()
