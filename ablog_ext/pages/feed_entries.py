"""A feed entry's content: each post's HTML and summary, rendered once per build
(and kept between builds when it cannot have changed), and the entry templates
of ``blog_feed_templates``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2
from ablog.post import register_posts
from docutils import nodes
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.util import logging

from ablog_ext.blog.queries import Post
from ablog_ext.pages.feed_list import Feed, Variant
from ablog_ext.pages.render import render_fragment
from ablog_ext.reading.excerpts import fallback_html
from ablog_ext.reading.post_doctree import post_copy
from ablog_ext.speed import post_html
from ablog_ext.speed.page_cache import excerpt_digest, page_cache

logger = logging.getLogger("ablog_ext.feeds")

#: Characters XML 1.0 cannot carry.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')


class EntryRenderer:
    """Each post's HTML, rendered once per build however many feeds show it."""

    def __init__(self, app: Sphinx) -> None:
        from ablog.blog import Blog

        self.app = app
        self.blog = Blog(app)
        if not self.blog:
            register_posts(app)
        self.fulltext = bool(app.config.blog_feed_fulltext)
        #: ``blog_feed_titles``: entries without content, as ABlog writes them.
        self.titles_only = bool(app.config.blog_feed_titles)
        self.cache: dict[str, tuple[str, str]] = {}
        self.warned: set[str] = set()
        self.kept = KeptEntries(app)

    def ablog_post(self, post: Post) -> Any:
        """ABlog's object for *post* (``None`` if ABlog does not know it)."""
        return self.blog[post.key]

    def html_and_summary(self, post: Post, url: str) -> tuple[str, str]:
        if post.key not in self.cache:
            ablog_post = self.ablog_post(post)
            key = self._kept_key(post, ablog_post, url)
            kept = self.kept.get(key)
            if kept is not None:
                html, summary, dropped = kept
                if dropped:
                    self._warn_dropped(post)
                self.cache[post.key] = (html, summary)
                return self.cache[post.key]
            html = ""
            summary = ""
            failed = False
            if ablog_post is not None:
                if not self.titles_only:
                    content = self._content(ablog_post)
                    try:
                        fragment = render_fragment(
                            self.app, post.docname, content, permalinks=False
                        )
                    except Exception as error:
                        # One post must not stop the build: its plain text, and a warning.
                        fragment = fallback_html(ablog_post, self.fulltext, error)
                        failed = True
                    html = absolutize(fragment, url)
                summary = " ".join(" ".join(node.astext().split()) for node in ablog_post.excerpt)
            entry = (self.xml_safe(html, post), self.xml_safe(summary, post))
            self.cache[post.key] = entry
            if key is not None and not failed:
                self.kept.put(key, (*entry, post.key in self.warned))
        return self.cache[post.key]

    def _kept_key(self, post: Post, ablog_post: Any, url: str) -> tuple[Any, ...] | None:
        """What an excerpt's entry is kept between builds by; ``None`` for an entry
        made afresh every time it is written: a post's whole text, or an excerpt
        with anything resolved against other documents (a cross-reference's title
        may change with them)."""
        if ablog_post is None or self.fulltext or self.titles_only:
            return None
        if not post_html.same_in_every_folder(ablog_post.excerpt):
            return None
        return (post.key, url, excerpt_digest(ablog_post))

    def _content(self, ablog_post: Any) -> list[nodes.Node]:
        """The excerpt, or with ``blog_feed_fulltext`` the whole post less its title."""
        if not self.fulltext:
            return [node.deepcopy() for node in ablog_post.excerpt]
        copy = post_copy(ablog_post)
        # A section post's doctree is its section; a post's, its document.
        body = [copy] if isinstance(copy, nodes.section) else list(copy.children)
        if len(body) == 1 and isinstance(body[0], nodes.section):
            # Keep the section, so the post's own headings stay <h2>, but not its title.
            for title in [c for c in body[0].children if isinstance(c, nodes.title)]:
                body[0].remove(title)
        return body

    def xml_safe(self, text: str, post: Post) -> str:
        cleaned = _XML_FORBIDDEN.sub("", text)
        if cleaned != text:
            self._warn_dropped(post)
        return cleaned

    def _warn_dropped(self, post: Post) -> None:
        if post.key in self.warned:
            return
        self.warned.add(post.key)
        logger.warning(
            "characters that XML cannot carry were dropped from this post in its feeds",
            type="ablog_ext",
            subtype="feed",
            location=post.docname,
        )


