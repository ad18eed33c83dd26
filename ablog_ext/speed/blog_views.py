"""What a page read of the blog: views on ABlog's objects that note each read.

While a page is rendered, its templates read the blog through views that note
what they read: "the five most recent posts but this one", "how many posts the
category Career has", "the title and date of this post".  Each read is an
:data:`Aspect`: its :class:`AspectKind`, then scalars
(``("count", "tags", "python")``), kept with the page in the page cache's file
as JSON (the kind as its string).  :mod:`.stale_pages` computes what each kind
gives now.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from ablog.blog import Blog, Catalog, Collection, Post

if TYPE_CHECKING:
    from ablog_ext.speed.page_reads import Recorder


class AspectKind(enum.StrEnum):
    """What a page read; its value is what the page cache's file keeps."""

    #: ``(post key,)``: everything a page may show of the post but its body.
    POST = "post"
    #: ``(post key, "prev" | "next")``: the post's neighbour.
    LINK = "link"
    #: ``(num, docname)``: ``ablog.recent(num, docname)``.
    RECENT = "recent"
    #: ``(catalog,)``: the catalog's collections, their labels and links.
    CATALOG = "catalog"
    #: ``(catalog,)``: how many collections the catalog has.
    CATALOG_LEN = "catalog-len"
    #: ``(catalog,)``: the sizes of its collections (a tag cloud's relsize).
    SIZES = "sizes"
    #: ``(catalog, label)``: how many posts the collection has.
    COUNT = "count"
    #: ``(catalog, label)``: the posts of the collection.
    MEMBERS = "members"
    #: ``(docname,)``: the whole text of a post (its revision).
    BODY = "body"
    #: ``(post key,)``: a post's excerpt.
    EXCERPT = "excerpt"
    #: ``(name, pagename)``: a context value ablog_ext gives the page.
    CONTEXT = "context"
    #: ``()``: what no view knows: the page depends on the whole blog.
    DEEP = "deep"


#: One thing a page read: a kind, then scalars (``("count", "tags", "python")``).
Aspect = tuple[Any, ...]

#: ABlog's catalogs, by the attribute of ``Blog`` (and ``Catalog.name``) that holds them.
CATALOGS = ("archive", "tags", "author", "location", "language", "category", "blog")
#: The ``Post`` attributes :func:`.stale_pages.post_state` covers.
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


class Reads:
    """What the page being rendered read of the blog."""

    def __init__(self, recorder: Recorder, output: str) -> None:
        self.recorder = recorder
        self.output = output
        self.seen: set[Aspect] = set()
        #: Open captures (:func:`.page_reads.capturing`): each gets every read, repeated or not.
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
        self.recorder.note(self.output, tuple(scalar(part) for part in aspect))


def scalar(value: Any) -> Any:
    """A part of an aspect, as JSON keeps it (a kind as its plain string: the
    records are sorted by their ``repr``)."""
    if isinstance(value, AspectKind):
        return value.value
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def _unwrap(value: Any) -> Any:
    return value._raw if isinstance(value, _View) else value


class _View:
    """Forwards to an ABlog object and notes what a template reads of it."""

    __slots__ = ("_raw", "_reads")
    #: Attributes that come from the configuration: passed through, not noted.
    _STATIC: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, raw: Any, reads: Reads) -> None:
        self._raw = raw
        self._reads = reads

    def __str__(self) -> str:
        return str(self._raw)

    def __eq__(self, other: object) -> bool:
        return bool(self._raw == _unwrap(other))

    def __hash__(self) -> int:
        return hash(self._raw)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in self._STATIC:
            return getattr(self._raw, name)
        return self._read(name)

    def _read(self, name: str) -> Any:
        """An attribute that shows something of the blog: noted as what it shows."""
        return self._deep(name)

    def _deep(self, name: str) -> Any:
        """An attribute nothing here knows: the page depends on the whole blog."""
        value = getattr(self._raw, name)
        self._reads.add(AspectKind.DEEP)
        return value


class _SizedView(_View):
    """A view of a blog, catalog or collection: its length is a read too."""

    __slots__ = ()

    def _length_read(self) -> Aspect:
        """What reading the length shows of the blog."""
        raise NotImplementedError

    def __len__(self) -> int:
        self._reads.add(*self._length_read())
        return len(self._raw)

    def __bool__(self) -> bool:
        return len(self) > 0


class BlogView(_SizedView):
    """ABlog's ``Blog`` (the ``ablog`` of every template)."""

    __slots__ = ()
    _STATIC = BLOG_STATIC

    def _read(self, name: str) -> Any:
        raw = self._raw
        if name in CATALOGS:
            return CatalogView(getattr(raw, name), self._reads)
        if name == "catalogs":
            return {key: CatalogView(value, self._reads) for key, value in raw.catalogs.items()}
        if name in ("posts", "drafts"):
            return CollectionView(getattr(raw, name), self._reads)
        if name == "recent":
            return self.recent
        if name in raw.config:
            return getattr(raw, name)
        return self._deep(name)

    def recent(self, num: Any = None, docname: Any = None, **labels: Any) -> list[Any]:
        self._reads.add(AspectKind.RECENT, num, docname)
        return [PostView(post, self._reads) for post in self._raw.recent(num, docname, **labels)]

    def __getitem__(self, key: Any) -> Any:
        self._reads.add(AspectKind.POST, key)
        return wrap(self._raw[key], self._reads)

    def __contains__(self, key: Any) -> bool:
        self._reads.add(AspectKind.POST, key)
        return key in self._raw

    def _length_read(self) -> Aspect:
        return (AspectKind.COUNT, "blog", "post")


