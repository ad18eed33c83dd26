"""A post's Markdown rendered by MyST under its front matter title.

With MyST's internals as expected (:data:`~ablog_ext.reaches.myst.MYST_RENDERER`,
:data:`~ablog_ext.reaches.myst.MYST_PARSE`), a post is read by a copy of
``MystParser.parse`` with a renderer of ablog_ext's own that opens the title
section itself (plain text; MyST would parse it as Markdown) and shifts the body's
headings below it, so the page has exactly one ``<h1>``; the markdown-it parser is
made once per build and MyST configuration.  Without them, MyST's own parse reads
the post and the title section is made afterwards.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ablog_ext.reaches.base import loaded_apps, lookup
from ablog_ext.reaches.myst import MYST_DEFAULT_DOCUMENT, MYST_PARSE, MYST_RENDERER
from ablog_ext.speed.patches import replace_once
from ablog_ext.state import Slot, build_state

#: The front matter keys MyST's ``merge_file_level`` reads.
_FILE_LEVEL_KEYS = frozenset({"myst", "html_meta", "substitutions"})
#: Key of the markdown-it environment holding the source line of each line read.
_SOURCE_LINES = "ablog_ext_source_lines"
#: Parsers kept per environment: the site's, and a few posts' own (``myst:``).
_MAX_PARSERS = 16
#: MyST configuration (its ``repr``) -> a parser for posts, and whether it is
#: rendering now; for the application's environment (a new one starts afresh).
PARSERS: Slot[tuple[Any, dict[str, tuple[Any, list[bool]]]]] = Slot(
    "MyST posts: parsers", lambda app: (None, {}), lasting=True
)
#: The site's MyST configuration, and its ``repr`` (slow), for the same environment.
_SITE_CONFIG_KEY: Slot[list[tuple[Any, Any, str]]] = Slot(
    "MyST posts: the site's configuration key", lambda app: [], lasting=True
)
#: Set while ablog_ext's renderer is set up with the post's own document.
_DOCUMENT_GIVEN: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "ablog_ext_document_given", default=False
)


def _document_app(document: nodes.document) -> Sphinx | None:
    env = getattr(document.settings, "env", None)
    return next((app for app in loaded_apps() if app.env is env), None)


def myst_file_config(document: nodes.document, config: Any, topmatter: Any) -> Any:
    """The MyST configuration of one post: the site's, with the post's own front
    matter options (``myst:``), warnings attached to the document."""
    app = _document_app(document)
    if not topmatter or app is None or not MYST_PARSE.on(app):
        return config
    if not _FILE_LEVEL_KEYS & topmatter.keys():
        # Nothing of MyST's own: merge_file_level would return an equal copy.
        return config
    merge_file_level = lookup("myst_parser.config.main:merge_file_level")
    create_warning = lookup("myst_parser.warnings_:create_warning")

    def myst_warning(wtype: Any, msg: str) -> None:
        create_warning(document, msg, wtype, line=1, append_to=document)

    return merge_file_level(config, topmatter, myst_warning)


def myst_config(env: Any) -> Any:
    """The site's MyST configuration (MyST keeps it on the environment)."""
    return getattr(env, "myst_config", None)


def render_myst_post(
    document: nodes.document,
    text: str,
    config: Any,
    *,
    front_matter: dict[str, Any] | None,
    title: str | None,
    find_cut: Callable[[str, list[Any], Any], Any],
    lines: list[int] | None,
    parse: Callable[[str, nodes.document], None],
) -> Any:
    """Render a post's Markdown *text* into *document* under a section titled
    *title* (plain text), the body's headings below it.

    *find_cut* gets the text, markdown-it's tokens and parser, and returns where
    the excerpt ends; *lines* (the source line of each line of *text*, when
    Liquid or kramdown moved lines) gives the nodes the author's lines.  Returns
    *find_cut*'s result.  Without MyST's internals, MyST's own *parse* renders the
    post and the title section is made afterwards.
    """
    app = _document_app(document)
    if app is None or not (MYST_RENDERER.on(app) and MYST_PARSE.on(app)):
        return _render_with_myst_parse(document, text, config, title, find_cut, lines, parse)
    with _post_parser(app, config) as parser:
        md_env: dict[str, Any] = {}
        tokens = parser.parse(text, md_env)
        cut = find_cut(text, tokens, parser)
        if lines is not None:
            # Parsed again, the author's lines on every token (nested parses too).
            md_env = {_SOURCE_LINES: lines}
            tokens = parser.parse(text, md_env)
        options = {
            **parser.options,
            "document": document,
            "ablog_ext_front_matter": front_matter,
            "ablog_ext_title": title,
        }
        parser.renderer.render(tokens, options, md_env)
    return cut


