"""Every reach into another package's internals: checks only, one module per package.

ablog_ext sits on ABlog, MyST-Parser, pydata-sphinx-theme, Jinja and Sphinx, and
replaces some of ABlog's hot paths, so it needs more of them than their documented
APIs give.  Each such need is a *reach* (:class:`~ablog_ext.reaches.base.Reach`):
its docstring says why, what it needs and the versions it was seen in.  When a
build starts, each reach checks that its target has the shape expected; when one
has not, the build gets one warning (``ablog_ext.upstream``) naming the package,
its version and what is turned off, and the feature that uses the reach takes its
slower (never wrong, never unescaped) path.  The code that acts on a target lives
with that feature, which asks ``REACH.on(app)`` first.

=====================  ==================================================================
:mod:`.ablog`          ``Post.to_html``, ``new_document``, ``TOMORROW``, ``Blog._dict``,
                       its archive, Atom and page-context listeners, ``env.ablog_posts``,
                       ``postinfo["doctree"]``, its ``ablog/collection.html``
:mod:`.sphinx`         event listeners, ABlog's ``parallel_read_safe``, ``_raw_config``,
                       ``build_info``, ``templates.environment``, the HTML builder's
                       per-page state, ``input_encoding``, ``_get_settings``, the
                       navigation's toctrees, the search index's stems
:mod:`.myst`           ``SphinxRenderer``'s private members, ``MystParser.parse``'s
                       pieces, ``make_document``
:mod:`.pydata`         how its header links read titles, where its navigation reads toctrees
:mod:`.jinja`          ``Environment.get_template``, as ``{% include %}`` calls it
=====================  ==================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx

from ablog_ext.reaches.ablog import (
    ABLOG_ARCHIVE_PAGES,
    ABLOG_ATOM_FEEDS,
    ABLOG_BLOG_STATE,
    ABLOG_COLLECTION_ENTRIES,
    ABLOG_ENV_POSTS,
    ABLOG_NEW_DOCUMENT,
    ABLOG_PAGE_CONTEXT,
    ABLOG_POST_DOCTREE,
    ABLOG_POST_TO_HTML,
    ABLOG_TOMORROW,
)
from ablog_ext.reaches.base import Reach, load, loaded_by
from ablog_ext.reaches.jinja import JINJA_TEMPLATE_LOOKUP
from ablog_ext.reaches.myst import MYST_DEFAULT_DOCUMENT, MYST_PARSE, MYST_RENDERER
from ablog_ext.reaches.pydata import PYDATA_HEADER_NAV, PYDATA_NAVIGATION
from ablog_ext.reaches.sphinx import (
    SPHINX_BUILD_INFO,
    SPHINX_DOCUTILS_SETTINGS,
    SPHINX_EVENT_LISTENERS,
    SPHINX_FRAGMENT_STATE,
    SPHINX_INPUT_ENCODING,
    SPHINX_NAVIGATION,
    SPHINX_PARALLEL_READ,
    SPHINX_RAW_CONFIG,
    SPHINX_SEARCH_STEMS,
    SPHINX_TEMPLATES,
)

#: Every reach, in the order they are checked.
REACHES: tuple[Reach, ...] = (
    ABLOG_POST_TO_HTML,
    ABLOG_NEW_DOCUMENT,
    ABLOG_TOMORROW,
    ABLOG_BLOG_STATE,
    SPHINX_EVENT_LISTENERS,
    ABLOG_ARCHIVE_PAGES,
    ABLOG_ATOM_FEEDS,
    ABLOG_PAGE_CONTEXT,
    ABLOG_ENV_POSTS,
    ABLOG_POST_DOCTREE,
    SPHINX_PARALLEL_READ,
    SPHINX_RAW_CONFIG,
    SPHINX_BUILD_INFO,
    SPHINX_TEMPLATES,
    SPHINX_FRAGMENT_STATE,
    SPHINX_INPUT_ENCODING,
    SPHINX_DOCUTILS_SETTINGS,
    SPHINX_NAVIGATION,
    SPHINX_SEARCH_STEMS,
    PYDATA_HEADER_NAV,
    PYDATA_NAVIGATION,
    JINJA_TEMPLATE_LOOKUP,
    ABLOG_COLLECTION_ENTRIES,
    MYST_RENDERER,
    MYST_PARSE,
    MYST_DEFAULT_DOCUMENT,
)


def _check_stage(stage: str) -> Callable[..., None]:
    def check(app: Sphinx, *args: Any) -> None:
        for reach in REACHES:
            if reach.stage == stage:
                reach.on(app)

    check.__name__ = f"check_{stage}_reaches"
    return check


def setup_reaches(app: Sphinx) -> None:
    """Mark *app* as ablog_ext's, and check every reach when its build starts."""
    load(app)
    # Before every other handler: each reach is known to be on or off before use.
    app.connect("config-inited", _check_stage("config"), priority=0)
    app.connect("builder-inited", _check_stage("builder"), priority=0)


__all__ = ["REACHES", "Reach", "loaded_by", "setup_reaches"]
