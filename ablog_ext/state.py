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
same process (a test, ``ablog-ext versions``) shares nothing.  When a build
finishes, after every other ``build-finished`` handler, :meth:`BuildState.new_build`
forgets every slot not meant to last between builds: a second build of the same
application (tests, a server that keeps its application) starts from what was
made when the application was (slots made at ``config-inited`` or
``builder-inited`` serve its first build), never from what the first build left.

A slot that must *last* is one made once per application for all its builds:
something registered at setup, stand-ins installed in the builder's template
environment at ``builder-inited``, what the builder's templates are.
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

    *make* builds the value from the application the first time it is asked for;
    a slot without one holds what its owner :meth:`~BuildState.set` (read it with
    :meth:`~BuildState.peek`).  A slot with *lasting* set keeps its value between
    builds of one application (what is made once per application); every other
    slot starts empty at each build.
    """

    name: str
    make: Callable[[Sphinx], T] | None = None
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
            return self._values[slot]
        except KeyError:
            if slot.make is None:
                raise LookupError(f"{slot!r} is empty: nothing set it") from None
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

    def slots(self) -> list[Slot[Any]]:
        """The slots that hold a value now (for tests and debugging)."""
        return list(self._values)


def build_state(app: Sphinx) -> BuildState:
    """*app*'s state, made the first time it is asked for (at setup, in practice:
    a feature registers what its pages show)."""
    state = vars(app).get(_ATTRIBUTE)
    if state is None:
        state = BuildState(app)
        setattr(app, _ATTRIBUTE, state)
    return state


def forget_build_state(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, last (see :mod:`ablog_ext.events`): the next build of
    *app* starts afresh."""
    build_state(app).new_build()
