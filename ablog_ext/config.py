"""Every ``ablog_ext_*`` configuration value, declared and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Option:
    name: str
    default: Any
    rebuild: Literal["env", "html", ""]
    types: tuple[type, ...]
    doc: str


OPTIONS: tuple[Option, ...] = (
    Option(
        "ablog_ext_sidebars",
        True,
        "html",
        (bool,),
        "With pydata-sphinx-theme and no html_sidebars of your own, show ABlog's post card, "
        "recent posts, archives, categories and tags beside posts and blog pages.",
    ),
    Option(
        "ablog_ext_review_pages",
        False,
        "html",
        (bool,),
        "Generate blog/review/<year>.html, a year in review, for every year that has posts.",
    ),
    Option(
        "ablog_ext_feed_formats",
        ["atom", "rss", "json"],
        "html",
        (list, tuple),
        "Feed formats written for the blog and each archive feed: atom, rss, json.",
    ),
    Option(
        "ablog_ext_feed_archives",
        ["category"],
        "html",
        (list, tuple),
        "Archive kinds with their own feeds: category, tag, author, year, theme.",
    ),
    Option(
        "ablog_ext_timezone",
        "UTC",
        "html",
        (str,),
        "IANA time zone of post dates written without an offset (feeds need one).",
    ),
)


def provided_by_user(config: Config, name: str) -> bool:
    """Whether conf.py or ``-D`` set *name* (pydata-sphinx-theme asks the same way)."""
    return name in config.overrides or name in config._raw_config


def _validate(app: Sphinx, config: Config) -> None:
    """A value of the wrong type gets a warning and the default, once per build."""
    for option in OPTIONS:
        value = config[option.name]
        if not isinstance(value, option.types):
            logger.warning(
                "%s should be %s, not %r; using the default %r",
                option.name,
                " or ".join(kind.__name__ for kind in option.types),
                value,
                option.default,
                type="ablog_ext",
                subtype="config",
            )
            config[option.name] = option.default


def setup_config(app: Sphinx) -> None:
    for option in OPTIONS:
        app.add_config_value(
            option.name,
            option.default,
            option.rebuild,
            types=frozenset(option.types),
            description=option.doc,
        )
    app.connect("config-inited", _validate, priority=100)
