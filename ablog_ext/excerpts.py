"""Render each ABlog post's HTML once per build, not once per page that shows it.

ABlog's archive pages call ``Post.to_html`` for every post on every page that
lists it (3,108 renders for 300 posts), each through docutils' ``new_document``,
which builds a whole option parser per call.  The HTML only depends on the
folder of the page it is rendered for (links are relative), so it is kept per
folder on the post, which ABlog creates afresh every build.
"""

from __future__ import annotations

import functools
import posixpath
from typing import Any

from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.util.docutils import new_document

_MARK = "_ablog_ext_memoized"


def memoize_post_html() -> None:
    from ablog import blog as ablog_blog

    # Sphinx's new_document caches the default settings that docutils' rebuilds.
    ablog_blog.new_document = new_document
    original = ablog_blog.Post.to_html
    if getattr(original, _MARK, False):
        return

    @functools.wraps(original)
    def to_html(
        self: Any, pagename: str, fulltext: bool = False, drop_h1: Any = True, img_url: bool = False
    ) -> str:
        builder = self._blog.app.builder
        folder = posixpath.dirname(builder.get_target_uri(pagename))
        key = (folder, fulltext, drop_h1, img_url)
        cache: dict[tuple[Any, ...], str] = self.__dict__.setdefault("_ablog_ext_html", {})
        if key not in cache:
            html = original(self, pagename, fulltext=fulltext, drop_h1=drop_h1, img_url=img_url)
            # Markup: HTML that the autoescaping of ABlog's templates must keep.
            cache[key] = Markup(html)
        return cache[key]

    setattr(to_html, _MARK, True)
    ablog_blog.Post.to_html = to_html


def escape_ablog_templates(app: Sphinx) -> None:
    """Turn on Jinja's autoescaping for ABlog's templates (and ours).

    Sphinx renders templates without it, and ABlog's print post titles, category,
    tag and author names as they are: a title such as ``<script>...`` in front
    matter would reach every archive page and sidebar as markup.  The only HTML
    those templates print, a post's excerpt, comes through ``to_html`` as
    ``Markup``, which autoescaping leaves alone.
    """
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is None:
        return
    previous = environment.autoescape

    def autoescape(name: str | None) -> bool:
        if name and name.startswith(("ablog/", "ablog_ext/")):
            return True
        return bool(previous(name) if callable(previous) else previous)

    environment.autoescape = autoescape


def setup_excerpts(app: Sphinx) -> None:
    memoize_post_html()
    app.connect("builder-inited", escape_ablog_templates)
