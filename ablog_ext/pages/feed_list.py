"""Which feeds the blog has: the blog's and each archive's, each in which named
feeds (``blog_feed_templates``) and formats; and the check of the options that
say so. The entries are :mod:`.feed_entries`', the files :mod:`.feed_formats`'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jinja2
from ablog.post import register_posts
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import _
from sphinx.util import logging

from ablog_ext.blog.queries import Post, listed_posts, theme_passages
from ablog_ext.pages.series import blog_series, series_page, series_title

logger = logging.getLogger("ablog_ext.feeds")

FORMATS = {"atom": "atom.xml", "rss": "rss.xml", "json": "feed.json"}
MEDIA_TYPES = {
    "atom": "application/atom+xml",
    "rss": "application/rss+xml",
    "json": "application/feed+json",
}
FORMAT_NAMES = {"atom": "Atom", "rss": "RSS", "json": "JSON Feed"}
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
    left out (:func:`check_feed_templates` warns about each)."""
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


def check_feed_templates(app: Sphinx, config: Config) -> None:
    """``config-inited``: warn about each part of ABlog's ``blog_feed_templates``
    that cannot be used (ablog_ext's own feed options are checked in ``config.py``)."""
    _check_feed_templates(config)


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
    if "series" in kinds:
        feeds.extend(_series_feeds(app, title))
    return feeds


def _series_feeds(app: Sphinx, title: str) -> list[Feed]:
    """A feed per series, beside its page (``blog/series/<slug>/atom.xml``)."""
    return [
        Feed(
            series_page(app, each.slug),
            f"{title} - {series_title(each.name)}",
            series_page(app, each.slug),
            sorted(each.posts, key=lambda post: (post.date, post.key)),
            ablog=False,
        )
        for each in blog_series(app.env)
    ]


def _ablog_key(ablog_post: Any) -> str:
    """ABlog's name of a post: ``docname``, or ``docname#section`` for a section post."""
    section = getattr(ablog_post, "section", "") or ""
    return f"{ablog_post.docname}#{section}" if section else str(ablog_post.docname)
