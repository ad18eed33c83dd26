"""Pages at a post's old URLs (its Jekyll URL, ``redirect_from``) that send readers on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ablog_ext.blog.domain import blog_domain
from ablog_ext.config import conf_py
from ablog_ext.jekyll.permalinks import destination
from ablog_ext.pages.pagination import labels, later_pages, page_count, page_name
from ablog_ext.pages.render import writes_html_pages
from ablog_ext.speed.page_cache import page_cache, page_output
from ablog_ext.urls.permalinks import old_urls

logger = logging.getLogger("ablog_ext.redirects")

TEMPLATE = "ablog_ext/redirect.html"
#: No file name holds these (NUL stops the file system calls).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Pages Sphinx itself writes besides the documents.
_SPHINX_PAGES = {"genindex", "search", "py-modindex", "np-modindex"}


def redirect_output(path: str) -> str | None:
    """The file, relative to the output folder, that serves the ``redirect_from``
    path *path*, or ``None`` if none can.

    ``/old/`` and ``/old`` are served by ``old/index.html``, ``/old.html`` by
    ``old.html``: what a static host such as GitHub Pages looks for.
    """
    parts = urlsplit(path)
    url_path = parts.path.strip()
    if not url_path or parts.scheme or parts.netloc or _CONTROL.search(url_path):
        return None
    segments = [segment for segment in url_path.split("/") if segment]
    if any(segment in {".", ".."} or "\\" in segment for segment in segments):
        return None
    if not segments:
        return "index.html"
    last = segments[-1]
    stem, dot, suffix = last.rpartition(".")
    if url_path.endswith("/") or not dot:
        return "/".join([*segments, "index.html"])
    if suffix.lower() in {"html", "htm"} and stem:
        return "/".join(segments)
    return None


def _generated_pagenames(app: Sphinx) -> set[str]:
    """Pages ABlog and ablog_ext generate; a redirect must not replace one."""
    from ablog.blog import Blog

    blog = Blog(app)
    names = {blog.archive.docname}
    per_page = app.config.ablog_ext_posts_per_page
    collections = [blog.posts, blog.drafts]
    for catalog in [blog.archive, *blog.catalogs.values()]:
        names.add(catalog.docname)
        collections += list(catalog)
    for collection in collections:
        names.add(collection.docname)
        names.update(later_pages(collection.docname, len(collection), per_page))
    return names | own_generated_pagenames(app)


def own_generated_pagenames(app: Sphinx) -> set[str]:
    """Pages ablog_ext generates: the years in review, the series and the themes."""
    from ablog_ext.blog.queries import theme_passages
    from ablog_ext.pages.passages import group_by_theme
    from ablog_ext.pages.review import review_years
    from ablog_ext.pages.series import blog_series, series_page

    names: set[str] = set()
    blog_path = str(app.config.blog_path).strip("/")
    if app.config.ablog_ext_review_pages:
        names.update(f"{blog_path}/review/{year}" for year in review_years(app))
    for series in blog_series(app.env):
        names.update((f"{blog_path}/series", series_page(app, series.slug)))
    groups = group_by_theme(theme_passages(app.env))
    if groups:
        names.add(f"{blog_path}/theme")
        names.update(f"{blog_path}/theme/{slug}" for _name, slug, _group in groups)
    return names


@dataclass(frozen=True)
class Redirect:
    """A page to write at *output* (relative to the output folder), for *path*."""

    docname: str
    path: str
    line: int
    output: str | None
    #: The post's URL on its Jekyll site, rather than a ``redirect_from`` path.
    old_url: bool


def wanted_redirects(env: BuildEnvironment) -> Iterator[Redirect]:
    """Every post's old URL, then every ``redirect_from``: where two claim one file,
    the first wins (of two posts with one old URL, the one Jekyll served there)."""
    for docname, url, line in old_urls(env):
        yield Redirect(docname, url, line, destination(url), old_url=True)
    for docname, record in blog_domain(env).sorted_posts():
        for path, line in record["redirects"]:
            yield Redirect(docname, path, line, redirect_output(path), old_url=False)


def _refuse(redirect: Redirect, reason: str, *args: object) -> None:
    if redirect.old_url:
        message, subtype = "no redirect from the post's old URL %r: " + reason, "permalink"
    else:
        message, subtype = "redirect %r refused: " + reason, "redirect"
    logger.warning(
        message,
        redirect.path,
        *args,
        type="ablog_ext",
        subtype=subtype,
        location=(redirect.docname, redirect.line),
    )


def write_redirect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: write each redirect page at the very file a static
    host serves for its path, whatever the builder (``dirhtml`` would put a page
    named ``old`` at ``old/index.html``, not ``old.html``)."""
    if not writes_html_pages(app):
        return
    domain = blog_domain(app.env)
    pages = set(app.env.found_docs) | _SPHINX_PAGES | _generated_pagenames(app)
    taken = {page_output(app, pagename): pagename for pagename in sorted(pages)}
    claimed: dict[str, str] = {}
    for redirect in wanted_redirects(app.env):
        output, docname = redirect.output, redirect.docname
        if output is None:
            if redirect.old_url:
                _refuse(redirect, "it is not a page path on this site")
            else:
                logger.warning(
                    "cannot redirect %r: it is not a page path on this site",
                    redirect.path,
                    type="ablog_ext",
                    subtype="redirect",
                    location=(docname, redirect.line),
                )
            continue
        if output == page_output(app, docname):
            continue  # the post is there already
        if output in taken:
            _refuse(redirect, "it would overwrite the page %r", taken[output])
            continue
        if output in claimed:
            if claimed[output] != docname:
                _refuse(redirect, "%r already redirects there", claimed[output])
            continue
        claimed[output] = docname
        title = domain.posts[docname]["title"]
        problem = _write_redirect(app, output, docname, title)
        if problem is not None:
            _refuse(redirect, "cannot write %s (%s)", output, problem)
    for output, pagename, title in page_redirects(app):
        if output in taken or output in claimed:
            continue  # a page of the site's own, or a post's old URL, is there
        claimed[output] = pagename
        problem = _write_redirect(app, output, pagename, title)
        if problem is not None:
            # Asked for by an option: the warning names conf.py, where it is set.
            logger.warning(
                conf_py(app) + "no redirect from the blog's old page %s "
                "(ablog_ext_paginate_path %r): cannot write it (%s)",
                output,
                app.config.ablog_ext_paginate_path,
                problem,
                type="ablog_ext",
                subtype="redirect",
            )
    yield from ()


