"""A post's series, from its front matter: ``series: Name`` and an optional
``series_order`` (a whole number) that orders the series' posts before their dates.

Plain text rules, no Sphinx: :mod:`ablog_ext.reading.posts` records what this
reads, and :mod:`ablog_ext.pages.series` shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ablog_ext.blog.archive_names import archive_slug
from ablog_ext.jekyll.frontmatter import clean_text


@dataclass(frozen=True)
class SeriesMark:
    """What a post's front matter says of its series; *problems* are
    ``(key, message)`` to report at that key's line."""

    name: str = ""
    order: int | None = None
    problems: tuple[tuple[str, str], ...] = ()


def read_series(front_matter: Mapping[str, Any]) -> SeriesMark:
    """``series`` and ``series_order`` of *front_matter*; never raises."""
    problems: list[tuple[str, str]] = []
    raw = front_matter.get("series")
    name = ""
    if raw is not None:
        if isinstance(raw, str | int | float) and not isinstance(raw, bool):
            name = clean_text(str(raw))
        else:
            problems.append(("series", f"'series' should be a name, not {type(raw).__name__}"))
    order: int | None = None
    raw_order = front_matter.get("series_order")
    if raw_order is not None:
        order = _whole_number(raw_order)
        if order is None:
            problems.append(
                ("series_order", f"'series_order' should be a whole number, not {raw_order!r}")
            )
        if not name and "series" not in front_matter:
            problems.append(("series_order", "'series_order' without 'series' is ignored"))
    return SeriesMark(name, order if name else None, tuple(problems))


def _whole_number(value: Any) -> int | None:
    """*value* as a whole number (an integer, or text of one), else ``None``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        try:
            return int(value.strip())
        except ValueError:  # "--5", or digits int() does not read ("²")
            return None
    return None


def series_slug(name: str) -> str:
    """The file name of a series' page (``blog/series/<slug>.html``)."""
    return archive_slug(name) or "series"