def post_parsers(app: Sphinx) -> dict[str, tuple[Any, list[bool]]]:
    """The parsers kept for *app*'s environment (made again for a new one)."""
    state = build_state(app)
    env, parsers = state.get(PARSERS)
    if env is not app.env:
        env, parsers = state.set(PARSERS, (app.env, {}))
    return parsers


def _config_key(app: Sphinx, config: Any) -> str:
    """What tells MyST configurations apart; the site's (most posts') made once,
    as its ``repr`` is slow."""
    env: BuildEnvironment = app.env
    kept = build_state(app).get(_SITE_CONFIG_KEY)
    if kept and kept[0][0] is env and kept[0][1] is config:
        return kept[0][2]
    key = repr(config)
    if config is getattr(env, "myst_config", None):
        kept[:] = [(env, config, key)]
    return key


@contextlib.contextmanager
def _post_parser(app: Sphinx, config: Any) -> Iterator[Any]:
    """A markdown-it parser for posts read with *config*, made once per build and
    configuration (MyST makes one per document): its state lives in the
    options and environment of each render, and the renderer is left empty."""
    parsers = post_parsers(app)
    key = _config_key(app, config)
    kept = parsers.get(key)
    if kept is None or kept[1][0]:
        # None yet, or this one is rendering (a post rendered inside another).
        create_md_parser = lookup("myst_parser.parsers.mdit:create_md_parser")
        # We render the title ourselves, as plain text; MyST would parse it as Markdown.
        parser = create_md_parser(config.copy(title_to_header=False), _post_renderer())
        parser.core.ruler.push("ablog_ext_source_lines", _author_lines)
        kept = (parser, [False])
        if key not in parsers and len(parsers) < _MAX_PARSERS:
            parsers[key] = kept
    parser, busy = kept
    renderer = parser.renderer
    own = set(vars(renderer))
    busy[0] = True
    try:
        yield parser
    finally:
        busy[0] = False
        # What the render set (the document, its nodes) is not kept alive.
        for name in set(vars(renderer)) - own:
            delattr(renderer, name)


def _author_lines(state: Any) -> None:
    """A core rule: each token's lines made the author's, when the markdown-it
    environment holds the source line of each line of the text read."""
    lines: list[int] | None = state.env.get(_SOURCE_LINES)
    if not lines:
        return
    last = len(lines)
    pending = list(state.tokens)
    while pending:
        token = pending.pop()
        if token.map:
            start, end = token.map
            first = lines[min(max(start, 0), last - 1)] - 1
            final = lines[min(max(end - 1, start, 0), last - 1)]
            token.map = [first, max(final, first + 1)]
        pending.extend(token.children or ())


# A process-wide constant: the class is built once, on first use (MyST is imported
# late), and holds no per-application data.
@functools.cache
def _post_renderer() -> type:
    from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer

    class PostRenderer(SphinxRenderer):
        """MyST's renderer, with the front matter title as the one top-level section."""

        def setup_render(self, options: dict[str, Any], env: Any) -> None:
            # The post's document is given: MyST's default one need not be built.
            document = options.get("document")
            app = _document_app(document) if document is not None else None
            token = _DOCUMENT_GIVEN.set(app is not None and MYST_DEFAULT_DOCUMENT.on(app))
            try:
                super().setup_render(options, env)
            finally:
                _DOCUMENT_GIVEN.reset(token)

        def render_front_matter(self, token: Any) -> None:
            data = self.md_options.get("ablog_ext_front_matter")
            if data is not None and token.token is not None:
                # Our own read keeps dates as text: MyST's would fail on 2019-02-30.
                token.token.content = data
            super().render_front_matter(token)
            title = self.md_options.get("ablog_ext_title")
            if title and self.current_node is self.document:
                self._open_title_section(title, token)

        def _render_initialise(self) -> None:
            super()._render_initialise()
            title = self.md_options.get("ablog_ext_title")
            if title and self.md_options.get("ablog_ext_front_matter") is None:
                # No front matter to render first: the title section opens at once.
                self._open_title_section(title, None)

        def _open_title_section(self, title: str, token: Any) -> None:
            section = title_section(self.document, title)
            if token is not None:
                for node in (section, section[0]):
                    self.add_line_and_source_path(node, token)
            self.update_section_level_state(section, 1)
            self.current_node = section
            self.md_options["ablog_ext_title_open"] = True

        def render_heading(self, token: Any) -> None:
            if self.md_options.get("ablog_ext_title_open"):
                # The body's top heading level becomes H2, whether it starts at `#` or `##`.
                level = int(token.tag[1])
                base = self.md_options.setdefault("ablog_ext_base_level", level)
                self._heading_offset = max(2 - base, 2 - level)
            super().render_heading(token)

    return PostRenderer


