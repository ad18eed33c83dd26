"""Atom, RSS 2.0 and JSON Feed for the blog and for each archive.

One generator owns every feed file: ABlog's own Atom writer is switched off, so
``blog/atom.xml`` is never written twice.  Everything ABlog would have written is
still written, with ABlog's options honoured in every format: the Atom feed of
every archive (``blog_feed_archives``), every named feed of ``blog_feed_templates``
with its entry templates, ``blog_feed_fulltext``, ``blog_feed_titles``,
``blog_feed_length`` and ``blog_feed_subtitle``.  ablog_ext's own options add
formats and archive kinds to those, never take any away.

A feed's ``updated`` is its newest entry's date, never the build time, so the
same sources give the same bytes whatever the time or ``TZ``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import jinja2
from ablog.post import register_posts
from docutils import nodes
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from ablog_ext._version import __version__
from ablog_ext.blog.queries import Post, listed_posts, theme_passages
from ablog_ext.config import provided_by_user
from ablog_ext.pages.render import render_fragment, writes_html_pages
from ablog_ext.reaches.ablog import ABLOG_ATOM_FEEDS, ABLOG_ENV_POSTS
from ablog_ext.reaches.base import loaded_by
from ablog_ext.reading.excerpts import fallback_html
from ablog_ext.reading.post_doctree import post_copy
from ablog_ext.speed import post_html
from ablog_ext.speed.page_cache import excerpt_digest, page_cache, revision
from ablog_ext.speed.page_reads import shows, watch_context

logger = logging.getLogger("ablog_ext.feeds")

FORMATS = {"atom": "atom.xml", "rss": "rss.xml", "json": "feed.json"}
MEDIA_TYPES = {
    "atom": "application/atom+xml",
    "rss": "application/rss+xml",
    "json": "application/feed+json",
}
FORMAT_NAMES = {"atom": "Atom", "rss": "RSS", "json": "JSON Feed"}
ARCHIVES = ("category", "tag", "author", "location", "language", "year", "theme")
#: ABlog's archive feeds (``blog_feed_archives``), in ABlog's order, with the
#: header of their titles (ABlog adds its translations to Sphinx's catalog).
ABLOG_ARCHIVES = {
    "author": "Posts by",
    "location": "Posts from",
    "language": "Posts in",
    "category": "Posts in",
    "year": "Posted in",
    "tag": "Posts tagged",
}
#: The named feed written as ``atom.xml``, ``rss.xml`` and ``feed.json``; ABlog's
#: default ``blog_feed_templates`` is ``{"atom": {}}``.
DEFAULT_ROOT = "atom"
#: The entry elements a ``blog_feed_templates`` template may set.
TEMPLATE_ELEMENTS = ("title", "summary", "content")
GENERATOR_URI = "https://pypi.org/project/ablog-ext/"
#: Characters XML 1.0 cannot carry.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')


def file_name(root: str, fmt: str) -> str:
    """The file of the named feed *root* in format *fmt*: ABlog's ``<root>.xml``
    for Atom, and beside it ``<root>-rss.xml`` and ``<root>.json``."""
    if root == DEFAULT_ROOT:
        return FORMATS[fmt]
    return {"atom": f"{root}.xml", "rss": f"{root}-rss.xml", "json": f"{root}.json"}[fmt]


@dataclass(frozen=True)
class Feed:
    """One feed: its posts and where it lives."""

    #: Output folder, e.g. ``blog/category/career``.
    folder: str
    title: str
    #: The HTML page the feed belongs to, e.g. ``blog/category/career``.
    pagename: str
    posts: list[Post]
    #: Whether ABlog writes this feed (the blog's, or an archive's with
    #: ``blog_feed_archives``): its Atom files stay whatever ablog_ext's formats.
    ablog: bool = True

    def path(self, fmt: str, root: str = DEFAULT_ROOT) -> str:
        return f"{self.folder}/{file_name(root, fmt)}"


@dataclass(frozen=True)
class Variant:
    """One file of a feed: a named feed of ``blog_feed_templates`` in one format."""

    root: str
    fmt: str
    #: ABlog writes it (the Atom file of one of its named feeds) for ABlog's feeds.
    ablog: bool
    #: ``(element, Jinja template)`` of the named feed's entries.
    templates: tuple[tuple[str, str], ...] = ()

    def wanted_for(self, feed: Feed, formats: list[str]) -> bool:
        return self.fmt in formats or (self.ablog and feed.ablog)


def _valid_root(root: object) -> bool:
    """A named feed ABlog can write: a file name without folders."""
    return isinstance(root, str) and bool(root.strip()) and not re.search(r"[/\\]", root)


def named_feeds(config: Config) -> dict[str, dict[str, str]]:
    """``blog_feed_templates``, ablog_ext's default feed first, unusable entries
    left out (:func:`validate_feed_config` warns about each)."""
    configured = config.blog_feed_templates
    roots: dict[str, dict[str, str]] = {DEFAULT_ROOT: {}}
    for root, elements in (configured if isinstance(configured, dict) else {}).items():
        if not _valid_root(root):
            continue
        roots[root] = {
            element: template
            for element, template in (elements if isinstance(elements, dict) else {}).items()
            if element in TEMPLATE_ELEMENTS and isinstance(template, str)
        }
    return roots


def feed_variants(config: Config) -> tuple[list[Variant], list[Variant]]:
    """The ``(named feed, format)`` files of every feed, and those left out because
    another already has their file name (ABlog's own names win)."""
    configured = config.blog_feed_templates
    ablog_roots = set(configured) if isinstance(configured, dict) else set()
    candidates = [
        Variant(
            root,
            fmt,
            ablog=fmt == "atom" and root in ablog_roots,
            templates=tuple(sorted(templates.items())),
        )
        for root, templates in named_feeds(config).items()
        for fmt in FORMATS
    ]
    formats = list(config.ablog_ext_feed_formats)
    candidates = [v for v in candidates if v.ablog or v.fmt in formats]
    taken: set[str] = set()
    kept: set[Variant] = set()
    for variant in sorted(candidates, key=lambda v: not v.ablog):
        name = file_name(variant.root, variant.fmt)
        if name not in taken:
            taken.add(name)
            kept.add(variant)
    return [v for v in candidates if v in kept], [v for v in candidates if v not in kept]


def validate_feed_config(app: Sphinx, config: Config) -> None:
    """Drop unknown formats and archive kinds with a warning; check ABlog's feed
    templates and the time zone."""
    for name, allowed in (
        ("ablog_ext_feed_formats", tuple(FORMATS)),
        ("ablog_ext_feed_archives", ARCHIVES),
    ):
        values = config[name]
        if isinstance(values, str):
            values = [values]
        unknown = [value for value in values if value not in allowed]
        if unknown:
            logger.warning(
                "%s: unknown value(s) %s ignored; choose from %s",
                name,
                ", ".join(map(repr, unknown)),
                ", ".join(allowed),
                type="ablog_ext",
                subtype="config",
            )
        config[name] = [value for value in values if value in allowed]
    _check_feed_templates(config)
    try:
        ZoneInfo(config.ablog_ext_timezone)
    except (ValueError, KeyError, OSError):
        logger.warning(
            "ablog_ext_timezone: unknown time zone %r; using UTC",
            config.ablog_ext_timezone,
            type="ablog_ext",
            subtype="config",
        )
        config.ablog_ext_timezone = "UTC"


def _config_warning(message: str, *args: Any) -> None:
    logger.warning(message, *args, type="ablog_ext", subtype="config")


def _check_feed_templates(config: Config) -> None:
    """Warn about each part of ``blog_feed_templates`` that cannot be used."""
    configured = config.blog_feed_templates
    if not isinstance(configured, dict):
        _config_warning(
            "blog_feed_templates should be a dict of feed names to templates, not %r; ignored",
            configured,
        )
        return
    for root, elements in configured.items():
        if not _valid_root(root):
            _config_warning("blog_feed_templates: %r is not a feed file name; ignored", root)
            continue
        if not isinstance(elements, dict):
            _config_warning(
                "blog_feed_templates[%r] should be a dict of templates, not %r; ignored",
                root,
                elements,
            )
            continue
        for element, template in elements.items():
            if element not in TEMPLATE_ELEMENTS or not isinstance(template, str):
                _config_warning(
                    "blog_feed_templates[%r][%r]: only text templates of %s are used; ignored",
                    root,
                    element,
                    ", ".join(TEMPLATE_ELEMENTS),
                )
                continue
            try:
                jinja2.Environment().parse(template)
            except jinja2.TemplateSyntaxError as error:
                _config_warning(
                    "blog_feed_templates[%r][%r] is not a valid template (%s); ignored",
                    root,
                    element,
                    error,
                )
    for variant in feed_variants(config)[1]:
        _config_warning(
            "the %s file of the feed %r would be %s, which another feed already is; "
            "it is not written",
            FORMAT_NAMES[variant.fmt],
            variant.root,
            file_name(variant.root, variant.fmt),
        )


def disable_ablog_feeds(app: Sphinx) -> None:
    """Unhook ABlog's Atom writer: it would write blog/atom.xml a second time
    (kept when ablog_ext cannot read ABlog's posts, and writes no feed)."""
    if ABLOG_ENV_POSTS.on(app):
        for listener in ABLOG_ATOM_FEEDS.found(app):
            app.disconnect(listener.id)


def ablog_still_writes_atom(app: Sphinx) -> bool:
    """Whether ABlog's own Atom writer runs in this build (before ablog_ext's)."""
    return loaded_by(app) and not (ABLOG_ATOM_FEEDS.on(app) and ABLOG_ENV_POSTS.on(app))


def feeds_enabled(app: Sphinx) -> bool:
    """Whether any feed is written: ABlog's (a named feed) or ablog_ext's (a format)."""
    return bool(app.config.blog_baseurl) and bool(feed_variants(app.config)[0])


def ablog_kinds(config: Config) -> list[str]:
    """The archive kinds whose feeds ABlog writes."""
    return list(ABLOG_ARCHIVES) if config.blog_feed_archives else []


def blog_feeds(app: Sphinx) -> list[Feed]:
    """Every feed of the blog, main feed first, in a stable order.

    Archive feeds sit beside ABlog's archive pages (``blog/category/<slug>.html``
    and ``blog/category/<slug>/atom.xml``), so their folders come from ABlog's own
    catalogs, with ABlog's titles; themes are ablog_ext's own.  The archive kinds
    are ABlog's (``blog_feed_archives``) and ablog_ext's (``ablog_ext_feed_archives``).
    """
    from ablog.blog import Blog

    config = app.config
    blog_path = str(config.blog_path).strip("/")
    title = config.blog_title
    posts = listed_posts(app.env)
    by_key = {post.key: post for post in posts}
    feeds = [Feed(blog_path, title, blog_path, posts)]
    from_ablog = ablog_kinds(config)
    kinds = [*from_ablog, *(k for k in config.ablog_ext_feed_archives if k not in from_ablog)]
    blog = Blog(app)
    if not blog:
        register_posts(app)
    catalogs = {
        "author": blog.author,
        "location": blog.location,
        "language": blog.language,
        "category": blog.category,
        "year": blog.archive,
        "tag": blog.tags,
    }
    for kind in sorted((k for k in kinds if k in catalogs), key=list(ABLOG_ARCHIVES).index):
        header = str(_(ABLOG_ARCHIVES[kind]))
        for collection in sorted(catalogs[kind], key=lambda collection: collection.docname):
            group = sorted(
                {by_key[_ablog_key(p)] for p in collection if _ablog_key(p) in by_key},
                key=lambda post: (post.date, post.key),
            )
            if group and str(collection).strip():
                folder = collection.docname
                feeds.append(
                    Feed(
                        folder,
                        f"{title} - {header} {collection}",
                        folder,
                        group,
                        ablog=kind in from_ablog,
                    )
                )
    if "theme" in kinds:
        by_docname: dict[str, list[Post]] = {}
        for post in posts:
            by_docname.setdefault(post.docname, []).append(post)
        themes: dict[str, tuple[str, set[str]]] = {}
        for passage in theme_passages(app.env):
            if passage.docname in by_docname:
                themes.setdefault(passage.slug, (passage.theme, set()))[1].add(passage.docname)
        for slug, (name, docnames) in sorted(themes.items()):
            folder = f"{blog_path}/theme/{slug}"
            group = [post for d in sorted(docnames) for post in by_docname[d]]
            feeds.append(Feed(folder, f"{title} - Theme: {name}", folder, group, ablog=False))
    return feeds


def _ablog_key(ablog_post: Any) -> str:
    """ABlog's name of a post: ``docname``, or ``docname#section`` for a section post."""
    section = getattr(ablog_post, "section", "") or ""
    return f"{ablog_post.docname}#{section}" if section else str(ablog_post.docname)


class _EntryRenderer:
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
        self.kept = _KeptEntries(app)

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


class _KeptEntries:
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


class FeedWriter:
    """Writes one feed in every configured format."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        config = app.config
        self.baseurl = str(config.blog_baseurl).rstrip("/") + "/"
        self.zone = ZoneInfo(config.ablog_ext_timezone)
        self.renderer = _EntryRenderer(app)
        self.length = config.blog_feed_length
        self.subtitle = config.blog_feed_subtitle
        self.templates = _EntryTemplates(app)
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
                    self.templates.apply(entry, post, feed, posts, variant, feed_url, self)
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
        return bytes(generator.rss_str(pretty=True))

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


class _EntryTemplates:
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
                self.compiled[key] = None  # validate_feed_config warned already
        return self.compiled[key]

    def apply(
        self,
        entry: Entry,
        post: Post,
        feed: Feed,
        posts: list[Post],
        variant: Variant,
        feed_url: str,
        writer: FeedWriter,
    ) -> Entry:
        from ablog.blog import Blog

        renderer = writer.renderer
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


def _json_author(author: tuple[str, str | None]) -> dict[str, str]:
    name, link = author
    return {"name": name, **({"url": link} if link else {})}


def write_if_changed(path: Path, data: bytes) -> None:
    """Skip writing identical bytes, so unchanged feeds keep their file times."""
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


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
    feed = by_page.get(pagename)
    if feed is None:
        # Every page without a feed of its own links to the same: the blog's feed.
        tags, links = domain.memo(
            "feeds-elsewhere", lambda: _page_feeds(app, pagename, None, by_page)
        )
        return tags, list(links)
    return _page_feeds(app, pagename, feed, by_page)


def _page_feeds(
    app: Sphinx, pagename: str, feed: Feed | None, by_page: dict[str, Feed]
) -> tuple[str, list[tuple[str, str]]]:
    blog_path = str(app.config.blog_path).strip("/")
    shown = [feed] if feed is not None else []
    if pagename != blog_path and blog_path in by_page:
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
    app.connect("config-inited", validate_feed_config, priority=110)
    app.connect("builder-inited", disable_ablog_feeds)
    app.connect("builder-inited", explain_missing_baseurl)
    app.connect("html-collect-pages", write_feeds)
    app.connect("html-page-context", feed_links)
    watch_context(app, "ablog_ext_feeds", page_feeds)
