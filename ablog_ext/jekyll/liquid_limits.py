"""Bounds on the work one post's Liquid may do: python-liquid's resource limits.

A post nobody vetted must not take a build past a few seconds or a few hundred
MB. python-liquid stops a render that passes one of its limits
(:class:`~liquid.exceptions.ResourceLimitError`); :func:`limited_environment`
sets them from :class:`Limits`, whose defaults are far above what real blogs need.
Loop iterations are counted over the whole post (python-liquid counts one nest
of loops at a time), so a thousand loops in a row are bounded too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liquid import Environment, RenderContext
from liquid.exceptions import (
    BlockNestingError,
    ContextDepthError,
    LocalNamespaceLimitError,
    LoopIterationLimitError,
    OutputStreamLimitError,
    ResourceLimitError,
)
from liquid.template import BoundTemplate


@dataclass(frozen=True)
class Limits:
    """Each limit, as ``conf.py`` sets it (``ablog_ext_liquid_*_limit``)."""

    #: Loop iterations in one post, nested loops multiplied.
    loops: int = 1_000_000
    #: Bytes of one post's rendered Liquid.
    output: int = 10_000_000
    #: Nesting: includes within includes, blocks within blocks.
    depth: int = 30
    #: Bytes held by a post's ``assign`` and ``capture`` variables (``sys.getsizeof``).
    namespace: int = 10_000_000


#: Which limit an error passed: the option's name and the Limits field.
_OPTIONS: dict[type[ResourceLimitError], tuple[str, str]] = {
    LoopIterationLimitError: ("ablog_ext_liquid_loop_limit", "loops"),
    OutputStreamLimitError: ("ablog_ext_liquid_output_limit", "output"),
    ContextDepthError: ("ablog_ext_liquid_depth_limit", "depth"),
    BlockNestingError: ("ablog_ext_liquid_depth_limit", "depth"),
    LocalNamespaceLimitError: ("ablog_ext_liquid_namespace_limit", "namespace"),
}


def limits_from(config: Any) -> Limits:
    """The limits ``conf.py`` sets (``config.py`` has checked their types)."""
    return Limits(
        loops=int(config.ablog_ext_liquid_loop_limit),
        output=int(config.ablog_ext_liquid_output_limit),
        depth=int(config.ablog_ext_liquid_depth_limit),
        namespace=int(config.ablog_ext_liquid_namespace_limit),
    )


def describe(error: ResourceLimitError, limits: Limits) -> str:
    """Which limit *error* passed, named as ``conf.py`` sets it."""
    for kind, (option, field) in _OPTIONS.items():
        if isinstance(error, kind):
            return f"the post passed a Liquid limit: {option} = {getattr(limits, field)}"
    return f"the post passed a Liquid limit ({error.message})"


class _CountingContext(RenderContext):
    """A render context that counts every loop iteration of the render it belongs
    to (``env.loop_count``), not only those of the loops it is inside."""

    def raise_for_loop_limit(self, length: int = 1) -> None:
        super().raise_for_loop_limit(length)
        env: Any = self.env
        limit = env.loop_iteration_limit
        if not limit:
            return
        # Called as each loop starts, once per round of the loops around it.
        env.loop_count[0] += length
        if env.loop_count[0] > limit:
            raise LoopIterationLimitError("loop iteration limit reached", token=None)


class _CountingTemplate(BoundTemplate):
    context_class = _CountingContext


def limited_environment(base: type[Environment], limits: Limits) -> type[Environment]:
    """A subclass of *base* with *limits*; its ``loop_count`` (one cell) is reset
    by the caller before each render."""
    attributes = {
        "loop_iteration_limit": limits.loops,
        "output_stream_limit": limits.output,
        "context_depth_limit": limits.depth,
        "block_nesting_limit": limits.depth,
        "local_namespace_limit": limits.namespace,
        "template_class": _CountingTemplate,
    }
    return type(f"Limited{base.__name__}", (base,), attributes)


__all__ = ["Limits", "ResourceLimitError", "describe", "limited_environment", "limits_from"]