class CatalogView(_SizedView):
    """One of ABlog's catalogs (archive, tags, categories...)."""

    __slots__ = ()
    _STATIC = CATALOG_STATIC

    def _read(self, name: str) -> Any:
        if name == "collections":
            self._reads.add(AspectKind.CATALOG, self._raw.name)
            return {
                key: CollectionView(value, self._reads)
                for key, value in self._raw.collections.items()
            }
        return self._deep(name)

    def __iter__(self) -> Iterator[CollectionView]:
        self._reads.add(AspectKind.CATALOG, self._raw.name)
        for collection in self._raw:
            yield CollectionView(collection, self._reads)

    def __getitem__(self, label: Any) -> CollectionView:
        self._reads.add(AspectKind.CATALOG, self._raw.name)
        return CollectionView(self._raw[label], self._reads)

    def __contains__(self, item: Any) -> bool:
        return any(collection == item for collection in self)

    def _length_read(self) -> Aspect:
        return (AspectKind.CATALOG_LEN, self._raw.name)


class CollectionView(_SizedView):
    """One collection of posts: a year, a tag, a category, all posts..."""

    __slots__ = ()
    _STATIC = COLLECTION_STATIC

    @property
    def _key(self) -> tuple[str, Any]:
        return self._raw.catalog.name, self._raw.label

    def _read(self, name: str) -> Any:
        if name == "catalog":
            return CatalogView(self._raw.catalog, self._reads)
        if name == "relsize":
            return self.relsize
        return self._deep(name)

    def relsize(self, maxsize: int = 5, minsize: int = 1) -> int:
        self._reads.add(AspectKind.SIZES, self._raw.catalog.name)
        return int(self._raw.relsize(maxsize, minsize))

    def _length_read(self) -> Aspect:
        return (AspectKind.COUNT, *self._key)

    def __iter__(self) -> Iterator[PostView]:
        self._reads.add(AspectKind.MEMBERS, *self._key)
        for post in self._raw:
            yield PostView(post, self._reads)

    def __getitem__(self, key: Any) -> Any:
        self._reads.add(AspectKind.MEMBERS, *self._key)
        return wrap(self._raw[key], self._reads)

    def __contains__(self, item: Any) -> bool:
        self._reads.add(AspectKind.MEMBERS, *self._key)
        return _unwrap(item) in self._raw

    def __lt__(self, other: Any) -> bool:
        return bool(self._raw < _unwrap(other))

    def __gt__(self, other: Any) -> bool:
        return bool(self._raw > _unwrap(other))


class PostView(_View):
    """One post, as a sidebar, an archive page or a redirect shows it."""

    __slots__ = ()

    def _read(self, name: str) -> Any:
        raw = self._raw
        if name in ("prev", "next"):
            self._reads.add(AspectKind.LINK, post_key(raw), name)
            return wrap(getattr(raw, name), self._reads)
        value = getattr(raw, name)
        if name in POST_STATE:
            self._reads.add(AspectKind.POST, post_key(raw))
            return value
        if name == "to_html":
            self._reads.add(AspectKind.POST, post_key(raw))
            return _recorded_to_html(raw, value, self._reads)
        if name == "excerpt":
            self._reads.add(AspectKind.EXCERPT, post_key(raw))
        elif name in POST_BODY:
            self._reads.add(AspectKind.BODY, raw.docname)
        elif name not in POST_NAMES and name != "archive":
            return self._deep(name)
        self._reads.add(AspectKind.POST, post_key(raw))
        return wrap(value, self._reads)

    def __str__(self) -> str:
        self._reads.add(AspectKind.POST, post_key(self._raw))
        return str(self._raw)

    def __lt__(self, other: Any) -> bool:
        self._reads.add(AspectKind.POST, post_key(self._raw))
        if isinstance(other, PostView):
            self._reads.add(AspectKind.POST, post_key(other._raw))
        return bool(self._raw < _unwrap(other))


def _recorded_to_html(post: Any, to_html: Callable[..., Any], reads: Reads) -> Callable[..., Any]:
    """ABlog's ``Post.to_html(pagename, fulltext=False, ...)``: the excerpt, or with
    ``fulltext`` the whole text, is what the page shows."""

    def recorded(*args: Any, **kwargs: Any) -> Any:
        fulltext = kwargs["fulltext"] if "fulltext" in kwargs else len(args) > 1 and args[1]
        if fulltext:
            reads.add(AspectKind.BODY, post.docname)
        else:
            reads.add(AspectKind.EXCERPT, post_key(post))
        return to_html(*args, **kwargs)

    return recorded


def wrap(value: Any, reads: Reads) -> Any:
    """*value* seen through a view, if it is one of ABlog's objects (or a list of them)."""
    if isinstance(value, _ABLOG_TYPES):
        for kind, view in _VIEWS:
            if isinstance(value, kind):
                return view(value, reads)
    if isinstance(value, list) and any(isinstance(item, _ABLOG_TYPES) for item in value):
        return [wrap(item, reads) for item in value]
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
