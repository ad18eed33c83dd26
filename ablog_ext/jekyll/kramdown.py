"""kramdown's syntax, which Jekyll posts use and MyST does not read, turned into MyST.

:func:`convert` is pure: it takes a post's body (after Liquid) and returns MyST
text, the source line of each output line, what it had to drop, and the MyST
extensions the result needs. Fenced and indented code and inline code are never
touched. What maps:

- ``{:toc}`` after a one-item list -> a ``{contents}`` directive;
- block attribute lists ``{: #id .class}`` (after or before a block) and ALDs
  ``{:name: .class}`` -> ``(id)=`` targets and ``{.class}`` block attributes
  (MyST's ``attrs_block``), before the block as MyST wants them;
- span attribute lists after a link, image or ``[span]`` -> ``{.class #id}``
  (``attrs_inline``), image ``width``/``height``/``align`` kept;
- heading ids ``## Heading {#id}`` -> ``(id)=``;
- ``$$ ... $$``: a paragraph of its own -> a ``{math}`` directive, inside text
  -> a ``{math}`` role (a single ``$`` stays a dollar sign, as in kramdown);
- ``{::comment}`` and ``{::options}`` are dropped; ``{::nomarkdown}`` blocks
  become ``{raw} html``; the end-of-block marker ``^`` ends the list before it;
- an element with ``markdown="1"`` and a link with spaces in its destination
  (``![](/a b.jpg)``) are read as kramdown reads them; the element is closed
  before a heading inside it and opened again after, so that it never spans
  two sections;
- an HTML block ends where kramdown ends it (:mod:`.kramdown_html`), and a
  footnote reference with no definition stays text;
- each heading gets the id kramdown (and its GFM input) gives it, so that
  ``[x](#use-of-stringindexencodedoffset)`` finds it (:func:`kramdown_id`,
  :func:`gfm_id`; the Sphinx side, ``reading.kramdown.HeadingIds``, adds them).

A ``style`` (``{: style="float: right"}``, on a block or a link, image or span)
becomes a class of its own and a rule for it in a ``<style>`` at the end of the
post, which HTML pages apply as the inline style. Everything else an attribute
list says (``target``, ``srcset``, ...) is dropped and listed, so the Sphinx side
can warn once per post.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from ablog_ext.jekyll.kramdown_html import end_html_blocks, may_end_html_blocks
from ablog_ext.jekyll.kramdown_refs import (
    FOOTNOTE_REFERENCE,
    gfm_id,
    kramdown_id,
    undefined_footnotes,
)

#: One attribute of an attribute list: ``#id``, ``.class``, ``key="value"`` or an ALD name.
_ATTRIBUTE = re.compile(
    r"""\s*(?:\#([\w:-]+)|\.([\w-]+)|([\w-]+)=(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\S+?))"""
    r"""|([A-Za-z][\w-]*))(?=\s|$)"""
)
#: Anything else up to the next space (quoted parts may hold spaces).
_JUNK_TOKEN = re.compile(r"""\s*(?:[^\s"']|"[^"]*"|'[^']*')+""")
_BLOCK_IAL = re.compile(r"^( {0,3})\{:(?![:/])\s*([^{}]*?)\s*\}\s*$")
_ALD = re.compile(r"^ {0,3}\{:([A-Za-z][\w-]*):\s*([^{}]*?)\s*\}\s*$")
_SPAN_IAL = re.compile(r"\{:(?![:/])\s*([^{}]*?)\s*\}")
_EXTENSION = re.compile(r"\{::(\w+)([^}]*?)(/?)\}")
_TOC_ITEM = re.compile(r"^( {0,3})(?:[*+-]|\d+[.)])\s+\S.*$")
_ATX_ID = re.compile(r"^( {0,3}#{1,6}\s.*?)\s*\{#([\w:.-]+)\}\s*$")
_SETEXT_ID = re.compile(r"^(.*?)\s*\{#([\w:.-]+)\}\s*$")
_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")
#: An image (inline or by reference) right before a span attribute list.
_IMAGE_BEFORE = re.compile(r"!\[(?:[^\]\\]|\\.)*\](?:\([^)]*\)|\[[^\]]*\])$")
_CODE_SPAN = re.compile(r"(`+)(?:.*?[^`])?\1(?!`)", re.S)
_DISPLAY_MATH = re.compile(r"^\s*\$\$(.+?)\$\$\s*$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$])\$\$(.+?)(?<!\\)\$\$", re.S)
#: Text MyST's attribute extensions would read as attributes.
_ATTRS_LOOKALIKE = re.compile(r"(?<=[\]\)*_`])\{(?=[#.][\w-]|[\w-]+=)")
_BLOCK_LOOKALIKE = re.compile(r"^( {0,3})\{(?=[#.][\w-][^{}]*\}\s*$)", re.M)


