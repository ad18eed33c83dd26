"""Excerpts end at the separator whatever its shape or place, are trees every
writer renders, and one that still cannot be rendered never stops the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from ablog_ext.jekyll.frontmatter import read_front_matter
from ablog_ext.reading.excerpts import find_separator, safe_excerpt

from helpers import build_dir, copy_root, main_text


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("excerpts")


def excerpt_text(app, docname):
    return " | ".join(
        " ".join(node.astext().split()) for node in app.env.ablog_posts[docname][0]["excerpt"]
    )


@pytest.mark.parametrize(
    ("post", "expected"),
    [
        # The shape that stopped whole builds: a heading, then the separator.
        ("heading-first", "Sub heading | A lead paragraph under the sub heading."),
        # ablog_ext_excerpt_separator is the site's; inside a list item.
        ("site-default", "Before the site’s separator. | a list item before it"),
        ("inline", "Words before"),
        # excerpt_separator: "\n---\n", Jekyll's exact text: a line with ---.
        ("newline-separator", "A paragraph before the rule."),
        # In code the separator is text: ABlog's first paragraph.
        ("in-code", "The first paragraph."),
        # excerpt_separator: "" is no separator, as in Jekyll.
        ("no-separator", "Only the first paragraph."),
        ("text-separator", "A lead sentence"),
        ("in-admonition", "Before the note. | Inside the note, before."),
        ("quote", "Quoted before."),
        # Liquid removed lines before the separator: the cut is in the author's lines.
        ("liquid", "Before the separator."),
        # ABlog's own post directive allows a section in the excerpt.
        ("rst-post", "The post’s own excerpt. | A section in the excerpt | Text of that section."),
    ],
)
def test_excerpt_ends_at_the_separator(built, post, expected):
    docname = next(name for name in built.env.ablog_posts if name.endswith(post))
    assert excerpt_text(built, docname).strip() == expected


def test_category_page_renders_every_excerpt(built, html):
    page = main_text(html(built, "blog/category/notes"))
    text = " ".join(page.get_text(" ").split())
    rubrics = {r.get_text() for r in page.select(".ablog-post-excerpt .rubric")}
    assert rubrics == {"Sub heading", "A section in the excerpt"}
    assert "A lead paragraph under the sub heading." in text
    assert "Text after the separator." not in text
    assert "a list item after it" not in text
    assert "Inside the note, after." not in text
    # No title or section left inside the paragraph ABlog puts an excerpt in.
    for excerpt in page.select(".ablog-post-excerpt"):
        assert not excerpt.select("section, h1, h2, h3, h4")


def test_separator_marks_leave_no_trace(built, html):
    page = html(built, "posts/2020-01-01-heading-first")
    assert "ablog-ext-excerpt-end" not in str(page)
    text = main_text(page).get_text()
    assert "A lead paragraph" in text and "Text after the separator." in text
    doctree = built.env.get_doctree("posts/2020-01-03-inline")
    assert doctree.astext().count("words after") == 1


def test_unrenderable_excerpt_warns_and_falls_back(built, warnings, html):
    found = [w for w in warnings(built) if "[ablog_ext.excerpt]" in w]
    assert len(found) == 1, warnings(built)
    assert "posts/2020-01-11-unrenderable.md: WARNING: ABlog could not render" in found[0]
    for page in ("blog/category/notes", "blog", "index"):
        text = html(built, page).get_text()
        assert "Its excerpt is shown as text." in text, page
    assert Path(built.outdir, "posts/2020-01-11-unrenderable.html").is_file()


def test_no_other_warnings(built, warnings):
    others = [
        w
        for w in warnings(built)
        if "unrenderable" not in w  # the node the test helper adds
    ]
    assert others == []


@pytest.mark.parametrize(
    ("body", "separator", "line", "block_line"),
    [
        ("a\n\n<!--more-->\n\nb\n", "<!--more-->", 3, None),
        ("a <!--more--> b\n", "<!--more-->", 1, 1),
        ("```\n<!--more-->\n```\n", "<!--more-->", None, None),
        ("`<!--more-->` x\n\n<!--more-->\n", "<!--more-->", 3, None),
        ("    <!--more-->\n\nx\n", "<!--more-->", None, None),
        ("$$\n<!--more-->\n$$\n", "<!--more-->", None, None),
        ("```{code-block}\n<!--more-->\n```\n", "<!--more-->", None, None),
        ("```{note}\nx\n\n<!--more-->\n```\n", "<!--more-->", 4, None),
        ("para\n\nnext\n", "\n\n", 3, None),
        # Blank lines that open the body are skipped, as Jekyll does.
        ("\n\npara\n\nnext\n", "\n\n", 5, None),
        ("- a\n  <!--more-->\n", "<!--more-->", 2, None),
        ("<div>\n<!--more-->\n</div>\n", "<!--more-->", None, None),
    ],
)
def test_find_separator(body, separator, line, block_line):
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark").use(dollarmath_plugin)
    text = "---\ntitle: x\n---\n" + body
    start = read_front_matter(text).body_start
    cut = find_separator(text, md.parse(text), md, separator, start)
    if line is None:
        assert cut is None
    else:
        assert cut is not None
        assert (cut.line - start, cut.block_line and cut.block_line - start) == (line, block_line)


def test_safe_excerpt_flattens_sections():
    from docutils import nodes

    section = nodes.section("", nodes.title("Head", "Head"), nodes.paragraph("Body", "Body"))
    inner = nodes.section("", nodes.title("Inner", "Inner"), nodes.paragraph("Deep", "Deep"))
    section += inner
    quote = nodes.block_quote("", nodes.section("", nodes.title("Q", "Q")))
    result = safe_excerpt([section, nodes.system_message("oops"), quote])
    names = ["rubric", "paragraph", "rubric", "paragraph", "block_quote"]
    assert [n.tagname for n in result] == names
    assert not any(isinstance(n, nodes.section | nodes.title) for r in result for n in r.findall())


def test_feeds_fall_back_too(tmp_path, warnings):
    """Without a postlist to catch it first, the feeds meet the broken excerpt."""
    import feedparser

    srcdir = copy_root(tmp_path, "excerpts")
    (srcdir / "index.md").write_text("# Excerpts\n", encoding="utf-8")
    app = build_dir(srcdir)
    found = [w for w in warnings(app) if "[ablog_ext.excerpt]" in w]
    assert len(found) == 1 and "2020-01-11-unrenderable.md" in found[0], found
    entries = feedparser.parse(Path(app.outdir, "blog/atom.xml")).entries
    entry = next(e for e in entries if e.title == "Unrenderable excerpt")
    assert "Its excerpt is shown as text." in entry.content[0].value
