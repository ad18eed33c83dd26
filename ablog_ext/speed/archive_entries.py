"""Each post's entry on ABlog's archive pages rendered once per build.

ABlog's ``ablog/collection.html`` renders, for every archive page (each category,
tag, year, author, ..., and the blog's page of all posts), every post of that
archive: its title, date, names, excerpt and "Read more" link.  The loop's body
of ABlog's own template file is cut out (:data:`~ablog_ext.reaches.ablog.ABLOG_COLLECTION_ENTRIES`)
and each post's entry is rendered once, with a placeholder for each link
(``pathto``); every archive page that lists the post gets that HTML with its own
links put in: the links are all an entry's HTML changes with, link base and all
(on a post's own tag page the link to the tag is ``#``).  An excerpt whose HTML
depends on the page's folder (:func:`~ablog_ext.speed.post_html.excerpt_folder_free`) is
rendered once per folder.  A page where a link would be changed by escaping, or
where the placeholders did not all come out as they went in, renders its own.

What a page shows must still be followed (:mod:`.page_reads`): the reads of the one
render are given again to each page that shows the entry.

A site whose own templates hold ``ablog/collection.html`` or
``ablog/postcard2.html`` (which each entry includes) gets its templates, rendered
as they are; so does a blog with Disqus comments (its entries name the page).
"""

from __future__ import annotations

import posixpath
import re
import uuid
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup, escape
from sphinx.application import Sphinx

from ablog_ext.pages.pagination import PAGE_TEMPLATE
from ablog_ext.pages.render import writes_html_pages
from ablog_ext.reaches.ablog import ABLOG_COLLECTION_ENTRIES
from ablog_ext.reaches.sphinx import SPHINX_TEMPLATES
from ablog_ext.speed import later_pages, sidebars, stale_pages
from ablog_ext.speed import page_reads as fresh
from ablog_ext.speed.post_html import excerpt_folder_free
from ablog_ext.speed.templates import compile_template, replace_template_lookup
from ablog_ext.state import Slot, build_state

#: Off in tests, to compare the pages with those rendered entry by entry.
REUSE = True

#: ABlog's archive template, and the template each entry includes.
COLLECTION = "ablog/collection.html"
POSTCARD = "ablog/postcard2.html"


@dataclass(frozen=True)
class Entry:
    """One post's entry, with a placeholder for each link, and what its render read."""

    parts: tuple[str, ...]
    #: Each link's ``pathto`` arguments, one per placeholder, in order.
    links: tuple[tuple[tuple[Any, ...], tuple[tuple[str, Any], ...]], ...]
    reads: tuple[fresh.Aspect, ...]
    #: The page it was rendered for.
    origin: str
    #: What each read gave then (:func:`.stale_pages.digests_of`).
    digests: tuple[str, ...] | None = None


class Entries:
    """The archive entries kept in one build of one application."""

    def __init__(self, app: Sphinx, template: Any) -> None:
        self.app = app
        self.template = template
        self.kept: dict[Hashable, Entry | None] = {}
        #: Entries of earlier builds, each shown again when nothing it read
        #: changed since (:func:`forget_entries`).
        self.last: dict[Hashable, Entry] = {}
        # Placeholders nothing in a page can hold by chance.
        self.mark = f"\x1aablog-ext-{uuid.uuid4().hex}-"
        self.pattern = re.compile(re.escape(self.mark) + r"(\d+)\x1a")
        #: Entries shown, and rendered (for tests and profiles).
        self.shown = 0
        self.rendered = 0

    def key(self, post: Any, context: dict[str, Any]) -> Hashable:
        """What makes *post*'s entry differ from page to page, links apart
        (``None``: rendered on each page)."""
        raw, blog = sidebars._raw(post), sidebars._raw(context.get("ablog"))
        pagename = context.get("pagename")
        if not isinstance(getattr(raw, "docname", None), str) or blog is None:
            return None
        if not isinstance(pagename, str) or not callable(context.get("pathto")):
            return None
        # Its comment link names the page (ablog[pagename]).
        if getattr(blog, "disqus_shortname", None):
            return None
        name = fresh.post_key(raw)
        try:
            # As to_html decides: its HTML is kept per folder, or once.
            folder_free = excerpt_folder_free(raw)
        except Exception:
            folder_free = False
        if folder_free:
            return (name,)
        # Its excerpt is rendered for the folder of the archive page.
        target = self.app.builder.get_target_uri(pagename)
        return (name, posixpath.dirname(target))

    def html(self, context: Any, post: Any) -> Markup:
        variables = dict(context.get_all())
        variables["post"] = post
        self.shown += 1
        key = self.key(post, variables)
        if key is None:
            return self.render(variables)
        pagename = variables["pagename"]
        last = self.last.pop(key, None) if key not in self.kept else None
        if last is not None and stale_pages.unchanged(self.app, last.reads, last.digests):
            self.kept[key] = last
        if key not in self.kept:
            with fresh.capturing(self.app, pagename) as reads:
                entry = self.render_marked(variables)
            if entry is not None and fresh.portable(reads or (), pagename):
                once = _once(reads or ())
                # Kept between builds: only an excerpt the same in every folder.
                folder_free = isinstance(key, tuple) and len(key) == 1
                digests = stale_pages.digests_of(self.app, once) if folder_free else None
                entry = Entry(entry.parts, entry.links, once, pagename, digests)
                self.kept[key] = entry
                return self.fill(entry, variables["pathto"]) or self.render(variables)
            self.kept[key] = None
            return self.render(variables)
        entry = self.kept[key]
        filled = self.fill(entry, variables["pathto"]) if entry is not None else None
        if filled is None:
            return self.render(variables)
        assert entry is not None
        fresh.replay(self.app, pagename, entry.reads, entry.origin)
        return filled

    def fill(self, entry: Entry, pathto: Any) -> Markup | None:
        """*entry* with this page's links (``None``: one would be escaped)."""
        out = [entry.parts[0]]
        for (args, kwargs), part in zip(entry.links, entry.parts[1:], strict=True):
            uri = pathto(*args, **dict(kwargs))
            if not isinstance(uri, str) or str(escape(uri)) != uri:
                return None
            out.append(uri)
            out.append(part)
        return Markup("".join(out))

    def render_marked(self, variables: dict[str, Any]) -> Entry | None:
        """The entry with a placeholder for each link (``None``: the placeholders
        did not come out once each, as they went in)."""
        pathto = variables["pathto"]
        links: list[tuple[tuple[Any, ...], tuple[tuple[str, Any], ...]]] = []

        def marking_pathto(*args: Any, **kwargs: Any) -> Any:
            uri = pathto(*args, **kwargs)
            if not isinstance(uri, str):
                return uri
            links.append((args, tuple(sorted(kwargs.items()))))
            return f"{self.mark}{len(links) - 1}\x1a"

        html = self.render({**variables, "pathto": marking_pathto})
        pieces = self.pattern.split(html)
        found = [int(number) for number in pieces[1::2]]
        if found != list(range(len(links))) or self.mark in "".join(pieces[::2]):
            return None
        return Entry(tuple(pieces[::2]), tuple(links), (), "")

    def render(self, variables: dict[str, Any]) -> Markup:
        template = self.template
        self.rendered += 1
        try:
            html = template.environment.concat(
                template.root_render_func(template.new_context(variables))
            )
        except Exception:
            template.environment.handle_exception()
        return Markup(html)


