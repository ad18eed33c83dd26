"""A post's boxes written once per shape by the HTML translator
(``ablog_ext/pages/box_html.py``): the bytes of each box translated whole, for any
text or link; each box translated whole where the translator is not Sphinx's own;
nodes for other builders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docutils import nodes

from ablog_ext.pages import box_html, post_extras
from ablog_ext.pages.box_html import Stencils, box_shape, stencils

from helpers import (
    assert_same_bytes,
    build_dir,
    build_kept_and_each,
    copy_root,
    html_files,
    read_page,
    warnings_of,
)


@pytest.mark.parametrize("buildername", ["html", "dirhtml"])
@pytest.mark.parametrize("theme", ["alabaster", "pydata_sphinx_theme"])
def test_boxes_from_stencils_are_the_boxes_translated_whole(
    tmp_path, monkeypatch, buildername, theme
):
    kept, each, _pages = build_kept_and_each(
        tmp_path, monkeypatch, box_html, "post-extras", buildername,
        confoverrides={"html_theme": theme},
    )  # fmt: skip
    filled = stencils(kept)
    assert filled is not None and filled.plain
    # Seven posts: seven reading times, six related boxes, four series boxes, in
    # six shapes (the first box of each also translated whole, to check it).
    assert filled.filled == 17 and len(filled.by_shape) == 6
    assert None not in filled.by_shape.values()
    whole = stencils(each)
    assert whole is not None and whole.filled == 0
    page = "posts/setup/index.html" if buildername == "dirhtml" else "posts/setup.html"
    assert read_page(Path(kept.outdir), page).select_one(".ablog-ext-series-current")


#: sphinxext-opengraph's descriptions (of the page's text).
DESCRIPTIONS = re.compile(rb'<meta (name="description"|property="og:description")[^>]*>\n')


def _without_descriptions(pages: dict[str, bytes]) -> dict[str, bytes]:
    return {name: DESCRIPTIONS.sub(b"", text) for name, text in pages.items()}


def test_boxes_as_translated_in_their_page(tmp_path, monkeypatch):
    """One node of HTML gives the page the boxes translated as nodes in it gave, but
    for sphinxext-opengraph's descriptions, which leave raw HTML out: before, they
    began with the reading time and the series box, not the post."""
    written = build_dir(copy_root(tmp_path / "written", "post-extras"))
    monkeypatch.setattr(post_extras, "as_written", lambda app, node, parent: node)
    as_nodes = build_dir(copy_root(tmp_path / "nodes", "post-extras"))
    monkeypatch.undo()
    assert warnings_of(written) == warnings_of(as_nodes)
    pages, node_pages = html_files(Path(written.outdir)), html_files(Path(as_nodes.outdir))
    assert_same_bytes(_without_descriptions(pages), _without_descriptions(node_pages))

    def description(outdir: str, page: str, tag: str) -> str | None:
        meta = read_page(Path(outdir), f"posts/{page}.html").select_one(f"meta[{tag}]")
        return str(meta["content"]) if meta is not None else None

    setup = "setup", 'name="description"'
    assert description(as_nodes.outdir, *setup).startswith("1 min read Series: Learning Sphinx")
    assert description(written.outdir, *setup).startswith("word word")
    # A post with no text of its own had its reading time for a description.
    empty = "cooking", 'property="og:description"'
    assert description(as_nodes.outdir, *empty) == "1 min read"
    assert description(written.outdir, *empty) is None


HOSTILE = [
    'Fish & "chips" <b>bold</b> it\'s @home',
    "tab\there\nnew line\x0bvertical",
    "\ue0000\ue001 looks like a placeholder \ue0001\ue001",
    "",
    "naïve café 日本語 🙂",
]


def _box(title: str, link: str, note: str) -> nodes.container:
    box = nodes.container(classes=["ablog-ext-related", "no-search"])
    box += nodes.rubric(note, note, classes=["ablog-ext-related-title"])
    listing = nodes.bullet_list(classes=["ablog-ext-related-posts"])
    for n in range(2):
        item = nodes.list_item()
        paragraph = nodes.paragraph()
        paragraph += nodes.reference(title, title, refuri=link, internal=True)
        paragraph += nodes.inline(note, f" · {note} {n}", classes=["ablog-ext-related-date"])
        item += paragraph
        listing += item
    box += listing
    return box


@pytest.mark.parametrize("title", HOSTILE)
def test_any_text_or_link_fills_a_stencil_as_the_translator_writes_it(site_factory, title):
    app = site_factory("post-extras")
    writer = Stencils(app)
    section = nodes.section()
    writer.html(_box("First", "first.html", "1 May"), section)
    hostile = _box(title, f'a b/{title}?q=1&x="2"#top', title)
    got = writer.html(hostile, section)
    assert writer.filled == 2  # (an empty title is a shape of its own: no text node)
    assert got == box_html._translate(app, hostile.deepcopy(), section)[0]


def test_an_empty_link_is_part_of_the_shape(site_factory):
    """The translator writes an empty link as "#": not a value to encode."""
    app = site_factory("post-extras")
    writer = Stencils(app)
    section = nodes.section()
    writer.html(_box("First", "", "1 May"), section)
    empty = _box("Second", "", "2 May")
    assert writer.html(empty, section) == box_html._translate(app, empty.deepcopy(), section)[0]
    assert writer.filled == 2 and 'href="#"' in writer.html(empty, section)


def test_a_box_of_other_nodes_or_an_email_link_stays_nodes(site_factory):
    app = site_factory("post-extras")
    mail = _box("Write to us", "mailto:someone@example.org", "now")
    assert box_shape(mail, []) is None
    literal = nodes.container()
    literal += nodes.literal("x = 1", "x = 1")
    assert box_shape(literal, []) is None
    section = nodes.section()
    assert box_html.as_written(app, mail, section) is mail


TRANSLATOR_CONF = """
from sphinx.writers.html5 import HTML5Translator


class ShoutingTranslator(HTML5Translator):
    def visit_Text(self, node):
        self.body.append(self.encode(node.astext().upper()))


def setup(app):
    app.set_translator("html", ShoutingTranslator, override=True)
"""


def test_a_translator_of_its_own_translates_each_box_whole(tmp_path):
    """A theme's translator that writes texts its own way: no stencil, each box is
    its translation (the titles in capitals)."""
    src = copy_root(tmp_path, "post-extras")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(TRANSLATOR_CONF)
    app = build_dir(src)
    written = stencils(app)
    assert written is not None and written.plain is False and written.filled == 0
    soup = read_page(Path(app.outdir), "posts/setup.html")
    assert soup.select_one(".ablog-ext-related-title").get_text() == "RELATED POSTS"
    assert soup.select_one("p.ablog-ext-reading-time").get_text() == "1 MIN READ"


def test_other_builders_get_the_nodes(tmp_path):
    app = build_dir(copy_root(tmp_path, "post-extras"), "text")
    assert stencils(app) is None
    text = (Path(app.outdir) / "posts" / "setup.txt").read_text(encoding="utf-8")
    assert "Related posts" in text and "Series: Learning Sphinx" in text