class KeptEntries:
    """Feed entries rendered by earlier builds, by post, address and excerpt: a
    feed written again because one post changed renders that post's entry only.
    Kept in the doctree folder with the build's fingerprint (versions, HTML
    configuration); only the entries this build used are kept."""

    def __init__(self, app: Sphinx) -> None:
        self.path = Path(app.doctreedir) / "ablog_ext_feed_entries.pickle"
        self.base = page_cache(app).base
        self.previous: dict[tuple[Any, ...], tuple[str, str, bool]] = {}
        self.current: dict[tuple[Any, ...], tuple[str, str, bool]] = {}
        self.loaded = False

    def _load(self) -> None:
        self.loaded = True
        try:
            with self.path.open("rb") as stream:
                base, previous = pickle.load(stream)
            if base == self.base and isinstance(previous, dict):
                self.previous = previous
        except Exception:  # missing, or another version's: render every entry
            self.previous = {}

    def get(self, key: tuple[Any, ...] | None) -> tuple[str, str, bool] | None:
        if key is None:
            return None
        if not self.loaded:
            self._load()
        found = self.previous.get(key)
        if found is not None:
            self.current[key] = found
        return found

    def put(self, key: tuple[Any, ...], entry: tuple[str, str, bool]) -> None:
        self.current[key] = entry

    def save(self) -> None:
        if not self.loaded and not self.current:
            return
        if self.current == self.previous:
            return
        try:
            with self.path.open("wb") as stream:
                pickle.dump((self.base, self.current), stream)
        except OSError:  # a read-only build folder: render them again next time
            pass


def absolutize(html: str, base: str) -> str:
    """Every relative link and image in *html*, made absolute against *base*."""

    def replace(match: re.Match[str]) -> str:
        value = match.group(2)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", value):
            return match.group(0)
        return f'{match.group(1)}="{urljoin(base, value)}"'

    return _URL_ATTRIBUTE.sub(replace, html)


@dataclass(frozen=True)
class Entry:
    id: str
    url: str
    title: str
    published: dt.datetime
    updated: dt.datetime
    authors: list[tuple[str, str | None]]
    categories: list[str]
    tags: list[str]
    summary: str
    content_html: str


class EntryTemplates:
    """``blog_feed_templates``: entry titles, summaries and contents rendered from
    Jinja templates with the context ABlog documents, in every format.

    Titles and summaries are text (the feed escapes them); a content template's
    output is HTML, so it is rendered with autoescaping: a post's title or a tag
    name printed into it is escaped, the post's own HTML (``content``) is not.
    """

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.text = jinja2.Environment(autoescape=False)
        self.html = jinja2.Environment(autoescape=True)
        self.compiled: dict[tuple[str, str], jinja2.Template | None] = {}
        self.warned: set[tuple[str, str]] = set()

    def _template(self, element: str, source: str) -> jinja2.Template | None:
        key = (element, source)
        if key not in self.compiled:
            environment = self.html if element == "content" else self.text
            try:
                self.compiled[key] = environment.from_string(source)
            except jinja2.TemplateSyntaxError:
                self.compiled[key] = None  # check_feed_templates warned already
        return self.compiled[key]

    def apply(
        self,
        entry: Entry,
        post: Post,
        feed: Feed,
        posts: list[Post],
        variant: Variant,
        feed_url: str,
        renderer: EntryRenderer,
    ) -> Entry:
        from ablog.blog import Blog

        config = self.app.config
        ablog_post = renderer.ablog_post(post)
        context = {
            "app": self.app,
            "blog": Blog(self.app),
            "feed_length": config.blog_feed_length,
            "feed_fulltext": config.blog_feed_fulltext,
            "feed_posts": [renderer.ablog_post(each) for each in posts],
            "pagename": feed.pagename,
            "feed_title": feed.title,
            "feed_url": feed_url,
            "post": ablog_post,
            "post_url": entry.url,
            "url": entry.url,
            "title": post.title,
            "summary": entry.summary,
            "content": Markup(entry.content_html) if entry.content_html else None,
        }
        values: dict[str, str] = {}
        for element, source in variant.templates:
            template = self._template(element, source)
            if template is None:
                continue
            try:
                values[element] = renderer.xml_safe(template.render(**context), post)
            except Exception as error:  # a user's template: any error is theirs
                self._warn(variant.root, element, post, f"failed ({error})")
        title = values.get("title", entry.title)
        if not title.strip():
            self._warn(variant.root, "title", post, "gave an empty title; the post's is used")
            title = entry.title
        return dataclasses.replace(
            entry,
            title=title,
            summary=values.get("summary", entry.summary),
            content_html=values.get("content", entry.content_html),
        )

    def _warn(self, root: str, element: str, post: Post, what: str) -> None:
        if (root, element) in self.warned:
            return
        self.warned.add((root, element))
        logger.warning(
            "blog_feed_templates[%r][%r] %s",
            root,
            element,
            what,
            type="ablog_ext",
            subtype="feed",
            location=post.docname,
        )
