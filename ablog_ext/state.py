"""Per-build state: one object per Sphinx application, the one owner of what
ablog_ext keeps between events of a build.

Per-document data lives in :class:`~ablog_ext.blog.domain.BlogDomain` (pickled
with the environment, purged and merged by Sphinx).  Everything else that one
event computes and a later event of the same build reads (a page cache, the
records of what each page read, the blog sidebars rendered once) is a *slot* of
the application's :class:`BuildState`.  A feature declares its slot next to the
code that uses it::

    _RECORDER = Slot("page reads: the recorder", Recorder)

    def recorder(app):
        return build_state(app).get(_RECORDER)

and drops it when its part of the build is over (``build_state(app).pop(...)``).
The state hangs on the application itself, so a second application in the
same process (a test, ``ablog-ext versions``) shares nothing, and
:meth:`BuildState.new_build` forgets every slot not meant to last between
builds in one call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sphinx.application import Sphinx

T = TypeVar("T")

#: The attribute of the application that holds its state.
_ATTRIBUTE = "_ablog_ext_state"


@dataclass(frozen=True, eq=False)
class Slot(Generic[T]):
    """A named place in the build state, declared by the feature that owns it.

    *make* builds the value from the application the first time it is asked for.
    A slot with *lasting* set keeps its value between builds of one application
    (compiled templates); every other slot starts empty at each build.
    """

    name: str
    make: Callable[[Sphinx], T]
    lasting: bool = False

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"


class BuildState:
    """What ablog_ext keeps for one application: a value per :class:`Slot`."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self._values: dict[Slot[Any], Any] = {}

    def get(self, slot: Slot[T]) -> T:
        """The value of *slot*, made on first use."""
        try:
            return self._values[slot]  # type: ignore[no-any-return]
        except KeyError:
            value = self._values[slot] = slot.make(self.app)
            return value

    def peek(self, slot: Slot[T]) -> T | None:
        """The value of *slot*, or ``None`` when nothing has made it yet."""
        return self._values.get(slot)

    def set(self, slot: Slot[T], value: T) -> T:
        self._values[slot] = value
        return value

    def pop(self, slot: Slot[T]) -> T | None:
        """Forget *slot*, returning what it held (``None`` when empty)."""
        return self._values.pop(slot, None)

    def new_build(self) -> None:
        """Forget every slot that does not last between builds."""
        for slot in [slot for slot in self._values if not slot.lasting]:
            del self._values[slot]


def build_state(app: Sphinx) -> BuildState:
    """*app*'s state, made the first time it is asked for."""
    state = vars(app).get(_ATTRIBUTE)
    if state is None:
        state = BuildState(app)
        setattr(app, _ATTRIBUTE, state)
    return state  # type: ignore[no-any-return]
