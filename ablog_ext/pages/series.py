"""Series: posts whose front matter names the same ``series``, read in order.

Each post of a series gets a box (:func:`series_box`, put on the page by
:mod:`.post_extras`): the series' name, linked to its page, every post of the
series in order with the current one marked, and links to the previous and next
posts.  Each series gets a page, ``blog/series/<slug>.html`` (a slug that fits a
file system, :func:`~ablog_ext.blog.series.series_slug`), and ``blog/series.html``
lists them; feeds are :mod:`.feed_list`'s (the archive kind ``series``).

A series' order: posts with a ``series_order`` first, by it; then the others by
date; equal places by the post's name.  Drafts and future posts are in no series
until they are published.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ablog_ext.blog.domain import blog_domain
from ablog_ext.blog.queries import Post, listed_posts
from ablog_ext.blog.series import series_slug
from ablog_ext.pages.messages import text
from ablog_ext.pages.render import (
    NO_SEARCH,
    Links,
    container,
    counted_index,
    dated_link_item,
    render_fragment,
    writes_html_pages,
)
from ablog_ext.speed.page_cache import page_cache, page_output


@dataclass(frozen=True)
class Series:
    name: str
    slug: str
    #: In the series' order.
    posts: tuple[Post, ...]

    def place(self, key: str) -> int | None:
        """The index of the post *key* in the series, or ``None``."""
        for index, post in enumerate(self.posts):
            if post.key == key:
                return index
        return None


def _order(post: Post) -> tuple[bool, int, dt.datetime, str]:
    return (post.series_order is None, post.series_order or 0, post.date, post.key)


def group_series(posts: list[Post]) -> list[Series]:
    """Every series of *posts*, by slug: names that differ only in case or
    punctuation are one series, named by its most frequent spelling."""
    groups: dict[str, list[Post]] = {}
    for post in posts:
        if post.series:
            groups.setdefault(series_slug(post.series), []).append(post)
    result = []
    for slug, group in sorted(groups.items()):
        spellings = [post.series for post in group]
        name = max(sorted(set(spellings)), key=spellings.count)
        result.append(Series(name, slug, tuple(sorted(group, key=_order))))
    return result


def blog_series(env: BuildEnvironment) -> list[Series]:
    """The blog's series, by slug; computed once per build."""
    return list(blog_domain(env).memo("series", lambda: tuple(group_series(listed_posts(env)))))


def series_of(env: BuildEnvironment, key: str) -> Series | None:
    """The series of the post *key*, or ``None``."""
    by_post = blog_domain(env).memo(
        "series-by-post",
        lambda: {post.key: series for series in blog_series(env) for post in series.posts},
    )
    return by_post.get(key)


def series_page(app: Sphinx, slug: str) -> str:
    return f"{str(app.config.blog_path).strip('/')}/series/{slug}"


def series_title(name: str) -> str:
    return text("Series: {name}", name=name)


def series_box(app: Sphinx, links: Links, series: Series, key: str) -> nodes.Element:
    """The box on a post of *series*: the series in order, this post marked, and
    links to the previous and next posts."""
    place = series.place(key)
    assert place is not None
    box = container(["ablog-ext-series", NO_SEARCH])
    heading = nodes.paragraph(classes=["ablog-ext-series-title"])
    heading += nodes.Text(text("Series:") + " ")
    heading += links.link(series.name, series_page(app, series.slug))
    part = text("part {number} of {count}", number=place + 1, count=len(series.posts))
    heading += nodes.inline(part, f" ({part})", classes=["ablog-ext-series-part"])
    box += heading
    listing = nodes.enumerated_list(enumtype="arabic", classes=["ablog-ext-series-posts"])
    for index, post in enumerate(series.posts):
        item = nodes.list_item()
        paragraph = nodes.paragraph()
        if index == place:
            item["classes"].append("ablog-ext-series-current")
            paragraph += nodes.strong(post.title, post.title)
            marker = text("(this post)")
            paragraph += nodes.inline(marker, f" {marker}", classes=["ablog-ext-series-here"])
        else:
            paragraph += links.link(post.title, post.docname, post.section)
        item += paragraph
        listing += item
    box += listing
    nav = _neighbours(links, series, place)
    if nav.children:
        box += nav
    return box


