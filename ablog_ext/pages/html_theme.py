"""Working well with pydata-sphinx-theme (and any other theme)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from ablog_ext import upstream
from ablog_ext.config import post_patterns, provided_by_user

TEMPLATES = str(Path(__file__).parent.parent / "templates")
STATIC = str(Path(__file__).parent.parent / "static")
PYDATA = "pydata_sphinx_theme"
#: ABlog's sidebar templates, as pydata-sphinx-theme documents them.
BLOG_SIDEBARS = [
    "ablog/postcard.html",
    "ablog/recentposts.html",
    "ablog/archives.html",
    "ablog/categories.html",
    "ablog/tagcloud.html",
]


def configure_theme(app: Sphinx, config: Config) -> None:
    config.templates_path = [*config.templates_path, TEMPLATES]
    config.html_static_path = [*config.html_static_path, STATIC]
    if config.html_theme != PYDATA:
        return
    # pydata-sphinx-theme sets this at builder-inited when it sees ABlog; set later
    # than config-inited, Sphinx takes it for a changed config and re-reads every
    # document on every build.  Setting it here first keeps no-op rebuilds no-ops.
    if not provided_by_user(config, "fontawesome_included"):
        config.fontawesome_included = True
    if config.ablog_ext_sidebars and not provided_by_user(config, "html_sidebars"):
        sidebars = {}
        for pattern in post_patterns(config):
            for pagenames in _pagename_patterns(pattern):
                sidebars[pagenames] = BLOG_SIDEBARS
        blog_sidebars = ["ablog_ext/feeds.html", *BLOG_SIDEBARS[1:]]
        if config.ablog_ext_review_pages:
            blog_sidebars = [*blog_sidebars[:3], "ablog_ext/reviews.html", *blog_sidebars[3:]]
        sidebars[f"{config.blog_path}/**"] = blog_sidebars
        sidebars[config.blog_path] = blog_sidebars
        config.html_sidebars = sidebars


def _pagename_patterns(source_pattern: str) -> list[str]:
    """``html_sidebars`` patterns of the pages of a ``blog_post_pattern``.  In the
    glob (as ABlog reads it) ``posts/**/*.md`` also matches ``posts/a.md``; in
    ``html_sidebars`` ``posts/**/*`` needs a folder, so ``posts/*`` comes too."""
    path = PurePosixPath(source_pattern)
    pattern = str(path.with_suffix("")) if path.suffix else str(path)
    patterns = [pattern]
    while "/**/" in pattern:
        pattern = pattern.replace("/**/", "/", 1)
        patterns.append(pattern)
    if pattern.startswith("**/"):
        patterns.append(pattern[3:])
    return patterns


def escape_header_nav(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``, after pydata-sphinx-theme's: page titles are text, so
    its header links (the navbar, and the sidebar on narrow screens) get them escaped.

    The theme builds those links from the titles' text and prints it into HTML as
    it is: a page titled ``Why <div> matters`` (or a post whose front matter title
    is a ``<script>``) would put markup into every page of the site.
    """
    original = context.get("generate_header_nav_html")
    if not callable(original) or getattr(original, _ESCAPING, False):
        return

    generate_header_nav_html = upstream.PYDATA_HEADER_NAV.escaping(app, original)
    setattr(generate_header_nav_html, _ESCAPING, True)
    context["generate_header_nav_html"] = generate_header_nav_html


_ESCAPING = "_ablog_ext_escapes_titles"


def setup_theme(app: Sphinx) -> None:
    # After ABlog's config-inited, which normalises blog_post_pattern to a list.
    app.connect("config-inited", configure_theme, priority=600)
    # After pydata-sphinx-theme's add_toctree_functions (default priority).
    app.connect("html-page-context", escape_header_nav, priority=900)
    app.add_css_file("ablog_ext.css")