def safe_declarations(style: str) -> str:
    """A ``style`` value with nothing that could reach past its own rule: no
    character that ends the rule or the <style> element, and no declaration that
    opens a comment, a string or a parenthesis it does not close (which would
    swallow the rules after it)."""
    text = re.sub(r"[<>{}\\]", "", style)
    kept = [
        part
        for part in text.split(";")
        if "/*" not in part
        and "*/" not in part
        and part.count('"') % 2 == 0
        and part.count("'") % 2 == 0
        and part.count("(") == part.count(")")
    ]
    return ";".join(kept).strip().strip(";")


@dataclass
class Attributes:
    ids: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)
    #: ALD names it refers to that were never defined.
    unknown: list[str] = field(default_factory=list)
    #: Tokens kramdown's attribute list syntax has no meaning for (``:rel="x"``):
    #: kramdown drops them.
    ignored: list[str] = field(default_factory=list)


def parse_attributes(text: str, alds: dict[str, str] | None = None) -> Attributes | None:
    """kramdown's attribute list, or ``None`` when *text* is not one. As in kramdown,
    a token that is no attribute (``:rel="noopener"``) is dropped (listed in
    ``ignored``) when the list has an id, a class or a ``key="value"``."""
    result = Attributes()
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _ATTRIBUTE.match(text, pos)
        if not match or match.end() == pos:
            junk = _JUNK_TOKEN.match(text, pos)
            if junk is None or junk.end() == pos:
                return None
            result.ignored.append(junk.group().strip())
            pos = junk.end()
            continue
        pos = match.end()
        ident, cls, key, double, single, bare, name = match.groups()
        if ident:
            result.ids.append(ident)
        elif cls:
            result.classes.append(cls)
        elif key:
            result.keys[key] = next(v for v in (double, single, bare) if v is not None)
        elif name:
            referenced = (alds or {}).get(name)
            if referenced is None:
                result.unknown.append(name)
                continue
            inner = parse_attributes(referenced, {})
            if inner is not None:
                result.ids += inner.ids
                result.classes += inner.classes
                result.keys.update(inner.keys)
    if result.ignored and not (result.ids or result.classes or result.keys):
        return None
    return result


@dataclass
class _MarkdownElement:
    """An element open with ``markdown="1"``: its name, its opening tag as written
    (without the attribute), its source line, and whether it is open in the output."""

    name: str
    opening: str
    line: int
    shown: bool = False
    first: bool = True


@dataclass
class Converted:
    text: str
    #: Source line (1-based, in the input) of each output line.
    lines: list[int]
    #: ``(line, what)`` kramdown said that MyST cannot.
    dropped: list[tuple[int, str]]
    #: MyST extensions the text needs (``attrs_block``, ``attrs_inline``).
    extensions: set[str]


def needs_conversion(text: str, parse_block_html: bool = False) -> bool:
    return may_end_html_blocks(text) or _needs_converter(text, parse_block_html)


def _needs_converter(text: str, parse_block_html: bool) -> bool:
    """Whether *text* has kramdown syntax beyond HTML blocks to end."""
    if parse_block_html and _TAG_LINE.search(text):
        return True
    if "[^" in text and undefined_footnotes(text):
        return True
    if "{:" in text or "{#" in text or "$$" in text or _MARKDOWN_ATTRIBUTE.search(text):
        return True
    return bool(_EOB.search(text) or _LENIENT_DESTINATION.search(text))


