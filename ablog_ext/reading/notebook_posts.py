"""The parser of a site that uses MyST-NB: notebooks and Markdown, each read as a post.

:class:`JekyllMystParser` reads Markdown posts where MyST-Parser reads Markdown;
where MyST-NB reads it (its parser takes ``.md``, ``.ipynb`` and any custom
notebook format), the parser made here reads what is not a notebook the same way,
and a notebook through MyST-NB with its front matter applied
(:mod:`.notebooks`).  The class is made per application, as MyST-NB is optional.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from docutils import nodes
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.application import Sphinx

from ablog_ext.reading.environment import env_app
from ablog_ext.reading.excerpts import mark_before
from ablog_ext.reading.myst_post import title_section
from ablog_ext.reading.notebooks import (
    dates_quoted,
    notebook_front_matter,
    notebook_reader,
    separator_node,
    uses_myst_nb,
)
from ablog_ext.reading.parsed import ParsedPost, attach_parsed_post
from ablog_ext.reading.posts import (
    JekyllMystParser,
    front_matter_blocks,
    is_post_document,
    read_post_meta,
    slug_title,
    source_path,
    warn,
)
from ablog_ext.reading.safe_posts import shown_as_code

#: What may stand before a notebook's own first heading, which then titles it.
_BEFORE_TITLE = (nodes.field_list, nodes.docinfo, nodes.target, nodes.comment, nodes.raw)


def setup_notebook_posts(app: Sphinx) -> None:
    """Read MyST-NB's documents as posts, when the site uses MyST-NB."""
    if not uses_myst_nb(app):
        return
    from myst_nb.sphinx_ import Parser as NotebookParser

    class JekyllNotebookParser(JekyllMystParser, NotebookParser):
        """MyST-NB's parser, reading blog posts the way ablog_ext reads them."""

        supported = NotebookParser.supported

        def parse(self, inputstring: str, document: nodes.document) -> None:
            env = document.settings.env
            reader = notebook_reader(env, inputstring)
            if reader is None:
                JekyllMystParser.parse(self, inputstring, document)
                return

            def parse_notebook(text: str) -> None:
                NotebookParser.parse(self, text, document)

            if not read_notebook(reader, inputstring, document, parse_notebook):
                # Unreadable (warned): an empty page, set up as MyST sets up any,
                # that no toctree needs to list.
                MystParser.parse(self, "", document)
                env.metadata[env.docname]["orphan"] = True

    app.add_source_parser(JekyllNotebookParser, override=True)


def read_notebook(reader: Any, text: str, document: nodes.document, parse: Any) -> bool:
    """Read a notebook with MyST-NB (*parse*); a post gets its front matter read,
    its title and the end of its excerpt marked, as a Markdown post does.  False
    when it cannot be read as a notebook (with a warning)."""
    env = document.settings.env
    config, docname = env.config, env.docname
    path = source_path(env, docname)
    suffix = PurePosixPath(path).suffix.lower()
    try:
        notebook = reader.read(text)
    except Exception as error:  # nbformat, jupytext and custom readers raise their own
        warn(f"cannot be read as a notebook ({error}); it is left empty", docname, 1, "notebook")
        return False
    app = env_app(env)
    block = notebook_front_matter(notebook, text, suffix, front_matter_blocks(app) if app else None)
    if suffix != ".ipynb":
        text = dates_quoted(text, block)
    data = block.data or {}
    if not is_post_document(env, data):
        parse(text)
        return True
    meta, draft = read_post_meta(env, data)
    empty = not any(str(cell.get("source") or "").strip() for cell in notebook.get("cells") or [])
    attach_parsed_post(document, ParsedPost(meta, block, empty, draft, notebook=True))
    if config.ablog_ext_safe_posts:
        text = _safe_text(text, suffix)
    with _headings_below_title() if meta.title else contextlib.nullcontext():
        parse(text)
    opening = _opening_title(document)
    title = meta.title or (None if opening is not None else slug_title(docname))
    if title is not None and opening is not None and title.split() == opening.split():
        # The notebook opens with the title itself: one title, as plain ABlog shows it.
        title = None
    if title:
        _under_title(document, title)
    if meta.excerpt is None:
        separator = separator_node(document, meta.excerpt_separator)
        if separator is not None:
            mark_before(separator)
    return True


#: MyST-Parser's logger for its warnings (a module name: should it move, the
#: warning below is shown, as without ablog_ext).
_MYST_WARNINGS = "sphinx.myst_parser.warnings_"


class _FirstHeadingsAtH2(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Document headings start at H2,")


@contextlib.contextmanager
def _headings_below_title() -> Iterator[None]:
    """Under a front matter title, a notebook's ``##`` headings are its first
    level, as in a Markdown post: MyST's warning that they start at H2 is not
    given (a jump further down still is)."""
    logger = logging.getLogger(_MYST_WARNINGS)
    kept = _FirstHeadingsAtH2()
    logger.addFilter(kept)
    try:
        yield
    finally:
        logger.removeFilter(kept)


def _opening_title(document: nodes.document) -> str | None:
    """The title of the heading the notebook opens with, if it opens with one."""
    first = next((node for node in document if not isinstance(node, _BEFORE_TITLE)), None)
    if isinstance(first, nodes.section) and first.children:
        return first[0].astext()
    return None


def _under_title(document: nodes.document, title: str) -> None:
    """Everything but the front matter moved into a section titled *title*: the
    notebook's own headings are below it, so the page has one ``<h1>``."""
    section = title_section(document, title)
    front = [node for node in document if isinstance(node, nodes.field_list | nodes.docinfo)]
    body = [node for node in document if node not in front]
    for node in body:
        document.remove(node)
    section.extend(body)
    document.append(section)


def _safe_text(text: str, suffix: str) -> str:
    """The notebook with its Markdown cells' file-reading directives shown as code
    (``ablog_ext_safe_posts``)."""
    if suffix != ".ipynb":
        return shown_as_code(text)
    try:
        data = json.loads(text)
    except ValueError:
        return text
    changed = False
    for cell in data.get("cells") or []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source")
        source = "".join(source) if isinstance(source, list) else str(source or "")
        shown = shown_as_code(source)
        if shown != source:
            cell["source"], changed = shown, True
    return json.dumps(data) if changed else text


__all__ = ["read_notebook", "setup_notebook_posts"]
