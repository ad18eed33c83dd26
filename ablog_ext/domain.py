"""Per-document blog data, kept where Sphinx can purge and merge it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypedDict

from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment


class PostRecord(TypedDict):
    """What ablog_ext keeps of one post; plain data, so it pickles and merges."""

    title: str
    #: ISO 8601 as the author wrote it (offset kept); ``None`` for a draft.
    date: str | None
    updated: str | None
    categories: list[str]
    tags: list[str]
    authors: list[str]
    #: ``(URL path, source line)`` of each ``redirect_from`` and ``permalink``.
    redirects: list[tuple[str, int]]


class BlogDomain(Domain):
    """Holds the ``ablog_ext`` data of every document.

    Sphinx calls :meth:`clear_doc` before a document is re-read and
    :meth:`merge_domaindata` after a parallel read, so the data stays right in
    incremental and ``-j`` builds without any global state.
    """

    name = "ablog_ext"
    label = "ablog-ext"
    data_version = 1
    initial_data = {"posts": {}}  # noqa: RUF012 (Sphinx's API)

    @property
    def posts(self) -> dict[str, PostRecord]:
        posts: dict[str, PostRecord] = self.data["posts"]
        return posts

    def clear_doc(self, docname: str) -> None:
        self.posts.pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        wanted = set(docnames)
        for docname, record in otherdata["posts"].items():
            if docname in wanted:
                self.posts[docname] = record

    def add_post(self, docname: str, record: PostRecord) -> None:
        self.posts[docname] = record

    def sorted_posts(self) -> Iterator[tuple[str, PostRecord]]:
        """Posts in document-name order, so everything derived is deterministic."""
        for docname in sorted(self.posts):
            yield docname, self.posts[docname]

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []


def blog_domain(env: BuildEnvironment) -> BlogDomain:
    domain = env.domains["ablog_ext"]
    assert isinstance(domain, BlogDomain)
    return domain
