"""Excerpts: where a post's excerpt ends, a tree that any writer can render, and
each post's HTML rendered once per build.

*Where it ends.*  Jekyll cuts a post's text at the first ``excerpt_separator``
(``<!--more-->`` here).  The separator is found in the source text, outside code
(fenced and indented code, code directives, math, inline code), and marked in the
doctree the parser builds (:func:`mark_cut`); at ``doctree-read`` the excerpt is
everything before the mark (:func:`excerpt_before_mark`), whatever the nesting: a
list, an admonition, a block quote, a section.  So every shape of separator
(``<!--more-->``, ``"\n---\n"``, a word in a paragraph) is handled the same way.

*A tree any writer can render.*  ABlog renders excerpts inside a paragraph on
archive pages: a section (a ``## heading`` before the separator) becomes a rubric,
system messages are dropped (:func:`safe_excerpt`).  Should ABlog's rendering of
one post's excerpt still fail, the post gets a warning and a plain-text excerpt,
and the build goes on.

*Rendered once.*  ABlog's archive pages call ``Post.to_html`` for every post on
every page that lists it (3,108 renders for 300 posts), each through docutils'
``new_document``, which builds a whole option parser per call.  The HTML only
depends on the folder of the page it is rendered for (links are relative), so it
is kept per folder on the post, which ABlog creates afresh every build; an
excerpt with nothing resolved or linked against the page (no cross-reference,
image or numbered element) is rendered once per build.
"""

from __future__ import annotations

import bisect
import html as html_lib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ablog.post import PostList, register_posts
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import docname_join, logging
from sphinx.util.docutils import new_document

from ablog_ext.reaches.sphinx import SPHINX_TEMPLATES
from ablog_ext.reading.post_doctree import post_copy
from ablog_ext.speed.post_html import install_post_html, render_post_html
from ablog_ext.state import Slot, build_state

logger = logging.getLogger("ablog_ext.excerpts")

# -- where the excerpt ends ----------------------------------------------------------------

