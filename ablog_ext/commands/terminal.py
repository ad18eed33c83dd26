"""Names from outside (file names, ref names, paths) made safe to print.

A file name can hold ESC, BEL, NUL or a newline: printed as it is, it rewrites the
user's terminal (colours, the title, a cleared screen) or forges a line of the
report.  ``init`` and ``versions`` print every such name through :func:`shown`.
"""

from __future__ import annotations

import re

#: C0 and C1 controls, DEL, the Unicode line and paragraph separators, the bidi
#: overrides and isolates that reorder what follows them, and the lone surrogates
#: ``os.fsdecode`` makes of bytes that are not UTF-8 (printing those raises).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as surrogateescape keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: object) -> str:
    """*text* with every control character written as an escape (``\\x1b``, ``\\n``)."""
    return _UNSAFE.sub(_escape, str(text))


def shown_lines(text: str) -> str:
    """Several lines: each one :func:`shown`, the line breaks kept."""
    return "\n".join(shown(line) for line in text.split("\n"))


__all__ = ["shown", "shown_lines"]
