"""Posts out of the navigation that every page repeats.

A blog's posts belong in its archives, not in every page's header.  A site that
lists its posts in a (hidden, glob) toctree of the root document, so that Sphinx
knows they are in one, would otherwise list every post on every page: in
pydata-sphinx-theme's header links (twice: the navbar's "More" menu and its copy
in the primary sidebar), in Sphinx's ``toctree()`` navigation (the "navigation"
sidebar of basic and alabaster themes, pydata's sidebar navigation).  With 1,000
posts that is 1,000 links, each made with ``pathto``, on each of 1,000 pages:
time and output that grow with the square of the number of posts.

While those navigation template functions run, the toctree entries that are
posts are hidden (:data:`~ablog_ext.reaches.sphinx.SPHINX_NAVIGATION`,
:data:`~ablog_ext.reaches.pydata.PYDATA_NAVIGATION`); the toctrees themselves keep them, so
posts stay "in a toctree" for Sphinx's consistency check, previous and next
links still reach them, and a toctree in a page's body still lists them.
Documents that are not posts stay in the navigation.
``ablog_ext_posts_in_navigation = True`` keeps the posts there.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from typing import Any

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ablog_ext.blog.domain import blog_domain
from ablog_ext.reaches.pydata import PYDATA_NAVIGATION
from ablog_ext.reaches.sphinx import SPHINX_NAVIGATION
from ablog_ext.state import Slot, build_state

#: Each build's toctree nodes that list posts, with their entries without them.
Swaps = list[tuple[addnodes.toctree, list[tuple[str | None, str]]]]

#: Found when a page first needs them, forgotten when the toctrees may change.
_SWAPS: Slot[Swaps] = Slot(
    "navigation: toctrees that list posts",
    lambda app: toctrees_listing(app, set(blog_domain(app.env).posts) - {app.config.root_doc}),
)
#: Marks a template function that already leaves the posts out.
_WITHOUT_POSTS = "_ablog_ext_without_posts"


def forget_swaps(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: the toctrees may have changed; found again when needed."""
    build_state(app).pop(_SWAPS)


def toctrees_listing(app: Sphinx, hidden: AbstractSet[str]) -> Swaps:
    """Each toctree node the navigation reads (the root document's, and those
    in ``env.tocs``) that lists a document of *hidden*, with its entries
    without those; empty when the reach is off."""
    if not SPHINX_NAVIGATION.on(app) or not hidden:
        return []
    env = app.env
    listing = sorted(
        docname
        for docname, included in env.toctree_includes.items()
        if not hidden.isdisjoint(included)
    )
    found: list[addnodes.toctree] = [
        node
        for docname in listing
        if docname in env.tocs
        for node in env.tocs[docname].findall(addnodes.toctree)
    ]
    if env.config.root_doc in listing:
        found += getattr(env, SPHINX_NAVIGATION.attribute).findall(addnodes.toctree)
    swaps = []
    for node in found:
        entries = node.get("entries") or []
        kept = [entry for entry in entries if entry[1] not in hidden]
        if len(kept) != len(entries):
            swaps.append((node, kept))
    return swaps


@contextlib.contextmanager
def entries_replaced(swaps: Swaps) -> Iterator[None]:
    """While the block runs, each toctree node of *swaps* has the entries given
    with it (see :func:`toctrees_listing`); nothing is left changed."""
    saved = [node["entries"] for node, _ in swaps]
    for node, entries in swaps:
        node["entries"] = entries
    try:
        yield
    finally:
        for (node, _), entries in zip(swaps, saved, strict=True):
            node["entries"] = entries



def _without_posts(original: Any, swaps: Swaps) -> Any:
    @functools.wraps(original)
    def without_posts(*args: Any, **kwargs: Any) -> Any:
        with entries_replaced(swaps):
            return original(*args, **kwargs)

    setattr(without_posts, _WITHOUT_POSTS, True)
    return without_posts


def leave_posts_out(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``, after the theme's and :mod:`.theme`'s: the page's
    navigation template functions leave the posts out."""
    if app.config.ablog_ext_posts_in_navigation:
        return
    names = ["toctree"] if SPHINX_NAVIGATION.on(app) else []
    if PYDATA_NAVIGATION.on(app):
        names += PYDATA_NAVIGATION.FUNCTIONS
    swaps = build_state(app).get(_SWAPS) if names else []
    if not swaps:
        return
    for name in names:
        original = context.get(name)
        if callable(original) and not getattr(original, _WITHOUT_POSTS, False):
            context[name] = _without_posts(original, swaps)
