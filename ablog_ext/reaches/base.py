"""What every reach shares: :class:`Reach`, the applications that loaded ablog_ext,
and the tools a check reads another package's code with."""

from __future__ import annotations

import contextlib
import importlib
import inspect
import types
import weakref
from typing import Any, ClassVar

from sphinx.application import Sphinx
from sphinx.util import logging

from ablog_ext.state import Slot, build_state

#: Users silence these warnings by this name: kept from ``ablog_ext/upstream.py``.
logger = logging.getLogger("ablog_ext.upstream")

#: Applications that loaded ablog_ext, which process-wide patches ask about.
_APPS: weakref.WeakSet[Sphinx] = weakref.WeakSet()

#: Each application's check results, one per reach, so each warns once.
_RESULTS: Slot[dict[Reach, bool]] = Slot("reaches: check results", lambda app: {}, lasting=True)

#: How the warnings name each distribution.
_DISPLAY = {"ablog": "ABlog", "sphinx": "Sphinx", "myst-parser": "MyST-Parser", "jinja2": "Jinja"}

#: Every reach made, in the order made (a constant once ablog_ext.reaches is imported).
EVERY: list[Reach] = []
#: Where a replacement (:mod:`ablog_ext.speed.patches`) keeps what it replaced.
ORIGINAL = "_ablog_ext_original"


def load(app: Sphinx) -> None:
    """Mark *app* as ablog_ext's, its checks not yet made."""
    _APPS.add(app)
    build_state(app).pop(_RESULTS)


def loaded_by(app: Any) -> bool:
    """Whether *app* loaded ablog_ext (only those get ablog_ext's patched behaviour)."""
    try:
        return app in _APPS
    except TypeError:
        return False


def loaded_apps() -> list[Sphinx]:
    """The applications that loaded ablog_ext (for a patch, made for none)."""
    return list(_APPS)


def original_of(function: Any) -> Any:
    """What a replacement replaced (else *function*)."""
    return getattr(function, ORIGINAL, function)


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "(version unknown)"


def lookup(dotted: str) -> Any:
    """The object at *dotted* (``module:attr.attr``), or ``None``."""
    module_name, _, rest = dotted.partition(":")
    try:
        found: Any = importlib.import_module(module_name)
    except ImportError:
        return None
    for part in rest.split(".") if rest else []:
        found = inspect.getattr_static(found, part, None)
        if found is None:
            return None
    return found


def parameters(function: Any) -> tuple[str, ...] | None:
    """The parameter names of *function* itself (not of what it wraps)."""
    if isinstance(function, staticmethod | classmethod):
        function = function.__func__
    try:
        signature = inspect.signature(function, follow_wrapped=False)
    except (TypeError, ValueError):
        return None
    return tuple(signature.parameters)


def names_used(function: Any) -> set[str]:
    """The global and attribute names (and string constants) *function*'s code
    uses, nested functions and comprehensions included."""
    function = original_of(function)
    if isinstance(function, property):
        function = function.fget
    with contextlib.suppress(ValueError):
        function = inspect.unwrap(function)
    return code_names(getattr(function, "__code__", None))


def code_names(code: types.CodeType | None) -> set[str]:
    found: set[str] = set()
    pending = [code] if code is not None else []
    while pending:
        each = pending.pop()
        found.update(each.co_names)
        for const in each.co_consts:
            if isinstance(const, str):
                found.add(const)
            elif isinstance(const, types.CodeType):
                pending.append(const)
            elif isinstance(const, tuple | frozenset):
                # A dict display's constant keys: ``{"key": value, ...}``.
                found.update(item for item in const if isinstance(item, str))
    return found


def nested_code(function: Any, name: str) -> types.CodeType | None:
    """The code of the function *name* defined inside *function*."""
    code = getattr(function, "__code__", None)
    pending = [code] if code is not None else []
    while pending:
        each = pending.pop()
        for const in each.co_consts:
            if isinstance(const, types.CodeType):
                if const.co_name == name:
                    return const
                pending.append(const)
    return None


def shows(params: tuple[str, ...] | None) -> str:
    return "(" + ", ".join(params) + ")" if params is not None else "no signature"


class Reach:
    """One dependency on another package's internals, checked once per build; its
    docstring says why, what it needs, and the versions it was seen in."""

    #: The distribution whose version the warning names.
    package: ClassVar[str] = "ablog"
    #: What is reached, as the warning names it.
    target: ClassVar[str] = ""
    #: What is turned off when the target is not as expected, and what is done instead.
    fallback: ClassVar[str] = ""
    #: When the check runs: ``"config"`` (``config-inited``) or ``"builder"``.
    stage: ClassVar[str] = "config"
    #: Reaches this one needs; when one is off, so is this one (that one warns).
    requires: ClassVar[tuple[Reach, ...]] = ()
    #: What makes the target matter: ``"html"``, ``"templates"``, or an extension's name.
    needs: ClassVar[str] = ""
    #: The name the check reads the target by (tests rename it to simulate a rename upstream).
    attribute: ClassVar[str] = ""

    def __init__(self) -> None:
        EVERY.append(self)

    def applies(self, app: Sphinx) -> bool:
        """Whether this build needs the target at all (a theme, a builder)."""
        if self.needs == "html":
            return bool(app.builder.format == "html")
        if self.needs == "templates":
            return getattr(app.builder, "templates", None) is not None
        return not self.needs or self.needs in app.extensions

    def check(self, app: Sphinx) -> str | None:
        """What is wrong with the target (``None``: it has the shape expected)."""
        raise NotImplementedError

    def missing_unless(self, holder: Any, kind: type) -> str | None:
        """The usual check: ``None`` when *holder*'s :attr:`attribute` is a *kind*."""
        return None if isinstance(getattr(holder, self.attribute, None), kind) else "is missing"

    def on(self, app: Sphinx) -> bool:
        """Whether the reach is used in *app*'s build; checked (and warned about) once."""
        if not loaded_by(app):
            return False
        results = build_state(app).get(_RESULTS)
        if self not in results:
            results[self] = self._verify(app)
        return results[self]

    def _verify(self, app: Sphinx) -> bool:
        if not self.applies(app) or not all(required.on(app) for required in self.requires):
            return False
        try:
            problem = self.check(app)
        except Exception as error:  # a shape we did not foresee is a changed shape
            problem = f"could not be checked ({type(error).__name__}: {error})"
        if problem is None:
            return True
        logger.warning(
            "%s %s: %s %s; ablog_ext turns off %s",
            _DISPLAY.get(self.package, self.package),
            _version(self.package),
            self.target,
            problem,
            self.fallback,
            type="ablog_ext",
            subtype="upstream",
        )
        return False
