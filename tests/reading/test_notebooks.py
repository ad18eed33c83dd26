"""Notebook posts (MyST-NB): ``.ipynb`` notebooks and MyST text notebooks read as
posts, with ``myst_nb`` anywhere in ``extensions``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
from docutils import nodes

from ablog_ext.blog.domain import blog_domain

from helpers import (
    ablog_post,
    broken_links,
    build_dir,
    copy_root,
    equals_clean_build,
    headings,
    html_files,
    read_page,
    rebuild,
    warnings_of,
    write_files,
)

ROOT = "notebook-posts"
SPRING = "posts/2024-03-09-spring-tides"
NEAP = "posts/2024-04-02-neap-tides"
SURGE = "posts/storm-surge"
GAUGE = "posts/2024-07-15-gauge-readings"
HARBOUR = "posts/2024-06-01-harbour-notes"
POSTS = {SPRING, NEAP, SURGE, GAUGE, HARBOUR}


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory(ROOT)


def _excerpt_text(app, docname: str) -> str:
    return " ".join(node.astext() for node in ablog_post(app, docname)["excerpt"])


def test_myst_nb_listed_first_builds_warning_free(built):
    assert built.config.extensions[:3] == ["myst_nb", "ablog", "ablog_ext"]
    assert warnings_of(built) == []
    assert set(built.env.ablog_posts) == POSTS


def test_notebook_metadata_is_front_matter(built):
    spring = ablog_post(built, SPRING)
    assert spring["title"] == "Spring tides measured"
    assert spring["date"].date().isoformat() == "2024-03-09"
    assert [str(name) for name in spring["category"]] == ["Measurements"]
    assert sorted(str(name) for name in spring["tags"]) == ["gauges", "tides"]
    assert [str(name) for name in spring["author"]] == ["Ines Quay"]


def test_a_first_raw_cell_is_front_matter(built):
    neap = ablog_post(built, NEAP)
    assert neap["title"] == "Neap tides, quietly"
    assert neap["date"].isoformat() == "2024-04-02T08:30:00"
    assert sorted(str(name) for name in neap["category"]) == ["Measurements", "Notes"]
    assert [str(name) for name in neap["tags"]] == ["neap"]
    page = read_page(Path(built.outdir), f"{NEAP}.html")
    assert "title: Neap" not in page.get_text()


def test_text_notebook_front_matter(built):
    surge = ablog_post(built, SURGE)
    assert surge["title"] == "Storm surge: a text notebook"
    assert surge["date"].date().isoformat() == "2024-05-20"
    assert [str(name) for name in surge["category"]] == ["Storms"]
    assert blog_domain(built.env).posts[SURGE]["tags"] == ["surge", "tides"]


def test_markdown_post_under_myst_nb_keeps_jekyll_front_matter(built):
    harbour = ablog_post(built, HARBOUR)
    assert harbour["title"] == "Harbour notes in plain Markdown"
    assert [str(name) for name in harbour["category"]] == ["harbour"]
    assert _excerpt_text(built, HARBOUR) == (
        "A plain Jekyll-style post in a notebook blog keeps its front matter."
    )


@pytest.mark.parametrize("docname", sorted(POSTS))
def test_one_h1_the_front_matter_title(built, docname):
    page = read_page(Path(built.outdir), f"{docname}.html")
    assert headings(page, "h1") == [ablog_post(built, docname)["title"]]


def test_notebook_headings_sit_below_the_title(built):
    page = read_page(Path(built.outdir), f"{NEAP}.html")
    assert headings(page, "h2") == ["A heading inside the notebook"]
    spring = read_page(Path(built.outdir), f"{SPRING}.html")
    assert headings(spring, "h2") == ["How we measured"]


def test_outputs_are_on_the_post_page(built):
    outdir = Path(built.outdir)
    page = read_page(outdir, f"{SPRING}.html")
    images = [img["src"] for img in page.select("div.body img")]
    assert len(images) == 1
    assert (outdir / "posts" / images[0]).resolve().is_file()
    assert page.select("table.tide-table")
    assert "3.4" in page.select_one(".cell_output").get_text()


def test_excerpt_ends_at_the_separator_in_a_markdown_cell(built):
    assert _excerpt_text(built, SPRING) == (
        "The spring tides came in higher than the tables said, "
        "by a hand’s width at the north gauge."
    )


def test_automatic_excerpt_takes_no_output(built):
    assert _excerpt_text(built, NEAP) == "Neap tides barely moved the boats this week."


def test_excerpt_takes_an_output_when_the_separator_follows_it(built):
    excerpt = _excerpt_text(built, GAUGE)
    assert "Dawn readings" in excerpt
    assert "north 2.95 m" in excerpt
    assert "south gauge reads" not in excerpt
    index = read_page(Path(built.outdir), "index.html")
    assert "north 2.95 m" in index.get_text()
    assert "An output that is not the excerpt" not in index.get_text()
    # The output's image, in excerpts on pages at three depths (see test_no_broken_links).
    for page in ("index.html", "blog.html", "blog/tag/gauges.html"):
        excerpt_images = read_page(Path(built.outdir), page).select("div.body img")
        assert len(excerpt_images) == 1, page


def test_feeds_carry_notebook_posts_with_their_outputs(built):
    feed = feedparser.parse(Path(built.outdir, "blog", "atom.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    entries = {entry.title: entry for entry in feed.entries}
    spring = entries["Spring tides measured"]
    assert {tag.term for tag in spring.tags} == {"Measurements", "tides", "gauges"}
    content = spring.content[0].value
    sources = re.findall(r'<img[^>]*src="([^"]+)"', content)
    assert len(sources) == 1
    assert sources[0].startswith("https://tides.example.org/_images/")
    assert "tide-table" in content
    assert {"Neap tides, quietly", "Storm surge: a text notebook"} <= set(entries)


def test_theme_passage_in_a_markdown_cell_is_gathered(built):
    page = read_page(Path(built.outdir), "blog/theme/instruments.html").get_text()
    assert "The north gauge needs a new float." in page
    assert "Spring tides measured" in page


def test_review_counts_notebook_posts(built):
    text = read_page(Path(built.outdir), "blog/review/2024.html").get_text()
    for title in ("Spring tides measured", "Neap tides, quietly", "Gauge readings at dawn"):
        assert title in text


def test_a_notebook_that_is_not_a_post_stays_a_page(built):
    assert "guide" not in built.env.ablog_posts
    page = read_page(Path(built.outdir), "guide.html")
    assert headings(page, "h1") == ["Reading a tide gauge"]


def test_no_broken_links(built):
    assert broken_links(Path(built.outdir)) == set()


@pytest.mark.parametrize(
    "extensions",
    [["ablog_ext", "myst_nb", "ablog"], ["ablog", "ablog_ext", "myst_nb"]],
    ids=["ablog_ext-first", "myst_nb-last"],
)
def test_any_order_of_extensions(tmp_path, built, extensions):
    app = build_dir(copy_root(tmp_path, ROOT), confoverrides={"extensions": extensions})
    assert warnings_of(app) == []
    titles = {name: ablog_post(app, name)["title"] for name in app.env.ablog_posts}
    assert titles == {name: ablog_post(built, name)["title"] for name in built.env.ablog_posts}


def test_text_notebook_with_an_unquoted_date(tmp_path):
    # MyST-NB alone stops the build on it (its JSON writer fails on a date).
    srcdir = copy_root(tmp_path, ROOT)
    surge = srcdir / f"{SURGE}.md"
    text = surge.read_text(encoding="utf-8").replace('date: "2024-05-20"', "date: 2024-05-20 # May")
    # A problem in the body: its warning names the line the author wrote.
    line = len(text.splitlines()) + 2
    surge.write_text(text + "\n```{no-such-directive}\n```\n", encoding="utf-8")
    app = build_dir(srcdir)
    assert ablog_post(app, SURGE)["date"].date().isoformat() == "2024-05-20"
    found = warnings_of(app)
    assert len(found) == 1
    assert f"storm-surge.md:{line}:" in found[0]
    assert "no-such-directive" in found[0]


def test_parallel_build_writes_the_same_pages(tmp_path, built):
    app = build_dir(copy_root(tmp_path, ROOT), parallel=2)
    assert warnings_of(app) == []
    assert html_files(Path(app.outdir)) == html_files(Path(built.outdir))


def _notebook(metadata: dict, text: str) -> str:
    cell = {"cell_type": "markdown", "id": "only", "metadata": {}, "source": text}
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": [cell]})


def test_unpublished_and_future_notebooks_are_left_out(tmp_path):
    srcdir = write_files(
        copy_root(tmp_path, ROOT),
        {
            "posts/2024-08-01-hidden.ipynb": _notebook(
                {"title": "Hidden", "published": False}, "Not yet."
            ),
            "posts/2999-01-01-later.ipynb": _notebook({"title": "Later"}, "Far ahead."),
        },
    )
    app = build_dir(srcdir)
    assert set(app.env.ablog_posts) == POSTS
    assert not (Path(app.outdir) / "posts" / "2024-08-01-hidden.html").exists()
    assert not (Path(app.outdir) / "posts" / "2999-01-01-later.html").exists()


def _raw_cell_notebook(front_matter: str, text: str) -> str:
    """A notebook as Jupyter saves it: front matter in a first raw cell, each
    cell's source a list of lines."""
    cells = [
        {
            "cell_type": "raw",
            "id": "front",
            "metadata": {},
            "source": front_matter.splitlines(True),
        },
        {"cell_type": "markdown", "id": "body", "metadata": {}, "source": text.splitlines(True)},
    ]
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})


