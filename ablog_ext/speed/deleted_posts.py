"""The pages of deleted posts go.

A post whose source is gone (deleted, renamed, left out) leaves its page behind
in Sphinx's output; when the build finishes (:func:`.stale_pages.keep_reads`)
:func:`remove_deleted_posts` removes it, with its ``_sources`` copy, unless
another page now has its address (a redirect from the old URL).  The posts of
the last build are kept in the page cache's file (``"posts"``); the posts
removed from the sources are seen when Sphinx looks for outdated documents.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ablog_ext.blog.domain import blog_domain
from ablog_ext.reading.post_doctree import ablog_env_posts
from ablog_ext.speed.page_cache import PageCache, page_output, remove_output
from ablog_ext.state import Slot, build_state

logger = logging.getLogger("ablog_ext.fresh")

#: Posts removed from the sources, seen when Sphinx looked for outdated documents
#: (``env-get-outdated``); taken when the build finishes.
_REMOVED: Slot[set[str]] = Slot("deleted posts: removed from the sources", lambda app: set())


def note_removed_posts(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: the posts among the removed documents (their data is
    purged right after)."""
    posts = post_docnames(env)
    build_state(app).get(_REMOVED).update(name for name in removed if name in posts)
    return []


def removed_posts(app: Sphinx) -> set[str]:
    """The posts this build saw removed from the sources, so far."""
    return build_state(app).peek(_REMOVED) or set()


def take_removed_posts(app: Sphinx) -> set[str]:
    """The posts this build saw removed from the sources, forgotten here."""
    return build_state(app).pop(_REMOVED) or set()


def post_docnames(env: BuildEnvironment) -> set[str]:
    """Every post the environment knows: ABlog's, and those ablog_ext read."""
    return set(ablog_env_posts(env)) | set(blog_domain(env).posts)


def remove_deleted_posts(
    app: Sphinx, cache: PageCache, removed: set[str], produced: set[str]
) -> None:
    """The page and ``_sources`` copy of each post the sources no longer have, unless
    this build made a page at that address (a redirect from the post's old URL)."""
    env = app.env
    previous = cache.stored.get("posts")
    gone = (set(previous) if isinstance(previous, list) else set()) | removed
    gone -= env.found_docs
    if not gone:
        return
    sources = {_source_copy(app, docname, None) for docname in env.found_docs}
    outdir = Path(app.outdir).resolve()
    removed_pages = 0
    for docname in sorted(gone):
        page = page_output(app, docname)
        if page not in produced and remove_output(outdir, page):
            removed_pages += 1
        for suffix in app.config.source_suffix:
            copy = _source_copy(app, docname, suffix)
            if copy not in sources:
                remove_output(outdir, copy)
    if removed_pages:
        logger.info("ablog_ext: removed the page(s) of %d deleted post(s)", removed_pages)


def _source_copy(app: Sphinx, docname: str, suffix: str | None) -> str:
    """Where Sphinx copies a document's source (``_sources/<docname><suffix>.txt``)."""
    if suffix is None:
        suffix = Path(str(app.env.doc2path(docname, False))).suffix
    name = f"{docname}{suffix}"
    link_suffix = app.config.html_sourcelink_suffix
    if link_suffix and not name.endswith(link_suffix):
        name += link_suffix
    return f"_sources/{name}"
