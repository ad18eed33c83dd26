"""The reaches into pydata-sphinx-theme (checks only)."""

from __future__ import annotations

from sphinx.application import Sphinx

from ablog_ext.reaches.base import Reach, code_names, lookup, names_used, nested_code
from ablog_ext.reaches.sphinx import SPHINX_NAVIGATION

_TOCTREE_FUNCTIONS = "pydata_sphinx_theme.toctree:add_toctree_functions"


class PydataHeaderNav(Reach):
    """The theme's ``generate_header_nav_html`` prints titles from ``env.titles`` and the root
    toctree's ``entries`` unescaped; they hold escaped text while it runs
    (:mod:`ablog_ext.pages.html_theme`).  Seen in pydata-sphinx-theme 0.16.0 to 0.24."""

    package = "pydata-sphinx-theme"
    target = "pydata_sphinx_theme.toctree.add_toctree_functions"
    fallback = (
        "escaping titles while the header links are made (titles are escaped in the links' HTML "
        "afterwards instead)"
    )
    stage, needs = "builder", "pydata_sphinx_theme"

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
    """The theme's header links and sidebar read the toctrees of ``env.tocs``, which leave the
    posts out while they run (:mod:`ablog_ext.speed.navigation`). Seen in pydata-sphinx-theme
    0.16.0 to 0.24."""

    package = "pydata-sphinx-theme"
    target = "pydata_sphinx_theme.toctree's navigation"
    fallback = (
        "leaving posts out of the theme's header links and sidebar navigation (they list every "
        "post on every page)"
    )
    stage, needs = "builder", "pydata_sphinx_theme"
    #: The template functions whose output leaves the posts out.
    FUNCTIONS = ("generate_header_nav_html", "generate_toctree_html", "suppress_sidebar_toctree")

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
# Its header links are made as PYDATA_HEADER_NAV expects; the rest via Sphinx's toctrees.
PydataNavigation.requires = (PYDATA_HEADER_NAV, SPHINX_NAVIGATION)
