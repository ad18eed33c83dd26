"""Jekyll's Liquid on python-liquid: its tags, its filters, and line tracking. No Sphinx.

:class:`JekyllLiquid` renders a post's body as Jekyll does before kramdown reads
it, with Jekyll's ``highlight``, ``include``, ``include_relative``, ``post_url``,
``link`` and ``gist`` tags and its filters. Anything outside the page (include
files, other posts' URLs) is asked of a :class:`Resolver`, so this module stays
pure and testable. It never raises: every problem is returned with its line.

Line numbers survive rendering: before rendering, every line end outside Liquid
markup gets an invisible marker carrying its line number; after rendering, each
output line is mapped back to the source line its markers name
(:func:`mark_lines`, :func:`unmark`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from liquid import Environment
from liquid.ast import BlockNode, IllegalNode, Node
from liquid.builtin.illegal import Illegal
from liquid.exceptions import LiquidError
from liquid.parser import get_parser
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.template import BoundTemplate
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_ILLEGAL, TOKEN_TAG, Token

from ablog_ext.jekyll.liquid_filters import JEKYLL_FILTERS, jsonify, url_filters
from ablog_ext.jekyll.liquid_limits import Limits, ResourceLimitError, describe, limited_environment

# -- line tracking --------------------------------------------------------------------------

_MARK, _MARK_END = "\ue000", "\ue001"
_MARK_RE = re.compile(f"{_MARK}(\\d+){_MARK_END}")
_MARKUP = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)


def _trimmed(text: str, index: int) -> bool:
    """Whether Liquid's whitespace control (``-%}``, ``{%-``) eats the line end at *index*;
    a marker there would stop it."""
    before = index
    while before > 0 and text[before - 1] in " \t\r\n":
        before -= 1
    if text[max(0, before - 3) : before] in ("-%}", "-}}"):
        return True
    after = index
    while after < len(text) and text[after] in " \t\r\n":
        after += 1
    return text.startswith(("{%-", "{{-"), after)


def mark_lines(text: str) -> str:
    """*text* with the number of each line after it, where Liquid leaves it alone."""
    spans = [match.span() for match in _MARKUP.finditer(text)]
    ends = [match.start() for match in re.finditer("\n", text)]
    if not text.endswith("\n"):
        ends.append(len(text))
    out: list[str] = []
    pos = span = 0
    for line, end in enumerate(ends, start=1):
        while span < len(spans) and spans[span][1] <= end:
            span += 1
        if (span < len(spans) and spans[span][0] < end) or _trimmed(text, end):
            continue
        out += [text[pos:end], f"{_MARK}{line}{_MARK_END}"]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def unmark(text: str, line_count: int) -> tuple[str, list[int]]:
    """The rendered *text* without markers, and the source line of each of its lines.

    A line without a marker came from the markup that ends on the next marked line
    (an include, a ``highlight`` option); lines after the last marker keep the last.
    """
    lines = text.split("\n")
    sources: list[int | None] = []
    for index, line in enumerate(lines):
        numbers = _MARK_RE.findall(line)
        sources.append(int(numbers[0]) if numbers else None)
        if numbers:
            lines[index] = _MARK_RE.sub("", line)
    mapping: list[int] = [0] * len(lines)
    following = line_count
    for index in range(len(lines) - 1, -1, -1):
        source = sources[index]
        if source is not None:
            following = source
        mapping[index] = min(max(following, 1), max(line_count, 1))
    return "\n".join(lines), mapping


def strip_marks(text: str) -> str:
    return _MARK_RE.sub("", text)


def line_of(source: str, index: int) -> int:
    return source.count("\n", 0, max(index, 0)) + 1


# -- what the engine needs from outside -----------------------------------------------------


class Resolver(Protocol):
    """Answers the questions whose answers live outside the page."""

    def include(self, name: str, relative: bool) -> tuple[str, str] | None:
        """``(path, text)`` of an include file, or ``None`` if there is none."""

    def post_url(self, name: str) -> str | None:
        """The URL of the post Jekyll names *name* (``2019-03-05-slug``)."""

    def link(self, path: str) -> str | None:
        """The URL of the page or post at Jekyll source path *path*."""


@dataclass(frozen=True)
class Problem:
    #: 1-based line in the rendered source.
    line: int
    message: str


@dataclass
class Rendered:
    text: str
    #: Source line (1-based) of each output line.
    lines: list[int]
    problems: list[Problem]
    #: Tag name -> lines of tags Liquid does not know (Jekyll plugins').
    unknown_tags: dict[str, list[int]]
    #: Whether the text was rendered; ``False`` after an error that stops Liquid.
    rendered: bool = True


@dataclass
class _State:
    source: str
    resolver: Resolver
    problems: list[Problem] = field(default_factory=list)
    unknown_tags: dict[str, list[int]] = field(default_factory=dict)
    #: ``(file name, token in the post)`` of the includes being rendered.
    includes: list[tuple[str, Token]] = field(default_factory=list)


# -- the environment ------------------------------------------------------------------------


class Printed(dict[str, object]):
    """``site`` and ``page``: printed whole (``{{ site }}``) as JSON, the same text on
    every build, rather than as a Python dict whose values show object addresses."""

    def __str__(self) -> str:
        return jsonify(self)


class _Environment(Environment):
    """Liquid as Jekyll configures it, reporting errors instead of raising them;
    a resource limit (``liquid_limits``) stops the render."""

    state: _State | None = None
    #: Loop iterations of the render under way (one cell, see ``liquid_limits``).
    loop_count: list[int]

    def error(
        self,
        exc: type[LiquidError] | LiquidError,
        msg: str | None = None,
        token: Token | None = None,
    ) -> None:
        if not isinstance(exc, LiquidError):
            exc = exc(msg, token=token)
        elif not exc.token:
            exc.token = token
        if isinstance(exc, ResourceLimitError):
            raise exc  # the whole render stops: JekyllLiquid.render reports it
        self.report(exc)

    def report(self, exc: LiquidError, prefix: str = "") -> None:
        state = self.state
        if state is None:  # parsing outside a render: nothing to attach the error to
            raise exc
        message = f"{prefix}{exc.message}"
        token = exc.token
        if state.includes:
            name, tag = state.includes[0]
            if token is not None and token.source is not state.source and token.start_index >= 0:
                message += f" (in '{name}', line {line_of(token.source, token.start_index)})"
            token = tag
        line = line_of(state.source, token.start_index) if token is not None else 1
        state.problems.append(Problem(line, strip_marks(message)))

    def problem(self, token: Token, message: str) -> None:
        self.report(LiquidError(message, token=token))


def _markup(stream: TokenStream, *, block: bool = False) -> tuple[Token, str]:
    """The tag token and its raw markup (what follows the tag name).

    The parser steps past the current token after a tag parses: an inline tag stops
    on its markup, a block tag steps past it, to its body.
    """
    token = stream.current
    markup = ""
    if stream.peek.kind == TOKEN_EXPRESSION:
        next(stream)
        markup = stream.current.value
    if block:
        next(stream)
    return token, strip_marks(markup).strip()


def _render_string(context: Any, text: str) -> str:
    """Render a tag's markup that holds ``{{ }}`` (a file name from a variable)."""
    if "{{" not in text and "{%" not in text:
        return text
    buffer = context.get_buffer()
    template = context.env.from_string(text)
    template.render_with_context(context, buffer, partial=True)
    return buffer.getvalue().strip()


