"""Jekyll-style posts built by Sphinx with ablog_ext: each front matter rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ablog_ext.blog.domain import blog_domain

from helpers import ablog_post, headings


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("jekyll")


def test_build_is_warning_free(built, warnings):
    assert warnings(built) == []


def test_title_nests_hash_sections(built, html):
    soup = html(built, "posts/2021-04-03-sections")
    assert soup.title.get_text().startswith("Sections under the title")
    assert headings(soup, "h1") == ["Sections under the title"]
    assert headings(soup, "h2") == ["Planning", "Shipping"]
    assert headings(soup, "h3") == ["Details"]
    assert built.env.titles["posts/2021-04-03-sections"].astext() == "Sections under the title"


def test_body_starting_at_h2(built, html, warnings):
    soup = html(built, "posts/2021-05-10-starts-at-h2")
    assert headings(soup, "h1") == ["Starts at level two"]
    assert headings(soup, "h2") == ["First part", "Second part"]
    assert not any("headings start at" in w for w in warnings(built))


def test_title_in_toctree_and_archives(built, html):
    index = html(built, "index")
    assert "Sections under the title" in index.get_text()
    archive = html(built, "blog")
    titles = [a.get_text(strip=True) for a in archive.select(".ablog-post-title a, h2 a")]
    assert "Starts at level two" in titles


def test_dates(built):
    assert ablog_post(built, "posts/2021-04-03-sections")["date"] == dt.datetime(2021, 4, 3)
    assert ablog_post(built, "posts/2021-05-10-starts-at-h2")["date"] == dt.datetime(
        2021, 5, 10, 8, 30
    )
    assert ablog_post(built, "posts/iso-dated")["date"] == dt.datetime(2021, 6, 1, 23, 15)
    assert ablog_post(built, "posts/2021-09-02-plain-date")["date"] == dt.datetime(2021, 9, 2)
    # The offset the author wrote is kept for feeds.
    records = blog_domain(built.env).posts
    assert records["posts/2021-05-10-starts-at-h2"]["date"] == "2021-05-10T08:30:00-05:00"
    assert records["posts/iso-dated"]["date"] == "2021-06-01T23:15:00+02:00"


def test_undated_post_is_a_draft(built, html):
    assert ablog_post(built, "posts/undated-draft")["date"] is None
    drafts = html(built, "blog/drafts").get_text()
    assert "A draft without a date" in drafts
    assert "A draft without a date" not in html(built, "blog").get_text()


def test_categories(built):
    assert ablog_post(built, "posts/2021-04-03-sections")["category"] == ["Career"]
    assert ablog_post(built, "posts/2021-05-10-starts-at-h2")["category"] == [
        "Engineering",
        "Notes",
    ]
    assert ablog_post(built, "posts/2021-07-04-more-separator")["category"] == [
        "Career",
        "Engineering",
    ]
    outdir = Path(built.outdir)
    assert {p.stem for p in (outdir / "blog/category").glob("*.html")} == {
        "career",
        "engineering",
        "notes",
    }


def test_tags(built):
    assert ablog_post(built, "posts/2021-04-03-sections")["tags"] == []
    assert ablog_post(built, "posts/iso-dated")["tags"] == ["team work", "Writing"]
    assert ablog_post(built, "posts/2021-05-10-starts-at-h2")["tags"] == ["python", "sphinx"]
    assert ablog_post(built, "posts/2021-09-02-plain-date")["tags"] == ["release", "notes"]
    tag_pages = {p.name for p in (Path(built.outdir) / "blog/tag").glob("*.html")}
    assert "team-work.html" in tag_pages
    assert ".html" not in tag_pages
    for info in built.env.ablog_posts.values():
        assert "" not in info[0]["tags"]


def test_unpublished_post_appears_nowhere(built):
    assert "posts/2021-09-01-unpublished" not in built.env.found_docs
    outdir = Path(built.outdir)
    assert not (outdir / "posts/2021-09-01-unpublished.html").exists()
    assert not (outdir / "blog/category/secret.html").exists()
    for path in outdir.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".txt", ".js"}:
            assert "Never published" not in path.read_text(encoding="utf-8", errors="replace"), path


def excerpt_of(app, docname):
    return " ".join(node.astext() for node in ablog_post(app, docname)["excerpt"])


def test_excerpts(built, html):
    assert excerpt_of(built, "posts/iso-dated") == "This paragraph is the excerpt."
    more = excerpt_of(built, "posts/2021-07-04-more-separator")
    assert "First paragraph" in more
    assert "Second paragraph" in more
    assert "After the separator" not in more
    assert (
        excerpt_of(built, "posts/2021-08-09-explicit-excerpt")
        == "A summary written in the front matter."
    )
    archive = html(built, "blog").get_text()
    assert "A summary written in the front matter." in archive
    assert "This paragraph is not in the excerpt." not in archive


def test_author_and_update(built, html):
    info = ablog_post(built, "posts/iso-dated")
    assert info["author"] == ["Ada"]
    assert info["update"] == dt.datetime(2021, 7, 2)
    assert (Path(built.outdir) / "blog/author/ada.html").exists()


def test_redirects_point_to_the_post(built):
    outdir = Path(built.outdir)
    cases = {
        "2021/08/09/explicit-excerpt.html": "../../../posts/2021-08-09-explicit-excerpt.html",
        "old/explicit/index.html": "../../posts/2021-08-09-explicit-excerpt.html",
        "explicit/index.html": "../posts/2021-08-09-explicit-excerpt.html",
        "plain/index.html": "../posts/2021-09-02-plain-date.html",
    }
    for page, target in cases.items():
        text = (outdir / page).read_text(encoding="utf-8")
        assert f'content="0; url={target}"' in text, page
        # The relative target resolves to the real page.
        assert (outdir / page).parent.joinpath(target).resolve().exists()


@pytest.mark.sphinx("html", testroot="jekyll", parallel=2)
def test_parallel_build_matches_serial(app, warnings, make_app, tmp_path):
    app.build()
    assert warnings(app) == []
    assert app.parallel == 2
    parallel_posts = {name: info[0]["title"] for name, info in app.env.ablog_posts.items()}
    assert len(parallel_posts) == 7
    assert set(blog_domain(app.env).posts) == set(parallel_posts)
