"""A post's text before MyST reads it: Liquid, then kramdown, then line numbers back.

:func:`preprocess_post` is the one hook ``posts.py`` calls. The front matter is
passed through byte for byte; each step returns its output and the source line of
every output line, and the author's line numbers are put back on the tokens MyST
turns into nodes (``myst_post.render_myst_post``), so warnings point at the line
the author wrote.
"""

from __future__ import annotations

import re

from docutils import nodes
from myst_parser.config.main import MdParserConfig

from ablog_ext.jekyll.frontmatter import FrontMatterBlock, PostMeta
from ablog_ext.reading.kramdown import convert_post, kramdown_options
from ablog_ext.reading.liquid import render_liquid
from ablog_ext.reading.safe_posts import shown_as_code

#: The scheme of a link's target, inline (``](rsync://x)``) or in a reference
#: definition (``[x]: ruby-talk:124434``).
_SCHEME = re.compile(
    r"(?:\]\(\s*<?|^ {0,3}\[[^\]\n]+\]:[ \t]*<?)([A-Za-z][A-Za-z0-9+.-]*):", re.M
)
#: Schemes MyST reads as references to the project, not addresses.
_MYST_SCHEMES = frozenset({"inv", "path", "project"})


def preprocess_post(
    document: nodes.document,
    text: str,
    block: FrontMatterBlock,
    meta: PostMeta,
    config: MdParserConfig,
) -> tuple[str, MdParserConfig, list[int] | None]:
    """The post's text as MyST should read it, the MyST configuration to read it,
    and the source line (1-based) of each of its lines when preprocessing moved
    lines (``None`` when every line is the author's)."""
    lines: list[int] | None = None
    liquid = render_liquid(document, text, block, meta)
    if liquid is not None:
        text, lines = liquid
    env = document.settings.env
    options = kramdown_options(env.config)
    if options is not None:
        kramdown = convert_post(env.docname, text, block.body_start, config, lines, options)
        if kramdown is not None:
            text, inner, config = kramdown
            lines = _compose(lines, inner)
    if env.config.ablog_ext_safe_posts:
        text = shown_as_code(text)
    if lines is not None and lines == list(range(1, len(lines) + 1)):
        lines = None
    return text, _with_link_schemes(text, config), lines


def _with_link_schemes(text: str, config: MdParserConfig) -> MdParserConfig:
    """*config* with every scheme the post's links use as an external address, as
    kramdown writes any ``scheme:`` link (``rsync://``, ``irc:``, ``ruby-talk:1``) as
    it is; MyST would look each one up as a reference and warn."""
    schemes = set(_SCHEME.findall(text))
    new = sorted(schemes - set(config.url_schemes) - _MYST_SCHEMES)
    if not new:
        return config
    return config.copy(url_schemes={**config.url_schemes, **dict.fromkeys(new)})


def _compose(outer: list[int] | None, inner: list[int]) -> list[int]:
    """Line map of two steps: *inner* maps the second's output to its input."""
    if outer is None:
        return inner
    return [outer[min(line, len(outer)) - 1] for line in inner]


__all__ = ["preprocess_post"]
