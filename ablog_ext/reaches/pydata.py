"""The reaches into pydata-sphinx-theme (checks only; :mod:`ablog_ext.pages.html_theme`
and :mod:`ablog_ext.speed.navigation` act on them)."""

from __future__ import annotations

from sphinx.application import Sphinx

from ablog_ext.reaches.base import Reach, code_names, lookup, names_used, nested_code
from ablog_ext.reaches.sphinx import SPHINX_NAVIGATION

_TOCTREE_FUNCTIONS = "pydata_sphinx_theme.toctree:add_toctree_functions"


class PydataHeaderNav(Reach):
    """pydata-sphinx-theme's ``generate_header_nav_html`` (``toctree.py``): it
    reads each header link's title from ``env.titles[page]`` (text of each child,
    math as ``\\(...\\)``) or from the root document's ``toctree`` entries, and
    inserts it into HTML unescaped; while it runs, ablog_ext makes both hold
    escaped text, and puts them back afterwards.

    Needs ``toctree.add_toctree_functions`` to define ``generate_header_nav_html``
    and a ``_generate_nav_info`` that reads ``env.titles``, ``env.tocs`` and the
    toctrees' ``entries``.  Seen in pydata-sphinx-theme 0.16.0 to 0.24.
    """

    package = "pydata-sphinx-theme"
    target = "pydata_sphinx_theme.toctree.add_toctree_functions"
    fallback = (
        "escaping titles while the header links are made (titles are escaped in the "
        "links' HTML afterwards instead)"
    )
    stage = "builder"

    def applies(self, app: Sphinx) -> bool:
        # The theme, or one built on it, loaded its extension.
        return "pydata_sphinx_theme" in app.extensions

    def check(self, app: Sphinx) -> str | None:
        function = lookup(_TOCTREE_FUNCTIONS)
        if function is None:
            return "is missing"
        if nested_code(function, "generate_header_nav_html") is None:
            return "no longer defines generate_header_nav_html"
        names = code_names(nested_code(function, "_generate_nav_info"))
        if not {"titles", "tocs", "entries"} <= names:
            return "no longer reads titles from env.titles and the toctrees' entries"
        return None


class PydataNavigation(Reach):
    """pydata-sphinx-theme's navigation: its header links (``_generate_nav_info``)
    list the entries of the toctrees in ``env.tocs[root_doc]``, and its sidebar
    (``generate_toctree_html``, ``suppress_sidebar_toctree``) resolves those in
    ``env.tocs`` below an ancestor (``get_nonroot_toctree``) or calls Sphinx's
    ``toctree()``.  ablog_ext calls them while the posts are left out of those
    entries (:data:`~ablog_ext.reaches.sphinx.SPHINX_NAVIGATION`).

    Needs ``add_toctree_functions`` to define those three template functions and
    a ``_generate_nav_info`` that reads ``tocs``, ``root_doc`` and ``entries``, and
    ``get_nonroot_toctree`` to read ``tocs``.  Seen in pydata-sphinx-theme 0.16.0
    to 0.24.
    """

    package = "pydata-sphinx-theme"
    target = "pydata_sphinx_theme.toctree's navigation"
    fallback = (
        "leaving posts out of the theme's header links and sidebar navigation "
        "(they list every post on every page)"
    )
    stage = "builder"
    #: The template functions whose output leaves the posts out.
    FUNCTIONS = ("generate_header_nav_html", "generate_toctree_html", "suppress_sidebar_toctree")

    def applies(self, app: Sphinx) -> bool:
        return "pydata_sphinx_theme" in app.extensions

    def check(self, app: Sphinx) -> str | None:
        function = lookup(_TOCTREE_FUNCTIONS)
        if function is None:
            return "is missing"
        for name in self.FUNCTIONS:
            if nested_code(function, name) is None:
                return f"no longer defines {name}"
        names = code_names(nested_code(function, "_generate_nav_info"))
        if not {"tocs", "root_doc", "entries"} <= names:
            return "no longer reads the header links from the root document's toctrees"
        if "tocs" not in names_used(lookup("pydata_sphinx_theme.toctree:get_nonroot_toctree")):
            return "no longer reads the sidebar's toctrees from env.tocs (get_nonroot_toctree)"
        return None


PYDATA_HEADER_NAV = PydataHeaderNav()
PYDATA_NAVIGATION = PydataNavigation()
# Its header links are made the way PYDATA_HEADER_NAV expects; its sidebar and
# the posts left out go through Sphinx's toctrees.
PydataNavigation.requires = (PYDATA_HEADER_NAV, SPHINX_NAVIGATION)
