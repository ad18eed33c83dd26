"""Numeric dates as Ruby's ``Time.parse`` reads them, which Jekyll uses for a
front matter ``date`` that YAML left as a string.

Ruby reads three numbers joined by ``-``, ``/`` or ``.`` as year-month-day,
unless the last has three digits or more: then as day-month-year. So
``11-9-2017`` and ``11/9/2017`` are 11 September 2017, ``9/11/2017`` is
9 November, and ``11-9-17`` is 17 September 2011 (a two-digit year is
1969-2068). ``dateutil`` reads the first two the American way, so these are
written as ISO dates before it sees them.
"""

from __future__ import annotations

import re

_NUMERIC = re.compile(r"^\s*(\d+)([-/.])(\d+)\2(\d+)(?=$|[\sT])")


def ruby_numeric_date(text: str) -> str:
    """*text* with a leading ``d-m-yyyy``, ``d/m/yyyy``, ``d.m.yyyy`` or
    ``yy-m-d`` written as ``yyyy-mm-dd`` (the rest, a time, kept); other text
    as it is. An impossible day or month is kept as written, to be reported."""
    match = _NUMERIC.match(text)
    if not match:
        return text
    first, month, last = match[1], match[3], match[4]
    if len(first) > 2 or len(month) > 2:
        return text
    if len(last) > 2:
        year, day = int(last), int(first)
    else:
        year, day = int(first), int(last)
        year += 1900 if year >= 69 else 2000
    if not (1 <= int(month) <= 12 and 1 <= day <= 31):
        return text
    return f"{year:04d}-{int(month):02d}-{day:02d}" + text[match.end() :]


__all__ = ["ruby_numeric_date"]
