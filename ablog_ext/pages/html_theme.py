"""Working well with pydata-sphinx-theme (and any other theme)."""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from docutils import nodes
from markupsafe import Markup
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from ablog_ext.config import post_patterns, provided_by_user
from ablog_ext.reaches.pydata import PYDATA_HEADER_NAV

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
    # ABlog's elements adapted to this theme only: every other theme shows them as
    # it does without ablog_ext (ablog_ext.css styles ablog_ext's own elements).
    app.add_css_file("ablog_ext_pydata.css")
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

    generate_header_nav_html = _escaping(app, original)
    setattr(generate_header_nav_html, _ESCAPING, True)
    context["generate_header_nav_html"] = generate_header_nav_html


_ESCAPING = "_ablog_ext_escapes_titles"


def _escaping(app: Sphinx, original: Callable[..., Any]) -> Callable[..., Any]:
    """*original* (the theme's ``generate_header_nav_html``), with titles escaped:
    while it runs (:data:`~ablog_ext.reaches.pydata.PYDATA_HEADER_NAV`), or else
    in its HTML afterwards."""
    if PYDATA_HEADER_NAV.on(app):

        def generate_header_nav_html(*args: Any, **kwargs: Any) -> Any:
            with _pydata_nav_reads_html_titles(app.env):
                return original(*args, **kwargs)

        return generate_header_nav_html

    def escaped_afterwards(*args: Any, **kwargs: Any) -> Any:
        return _escape_known_titles(app.env, original(*args, **kwargs))

    return escaped_afterwards


@contextlib.contextmanager
def _pydata_nav_reads_html_titles(env: BuildEnvironment) -> Iterator[None]:
    """While pydata-sphinx-theme makes its header links, ``env.titles`` and the
    root document's toctree entries hold escaped text; nothing is left changed."""
    titles = env.titles
    root_toc = env.tocs.get(env.config.root_doc)
    toctrees = list(root_toc.findall(addnodes.toctree)) if root_toc is not None else []
    entries = [toctree["entries"] for toctree in toctrees]
    env.titles = _EscapedTitles(titles)  # type: ignore[assignment]
    for toctree in toctrees:
        toctree["entries"] = [
            (html.escape(title) if isinstance(title, str) else title, page)
            for title, page in toctree["entries"]
        ]
    try:
        yield
    finally:
        env.titles = titles
        for toctree, saved in zip(toctrees, entries, strict=True):
            toctree["entries"] = saved


class _EscapedTitles(Mapping[str, nodes.title]):
    """``env.titles`` whose text is escaped for HTML, made one title at a time."""

    def __init__(self, titles: Mapping[str, nodes.title]) -> None:
        self.titles = titles

    def __getitem__(self, docname: str) -> nodes.title:
        escaped = nodes.title()
        for child in self.titles[docname].children:
            text = html.escape(child.astext())
            escaped += nodes.math(text, text) if isinstance(child, nodes.math) else nodes.Text(text)
        return escaped

    def __contains__(self, docname: object) -> bool:
        return docname in self.titles

    def __iter__(self) -> Iterator[str]:
        return iter(self.titles)

    def __len__(self) -> int:
        return len(self.titles)


def _escape_known_titles(env: BuildEnvironment, output: Any) -> Any:
    """Without the reach: each title that needs escaping, found as text in the
    theme's HTML, escaped there."""
    if not isinstance(output, str):
        return output
    texts: set[str] = {title.astext() for title in env.titles.values()}
    root_toc = env.tocs.get(env.config.root_doc)
    for toctree in root_toc.findall(addnodes.toctree) if root_toc is not None else []:
        texts.update(title for title, _ in toctree["entries"] if isinstance(title, str))
    for text in sorted(texts, key=len, reverse=True):
        escaped = html.escape(text, quote=False)
        if escaped != text and text in output:
            pattern = re.compile(rf"(>\s*){re.escape(text)}(\s*<)")
            output = pattern.sub(rf"\g<1>{escaped.replace(chr(92), chr(92) * 2)}\g<2>", output)
    return Markup(output) if isinstance(output, Markup) else output


#: ABlog's templates of the pages its archive generator writes.
_ARCHIVE_TEMPLATES = {"ablog/catalog.html", "ablog/collection.html", "ablog/redirect.html"}


def escape_page_titles(context: dict[str, Any]) -> None:
    """Themes print a page's title as HTML; ABlog's are plain text (a category
    name from front matter may hold markup)."""
    for key in ("title", "feed_title"):
        if isinstance(context.get(key), str):
            context[key] = html.escape(context[key], quote=True)


def escape_archive_titles(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """When ABlog's archive generator stays (not replaced by
    :mod:`ablog_ext.speed.page_cache`): its pages' titles escaped as each page is
    written, whatever generated it."""
    if templatename in _ARCHIVE_TEMPLATES and doctree is None:
        escape_page_titles(context)


def setup_theme(app: Sphinx) -> None:
    app.add_css_file("ablog_ext.css")
