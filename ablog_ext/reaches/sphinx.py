"""The reaches into Sphinx (checks only; what acts on them is with each feature)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ablog_ext.reaches.base import Reach, lookup, names_used, original_of, parameters, shows


class SphinxEventListeners(Reach):
    """``app.events.listeners``: the handlers connected to each event, where ABlog's
    page generators are found by name (Sphinx has no public way to list them).

    Needs a mapping of event names to lists of listeners with ``id``, ``handler``
    and ``priority``.  Seen in Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's app.events.listeners"
    fallback = (
        "replacing ABlog's archive pages and Atom feeds (ABlog writes both; ablog_ext "
        "escapes the pages' titles and writes its feeds after ABlog's)"
    )
    attribute = "listeners"

    def check(self, app: Sphinx) -> str | None:
        listeners = getattr(app.events, self.attribute, None)
        if not isinstance(listeners, Mapping):
            return "is missing"
        for each in listeners.get("html-collect-pages", []):
            if not all(hasattr(each, name) for name in ("id", "handler", "priority")):
                return "holds listeners without id, handler and priority"
        return None

    def find(self, app: Sphinx, event: str, module: str, function: str) -> list[Any]:
        """The listeners of *event* whose handler is *module*'s *function*."""
        return [
            listener
            for listener in getattr(app.events, self.attribute, {}).get(event, [])
            if getattr(listener.handler, "__module__", "") == module
            and getattr(listener.handler, "__name__", "") == function
        ]


class SphinxParallelRead(Reach):
    """``app.extensions["ablog"].parallel_read_safe``, set to true: ABlog declares
    parallel reading unsafe because nothing merges ``env.ablog_posts`` back from
    the worker processes; ablog_ext merges it (``env-merge-info``).

    Needs Sphinx's extension record with a writable ``parallel_read_safe``.  Seen
    in Sphinx 8.0 to 9.0, ABlog 0.11.13.
    """

    package = "sphinx"
    target = "Sphinx's app.extensions['ablog'].parallel_read_safe"
    fallback = "parallel reading of ABlog sites (documents are read one at a time)"
    attribute = "parallel_read_safe"

    def check(self, app: Sphinx) -> str | None:
        extension = app.extensions.get("ablog")
        if extension is None or not hasattr(extension, self.attribute):
            return "is missing"
        return None


class SphinxRawConfig(Reach):
    """``config._raw_config``: the values conf.py set, to tell a value the user set
    from a default (pydata-sphinx-theme asks the same way).

    Needs a dict of conf.py's names on the ``Config``.  Seen in Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's Config._raw_config"
    fallback = (
        "reading conf.py's values from Sphinx (ablog_ext reads which names conf.py "
        "assigns from its source instead)"
    )
    attribute = "_raw_config"

    def check(self, app: Sphinx) -> str | None:
        if not isinstance(getattr(app.config, self.attribute, None), dict):
            return "is missing"
        return None


class SphinxBuildInfo(Reach):
    """``builder.build_info.config_hash``: Sphinx's hash of the HTML configuration,
    part of the fingerprint of every page ablog_ext generates (a changed option
    regenerates them).

    Needs the HTML builder's ``build_info`` with ``config_hash``.  Seen in
    Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's builder.build_info.config_hash"
    fallback = (
        "keeping generated pages that did not change (every archive, review and theme "
        "page and feed is generated again)"
    )
    stage = "builder"
    attribute = "build_info"

    def applies(self, app: Sphinx) -> bool:
        return app.builder.format == "html"

    def check(self, app: Sphinx) -> str | None:
        info = getattr(app.builder, self.attribute, None)
        if not isinstance(getattr(info, "config_hash", None), str):
            return "is missing"
        return None