class _UnknownTag(Illegal):
    """A tag Liquid and Jekyll do not know, as a plugin's: it outputs nothing."""

    def parse(self, stream: TokenStream) -> IllegalNode:
        token = stream.current
        if stream.peek.kind == TOKEN_EXPRESSION:
            next(stream)
        env = self.env
        assert isinstance(env, _Environment)
        if env.state is not None and token.source is env.state.source:
            lines = env.state.unknown_tags.setdefault(token.value, [])
            lines.append(line_of(token.source, token.start_index))
        elif env.state is not None:
            env.problem(token, f"unknown tag '{token.value}'")
        return IllegalNode(token)


# -- tags -----------------------------------------------------------------------------------

_HIGHLIGHT = re.compile(r'^([a-zA-Z0-9.+#_-]+)((?:\s+\w+(?:=(?:\w+|"(?:[0-9]+\s)*[0-9]+"))?)*)$')
_HIGHLIGHT_OPTION = re.compile(r'(\w+)(?:=(\w+|"[^"]*"))?')
_LEADING = re.compile(f"^(?:[ \\t]*(?:{_MARK}\\d+{_MARK_END})*\\r?\\n)+")
_TRAILING = re.compile(f"(?:\\s|{_MARK}\\d+{_MARK_END})+$")


