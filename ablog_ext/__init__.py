"""ablog-ext: Jekyll-style MyST posts and more for ABlog blogs in Sphinx."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    from .archive_entries import setup_archive_entries
    from .compat import setup_compat
    from .config import setup_config
    from .domain import BlogDomain, outdated_dependents
    from .encoding import setup_encoding
    from .excerpts import setup_excerpts
    from .feeds import setup_feeds
    from .fresh import setup_fresh
    from .incremental import setup_incremental
    from .kramdown import setup_kramdown
    from .liquid import setup_liquid
    from .names import setup_names
    from .navigation import setup_navigation
    from .parallel import setup_parallel
    from .permalinks import setup_permalinks
    from .postfiles import setup_postfiles
    from .posts import setup_posts
    from .redirects import setup_redirects
    from .review import setup_review
    from .rootfolders import setup_root_folders
    from .sidebars import setup_sidebars
    from .templatecache import setup_templatecache
    from .theme import setup_theme
    from .themes import setup_themes
    from .upstream import setup_upstream
    from .versions import setup_versions

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
    app.add_domain(BlogDomain)
    app.connect("env-get-outdated", outdated_dependents)
    setup_liquid(app)
    setup_posts(app)
    setup_kramdown(app)
    setup_postfiles(app)
    setup_permalinks(app)
    setup_compat(app)
    setup_names(app)
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