class SphinxTemplates(Reach):
    """``builder.templates.environment``: the Jinja environment of the HTML
    builder, whose ``autoescape`` ablog_ext turns on for ABlog's templates (which
    print titles and names as they are).

    Needs the builder's template loader to hold a ``jinja2.Environment`` as
    ``environment``.  Seen in Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's builder.templates.environment"
    fallback = (
        "finding Jinja's environment by name (it is looked for among the template "
        "loader's attributes)"
    )
    stage = "builder"
    attribute = "environment"

    def applies(self, app: Sphinx) -> bool:
        return getattr(app.builder, "templates", None) is not None

    def check(self, app: Sphinx) -> str | None:
        import jinja2

        found = getattr(app.builder.templates, self.attribute, None)
        if not isinstance(found, jinja2.Environment):
            return "is missing"
        return None

    def environment(self, app: Sphinx) -> Any:
        """The Jinja environment ABlog's templates are rendered in, or ``None``
        (the one accessor the checks of Jinja's reaches need too)."""
        import jinja2

        templates = getattr(app.builder, "templates", None)
        if templates is None:
            return None
        if self.on(app):
            return getattr(templates, self.attribute)
        candidates = [v for v in vars(templates).values() if isinstance(v, jinja2.Environment)]
        return candidates[0] if len(candidates) == 1 else None


class SphinxFragmentState(Reach):
    """The HTML builder's per-page state, set by hand to render a fragment for a
    page that is not a document (feeds, review and theme pages): ``docsettings``,
    ``secnumbers``, ``fignumbers``, ``imgpath``, ``dlpath``, ``current_docname``,
    ``add_permalinks``, and a translator from ``create_translator`` whose output is
    in ``fragment``.

    Needs ``write_doc`` to set that state, and those attributes.  Seen in
    Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's HTML builder state (imgpath, secnumbers, ...)"
    fallback = (
        "rendering fragments the fast way (Sphinx's render_partial is used; links to "
        "images and downloads in them may be relative to another page)"
    )
    stage = "builder"
    STATE = ("secnumbers", "fignumbers", "imgpath", "dlpath", "current_docname")

    def applies(self, app: Sphinx) -> bool:
        return app.builder.format == "html"

    def check(self, app: Sphinx) -> str | None:
        builder = app.builder
        missing = [n for n in self.STATE if n not in names_used(type(builder).write_doc)]
        if missing:
            return f"is not set by write_doc any more ({', '.join(missing)})"
        for name in ("add_permalinks", "create_translator"):
            if not hasattr(builder, name):
                return f"has no {name}"
        return None


class SphinxDocutilsSettings(Reach):
    """``sphinx.util.docutils._get_settings``, patched: Sphinx 9 builds a docutils
    option parser (and reads docutils' configuration files) for every document it
    reads, to get the same settings each time (4 s of a 1000-post build).  While
    one of ablog_ext's builds reads, each kind of parser's settings are built once
    and every document gets a copy of them (its own mutable values included).

    Needs ``_parse_str_to_doctree`` to call the module global
    ``_get_settings(*components, defaults, read_config_files)``.  Seen in Sphinx 9.0
    (Sphinx 8 keeps one publisher, and its settings, per file type: nothing to do).
    """

    package = "sphinx"
    target = "Sphinx's sphinx.util.docutils._get_settings"
    fallback = "building docutils' settings once per build (Sphinx builds them per document)"
    PARAMETERS = ("components", "defaults", "read_config_files")

    def applies(self, app: Sphinx) -> bool:
        from sphinx import version_info

        return version_info[0] >= 9

    def check(self, app: Sphinx) -> str | None:
        module = lookup("sphinx.util.docutils")
        params = parameters(original_of(getattr(module, "_get_settings", None)))
        if params != self.PARAMETERS:
            return f"has parameters {shows(params)}, not {shows(self.PARAMETERS)}"
        if "_get_settings" not in names_used(getattr(module, "_parse_str_to_doctree", None)):
            return "is no longer what Sphinx reads each document with"
        return None


class SphinxSearchStems(Reach):
    """The search index language's ``stem``, memoised per build: Sphinx's
    ``IndexBuilder.feed`` stems every word of every page again (snowball, 6-10 % of
    a full build), and a word's stem never changes.  The builder's own language
    object gets a cached ``stem`` (an instance attribute), so only the application
    that loaded ablog_ext has it, and only for one build.

    Needs ``IndexBuilder.feed`` to stem through ``self.lang.stem``, and the HTML
    builder's ``indexer`` (made by ``prepare_writing``, before the first document
    is resolved).  Seen in Sphinx 8.1 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's sphinx.search.IndexBuilder.feed"
    fallback = "stemming each word once per build (Sphinx stems it on every page)"
    stage = "builder"

    def applies(self, app: Sphinx) -> bool:
        return bool(getattr(app.builder, "search", False))

    def check(self, app: Sphinx) -> str | None:
        feed = lookup("sphinx.search:IndexBuilder.feed")
        if feed is None:
            return "is missing"
        if not {"lang", "stem"} <= names_used(feed):
            return "no longer stems through self.lang.stem"
        language = lookup("sphinx.search:SearchLanguage.stem")
        if parameters(language) != ("self", "word"):
            return f"has a language whose stem has {shows(parameters(language))}"
        return None


class SphinxInputEncoding(Reach):
    """``env.settings["input_encoding"]``: the encoding Sphinx reads sources with.
    Posts are Jekyll's, always UTF-8; one with bytes that are not UTF-8 would stop
    a Sphinx 9 build.  ablog_ext points it at a codec of its own that reads each
    post as UTF-8 (leniently, U+FFFD for bad bytes) and every other document in
    the site's ``source_encoding``, exactly as Sphinx would.

    Needs the environment's docutils settings with ``input_encoding``.  Seen in
    Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's env.settings['input_encoding']"
    fallback = (
        "reading posts as UTF-8 whatever source_encoding says, and leniently (a post "
        "that is not UTF-8 can stop the build)"
    )
    stage = "builder"
    attribute = "settings"

    def check(self, app: Sphinx) -> str | None:
        settings = getattr(app.env, self.attribute, None)
        if not isinstance(settings, dict) or "input_encoding" not in settings:
            return "is missing"
        return None


class SphinxNavigation(Reach):
    """Sphinx's ``toctree()`` template function (``global_toctree_for_doc``): it
    resolves the toctrees of ``env.master_doctree`` (the root document, kept for
    the whole build) and, below them, those in ``env.tocs``, reading each toctree
    node's ``entries``.  While a page's navigation is made, ablog_ext gives the
    nodes that list posts their entries without them, and puts them back
    afterwards (:mod:`ablog_ext.speed.navigation`).

    Needs ``global_toctree_for_doc`` to read the environment's cached
    ``master_doctree``, ``_entries_from_toctree`` to read ``entries`` and
    ``_toctree_entry`` to read ``tocs``.  Seen in Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "sphinx.environment.adapters.toctree.global_toctree_for_doc"
    fallback = (
        "leaving posts out of the navigation every page repeats (Sphinx's toctree() "
        "and the theme's header links list every post on every page)"
    )
    stage = "builder"
    attribute = "master_doctree"
    MODULE = "sphinx.environment.adapters.toctree"

    def applies(self, app: Sphinx) -> bool:
        return app.builder.format == "html"

    def check(self, app: Sphinx) -> str | None:
        function = lookup(f"{self.MODULE}:global_toctree_for_doc")
        if function is None:
            return "is missing"
        if self.attribute not in names_used(function):
            return f"no longer reads env.{self.attribute}"
        kept = inspect.getattr_static(BuildEnvironment, self.attribute, None)
        if not isinstance(kept, functools.cached_property):
            return f"reads env.{self.attribute}, which is no longer kept for the build"
        if "entries" not in names_used(lookup(f"{self.MODULE}:_entries_from_toctree")):
            return "no longer reads the toctrees' entries"
        if "tocs" not in names_used(lookup(f"{self.MODULE}:_toctree_entry")):
            return "no longer reads the toctrees below the root from env.tocs"
        return None


SPHINX_EVENT_LISTENERS = SphinxEventListeners()
SPHINX_PARALLEL_READ = SphinxParallelRead()
SPHINX_RAW_CONFIG = SphinxRawConfig()
SPHINX_BUILD_INFO = SphinxBuildInfo()
SPHINX_TEMPLATES = SphinxTemplates()
SPHINX_FRAGMENT_STATE = SphinxFragmentState()
SPHINX_INPUT_ENCODING = SphinxInputEncoding()
SPHINX_DOCUTILS_SETTINGS = SphinxDocutilsSettings()
SPHINX_NAVIGATION = SphinxNavigation()
SPHINX_SEARCH_STEMS = SphinxSearchStems()
