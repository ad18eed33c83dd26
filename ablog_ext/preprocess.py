"""A post's text before MyST reads it: Liquid, then kramdown, then line numbers back.

:func:`preprocess_post` is the one hook ``posts.py`` calls. The front matter is
passed through byte for byte; each step returns its output and the source line of
every output line, and the author's line numbers are put
back on the tokens MyST turns into nodes (:func:`use_source_lines`), so warnings
point at the line the author wrote.
"""

from __future__ import annotations

from docutils import nodes
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from myst_parser.config.main import MdParserConfig

from .frontmatter import FrontMatterBlock, PostMeta
from .kramdown import convert_post
from .liquid import render_liquid

#: Python attribute on the document: output line (1-based) -> source line, or absent.
_LINES = "ablog_ext_source_lines"


def preprocess_post(
    document: nodes.document,
    text: str,
    block: FrontMatterBlock,
    meta: PostMeta,
    config: MdParserConfig,
) -> tuple[str, MdParserConfig]:
    """The post's text as MyST should read it, and the MyST configuration to read it."""
    lines: list[int] | None = None
    liquid = render_liquid(document, text, block, meta)
    if liquid is not None:
        text, lines = liquid
    env = document.settings.env
    if env.config.ablog_ext_kramdown:
        kramdown = convert_post(env.docname, text, block.body_start, config, lines)
        if kramdown is not None:
            text, inner, config = kramdown
            lines = _compose(lines, inner)
    if lines is not None and lines != list(range(1, len(lines) + 1)):
        setattr(document, _LINES, lines)
    return text, config


def _compose(outer: list[int] | None, inner: list[int]) -> list[int]:
    """Line map of two steps: *inner* maps the second's output to its input."""
    if outer is None:
        return inner
    return [outer[min(line, len(outer)) - 1] for line in inner]


def source_line_map(document: nodes.document) -> list[int] | None:
    """The source line (1-based) of each line (index + 1) of the text MyST reads,
    when preprocessing moved lines; ``None`` when every line is the author's."""
    lines: list[int] | None = getattr(document, _LINES, None)
    return lines


def use_source_lines(md: MarkdownIt, document: nodes.document) -> None:
    """Make *md* give each token the source line of the text the author wrote.

    A core rule after parsing rewrites the tokens' line ranges, before MyST turns
    them into nodes and warnings, so all of them name the author's lines.
    """
    lines: list[int] | None = getattr(document, _LINES, None)
    if lines is None:
        return
    delattr(document, _LINES)
    last = len(lines)

    def source_lines(state: StateCore) -> None:
        pending = list(state.tokens)
        while pending:
            token = pending.pop()
            if token.map:
                start, end = token.map
                first = lines[min(max(start, 0), last - 1)] - 1
                final = lines[min(max(end - 1, start, 0), last - 1)]
                token.map = [first, max(final, first + 1)]
            pending.extend(token.children or ())

    md.core.ruler.push("ablog_ext_source_lines", source_lines)


__all__ = ["preprocess_post", "source_line_map", "use_source_lines"]
