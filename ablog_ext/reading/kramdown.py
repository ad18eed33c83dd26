"""kramdown in posts, the Sphinx side: converting a post's body before MyST reads it
(the conversion itself is pure: :mod:`ablog_ext.jekyll.kramdown`), warning once
per post about what MyST cannot say, and giving headings kramdown's ids
(:class:`HeadingIds`).
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from myst_parser.config.main import MdParserConfig
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from ablog_ext.jekyll.kramdown import convert, gfm_id, kramdown_id, needs_conversion
from ablog_ext.reading.parsed import parsed_post

logger = logging.getLogger("ablog_ext.kramdown")


def kramdown_options(config: Any) -> dict[str, Any] | None:
    """``ablog_ext_kramdown`` as options (``{}`` for ``True``), ``None`` when off."""
    value = config.ablog_ext_kramdown
    if isinstance(value, dict):
        return value
    return {} if value else None


def convert_post(
    docname: str,
    text: str,
    body_start: int,
    config: MdParserConfig,
    source_lines: list[int] | None = None,
    options: dict[str, Any] | None = None,
) -> tuple[str, list[int], MdParserConfig] | None:
    """The post's text with its body converted, the line of *text* each of its lines
    comes from, and the MyST configuration to read it with; ``None`` when nothing
    changed. *source_lines* maps *text*'s lines to the author's, for warnings."""
    lines = text.splitlines(keepends=True)
    head, body = "".join(lines[:body_start]), "".join(lines[body_start:])
    block_html = bool((options or {}).get("parse_block_html"))
    if not needs_conversion(body, block_html):
        return None
    converted = convert(body, block_html)
    if converted.dropped:

        def source(line: int) -> int:
            full = body_start + line
            return source_lines[full - 1] if source_lines and full <= len(source_lines) else full

        listed = "; ".join(f"{what} (line {source(line)})" for line, what in converted.dropped)
        logger.warning(
            "kramdown: MyST has no equivalent for %s; dropped",
            listed,
            type="ablog_ext",
            subtype="kramdown",
            location=(docname, source(converted.dropped[0][0])),
        )
    missing = converted.extensions - set(config.enable_extensions)
    if missing:
        config = config.copy(enable_extensions=set(config.enable_extensions) | missing)
    mapping = list(range(1, body_start + 1)) + [body_start + n for n in converted.lines]
    return head + converted.text, mapping, config


#: An id or an anchor's name in raw HTML.
_HTML_ID = re.compile(r"""<[a-zA-Z][^>]*?\s(?:id|name)\s*=\s*["']([^"'\s]+)["']""")


class HeadingIds(SphinxTransform):
    """Give each heading of a Jekyll post the ids kramdown gives it (``auto_ids``,
    on by default in Jekyll), both of its input formats, so that links to
    ``#the-heading-id`` written for Jekyll find it, here and from other posts.

    The ids are added to the section (the page keeps the old anchors) and to the
    document's MyST heading slugs, which MyST resolves ``[x](#id)`` against; ids
    already taken are left to their owner, and a repeated heading gets kramdown's
    ``-1``, ``-2``. The ids and names the post's raw HTML gives (``<a name="x">``)
    are slugs too, and ``[top](#)`` is a link to the page itself, as in HTML."""

    # Before MyST's ResolveAnchorIds (879), after the sections have their ids.
    default_priority = 870

    def apply(self, **kwargs: object) -> None:
        parsed = parsed_post(self.document)
        if parsed is None or kramdown_options(self.config) is None:
            return
        slugs: dict[str, tuple[int, str, str]] = getattr(self.document, "myst_slugs", {})
        counts: dict[str, dict[str, int]] = {"kramdown": {}, "gfm": {}}
        titled = bool(parsed.meta.title) and "title" in (parsed.block.data or {})
        for section in self.document.findall(nodes.section):
            if titled and section.parent is self.document:
                continue  # the front matter title: not a heading of the post's text
            title = next((c for c in section.children if isinstance(c, nodes.title)), None)
            if title is None or not section["ids"]:
                continue
            text = title.astext()
            for kind, base in (("kramdown", kramdown_id(text) or "section"), ("gfm", gfm_id(text))):
                seen = counts[kind]
                seen[base] = seen[base] + 1 if base in seen else 0
                ident = f"{base}-{seen[base]}" if seen[base] else base
                self._add(section, ident, title.line or section.line or 0, text, slugs)
        for raw in self.document.findall(nodes.raw):
            if "html" in raw.get("format", "").split():
                for ident in _HTML_ID.findall(raw.astext()):
                    slugs.setdefault(ident, (raw.line or 0, ident, ident))
        for reference in self.document.findall(nodes.reference):
            if reference.get("id_link") and reference.get("refuri") == "#":
                del reference["id_link"]  # MyST would look for an id named ""
        if slugs:
            self.document.myst_slugs = slugs
            self.env.metadata[self.env.docname]["myst_slugs"] = slugs

    def _add(
        self,
        section: nodes.section,
        ident: str,
        line: int,
        text: str,
        slugs: dict[str, tuple[int, str, str]],
    ) -> None:
        if not ident or ident in slugs:
            return
        owner = self.document.ids.get(ident)
        if owner is None:
            section["ids"].append(ident)
            self.document.ids[ident] = section
        elif owner is not section:
            return
        slugs[ident] = (line, ident, text)


def setup_kramdown(app: Sphinx) -> None:
    app.add_transform(HeadingIds)


__all__ = [
    "HeadingIds",
    "convert_post",
    "kramdown_options",
    "setup_kramdown",
]
