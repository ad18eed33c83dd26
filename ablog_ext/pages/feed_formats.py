"""The feed files: one feed's entries written as Atom, RSS 2.0 and JSON Feed.

A feed's ``updated`` is its newest entry's date, never the build time, so the
same sources give the same bytes whatever the time or ``TZ``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from sphinx.application import Sphinx

from ablog_ext._version import __version__
from ablog_ext.blog.queries import Post
from ablog_ext.pages.feed_entries import Entry, EntryRenderer, EntryTemplates
from ablog_ext.pages.feed_list import Feed, Variant
from ablog_ext.reaches.ablog import ABLOG_ATOM_FEEDS, ABLOG_ENV_POSTS
from ablog_ext.reaches.base import loaded_by
from ablog_ext.speed.page_cache import excerpt_digest, page_cache, revision

GENERATOR_URI = "https://pypi.org/project/ablog-ext/"


def ablog_still_writes_atom(app: Sphinx) -> bool:
    """Whether ABlog's own Atom writer runs in this build (before ablog_ext's)."""
    return loaded_by(app) and not (ABLOG_ATOM_FEEDS.on(app) and ABLOG_ENV_POSTS.on(app))


class FeedWriter:
    """Writes one feed in every configured format."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        config = app.config
        self.baseurl = str(config.blog_baseurl).rstrip("/") + "/"
        self.zone = ZoneInfo(config.ablog_ext_timezone)
        self.renderer = EntryRenderer(app)
        self.length = config.blog_feed_length
        self.subtitle = config.blog_feed_subtitle
        self.templates = EntryTemplates(app)
        #: Everything besides the posts that a feed's bytes depend on.
        self.settings = (
            self.baseurl,
            config.ablog_ext_timezone,
            self.length,
            self.subtitle,
            bool(config.blog_feed_fulltext),
            bool(config.blog_feed_titles),
            sorted((config.blog_authors or {}).items()),
            config.blog_default_author,
            config.language,
            str(config.author),
        )
        self.authors: dict[str, tuple[str, str | None]] = {
            key: (str(full), link) for key, (full, link) in (config.blog_authors or {}).items()
        }
        default = config.blog_default_author
        self.default_authors = [default] if isinstance(default, str) else list(default or [])
        # Atom requires an author; the site's author, or the blog, stands in.
        site_author = str(config.author or "")
        self.feed_author = (
            self.authors.get(self.default_authors[0], (self.default_authors[0], None))[0]
            if self.default_authors
            else site_author
            if site_author and site_author != "Author name not set"
            else str(config.blog_title)
        )

    def url(self, pagename: str) -> str:
        return urljoin(self.baseurl, self.app.builder.get_target_uri(pagename))

    def aware(self, value: dt.datetime) -> dt.datetime:
        return value if value.tzinfo is not None else value.replace(tzinfo=self.zone)

    def entry(self, post: Post) -> Entry:
        url = self.url(post.docname) + (f"#{post.section}" if post.section else "")
        html, summary = self.renderer.html_and_summary(post, url)
        published = self.aware(post.written_date)
        candidates = [published]
        if post.updated is not None:
            candidates.append(self.aware(post.updated))
        # ABlog's `update` directives give naive dates; one equal to a date we
        # already have is that date, whose offset we know.
        ablog_update = getattr(self.renderer.ablog_post(post), "update", None)
        known = {post.date, *([post.updated.replace(tzinfo=None)] if post.updated else [])}
        if ablog_update is not None and ablog_update not in known:
            candidates.append(self.aware(ablog_update))
        updated = max(candidates)
        names = list(post.authors) or self.default_authors
        authors = [self.authors.get(name, (name, None)) for name in names]
        return Entry(
            id=url,
            url=url,
            title=self.renderer.xml_safe(post.title, post),
            published=published,
            updated=updated,
            authors=authors,
            categories=list(post.categories),
            tags=list(post.tags),
            summary=summary,
            content_html=html,
        )

    def write(
        self,
        feed: Feed,
        outdir: Path,
        variants: list[Variant],
        formats: list[str],
        entries: dict[str, Entry],
    ) -> None:
        posts = sorted(feed.posts, key=lambda post: (post.date, post.key), reverse=True)
        if self.length:
            posts = posts[: int(self.length)]
        if not posts:
            return
        cache = page_cache(self.app)
        inputs = self.inputs(feed, posts)
        # ABlog's own Atom writer, when it could not be switched off, has just
        # rewritten its files: they are written again whatever their fingerprint.
        ablog_wrote = ablog_still_writes_atom(self.app) and feed.ablog
        wanted = [
            variant
            for variant in variants
            if variant.wanted_for(feed, formats)
            and (
                cache.wanted(
                    feed.path(variant.fmt, variant.root),
                    variant,
                    inputs if not variant.templates else self.any_inputs(feed, posts),
                )
                or (ablog_wrote and variant.ablog)
            )
        ]
        if not wanted:
            return
        chosen = [entries.setdefault(post.key, self.entry(post)) for post in posts]
        updated = max(entry.updated for entry in chosen)
        for variant in wanted:
            path = feed.path(variant.fmt, variant.root)
            shown = chosen
            if variant.templates:
                feed_url = urljoin(self.baseurl, path)
                shown = [
                    self.templates.apply(entry, post, feed, posts, variant, feed_url, self.renderer)
                    for entry, post in zip(chosen, posts, strict=True)
                ]
            data = {"atom": self.atom, "rss": self.rss, "json": self.json}[variant.fmt](
                feed, shown, updated, path
            )
            write_if_changed(outdir / path, data)

    def inputs(self, feed: Feed, posts: list[Post]) -> tuple[Any, ...]:
        """What a feed's entries show: each post's metadata (not its word count) and
        its excerpt, or with ``blog_feed_fulltext`` its whole text (its revision).  An
        edit below a post's excerpt leaves the feeds of excerpts as they are."""
        shown = []
        for post in posts:
            ablog_post = self.renderer.ablog_post(post)
            text = (
                revision(self.app, post.docname)
                if self.renderer.fulltext and not self.renderer.titles_only
                else excerpt_digest(ablog_post)
            )
            metadata = dataclasses.replace(post, words=0)
            shown.append((metadata, str(getattr(ablog_post, "update", None)), text))
        where = (feed.folder, feed.title, feed.pagename, feed.ablog)
        return (where, self.settings, shown)

    def any_inputs(self, feed: Feed, posts: list[Post]) -> tuple[Any, ...]:
        """For a feed whose entry templates (``blog_feed_templates``) may show
        anything of a post: all of it, and any edit."""
        return (feed, self.settings, [(post, revision(self.app, post.docname)) for post in posts])

    def _generator(self, feed: Feed, path: str, updated: dt.datetime) -> Any:
        from feedgen.feed import FeedGenerator

        generator = FeedGenerator()
        page_url = self.url(feed.pagename)
        generator.id(page_url)
        generator.title(feed.title)
        generator.link(href=urljoin(self.baseurl, path), rel="self")
        # feedgen gives RSS the last link: the page, not the feed itself.
        generator.link(href=page_url, rel="alternate")
        generator.description(self.subtitle or feed.title)
        if self.subtitle:
            generator.subtitle(self.subtitle)
        generator.language(self.app.config.language or "en")
        generator.generator("ablog-ext", __version__, GENERATOR_URI)
        generator.updated(updated)
        generator.author({"name": self.feed_author})
        return generator

    def _add_entries(self, generator: Any, entries: list[Entry], rss: bool) -> None:
        if rss:
            generator.load_extension("dc")
        for entry in entries:
            item = generator.add_entry(order="append")
            item.id(entry.id)
            item.guid(entry.id, permalink=True)
            item.title(entry.title)
            item.link(href=entry.url)
            item.published(entry.published)
            item.updated(entry.updated)
            for name, link in entry.authors:
                if rss:
                    item.dc.dc_creator(name)
                else:
                    item.author({"name": name, **({"uri": link} if link else {})})
            for name in entry.categories + entry.tags:
                item.category({"term": name, "label": name})
            if entry.summary and not rss:
                item.summary(entry.summary)
            if entry.content_html:
                if rss:
                    item.description(entry.content_html)
                else:
                    item.content(entry.content_html, type="html")
            elif rss and entry.summary:
                item.description(entry.summary)

    def atom(self, feed: Feed, entries: list[Entry], updated: dt.datetime, path: str) -> bytes:
        generator = self._generator(feed, path, updated)
        self._add_entries(generator, entries, rss=False)
        return bytes(generator.atom_str(pretty=True))

    def rss(self, feed: Feed, entries: list[Entry], updated: dt.datetime, path: str) -> bytes:
        generator = self._generator(feed, path, updated)
        self._add_entries(generator, entries, rss=True)
        return _four_digit_years(bytes(generator.rss_str(pretty=True)))

    def json(self, feed: Feed, entries: list[Entry], updated: dt.datetime, path: str) -> bytes:
        document: dict[str, Any] = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed.title,
            "home_page_url": self.url(feed.pagename),
            "feed_url": urljoin(self.baseurl, path),
            "language": self.app.config.language or "en",
        }
        if self.subtitle:
            document["description"] = self.subtitle
        document["authors"] = [{"name": self.feed_author}]
        document["items"] = [
            {
                "id": entry.id,
                "url": entry.url,
                "title": entry.title,
                **(
                    {"content_html": entry.content_html}
                    if entry.content_html
                    else {"content_text": entry.summary}
                ),
                **({"summary": entry.summary} if entry.summary else {}),
                "date_published": entry.published.isoformat(),
                "date_modified": entry.updated.isoformat(),
                **({"authors": [_json_author(a) for a in entry.authors]} if entry.authors else {}),
                **(
                    {"tags": entry.categories + entry.tags}
                    if entry.categories or entry.tags
                    else {}
                ),
            }
            for entry in entries
        ]
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _json_author(author: tuple[str, str | None]) -> dict[str, str]:
    name, link = author
    return {"name": name, **({"url": link} if link else {})}


#: An RSS date whose year has fewer than four digits (feedgen's strftime writes
#: year 1 as "1"; RFC 822 readers want "0001").
_SHORT_YEAR = re.compile(rb"(<(?:pubDate|lastBuildDate)>\w{3}, \d{2} \w{3} )(\d{1,3})(?= )")


def _four_digit_years(rss: bytes) -> bytes:
    return _SHORT_YEAR.sub(lambda match: match[1] + match[2].rjust(4, b"0"), rss)


def write_if_changed(path: Path, data: bytes) -> None:
    """Skip writing identical bytes, so unchanged feeds keep their file times."""
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
