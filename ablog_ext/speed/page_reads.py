"""Every page right after any edit: sidebars never go stale, deleted posts go.

A page's sidebars (ABlog's recent posts, archives, categories, tag cloud, post
card and previous/next links; ablog_ext's feed and review links) show other
posts.  Sphinx writes a page again only when its own source changed, so after an
edit those sidebars would stay stale on every other page until a full build.

While a page is rendered, its templates read the blog through views that note
what they read: "the five most recent posts but this one", "how many posts the
category Career has", "the title and date of this post".  Each read is kept with
the page (in :class:`~.incremental.PageCache`), with a digest of its value.  Once
the next build has read its sources, a page any of whose reads now has another
digest is written again: a document is added to those Sphinx writes (it is not
read again), a generated page is generated again.  A page nothing is known about
(the first build, or after a build that failed) is written again: correctness
first.

So whatever the theme, ``html_sidebars`` or the site's own templates show, the
pages that show it are the ones rewritten: an edit to a post's title, date,
categories or tags, a post added, deleted or turned into a draft rewrites the
pages whose sidebars change; a body-only edit rewrites only the post and, when
the edit is in its excerpt, the pages that show the excerpt.

A post whose source is gone (deleted, renamed, left out) leaves its page behind
in Sphinx's output; :func:`finish` removes it, with its ``_sources`` copy, unless
another page now has its address (a redirect from the old URL).

What this relies on in ABlog, through :mod:`ablog_ext.reaches.ablog`: its
``html_page_context`` handler (:data:`~ablog_ext.reaches.ablog.ABLOG_PAGE_CONTEXT`;
without it, every page depends on the whole blog), its shared blog
(:data:`~ablog_ext.reaches.ablog.ABLOG_BLOG_STATE`) and posts
(:data:`~ablog_ext.reaches.ablog.ABLOG_ENV_POSTS`); and the public attributes of ``Blog``,
``Catalog``, ``Collection`` and ``Post`` that its templates read (one the views
do not know makes the page depend on the whole blog; one that can no longer be
read makes it be written again).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ablog.blog import Blog, Catalog, Collection, Post
from ablog.post import register_posts
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ablog_ext.pages.render import writes_html_pages
from ablog_ext.reaches.ablog import ABLOG_ENV_POSTS, ABLOG_PAGE_CONTEXT
from ablog_ext.reading.post_doctree import ablog_env_posts
from ablog_ext.speed.page_cache import PageCache, excerpt_digest, page_cache, page_output, revision
from ablog_ext.speed.parallel import reset_blog

logger = logging.getLogger("ablog_ext.fresh")

#: One thing a page read: a kind, then scalars (``("count", "tags", "python")``).
Aspect = tuple[Any, ...]
#: Computes a page's context value named in a ``("context", name, pagename)`` read.
ContextSource = Callable[[Sphinx, str], Any]

#: ABlog's catalogs, by the attribute of ``Blog`` (and ``Catalog.name``) that holds them.
CATALOGS = ("archive", "tags", "author", "location", "language", "category", "blog")
#: The ``Post`` attributes :func:`_post_state` covers.
POST_STATE = frozenset(
    {
        "docname",
        "section",
        "title",
        "date",
        "update",
        "published",
        "draft",
        "canonical_link",
        "external_link",
        "nocomments",
        "redirect",
        "order",
    }
)
#: ``Post`` attributes that hold the post's collections (its catalogs' names).
POST_NAMES = ("tags", "author", "category", "location", "language")
#: What a page shows of a post's body: its revision is their digest.  The excerpt
#: (``excerpt``, ``to_html`` without ``fulltext``) is read as ``excerpt`` instead:
#: a digest of its tree, so an edit below it leaves the archive pages alone.
POST_BODY = frozenset({"excerpt", "doctree", "to_html", "options"})
#: ``Catalog`` and ``Collection`` attributes that come from the configuration
#: (a changed configuration rewrites every page anyway).
CATALOG_STATIC = frozenset({"name", "xref", "path", "docname", "title"})
COLLECTION_STATIC = frozenset({"label", "name", "href", "path", "docname", "xref", "page", "title"})
BLOG_STATIC = frozenset({"feed_path", "page_id", "page_url", "config"})


# -- What a page read: the recording views -----------------------------------------------


class Reads:
    """What the page being rendered read of the blog."""

    def __init__(self, recorder: Recorder, output: str) -> None:
        self.recorder = recorder
        self.output = output
        self.seen: set[Aspect] = set()
        #: Open captures (:func:`capturing`): each gets every read, repeated or not.
        self.captures: list[list[Aspect]] = []

    def add(self, *aspect: Any) -> None:
        for capture in self.captures:
            capture.append(aspect)
        try:
            if aspect in self.seen:  # most reads repeat: keep this path short
                return
        except TypeError:  # a part that cannot be hashed: noted as text
            aspect = tuple(map(str, aspect))
            if aspect in self.seen:
                return
        self.seen.add(aspect)
        self.recorder.note(self.output, tuple(_scalar(part) for part in aspect))


def _scalar(value: Any) -> Any:
    """A part of an aspect, as JSON keeps it."""
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def _unwrap(value: Any) -> Any:
    return value._raw if isinstance(value, _View) else value


class _View:
    """Forwards to an ABlog object and notes what a template reads of it."""

    __slots__ = ("_raw", "_reads")

    def __init__(self, raw: Any, reads: Reads) -> None:
        self._raw = raw
        self._reads = reads

    def __str__(self) -> str:
        return str(self._raw)

    def __eq__(self, other: object) -> bool:
        return bool(self._raw == _unwrap(other))

    def __hash__(self) -> int:
        return hash(self._raw)

    def _deep(self, name: str) -> Any:
        """An attribute nothing here knows: the page depends on the whole blog."""
        value = getattr(self._raw, name)
        self._reads.add("deep")
        return value


class BlogView(_View):
    """ABlog's ``Blog`` (the ``ablog`` of every template)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raw = self._raw
        if name in CATALOGS:
            return CatalogView(getattr(raw, name), self._reads)
        if name == "catalogs":
            return {key: CatalogView(value, self._reads) for key, value in raw.catalogs.items()}
        if name in ("posts", "drafts"):
            return CollectionView(getattr(raw, name), self._reads)
        if name == "recent":
            return self.recent
        if name in BLOG_STATIC or name in raw.config:
            return getattr(raw, name)
        return self._deep(name)

    def recent(self, num: Any = None, docname: Any = None, **labels: Any) -> list[Any]:
        self._reads.add("recent", num, docname)
        return [PostView(post, self._reads) for post in self._raw.recent(num, docname, **labels)]

    def __getitem__(self, key: Any) -> Any:
        self._reads.add("post", key)
        return _wrap(self._raw[key], self._reads)

    def __contains__(self, key: Any) -> bool:
        self._reads.add("post", key)
        return key in self._raw

    def __len__(self) -> int:
        self._reads.add("count", "blog", "post")
        return len(self._raw)

    def __bool__(self) -> bool:
        return len(self) > 0


