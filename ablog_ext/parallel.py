"""Make ABlog's reading state safe for ``sphinx-build -j``.

ABlog keeps its posts in ``env.ablog_posts`` and declares parallel reading unsafe
because nothing merges that dict back from the worker processes.  Merging it here
is all that was missing (its labels live in the std domain, which merges itself),
so the declaration can be lifted and ``-j auto`` works, warning-free.

ABlog also keeps a process-wide ``Blog`` singleton; it is reset when a build
starts, so two builds in one process (tests, sphinx-autobuild) never share posts.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from . import upstream


def merge_ablog_posts(
    app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
) -> None:
    posts: dict[str, Any] = upstream.ABLOG_ENV_POSTS.posts(other)
    if not posts:
        return
    merged: dict[str, Any] = upstream.ABLOG_ENV_POSTS.posts(env)
    for docname in docnames:
        if docname in posts:
            for info in posts[docname]:
                _rebind(info.get("doctree"), env)
            merged[docname] = posts[docname]
    upstream.ABLOG_ENV_POSTS.set_posts(env, merged)


def _rebind(node: Any, env: BuildEnvironment) -> None:
    """A post's doctree, read by a worker process, points (through its document's
    settings) at that worker's whole environment: kept in ``env``, every parallel
    build would nest another copy of the environment in the pickle, doubling it.
    Point it at ``env``, as a doctree read here does."""
    document = node if isinstance(node, nodes.document) else getattr(node, "document", None)
    settings = getattr(document, "settings", None)
    if settings is not None and getattr(settings, "env", None) is not None:
        settings.env = env


def reset_blog_singleton(app: Sphinx, config: Config) -> None:
    upstream.ABLOG_BLOG_STATE.reset(app)


def allow_parallel_read(app: Sphinx, config: Config) -> None:
    upstream.SPHINX_PARALLEL_READ.allow(app)


def setup_parallel(app: Sphinx) -> None:
    app.connect("env-merge-info", merge_ablog_posts)
    app.connect("config-inited", reset_blog_singleton, priority=10)
    app.connect("config-inited", allow_parallel_read)