def test_raw_cell_front_matter_as_jupyter_saves_it_leaves_posts_out(tmp_path):
    srcdir = write_files(
        copy_root(tmp_path, ROOT),
        {
            "posts/2024-08-02-kept-back.ipynb": _raw_cell_notebook(
                "---\ntitle: Kept back\npublished: false\n---\n", "Not yet.\n"
            ),
            "posts/2999-01-02-far-off.ipynb": _raw_cell_notebook(
                "---\ntitle: Far off\ndate: 2999-01-02\n---\n", "Far ahead.\n"
            ),
        },
    )
    app = build_dir(srcdir)
    assert set(app.env.ablog_posts) == POSTS
    assert not (Path(app.outdir) / "posts" / "2024-08-02-kept-back.html").exists()
    assert not (Path(app.outdir) / "posts" / "2999-01-02-far-off.html").exists()
    assert [w for w in warnings_of(app) if "kept-back" in w or "far-off" in w] == []


@pytest.mark.parametrize(
    "shape",
    [
        {"metadata": 5, "cells": "x"},
        {"metadata": "x", "cells": ["x"]},
        {"metadata": {}, "cells": [{"cell_type": "raw", "metadata": "x", "source": "---"}]},
    ],
)
def test_a_notebook_of_an_odd_shape_does_not_stop_the_build(tmp_path, shape):
    odd = json.dumps({"nbformat": 4, "nbformat_minor": 5, **shape})
    srcdir = write_files(copy_root(tmp_path, ROOT), {"posts/2024-09-02-odd.ipynb": odd})
    app = build_dir(srcdir)
    assert set(app.env.ablog_posts) >= POSTS
    found = [line for line in warnings_of(app) if "2024-09-02-odd" in line]
    assert len(found) == 1 and "cannot be read as a notebook" in found[0], found