class CatalogView(_View):
    """One of ABlog's catalogs (archive, tags, categories...)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in CATALOG_STATIC:
            return getattr(self._raw, name)
        if name == "collections":
            self._reads.add("catalog", self._raw.name)
            return {
                key: CollectionView(value, self._reads)
                for key, value in self._raw.collections.items()
            }
        return self._deep(name)

    def __iter__(self) -> Iterator[CollectionView]:
        self._reads.add("catalog", self._raw.name)
        for collection in self._raw:
            yield CollectionView(collection, self._reads)

    def __getitem__(self, label: Any) -> CollectionView:
        self._reads.add("catalog", self._raw.name)
        return CollectionView(self._raw[label], self._reads)

    def __contains__(self, item: Any) -> bool:
        return any(collection == item for collection in self)

    def __len__(self) -> int:
        self._reads.add("catalog-len", self._raw.name)
        return len(self._raw)

    def __bool__(self) -> bool:
        return len(self) > 0


class CollectionView(_View):
    """One collection of posts: a year, a tag, a category, all posts..."""

    __slots__ = ()

    @property
    def _key(self) -> tuple[str, Any]:
        return self._raw.catalog.name, self._raw.label

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in COLLECTION_STATIC:
            return getattr(self._raw, name)
        if name == "catalog":
            return CatalogView(self._raw.catalog, self._reads)
        if name == "relsize":
            return self.relsize
        return self._deep(name)

    def relsize(self, maxsize: int = 5, minsize: int = 1) -> int:
        self._reads.add("sizes", self._raw.catalog.name)
        return int(self._raw.relsize(maxsize, minsize))

    def __len__(self) -> int:
        self._reads.add("count", *self._key)
        return len(self._raw)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[PostView]:
        self._reads.add("members", *self._key)
        for post in self._raw:
            yield PostView(post, self._reads)

    def __getitem__(self, key: Any) -> Any:
        self._reads.add("members", *self._key)
        return _wrap(self._raw[key], self._reads)

    def __contains__(self, item: Any) -> bool:
        self._reads.add("members", *self._key)
        return _unwrap(item) in self._raw

    def __lt__(self, other: Any) -> bool:
        return bool(self._raw < _unwrap(other))

    def __gt__(self, other: Any) -> bool:
        return bool(self._raw > _unwrap(other))


class PostView(_View):
    """One post, as a sidebar, an archive page or a redirect shows it."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raw = self._raw
        if name in ("prev", "next"):
            self._reads.add("link", post_key(raw), name)
            return _wrap(getattr(raw, name), self._reads)
        value = getattr(raw, name)
        if name in POST_STATE:
            self._reads.add("post", post_key(raw))
            return value
        if name == "to_html":
            self._reads.add("post", post_key(raw))
            return _recorded_to_html(raw, value, self._reads)
        if name == "excerpt":
            self._reads.add("excerpt", post_key(raw))
        elif name in POST_BODY:
            self._reads.add("body", raw.docname)
        elif name not in POST_NAMES and name != "archive":
            return self._deep(name)
        self._reads.add("post", post_key(raw))
        return _wrap(value, self._reads)

    def __str__(self) -> str:
        self._reads.add("post", post_key(self._raw))
        return str(self._raw)

    def __lt__(self, other: Any) -> bool:
        self._reads.add("post", post_key(self._raw))
        if isinstance(other, PostView):
            self._reads.add("post", post_key(other._raw))
        return bool(self._raw < _unwrap(other))


