"""What Sphinx repeats for every document, done once per build.

- Docutils' settings: Sphinx 9 builds an option parser (and reads docutils'
  configuration files) for every document it reads, to get the same settings
  each time.  While one of ablog_ext's builds reads, each kind of parser's
  settings are built once and every document gets a copy of them
  (:data:`~ablog_ext.reaches.sphinx.SPHINX_DOCUTILS_SETTINGS`).
- Search stems: Sphinx's ``IndexBuilder.feed`` stems every word of every page
  again; the builder's own language object gets a cached ``stem``
  (:data:`~ablog_ext.reaches.sphinx.SPHINX_SEARCH_STEMS`).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from ablog_ext.reaches.base import loaded_apps
from ablog_ext.reaches.sphinx import SPHINX_DOCUTILS_SETTINGS, SPHINX_SEARCH_STEMS
from ablog_ext.speed.patches import replace_once
from ablog_ext.state import Slot, build_state

#: (parser classes, config files read) -> (defaults, settings), for this build's reads.
_SETTINGS: Slot[dict[Any, tuple[dict[str, Any], Any]]] = Slot("docutils settings", lambda app: {})
#: Distinct words whose stems are kept; a site's vocabulary is far smaller.
MAX_WORDS = 1 << 18


def install_settings_cache(app: Sphinx, config: Config) -> None:
    """``config-inited``: Sphinx's ``_get_settings`` patched (once per process) if
    *app*'s check passes; each of *app*'s builds starts with no settings kept."""
    if not SPHINX_DOCUTILS_SETTINGS.on(app):
        return
    app.connect(
        "env-before-read-docs", lambda app, env, docnames: build_state(app).set(_SETTINGS, {})
    )
    from sphinx.util import docutils as sphinx_docutils

    replace_once(sphinx_docutils, "_get_settings", _cached_get_settings)


def _cached_get_settings(current: Any) -> Any:
    def _get_settings(
        *components: Any, defaults: Mapping[str, Any], read_config_files: bool = False
    ) -> Any:
        cache = _cache_for(defaults.get("env"))
        if cache is None:
            return current(*components, defaults=defaults, read_config_files=read_config_files)
        kinds = tuple(c if isinstance(c, type) else type(c) for c in components)
        key = (kinds, read_config_files)
        kept = cache.get(key)
        if kept is None or kept[0] != defaults:
            settings = current(*components, defaults=defaults, read_config_files=read_config_files)
            kept = cache[key] = (dict(defaults), settings)
        return _fresh_settings(kept[1], defaults)

    return _get_settings


def _cache_for(env: Any) -> dict[Any, tuple[dict[str, Any], Any]] | None:
    """The settings kept for the build reading with *env* (none: not ablog_ext's)."""
    if env is None:
        return None
    for app in loaded_apps():
        # A half-made application (one whose config-inited failed) has no env.
        if getattr(app, "env", None) is env:
            cache = build_state(app).peek(_SETTINGS)
            if cache is not None:
                return cache
    return None


def _fresh_settings(settings: Any, defaults: Mapping[str, Any]) -> Any:
    """A copy of *settings* for one document: what came from *defaults* shared, as
    Sphinx shares it, every other mutable value (the dependency list) its own."""
    fresh = settings.copy()
    for name, value in vars(settings).items():
        if value is None or isinstance(value, str | int | float | bool | tuple):
            continue
        if name in defaults and defaults[name] is value:
            continue
        setattr(fresh, name, copy.deepcopy(value))
    return fresh


def install_stems_cache(app: Sphinx) -> None:
    """``builder-inited``: once the indexer exists, its language stems through a cache."""
    if SPHINX_SEARCH_STEMS.on(app):
        app.connect("doctree-resolved", _memoise_stems)


def _memoise_stems(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    language = getattr(getattr(app.builder, "indexer", None), "lang", None)
    if language is None or "stem" in vars(language):
        return
    # The builder makes a new indexer (and language) each build: the cache goes with it.
    language.stem = functools.lru_cache(maxsize=MAX_WORDS)(language.stem)
