"""A post's boxes written by the HTML translator once per shape.

A post's boxes (its reading time, series box and related posts: :mod:`.post_extras`)
are docutils nodes, so every builder can write them.  On an HTML builder their
translation cost as much as the rest of a post's body (1000 posts with pages of ten:
63,000 nodes more to translate).  Yet boxes of one shape, the same nodes with the
same classes and nesting, differ only in their texts and links.  So each text and
link of a box is given a placeholder, and the builder's own translator writes the
box once per shape (:class:`Stencil`).  Each box is then that HTML with its own
texts and links, encoded as that translator encodes them (its ``encode`` and
``attval``), in one :class:`box_html` node that the HTML translators copy as it is.

The HTML is what the translator writes for the box's nodes:

* only node types whose translation of a text or a link is its encoding take part
  (:data:`PLAIN`); a box with any other, or an e-mail link (which the translator
  may cloak), stays nodes;
* a translator whose writing of texts and links is not Sphinx's own (a theme's
  translator class, or a handler an extension registered for them) translates
  each box whole, as does a shape whose stencil holds a text twice (a handler
  that repeats it in an attribute);
* the first box of each shape is also translated whole, and the shape's stencil is
  used only if, filled with that box's values, it gives the same HTML.

Building the nodes of a box cost as much again as filling it in.  So a kind of box
whose shape its maker can name (related posts of three; the third post of a series
of ten) is given with its values listed directly (:func:`as_written_from`): the first
box of each kind is built, and its nodes must list the same values in the same
order; the next ones are filled in without nodes.

Either way the box is one node on an HTML builder, as Sphinx's search index and
sphinxext-opengraph's description (which skip raw HTML) should see it: not the
post's text.  Other builders get the nodes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import new_document
from sphinx.writers.html5 import HTML5Translator

from ablog_ext.pages.render import NO_SEARCH, is_html
from ablog_ext.reaches.sphinx import SPHINX_FRAGMENT_STATE
from ablog_ext.state import Slot, build_state

#: Off in tests, to compare the pages with each box translated whole.
REUSE = True

#: The node types a stencil may hold: the translator writes each one's texts and
#: links as their encoding, whatever they say.
PLAIN: tuple[type[nodes.Element], ...] = (
    nodes.container,
    nodes.paragraph,
    nodes.rubric,
    nodes.bullet_list,
    nodes.enumerated_list,
    nodes.list_item,
    nodes.reference,
    nodes.inline,
    nodes.strong,
    nodes.emphasis,
)
#: The translator's methods that write texts and links.
_ENCODERS = ("encode", "attval", "visit_Text", "visit_reference")

_MARK = re.compile("\ue000(\\d+)\ue001")
#: A value's kind: a text (``encode``) or a link (``attval``).
TEXT, LINK = "text", "link"


class box_html(nodes.raw):
    """A box as the HTML translator writes it: copied as it is (a handler for the
    HTML builders).  Marked for Sphinx's search index to leave out, as the box
    was; any other builder would see raw HTML and leave it out."""


def visit_box_html(translator: Any, node: box_html) -> None:
    translator.body.append(node.astext())
    raise nodes.SkipNode


def _mark(index: int) -> str:
    return f"\ue000{index}\ue001"


def box_shape(node: nodes.Node, values: list[str]) -> Hashable | None:
    """What the translator's HTML of *node* depends on but its texts and links
    (appended to *values*, in order); ``None`` for a node no stencil may hold."""
    if isinstance(node, nodes.Text):
        values.append(str(node))
        return "#"
    if type(node) not in PLAIN:
        return None
    attributes: list[tuple[str, Hashable]] = []
    for name, value in sorted(node.attributes.items()):
        if name == "refuri" and value:  # (an empty one is written "#")
            link = str(value)
            if link.startswith("mailto:"):
                return None
            values.append(link)
            attributes.append((name, "@"))
            continue
        if isinstance(value, list):
            value = tuple(value)
        try:
            hash(value)
        except TypeError:
            return None
        attributes.append((name, value))
    children = []
    for child in node.children:
        shape = box_shape(child, values)
        if shape is None:
            return None
        children.append(shape)
    return (type(node).__name__, tuple(attributes), tuple(children))


def _placeholders(node: nodes.Element) -> tuple[nodes.Element, tuple[str, ...]]:
    """A copy of *node* with each text and link a placeholder (numbered as
    :func:`box_shape` lists them), and the kind of each."""
    kinds: list[str] = []

    def walk(element: nodes.Element) -> None:
        if element.get("refuri"):
            element["refuri"] = _mark(len(kinds))
            kinds.append(LINK)
        for index, child in enumerate(element.children):
            if isinstance(child, nodes.Text):
                element.children[index] = nodes.Text(_mark(len(kinds)))
                element.children[index].parent = element
                kinds.append(TEXT)
            else:
                assert isinstance(child, nodes.Element)
                walk(child)

    copy = node.deepcopy()
    walk(copy)
    return copy, tuple(kinds)


@dataclass(frozen=True)
class Stencil:
    """The translator's HTML of a box's shape, cut at its placeholders."""

    chunks: tuple[str, ...]
    #: The value that fills each gap, by its index in the box's values.
    gaps: tuple[int, ...]
    kinds: tuple[str, ...]
    encode: Callable[[str], str]
    attval: Callable[[str], str]

    def fill(self, values: list[str]) -> str:
        parts = [self.chunks[0]]
        for gap, chunk in zip(self.gaps, self.chunks[1:], strict=True):
            value = values[gap]
            parts.append(self.attval(value) if self.kinds[gap] == LINK else self.encode(value))
            parts.append(chunk)
        return "".join(parts)


def _cut(html: str, kinds: tuple[str, ...], translator: Any) -> Stencil | None:
    pieces = _MARK.split(html)
    gaps = tuple(int(index) for index in pieces[1::2])
    if sorted(gaps) != list(range(len(kinds))):
        return None  # a text or link written twice, or not at all
    return Stencil(tuple(pieces[0::2]), gaps, kinds, translator.encode, translator.attval)


def _plain_translator(translator: Any) -> bool:
    """Whether *translator* writes the nodes of :data:`PLAIN`, texts and links as
    Sphinx's HTML5 translator does (a theme's class may add to its tags, never to
    what a text or link becomes)."""
    kind = type(translator)
    if not isinstance(translator, HTML5Translator):
        return False
    if any(getattr(kind, name) is not getattr(HTML5Translator, name) for name in _ENCODERS):
        return False
    # Handlers an extension registered are set on the instance (MyST's for
    # containers, say: it writes their tags, which the stencil keeps as written).
    own = vars(translator)
    return not any(name in own for name in _ENCODERS)


def _translate(app: Sphinx, node: nodes.Element, parent: nodes.Element) -> tuple[str, Any]:
    """The builder's translator's HTML of *node*, put in a copy of *parent* (the
    translator writes some nodes by what holds them)."""
    builder: Any = app.builder
    document = new_document("")
    document.settings = builder.docsettings
    holder = parent.copy()
    document += holder
    holder += node
    translator = builder.create_translator(document, builder)
    node.walkabout(translator)
    return "".join(translator.body), translator


class Stencils:
    """One build's stencils, by the shape of the box and what holds it (``None``
    for a shape each box of which is translated whole)."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.by_shape: dict[Hashable, Stencil | None] = {}
        #: Whether the builder's translator writes texts and links as Sphinx's does.
        self.plain: bool | None = None
        #: The stencils of boxes made by kind (:func:`as_written_from`): by the kind's
        #: key and what holds it (``None``: the kind's boxes are built as nodes).
        self.by_key: dict[Hashable, Stencil | None] = {}
        #: Boxes filled in from a stencil, and those of them never built as nodes,
        #: for tests.
        self.filled = 0
        self.unbuilt = 0

    def html(self, node: nodes.Element, parent: nodes.Element) -> str | None:
        """The HTML of *node* as the translator writes it in *parent*; ``None`` for
        a node not of :data:`PLAIN` types, left to be translated in its page.  A
        node given HTML is used up (put in a holder to be translated)."""
        values: list[str] = []
        return self._html(node, parent, box_shape(node, values), values)

    def _html(
        self, node: nodes.Element, parent: nodes.Element, shape: Hashable | None, values: list[str]
    ) -> str | None:
        if shape is None:
            return None
        key = (type(parent).__name__, shape)
        if key not in self.by_shape:
            stencil, whole = self._make(node, parent, values)
            self.by_shape[key] = stencil
            self.filled += stencil is not None
            return whole
        stencil = self.by_shape[key]
        if stencil is None:
            return _translate(self.app, node, parent)[0]
        self.filled += 1
        return stencil.fill(values)

    def keyed(
        self,
        key: Hashable,
        values: list[str],
        build: Callable[[], nodes.Element],
        parent: nodes.Element,
    ) -> nodes.Element:
        """What :func:`as_written_from` gives: the first box of *key* (in a holder of
        *parent*'s type) is built, and its shape's stencil kept for *key* if its
        texts and links, as :func:`box_shape` lists them, are *values*."""
        # An empty text is no Text node: a box with one has nodes of its own.
        where = (type(parent).__name__, key, tuple(not value for value in values))
        stencil = self.by_key.get(where)
        # (A link the translator may cloak stays nodes, as box_shape has it.)
        if stencil is not None and not any(value.startswith("mailto:") for value in values):
            self.filled += 1
            self.unbuilt += 1
            return _html_node(stencil.fill(values))
        node = build()
        found: list[str] = []
        shape = box_shape(node, found)
        html = self._html(node, parent, shape, found)
        if where not in self.by_key:
            same = REUSE and shape is not None and found == values
            self.by_key[where] = self.by_shape.get((type(parent).__name__, shape)) if same else None
        return node if html is None else _html_node(html)

    def _make(
        self, node: nodes.Element, parent: nodes.Element, values: list[str]
    ) -> tuple[Stencil | None, str]:
        """The stencil of *node*'s shape (``None`` where it may not be used), and
        *node*'s HTML translated whole, which the stencil must give."""
        whole, translator = _translate(self.app, node, parent)
        if self.plain is None:
            self.plain = _plain_translator(translator)
        if not (REUSE and self.plain):
            return None, whole
        copy, kinds = _placeholders(node)
        stencil = _cut(_translate(self.app, copy, parent)[0], kinds, translator)
        if stencil is None or stencil.fill(values) != whole:
            return None, whole
        return stencil, whole