class _HighlightNode(Node):
    __slots__ = ("block", "indent", "language", "options")

    def __init__(
        self, token: Token, language: str, options: dict[str, str], indent: str, block: BlockNode
    ) -> None:
        super().__init__(token)
        self.language, self.options, self.indent, self.block = language, options, indent, block
        self.blank = False

    def render_to_output(self, context: Any, buffer: TextIO) -> int:
        inner = context.get_buffer(buffer)  # within the output limit
        self.block.render(context, inner)
        code = inner.getvalue()
        # Jekyll drops the code's leading and trailing blank lines; the line marks stay.
        leading = _LEADING.match(code)
        head_marks = _marks(leading.group()) if leading else ""
        code = code[leading.end() :] if leading else code
        trailing = _TRAILING.search(code)
        tail_marks = _marks(trailing.group()) if trailing else ""
        code = code[: trailing.start()] if trailing else code
        fence = "`" * max(3, _longest_run(strip_marks(code), "`") + 1)
        lines = [f"{fence}{{code-block}} {self.language}".rstrip()]
        if "linenos" in self.options:
            lines.append(f"{self.indent}:linenos:")
        marked = self.options.get("mark_lines", "").strip('"').split()
        if marked:
            lines.append(f"{self.indent}:emphasize-lines: {','.join(marked)}")
        head = "\n".join(lines)
        buffer.write(f"{head}{head_marks}\n{code}{tail_marks}\n{self.indent}{fence}")
        return 1


def _marks(text: str) -> str:
    return "".join(match.group() for match in _MARK_RE.finditer(text))


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(run) for run in runs), default=0)


def _indent_of(token: Token) -> str:
    """The blank space before a tag on its line, for the lines it writes after its first."""
    start = token.source.rfind("\n", 0, token.start_index) + 1
    prefix = token.source[start : token.start_index]
    prefix = prefix[: prefix.rfind("{%")] if "{%" in prefix else prefix
    return prefix if not prefix.strip() else ""


class _HighlightTag(Tag):
    """``{% highlight LANG [linenos] [mark_lines="1 2"] %}`` → a MyST ``code-block``."""

    name = "highlight"
    end = "endhighlight"
    block = True

    def parse(self, stream: TokenStream) -> Node:
        token, markup = _markup(stream, block=True)
        match = _HIGHLIGHT.match(markup)
        env = self.env
        assert isinstance(env, _Environment)
        language, options = "", {}
        if match:
            language = match.group(1).lower()
            options = {key: value or "" for key, value in _HIGHLIGHT_OPTION.findall(match.group(2))}
        else:
            env.problem(token, f"'highlight {markup}' is not 'highlight LANG [linenos]'")
        block = get_parser(env).parse_block(stream, (self.end, TOKEN_EOF))
        stream.expect(TOKEN_TAG, value=self.end)
        return _HighlightNode(token, language, options, _indent_of(token), block)


_INCLUDE_PARAM = re.compile(
    r"""([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.-]+))"""
)
_INCLUDE_VARIABLE = re.compile(
    r"(?P<variable>[^{]*(\{\{\s*[\w\-.]+\s*(\|.*)?\}\}[^\s{}]*)+)(?P<params>.*)", re.S
)
_INCLUDE_FILE = re.compile(r"^[\w/.\-()+~#@]+$")


class _IncludeNode(Node):
    __slots__ = ("file", "params", "relative")

    def __init__(self, token: Token, file: str, params: str, relative: bool) -> None:
        super().__init__(token)
        self.file, self.params, self.relative = file, params, relative
        self.blank = False

    def render_to_output(self, context: Any, buffer: TextIO) -> int:
        env = context.env
        state: _State = env.state
        name = _render_string(context, self.file)
        tag = "include_relative" if self.relative else "include"
        if not _INCLUDE_FILE.match(name) or re.search(r"[./]{2,}", name):
            env.problem(self.token, f"'{tag}': invalid file name {name!r}")
            return 0
        found = state.resolver.include(name, self.relative)
        if found is None:
            env.problem(self.token, f"'{tag}': no file {name!r}")
            return 0
        path, text = found
        params: dict[str, object] = {}
        for key, double, single, variable in _INCLUDE_PARAM.findall(self.params):
            if variable:
                segments: list[object] = [
                    int(part) if part.isdigit() else part for part in variable.split(".")
                ]
                params[key] = context.get(segments, token=self.token, default=None)
            else:
                params[key] = (double or single).replace('\\"', '"').replace("\\'", "'")
        outermost = not state.includes
        state.includes.append((name, self.token if outermost else state.includes[0][1]))
        try:
            template = _parse(env, text, path)
            if template is None:
                return 0
            with context.extend({"include": params}, template=template):
                template.render_with_context(context, buffer, partial=True)
        except ResourceLimitError:
            raise
        except LiquidError as error:
            env.report(error)
        finally:
            state.includes.pop()
        return 1


def _parse(env: _Environment, text: str, name: str) -> BoundTemplate | None:
    try:
        return env.from_string(text, name=name)
    except LiquidError as error:
        env.report(error)
        return None


class _IncludeTag(Tag):
    """Jekyll's ``{% include file.html key="value" key2=variable %}``."""

    name = "include"
    block = False
    relative = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup = _markup(stream)
        matched = _INCLUDE_VARIABLE.match(markup)
        if matched:
            file, params = matched.group("variable").strip(), matched.group("params").strip()
        else:
            file, _, params = markup.partition(" ")
        return _IncludeNode(token, file.strip(), params.strip(), self.relative)


