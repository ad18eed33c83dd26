"""Pages at a post's old URLs (``redirect_from``, ``permalink``) that send readers on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from .domain import blog_domain
from .incremental import page_cache, page_output
from .render import writes_html_pages

logger = logging.getLogger(__name__)

TEMPLATE = "ablog_ext/redirect.html"
#: Pages Sphinx itself writes besides the documents.
_SPHINX_PAGES = {"genindex", "search", "py-modindex", "np-modindex"}


def redirect_pagename(path: str) -> str | None:
    """The Sphinx page name that serves the URL *path*, or ``None`` if none can.

    ``/old/`` and ``/old`` are served by ``old/index.html``, ``/old.html`` by
    ``old.html``: what a static host such as GitHub Pages looks for.
    """
    parts = urlsplit(path)
    url_path = parts.path.strip()
    if not url_path or parts.scheme or parts.netloc:
        return None
    segments = [segment for segment in url_path.split("/") if segment]
    if any(segment in {".", ".."} or "\\" in segment for segment in segments):
        return None
    if not segments:
        return "index"
    last = segments[-1]
    stem, dot, suffix = last.rpartition(".")
    if url_path.endswith("/") or not dot:
        return "/".join([*segments, "index"])
    if suffix.lower() in {"html", "htm"} and stem:
        return "/".join([*segments[:-1], stem])
    return None


def _ablog_pagenames(app: Sphinx) -> set[str]:
    """Archive pages ABlog generates; a redirect must not replace one."""
    from ablog.blog import Blog

    blog = Blog(app)
    names = {blog.posts.docname, blog.drafts.docname, blog.archive.docname}
    for catalog in [blog.archive, *blog.catalogs.values()]:
        names.add(catalog.docname)
        names.update(collection.docname for collection in catalog)
    return names


def collect_redirect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    builder = app.builder
    if not writes_html_pages(app):
        return
    domain = blog_domain(app.env)
    taken = set(app.env.found_docs) | _SPHINX_PAGES | _ablog_pagenames(app)
    claimed: dict[str, str] = {}
    cache = page_cache(app)
    baseurl = app.config.blog_baseurl or app.config.html_baseurl or ""
    for docname, record in domain.sorted_posts():
        for path, line in record["redirects"]:
            pagename = redirect_pagename(path)
            location = (docname, line)
            if pagename is None:
                logger.warning(
                    "cannot redirect %r: it is not a page path on this site",
                    path,
                    type="ablog_ext",
                    subtype="redirect",
                    location=location,
                )
                continue
            if pagename == docname:
                continue
            if pagename in taken:
                logger.warning(
                    "redirect %r refused: it would overwrite the page %r",
                    path,
                    pagename,
                    type="ablog_ext",
                    subtype="redirect",
                    location=location,
                )
                continue
            if pagename in claimed:
                if claimed[pagename] != docname:
                    logger.warning(
                        "redirect %r refused: %r already redirects there",
                        path,
                        claimed[pagename],
                        type="ablog_ext",
                        subtype="redirect",
                        location=location,
                    )
                continue
            claimed[pagename] = docname
            target = builder.get_target_uri(docname)
            if not cache.wanted(
                page_output(app, pagename), "redirect", target, record["title"], baseurl
            ):
                continue
            context = {
                "redirect_url": relative_uri(builder.get_target_uri(pagename), target),
                "redirect_title": record["title"],
                "redirect_canonical": urljoin(baseurl.rstrip("/") + "/", target) if baseurl else "",
                "language": app.config.language,
            }
            yield pagename, context, TEMPLATE


def setup_redirects(app: Sphinx) -> None:
    app.connect("html-collect-pages", collect_redirect_pages)
