"""ablog-ext: Jekyll-style MyST posts and more for ABlog blogs in Sphinx."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ablog_ext._version import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    """Load MyST-Parser (or MyST-NB, when the site lists it) and ABlog, register
    ablog_ext's parts, connect its handlers (every one, with its priority and why,
    is in :mod:`ablog_ext.events`)."""
    from ablog_ext.blog.domain import BlogDomain
    from ablog_ext.config import setup_config
    from ablog_ext.events import connect_listeners
    from ablog_ext.pages.feeds import setup_feeds
    from ablog_ext.pages.html_theme import setup_theme
    from ablog_ext.pages.link_previews import setup_link_previews
    from ablog_ext.pages.passages import setup_themes
    from ablog_ext.pages.post_extras import setup_post_extras
    from ablog_ext.pages.review import setup_review
    from ablog_ext.reaches import setup_reaches
    from ablog_ext.reading.kramdown import setup_kramdown
    from ablog_ext.reading.notebook_posts import setup_notebook_posts
    from ablog_ext.reading.notebooks import setup_markdown
    from ablog_ext.reading.posts import setup_posts
    from ablog_ext.reading.safe_posts import setup_safe_posts
    from ablog_ext.speed.stale_pages import setup_fresh
    from ablog_ext.urls.permalinks import setup_permalinks

    setup_markdown(app)
    app.setup_extension("ablog")
    # First: every reach into ABlog, MyST, the theme and Sphinx is known before use.
    setup_reaches(app)
    setup_fresh(app)
    setup_config(app)
    app.add_domain(BlogDomain)
    setup_posts(app)
    setup_notebook_posts(app)
    setup_safe_posts(app)
    setup_kramdown(app)
    setup_permalinks(app)
    setup_themes(app)
    setup_review(app)
    setup_post_extras(app)
    setup_feeds(app)
    # sphinxext-opengraph's page handler (500) connected before ablog_ext's rows.
    setup_link_previews(app)
    setup_theme(app)
    connect_listeners(app)
    return {
        "version": __version__,
        # Bumped whenever what ablog_ext stores in the environment changes shape
        # (7: a post's front matter image, for link previews, and its series: every
        # post is read again).
        "env_version": 7,
        # Our state lives in BlogDomain, which merges; speed/parallel.py merges ABlog's.
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
