"""Every reach into another package's internals: checks only, one module per package.

Each :class:`~ablog_ext.reaches.base.Reach` says why it is needed and checks its target once a
build; one not as expected gets one warning (``ablog_ext.upstream``) naming the package and what
is turned off, and the feature that acts on it (asking ``REACH.on(app)``) takes its slower path.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from ablog_ext.reaches import ablog, jinja, myst, pydata, sphinx  # noqa: F401 (they make the reaches)
from ablog_ext.reaches.base import EVERY, Reach, load, loaded_by

#: Every reach, in the order they are checked: package by package, as made on import.
REACHES: tuple[Reach, ...] = tuple(EVERY)


def check_config_reaches(app: Sphinx, config: object) -> None:
    for reach in (reach for reach in REACHES if reach.stage == "config"):
        reach.on(app)


def check_builder_reaches(app: Sphinx) -> None:
    for reach in (reach for reach in REACHES if reach.stage == "builder"):
        reach.on(app)


def setup_reaches(app: Sphinx) -> None:
    """Mark *app* as ablog_ext's (its reaches are checked by ablog_ext.events' first rows)."""
    load(app)


__all__ = ["REACHES", "Reach", "loaded_by", "setup_reaches"]
