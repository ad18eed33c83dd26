"""The application behind a build environment, for code given only the environment
(a parser, a directive): Sphinx has no public, lasting way to ask for it."""

from __future__ import annotations

import warnings

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ablog_ext.reaches.sphinx import SPHINX_ENVIRONMENT_APP


def env_app(env: BuildEnvironment) -> Sphinx | None:
    """The application *env* belongs to; ``None`` for an environment no application
    has set up.  Sphinx 9 keeps it as ``_app`` (:data:`SPHINX_ENVIRONMENT_APP`; its
    ``app`` property warns that it will go), Sphinx 8 as ``app``."""
    found = vars(env).get(SPHINX_ENVIRONMENT_APP.attribute) or vars(env).get("app")
    if found is None:  # the reach is off: Sphinx's public property, deprecated in 9
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = getattr(env, "app", None)
    return found if isinstance(found, Sphinx) else None
