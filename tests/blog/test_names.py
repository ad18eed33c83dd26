"""Names ABlog writes to the same page (``Python``, ``python``, ``PYTHON``) are one
archive with every post, one spelling and one warning, in full, incremental and
parallel builds, for Markdown posts and ABlog's own ``post`` directive alike."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from ablog_ext.blog.queries import listed_posts

from helpers import build_dir, copy_root, main_text

PYTHON_POSTS = {"Post A", "Post B", "Post C", "Post R"}


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("names")


def listed_titles(app, pagename):
    soup = main_text(
        __import__("bs4").BeautifulSoup(
            Path(app.outdir, pagename + ".html").read_text(encoding="utf-8"), "html.parser"
        )
    )
    return {a.get_text(strip=True) for a in soup.select(".ablog-post-title a")}


def name_warnings(app, warnings):
    return [w for w in warnings(app) if "[ablog_ext.names]" in w]


def test_one_archive_with_every_post(built):
    assert listed_titles(built, "blog/tag/python") == PYTHON_POSTS
    assert listed_titles(built, "blog/tag/team-work") == {"Post D", "Post E"}
    assert listed_titles(built, "blog/category/engineering") == {
        "Post A",
        "Post B",
        "Post C",
        "Post R",
    }


def test_one_spelling_the_most_used(built, html):
    page = html(built, "blog/tag/python")
    assert "Posts tagged python" in page.title.get_text()
    # A tie is broken by sorted order: 'Team Work' before 'team-work'.
    assert "Posts tagged Team Work" in html(built, "blog/tag/team-work").title.get_text()
    for info in built.env.ablog_posts.values():
        assert set(info[0]["tags"]) <= {"python", "docs", "Team Work"}
        assert set(info[0]["category"]) <= {"Engineering"}
    # ablog_ext's own view (reviews, feeds) agrees.
    for post in listed_posts(built.env):
        assert set(post.tags) <= {"python", "docs", "Team Work"}
        assert set(post.categories) <= {"Engineering"}
    feed = feedparser.parse(Path(built.outdir, "blog/category/engineering/atom.xml"))
    assert {entry.title for entry in feed.entries} == PYTHON_POSTS


def test_one_warning_names_every_collision_and_a_post_of_each(built, warnings):
    """One warning for all of them: a blog moved from Jekyll, where ``Python`` and
    ``python`` are two tags, may have many (dask's has five)."""
    found = name_warnings(built, warnings)
    assert len(found) == 1, found
    warning = found[0]
    assert "posts/2020-01-02-b.md:3: WARNING: " in warning
    for text in (
        "the tag names 'python' (2 posts), 'PYTHON' (1 post), 'Python' (1 post) share "
        "one page (blog/tag/python.html), which lists all their posts as 'python' "
        "(another spelling: posts/2020-01-01-a.md:4)",
        "'Team Work' (1 post), 'team-work' (1 post) share one page (blog/tag/team-work.html)",
        "(another spelling: posts/2020-01-05-e.md:3)",
        "the category names 'Engineering' (3 posts), 'engineering' (1 post) share one page",
        "Write each name one way to silence this",
    ):
        assert text in warning, (text, warning)


def test_the_list_of_tags_has_each_page_once(built, html):
    catalog = " ".join(main_text(html(built, "blog/tag")).get_text(" ").split())
    headers = re.findall(r"Posts tagged (\w[\w ]*?) \d", catalog)
    assert headers == ["Team Work", "docs", "python"]
    python = catalog.split("Posts tagged python", 1)[1]
    assert sorted(re.findall(r"Post [A-Z]", python)) == sorted(PYTHON_POSTS)


def test_incremental_build_chooses_as_a_clean_one(tmp_path):
    srcdir = copy_root(tmp_path, "names")
    build_dir(srcdir)
    post = srcdir / "posts/2020-01-03-c.md"
    post.write_text(post.read_text(encoding="utf-8").replace("[python]", "[other]"))
    app = build_dir(srcdir)
    # Now one post each: 'PYTHON' comes first in sorted order.
    assert listed_titles(app, "blog/tag/python") == {"Post A", "Post B", "Post R"}
    assert "Posts tagged PYTHON" in Path(app.outdir, "blog/tag/python.html").read_text(
        encoding="utf-8"
    )
    assert app.env.ablog_posts["posts/2020-01-02-b"][0]["tags"] == ["PYTHON"]
    clean = build_dir(srcdir, freshenv=True)
    for docname, info in clean.env.ablog_posts.items():
        assert app.env.ablog_posts[docname][0]["tags"] == info[0]["tags"], docname
    post.write_text(post.read_text(encoding="utf-8").replace("[other]", "[python]"))
    again = build_dir(srcdir)
    assert again.env.ablog_posts["posts/2020-01-02-b"][0]["tags"] == ["python"]


@pytest.mark.sphinx("html", testroot="names", parallel=2)
def test_parallel_build_merges_the_same_way(app, warnings):
    app.build()
    assert app.parallel == 2
    assert listed_titles(app, "blog/tag/python") == PYTHON_POSTS
    assert len(name_warnings(app, warnings)) == 1
