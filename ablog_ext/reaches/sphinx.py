"""The reaches into Sphinx (checks only; what acts on them is with each feature)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ablog_ext.reaches.base import Reach, lookup, names_used, original_of, parameters, shows


class SphinxReach(Reach):
    package = "sphinx"


class SphinxEventListeners(SphinxReach):
    """``app.events.listeners``, where ABlog's handlers are found by name (Sphinx has no public way
    to list them).  Needs event names mapped to listeners with ``id``, ``handler`` and
    ``priority``.  Seen in Sphinx 8.0 to 9.0."""

    target, attribute = "Sphinx's app.events.listeners", "listeners"
    fallback = (
        "replacing ABlog's archive pages and Atom feeds (ABlog writes both; ablog_ext escapes the "
        "pages' titles and writes its feeds after ABlog's)"
    )

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


class SphinxParallelRead(SphinxReach):
    """``app.extensions["ablog"].parallel_read_safe``, set to true: ablog_ext merges
    ``env.ablog_posts`` from the workers, which ABlog does not (:mod:`ablog_ext.speed.parallel`).
    Seen in Sphinx 8.0 to 9.0, ABlog 0.11.13."""

    target, attribute = "Sphinx's app.extensions['ablog'].parallel_read_safe", "parallel_read_safe"
    fallback = "parallel reading of ABlog sites (documents are read one at a time)"

    def check(self, app: Sphinx) -> str | None:
        extension = app.extensions.get("ablog")
        return None if hasattr(extension, self.attribute) else "is missing"


class SphinxRawConfig(SphinxReach):
    """``config._raw_config``: what conf.py set, to tell a value the user set from a default, as
    pydata-sphinx-theme does (:mod:`ablog_ext.config`).  Seen in Sphinx 8.0 to 9.0."""

    target, attribute = "Sphinx's Config._raw_config", "_raw_config"
    fallback = (
        "reading conf.py's values from Sphinx (ablog_ext reads which names conf.py assigns from "
        "its source instead)"
    )

    def check(self, app: Sphinx) -> str | None:
        return self.missing_unless(app.config, dict)


class SphinxBuildInfo(SphinxReach):
    """``builder.build_info.config_hash``, part of the fingerprint of every page ablog_ext
    generates (:mod:`ablog_ext.speed.page_cache`).  Seen in Sphinx 8.0 to 9.0."""

    target, attribute = "Sphinx's builder.build_info.config_hash", "build_info"
    fallback = (
        "keeping generated pages that did not change (every archive, review and theme page and "
        "feed is generated again)"
    )
    stage, needs = "builder", "html"

    def check(self, app: Sphinx) -> str | None:
        info = getattr(app.builder, self.attribute, None)
        return None if isinstance(getattr(info, "config_hash", None), str) else "is missing"


class SphinxTemplates(SphinxReach):
    """``builder.templates.environment``, the HTML builder's Jinja environment: autoescaping for
    ABlog's templates, compiled templates kept, lookups replaced. Seen in Sphinx 8.0 to 9.0."""

    target, attribute = "Sphinx's builder.templates.environment", "environment"
    fallback = (
        "finding Jinja's environment by name (it is looked for among the template loader's "
        "attributes)"
    )
    stage, needs = "builder", "templates"

    def check(self, app: Sphinx) -> str | None:
        import jinja2

        return self.missing_unless(app.builder.templates, jinja2.Environment)

    def environment(self, app: Sphinx) -> Any:
        """The Jinja environment, or ``None`` (Jinja's reach checks it too)."""
        import jinja2

        templates = getattr(app.builder, "templates", None)
        if templates is None:
            return None
        if self.on(app):
            return getattr(templates, self.attribute)
        candidates = [v for v in vars(templates).values() if isinstance(v, jinja2.Environment)]
        return candidates[0] if len(candidates) == 1 else None


