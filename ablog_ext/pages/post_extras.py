"""What ablog_ext adds to each post's page: its reading time under the title, the
box of its series, and its related posts at the end; and each post's reading time
in ABlog's archive entries, before its excerpt (through ``Post.to_html``:
:func:`~ablog_ext.speed.post_html.add_excerpt_prefix`).

Each is made at ``doctree-resolved`` from the blog's data
(:class:`~ablog_ext.blog.domain.BlogDomain`), as the review and theme nodes are,
so every theme and builder shows it.  The series box and the related posts show
other posts: the page notes, when it is written, that it shows them
(:func:`~ablog_ext.speed.page_reads.shows`), so an edit to another post's tags,
title or series rewrites the pages whose lists change (:mod:`.stale_pages`),
and an incremental build gives the pages a clean build gives.
"""

from __future__ import annotations

import html
import math
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ablog_ext.blog.domain import PostRecord, blog_domain
from ablog_ext.blog.queries import Post
from ablog_ext.pages.box_html import as_written_from, setup_box_html
from ablog_ext.pages.messages import setup_messages, text
from ablog_ext.pages.related import related_posts
from ablog_ext.pages.render import (
    NO_SEARCH,
    Links,
    container,
    dated_link_item,
    format_date,
    text_paragraph,
)
from ablog_ext.pages.series import box_shown, series_box, series_of, series_values
from ablog_ext.speed.page_reads import shows, watch_context
from ablog_ext.speed.post_html import add_excerpt_prefix

#: The context values (for :mod:`.page_reads`) a post's page shows of other posts.
RELATED = "ablog_ext_related_posts"
SERIES = "ablog_ext_series"


def reading_minutes(words: int, words_per_minute: int) -> int:
    """Minutes to read *words* words: rounded up, at least one."""
    return max(1, math.ceil(words / max(1, words_per_minute)))


def reading_time_text(app: Sphinx, words: int) -> str:
    minutes = reading_minutes(words, int(app.config.ablog_ext_words_per_minute))
    return text("{minutes} min read", minutes=minutes)


def _post_record(app: Sphinx, docname: str) -> PostRecord | None:
    """The record of a document that is one post (not a document of several)."""
    domain = blog_domain(app.env)
    if docname in domain.sections:
        return None
    return domain.posts.get(docname)


def _top_sections(doctree: nodes.document) -> list[nodes.section]:
    """The document's top-level sections: the first holds the post's title; a
    body of several level-one headings (the first the title) gives one each."""
    return [child for child in doctree.children if isinstance(child, nodes.section)]


def add_post_extras(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: the reading time, series box and related posts of a post."""
    if not doctree.get("source"):
        # A fragment resolved for another page (ABlog's Post.to_html for a feed or
        # an archive, a review's copy): not the post's own page.
        return
    record = _post_record(app, docname)
    sections = _top_sections(doctree) if record is not None else []
    if record is None or not sections:
        return
    section = sections[0]
    links = Links(app, docname)
    place = 1 if section.children and isinstance(section[0], nodes.title) else 0
    if app.config.ablog_ext_reading_time:
        minutes = reading_time_text(app, record["words"])
        paragraph = as_written_from(
            app,
            "reading-time",
            [minutes],
            lambda: text_paragraph(minutes, ["ablog-ext-reading-time", NO_SEARCH]),
            section,
        )
        section.insert(place, paragraph)
        place += 1
    series = series_of(app.env, docname) if record.get("series") else None
    if series is not None:
        values = series_values(app, links, series, docname)
        key = ("series", len(series.posts), series.place(docname))
        box = as_written_from(
            app, key, values, lambda: series_box(app, links, series, docname), section
        )
        section.insert(place, box)
    related = related_posts(app.env, docname)
    if related:
        # At the end of the post: after its last part, not the first.
        last = sections[-1]
        values = related_values(app, links, related)
        last += as_written_from(
            app,
            "related",
            values,
            lambda: related_box(app, links, related),
            last,
        )


def archive_reading_time(app: Sphinx, post: Any) -> str:
    """Before the excerpt of ABlog's archive entry of *post*: its reading time."""
    if not app.config.ablog_ext_reading_time:
        return ""
    domain = blog_domain(app.env)
    docname, section = str(post.docname), getattr(post, "section", None) or ""
    record = domain.posts.get(docname)
    for each in domain.sections.get(docname) or []:
        if section and each.get("section") == section:
            record = each
    if record is None:
        return ""
    minutes = html.escape(reading_time_text(app, record["words"]))
    return f'<p class="ablog-ext-reading-time">{minutes}</p>'


def related_box(app: Sphinx, links: Links, posts: tuple[Post, ...]) -> nodes.Element:
    box = container(["ablog-ext-related", NO_SEARCH])
    heading = text("Related posts")
    box += nodes.rubric(heading, heading, classes=["ablog-ext-related-title"])
    listing = nodes.bullet_list(classes=["ablog-ext-related-posts"])
    for post in posts:
        listing += dated_link_item(app, links, post, "ablog-ext-related-date")
    box += listing
    return box


def related_values(app: Sphinx, links: Links, posts: tuple[Post, ...]) -> list[str]:
    """The texts and links of :func:`related_box`, in the order of
    :func:`~ablog_ext.pages.box_html.box_shape`."""
    values = [text("Related posts")]
    for post in posts:
        uri = links.uri(post.docname, post.section) or "#"
        values += [uri, post.title, f" · {format_date(app, post.date)}"]
    return values


def related_shown(app: Sphinx, pagename: str) -> Any:
    """What the related posts of *pagename* show, for :mod:`.page_reads`."""
    return [(p.key, p.title, p.date.isoformat()) for p in related_posts(app.env, pagename)]


def note_post_extras(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: a post's page shows its related posts and its series
    box, whatever its templates read (see :func:`add_post_extras`)."""
    record = _post_record(app, pagename) if doctree is not None else None
    if record is None:
        return
    if app.config.ablog_ext_related_posts:
        shows(app, pagename, RELATED)
    if record.get("series"):
        # Without a series of its own (an edit that gives it one rewrites it), a
        # post shows no box whatever other posts do.
        shows(app, pagename, SERIES)


def setup_post_extras(app: Sphinx) -> None:
    setup_messages(app)
    setup_box_html(app)
    watch_context(app, RELATED, related_shown)
    watch_context(app, SERIES, box_shown)
    add_excerpt_prefix(app, archive_reading_time)