def test_a_broken_notebook_is_a_warning(tmp_path):
    srcdir = write_files(copy_root(tmp_path, ROOT), {"posts/2024-09-01-torn.ipynb": '{"cells": ['})
    app = build_dir(srcdir)
    found = [line for line in warnings_of(app) if "2024-09-01-torn" in line]
    assert len(found) == 1
    assert "cannot be read as a notebook" in found[0]
    assert set(app.env.ablog_posts) >= POSTS


def test_safe_posts_show_a_notebook_include_as_code(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not publish", encoding="utf-8")
    srcdir = write_files(
        copy_root(tmp_path, ROOT),
        {
            "posts/2024-09-02-reach.ipynb": _notebook(
                {"title": "Reach"}, f"Before.\n\n```{{include}} {secret}\n```\n"
            )
        },
    )
    app = build_dir(srcdir, confoverrides={"ablog_ext_safe_posts": True})
    page = Path(app.outdir, "posts", "2024-09-02-reach.html").read_text(encoding="utf-8")
    assert "do not publish" not in page
    assert any("2024-09-02-reach" in line for line in warnings_of(app))


def test_notebook_edit_rebuild_equals_clean_build(tmp_path):
    srcdir = copy_root(tmp_path, ROOT)
    build_dir(srcdir)
    notebook = srcdir / f"{SPRING}.ipynb"
    data = json.loads(notebook.read_text(encoding="utf-8"))
    data["metadata"]["tags"] = ["tides"]
    data["metadata"]["title"] = "Spring tides, measured again"
    notebook.write_text(json.dumps(data), encoding="utf-8")
    written, outdir = rebuild(srcdir, warning_free=True)
    assert f"{SPRING}.html" in written
    assert "Spring tides, measured again" in read_page(outdir, "index.html").get_text()
    listed = read_page(outdir, "blog/tag/gauges.html").select_one("div.body").get_text()
    assert "Gauge readings at dawn" in listed
    assert "Spring tides" not in listed
    assert equals_clean_build(srcdir, tmp_path / "clean") == ""


def test_a_title_written_twice_is_shown_once(tmp_path):
    notebook = _notebook(
        {"title": "Slack water"}, "# Slack water\n\nThe tide turned at noon without a ripple."
    )
    srcdir = write_files(copy_root(tmp_path, ROOT), {"posts/2024-10-01-slack.ipynb": notebook})
    app = build_dir(srcdir)
    assert warnings_of(app) == []
    page = read_page(Path(app.outdir), "posts/2024-10-01-slack.html")
    assert headings(page, "h1") == ["Slack water"]
    assert headings(page, "h2") == []
    assert _excerpt_text(app, "posts/2024-10-01-slack") == (
        "The tide turned at noon without a ripple."
    )


def test_post_auto_image_as_in_plain_ablog(tmp_path):
    # ABlog adds a post's first image (here a cell's output) after its excerpt.
    app = build_dir(copy_root(tmp_path, ROOT), confoverrides={"post_auto_image": 1})
    images = {
        name: [
            node for top in ablog_post(app, name)["excerpt"] for node in top.findall(nodes.image)
        ]
        for name in (SPRING, NEAP, GAUGE)
    }
    assert len(images[SPRING]) == 1
    assert images[NEAP] == []
    # Its excerpt shows the image already: not twice.
    assert len(images[GAUGE]) == 1
    index = read_page(Path(app.outdir), "index.html")
    assert len(index.select("div.body img")) == 2
    assert broken_links(Path(app.outdir)) == set()