def series_values(app: Sphinx, links: Links, series: Series, key: str) -> list[str]:
    """The texts and links of :func:`series_box`, in the order of
    :func:`~ablog_ext.pages.box_html.box_shape`."""
    place = series.place(key)
    assert place is not None
    part = text("part {number} of {count}", number=place + 1, count=len(series.posts))
    values = [
        text("Series:") + " ",
        links.uri(series_page(app, series.slug)) or "#",
        series.name,
        f" ({part})",
    ]
    for index, post in enumerate(series.posts):
        if index == place:
            values += [post.title, f" {text('(this post)')}"]
        else:
            values += [links.uri(post.docname, post.section) or "#", post.title]
    if place > 0:
        before = series.posts[place - 1]
        values += [text("Previous:") + " ", links.uri(before.docname, before.section) or "#"]
        values.append(before.title)
    if place + 1 < len(series.posts):
        after = series.posts[place + 1]
        values += [" · "] if place > 0 else []
        values += [text("Next:") + " ", links.uri(after.docname, after.section) or "#"]
        values.append(after.title)
    return values


def _neighbours(links: Links, series: Series, place: int) -> nodes.Element:
    nav = nodes.paragraph(classes=["ablog-ext-series-nav"])
    if place > 0:
        before = series.posts[place - 1]
        nav += nodes.inline("", text("Previous:") + " ", classes=["ablog-ext-series-prev"])
        nav += links.link(before.title, before.docname, before.section)
    if place + 1 < len(series.posts):
        after = series.posts[place + 1]
        if place > 0:
            nav += nodes.Text(" · ")
        nav += nodes.inline("", text("Next:") + " ", classes=["ablog-ext-series-next"])
        nav += links.link(after.title, after.docname, after.section)
    return nav


def box_shown(app: Sphinx, pagename: str) -> Any:
    """What the series box of *pagename* shows, for :mod:`.page_reads`: a page is
    written again when it changes."""
    series = series_of(app.env, pagename)
    if series is None:
        return None
    return (series.name, series.slug, [(p.key, p.title) for p in series.posts])


def series_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: ``blog/series/<slug>.html`` per series, and
    ``blog/series.html`` listing them."""
    if not writes_html_pages(app):
        return
    all_series = blog_series(app.env)
    if not all_series:
        return
    cache = page_cache(app)
    for series in all_series:
        pagename = series_page(app, series.slug)
        shown = [(p.key, p.title, p.date.isoformat()) for p in series.posts]
        if not cache.wanted(page_output(app, pagename), "series", series.name, shown):
            continue
        links = Links(app, pagename)
        listing = nodes.enumerated_list(enumtype="arabic", classes=["ablog-ext-series-posts"])
        for post in series.posts:
            listing += dated_link_item(app, links, post, "ablog-ext-series-date")
        title = series_title(series.name)
        body = f"<h1>{html.escape(title)}</h1>" + render_fragment(app, pagename, [listing])
        context = {"title": html.escape(title), "body": body, "parents": []}
        yield pagename, context, "page.html"
    index = series_page(app, "").rstrip("/")
    entries = [(s.name, series_page(app, s.slug), len(s.posts)) for s in all_series]
    if not cache.wanted(page_output(app, index), "series-index", entries):
        return
    listing = counted_index(Links(app, index), entries, ["ablog-ext-series-index"])
    heading = text("Series")
    body = f"<h1>{html.escape(heading)}</h1>" + render_fragment(app, index, [listing])
    yield index, {"title": html.escape(heading), "body": body, "parents": []}, "page.html"
