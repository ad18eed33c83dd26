"""Notebook posts: MyST-NB's notebooks read as ABlog posts, like Markdown posts.

When a site lists ``myst_nb`` (anywhere in ``extensions``), ablog_ext sets up
MyST-NB instead of MyST-Parser (:func:`setup_markdown`: setting up both is the
``source_suffix '.md' is already registered`` error), and reads every document
MyST-NB reads with :class:`JekyllNotebookParser`:

- a Markdown file that is not a notebook goes the Markdown post's way
  (:class:`~ablog_ext.reading.posts.JekyllMystParser`);
- a notebook (``.ipynb``, a MyST text notebook, any ``nb_custom_formats``) is
  rendered by MyST-NB itself, outputs and all; ablog_ext never executes a cell
  (``nb_execution_mode`` decides, as without ablog_ext).  Its front matter is the
  notebook's metadata, or a first raw cell holding a ``---`` YAML block (as
  jupytext writes a Markdown file's front matter into a notebook): title, date,
  category, tags, author, excerpt and the rest, as for a Markdown post.  The
  front matter ``title`` titles the page, with the notebook's own headings below
  it; the excerpt ends at the excerpt separator in a Markdown cell, and without
  one it is the first paragraph(s) of Markdown, never a cell's output.

MyST-NB writes each notebook it reads to JSON, which fails on a date PyYAML read
from a text notebook's front matter (``date: 2024-05-20``, not quoted); such dates
are quoted for MyST-NB, line for line (:func:`_dates_quoted`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ablog_ext.jekyll.frontmatter import FrontMatterBlock, read_front_matter

logger = logging.getLogger("ablog_ext.posts")

#: Document kinds (``source_suffix`` values) read as Markdown posts may be.
MARKDOWN_KINDS = frozenset({"markdown", "myst-nb"})
#: Notebook metadata that is the kernel's or the tools', never front matter.
_NOT_FRONT_MATTER = frozenset(
    {"kernelspec", "language_info", "widgets", "jupytext", "source_map", "vscode", "colab"}
)
#: A top-level key whose unquoted value PyYAML reads as a date or time.
_YAML_DATE_LINE = re.compile(
    r"^(?P<key>[A-Za-z_][\w-]*[ \t]*:[ \t]*)(?P<value>\d{4}-\d{1,2}-\d{1,2}(?:[Tt ][^#\n]*?)?)"
    r"(?P<rest>[ \t]*(?:#.*)?)$"
)
#: Output containers MyST-NB makes, which an automatic excerpt never takes.
OUTPUT_CLASS = "cell_output"


def uses_myst_nb(app: Sphinx) -> bool:
    """Whether the site reads Markdown with MyST-NB (listed, or already set up)."""
    return "myst_nb" in app.extensions or "myst_nb" in (app.config.extensions or [])


def setup_markdown(app: Sphinx) -> None:
    """MyST-NB when the site uses it (it sets up MyST-Parser's configuration
    itself, and registers ``.md`` for its own parser), else MyST-Parser."""
    app.setup_extension("myst_nb" if uses_myst_nb(app) else "myst_parser")


def notebook_reader(env: Any, text: str) -> Any:
    """MyST-NB's reader for the document being read, or ``None`` when it is
    Markdown that is not a notebook (MyST-NB decides, by suffix and top matter)."""
    from myst_nb.core.read import create_nb_reader

    return create_nb_reader(
        str(env.doc2path(env.docname)), env.myst_config, env.mystnb_config, text
    )


def notebook_front_matter(
    notebook: Any, text: str, suffix: str, shared: dict[str, FrontMatterBlock] | None
) -> FrontMatterBlock:
    """The notebook's front matter: its metadata, with the YAML of a first raw
    cell over it.  Key lines are the file's for a text notebook, else the cell's
    own, counted from the top of the file as 1.  Never raises: a notebook's JSON
    read as it is (the scan of posts at ``config-inited``) may hold anything."""
    metadata = notebook.get("metadata")
    data = {
        str(key): _plain(value)
        for key, value in (metadata.items() if isinstance(metadata, dict) else ())
        if key not in _NOT_FRONT_MATTER
    }
    block = read_front_matter(text, shared) if suffix != ".ipynb" else FrontMatterBlock()
    cells = notebook.get("cells")
    first = cells[0] if isinstance(cells, list) and cells else None
    if isinstance(first, dict) and first.get("cell_type") == "raw":
        cell_metadata = first.get("metadata")
        raw_format = cell_metadata.get("format") if isinstance(cell_metadata, dict) else None
        cell = read_front_matter(_cell_source(first.get("source")), shared)
        if not raw_format and (cell.data is not None or cell.error):
            data.update(cell.data or {})
            return FrontMatterBlock(data, {}, cell.error, 1, 0)
    if block.data is not None or block.error:
        return block
    return FrontMatterBlock(data, {key: 1 for key in data}, None, 1, 0)


def _cell_source(source: Any) -> str:
    """A cell's text: the ``.ipynb`` format writes it as a list of lines (nbformat
    joins them when it reads a notebook; the JSON read as it is keeps the list)."""
    if isinstance(source, list):
        return "".join(str(line) for line in source)
    return str(source or "")


def _plain(value: Any) -> Any:
    """A notebook node as plain dicts and lists (nbformat's nodes are dicts)."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def dates_quoted(text: str, block: FrontMatterBlock) -> str:
    """*text* with each top-level unquoted date of its front matter quoted, so
    that MyST-NB keeps it a string (its JSON writer fails on dates); one line
    stays one line."""
    if not block.key_lines:
        return text
    lines = text.split("\n")
    for line_number in sorted(set(block.key_lines.values())):
        index = line_number - 1
        if 0 < index < len(lines):
            match = _YAML_DATE_LINE.match(lines[index].rstrip("\r"))
            if match:
                value = match["value"].rstrip()
                lines[index] = f'{match["key"]}"{value}"{match["rest"]}'
    return "\n".join(lines)


def is_notebook_file(path: str | Path) -> bool:
    return PurePosixPath(path).suffix.lower() == ".ipynb"


#: A notebook larger than this is not read for its front matter at ``config-inited``
#: (it is still read as a post, by MyST-NB, when its pattern matches).
MAX_SCANNED_NOTEBOOK = 64 * 1024 * 1024


def notebook_file_front_matter(path: Path) -> dict[str, Any]:
    """The front matter of the ``.ipynb`` file at *path*, for the scan of posts at
    ``config-inited`` (:mod:`.discovery`); empty when it has none or is unreadable."""
    try:
        if path.stat().st_size > MAX_SCANNED_NOTEBOOK:
            return {}
        notebook = json.loads(path.read_bytes().decode("utf-8", errors="replace"))
    except (OSError, ValueError):
        return {}
    if not isinstance(notebook, dict):
        return {}
    return notebook_front_matter(notebook, "", ".ipynb", None).data or {}


def first_paragraphs(doctree: nodes.Node, count: int) -> list[nodes.Node]:
    """Copies of the first *count* paragraphs of the notebook's Markdown, skipping
    every cell's output: a notebook's automatic excerpt."""
    found: list[nodes.Node] = []
    for paragraph in doctree.findall(nodes.paragraph):
        if len(found) >= count:
            break
        if not _inside_output(paragraph):
            found.append(paragraph.deepcopy())
    return found


def _inside_output(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.container) and OUTPUT_CLASS in parent.get("classes", []):
            return True
        parent = parent.parent
    return False


def separator_node(document: nodes.document, separator: str) -> nodes.Element | None:
    """The first node of the notebook's Markdown that is the excerpt separator on
    its own (raw HTML, such as ``<!--more-->``, or a paragraph of its text)."""
    wanted = separator.strip()
    if not wanted:
        return None
    for node in document.findall(nodes.Element):
        if not isinstance(node, nodes.raw | nodes.paragraph | nodes.comment):
            continue
        if node.astext().strip() == wanted and not _inside_output(node):
            return node
    return None


__all__ = [
    "MARKDOWN_KINDS",
    "OUTPUT_CLASS",
    "dates_quoted",
    "first_paragraphs",
    "is_notebook_file",
    "notebook_file_front_matter",
    "notebook_front_matter",
    "notebook_reader",
    "separator_node",
    "setup_markdown",
    "uses_myst_nb",
]