def _recorded_to_html(post: Any, to_html: Callable[..., Any], reads: Reads) -> Callable[..., Any]:
    """ABlog's ``Post.to_html(pagename, fulltext=False, ...)``: the excerpt, or with
    ``fulltext`` the whole text, is what the page shows."""

    def recorded(*args: Any, **kwargs: Any) -> Any:
        fulltext = kwargs["fulltext"] if "fulltext" in kwargs else len(args) > 1 and args[1]
        if fulltext:
            reads.add("body", post.docname)
        else:
            reads.add("excerpt", post_key(post))
        return to_html(*args, **kwargs)

    return recorded


def _wrap(value: Any, reads: Reads) -> Any:
    """*value* seen through a view, if it is one of ABlog's objects (or a list of them)."""
    if isinstance(value, _ABLOG_TYPES):
        for kind, view in _VIEWS:
            if isinstance(value, kind):
                return view(value, reads)
    if isinstance(value, list) and any(isinstance(item, _ABLOG_TYPES) for item in value):
        return [_wrap(item, reads) for item in value]
    return value


_VIEWS: tuple[tuple[type, type[_View]], ...] = (
    (Post, PostView),
    (Collection, CollectionView),
    (Catalog, CatalogView),
    (Blog, BlogView),
)
_ABLOG_TYPES = (Post, Collection, Catalog, Blog)


def post_key(post: Any) -> str:
    """ABlog's name of a post: ``docname``, or ``docname#section`` for a section post."""
    section = getattr(post, "section", "") or ""
    return f"{post.docname}#{section}" if section else str(post.docname)


# -- Recording while pages are written ---------------------------------------------------


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
            self.current.add("deep")
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


_RECORDERS: weakref.WeakKeyDictionary[Sphinx, Recorder] = weakref.WeakKeyDictionary()
_SOURCES: weakref.WeakKeyDictionary[Sphinx, dict[str, ContextSource]] = weakref.WeakKeyDictionary()


def recorder(app: Sphinx) -> Recorder:
    if app not in _RECORDERS:
        _RECORDERS[app] = Recorder(app)
    return _RECORDERS[app]


def watch_context(app: Sphinx, name: str, source: ContextSource) -> None:
    """At setup: the context value *name* that ablog_ext gives pages is
    ``source(app, pagename)``; pages that get it are written again when it changes."""
    _SOURCES.setdefault(app, {})[name] = source


def shows(app: Sphinx, pagename: str, name: str) -> None:
    """In ``html-page-context``: the page *pagename* shows the context value *name*
    (registered with :func:`watch_context`), whatever its templates read."""
    if _applies(app):
        recorder(app).page(pagename).add("context", name, pagename)


def watched(app: Sphinx, pagename: str, name: str, items: list[Any]) -> list[Any]:
    """In ``html-page-context``: the context value *name* (registered with
    :func:`watch_context`) of *pagename*, as a list that notes when a template
    reads it (a sidebar that is not shown does not read it)."""
    if not _applies(app):
        return items
    return _WatchedList(items, recorder(app).page(pagename), ("context", name, pagename))


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
_PAGE_PARTS = {"recent": 2, "context": 2}


