"""Every page right after any edit: the sidebars of pages whose source did not
change, and the pages of deleted posts.

Each test edits a built site, builds it again, and checks which pages were written
(by their files' modification times), what they show, and that the whole output
equals a clean build's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import (
    build_dir,
    copy_root,
    edit,
    equals_clean_build,
    read_page,
    rebuild,
    recent_titles,
)

NEWEST = "posts/2021-11-11-eighth"
OLDEST = "posts/2020-02-02-first"
#: Sphinx may write these whatever changed: its index and search pages (Sphinx 9,
#: on every build), and the root document (Sphinx 8, whenever it writes any).
SPHINX_WRITES = {"genindex.html", "search.html", "index.html"}


@pytest.fixture
def site(tmp_path) -> Path:
    src = copy_root(tmp_path, "fresh")
    build_dir(src)
    return src


def test_noop_rebuild_writes_nothing(site):
    written, _ = rebuild(site)
    assert written <= SPHINX_WRITES - {"index.html"}


def test_retitled_recent_post_shows_everywhere(site, tmp_path):
    edit(site / f"{NEWEST}.md", "The eighth post", "A retitled eighth post")
    written, outdir = rebuild(site)
    # Not read again, yet its recent posts show the new title.
    assert "A retitled eighth post" in recent_titles(outdir, f"{OLDEST}.html")
    assert "A retitled eighth post" in recent_titles(outdir, "blog/tag/writing.html")
    # The post before it shows it as "next".
    assert f"{OLDEST}.html" in written and "posts/2021-09-09-seventh.html" in written
    # The postlist page is read again, as every page showing other posts' content is.
    assert "recent.html" in written
    # No blog sidebar there (PyData theme, ablog_ext's default sidebars).
    assert "about.html" not in written
    assert equals_clean_build(site, tmp_path) == ""


def test_retitled_old_post_rewrites_only_the_pages_that_show_it(site, tmp_path):
    edit(site / f"{OLDEST}.md", "The first post", "A retitled first post")
    written, _ = rebuild(site)
    # Too old for any "recent posts": only its page, its next post (whose
    # "previous" it is), the posts whose related posts list it, and the archive
    # pages that list it.
    assert written - SPHINX_WRITES == {
        f"{OLDEST}.html",
        "posts/2020-06-10-second.html",
        # Posts whose related posts (3 at most) list it: the third and sixth share
        # its category Career, the sixth and eighth its tag python.
        "posts/2021-01-15-third.html",
        "posts/2021-07-07-sixth.html",
        "posts/2021-11-11-eighth.html",
        "blog.html",
        "blog/2020.html",
        "blog/archive.html",
        "blog/category.html",
        "blog/category/career.html",
        "blog/tag.html",
        "blog/tag/python.html",
        "blog/review/2020.html",
        # A page with a postlist is read again after any edit.
        "recent.html",
        # The redirect from its Jekyll URL shows its title.
        "career/2020/02/02/first.html",
    }
    assert equals_clean_build(site, tmp_path) == ""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("category: Life", "category: Career"),
        ("tags: []", "tags: [travel]"),
        ("title: The fifth post", "title: The fifth post\ndate: 2020-05-05"),
    ],
    ids=["category", "tag", "date"],
)
def test_sidebar_edits_rewrite_every_page_with_blog_sidebars(site, tmp_path, old, new):
    edit(site / "posts/2021-05-05-fifth.md", old, new)
    written, _ = rebuild(site)
    posts = {f"posts/{path.stem}.html" for path in (site / "posts").glob("*.md")}
    assert posts <= written
    assert "about.html" not in written
    assert equals_clean_build(site, tmp_path) == ""


def test_body_edit_rewrites_the_post_and_its_excerpts_only(site, tmp_path):
    edit(site / "posts/2021-03-20-fourth.md", "The fourth post's excerpt.", "A new excerpt.")
    written, outdir = rebuild(site)
    assert written - SPHINX_WRITES == {
        "posts/2021-03-20-fourth.html",
        # The archive pages that show its excerpt.
        "blog.html",
        "blog/2021.html",
        "blog/category/engineering.html",
        "blog/tag/docs.html",
        # A page with a postlist is read again after any edit.
        "recent.html",
        # The year in review counts its words.
        "blog/review/2021.html",
    }
    assert "A new excerpt." in read_page(outdir, "blog.html").get_text()
    assert equals_clean_build(site, tmp_path) == ""


def test_edit_below_the_excerpt_leaves_archive_pages_and_feeds_alone(site, tmp_path, monkeypatch):
    from ablog_ext.pages import feed_entries

    rendered: list[str] = []
    original = feed_entries.EntryRenderer.html_and_summary

    def html_and_summary(self, post, url):
        rendered.append(post.docname)
        return original(self, post, url)

    monkeypatch.setattr(feed_entries.EntryRenderer, "html_and_summary", html_and_summary)
    path = site / "posts/2021-03-20-fourth.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\nA second paragraph, below the excerpt.\n",
        encoding="utf-8",
    )
    written, outdir = rebuild(site)
    assert written - SPHINX_WRITES == {
        "posts/2021-03-20-fourth.html",
        "recent.html",
        "blog/review/2021.html",
    }
    assert rendered == [], "no feed entry rendered again"
    assert "below the excerpt" in read_page(outdir, "posts/2021-03-20-fourth.html").get_text()
    assert "below the excerpt" not in read_page(outdir, "blog.html").get_text()
    monkeypatch.undo()
    assert equals_clean_build(site, tmp_path) == ""


def test_new_post_and_draft(site, tmp_path):
    (site / "posts/2022-01-01-ninth.md").write_text(
        "---\ntitle: The ninth post\ncategory: Travel\n---\n\nNew.\n", encoding="utf-8"
    )
    written, outdir = rebuild(site)
    assert "The ninth post" in recent_titles(outdir, f"{OLDEST}.html")
    assert "about.html" not in written
    assert equals_clean_build(site, tmp_path) == ""
    # Made a draft: it leaves the lists, and its page moves.
    (site / "drafts").mkdir()
    (site / "posts/2022-01-01-ninth.md").rename(site / "drafts/ninth.md")
    written, outdir = rebuild(site)
    assert "The ninth post" not in recent_titles(outdir, f"{OLDEST}.html")
    assert (outdir / "drafts/ninth.html").is_file()
    assert not (outdir / "posts/2022-01-01-ninth.html").exists()
    assert equals_clean_build(site, tmp_path) == ""


def test_draft_post_card_follows_its_category(site, tmp_path):
    """A draft's card links its category only once a published post has it."""
    (site / "drafts").mkdir()
    (site / "drafts/travel.md").write_text(
        "---\ntitle: A draft\ncategory: Travel\n---\n\nSoon.\n", encoding="utf-8"
    )
    build_dir(site)
    card = read_page(site / "_build/html", "drafts/travel.html").select_one(".ablog__postcard")
    assert not card.select_one('a[href$="category/travel.html"]')
    edit(site / "posts/2021-05-05-fifth.md", "category: Life", "category: Travel")
    written, outdir = rebuild(site)
    assert "drafts/travel.html" in written
    card = read_page(outdir, "drafts/travel.html").select_one(".ablog__postcard")
    assert card.select_one('a[href$="category/travel.html"]')
    assert equals_clean_build(site, tmp_path) == ""


