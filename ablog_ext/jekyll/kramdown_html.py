"""Where kramdown ends an HTML block, in CommonMark's terms (pure, no Sphinx).

CommonMark runs an HTML block on to the next blank line, so the Markdown line
right after ``</figure>``, ``</p>`` or ``<br/>`` is shown as raw text. kramdown
ends the block where its element closes, and reads the next line as Markdown;
a line that starts with an inline element (``<br/>``, ``<img>``, ``<a>``) is the
start of a paragraph there. :func:`end_html_blocks` writes the same in
CommonMark: a blank line after the line where the block's elements are all
closed, when Markdown follows, and an empty comment after an inline element
that would otherwise start an HTML block of its own.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

#: Elements kramdown and CommonMark read as blocks: a line starting with one stays
#: in the HTML block (kramdown starts a new one there).
_BLOCK_NAMES = (
    "address article aside audio base basefont blockquote body canvas caption center col "
    "colgroup dd details dialog dir div dl dt fieldset figcaption figure footer form frame "
    "frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe legend li link main map "
    "math menu menuitem nav noframes object ol optgroup option p param picture pre script "
    "search section source style summary svg table tbody td textarea tfoot th thead title "
    "tr track ul video"
)
_BLOCK_ELEMENTS = frozenset(_BLOCK_NAMES.split())
_VOID_NAMES = "area base br col embed hr img input link meta param source track wbr"
_VOID = frozenset(_VOID_NAMES.split())
_TAG = re.compile(r"""<(/?)([A-Za-z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>""")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
#: A line that may start an HTML block, followed by one that is not HTML: the
#: cheap test before the Markdown parser is asked.
_MAY_END = re.compile(r"^ {0,3}<[A-Za-z/][^\n]*\n[ \t]*[^\s<]", re.M)
#: HTML blocks CommonMark ends by their own rule (``<pre>``, comments, ``<?``, ``<!``).
_OWN_END = re.compile(r"^ {0,3}<(?:script|pre|style|textarea)(?:\s|>|$)|^ {0,3}<[!?]", re.I)


def _depth_change(line: str) -> tuple[int, int]:
    """How many elements *line* opens and closes (void and self-closed ones aside)."""
    opened = closed = 0
    for match in _TAG.finditer(_COMMENT.sub("", line)):
        name = match[2].lower()
        if match[1]:
            closed += 1
        elif not match[4] and name not in _VOID:
            opened += 1
    return opened, closed


def _starts_block_html(line: str) -> bool:
    match = re.match(r" {0,3}<(/?)([A-Za-z][\w-]*)", line)
    if match is None:
        return line.lstrip().startswith("<!--")
    return match[2].lower() in _BLOCK_ELEMENTS


def _ends(lines: list[str], start: int, end: int) -> tuple[set[int], set[int]]:
    """In the HTML block on lines *start* to *end*: the lines after which kramdown
    ends it, and whether its first line is an inline element kramdown starts a
    paragraph with (``{start}``)."""
    after: set[int] = set()
    if _OWN_END.match(lines[start]):
        return after, set()
    if not _starts_block_html(lines[start]):
        return after, {start}
    depth = 0
    for index in range(start, end - 1):
        opened, closed = _depth_change(lines[index])
        depth = max(0, depth + opened - closed)
        following = lines[index + 1]
        if depth == 0 and following.strip() and not _starts_block_html(following):
            after.add(index)
    return after, set()


def may_end_html_blocks(text: str) -> bool:
    """A quick test: ``False`` when :func:`end_html_blocks` would change nothing."""
    return bool(_MAY_END.search(text))


def end_html_blocks(text: str) -> tuple[str, list[int]] | None:
    """*text* with its HTML blocks ended where kramdown ends them, and the source
    line (1-based) of each line; ``None`` when nothing changes. Only blocks at the
    top level are looked at (not in lists or quotes); code is never touched."""
    if not may_end_html_blocks(text):
        return None
    lines = text.split("\n")
    blank_after: set[int] = set()
    inline_first: set[int] = set()
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "html_block" and token.level == 0 and token.map:
            start, end = token.map
            if end - start < 2:
                continue
            after, first = _ends(lines, start, end)
            blank_after |= after
            inline_first |= first
    if not blank_after and not inline_first:
        return None
    out: list[str] = []
    numbers: list[int] = []
    for index, line in enumerate(lines):
        # An inline element and text after it: no HTML block for CommonMark.
        out.append(line.rstrip() + "<!-- -->" if index in inline_first else line)
        numbers.append(index + 1)
        if index in blank_after:
            out.append("")
            numbers.append(index + 1)
    return "\n".join(out), numbers


__all__ = ["end_html_blocks", "may_end_html_blocks"]