def install_default_document(app: Sphinx, config: Any) -> None:
    """``config-inited``: MyST's ``make_document`` (the default of
    ``setup_render``) patched once per process, if *app*'s check passes: while
    ablog_ext's renderer sets a post up, one document made once."""
    if not MYST_DEFAULT_DOCUMENT.on(app):
        return
    from myst_parser.mdit_to_docutils import base

    def replacement(current: Any) -> Any:
        # Process-wide, like the patch: a default document holds no application's data.
        spare: list[nodes.document] = []

        @functools.wraps(current)
        def make_document(*args: Any, **kwargs: Any) -> nodes.document:
            if not _DOCUMENT_GIVEN.get():
                return current(*args, **kwargs)
            if not spare:
                spare.append(current())
            # Never used: setup_render takes the options' document instead.
            return spare[0]

        return make_document

    replace_once(base, "make_document", replacement)


def title_section(document: nodes.document, title: str) -> nodes.section:
    """A section titled *title* (text), as a document's first heading would be."""
    section = nodes.section()
    title_node = nodes.title(title, title)
    for node in (section, title_node):
        node.source, node.line = document["source"], 1
    section += title_node
    section["names"].append(nodes.fully_normalize_name(title))
    document.note_implicit_target(section, section)
    return section


_FRONT_MATTER_END = re.compile(r"^(---|\.\.\.)[ \t]*$")


def _render_with_myst_parse(
    document: nodes.document,
    text: str,
    config: Any,
    title: str | None,
    find_cut: Callable[[str, list[Any], Any], Any],
    lines: list[int] | None,
    parse: Callable[[str, nodes.document], None],
) -> Any:
    """Without MyST's internals: MyST's own parse renders the post (its front
    matter blanked: ablog_ext writes the docinfo ABlog reads), then the title
    section takes the body, whose headings were raised so that the first is ``#``."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    tokens = md.parse(text)
    cut = find_cut(text, tokens, md)
    source = _without_front_matter(text)
    if title:
        source = _raise_headings(source, md.parse(source))
    env = document.settings.env
    saved = getattr(env, "myst_config", None)
    if saved is not None and config is not None:
        env.myst_config = config
    try:
        parse(source, document)
    finally:
        if saved is not None:
            env.myst_config = saved
    if lines is not None:
        last = len(lines)
        for node in document.findall(nodes.Element):
            if node.line:
                node.line = lines[min(max(node.line, 1), last) - 1]
    if title:
        section = title_section(document, title)
        section.extend(list(document.children))
        document.clear()
        document += section
    return cut


def _without_front_matter(text: str) -> str:
    """*text* with its front matter block blanked (lines kept)."""
    text_lines = text.splitlines(keepends=True)
    if not text_lines or text_lines[0].rstrip() != "---":
        return text
    for index in range(1, len(text_lines)):
        if _FRONT_MATTER_END.match(text_lines[index]):
            return "\n" * (index + 1) + "".join(text_lines[index + 1 :])
    return text


def _raise_headings(text: str, tokens: Iterable[Any]) -> str:
    """The body's headings raised so the first is level one (``##`` becomes ``#``),
    none above level one."""
    headings = [t for t in tokens if t.type == "heading_open" and t.map]
    if not headings:
        return text
    shift = int(headings[0].tag[1]) - 1
    if shift <= 0:
        return text
    text_lines = text.splitlines(keepends=True)
    for token in headings:
        level = int(token.tag[1])
        new = max(1, level - shift)
        start, end = token.map
        if token.markup.startswith("#"):
            line = text_lines[start]
            text_lines[start] = line.replace("#" * level, "#" * new, 1)
        elif new == 1 and end - 1 < len(text_lines):
            line = text_lines[end - 1]
            text_lines[end - 1] = line.replace("-", "=")
    return "".join(text_lines)
