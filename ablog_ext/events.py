"""The event pipeline: every handler ablog_ext connects, in the order it runs.

One row a handler: the Sphinx event, the priority (lower runs first; Sphinx's
and ABlog's own handlers run at 500, the default), the handler, and why it runs
where it does.  Rows of one event are listed in the order Sphinx calls them;
rows of equal priority are connected in the order they stand, which is the
order Sphinx keeps for them.

A few handlers are connected while a build runs, not here, because whether they
are needed is known only then (each is next to the code that decides):

- ``config-inited`` connects :func:`~ablog_ext.speed.sphinx_repeats.install_settings_cache`'s
  cache reset (``env-before-read-docs``) when its reach is on, and
  :mod:`ablog_ext.reading.discovery` sets ABlog's "tomorrow" for a build and
  puts it back (``env-before-read-docs``, ``build-finished``);
- ``builder-inited`` puts ablog_ext's handlers in place of two of ABlog's, at
  their priorities: its archive pages (:mod:`ablog_ext.speed.page_cache`,
  ``html-collect-pages``) and its page context, watched for what each page reads
  (:mod:`ablog_ext.speed.page_reads`, ``html-page-context`` at 450, before
  themes test their sidebars for emptiness); where a reach is off, a fallback
  handler is connected instead (:mod:`ablog_ext.speed.post_html`,
  :mod:`ablog_ext.speed.parallel`); the lenient codec of posts that are not
  UTF-8 is forgotten when the build that registered it ends
  (:mod:`ablog_ext.reading.encoding`);
- once the search indexer exists, :mod:`ablog_ext.speed.sphinx_repeats`
  memoises its stems (``doctree-resolved``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx

from ablog_ext import config
from ablog_ext.blog import archive_names, domain, names
from ablog_ext.commands import versions
from ablog_ext.pages import (
    box_html,
    feed_list,
    feeds,
    html_theme,
    link_previews,
    passages,
    post_extras,
    review,
    series,
    sitemap,
)
from ablog_ext.reaches import check_builder_reaches, check_config_reaches
from ablog_ext.reading import (
    ablog_posts,
    discovery,
    encoding,
    excerpts,
    liquid,
    matched,
    myst_post,
    outside,
    posts,
    safe_posts,
)
from ablog_ext.speed import (
    archive_entries,
    deleted_posts,
    later_pages,
    navigation,
    page_cache,
    page_reads,
    parallel,
    sidebars,
    sphinx_repeats,
    stale_pages,
    templates,
)
from ablog_ext.state import forget_build_state
from ablog_ext.urls import permalinks, redirects, root_folders

#: ABlog's handlers (and Sphinx's, and most themes') run at the default priority.
ABLOG = 500


@dataclass(frozen=True)
class Listener:
    event: str
    priority: int
    handler: Callable[..., Any]
    why: str


L = Listener

LISTENERS: tuple[Listener, ...] = (
    # -- config-inited: options read, checked and turned into what the build uses --
    L("config-inited", 0, check_config_reaches, "first: each reach is known on or off before use"),
    L("config-inited", 1, config.read_conf_names, "before anything asks provided_by_user"),
    L("config-inited", 2, discovery.own_source_suffix, "before Sphinx merges suffixes (800)"),
    L("config-inited", 2, parallel.install_blog_state, "ABlog's shared blog, per app, before use"),
    L("config-inited", 3, sphinx_repeats.install_settings_cache, "before any document is read"),
    L("config-inited", 3, myst_post.install_default_document, "before any post is read"),
    L("config-inited", 5, excerpts.memoize_post_html, "Post.to_html patched before pages render"),
    L("config-inited", 10, parallel.reset_blog_singleton, "the blog empty for each new build"),
    L("config-inited", 50, versions.configure_version, "`versions` sets values before checks"),
    L("config-inited", 100, config.validate_options, "each option checked once, before use"),
    L("config-inited", 101, root_folders.exclude_root_folders, "after the check of the folders"),
    L("config-inited", 110, feed_list.check_feed_templates, "after ablog_ext's own options"),
    L("config-inited", 120, link_previews.configure_previews,
      "after ablog_ext's own options; sphinxext-opengraph reads its own at each page"),
    L("config-inited", 440, outside.exclude_unusable_files,
      "links out of the source folder left out before anything reads the files"),
    L("config-inited", 450, discovery.register_post_suffixes,
      "before ABlog globs blog_post_pattern (500) and Sphinx merges suffixes (800)"),
    L("config-inited", ABLOG, parallel.allow_parallel_read, "ABlog's reading state made safe"),
    L("config-inited", 501, matched.match_post_pattern, "after ABlog's glob of the same pattern"),
    L("config-inited", 600, html_theme.configure_theme,
      "after ABlog made blog_post_pattern a list"),
    L("config-inited", 850, discovery.exclude_left_out_posts,
      "after Sphinx merged the suffixes (800) and ABlog matched the posts"),
    L("config-inited", 850, discovery.align_ablog_future, "with the posts left out"),
    # -- builder-inited: the builder and its templates exist ---------------------------
    L("builder-inited", 0, check_builder_reaches, "first: the builder's reaches checked"),
    L("builder-inited", 1, sphinx_repeats.install_stems_cache, "once the indexer exists"),
    L("builder-inited", ABLOG, excerpts.escape_ablog_templates, "ABlog's templates escaped"),
    L("builder-inited", ABLOG, page_cache.replace_ablog_archive_pages,
      "ABlog's archive pages generated only when changed"),
    L("builder-inited", ABLOG, page_reads.watch_templates, "ABlog's page context watched"),
    L("builder-inited", ABLOG, feeds.disable_ablog_feeds, "one writer for every feed"),
    L("builder-inited", ABLOG, feeds.explain_missing_baseurl, "once, before any page"),
    L("builder-inited", 800, sidebars.keep_sidebars, "after the theme's templates are loaded"),
    L("builder-inited", 801, archive_entries.keep_entries, "likewise, after the sidebars"),
    L("builder-inited", 802, later_pages.skip_chrome_handlers,
      "after the theme connected its handlers and the frames are made"),
    L("builder-inited", 900, templates.use_bytecode_cache,
      "after Sphinx made its template loader (its own builder-inited)"),
    # -- env-get-outdated: which documents to read again --------------------------------
    L("env-get-outdated", ABLOG, deleted_posts.note_removed_posts,
      "before Sphinx purges the removed posts' data"),
    L("env-get-outdated", ABLOG, domain.outdated_dependents, "pages listing a changed post"),
    # -- reading ------------------------------------------------------------------------
    L("env-before-read-docs", 100, parallel.start_reading, "before the posts' own preparations"),
    L("env-before-read-docs", ABLOG, encoding.read_posts_as_utf8, "before any post is read"),
    L("env-before-read-docs", ABLOG, liquid.start_liquid_site, "site.* once per build"),
    L("env-before-read-docs", 900, parallel.freeze_before_forks,
      "last: Sphinx forks its readers right after"),
    L("source-read", 0, parallel.forget_other_documents, "first: a worker keeps only its own"),
    L("doctree-read", 100, safe_posts.show_outside_files_as_code,
      "before Sphinx's image and download collectors (500) copy the files"),
    L("doctree-read", 450, ablog_posts.drop_empty_names, "before ABlog's process_posts (500)"),
    L("doctree-read", 599, permalinks.remember_front_matter,
      "before record_post drops the front matter"),
    L("doctree-read", 600, posts.record_post, "after ABlog's process_posts, before pickling"),
    L("doctree-read", 610, permalinks.record_old_url, "once the post's date is recorded"),
    L("doctree-read", 610, ablog_posts.record_section_posts, "after record_post"),
    L("env-merge-info", ABLOG, parallel.merge_ablog_posts, "ABlog's posts from each worker"),
    # -- env-updated: every document read --------------------------------------------------
    L("env-updated", 400, names.apply_names, "before pages_to_rewrite registers the posts"),
    L("env-updated", ABLOG, stale_pages.pages_to_rewrite, "pages whose blog reads changed"),
    L("env-updated", ABLOG, posts.forget_front_matter, "every post is read"),
    L("env-updated", ABLOG, sidebars.forget_kept, "the blog may have changed"),
    L("env-updated", ABLOG, archive_entries.forget_entries, "likewise"),
    L("env-updated", ABLOG, later_pages.forget_frames, "likewise"),
    L("env-updated", ABLOG, navigation.forget_swaps, "the toctrees may have changed"),
    L("env-updated", 900, archive_names.shorten_after_reading, "ABlog's catalogs are filled"),
    # -- writing ------------------------------------------------------------------------
    L("write-started", ABLOG, stale_pages.forget_reads, "until the build ends, reads unknown"),
    L("write-started", ABLOG, box_html.forget_stencils, "each build makes its own"),
    L("write-started", ABLOG, templates.hold_templates,
      "templates not checked for edits on each lookup while pages are written"),
    L("write-started", 900, parallel.freeze_before_forks,
      "last: Sphinx forks its writers right after"),
    L("doctree-resolved", 450, excerpts.guard_postlist_excerpts,
      "around ABlog's process_postlist (500)"),
    L("doctree-resolved", ABLOG, passages.resolve_theme_nodes, "the blog's passages known"),
    L("doctree-resolved", ABLOG, review.resolve_reviews, "the blog's posts known"),
    L("doctree-resolved", ABLOG, post_extras.add_post_extras,
      "reading time, series box, related posts: the blog's posts known"),
    L("doctree-resolved", 550, excerpts.restore_excerpts, "after ABlog's process_postlist"),
    L("html-collect-pages", 0, page_cache.note_generation, "first: this build generates pages"),
    L("html-collect-pages", 1, archive_names.shorten_before_pages, "before ABlog's archive pages"),
    L("html-collect-pages", ABLOG, redirects.write_redirect_pages, "generated pages"),
    L("html-collect-pages", ABLOG, passages.theme_pages, "generated pages"),
    L("html-collect-pages", ABLOG, review.review_pages, "generated pages"),
    L("html-collect-pages", ABLOG, series.series_pages, "generated pages"),
    L("html-collect-pages", ABLOG, feeds.write_feeds, "generated files"),
    L("html-page-context", 490, link_previews.post_fields,
      "before sphinxext-opengraph's (500), which reads the fields"),
    L("html-page-context", ABLOG, review.add_reviews_to_context, "before the sidebars' test"),
    L("html-page-context", ABLOG, feeds.feed_links, "before the sidebars' test"),
    L("html-page-context", ABLOG, post_extras.note_post_extras,
      "after page_reads' watcher (450) started the page's reads"),
    L("html-page-context", ABLOG, sidebars.skip_empty_check,
      "after feeds and reviews set their values, before the theme's own (connected later)"),
    L("html-page-context", 510, link_previews.article_tags,
      "after sphinxext-opengraph's (500): only the tags it lacks"),
    L("html-page-context", 900, html_theme.escape_header_nav,
      "after pydata-sphinx-theme's add_toctree_functions (500)"),
    L("html-page-context", 950, navigation.leave_posts_out,
      "after the title escaping: posts gone before anything walks the entries"),
    # -- build-finished -----------------------------------------------------------------
    L("build-finished", 400, stale_pages.keep_reads, "before page_cache.finish saves them"),
    L("build-finished", ABLOG, parallel.thaw, "objects frozen for forks are freed"),
    L("build-finished", ABLOG, page_cache.finish, "the page cache saved"),
    L("build-finished", ABLOG, discovery.remove_left_out_output, "pages of posts left out"),
    L("build-finished", ABLOG, root_folders.copy_root_folders, "the root folders copied"),
    L("build-finished", 600, sitemap.write_sitemap,
      "after the page cache removed pages the site no longer has"),
    L("build-finished", 900, templates.release_templates,
      "templates checked for edits again, before the state is forgotten"),
    L("build-finished", 1000, forget_build_state, "last: the next build starts afresh"),
)  # fmt: skip


def connect_listeners(app: Sphinx) -> None:
    """Connect every row of :data:`LISTENERS`, in order."""
    for listener in LISTENERS:
        app.connect(listener.event, listener.handler, priority=listener.priority)