def test_deleted_post_leaves_no_page(site, tmp_path):
    (site / "posts/2021-01-15-third.md").unlink()
    _, outdir = rebuild(site)
    assert not (outdir / "posts/2021-01-15-third.html").exists()
    assert not (outdir / "_sources/posts/2021-01-15-third.md.txt").exists()
    # Its redirect went with it.
    assert not (outdir / "old/third/index.html").exists()
    assert "The third post" not in recent_titles(outdir, f"{OLDEST}.html")
    assert (outdir / "posts/2021-03-20-fourth.html").is_file()
    assert equals_clean_build(site, tmp_path) == ""


def test_renamed_post_leaves_a_redirect_at_its_old_address(site, tmp_path):
    old = site / "posts/2021-01-15-third.md"
    text = old.read_text(encoding="utf-8")
    old.unlink()
    (site / "posts/2021-01-15-renamed.md").write_text(
        text.replace("/old/third/", "/old/third/, /posts/2021-01-15-third.html"), encoding="utf-8"
    )
    _, outdir = rebuild(site)
    redirect = read_page(outdir, "posts/2021-01-15-third.html")
    assert redirect.select_one('meta[http-equiv="refresh"]')["content"].endswith(
        "2021-01-15-renamed.html"
    )
    assert not (outdir / "_sources/posts/2021-01-15-third.md.txt").exists()
    assert (outdir / "_sources/posts/2021-01-15-renamed.md.txt").is_file()
    assert equals_clean_build(site, tmp_path) == ""


