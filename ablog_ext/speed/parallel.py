"""Make ABlog's reading state safe, and small, for ``sphinx-build -j``.

ABlog keeps its posts in ``env.ablog_posts`` and declares parallel reading unsafe
because nothing merges that dict back from the worker processes.  Merging it here
is all that was missing (its labels live in the std domain, which merges itself),
so the declaration can be lifted and ``-j auto`` works, warning-free.

What a worker sends back is kept small.  Sphinx forks each worker from the main
process, which by then holds every post merged from the workers before it, and
each worker pickles its whole environment back.  A worker forgets, before it reads
its first document, ABlog's posts and ablog_ext's records of documents it does not
read (the main process keeps them, and merges only the worker's own documents), so
each worker sends back its own posts and no earlier worker's.  ABlog's copy of each
post, which linked the whole environment that read it, is a stand-in
(:class:`~ablog_ext.reading.post_doctree.PostDoctree`), pointed at the main environment when merged.

ABlog also keeps a process-wide ``Blog`` singleton; it is reset when a build
starts, so two builds in one process (tests, sphinx-autobuild) never share posts,
and ``Blog.__init__`` is patched (:data:`~ablog_ext.reaches.ablog.ABLOG_BLOG_STATE`)
so that another application never gets the blog an ablog_ext build left.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from collections.abc import Set
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from ablog_ext.blog.domain import blog_domain
from ablog_ext.reaches.ablog import ABLOG_BLOG_STATE, ABLOG_ENV_POSTS
from ablog_ext.reaches.base import loaded_by
from ablog_ext.reaches.sphinx import SPHINX_PARALLEL_READ
from ablog_ext.reading import post_doctree
from ablog_ext.reading.post_doctree import ablog_env_posts, has_ablog_env_posts, set_ablog_env_posts
from ablog_ext.speed.patches import replace_once
from ablog_ext.state import Slot, build_state

#: The process that reads (and merges) this build; any other is a worker.
_READER: Slot[int] = Slot("parallel: the reading process")
#: The worker that already forgot what earlier workers read (a worker reads one
#: chunk): set in the worker's copy of the state.
_FORGOTTEN: Slot[int] = Slot("parallel: the worker that forgot")
#: Set while the main process's objects are frozen (:func:`freeze_before_forks`).
_FROZEN: Slot[bool] = Slot("parallel: objects frozen")


def start_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``, in the main process: remember it, and point
    ABlog's stand-ins at this (maybe unpickled) environment."""
    state = build_state(app)
    state.set(_READER, os.getpid())
    state.pop(_FORGOTTEN)
    post_doctree.bind(env)


def forget_other_documents(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: in a ``-j`` worker, before its first document, drop the
    posts and records it will not send back (the main process has them)."""
    pid = os.getpid()
    state = build_state(app)
    reader = state.peek(_READER)
    if reader is None or pid == reader or state.peek(_FORGOTTEN) == pid:
        return
    state.set(_FORGOTTEN, pid)
    env = app.env
    if has_ablog_env_posts(env):
        set_ablog_env_posts(env, {})
    blog_domain(env).forget_all()


def merge_ablog_posts(
    app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
) -> None:
    posts: dict[str, Any] = ablog_env_posts(other)
    if not posts:
        return
    merged: dict[str, Any] = ablog_env_posts(env)
    for docname in docnames:
        if docname in posts:
            for info in posts[docname]:
                _rebind(info.get("doctree"), env)
            merged[docname] = posts[docname]
    set_ablog_env_posts(env, merged)
    # Only names and nodes unlinked from the worker's environment were merged;
    # the stand-ins now load from this one.
    post_doctree.bind(env, docnames)


def _rebind(node: Any, env: BuildEnvironment) -> None:
    """A post's doctree, read by a worker process, points (through its document's
    settings) at that worker's whole environment: kept in ``env``, every parallel
    build would nest another copy of the environment in the pickle, doubling it.
    Point it at ``env``, as a doctree read here does.  (A stand-in,
    :class:`~ablog_ext.reading.post_doctree.PostDoctree`, holds no environment:
    :func:`~ablog_ext.reading.post_doctree.bind` points it.)"""
    if not isinstance(node, nodes.Node):
        return
    document = node if isinstance(node, nodes.document) else getattr(node, "document", None)
    settings = getattr(document, "settings", None)
    if settings is not None and getattr(settings, "env", None) is not None:
        settings.env = env


def reset_blog(app: Sphinx) -> None:
    """Forget every post ABlog registered (in any application)."""
    from ablog.blog import Blog

    if ABLOG_BLOG_STATE.on(app):
        getattr(Blog, ABLOG_BLOG_STATE.attribute).clear()
        return
    with contextlib.suppress(Exception):
        # Whatever its name, a shared state is the __dict__ of every instance.
        Blog(app).__dict__.clear()


def reset_blog_singleton(app: Sphinx, config: Config) -> None:
    reset_blog(app)


def install_blog_state(app: Sphinx, config: Config) -> None:
    """``config-inited``: ``Blog.__init__`` patched (once per process) so that a
    ``Blog`` of one application never holds another's posts when one of the two
    is ablog_ext's; without the reach, the blog is emptied when the build ends."""
    if not ABLOG_BLOG_STATE.on(app):
        app.connect("build-finished", lambda app, exception: reset_blog(app))
        return
    from ablog.blog import Blog

    def replacement(current: Any) -> Any:
        @functools.wraps(current)
        def __init__(blog: Any, app: Any) -> None:
            current(blog, app)
            owner = vars(blog).get("app")
            if owner is not None and owner is not app and (loaded_by(owner) or loaded_by(app)):
                # One of the two applications is ablog_ext's: this one starts afresh.
                blog.__dict__.clear()
                current(blog, app)

        return __init__

    replace_once(Blog, "__init__", replacement)


def freeze_before_forks(app: Sphinx, *args: Any) -> None:
    """``env-before-read-docs`` and ``write-started`` of a ``-j`` build: move every
    object the main process holds out of the garbage collector's reach before
    Sphinx forks workers from it.  A collection in a worker would otherwise write
    to every page of the objects it scans, and the copy-on-write pages shared
    with the main process would become the worker's own: each worker would cost
    as much memory as the main process."""
    if app.parallel > 1 and os.environ.get("ABLOG_EXT_NO_FREEZE") is None:
        gc.collect()
        gc.freeze()
        build_state(app).set(_FROZEN, True)


def thaw(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the objects are collectable again (a process may run
    more builds: tests, sphinx-autobuild)."""
    if build_state(app).pop(_FROZEN):
        gc.unfreeze()


def allow_parallel_read(app: Sphinx, config: Config) -> None:
    """ABlog's ``parallel_read_safe`` set to true, as its posts are merged here
    (:data:`~ablog_ext.reaches.sphinx.SPHINX_PARALLEL_READ`)."""
    if SPHINX_PARALLEL_READ.on(app) and ABLOG_ENV_POSTS.on(app):
        setattr(app.extensions["ablog"], SPHINX_PARALLEL_READ.attribute, True)
