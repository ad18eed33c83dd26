"""Atom, RSS 2.0 and JSON Feed for the blog and for each archive.

One generator owns every feed file: ABlog's own Atom writer is switched off, so
``blog/atom.xml`` is never written twice.  Everything ABlog would have written is
still written, with ABlog's options honoured in every format: the Atom feed of
every archive (``blog_feed_archives``), every named feed of ``blog_feed_templates``
with its entry templates, ``blog_feed_fulltext``, ``blog_feed_titles``,
``blog_feed_length`` and ``blog_feed_subtitle``.  ablog_ext's own options add
formats and archive kinds to those, never take any away.

Which feeds exist is :mod:`.feed_list`'s; their entries, :mod:`.feed_entries`';
the Atom, RSS and JSON files, :mod:`.feed_formats`'. This module writes them
(``html-collect-pages``) and links pages to them (``<link rel="alternate">``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from ablog_ext.config import provided_by_user
from ablog_ext.pages.feed_entries import Entry
from ablog_ext.pages.feed_formats import FeedWriter
from ablog_ext.pages.feed_list import (
    DEFAULT_ROOT,
    FORMAT_NAMES,
    MEDIA_TYPES,
    Feed,
    blog_feeds,
    feed_variants,
    feeds_enabled,
)
from ablog_ext.pages.pagination import archive_of
from ablog_ext.pages.render import writes_html_pages
from ablog_ext.reaches.ablog import ABLOG_ATOM_FEEDS, ABLOG_ENV_POSTS
from ablog_ext.speed.page_reads import shows, watch_context

logger = logging.getLogger("ablog_ext.feeds")


def disable_ablog_feeds(app: Sphinx) -> None:
    """Unhook ABlog's Atom writer: it would write blog/atom.xml a second time
    (kept when ablog_ext cannot read ABlog's posts, and writes no feed)."""
    if ABLOG_ENV_POSTS.on(app):
        for listener in ABLOG_ATOM_FEEDS.found(app):
            app.disconnect(listener.id)


def write_feeds(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: write every feed whose posts changed.  A feed whose
    archive is gone is removed with the other generated pages it no longer has."""
    builder = app.builder
    if not writes_html_pages(app):
        return
    if feeds_enabled(app):
        writer = FeedWriter(app)
        entries: dict[str, Entry] = {}
        variants = feed_variants(app.config)[0]
        formats = list(app.config.ablog_ext_feed_formats)
        for feed in blog_feeds(app):
            writer.write(feed, Path(builder.outdir), variants, formats, entries)
        writer.renderer.kept.save()
    yield from ()


def explain_missing_baseurl(app: Sphinx) -> None:
    if app.config.blog_baseurl or app.builder.format != "html":
        return
    message = "no feeds are written: set blog_baseurl in conf.py (feeds need absolute links)"
    if provided_by_user(app.config, "ablog_ext_feed_formats") or provided_by_user(
        app.config, "ablog_ext_feed_archives"
    ):
        logger.warning(message, type="ablog_ext", subtype="feed")
    else:
        logger.info("ablog_ext: %s", message)


def feed_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``<link rel="alternate">`` in the head of the blog index and each archive page
    with a feed, and ``ablog_ext_feeds`` for the visible subscribe links."""
    if not feeds_enabled(app):
        return
    tags, links = page_feeds(app, pagename)
    context["metatags"] = context.get("metatags", "") + tags
    context["ablog_ext_feeds"] = links
    shows(app, pagename, "ablog_ext_feeds")


def page_feeds(app: Sphinx, pagename: str) -> tuple[str, list[tuple[str, str]]]:
    """The ``<link>`` tags and the visible ``(name, href)`` feed links of *pagename*."""
    if not feeds_enabled(app):
        return "", []
    from ablog_ext.blog.domain import blog_domain

    domain = blog_domain(app.env)
    by_page = domain.memo(
        "feeds-by-page", lambda: {feed.pagename: feed for feed in blog_feeds(app)}
    )
    # A later page of an archive (blog/tag/x/page/2) shows the archive's feeds.
    archive = archive_of(pagename) if app.config.ablog_ext_posts_per_page else pagename
    feed = by_page.get(archive)
    if feed is None:
        # Every page without a feed of its own links to the same: the blog's feed.
        tags, links = domain.memo(
            "feeds-elsewhere", lambda: _page_feeds(app, pagename, None, by_page)
        )
        return tags, list(links)
    return _page_feeds(app, pagename, feed, by_page, archive)


def _page_feeds(
    app: Sphinx,
    pagename: str,
    feed: Feed | None,
    by_page: dict[str, Feed],
    archive: str | None = None,
) -> tuple[str, list[tuple[str, str]]]:
    blog_path = str(app.config.blog_path).strip("/")
    shown = [feed] if feed is not None else []
    if (archive or pagename) != blog_path and blog_path in by_page:
        shown.append(by_page[blog_path])
    baseurl = str(app.config.blog_baseurl).rstrip("/") + "/"
    formats = list(app.config.ablog_ext_feed_formats)
    # The default feed's files (other named feeds are for machines, not readers).
    defaults = [v for v in feed_variants(app.config)[0] if v.root == DEFAULT_ROOT]
    links = []
    tags = []
    for each in shown:
        for fmt in [v.fmt for v in defaults if v.wanted_for(each, formats)]:
            href = urljoin(baseurl, each.path(fmt))
            title = f"{each.title} ({FORMAT_NAMES[fmt]})"
            tags.append(
                f'<link rel="alternate" type="{MEDIA_TYPES[fmt]}" '
                f'title="{_attr(title)}" href="{_attr(href)}" />'
            )
            if each is feed:
                # Visible links stay relative, so a local preview opens the local file.
                page_uri = app.builder.get_target_uri(pagename)
                links.append((FORMAT_NAMES[fmt], relative_uri(page_uri, each.path(fmt))))
    return "\n".join(tags), links


def _attr(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def setup_feeds(app: Sphinx) -> None:
    watch_context(app, "ablog_ext_feeds", page_feeds)