def _write_redirect(app: Sphinx, output: str, pagename: str, title: str) -> Any:
    """The redirect page at *output* to *pagename*, unless the page cache has it
    already; what kept it from being written, or ``None``."""
    builder = app.builder
    baseurl = app.config.blog_baseurl or app.config.html_baseurl or ""
    target = builder.get_target_uri(pagename)
    if not page_cache(app).wanted(output, "redirect", target, title, baseurl):
        return None
    context = {
        # Up to the root and down: the path may hold a '#', which relative_uri cuts at.
        "redirect_url": "../" * output.count("/") + target,
        "redirect_title": title,
        "redirect_canonical": urljoin(baseurl.rstrip("/") + "/", target) if baseurl else "",
        "language": app.config.language,
    }
    outdir = Path(app.outdir).resolve()
    try:
        file = (outdir / output).resolve()
        if outdir not in file.parents:
            return None
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(builder.templates.render(TEMPLATE, context), encoding="utf-8")
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        return getattr(error, "strerror", None) or error
    return None


def page_redirects(app: Sphinx) -> Iterator[tuple[str, str, str]]:
    """``(output, pagename, title)`` of a redirect from each later page of the blog at
    its old Jekyll URL (``ablog_ext_paginate_path``, Jekyll's ``paginate_path``:
    ``/page:num/``) to its page here (``blog/page/2``)."""
    from ablog.blog import Blog

    pattern = str(app.config.ablog_ext_paginate_path or "")
    per_page = app.config.ablog_ext_posts_per_page
    if ":num" not in pattern or not per_page:
        return
    blog = Blog(app)
    title = str(app.config.blog_title or app.config.project or "")
    for number in range(2, page_count(len(blog.posts), per_page) + 1):
        output = redirect_output(pattern.replace(":num", str(number)))
        if output is not None:
            label = labels(number, page_count(len(blog.posts), per_page))["label"]
            yield output, page_name(blog.posts.docname, number), f"{title}: {label}"