def _code_lines(text: str) -> set[int]:
    """0-based lines of fenced and indented code blocks (CommonMark's reading)."""
    md = MarkdownIt("commonmark")
    found: set[int] = set()
    for token in md.parse(text):
        if token.type in ("fence", "code_block") and token.map:
            found.update(range(*token.map))
    return found


class _Converter:
    def __init__(self, text: str, parse_block_html: bool = False) -> None:
        self.parse_block_html = parse_block_html
        #: Elements open with ``markdown="1"``, innermost last.
        self.markdown_elements: list[_MarkdownElement] = []
        self.source = text.split("\n")
        # The content of a markdown="1" element is Markdown: its code is code.
        blanked = [("" if _MARKDOWN_ELEMENT.match(line) else line) for line in self.source]
        self.code = _code_lines("\n".join(blanked))
        self.out: list[tuple[str, int]] = []
        #: Output index of each source line's first output line.
        self.starts: dict[int, int] = {}
        self.dropped: list[tuple[int, str]] = []
        self.extensions: set[str] = set()
        #: Class -> the CSS declarations of a kramdown ``style``.
        self.styles: dict[str, str] = {}
        self.alds: dict[str, str] = {}
        #: Footnote labels referred to and never defined: left as text.
        self.undefined = undefined_footnotes(text) if "[^" in text else set()
        for line in self.source:
            match = _ALD.match(line)
            if match:
                self.alds[match[1]] = match[2]

    # -- helpers --------------------------------------------------------------------

    def emit(self, text: str, line: int) -> None:
        self.starts.setdefault(line, len(self.out))
        self.out.append((text, line))

    def drop(self, line: int, what: str) -> None:
        self.dropped.append((line + 1, what))

    def style_class(self, style: str) -> str:
        """The class that carries a ``style`` (its rule written at the end)."""
        declarations = safe_declarations(style)
        name = "ablog-ext-style-" + hashlib.sha1(declarations.encode()).hexdigest()[:8]
        self.styles[name] = declarations
        return name

    def style_block(self) -> list[str]:
        """A ``<style>`` for the styles: as in an inline ``style``, each declaration
        wins over the theme's (``!important``)."""
        rules = []
        for name, declarations in sorted(self.styles.items()):
            parts = [part.strip() for part in declarations.split(";") if part.strip()]
            body = "; ".join(p if p.endswith("!important") else f"{p} !important" for p in parts)
            rules.append(f".{name} {{ {body} }}")
        return ["", "```{raw} html", "<style>", *rules, "</style>", "```"]

    def block_start(self, index: int) -> int:
        """Output index of the first line of the block that ends on source line *index*."""
        first = index
        fence_end = index in self.code
        while first > 0 and self.source[first - 1].strip():
            if fence_end and first - 1 not in self.code:
                break
            first -= 1
        return self.starts.get(first, len(self.out))

    def attribute_lines(
        self, attrs: Attributes, line: int, indent: str, heading: bool
    ) -> list[str]:
        """MyST lines before a block for *attrs*: a heading's id is a ``(id)=`` target
        (a section label), any other id and the classes are ``attrs_block`` attributes."""
        lines = [f"{indent}({ident})=" for ident in attrs.ids[-1:]] if heading else []
        parts = [] if heading else [f"#{ident}" for ident in attrs.ids[-1:]]
        parts += [f".{cls}" for cls in attrs.classes]
        if "style" in attrs.keys:
            parts.append("." + self.style_class(attrs.keys["style"]))
        if parts:
            self.extensions.add("attrs_block")
            lines.append(indent + "{" + " ".join(parts) + "}")
        dropped = [f"{key}={value!r}" for key, value in attrs.keys.items() if key != "style"]
        dropped += [f"#{ident}" for ident in attrs.ids[:-1]]
        dropped += [f"ALD {name!r} (not defined)" for name in attrs.unknown]
        dropped += attrs.ignored
        if dropped:
            self.drop(line, "{: " + " ".join(dropped) + "}")
        return lines

    # -- the pass ---------------------------------------------------------------------

    def run(self) -> Converted:
        index = 0
        source = self.source
        while index < len(source):
            line = source[index]
            if self.markdown_elements and line.strip():
                self.balance(index)
            if index in self.code or not line.strip():
                self.emit(line, index)
                index += 1
                continue
            if self.parse_block_html and _TAG_LINE.match(line):
                self.tag_line(index)
                index += 1
                continue
            element = _MARKDOWN_ELEMENT.match(line)
            if element:
                # kramdown reads its content as Markdown: an HTML block of its own,
                # written when the content starts (see balance).
                opening = element[1] + element[3]
                self.markdown_elements.append(_MarkdownElement(element[2].lower(), opening, index))
                index += 1
                continue
            if self.closes_element(index):
                if self.markdown_elements.pop().shown:
                    self.tag_line(index)
                else:
                    self.emit("", index)
                index += 1
                continue
            if _EOB.match(line):
                # Ends the list or paragraph before it, as an HTML comment does in
                # CommonMark (and shows nothing).
                self.emit("<!-- -->", index)
                index += 1
                continue
            handled = self.block_construct(index)
            if handled:
                index = handled
                continue
            # A paragraph: consecutive lines that are not blank, code or block syntax.
            end = index + 1
            heading_end = self.heading_end(index) if self.markdown_elements else None
            if heading_end is not None:
                end = heading_end  # the content after it opens the elements again
            else:
                while (
                    end < len(source)
                    and source[end].strip()
                    and end not in self.code
                    and not self.is_block_syntax(end)
                ):
                    end += 1
            self.paragraph(index, end)
            index = end
        if self.styles:
            last = self.out[-1][1] if self.out else 0
            for text in self.style_block():
                self.emit(text, last)
        text = "\n".join(text for text, _ in self.out)
        lines = [line + 1 for _, line in self.out]
        return Converted(text, lines, self.dropped, self.extensions)

    def tag_line(self, index: int, text: str | None = None) -> None:
        """A line of block HTML tags (``<div class="row">``, ``</div>``), with
        ``parse_block_html``: kramdown reads the Markdown around it, CommonMark would
        take the lines after it, up to a blank one, as HTML. Blank lines around it
        make it an HTML block of its own."""
        if self.out and self.out[-1][0].strip():
            self.emit("", index)
        self.emit(self.source[index] if text is None else text, index)
        following = self.source[index + 1] if index + 1 < len(self.source) else ""
        if following.strip() and not following.lstrip().startswith("<"):
            self.emit("", index)

    def closes_element(self, index: int) -> bool:
        """Whether source line *index* closes the innermost ``markdown="1"`` element."""
        if not self.markdown_elements:
            return False
        name = re.escape(self.markdown_elements[-1].name)
        return bool(re.match(rf"^ {{0,3}}</{name}\s*>[ \t]*$", self.source[index], re.I))

    def balance(self, index: int) -> None:
        """Keep ``markdown="1"`` elements inside one section: MyST ends a section at a
        heading, so an element open there is closed before the heading and opened
        again after it (a browser would otherwise end the article at the section's
        end). An element is written when its content starts, so a heading first in
        it leaves no empty element before the heading."""
        line = self.source[index]
        if index in self.code:
            self.show_elements(index)
            return
        if self.closes_element(index) or _ALD.match(line):
            return
        if _BLOCK_IAL.match(line) and index > 0 and self.source[index - 1].strip():
            return  # attributes of the block before it
        if self.heading_end(index) is not None:
            shown = [element for element in self.markdown_elements if element.shown]
            if shown:
                self.raw("", index) if self.out and self.out[-1][0].strip() else None
                for element in reversed(shown):
                    self.raw(f"</{element.name}>", index)
                    element.shown = False
                self.raw("", index)
            return
        self.show_elements(index)

    def heading_end(self, index: int) -> int | None:
        """The line after the heading that starts on source line *index* (a block's
        first line), ``None`` when none starts there."""
        if _HEADING.match(self.source[index]):
            return index + 1
        end = index + 1
        while (
            end < len(self.source)
            and self.source[end].strip()
            and end not in self.code
            and not self.is_block_syntax(end)
        ):
            if _SETEXT_UNDERLINE.match(self.source[end]):
                return end + 1
            end += 1
        return None

    def show_elements(self, index: int) -> None:
        """Write the opening tags of the elements whose content starts here."""
        hidden = [element for element in self.markdown_elements if not element.shown]
        if not hidden:
            return
        for element in hidden:
            # The first time on the element's own line; opened again, on this one.
            at = element.line if element.first else index
            if self.out and self.out[-1][0].strip():
                self.raw("", at)
            self.raw(element.opening, at)
            self.raw("", at)
            element.shown, element.first = True, False

    def raw(self, text: str, line: int) -> None:
        """An output line that is no source line's first (attributes found later
        go before the source line's own first line, not before this)."""
        self.out.append((text, line))

    def is_block_syntax(self, index: int) -> bool:
        line = self.source[index]
        return bool(
            _BLOCK_IAL.match(line)
            or _ALD.match(line)
            or _ATX_ID.match(line)
            or line.lstrip().startswith(("{::", "{:/"))
            or (self.parse_block_html and _TAG_LINE.match(line))
            or _EOB.match(line)
            or (self.markdown_elements and line.lstrip().startswith("</"))
            or (self.markdown_elements and _HEADING.match(line))
        )

    def block_construct(self, index: int) -> int | None:
        """Handle the block-level construct on source line *index*; the next line to read."""
        line = self.source[index]
        stripped = line.strip()
        if _ALD.match(line):
            self.emit("", index)
            return index + 1
        extension = _EXTENSION.match(stripped)
        if extension and stripped.startswith("{::"):
            return self.extension_block(index, extension)
        ial = _BLOCK_IAL.match(line)
        if ial:
            return self.block_ial(index, ial)
        heading = _ATX_ID.match(line)
        if heading:
            indent = " " * (len(line) - len(line.lstrip(" ")))
            self.emit(f"{indent}({heading[2]})=", index)
            self.emit(heading[1], index)
            return index + 1
        if (
            stripped
            and index + 1 < len(self.source)
            and _SETEXT_UNDERLINE.match(self.source[index + 1])
            and index + 1 not in self.code
        ):
            setext = _SETEXT_ID.match(line)
            if setext and (index == 0 or not self.source[index - 1].strip()):
                self.emit(f"({setext[2]})=", index)
                self.emit(self.inline(setext[1], index), index)
                self.emit(self.source[index + 1], index + 1)
                return index + 2
        return None

    def extension_block(self, index: int, match: re.Match[str]) -> int:
        name, closed = match[1], match[3] == "/"
        line = self.source[index]
        if name == "options":
            self.drop(index, "{::options" + match[2] + "/}")
            self.emit("", index)
            return index + 1
        if closed or name not in ("comment", "nomarkdown"):
            if name not in ("comment", "nomarkdown"):
                self.drop(index, "{::" + name + "}")
            self.emit(line.replace(match.group(), ""), index)
            return index + 1
        # A block: up to {:/name} or {:/}.
        end = index
        closing = re.compile(r"\{:/(?:" + name + r")?\}")
        body: list[tuple[str, int]] = []
        rest = line[line.index(match.group()) + len(match.group()) :]
        while True:
            found = closing.search(rest)
            if found:
                body.append((rest[: found.start()], end))
                after = rest[found.end() :]
                break
            body.append((rest, end))
            end += 1
            if end >= len(self.source):
                after = ""
                break
            rest = self.source[end]
        if name == "comment":
            for _, number in body:
                self.emit("", number)
        else:
            content = [(text, number) for text, number in body if text.strip()]
            longest = max((_longest_backticks(text) for text, _ in content), default=0)
            fence = "`" * max(3, longest + 1)
            self.emit(f"{fence}{{raw}} html", index)
            for text, number in content:
                self.emit(text, number)
            self.emit(fence, end)
        if after.strip():
            self.emit(self.inline(after, end), end)
        return end + 1

    def block_ial(self, index: int, match: re.Match[str]) -> int:
        content = match[2]
        indent = match[1]
        if content.strip() == "toc":
            previous = index - 1
            if previous >= 0 and _TOC_ITEM.match(self.source[previous]) and self.out:
                # Replace the one-item list kramdown replaces with its table of contents.
                self.out.pop()
                self.emit("```{contents}", previous)
                self.emit(":local:", index)
                self.emit("```", index)
            else:
                self.drop(index, "{:toc} (not after a list item)")
                self.emit("", index)
            return index + 1
        attrs = parse_attributes(content, self.alds)
        if attrs is None:
            # Not an attribute list after all: text kramdown would show.
            self.emit(self.source[index], index)
            return index + 1
        after_block = index > 0 and bool(self.source[index - 1].strip())
        if after_block:
            at = self.block_start(index - 1)
            heading = at < len(self.out) and bool(_HEADING.match(self.out[at][0]))
            lines = self.attribute_lines(attrs, index, indent, heading)
            for offset, text in enumerate(lines):
                self.out.insert(at + offset, (text, index))
            self.starts = {
                line: position + len(lines) if position >= at else position
                for line, position in self.starts.items()
            }
            self.starts.setdefault(index, len(self.out))
        else:
            following = self.source[index + 1] if index + 1 < len(self.source) else ""
            for text in self.attribute_lines(attrs, index, indent, bool(_HEADING.match(following))):
                self.emit(text, index)
            if not self.out or self.starts.get(index) is None:
                self.emit("", index)
        return index + 1

    def paragraph(self, start: int, end: int) -> None:
        lines = self.source[start:end]
        text = "\n".join(lines)
        display = _DISPLAY_MATH.match(text)
        if display and "$$" not in display[1] and not _CODE_SPAN.search(text):
            indent = " " * (len(lines[0]) - len(lines[0].lstrip(" ")))
            body = [part.strip() for part in display[1].strip().split("\n")]
            fence = "`" * max(3, _longest_backticks(display[1]) + 1)
            self.emit(f"{indent}{fence}{{math}}", start)
            first = start + (1 if lines[0].strip() == "$$" else 0)
            for offset, part in enumerate(body):
                self.emit(indent + part, min(first + offset, end - 1))
            self.emit(indent + fence, end - 1)
            return
        converted = self.inline(text, start).split("\n")
        for offset, part in enumerate(converted):
            self.emit(part, min(start + offset, end - 1))

    def inline(self, text: str, line: int) -> str:
        """Span-level kramdown in *text*, outside code spans."""
        pieces: list[str] = []
        pos = 0
        for code in _CODE_SPAN.finditer(text):
            pieces.append(self.inline_text(text[pos : code.start()], line))
            pieces.append(code.group())
            pos = code.end()
        pieces.append(self.inline_text(text[pos:], line))
        return "".join(pieces)

    def inline_text(self, text: str, line: int) -> str:
        # What MyST's attribute extensions would read as attributes, the author wrote as
        # text: escaped (a CommonMark escape, harmless where the extensions are off).
        text = _LENIENT_DESTINATION.sub(_bracketed, text)
        text = _ATTRS_LOOKALIKE.sub(r"\\{", text)
        text = _BLOCK_LOOKALIKE.sub(r"\1\\{", text)
        text = _INLINE_MATH.sub(lambda m: _math_role(m[1]), text)
        if self.undefined:
            text = FOOTNOTE_REFERENCE.sub(
                lambda m: "\\" + m.group() if m[1] in self.undefined else m.group(), text
            )
        text = re.sub(r"\{::comment\}.*?\{:/(?:comment)?\}", "", text, flags=re.S)
        text = re.sub(r"\{::nomarkdown\}(.*?)\{:/(?:nomarkdown)?\}", r"\1", text, flags=re.S)

        def span(match: re.Match[str]) -> str:
            before = text[: match.start()]
            number = line + before.count("\n")
            if match[1].strip() == "toc":
                return match.group()
            attrs = parse_attributes(match[1], self.alds)
            if attrs is None:
                return match.group()
            image = bool(_IMAGE_BEFORE.search(before))
            # MyST puts attributes on links, images and [spans] only.
            carrier = before.endswith((")", "]"))
            parts = [f"#{ident}" for ident in attrs.ids[:1]] if carrier else []
            parts += [f".{cls}" for cls in attrs.classes] if carrier else []
            dropped = [f"#{ident}" for ident in attrs.ids[0 if not carrier else 1 :]]
            dropped += [] if carrier else [f".{cls}" for cls in attrs.classes]
            for key, value in attrs.keys.items():
                if image and key in ("width", "height", "align"):
                    parts.append(f'{key}="{value}"')
                elif key == "style" and carrier:
                    parts.append("." + self.style_class(value))
                else:
                    dropped.append(f"{key}={value!r}")
            dropped += [f"ALD {name!r} (not defined)" for name in attrs.unknown]
            dropped += attrs.ignored
            if dropped:
                self.drop(number, "{: " + " ".join(dropped) + "}")
            if not parts:
                return ""
            self.extensions.add("attrs_inline")
            return "{" + " ".join(parts) + "}"

        return _SPAN_IAL.sub(span, text)


