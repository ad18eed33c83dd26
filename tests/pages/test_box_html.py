"""A post's boxes written once per shape by the HTML translator
(``ablog_ext/pages/box_html.py``): the bytes of each box translated whole, for any
text or link; each box translated whole where the translator is not Sphinx's own;
nodes for other builders."""

from __future__ import annotations

import json
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
    # Boxes of a kind whose first box checked its values: filled without nodes.
    assert None not in filled.by_key.values()
    assert filled.unbuilt == 17 - len(filled.by_key) > 0
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
    monkeypatch.setattr(post_extras, "as_written_from", lambda app, key, values, build, _: build())
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
    assert box_html.as_written_from(app, "mail", [], lambda: mail, section) is mail


def _series_post(title: str, order: int) -> str:
    return (
        f"---\ntitle: {json.dumps(title)}\ndate: 2024-04-0{order}\ntags: [sphinx]\ncategory: docs\n"
        f"series: Learning Sphinx\nseries_order: {order + 2}\n---\n\nword word\n"
    )


def test_boxes_of_hostile_titles_filled_without_nodes_are_the_boxes_translated_whole(
    tmp_path, monkeypatch
):
    """Titles that need escaping, and an empty one (no text node: a kind of box of
    its own), in the series and related boxes filled in without their nodes."""
    titles = ["Fish & chips <b> @home", "", "naïve 日本語 \ue0000\ue001"]
    apps = []
    for reuse in (True, False):
        src = copy_root(tmp_path / str(reuse), "post-extras")
        for order, title in enumerate(titles, start=1):
            (src / "posts" / f"extra{order}.md").write_text(
                _series_post(title, order), encoding="utf-8"
            )
        monkeypatch.setattr(box_html, "REUSE", reuse)
        apps.append(build_dir(src))
        monkeypatch.undo()
    kept, each = apps
    assert warnings_of(kept) == warnings_of(each)
    assert_same_bytes(html_files(Path(kept.outdir)), html_files(Path(each.outdir)))
    written = stencils(kept)
    assert written is not None and written.unbuilt > 0
    soup = read_page(Path(kept.outdir), "posts/setup.html")
    assert "Fish & chips <b>" in soup.select_one(".ablog-ext-series").get_text()


def test_a_kind_whose_values_are_not_its_nodes_builds_each_box(site_factory):
    """The first box of a kind checks the values given against its nodes: values in
    another order make every box of that kind built and translated as nodes."""
    app = site_factory("post-extras")
    writer = Stencils(app)
    section = nodes.section()
    box = _box("First", "first.html", "1 May")
    wrong = ["First", "Related", "first.html"]  # not box_shape's order
    got = writer.keyed("kind", wrong, lambda: box.deepcopy(), section)
    assert got.astext() == box_html._translate(app, box.deepcopy(), section)[0]
    assert writer.by_key[("section", "kind", (False, False, False))] is None
    built = []
    second = _box("Second", "second.html", "2 May")
    writer.keyed("kind", wrong, lambda: built.append(1) or second.deepcopy(), section)
    assert built == [1] and writer.unbuilt == 0
    right: list[str] = []
    box_shape(second, right)
    writer.keyed("good", right, lambda: second.deepcopy(), section)
    third = _box("Third & <last>", "third.html", "3 May")
    values: list[str] = []
    box_shape(third, values)
    filled = writer.keyed("good", values, lambda: pytest.fail("built"), section)
    assert writer.unbuilt == 1
    assert filled.astext() == box_html._translate(app, third.deepcopy(), section)[0]
    # An e-mail link stays nodes, as box_shape has it, whatever the kind.
    mail = _box("Mail", "mailto:someone@example.org", "5 May")
    mail_values = ["5 May", "mailto:someone@example.org", "Mail", " · 5 May 0"]
    mail_values += [*mail_values[1:3], " · 5 May 1"]
    assert writer.keyed("good", mail_values, lambda: mail, section) is mail
    # An empty title is no text node: its box, given its values as if it were one,
    # is still the translator's HTML of its nodes.
    empty = _box("", "fourth.html", "4 May")
    as_if = ["4 May", "fourth.html", "", " · 4 May 0", "fourth.html", "", " · 4 May 1"]
    got = writer.keyed("good", as_if, lambda: empty.deepcopy(), section)
    assert got.astext() == box_html._translate(app, empty.deepcopy(), section)[0]


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