@contextlib.contextmanager
def capturing(app: Sphinx, pagename: str) -> Iterator[list[Aspect] | None]:
    """What the templates of *pagename* read inside the block (``None`` when no
    page's reads are followed), for HTML kept and shown on other pages."""
    if not _applies(app):
        yield None
        return
    reads = recorder(app).page(pagename)
    captured: list[Aspect] = []
    reads.captures.append(captured)
    try:
        yield captured
    finally:
        reads.captures.remove(captured)


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
    if not _applies(app):
        return
    reads = recorder(app).page(pagename)
    for aspect in aspects:
        position = _PAGE_PARTS.get(aspect[0]) if aspect else None
        if position is not None and len(aspect) > position and aspect[position] == origin:
            aspect = (*aspect[:position], pagename, *aspect[position + 1 :])
        reads.add(*aspect)


def _applies(app: Sphinx) -> bool:
    """Pages written one file per page, whose sidebars can show the blog."""
    return writes_html_pages(app) and app.builder.name != "singlehtml"


def _watch_page(original: Callable[..., Any] | None) -> Callable[..., Any]:
    """ABlog's ``html-page-context`` handler (which puts ``ablog`` in the context),
    then every ABlog object of the context replaced by a view."""

    def handler(
        app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
    ) -> Any:
        result = original(app, pagename, templatename, context, doctree) if original else None
        if not _applies(app):
            return result
        reads = recorder(app).start(pagename)
        for key, value in list(context.items()):
            view = _wrap(value, reads)
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


# -- Digests: what each read gives now ---------------------------------------------------


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _names(value: Any) -> list[str]:
    if not isinstance(value, list | tuple):
        return [str(value)] if value else []
    return [str(getattr(item, "label", item)) for item in value]


def _post_state(post: Any) -> Any:
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
        self.sources = _SOURCES.get(app, {})
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

    def _catalog(self, name: Any) -> Any:
        if name not in CATALOGS:
            return None
        return getattr(self.blog, name)

    def _collection(self, catalog: Any, label: Any) -> Any:
        found = self._catalog(catalog)
        if found is None:
            return None
        return found.collections.get(label)

    def value(self, aspect: Aspect) -> Any:
        kind, *args = aspect
        blog = self.blog
        if kind == "post":
            return _post_state(blog[args[0]])
        if kind == "link":
            post = blog[args[0]]
            neighbour = getattr(post, args[1]) if post is not None else None
            return post_key(neighbour) if hasattr(neighbour, "docname") else repr(neighbour)
        if kind == "recent":
            return [post_key(post) for post in blog.recent(args[0], args[1])]
        if kind == "catalog":
            catalog = self._catalog(args[0])
            if catalog is None:
                return None
            return [(_scalar(c.label), str(c), c.docname, c.href) for c in catalog]
        if kind == "catalog-len":
            catalog = self._catalog(args[0])
            return None if catalog is None else len(catalog)
        if kind == "sizes":
            catalog = self._catalog(args[0])
            if catalog is None:
                return None
            return sorted(len(c) for c in catalog.collections.values())
        if kind == "count":
            collection = self._collection(args[0], args[1])
            return None if collection is None else len(collection)
        if kind == "members":
            collection = self._collection(args[0], args[1])
            return None if collection is None else [post_key(post) for post in collection]
        if kind == "body":
            return revision(self.app, args[0])
        if kind == "excerpt":
            post = blog[args[0]]
            return None if post is None else excerpt_digest(post)
        if kind == "context":
            source = self.sources.get(args[0])
            return ("unknown",) if source is None else source(self.app, args[1])
        return self.everything()

    def everything(self) -> Any:
        """For a template that read what no view knows: every post and catalog."""
        posts = [*self.blog.posts, *self.blog.drafts]
        return (
            sorted(
                (post_key(p), repr(_post_state(p)), revision(self.app, p.docname)) for p in posts
            ),
            [
                (name, [(_scalar(c.label), len(c)) for c in self._catalog(name)])
                for name in CATALOGS
            ],
        )


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


_FRESHNESS: weakref.WeakKeyDictionary[Sphinx, Freshness] = weakref.WeakKeyDictionary()


def freshness(app: Sphinx) -> Freshness:
    if app not in _FRESHNESS:
        _FRESHNESS[app] = Freshness(app, page_cache(app))
    return _FRESHNESS[app]


def stale_output(app: Sphinx, output: str) -> bool:
    """For :meth:`.PageCache.wanted`: whether a generated page shows something else now."""
    return _applies(app) and freshness(app).stale(output)


