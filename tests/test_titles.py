"""Titles are text: whatever a page or post title holds, no page and no feed
gets markup from it, in every supported theme."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from sphinx import addnodes

from helpers import build_site, injected, warnings_of

THEMES = ["pydata_sphinx_theme", "alabaster", "basic", "classic"]


@pytest.fixture(scope="module", params=THEMES)
def themed(request, tmp_path_factory):
    return request.param, build_site(
        tmp_path_factory.mktemp(request.param),
        "compat-titles",
        # Posts in the navigation too, so their titles go through the theme's links.
        confoverrides={"html_theme": request.param, "ablog_ext_posts_in_navigation": True},
    )


def test_no_title_markup_on_any_page(themed):
    theme, app = themed
    pages = sorted(Path(app.outdir).rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert injected(soup) == [], (theme, page.relative_to(app.outdir))
    assert warnings_of(app) == []


def test_titles_show_as_text(themed):
    theme, app = themed
    soup = BeautifulSoup(Path(app.outdir, "child.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.title.get_text().startswith("Child <b class=”t-b”>bold</b> & co")
    links = [" ".join(a.get_text().split()) for a in soup.find_all("a")]
    assert "Why <div class=”t-div”> matters" in links
    if theme in {"pydata_sphinx_theme", "alabaster"}:
        # The whole navigation: the header (pydata) or the sidebar tree (alabaster).
        assert 'Explicit <b class="t-b">entry</b> title' in links
        assert "<script>window.pwned = 1</script> and <div class=”t-div”>a div</div>" in links
    if theme == "pydata_sphinx_theme":
        navbar = [" ".join(a.get_text().split()) for a in soup.select(".navbar-nav a.nav-link")]
        assert "Why <div class=”t-div”> matters" in navbar
        # The escaping lasts while the theme builds its links, and no longer.
        assert app.env.titles["why"].astext() == "Why <div class=”t-div”> matters"
        entries = [e for t in app.env.tocs["index"].findall(addnodes.toctree) for e in t["entries"]]
        assert ('Explicit <b class="t-b">entry</b> title', "entry") in entries


def test_feed_content_template_escapes_titles(tmp_path):
    app = build_site(
        tmp_path,
        "compat-titles",
        confoverrides={
            "blog_feed_templates": {"atom": {"content": "<p>{{ title }}</p>{{ content }}"}}
        },
    )
    atom = ElementTree.parse(Path(app.outdir, "blog/atom.xml")).getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    contents = {
        entry.findtext("a:title", namespaces=ns): entry.findtext("a:content", namespaces=ns)
        for entry in atom.findall("a:entry", ns)
    }
    html = contents["<script>window.pwned = 1</script> and <div class=”t-div”>a div</div>"]
    soup = BeautifulSoup(html, "html.parser")
    assert injected(soup) == []
    assert soup.p.get_text().startswith("<script>window.pwned = 1</script>")
    assert "front matter title is markup" in soup.get_text()  # the post's own HTML stays
