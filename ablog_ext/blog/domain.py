"""Per-document blog data, kept where Sphinx can purge and merge it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, NotRequired, TypedDict, TypeVar

from docutils import nodes
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

T = TypeVar("T")


class PostRecord(TypedDict):
    """What ablog_ext keeps of one post; plain data, so it pickles and merges."""

    title: str
    #: ISO 8601: as the author wrote it (offset kept), or in the site's zone when
    #: ``ablog_ext_timezone`` is set; ``None`` for a draft.
    date: str | None
    updated: str | None
    categories: list[str]
    tags: list[str]
    authors: list[str]
    #: Words in the post's body, for reading time and year figures.
    words: int
    #: ``(URL path, source line)`` of each ``redirect_from``.
    redirects: list[tuple[str, int]]
    #: Source line of each front matter key (empty for ABlog's own posts).
    lines: NotRequired[dict[str, int]]
    #: ``(URL, source line)`` of the post on the Jekyll site it came from: its
    #: ``permalink``, or the site's permalink style (``permalinks.py`` sets it).
    old_url: NotRequired[tuple[str, int] | None]
    #: The anchor of a post that is one section of its document (ABlog's section
    #: posts, see :mod:`.compat`); absent or empty for a whole-document post.
    section: NotRequired[str]
    #: Front matter ``image`` as Jekyll writes it (a path from the site's root, or a
    #: URL), for link previews; absent when the post has none (ABlog's ``image`` is
    #: a number, and stays ABlog's).
    image: NotRequired[str]
    #: The series the post is part of (front matter ``series``), and its place in
    #: it (``series_order``); absent or empty for a post in no series.
    series: NotRequired[str]
    series_order: NotRequired[int | None]


class PassageRecord(TypedDict):
    """One ``theme`` passage."""

    theme: str
    slug: str
    anchor: str
    #: The passage's own ``:date:``; ``None`` means the post's date.
    date: str | None
    line: int | None
    #: The passage body, resolved against the page that shows it.
    content: nodes.Element


#: The keys of ``BlogDomain.data`` that hold one value per document.
_PER_DOCUMENT = ("posts", "sections", "passages", "dependents")


class BlogDomain(Domain):
    """Holds the ``ablog_ext`` data of every document.

    Sphinx calls :meth:`clear_doc` before a document is re-read and
    :meth:`merge_domaindata` after a parallel read, so the data stays right in
    incremental and ``-j`` builds without any global state.
    """

    name = "ablog_ext"
    label = "ablog-ext"
    data_version = 6
    initial_data = {  # noqa: RUF012 (Sphinx's API)
        "posts": {},
        # docname -> list of PostRecord, one per post, for a document whose posts
        # are sections (several ``post`` directives)
        "sections": {},
        # docname -> list of PassageRecord, in document order
        "passages": {},
        # docnames whose content is computed from other documents
        "dependents": {},
    }

    @property
    def posts(self) -> dict[str, PostRecord]:
        posts: dict[str, PostRecord] = self.data["posts"]
        return posts

    @property
    def sections(self) -> dict[str, list[PostRecord]]:
        sections: dict[str, list[PostRecord]] = self.data["sections"]
        return sections

    @property
    def passages(self) -> dict[str, list[PassageRecord]]:
        passages: dict[str, list[PassageRecord]] = self.data["passages"]
        return passages

    @property
    def dependents(self) -> dict[str, bool]:
        dependents: dict[str, bool] = self.data["dependents"]
        return dependents

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """*compute*'s result, kept until a document changes: for what every page
        shows (a sidebar), computed once per build instead of once per page."""
        cache: dict[str, Any] = self.__dict__.setdefault("_memo", {})
        if key not in cache:
            cache[key] = compute()
        result: T = cache[key]
        return result

    def memo_of(self, key: str, inputs: Any, compute: Callable[[], T]) -> T:
        """*compute*'s result, kept while *inputs* (compared by ``==``) stay the
        same, across documents changed and builds of one application: for what a
        document's change rarely changes (a body edit leaves the related posts
        alone), computed again only when it does."""
        kept: dict[str, tuple[Any, Any]] = self.__dict__.setdefault("_memo_of", {})
        if key not in kept or kept[key][0] != inputs:
            kept[key] = (inputs, compute())
        result: T = kept[key][1]
        return result

    def _changed(self) -> None:
        self.__dict__.pop("_memo", None)

    def clear_doc(self, docname: str) -> None:
        self._changed()
        for key in _PER_DOCUMENT:
            self.data[key].pop(docname, None)

    def forget_all(self) -> None:
        """Drop every document's data (a ``-j`` worker's copy of what it does not read)."""
        self._changed()
        for key in _PER_DOCUMENT:
            self.data[key].clear()

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        self._changed()
        wanted = set(docnames)
        for key in _PER_DOCUMENT:
            for docname, value in otherdata[key].items():
                if docname in wanted:
                    self.data[key][docname] = value

    def add_post(self, docname: str, record: PostRecord) -> None:
        self._changed()
        self.posts[docname] = record

    def add_section_posts(self, docname: str, records: list[PostRecord]) -> None:
        self._changed()
        self.sections[docname] = records

    def add_passage(self, docname: str, record: PassageRecord) -> None:
        self._changed()
        self.passages.setdefault(docname, []).append(record)

    def add_dependent(self, docname: str) -> None:
        self.dependents[docname] = True

    def sorted_posts(self) -> Iterator[tuple[str, PostRecord]]:
        """Posts in document-name order, so everything derived is deterministic."""
        for docname in sorted(self.posts):
            yield docname, self.posts[docname]

    def every_post(self) -> Iterator[tuple[str, PostRecord]]:
        """Like :meth:`sorted_posts`, but each post of a document that holds
        several (ABlog's section posts) in place of the document's one record."""
        for docname, record in self.sorted_posts():
            yield from ((docname, each) for each in self.sections.get(docname) or [record])

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []


def detach(node: nodes.Node, document: nodes.document | None = None) -> None:
    """Unlink a stored copy from the document it was copied from.

    docutils' ``deepcopy`` keeps each copied element's link to the source document,
    so pickling the copy (with the environment) pickles that whole document too;
    and a node taken out of a copied section would pickle that section with it.
    """
    if not isinstance(node, nodes.document):
        node.parent = None
    for each in node.findall():
        if each is not node or not isinstance(node, nodes.document):
            each.document = document


def blog_domain(env: BuildEnvironment) -> BlogDomain:
    domain = env.domains["ablog_ext"]
    assert isinstance(domain, BlogDomain)
    return domain


def outdated_dependents(
    app: Any, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Documents whose reviews or theme summaries are built from other documents:
    re-read (and so rewritten) whenever any document was added, changed or removed."""
    if not (added or changed or removed):
        return []
    dependents = blog_domain(env).dependents
    return sorted(name for name in dependents if name not in removed)
