"""ablog-ext: Jekyll-style MyST posts and more for ABlog blogs in Sphinx."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ablog_ext._version import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    from ablog_ext.blog.archive_names import setup_archive_names
    from ablog_ext.blog.domain import BlogDomain, outdated_dependents
    from ablog_ext.blog.names import setup_names
    from ablog_ext.commands.versions import setup_versions
    from ablog_ext.config import setup_config
    from ablog_ext.pages.feeds import setup_feeds
    from ablog_ext.pages.html_theme import setup_theme
    from ablog_ext.pages.passages import setup_themes
    from ablog_ext.pages.review import setup_review
    from ablog_ext.reading.ablog_posts import setup_compat
    from ablog_ext.reading.discovery import setup_postfiles
    from ablog_ext.reading.encoding import setup_encoding
    from ablog_ext.reading.excerpts import setup_excerpts
    from ablog_ext.reading.kramdown import setup_kramdown
    from ablog_ext.reading.liquid import setup_liquid
    from ablog_ext.reading.outside import setup_outside
    from ablog_ext.reading.posts import setup_posts
    from ablog_ext.reading.safe_posts import setup_safe_posts
    from ablog_ext.speed.archive_entries import setup_archive_entries
    from ablog_ext.speed.navigation import setup_navigation
    from ablog_ext.speed.page_cache import setup_incremental
    from ablog_ext.speed.page_reads import setup_fresh
    from ablog_ext.speed.parallel import setup_parallel
    from ablog_ext.speed.sidebars import setup_sidebars
    from ablog_ext.speed.templates import setup_templatecache
    from ablog_ext.upstream import setup_upstream
    from ablog_ext.urls.permalinks import setup_permalinks
    from ablog_ext.urls.redirects import setup_redirects
    from ablog_ext.urls.root_folders import setup_root_folders

    app.setup_extension("myst_parser")
    app.setup_extension("ablog")
    # First: every reach into ABlog, MyST, the theme and Sphinx is checked before use.
    setup_upstream(app)
    setup_parallel(app)
    setup_excerpts(app)
    setup_incremental(app)
    setup_templatecache(app)
    setup_fresh(app)
    setup_config(app)
    setup_encoding(app)
    setup_outside(app)
    app.add_domain(BlogDomain)
    app.connect("env-get-outdated", outdated_dependents)
    setup_liquid(app)
    setup_posts(app)
    setup_safe_posts(app)
    setup_kramdown(app)
    setup_postfiles(app)
    setup_permalinks(app)
    setup_compat(app)
    setup_names(app)
    setup_archive_names(app)
    setup_redirects(app)
    setup_root_folders(app)
    setup_themes(app)
    setup_review(app)
    setup_feeds(app)
    setup_versions(app)
    # After feeds and reviews: their context values are set when it looks.
    setup_sidebars(app)
    setup_archive_entries(app)
    setup_theme(app)
    setup_navigation(app)
    return {
        "version": __version__,
        # Bumped whenever what ablog_ext stores in the environment changes shape.
        "env_version": 5,
        # Our state lives in BlogDomain, which merges; parallel.py merges ABlog's.
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