class SphinxFragmentState(SphinxReach):
    """The HTML builder's per-page state (``secnumbers``, ``imgpath``, ...), set as ``write_doc``
    sets it to render fragments for generated pages
    (:func:`ablog_ext.pages.render.render_fragment`).  Seen in Sphinx 8.0 to 9.0."""

    target = "Sphinx's HTML builder state (imgpath, secnumbers, ...)"
    fallback = (
        "rendering fragments the fast way (Sphinx's render_partial is used; links to images and "
        "downloads in them may be relative to another page)"
    )
    stage, needs = "builder", "html"
    STATE = ("secnumbers", "fignumbers", "imgpath", "dlpath", "current_docname")

    def check(self, app: Sphinx) -> str | None:
        builder = app.builder
        missing = [n for n in self.STATE if n not in names_used(type(builder).write_doc)]
        if missing:
            return f"is not set by write_doc any more ({', '.join(missing)})"
        for name in ("add_permalinks", "create_translator"):
            if not hasattr(builder, name):
                return f"has no {name}"
        return None


class SphinxDocutilsSettings(SphinxReach):
    """``sphinx.util.docutils._get_settings``, patched: Sphinx 9 builds docutils' settings for
    every document (4 s of a 1000-post build); ablog_ext's builds build them once
    (:mod:`ablog_ext.speed.sphinx_repeats`).  Needs ``_parse_str_to_doctree`` to call it.  Seen in
    Sphinx 9.0 (not needed in 8)."""

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


class SphinxSearchStems(SphinxReach):
    """The search language's ``stem``, memoised per build on the builder's own language object
    (6-10 % of a full build; :mod:`ablog_ext.speed.sphinx_repeats`). Needs ``IndexBuilder.feed`` to
    stem through ``self.lang.stem``.  Seen in Sphinx 8.1 to 9.0."""

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


class SphinxInputEncoding(SphinxReach):
    """``env.settings["input_encoding"]``, pointed at a codec that reads posts as UTF-8, leniently,
    and every other document as Sphinx would (:mod:`ablog_ext.reading.encoding`).  Seen in Sphinx
    8.0 to 9.0."""

    target, attribute = "Sphinx's env.settings['input_encoding']", "settings"
    fallback = (
        "reading posts as UTF-8 whatever source_encoding says, and leniently (a post that is not "
        "UTF-8 can stop the build)"
    )
    stage = "builder"

    def check(self, app: Sphinx) -> str | None:
        settings = getattr(app.env, self.attribute, None)
        if not isinstance(settings, dict) or "input_encoding" not in settings:
            return "is missing"
        return None


class SphinxNavigation(SphinxReach):
    """Sphinx's ``toctree()``: it reads the toctrees' ``entries`` of the cached
    ``env.master_doctree`` and ``env.tocs``, which leave the posts out while it runs
    (:mod:`ablog_ext.speed.navigation`).  Seen in Sphinx 8.0 to 9.0."""

    target = "sphinx.environment.adapters.toctree.global_toctree_for_doc"
    fallback = (
        "leaving posts out of the navigation every page repeats (Sphinx's toctree() and the "
        "theme's header links list every post on every page)"
    )
    stage, needs = "builder", "html"
    attribute = "master_doctree"
    MODULE = "sphinx.environment.adapters.toctree"

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


class SphinxEnvironmentApp(SphinxReach):
    """``env._app`` (``env.app`` before Sphinx 9, deprecated since): the application of an
    environment, for a parser given only that (:mod:`ablog_ext.reading.environment`)."""

    target, stage, attribute = "Sphinx's BuildEnvironment._app", "builder", "_app"
    fallback = "the direct read (the deprecated env.app property is read instead)"

    def check(self, app: Sphinx) -> str | None:
        found = vars(app.env).get(self.attribute, vars(app.env).get("app"))
        return None if found is app else "is gone"


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
SPHINX_ENVIRONMENT_APP = SphinxEnvironmentApp()