# -- The build's steps -------------------------------------------------------------------


def document_outputs(app: Sphinx, docnames: Iterable[str]) -> dict[str, str]:
    return {page_output(app, docname): docname for docname in docnames}


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: documents that show something of the blog that changed.

    They are written again, not read again.
    """
    register_blog(app)
    if not _applies(app):
        return []
    state = freshness(app)
    outputs = document_outputs(app, env.found_docs)
    stale = sorted(docname for output, docname in outputs.items() if state.stale(output))
    if stale and state.known:
        logger.info("ablog_ext: %d page(s) show changed posts; writing them again", len(stale))
    return stale


def forget_reads(app: Sphinx, builder: Any) -> None:
    """``write-started``: until this build finishes, what the pages show is unknown
    (an interrupted build leaves some pages written and others not): the page
    cache's file keeps only what the next build may need to remove (posts,
    generated pages), not what they showed."""
    if not _applies(app):
        return
    freshness(app)  # read before the file changes
    cache = page_cache(app)
    previous = cache.stored.get("posts")
    posts = set(previous) if isinstance(previous, list) else set()
    posts |= _post_docnames(app.env) | _REMOVED.get(app, set())
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


#: Posts removed from the sources, seen when Sphinx looked for outdated documents.
_REMOVED: weakref.WeakKeyDictionary[Sphinx, set[str]] = weakref.WeakKeyDictionary()


def note_removed_posts(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: the posts among the removed documents (their data is
    purged right after)."""
    posts = _post_docnames(env)
    _REMOVED.setdefault(app, set()).update(name for name in removed if name in posts)
    return []


def _post_docnames(env: BuildEnvironment) -> set[str]:
    from ablog_ext.blog.domain import blog_domain

    return set(ablog_env_posts(env)) | set(blog_domain(env).posts)


def finish(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, before the page cache is saved: keep each page's reads;
    remove the pages of posts that are gone."""
    removed = _REMOVED.pop(app, set())
    record = _RECORDERS.pop(app, None)
    state = _FRESHNESS.pop(app, None)
    if exception is not None or not _applies(app):
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
    _remove_deleted_posts(app, cache, removed, produced)
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
    cache.extra["posts"] = sorted(_post_docnames(env))


def _remove_deleted_posts(
    app: Sphinx, cache: PageCache, removed: set[str], produced: set[str]
) -> None:
    """The page and ``_sources`` copy of each post the sources no longer have, unless
    this build made a page at that address (a redirect from the post's old URL)."""
    env = app.env
    previous = cache.stored.get("posts")
    gone = (set(previous) if isinstance(previous, list) else set()) | removed
    gone -= env.found_docs
    if not gone:
        return
    sources = {_source_copy(app, docname, None) for docname in env.found_docs}
    outdir = Path(app.outdir).resolve()
    removed_pages = 0
    for docname in sorted(gone):
        page = page_output(app, docname)
        if page not in produced and remove_output(outdir, page):
            removed_pages += 1
        for suffix in app.config.source_suffix:
            copy = _source_copy(app, docname, suffix)
            if copy not in sources:
                remove_output(outdir, copy)
    if removed_pages:
        logger.info("ablog_ext: removed the page(s) of %d deleted post(s)", removed_pages)


def _source_copy(app: Sphinx, docname: str, suffix: str | None) -> str:
    """Where Sphinx copies a document's source (``_sources/<docname><suffix>.txt``)."""
    if suffix is None:
        suffix = Path(str(app.env.doc2path(docname, False))).suffix
    name = f"{docname}{suffix}"
    link_suffix = app.config.html_sourcelink_suffix
    if link_suffix and not name.endswith(link_suffix):
        name += link_suffix
    return f"_sources/{name}"


def remove_output(outdir: Path, output: str) -> bool:
    """Remove the file *output* of the output folder, and the folders it leaves empty
    (``dirhtml``'s ``old/index.html``); nothing outside the output folder."""
    target = (outdir / output).resolve()
    if outdir not in target.parents or not target.is_file():
        return False
    target.unlink()
    folder = target.parent
    while folder != outdir and outdir in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent
    return True


def setup_fresh(app: Sphinx) -> None:
    app.connect("builder-inited", watch_templates)
    app.connect("env-get-outdated", note_removed_posts)
    app.connect("env-updated", pages_to_rewrite)
    app.connect("write-started", forget_reads)
    # Before incremental.finish, which saves the page cache.
    app.connect("build-finished", finish, priority=400)
