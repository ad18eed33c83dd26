"""Every reach into another package's internals: checks only, one module per package.

Each reach (:class:`~ablog_ext.reaches.base.Reach`) says why it is needed, what it needs and
the versions it was seen in.  When a build starts, each checks its target; when one is not as
expected, the build gets one warning (``ablog_ext.upstream``) naming the package, its version
and what is turned off, and the feature that uses it takes its slower (never wrong) path.
The code that acts on a target lives with that feature, which asks ``REACH.on(app)`` first.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from ablog_ext.reaches import ablog, jinja, myst, pydata, sphinx  # noqa: F401 (they make the reaches)
from ablog_ext.reaches.base import EVERY, Reach, load, loaded_by

#: Every reach, in the order they are checked: package by package, as made on import.
REACHES: tuple[Reach, ...] = tuple(EVERY)


def check_config_reaches(app: Sphinx, config: Any) -> None:
    for reach in (reach for reach in REACHES if reach.stage == "config"):
        reach.on(app)


def check_builder_reaches(app: Sphinx) -> None:
    for reach in (reach for reach in REACHES if reach.stage == "builder"):
        reach.on(app)


def setup_reaches(app: Sphinx) -> None:
    """Mark *app* as ablog_ext's, and check every reach when its build starts."""
    load(app)


__all__ = ["REACHES", "Reach", "loaded_by", "setup_reaches"]