class _IncludeRelativeTag(_IncludeTag):
    name = "include_relative"
    relative = True


class _UrlNode(Node):
    __slots__ = ("kind", "markup")

    def __init__(self, token: Token, kind: str, markup: str) -> None:
        super().__init__(token)
        self.kind, self.markup = kind, markup
        self.blank = False

    def render_to_output(self, context: Any, buffer: TextIO) -> int:
        env = context.env
        state: _State = env.state
        target = _render_string(context, self.markup)
        if self.kind == "post_url":
            url = state.resolver.post_url(target.strip("/"))
            missing = f"'post_url': no post named {target!r}"
        elif self.kind == "link":
            url = state.resolver.link(target.lstrip("/"))
            missing = f"'link': no page or post at {target!r}"
        else:
            url, missing = _gist_url(target), f"'gist': {target!r} is not a gist"
            if url is not None:
                url = f"[gist {target.split()[0]}]({url})"
        if url is None:
            env.problem(self.token, missing)
            if self.kind != "link":
                return 0
            # The path itself, so that what follows it (#anchor) stays a link to it,
            # which the build names as a link to nothing.
            url = "/" + target.strip().lstrip("/")
        buffer.write(url)
        return 1


def _gist_url(markup: str) -> str | None:
    parts = markup.split()
    if not parts or not re.fullmatch(r"[\w-]+(/[\w-]+)?", parts[0]):
        return None
    url = f"https://gist.github.com/{parts[0]}"
    if len(parts) > 1:
        url += "#file-" + re.sub(r"[^\w-]", "-", parts[1]).lower()
    return url


def _url_tag(tag_name: str) -> type[Tag]:
    class UrlTag(Tag):
        name = tag_name
        block = False

        def parse(self, stream: TokenStream) -> Node:
            token, markup = _markup(stream)
            return _UrlNode(token, tag_name, markup)

    UrlTag.__name__ = f"{tag_name.title()}Tag"
    return UrlTag


# -- the engine -----------------------------------------------------------------------------


class JekyllLiquid:
    """Liquid with Jekyll's tags and filters, for one site's ``site.*`` values."""

    def __init__(self, site: Mapping[str, object], limits: Limits | None = None) -> None:
        self.site = Printed(site)
        self.limits = limits or Limits()
        environment = limited_environment(_Environment, self.limits)
        globals_ = {"site": self.site, "jekyll": {"environment": "production"}}
        env = environment(globals=globals_)
        assert isinstance(env, _Environment)
        env.loop_count = [0]
        env.tags[TOKEN_ILLEGAL] = _UnknownTag(env)
        for tag in (
            _HighlightTag,
            _IncludeTag,
            _IncludeRelativeTag,
            _url_tag("post_url"),
            _url_tag("link"),
            _url_tag("gist"),
        ):
            env.add_tag(tag)
        for name, function in {**JEKYLL_FILTERS, **url_filters(self.site)}.items():
            env.add_filter(name, function)
        self.env = env

    def render(
        self, text: str, page: Mapping[str, object], resolver: Resolver, name: str = ""
    ) -> Rendered:
        """Render *text* (a post's body) for *page*; never raises."""
        line_count = text.count("\n") + (0 if text.endswith("\n") else 1)
        source = mark_lines(text)
        state = _State(source, resolver)
        self.env.state = state
        self.env.loop_count = [0]
        try:
            template = self.env.from_string(source, name=name)
            output = template.render(page=Printed(page))
        except ResourceLimitError as error:
            line = _error_line(error, source)
            state.problems.append(Problem(line, describe(error, self.limits)))
            return Rendered(text, list(range(1, line_count + 1)), state.problems, {}, False)
        except LiquidError as error:
            # The lexer stops at unbalanced `{%`/`{{`: nothing can be rendered.
            message = strip_marks(str(error.message))
            state.problems.append(Problem(_error_line(error, source), message))
            return Rendered(text, list(range(1, line_count + 1)), state.problems, {}, False)
        except RecursionError:
            state.problems.append(Problem(1, "Liquid nests too deep (an include includes itself?)"))
            return Rendered(text, list(range(1, line_count + 1)), state.problems, {}, False)
        finally:
            self.env.state = None
        rendered, lines = unmark(output, line_count)
        return Rendered(rendered, lines, state.problems, state.unknown_tags)


def _error_line(error: LiquidError, source: str) -> int:
    token = error.token
    if token is None or token.start_index < 0 or token.source is not source:
        return 1
    return line_of(source, token.start_index)


__all__ = ["JekyllLiquid", "Problem", "Rendered", "Resolver", "mark_lines", "unmark"]