#: Lasting, so a test can read the last build's (:func:`forget_stencils` starts
#: each build afresh).
_STENCILS: Slot[Stencils] = Slot("box html: the build's stencils", Stencils, lasting=True)


def stencils(app: Sphinx) -> Stencils | None:
    """The last build's stencils, if it wrote a box."""
    return build_state(app).peek(_STENCILS)


def forget_stencils(app: Sphinx, builder: Any) -> None:
    """``write-started``: each build makes its own stencils (a stencil holds the
    translator that wrote it)."""
    build_state(app).pop(_STENCILS)


def as_written_from(
    app: Sphinx,
    key: Hashable,
    values: list[str],
    build: Callable[[], nodes.Element],
    parent: nodes.Element,
) -> nodes.Element:
    """The box *build* makes, to be put in *parent*: on an HTML builder, one
    :class:`box_html` node holding the translator's HTML of it (its nodes where
    :func:`box_shape` refuses them); else its nodes.  For a kind of box whose shape
    *key* settles, given the box's texts and links (*values*, in :func:`box_shape`'s
    order): once a box of *key* has shown both to be right (its nodes built, its
    values listed from them), the next boxes of *key* are filled in from its
    stencil without building their nodes.  *key* must tell apart every box whose
    nodes differ in more than their values; which values are empty is added to it
    (an empty text is no ``Text`` node)."""
    if not (is_html(app) and SPHINX_FRAGMENT_STATE.on(app)):
        return build()
    return build_state(app).get(_STENCILS).keyed(key, values, build, parent)


def _html_node(html: str) -> box_html:
    return box_html(html, html, format="html", classes=[NO_SEARCH])


def setup_box_html(app: Sphinx) -> None:
    app.add_node(box_html, html=(visit_box_html, None))
