"""The one way ablog_ext replaces another package's function: once per process.

Each replacement delegates to the original for applications that did not load
ablog_ext (:func:`~ablog_ext.reaches.base.loaded_by`), and is made only when its
reach's check passed (:mod:`ablog_ext.reaches`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from ablog_ext.reaches.base import ORIGINAL


def replace_once(owner: Any, name: str, make: Callable[[Any], Any]) -> None:
    """Put ``make(current)`` in place of ``owner.name``, once per process (a
    replacement already there stays); it remembers the original under
    :data:`~ablog_ext.reaches.base.ORIGINAL`, so checks and tests can find what it
    replaced."""
    # On a class, the attribute itself (Blog.__init__), not what looking it up makes.
    if isinstance(owner, type):
        current = inspect.getattr_static(owner, name)
    else:
        current = getattr(owner, name)
    if getattr(current, ORIGINAL, None) is not None:
        return
    replacement = make(current)
    setattr(replacement, ORIGINAL, current)
    setattr(owner, name, replacement)