def _once(reads: Any) -> tuple[fresh.Aspect, ...]:
    reads = tuple(reads)
    try:
        return tuple(dict.fromkeys(reads))
    except TypeError:  # a part that cannot be hashed: kept as read
        return reads


#: Made at ``builder-inited``, when the stand-in that uses it is put in the
#: builder's templates: it lasts as that does (emptied by :func:`forget_entries`).
_ENTRIES: Slot[Entries] = Slot("archive entries: the kept HTML", lasting=True)


def entries(app: Sphinx) -> Entries | None:
    """This build's kept archive entries (``None`` when rendered page by page)."""
    return build_state(app).peek(_ENTRIES)


def _is_ours(environment: Any, name: str) -> bool:
    try:
        template = environment.get_template(name)
    except Exception:
        return False
    return sidebars.ours(getattr(template, "template", template))


def keep_entries(app: Sphinx) -> None:
    """``builder-inited``: ABlog's archive template, looked up in the builder's
    Jinja environment, comes back with its loop's body replaced by a call that
    keeps each entry's HTML."""
    build_state(app).pop(_ENTRIES)
    later_pages.stop_frames(app)
    # singlehtml's links carry the page's anchor; other builders write no archive.
    if not REUSE or not writes_html_pages(app) or app.builder.name == "singlehtml":
        return
    if not ABLOG_COLLECTION_ENTRIES.on(app):
        return
    split = ABLOG_COLLECTION_ENTRIES.split()
    environment = SPHINX_TEMPLATES.environment(app)
    if isinstance(split, str) or environment is None:
        return
    collection_source, entry_source = split
    kept = Entries(app, compile_template(environment, entry_source, COLLECTION))
    later = later_pages.start_frames(app)

    @jinja2.pass_context
    def collection_entry(context: Any, post: Any) -> Markup:
        return kept.html(context, post)

    globals_ = {ABLOG_COLLECTION_ENTRIES.FUNCTION: collection_entry}

    def wanted(name: str, template: Any) -> bool:
        if name == PAGE_TEMPLATE:
            return True
        return name == COLLECTION and sidebars.ours(template) and _is_ours(environment, POSTCARD)

    def stand_in(name: str, template: Any) -> Any:
        if name == PAGE_TEMPLATE:
            # It extends ABlog's: the blocks it inherits render in its own context.
            page = object.__new__(type(template))
            page.__dict__.update(template.__dict__)
            page.globals = environment.make_globals({**template.globals, **globals_})
            # A later page of an archive: its archive's frame, filled.
            return later_pages.FramedPage(later, page)
        # ABlog's file name: errors and profiles name the file the text is from.
        filename = getattr(template, "filename", None)
        return compile_template(environment, collection_source, COLLECTION, filename, globals_)

    if replace_template_lookup(app, wanted=wanted, stand_in=stand_in):
        build_state(app).set(_ENTRIES, kept)
    else:
        later_pages.stop_frames(app)


def forget_entries(app: Sphinx, env: Any) -> None:
    """``env-updated``: each build of an application renders its entries afresh
    (posts may have changed since its last build), but for an entry whose reads
    all give what they gave when it was rendered (:func:`.stale_pages.unchanged`)
    and whose excerpt is the same in every folder (one that links or numbers
    anything may show what another document says, which its reads do not cover):
    a server that builds again after an edit renders only the entries it changed."""
    kept = entries(app)
    if kept is None:
        return
    carried = {**kept.last, **kept.kept}
    kept.last = {
        key: entry
        for key, entry in carried.items()
        if entry is not None
        and entry.digests is not None
        and str(key[0]).split("#", 1)[0] in env.found_docs  # type: ignore[index]
    }
    kept.kept = {}
