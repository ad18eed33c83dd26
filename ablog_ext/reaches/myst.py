"""The reaches into MyST-Parser (checks only; :mod:`ablog_ext.reading.myst_post` acts)."""

from __future__ import annotations

from typing import ClassVar

from sphinx.application import Sphinx

from ablog_ext.reaches.base import Reach, lookup, names_used, parameters, shows


class MystRenderer(Reach):
    """MyST's ``SphinxRenderer``, subclassed to open the post's title section itself (plain text;
    MyST would parse it as Markdown), the body's headings below it. Needs the private members
    below, ``render_heading`` reading ``_heading_offset``. Seen in MyST-Parser 4.0 to 5.2."""

    package = "myst-parser"
    target = "MyST's SphinxRenderer private members"
    fallback = (
        "rendering posts with its own renderer (MyST's parser renders them, and the title section "
        "is added to the document afterwards)"
    )
    METHODS: tuple[str, ...] = ("_render_initialise", "render_front_matter", "render_heading")
    METHODS += ("update_section_level_state", "add_line_and_source_path")

    def check(self, app: Sphinx) -> str | None:
        renderer = lookup("myst_parser.mdit_to_docutils.sphinx_:SphinxRenderer")
        if renderer is None:
            return "are missing (no SphinxRenderer)"
        missing = [name for name in self.METHODS if not callable(getattr(renderer, name, None))]
        if missing:
            return f"are missing ({', '.join(missing)})"
        if "_heading_offset" not in names_used(renderer.render_heading):
            return "no longer include _heading_offset, read by render_heading"
        setup = names_used(getattr(renderer, "setup_render", None))
        missing = [n for n in ("current_node", "md_options", "document") if n not in setup]
        if missing:
            return f"are no longer set by setup_render ({', '.join(missing)})"
        return None


class MystParse(Reach):
    """A copy of ``MystParser.parse``, to read a post with ablog_ext's renderer:
    ``env.myst_config`` and the functions below, with those parameters.  Seen in MyST-Parser 4.0 to
    5.2."""

    package = "myst-parser"
    target = "MyST's MystParser.parse (copied)"
    fallback = (
        "its copy of MystParser.parse (MyST's own parse reads posts; the title section is added "
        "to the document afterwards)"
    )
    NEEDS: ClassVar[dict[str, tuple[str, ...]]] = {
        "myst_parser.parsers.mdit:create_md_parser": ("config", "renderer"),
        "myst_parser.config.main:merge_file_level": ("config", "topmatter", "warning"),
        "myst_parser.warnings_:create_warning": ("document", "message", "subtype"),
    }

    def check(self, app: Sphinx) -> str | None:
        for dotted, expected in self.NEEDS.items():
            params = parameters(lookup(dotted))
            if params is None or params[: len(expected)] != expected:
                shown = dotted.replace(":", ".")
                return f"cannot be used: {shown} has parameters {shows(params)}"
        parse = lookup("myst_parser.parsers.sphinx_:MystParser.parse")
        if "myst_config" not in names_used(parse):
            return "cannot be used: MystParser.parse no longer reads env.myst_config"
        return None


class MystDefaultDocument(Reach):
    """``make_document``, patched: ``setup_render`` builds a default document per render, thrown
    away when the options hold one (3.4 s of a 1000-post build); while ablog_ext's renderer sets a
    post up, one made once.  Needs ``setup_render`` to call it.  Seen in MyST-Parser 4.0 to 5.2."""

    package = "myst-parser"
    target = "MyST's make_document (default of setup_render)"
    fallback = "skipping MyST's throwaway document per post (MyST builds one per post)"

    def check(self, app: Sphinx) -> str | None:
        module = lookup("myst_parser.mdit_to_docutils.base")
        if not callable(getattr(module, "make_document", None)):
            return "is missing"
        renderer = getattr(module, "DocutilsRenderer", None)
        if "make_document" not in names_used(getattr(renderer, "setup_render", None)):
            return "is no longer called by DocutilsRenderer.setup_render"
        return None


MYST_RENDERER = MystRenderer()
MYST_PARSE = MystParse()
MYST_DEFAULT_DOCUMENT = MystDefaultDocument()
MystDefaultDocument.requires = (MYST_RENDERER, MYST_PARSE)