def _bracketed(match: re.Match[str]) -> str:
    """A destination kramdown takes as it is, in the ``<...>`` CommonMark reads."""
    return "](<" + match["url"].replace("\\)", ")") + ">)"


def _longest_backticks(text: str) -> int:
    return max((len(run) for run in re.findall("`+", text)), default=0)


def _math_role(content: str) -> str:
    content = " ".join(content.split())
    ticks = "`" * (_longest_backticks(content) + 1)
    pad = " " if content.startswith("`") or content.endswith("`") else ""
    return f"{{math}}{ticks}{pad}{content}{pad}{ticks}"


def convert(text: str, parse_block_html: bool = False) -> Converted:
    """*text* (a post's body, 1-based lines) in MyST's syntax; never raises. With
    *parse_block_html* (kramdown's option), Markdown inside HTML blocks is read."""
    ended = end_html_blocks(text)
    if ended is not None:
        text = ended[0]
    if not _needs_converter(text, parse_block_html):
        count = text.count("\n") + 1
        result = Converted(text, list(range(1, count + 1)), [], set())
    else:
        result = _Converter(text, parse_block_html).run()
    if ended is not None:
        # Back to the lines of the text as given.
        numbers = ended[1]
        result.lines = [numbers[line - 1] for line in result.lines]
        result.dropped = [(numbers[line - 1], what) for line, what in result.dropped]
    return result