def test_deleted_post_leaves_no_folder_with_dirhtml(tmp_path):
    src = copy_root(tmp_path, "fresh")
    build_dir(src, buildername="dirhtml")
    outdir = src / "_build/dirhtml"
    assert (outdir / "posts/2021-01-15-third/index.html").is_file()
    (src / "posts/2021-01-15-third.md").unlink()
    build_dir(src, buildername="dirhtml")
    assert not (outdir / "posts/2021-01-15-third").exists()
    assert (outdir / "posts/2021-03-20-fourth/index.html").is_file()
    assert equals_clean_build(src, tmp_path, buildername="dirhtml") == ""


def test_parallel_writes_are_recorded(tmp_path):
    """Pages written by ``-j`` worker processes keep what they read too."""
    src = copy_root(tmp_path, "fresh")
    build_dir(src, parallel=3)
    edit(src / f"{OLDEST}.md", "The first post", "A retitled first post")
    written, outdir = rebuild(src, parallel=3)
    # The fourth shows nothing of it (the sixth lists it among its related posts).
    assert "posts/2021-03-20-fourth.html" not in written
    assert "posts/2021-07-07-sixth.html" in written
    assert "posts/2020-06-10-second.html" in written
    edit(src / f"{NEWEST}.md", "The eighth post", "A retitled eighth post")
    written, outdir = rebuild(src, parallel=3)
    assert "A retitled eighth post" in recent_titles(outdir, "posts/2021-07-07-sixth.html")
    assert not list((src / "_build/doctrees/ablog_ext_reads").glob("*"))
    assert equals_clean_build(src, tmp_path) == ""


def test_any_theme_any_sidebar(tmp_path):
    """Alabaster with ABlog's sidebars on every page: every page follows."""
    src = copy_root(tmp_path, "fresh")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(
            'html_theme = "alabaster"\n'
            'html_sidebars = {"**": ["ablog/recentposts.html", "ablog/tagcloud.html"]}\n'
        )
    build_dir(src)
    edit(src / f"{NEWEST}.md", "The eighth post", "A retitled eighth post")
    written, outdir = rebuild(src)
    assert "about.html" in written
    assert "A retitled eighth post" in recent_titles(outdir, "about.html")
    assert equals_clean_build(src, tmp_path) == ""


def test_after_a_failed_build(site, tmp_path):
    """A build that fails while writing leaves pages written and others not: the
    next one writes every page, and still removes the page of a post deleted
    before the failure."""
    with (site / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(
            "import os\n"
            "def _fail(app):\n"
            "    if os.environ.get('FRESH_FAIL'):\n"
            "        raise RuntimeError('stop')\n"
            "    yield from ()\n"
            "def setup(app):\n"
            "    app.connect('html-collect-pages', _fail)\n"
        )
    build_dir(site)
    (site / "posts/2021-01-15-third.md").unlink()
    edit(site / f"{NEWEST}.md", "The eighth post", "A retitled eighth post")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRESH_FAIL", "1")
        with pytest.raises(Exception, match="stop"):
            build_dir(site)
    written, outdir = rebuild(site)
    assert {"about.html", f"{OLDEST}.html"} <= written
    assert not (outdir / "posts/2021-01-15-third.html").exists()
    assert equals_clean_build(site, tmp_path) == ""


def test_unknown_state_rewrites_every_page(site, tmp_path):
    """Without the last build's records (removed, or an interrupted build), every
    page is written again: correctness first."""
    (site / "_build/doctrees/ablog_ext_generated.json").unlink()
    written, _ = rebuild(site)
    assert {"about.html", "index.html", f"{OLDEST}.html", "blog.html"} <= written
    records = json.loads((site / "_build/doctrees/ablog_ext_generated.json").read_text())
    assert "about.html" in records["reads"]
    assert equals_clean_build(site, tmp_path) == ""
