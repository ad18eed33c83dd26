"""``sitemap.xml`` and ``robots.txt``, when the site has a URL.

ablog_ext writes them itself rather than through sphinx-sitemap, which lists the
pages written by the current build only (an incremental build's sitemap lacks
every page it did not rewrite), in the order its writers finish, with ``lastmod``
only from git, and would list drafts: here the pages come from the environment,
every build, sorted, each post's ``lastmod`` its update date (or its date), each
archive page's the newest of its posts'.

Never listed: drafts and posts not yet published (:func:`hidden_pages`), ABlog's
page of drafts, redirect pages (not pages of the site), pages of posts left out
(not documents), Sphinx's search and index pages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

from sphinx.application import Sphinx
from sphinx.util import logging

from ablog_ext.blog.queries import listed_posts
from ablog_ext.pages.link_previews import hidden_pages, post_times, site_base
from ablog_ext.reaches.ablog import ABLOG_ENV_POSTS

logger = logging.getLogger("ablog_ext.sitemap")

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
#: What one sitemap file may hold (sitemaps.org).
MOST_URLS = 50_000
#: The builders that write a page per document, at the URL ``get_target_uri`` gives.
_PAGE_BUILDERS = {"html", "dirhtml"}
#: Characters a URL keeps as they are; the others are percent-encoded.
_URL_SAFE = "/:@!$&'()*+,;=~-._%"


def sitemap_pages(app: Sphinx) -> dict[str, dt.datetime | None]:
    """Every page to list, with its ``lastmod`` (``None``: the page has no date)."""
    from ablog.blog import Blog
    from ablog.post import register_posts

    from ablog_ext.pages.pagination import later_pages
    from ablog_ext.urls.redirects import own_generated_pagenames

    env = app.env
    hidden = hidden_pages(app)
    stamps: dict[str, dt.datetime] = {}
    for post in listed_posts(env):
        modified = post_times(app, post)[1]
        if post.docname not in stamps or modified > stamps[post.docname]:
            stamps[post.docname] = modified
    pages: dict[str, dt.datetime | None] = {
        doc: stamps.get(doc) for doc in env.found_docs if doc not in hidden
    }
    for name in own_generated_pagenames(app):
        pages.setdefault(name, None)
    blog = Blog(app)
    if not blog:
        register_posts(app)
    per_page = app.config.ablog_ext_posts_per_page

    def archive(docname: str, posts: int, lastmod: dt.datetime | None) -> None:
        # Its later pages too (ablog_ext_posts_per_page), dated as the archive.
        for name in [docname, *later_pages(docname, posts, per_page)]:
            pages[name] = lastmod

    archive(blog.posts.docname, len(blog.posts), max(stamps.values(), default=None))
    # The archive pages ABlog writes: none for an empty catalog or collection.
    for catalog in [blog.archive, *blog.catalogs.values()]:
        dates: list[dt.datetime] = []
        for collection in catalog:
            own = [stamps[p.docname] for p in collection if p.docname in stamps]
            if len(collection):
                archive(collection.docname, len(collection), max(own, default=None))
            dates += own
        if catalog:
            pages[catalog.docname] = max(dates, default=None)
    return pages


def sitemap_xml(urls: list[tuple[str, dt.datetime | None]]) -> bytes:
    """The sitemap of *urls* (``(URL, lastmod)``), in that order."""
    urlset = ElementTree.Element("urlset", xmlns=NAMESPACE)
    for loc, lastmod in urls:
        url = ElementTree.SubElement(urlset, "url")
        ElementTree.SubElement(url, "loc").text = loc
        if lastmod is not None:
            ElementTree.SubElement(url, "lastmod").text = lastmod.isoformat()
    ElementTree.indent(urlset)
    body = ElementTree.tostring(urlset, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: ``sitemap.xml`` and ``robots.txt``, the same bytes for
    the same site whatever was rebuilt."""
    base = site_base(app.config)
    # One page a URL: not singlehtml's one page, nor an e-book.
    if exception is not None or not base or app.builder.name not in _PAGE_BUILDERS:
        return
    if not ABLOG_ENV_POSTS.on(app):
        return  # No records of the posts: no dates, no way to tell drafts (its warning says so).
    if "sphinx_sitemap" in app.config.extensions:
        logger.info("ablog_ext: sphinx-sitemap writes sitemap.xml; ablog_ext writes none")
        return
    builder = app.builder
    urls = sorted(
        (base + quote(builder.get_target_uri(name), safe=_URL_SAFE), lastmod)
        for name, lastmod in sitemap_pages(app).items()
    )
    if len(urls) > MOST_URLS:
        logger.warning(
            "sitemap.xml: %d pages, more than the %d a sitemap may list; the first %d are",
            len(urls),
            MOST_URLS,
            MOST_URLS,
            type="ablog_ext",
            subtype="sitemap",
        )
        urls = urls[:MOST_URLS]
    outdir = Path(app.outdir)
    _write_if_changed(outdir / SITEMAP, sitemap_xml(urls))
    if _site_has_own_robots(app):
        return
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {base}{SITEMAP}\n"
    _write_if_changed(outdir / ROBOTS, robots.encode("utf-8"))


def _site_has_own_robots(app: Sphinx) -> bool:
    """A ``robots.txt`` in ``html_extra_path`` is the site's own: left as it is."""
    confdir = Path(app.confdir)
    return any((confdir / str(extra) / ROBOTS).is_file() for extra in app.config.html_extra_path)


def _write_if_changed(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    path.write_bytes(data)


__all__ = ["sitemap_pages", "sitemap_xml", "write_sitemap"]
