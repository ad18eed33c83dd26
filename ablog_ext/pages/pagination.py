"""Pages of posts: each archive split into pages of ``ablog_ext_posts_per_page`` posts.

ABlog writes every archive (the blog's page of all posts, each category, tag,
author, location, language and year, the drafts) with ``ablog/collection.html``,
one page listing every post with its excerpt.  With ``ablog_ext_posts_per_page``
set, :func:`paginate` turns each such page into pages of that many posts: the
first keeps its name, the others are ``<archive>/page/<n>`` (``blog/page/2.html``,
``blog/category/ml/page/2.html``; under ``dirhtml``, ``blog/page/2/``).

It sits in the page cache's loop over ABlog's archive pages
(:func:`~ablog_ext.speed.page_cache.ablog_archive_pages`): each page of posts
is fingerprinted by the posts it shows, its number and the number of pages, so an
incremental build writes again the pages a new or deleted post shifts, and removes
the last page when it empties.  What a page's templates read is followed as for
any archive page: iterating a page reads the whole collection's members.

A page is rendered by ``ablog_ext/collection_page.html``, which extends ABlog's
``ablog/collection.html`` (a site's own, if it has one) with previous and next
links, "Page 2 of 7", and ``<link rel="prev">``/``<link rel="next">`` in its head.
Catalog pages (the index of all tags with their posts' titles) and feeds are not
split.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ablog.blog import Collection
from sphinx.application import Sphinx
from sphinx.util import logging

from ablog_ext.pages.messages import text
from ablog_ext.speed.blog_views import post_key

logger = logging.getLogger("ablog_ext.pagination")

#: ABlog's template of an archive page, and the one that shows a page of it.
COLLECTION = "ablog/collection.html"
PAGE_TEMPLATE = "ablog_ext/collection_page.html"

Page = tuple[str, dict[str, Any], str]
#: The name of a later page of an archive: the archive's, then the page's number.
_LATER_PAGE = re.compile(r"(.+)/page/([2-9]|[1-9]\d+)")


def page_name(docname: str, number: int) -> str:
    """The page name of page *number* of the archive *docname*."""
    return docname if number == 1 else f"{docname}/page/{number}"


def archive_of(pagename: str) -> str:
    """The archive whose later page *pagename* is (``blog/tag/x`` of
    ``blog/tag/x/page/2``); any other page's own name."""
    found = _LATER_PAGE.fullmatch(pagename)
    return found.group(1) if found else pagename


def page_count(posts: int, per_page: int) -> int:
    """How many pages *posts* posts take (an empty archive still has its one page)."""
    return max(1, math.ceil(posts / per_page))


def later_pages(docname: str, posts: int, per_page: int | None) -> list[str]:
    """The names of the pages after the first of an archive of *posts* posts."""
    if not per_page:
        return []
    return [page_name(docname, n) for n in range(2, page_count(posts, per_page) + 1)]


class CollectionPage(Collection):
    """One page of an ABlog collection, as its template sees it: iterating it gives
    the page's posts; ``docname`` is the page's name (the excerpts' links are made
    for it); ``path`` stays the collection's (its feeds are not split)."""

    def __init__(self, whole: Collection, posts: list[Any], docname: str, number: int) -> None:
        # Not Collection.__init__: it registers the collection's cross-reference.
        self.__dict__.update(whole.__dict__)
        self.whole = whole
        self.page = number
        self._page_docname = docname
        self._posts_iter = list(posts)
        self._posts = {post_key(post): post for post in posts}

    @property
    def docname(self) -> str:
        return self._page_docname

    @property
    def path(self) -> str:
        return str(self.whole.path)


def labels(number: int, count: int) -> dict[str, str]:
    """The page's words, translated (ablog_ext's catalog, :mod:`.messages`)."""
    return {
        "label": text("Page {number} of {count}", number=number, count=count),
        "nav_label": text("Pages of posts"),
        "prev_label": text("Newer posts"),
        "next_label": text("Older posts"),
    }


def paginate(app: Sphinx, pages: Iterable[Page]) -> Iterator[Page]:
    """ABlog's archive *pages*, each page of posts split into pages of
    ``ablog_ext_posts_per_page`` (unchanged when it is ``None``)."""
    per_page = app.config.ablog_ext_posts_per_page
    if not per_page:
        yield from pages
        return
    found_docs = app.env.found_docs
    for pagename, context, template in pages:
        collection = context.get("collection")
        if template != COLLECTION or not isinstance(collection, Collection):
            yield pagename, context, template
            continue
        posts = list(collection)
        count = page_count(len(posts), per_page)
        for number in range(1, count + 1):
            name = pagename if number == 1 else page_name(pagename, number)
            if number > 1 and name in found_docs:
                # A document of that name is the site's own: it stays, and the
                # links to that page lead to it.
                logger.warning(
                    "this document has the name of page %d of the posts of %r, which is "
                    "not written: the links to that page lead here, and its posts are on "
                    "no page of that archive; rename the document",
                    number,
                    pagename,
                    type="ablog_ext",
                    subtype="pagination",
                    location=name,
                )
                continue
            shown = posts[(number - 1) * per_page : number * per_page]
            page_context = {
                **context,
                "collection": CollectionPage(collection, shown, name, number),
                "ablog_ext_pages": {
                    "number": number,
                    "count": count,
                    "prev": page_name(pagename, number - 1) if number > 1 else None,
                    "next": page_name(pagename, number + 1) if number < count else None,
                    **labels(number, count),
                },
            }
            yield name, page_context, PAGE_TEMPLATE
