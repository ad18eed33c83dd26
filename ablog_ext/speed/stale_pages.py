"""Every page right after any edit: sidebars never go stale.

A page's sidebars (ABlog's recent posts, archives, categories, tag cloud, post
card and previous/next links; ablog_ext's feed and review links) show other
posts.  Sphinx writes a page again only when its own source changed, so after an
edit those sidebars would stay stale on every other page until a full build.

What each page read while it was rendered (:mod:`.page_reads`) is kept with the
page (in :class:`~.page_cache.PageCache`'s file), with a digest of its value.
Once the next build has read its sources, a page any of whose reads now has
another digest is written again: a document is added to those Sphinx writes (it
is not read again), a generated page is generated again.  A page nothing is
known about (the first build, or after a build that failed) is written again:
correctness first.

So whatever the theme, ``html_sidebars`` or the site's own templates show, the
pages that show it are the ones rewritten: an edit to a post's title, date,
categories or tags, a post added, deleted or turned into a draft rewrites the
pages whose sidebars change; a body-only edit rewrites only the post and, when
the edit is in its excerpt, the pages that show the excerpt.  The pages of
posts that are gone are removed by :mod:`.deleted_posts`.

What this relies on in ABlog, through :mod:`ablog_ext.reaches.ablog`: its shared blog
(:data:`~ablog_ext.reaches.ablog.ABLOG_BLOG_STATE`) and posts
(:data:`~ablog_ext.reaches.ablog.ABLOG_ENV_POSTS`); and the public attributes of ``Blog``,
``Catalog``, ``Collection`` and ``Post`` that its templates read (one the views
do not know makes the page depend on the whole blog; one that can no longer be
read makes it be written again).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from typing import Any

from ablog.blog import Blog
from ablog.post import register_posts
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ablog_ext.reaches.ablog import ABLOG_ENV_POSTS
from ablog_ext.reading.post_doctree import ablog_env_posts
from ablog_ext.speed import deleted_posts
from ablog_ext.speed.blog_views import CATALOGS, POST_NAMES, Aspect, AspectKind, post_key, scalar
from ablog_ext.speed.page_cache import (
    PageCache,
    excerpt_digest,
    outdated_when,
    page_cache,
    page_output,
    revision,
)
from ablog_ext.speed.page_reads import applies, context_sources, recorder, take_recorder
from ablog_ext.speed.parallel import reset_blog
from ablog_ext.speed.post_html import excerpt_prefix
from ablog_ext.state import Slot, build_state

logger = logging.getLogger("ablog_ext.fresh")


# -- Digests: what each read gives now ---------------------------------------------------


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _names(value: Any) -> list[str]:
    if not isinstance(value, list | tuple):
        return [str(value)] if value else []
    return [str(getattr(item, "label", item)) for item in value]


def post_state(post: Any) -> Any:
    """Everything a page may show of *post* but its body."""
    if post is None:
        return None
    return (
        post.docname,
        post.section,
        post.title,
        _iso(post.date),
        _iso(post.update),
        bool(post.published),
        post.canonical_link,
        post.external_link,
        bool(post.nocomments),
        repr(post.redirect),
        bool(post.order),
        [_names(getattr(post, name, None)) for name in POST_NAMES],
    )


def register_blog(app: Sphinx) -> Blog:
    """ABlog's ``Blog`` made afresh from every post Sphinx knows.

    While reading, ABlog adds an empty collection to the blog for each name of each
    post it reads (its year, even a draft's; its tags), and later only adds posts:
    the empty collections, which templates iterate over, would depend on which
    documents this build happened to read.
    """
    reset_blog(app)
    blog = Blog(app)
    if not ABLOG_ENV_POSTS.on(app):
        register_posts(app)
        return blog
    # ABlog's register_posts, in document order: posts of the same date and title
    # keep one order whatever order Sphinx read them in.
    for docname, posts in sorted(ablog_env_posts(app.env).items()):
        for info in posts:
            blog.register(docname, info)
    return blog


class Digests:
    """The value of each read, now, hashed: computed once per build."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.blog = Blog(app)
        self.sources = context_sources(app)
        self.memo: dict[Aspect, str] = {}

    def __call__(self, aspect: Aspect) -> str:
        if aspect not in self.memo:
            try:
                value = self.value(aspect)
            except Exception:  # a read that cannot be made again: take it as changed
                value = ("unreadable", os.urandom(8))
            text = repr(value).encode("utf-8", "surrogatepass")
            self.memo[aspect] = hashlib.sha256(text).hexdigest()[:16]
        return self.memo[aspect]

    def value(self, aspect: Aspect) -> Any:
        kind, *args = aspect
        try:
            decode = _VALUES[AspectKind(kind)]
        except ValueError:  # a kind this version does not make: as a deep read
            return self.everything()
        return decode(self, args)

    def _catalog(self, name: Any) -> Any:
        if name not in CATALOGS:
            return None
        return getattr(self.blog, name)

    def _collection(self, catalog: Any, label: Any) -> Any:
        found = self._catalog(catalog)
        if found is None:
            return None
        return found.collections.get(label)

    def post(self, args: list[Any]) -> Any:
        return post_state(self.blog[args[0]])

    def link(self, args: list[Any]) -> Any:
        post = self.blog[args[0]]
        neighbour = getattr(post, args[1]) if post is not None else None
        return post_key(neighbour) if hasattr(neighbour, "docname") else repr(neighbour)

    def recent(self, args: list[Any]) -> Any:
        return [post_key(post) for post in self.blog.recent(args[0], args[1])]

    def catalog(self, args: list[Any]) -> Any:
        catalog = self._catalog(args[0])
        if catalog is None:
            return None
        return [(scalar(c.label), str(c), c.docname, c.href) for c in catalog]

    def catalog_len(self, args: list[Any]) -> Any:
        catalog = self._catalog(args[0])
        return None if catalog is None else len(catalog)

    def sizes(self, args: list[Any]) -> Any:
        catalog = self._catalog(args[0])
        if catalog is None:
            return None
        return sorted(len(c) for c in catalog.collections.values())

    def count(self, args: list[Any]) -> Any:
        collection = self._collection(args[0], args[1])
        return None if collection is None else len(collection)

    def members(self, args: list[Any]) -> Any:
        collection = self._collection(args[0], args[1])
        return None if collection is None else [post_key(post) for post in collection]

    def body(self, args: list[Any]) -> Any:
        return revision(self.app, args[0])

    def excerpt(self, args: list[Any]) -> Any:
        post = self.blog[args[0]]
        return None if post is None else (excerpt_digest(post), excerpt_prefix(self.app, post))

    def context(self, args: list[Any]) -> Any:
        source = self.sources.get(args[0])
        return ("unknown",) if source is None else source(self.app, args[1])

    def deep(self, args: list[Any]) -> Any:
        return self.everything()

    def everything(self) -> Any:
        """For a template that read what no view knows: every post and catalog."""
        posts = [*self.blog.posts, *self.blog.drafts]
        return (
            sorted(
                (post_key(p), repr(post_state(p)), revision(self.app, p.docname)) for p in posts
            ),
            [(name, [(scalar(c.label), len(c)) for c in self._catalog(name)]) for name in CATALOGS],
        )


#: What each kind of read gives now (the method of :class:`Digests` computing it).
_VALUES: dict[AspectKind, Callable[[Digests, list[Any]], Any]] = {
    AspectKind.POST: Digests.post,
    AspectKind.LINK: Digests.link,
    AspectKind.RECENT: Digests.recent,
    AspectKind.CATALOG: Digests.catalog,
    AspectKind.CATALOG_LEN: Digests.catalog_len,
    AspectKind.SIZES: Digests.sizes,
    AspectKind.COUNT: Digests.count,
    AspectKind.MEMBERS: Digests.members,
    AspectKind.BODY: Digests.body,
    AspectKind.EXCERPT: Digests.excerpt,
    AspectKind.CONTEXT: Digests.context,
    AspectKind.DEEP: Digests.deep,
}


class Freshness:
    """The last build's reads of each page, against what they give now."""

    def __init__(self, app: Sphinx, cache: PageCache) -> None:
        self.app = app
        self.table: list[tuple[Aspect, str]] = []
        self.reads: dict[str, list[int]] = {}
        #: Whether the last build's reads are known (else every page is written again).
        self.known = True
        try:
            self.table = [(tuple(aspect), str(digest)) for aspect, digest in cache.stored["table"]]
            self.reads = {
                str(output): [int(index) for index in ids]
                for output, ids in cache.stored["reads"].items()
            }
        except (KeyError, TypeError, ValueError, AttributeError):
            self.table, self.reads, self.known = [], {}, False
        self._digests: Digests | None = None
        self._stale_ids: dict[int, bool] = {}

    @property
    def digests(self) -> Digests:
        if self._digests is None:
            self._digests = Digests(self.app)
        return self._digests

    def stale(self, output: str) -> bool:
        """Whether the page *output* would show something else now.  A page the last
        build did not render through templates (a redirect written as it is, a new
        document) read nothing; when the last build's reads are not known, any page
        may show anything."""
        ids = self.reads.get(output)
        if ids is None:
            return not self.known
        for index in ids:
            if index not in self._stale_ids:
                try:
                    aspect, digest = self.table[index]
                except IndexError:
                    self._stale_ids[index] = True
                    continue
                self._stale_ids[index] = self.digests(aspect) != digest
            if self._stale_ids[index]:
                return True
        return False

    def previous(self, output: str) -> dict[Aspect, str]:
        return {self.table[i][0]: self.table[i][1] for i in self.reads.get(output, ())}


#: The last build's reads, against this build's blog: made when first asked
#: for, dropped when this build's reads are kept (:func:`keep_reads`).
_FRESHNESS: Slot[Freshness] = Slot(
    "stale pages: the last build's reads", lambda app: Freshness(app, page_cache(app))
)


def freshness(app: Sphinx) -> Freshness:
    return build_state(app).get(_FRESHNESS)


def digests_of(app: Sphinx, aspects: Iterable[Aspect]) -> tuple[str, ...] | None:
    """What each of *aspects* gives now, hashed (``None`` when no page's reads are
    followed): for HTML kept between builds (:mod:`.archive_entries`)."""
    if not applies(app):
        return None
    digests = freshness(app).digests
    return tuple(digests(tuple(aspect)) for aspect in aspects)


def unchanged(app: Sphinx, aspects: Iterable[Aspect], digests: tuple[str, ...] | None) -> bool:
    """Whether *aspects* give now what they gave when :func:`digests_of` gave *digests*."""
    return digests is not None and digests_of(app, aspects) == digests


def stale_output(app: Sphinx, output: str) -> bool:
    """For :meth:`.PageCache.wanted`: whether a generated page shows something else now."""
    return applies(app) and freshness(app).stale(output)


# -- The build's steps -------------------------------------------------------------------


def document_outputs(app: Sphinx, docnames: Iterable[str]) -> dict[str, str]:
    return {page_output(app, docname): docname for docname in docnames}


#: Set by ``ablog-ext serve`` (:func:`defer_rewrites`): the documents that show
#: something of the blog that changed are found after the pages an author looks
#: at are written (:func:`stale_documents`), not when the documents are read.
_DEFERRED: Slot[bool] = Slot("stale pages: found after the pages looked at", lasting=True)


def defer_rewrites(app: Sphinx, deferred: bool = True) -> None:
    """From the next build of *app* on, :func:`pages_to_rewrite` leaves the
    documents to write again to whoever writes the pages (it must call
    :func:`stale_documents` before the build finishes)."""
    build_state(app).set(_DEFERRED, deferred)


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: documents that show something of the blog that changed.

    They are written again, not read again.  Under ``ablog-ext serve`` they are
    found later (:func:`defer_rewrites`).
    """
    register_blog(app)
    if not applies(app) or build_state(app).peek(_DEFERRED):
        return []
    return stale_documents(app, env.found_docs)


def stale_documents(app: Sphinx, docnames: Iterable[str]) -> list[str]:
    """Those of *docnames* whose pages show something of the blog that changed."""
    if not applies(app):
        return []
    if templates_changed(app):
        # Sphinx writes every document again after a template is edited or added,
        # not after one is removed.
        return sorted(docnames)
    state = freshness(app)
    outputs = document_outputs(app, docnames)
    stale = sorted(docname for output, docname in outputs.items() if state.stale(output))
    if stale and state.known:
        logger.info("ablog_ext: %d page(s) show changed posts; writing them again", len(stale))
    return stale


def forget_reads(app: Sphinx, builder: Any) -> None:
    """``write-started``: until this build finishes, what the pages show is unknown
    (an interrupted build leaves some pages written and others not): the page
    cache's file keeps only what the next build may need to remove (posts,
    generated pages), not what they showed."""
    if not applies(app):
        return
    freshness(app)  # read before the file changes
    cache = page_cache(app)
    previous = cache.stored.get("posts")
    posts = set(previous) if isinstance(previous, list) else set()
    posts |= deleted_posts.post_docnames(app.env) | deleted_posts.removed_posts(app)
    # Generated pages keep their names (so the next build can remove those it no
    # longer makes) but lose their fingerprints (so each is written again).
    pages = dict.fromkeys(sorted(set(cache.previous) | set(cache.current)), "")
    kept = {
        "outdir": str(app.outdir),
        "builder": app.builder.name,
        "pages": pages,
        "posts": sorted(posts),
    }
    cache.path.parent.mkdir(parents=True, exist_ok=True)
    cache.path.write_text(json.dumps(kept), encoding="utf-8")
    recorder(app).clear_spool()


def keep_reads(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, before the page cache is saved: keep each page's reads;
    remove the pages of posts that are gone."""
    removed = deleted_posts.take_removed_posts(app)
    record = take_recorder(app)
    state = build_state(app).pop(_FRESHNESS)
    if exception is not None or not applies(app):
        return
    cache = page_cache(app)
    if not cache.generated:
        return  # nothing was written (Sphinx 8.0, nothing out of date): records stand
    if state is None:
        state = Freshness(app, cache)
    if record is not None:
        record.merge_spool()
    written = record.pages if record is not None else {}
    env = app.env
    documents = document_outputs(app, env.found_docs)
    produced = set(documents) | set(cache.current) | set(written)
    deleted_posts.remove_deleted_posts(app, cache, removed, produced)
    table: dict[tuple[Aspect, str], int] = {}
    reads: dict[str, list[int]] = {}
    for output in sorted(produced):
        if output in written:
            aspects = {aspect: state.digests(aspect) for aspect in written[output]}
        elif output in state.reads:
            aspects = state.previous(output)
        else:
            continue
        reads[output] = sorted(
            table.setdefault((aspect, digest), len(table))
            for aspect, digest in sorted(aspects.items(), key=repr)
        )
    cache.extra["table"] = [[list(aspect), digest] for aspect, digest in table]
    cache.extra["reads"] = reads
    cache.extra["posts"] = sorted(deleted_posts.post_docnames(env))
    cache.extra["templates"] = cache.templates


def templates_changed(app: Sphinx) -> bool:
    """Whether the site's own templates differ from those of the last build whose
    pages this build's follow (one added, edited or removed)."""
    cache = page_cache(app)
    last = cache.stored.get("templates")
    return last is not None and last != cache.templates


def setup_fresh(app: Sphinx) -> None:
    outdated_when(app, stale_output)
