"""Each post's entry on ABlog's archive pages rendered once per link base
(``ablog_ext/speed/archive_entries.py``): the same bytes as ABlog's template rendered
entry by entry, and a site's own archive templates rendered as they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from ablog_ext.speed import archive_entries

from helpers import Pages, build_dir, build_kept_and_each, copy_root, page_after_edit, warnings_of

#: ABlog and MyST-Parser with ablog_ext (the compat roots load plain ABlog).
WITH_EXT = ["ablog", "myst_parser", "ablog_ext"]


def entries_kept(app: SphinxTestApp) -> list[Any]:
    """The archive entries kept in *app*'s build."""
    state = archive_entries.entries(app)
    return [key for key, entry in state.kept.items() if entry is not None] if state else []


def build_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str, **kwargs
) -> tuple[SphinxTestApp, Pages]:
    """*testroot* built with its archive entries kept, and rendered entry by entry (the
    same bytes); the first build, and its pages."""
    kept, each, pages = build_kept_and_each(
        tmp_path, monkeypatch, archive_entries, *args, **kwargs
    )
    assert entries_kept(each) == []
    return kept, pages


@pytest.mark.parametrize(
    ("testroot", "buildername", "overrides"),
    [
        ("sidebars", "html", {}),
        ("sidebars", "dirhtml", {}),
        ("sidebars", "html", {"html_theme": "alabaster"}),
        ("jekyll", "html", {}),
        ("jekyll", "dirhtml", {}),
        # rST posts with authors, locations and languages, alabaster.
        ("compat-ablogdocs", "html", {"extensions": WITH_EXT}),
        ("compat-ablogdocs", "dirhtml", {"extensions": WITH_EXT}),
        # Year folders, authors not in blog_authors, Font Awesome, pydata.
        ("compat-team", "html", {"extensions": WITH_EXT}),
        ("compat-team", "dirhtml", {"extensions": WITH_EXT}),
        ("compat-titles", "html", {"html_theme": "alabaster"}),
        ("compat-titles", "html", {"html_theme": "pydata_sphinx_theme"}),
    ],
)
def test_kept_entries_give_the_same_bytes(tmp_path, monkeypatch, testroot, buildername, overrides):
    app, _ = build_both(
        tmp_path, monkeypatch, testroot, buildername, confoverrides=overrides
    )
    assert entries_kept(app) != []


def test_kept_entries_are_given_to_other_archive_pages(tmp_path, monkeypatch):
    """Each entry is rendered once and shown on every archive page listing it,
    with that page's links: on a post's tag page, the link to the tag is ``#``."""
    app, kept = build_both(tmp_path, monkeypatch, "sidebars", "html")
    state = archive_entries.entries(app)
    assert state is not None
    # Eight posts, each rendered once, shown on several archive pages.
    assert len(entries_kept(app)) == 8
    assert state.rendered == 8 and state.shown > 3 * state.rendered
    soup = BeautifulSoup(kept["blog/tag/python.html"], "html.parser")
    assert "#" in [a["href"] for a in soup.select('li[id*="ablog__tags"] a')]
    soup = BeautifulSoup(kept["blog/2021.html"], "html.parser")
    assert "#" not in [a["href"] for a in soup.select('li[id*="ablog__tags"] a')]


def test_kept_entries_in_parallel_writes(tmp_path, monkeypatch):
    """``sphinx-build -j 2``: each worker process keeps its own entries."""
    build_both(tmp_path, monkeypatch, "sidebars", "html", parallel=2)


def with_templates(src: Path, templates: dict[str, str]) -> Path:
    for name, text in templates.items():
        path = src / "_templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    conf = src / "conf.py"
    conf.write_text(conf.read_text() + '\ntemplates_path = ["_templates"]\n', encoding="utf-8")
    return src


def test_a_site_collection_template_is_its_own(tmp_path):
    """A site's own ``ablog/collection.html`` is rendered as it is."""
    own = (
        '{%- extends "page.html" %}{% block body %}'
        '{% for post in collection %}<p class="own-entry">{{ pagename }}: {{ post.title }}</p>'
        "{% endfor %}{% endblock %}"
    )
    src = with_templates(copy_root(tmp_path, "sidebars"), {"ablog/collection.html": own})
    app = build_dir(src, "html")
    assert warnings_of(app) == []
    counts = archive_entries.entries(app)
    assert counts is not None and counts.shown == 0
    soup = BeautifulSoup((Path(app.outdir) / "blog/tag/python.html").read_bytes(), "html.parser")
    entries = [p.get_text() for p in soup.select("p.own-entry")]
    assert entries and all(text.startswith("blog/tag/python: ") for text in entries)


def test_a_site_postcard2_template_is_its_own(tmp_path):
    """A site's own ``ablog/postcard2.html`` (each entry includes it) may show the
    page: every archive page renders its entries."""
    own = '<li class="own-card">{{ pagename }} / {{ post.title }}</li>'
    src = with_templates(copy_root(tmp_path, "sidebars"), {"ablog/postcard2.html": own})
    app = build_dir(src, "html")
    assert warnings_of(app) == []
    counts = archive_entries.entries(app)
    assert counts is not None and counts.shown == 0
    outdir = Path(app.outdir)
    for page in ("blog/tag/python.html", "blog/category/career.html"):
        soup = BeautifulSoup((outdir / page).read_bytes(), "html.parser")
        cards = [li.get_text() for li in soup.select("li.own-card")]
        assert cards and all(text.startswith(page[: -len(".html")] + " / ") for text in cards)
    # ablog_ext's post card (its ablog/postcard.html) shows it too, as ABlog's does.
    post = BeautifulSoup((outdir / "posts/2020-01-05-third.html").read_bytes(), "html.parser")
    card = post.select_one(".ablog__postcard")
    assert card is not None
    assert [li.get_text() for li in card.select("li.own-card")] == [
        "posts/2020-01-05-third / The third post"
    ]


def test_a_second_build_of_the_same_application_shows_the_new_entry(tmp_path):
    """Entries kept in one build are not shown in the next: a post's new title
    reaches its archive pages."""
    src = copy_root(tmp_path, "sidebars")
    post = src / "posts" / "2020-01-05-third.md"
    page = page_after_edit(src, post, "The third post", "A renamed post", "blog/tag/python.html")
    titles = [a.get_text() for a in page.select(".ablog-post-title a")]
    assert "A renamed post" in titles and "The third post" not in titles