#: Directives whose content is code or data, never Markdown: a separator in them does not cut.
CODE_DIRECTIVES = frozenset(
    {
        "code", "code-block", "sourcecode", "code-cell", "literalinclude", "math", "raw",
        "eval-rst", "csv-table", "highlight", "parsed-literal", "doctest", "testcode",
        "testoutput", "mermaid", "graphviz", "graph", "digraph", "plantuml", "jupyter-execute",
        "ipython",
    }
)  # fmt: skip
#: markdown-it tokens whose lines are code (or front matter): a separator there does not cut.
_CODE_TOKENS = frozenset(
    {"code_block", "math_block", "math_block_label", "amsmath", "front_matter"}
)
_DIRECTIVE_NAME = re.compile(r"^\{([^}\s]+)\}")
#: What may stand before a separator on its line for it to be a block of its own:
#: indentation, block quote markers, a list marker.
_BLOCK_PREFIX = re.compile(r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?[ \t>]*$")
#: Class of the comment that marks the end of the excerpt between parsing and
#: ``doctree-read``; comments are skipped by every writer, should one remain.
MARK_CLASS = "ablog-ext-excerpt-end"


@dataclass(frozen=True)
class Cut:
    """Where a post's excerpt ends, in source lines (1-based)."""

    #: The line the separator's first visible character is on.
    line: int
    #: First line of the paragraph (or heading, or table) the separator is inside,
    #: when text before it on that block belongs to the excerpt; ``None`` when the
    #: separator stands between blocks.
    block_line: int | None
    #: The separator without surrounding white space, to find it in that block.
    marker: str

    def on_lines(self, lines: Sequence[int]) -> Cut:
        """This cut in the author's lines, *lines* giving the source line of each
        line of the text it was found in (Liquid and kramdown move lines)."""

        def source(line: int) -> int:
            return lines[min(max(line, 1), len(lines)) - 1]

        block_line = None if self.block_line is None else source(self.block_line)
        return Cut(source(self.line), block_line, self.marker)


@dataclass
class _Regions:
    code_lines: set[int]
    #: ``(first line, end line)`` (0-based, end excluded) of each paragraph's text.
    inline: list[tuple[int, int]]


def _collect_regions(
    tokens: Sequence[Any], offset: int, md: Any, separator: str, regions: _Regions
) -> None:
    for token in tokens:
        if token.map is None:
            continue
        start, end = token.map[0] + offset, token.map[1] + offset
        if token.type in {"fence", "colon_fence"}:
            match = _DIRECTIVE_NAME.match((token.info or "").strip())
            markdown = token.type == "colon_fence" or (
                match is not None and match[1] not in CODE_DIRECTIVES
            )
            if markdown:
                # Admonitions and their like hold Markdown: look inside, fences excepted.
                regions.code_lines.update({start, end - 1})
                inner = md.parse(token.content, {})
                _collect_regions(inner, start + 1, md, separator, regions)
            else:
                regions.code_lines.update(range(start, end))
        elif token.type in _CODE_TOKENS:
            regions.code_lines.update(range(start, end))
        elif token.type == "html_block" and token.content.strip() != separator.strip():
            # A separator inside a larger block of raw HTML cannot cut it.
            regions.code_lines.update(range(start, end))
        elif token.type == "inline":
            regions.inline.append((start, end))


def _code_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each inline code span of *text* (CommonMark's backtick rule)."""
    spans = []
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    index = 0
    while index < len(runs):
        start, end = runs[index]
        length = end - start
        closing = next(
            (j for j in range(index + 1, len(runs)) if runs[j][1] - runs[j][0] == length), None
        )
        if closing is None:
            index += 1
            continue
        spans.append((start, runs[closing][1]))
        index = closing + 1
    return spans


def find_separator(
    text: str, tokens: Sequence[Any], md: Any, separator: str, body_start: int
) -> Cut | None:
    """Where *separator* first occurs in *text* (the source MyST reads, whose
    *tokens* markdown-it produced) after line *body_start* (0-based), outside code."""
    if not separator or separator not in text:
        return None
    regions = _Regions(set(), [])
    _collect_regions(tokens, 0, md, separator, regions)
    starts = [0] + [match.end() for match in re.finditer("\n", text)]
    # Jekyll skips the blank lines that open the body (so "\n\n" is not met there).
    first = body_start
    while first < len(starts) - 1 and not text[starts[first] : starts[first + 1]].strip():
        first += 1
    position = starts[first] if first < len(starts) else len(text)
    leading = len(separator) - len(separator.lstrip())
    while (found := text.find(separator, position)) >= 0:
        position = found + 1
        visible = found + leading
        line = bisect.bisect_right(starts, visible) - 1
        if line in regions.code_lines:
            continue
        region = min(
            (r for r in regions.inline if r[0] <= line < r[1]),
            key=lambda r: r[1] - r[0],
            default=None,
        )
        if region is not None:
            region_start = starts[region[0]]
            region_end = starts[region[1]] if region[1] < len(starts) else len(text)
            spans = _code_spans(text[region_start:region_end])
            if any(a <= visible - region_start < b for a, b in spans):
                continue
        before = text[starts[line] : visible]
        inside_block = region is not None and (region[0] < line or not _BLOCK_PREFIX.match(before))
        return Cut(
            line=line + 1,
            block_line=region[0] + 1 if inside_block and region is not None else None,
            marker=separator.strip(),
        )
    return None


def _mark() -> nodes.comment:
    return nodes.comment("", "", classes=[MARK_CLASS])


def is_mark(node: nodes.Node) -> bool:
    return isinstance(node, nodes.comment) and MARK_CLASS in node.get("classes", ())


def _insert_before(node: nodes.Element, mark: nodes.Element) -> None:
    parent = node.parent
    parent.insert(parent.index(node), mark)


def _mark_in_text(document: nodes.document, cut: Cut, mark: nodes.Element) -> bool:
    """Mark the separator inside a paragraph (or heading): before the raw HTML or
    the text that is the separator, so the words before it stay in the excerpt."""
    assert cut.block_line is not None
    blocks = [
        node
        for node in document.findall(nodes.TextElement)
        if node.line is not None
        and cut.block_line <= node.line <= cut.line
        and not isinstance(node, nodes.FixedTextElement)
    ]
    for block in blocks:
        for node in block.findall():
            if isinstance(node, nodes.raw | nodes.comment) and node.astext().strip() == cut.marker:
                _insert_before(node, mark)
                return True
            if isinstance(node, nodes.Text) and cut.marker and cut.marker in node:
                head, tail = str(node).split(cut.marker, 1)
                parts: list[nodes.Node] = [nodes.Text(head)] if head else []
                parts += [mark, nodes.Text(cut.marker + tail)]
                node.parent.replace(node, parts)
                return True
    if not blocks:
        return False
    block = blocks[0]
    if cut.marker and cut.marker in block.astext():
        # The separator spans inline markup: leave the whole block out.
        _insert_before(block, mark)
    else:
        # Not in the text at all (the `---` under a heading): the block ends before it.
        block.parent.insert(block.parent.index(block) + 1, mark)
    return True


def mark_before(node: nodes.Element) -> None:
    """Mark the excerpt's end before *node* (a notebook's separator, found in
    the doctree: a notebook has no source lines to cut at)."""
    _insert_before(node, _mark())


def mark_cut(document: nodes.document, cut: Cut) -> None:
    """Put the excerpt's end mark where *cut* says, in the document just parsed."""
    mark = _mark()
    if cut.block_line is not None and _mark_in_text(document, cut, mark):
        return
    for node in document.findall(nodes.Element, include_self=False):
        if node.line is not None and node.line >= cut.line and node.parent is not None:
            _insert_before(node, mark)
            return
    # Nothing after the separator: the excerpt is the whole post.
    document.append(mark)


def _truncated(node: nodes.Element, path: list[nodes.Element], depth: int) -> list[nodes.Node]:
    """Copies of *node*'s children before the mark; the child the mark is in, cut too."""
    on_path = path[depth]
    result: list[nodes.Node] = []
    for child in node.children:
        if child is on_path:
            break
        result.append(child.deepcopy())
    if depth + 1 == len(path) or isinstance(on_path, nodes.table):
        return result  # the mark itself, or a table, which cannot be cut between cells
    inner = _truncated(on_path, path, depth + 1)
    if inner:
        copy = on_path.copy()
        copy.extend(inner)
        result.append(copy)
    return result


def excerpt_before_mark(doctree: nodes.document) -> list[nodes.Node] | None:
    """The body before the excerpt mark (``None`` when there is none), which is
    removed from *doctree*."""
    mark = next(iter(doctree.findall(is_mark)), None)
    return None if mark is None else excerpt_before(doctree, mark)


def excerpt_before(doctree: nodes.document, mark: nodes.Element) -> list[nodes.Node]:
    """The body before *mark* (the excerpt mark of *doctree*), which is removed."""
    path: list[nodes.Element] = []
    node: nodes.Element | None = mark
    while node is not None and node is not doctree:
        path.insert(0, node)
        node = node.parent
    body = _truncated(doctree, path, 0)
    mark.parent.remove(mark)
    return safe_excerpt(body, top=True)


def safe_excerpt(body: Iterable[nodes.Node], top: bool = False) -> list[nodes.Node]:
    """*body* as body elements that can stand in a paragraph: each section becomes
    a rubric (its title) and its content; system messages and excerpt marks are left
    out, and with *top* (a document's children) the post's own title and what
    precedes it (front matter) too."""
    result: list[nodes.Node] = []
    seen_section = not top
    for node in body:
        if isinstance(node, nodes.section):
            title = next((c for c in node.children if isinstance(c, nodes.title)), None)
            if title is not None and seen_section:
                result.append(nodes.rubric("", "", *[c.deepcopy() for c in title.children]))
            seen_section = True
            result.extend(safe_excerpt([c for c in node.children if c is not title]))
        elif seen_section and not _unsafe(node) and not isinstance(node, nodes.title):
            if isinstance(node, nodes.Element):
                _flatten_inside(node)
            result.append(node)
    return result


def absolute_doc_targets(excerpt: Iterable[nodes.Node], docname: str) -> None:
    """Each ``:doc:`` target of *excerpt* (of the post *docname*) made absolute: the
    excerpt is shown on other pages, whose links ABlog resolves for those pages
    (``refdoc`` the page), where ``:doc:`chambers``` would be looked for next to the
    page, not next to the post."""
    for top in excerpt:
        if not isinstance(top, nodes.Element):
            continue
        for xref in top.findall(addnodes.pending_xref):
            if xref.get("refdomain") == "std" and xref.get("reftype") == "doc":
                base = xref.get("refdoc") or docname
                xref["reftarget"] = "/" + docname_join(base, str(xref["reftarget"]))


def _unsafe(node: nodes.Node) -> bool:
    return is_mark(node) or isinstance(
        node, nodes.section | nodes.system_message | nodes.docinfo | nodes.document
    )


def _flatten_inside(element: nodes.Element) -> None:
    """Sections and system messages nested in an excerpt node (ABlog's ``post``
    directive allows them): a rubric and the content, or nothing."""
    while (inner := next(element.findall(_unsafe, include_self=False), None)) is not None:
        replacement = safe_excerpt([inner]) if isinstance(inner, nodes.section) else []
        inner.parent.replace(inner, replacement)


def plain_excerpt(excerpt: Iterable[nodes.Node]) -> str:
    """The excerpt as escaped plain text: what is shown when it cannot be rendered."""
    text = " ".join(" ".join(node.astext().split()) for node in excerpt)
    return f'<p class="ablog-post-excerpt">{html_lib.escape(text)}</p>'


# -- rendering --------------------------------------------------------------------------------


def memoize_post_html(app: Sphinx, config: Any) -> None:
    """``config-inited``: ABlog's ``Post.to_html`` renders each post once per
    folder and never fails (see :mod:`ablog_ext.speed.post_html`)."""
    install_post_html(app, fallback_html)


def fallback_html(post: Any, fulltext: bool, error: Exception) -> str:
    """What is shown of an ABlog *post* whose excerpt (or text) cannot be rendered:
    its plain text; the post gets one warning per build."""
    if not post.__dict__.get("_ablog_ext_failed"):
        post.__dict__["_ablog_ext_failed"] = True
        logger.warning(
            "ABlog could not render this post's %s (%s: %s); showing it as plain text",
            "text" if fulltext else "excerpt",
            type(error).__name__,
            error,
            type="ablog_ext",
            subtype="excerpt",
            location=post.docname,
        )
    if not fulltext:
        return plain_excerpt(post.excerpt)
    try:
        return plain_excerpt([post_copy(post)])
    except Exception:  # the text cannot be loaded either: its excerpt, then
        return plain_excerpt(post.excerpt)


def escape_ablog_templates(app: Sphinx) -> None:
    """Turn on Jinja's autoescaping for ABlog's templates (and ours).

    Sphinx renders templates without it, and ABlog's print post titles, category,
    tag and author names as they are: a title such as ``<script>...`` in front
    matter would reach every archive page and sidebar as markup.  The only HTML
    those templates print, a post's excerpt, comes through ``to_html`` as
    ``Markup``, which autoescaping leaves alone.
    """
    environment = SPHINX_TEMPLATES.environment(app)
    if environment is None:
        return
    previous = environment.autoescape

    def autoescape(name: str | None) -> bool:
        if name and name.startswith(("ablog/", "ablog_ext/")):
            return True
        return bool(previous(name) if callable(previous) else previous)

    environment.autoescape = autoescape


def guard_postlist_excerpts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Before ABlog copies excerpts into a page's ``postlist`` (``:excerpts:``),
    render each post's excerpt once (the blog's archive page needs it anyway): one
    that fails is shown as plain text there too, instead of stopping the build."""
    from ablog.blog import Blog

    if app.builder.format != "html" or app.builder.name in {"json", "pickle"}:
        return
    if not any(node.get("excerpts") for node in doctree.findall(PostList)):
        return
    blog = Blog(app)
    if not blog:
        register_posts(app)
    swapped = []
    for post in blog.posts:
        if not post.__dict__.get("_ablog_ext_checked"):
            post.__dict__["_ablog_ext_checked"] = True
            render_post_html(post, blog.posts.docname)
            if post.__dict__.get("_ablog_ext_failed"):
                text = " ".join(" ".join(node.astext().split()) for node in post.excerpt)
                post.excerpt = [nodes.paragraph(text, text)]
        if _resolve_for_page(app, post, docname):
            swapped.append(post)
    if swapped:
        build_state(app).get(_SWAPPED).append((doctree, swapped))


def _resolve_for_page(app: Sphinx, post: Any, docname: str) -> bool:
    """Give ABlog, for this page's postlist, the post's excerpt with its links
    resolved for the page, as ABlog resolves them (``refdoc`` the page), quietly:
    ABlog would resolve its copy again, and repeat for every page the warnings the
    post's own page gives once.  Whether it did (undone by :func:`restore_excerpts`)."""
    excerpt = post.excerpt
    if next((n for node in excerpt for n in node.findall(addnodes.pending_xref)), None) is None:
        return False
    document = new_document("")
    document.extend(node.deepcopy() for node in excerpt)
    for xref in document.findall(addnodes.pending_xref):
        # Links relative to the page that shows the excerpt, not to the post.
        xref["refdoc"] = docname
    with logging.suppress_logging():
        app.env.resolve_references(document, docname, app.builder)
    post.__dict__.setdefault("_ablog_ext_excerpt", excerpt)
    post.excerpt = list(document.children)
    return True


#: The pages (their doctrees) whose postlists were given resolved copies of
#: excerpts, and the posts given them, until :func:`restore_excerpts`.
_SWAPPED: Slot[list[tuple[nodes.document, list[Any]]]] = Slot(
    "excerpts: resolved for a page's postlists", lambda app: []
)


def restore_excerpts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """After ABlog's postlists (which have replaced the page's ``postlist`` nodes):
    each post's own excerpt back, for the page's own doctree only (not after the
    event that resolving an excerpt emits for its own small document).  Otherwise
    every later page, archive page and feed would get the copy resolved for this
    page."""
    kept = build_state(app).peek(_SWAPPED)
    for index, (page, posts) in enumerate(kept or ()):
        if page is doctree:
            del kept[index]  # type: ignore[union-attr]
            for post in posts:
                if "_ablog_ext_excerpt" in post.__dict__:
                    post.excerpt = post.__dict__.pop("_ablog_ext_excerpt")
            return