#: An HTML element whose content kramdown reads as Markdown: ``<figure markdown="1">``.
_MARKDOWN_ELEMENT = re.compile(
    r"""^( {0,3}<([A-Za-z][\w-]*)\b[^<>]*?)"""
    r"""\s+markdown\s*=\s*["']?(?:1|block)["']?([^<>]*>)[ \t]*$"""
)
#: ``markdown="1"`` as kramdown takes it: any spacing around ``=``, any quotes.
_MARKDOWN_ATTRIBUTE = re.compile(r"\smarkdown\s*=")
#: A link destination kramdown takes and CommonMark does not: with spaces
#: (``](/a b.jpg)``) or an escaped parenthesis closing an open one (``](x_(y\))``).
_LENIENT_DESTINATION = re.compile(
    r"""\]\((?P<url>(?:[^\s()<>"']+ )+[^\s()<>"']+|[^\s()<>]*\([^\s()<>]*\\\)[^\s()<>]*)\)"""
)
#: kramdown's end-of-block marker: a line with only ``^``.
_EOB = re.compile(r"^ {0,3}\^[ \t]*$", re.M)
#: A line of only opening or closing tags of block elements.
_TAG_LINE = re.compile(
    r"^ {0,3}(?:</?(?:div|section|article|aside|header|footer|main|nav|figure|details|"
    r"center|blockquote)\b[^<>]*>[ \t]*)+$",
    re.I | re.M,
)


__all__ = [
    "Attributes",
    "Converted",
    "convert",
    "gfm_id",
    "kramdown_id",
    "needs_conversion",
    "parse_attributes",
]
