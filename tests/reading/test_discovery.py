"""Which files are posts: every Jekyll Markdown suffix is read, a file that looks
like a post and is not read gets a warning saying why, future posts wait as in
Jekyll, and drafts stay drafts whatever their date."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import feedparser
import pytest

from ablog_ext.blog.domain import blog_domain

from helpers import build_site

SUFFIX_POSTS = {
    "posts/2019-01-01-plain": "Plain md",
    "posts/2019-01-02-long": "Long suffix",
    "posts/2019-01-03-mk": "Mkdown suffix",
    "posts/2019-01-04-mkdn": "Mkdn suffix",
    "posts/2019-01-05-mkd": "Mkd suffix",
}
FUTURE = ["posts/2099-01-01-far-away", "posts/2019-06-01-end-of-time", "hidden-future"]


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("postfiles")


def source_warnings(app, warnings):
    return [w for w in warnings(app) if "[ablog_ext.source]" in w]


def test_every_jekyll_markdown_suffix_is_a_post(built):
    posts = built.env.ablog_posts
    for docname, title in SUFFIX_POSTS.items():
        assert posts[docname][0]["title"] == title
        assert posts[docname][0]["date"] is not None
        assert Path(built.outdir, f"{docname}.html").is_file()
    blog = Path(built.outdir, "blog.html").read_text(encoding="utf-8")
    for title in SUFFIX_POSTS.values():
        assert title in blog
    assert built.config.source_suffix[".markdown"] == "markdown"


def test_each_file_that_is_not_read_gets_a_warning(built, warnings):
    found = source_warnings(built, warnings)
    expected = {
        "posts/2019-02-01-html-post.html": "Sphinx does not read '.html' files",
        "posts/2019-02-02-textile.textile": "Sphinx does not read '.textile' files",
        "posts/2019-04-01-excluded.md": "exclude_patterns leaves it out",
        # Jekyll reads the subfolders of _posts too.
        "posts/2019/2019-07-01-nested.md": "blog_post_pattern ('posts/*', 'drafts/*') does not "
        "match it; use 'posts/**' to take its subfolders too",
    }
    assert len(found) == len(expected), found
    for path, reason in expected.items():
        pattern = rf"{re.escape(path)}:1: WARNING: {re.escape(path)} is not read as a post: .*"
        assert any(re.search(pattern + re.escape(reason), w) for w in found), (path, found)
    # Images, notes and unpublished or future posts are no reason to warn.
    text = "\n".join(found)
    for name in ("png", "notes.txt", "unpublished", "far-away", "end-of-time"):
        assert name not in text


def test_a_pattern_with_a_suffix_is_told_to_take_every_suffix(tmp_path, warnings):
    app = build_site(
        tmp_path, "postfiles", confoverrides={"blog_post_pattern": ["posts/*.md", "drafts/*"]}
    )
    found = source_warnings(app, warnings)
    for docname in list(SUFFIX_POSTS)[1:]:
        assert docname not in app.env.ablog_posts
        assert any(
            docname in w
            and "blog_post_pattern ('posts/*.md', 'drafts/*') does not match it; "
            "use 'posts/*' to take every suffix"
            in w
            for w in found
        ), (docname, found)
    assert "posts/2019-01-01-plain" in app.env.ablog_posts


def test_source_suffix_of_conf_py_wins(tmp_path):
    app = build_site(
        tmp_path,
        "postfiles",
        confoverrides={"source_suffix": {".rst": "restructuredtext", ".mkd": "restructuredtext"}},
    )
    assert app.config.source_suffix[".mkd"] == "restructuredtext"
    assert app.config.source_suffix[".mkdn"] == "markdown"


def test_future_posts_are_left_out_like_unpublished_ones(built):
    status = built.status.getvalue()
    assert (
        "leaving out 3 post(s) dated after the build; set ablog_ext_future = True to publish them"
        in status
    )
    assert "leaving out 1 unpublished post(s)" in status
    outdir = Path(built.outdir)
    for docname in [*FUTURE, "posts/2019-05-01-unpublished"]:
        assert docname not in built.env.found_docs
        assert not (outdir / f"{docname}.html").exists()
    for path in outdir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "Far away" not in text and "The end of time" not in text, path


def test_with_ablog_ext_future_they_are_published_everywhere(tmp_path):
    from ablog.blog import Blog

    app = build_site(tmp_path, "postfiles", confoverrides={"ablog_ext_future": True})
    outdir = Path(app.outdir)
    for docname in FUTURE:
        assert (outdir / f"{docname}.html").is_file()
    blog = Blog(app)
    assert {post.docname for post in blog.posts} >= set(FUTURE)
    assert "Far away" in (outdir / "blog.html").read_text(encoding="utf-8")
    assert (outdir / "blog/review/2099.html").is_file()
    assert (outdir / "blog/review/9999.html").is_file()
    titles = [entry.title for entry in feedparser.parse(outdir / "blog/atom.xml").entries]
    assert "The end of time" in titles and "Far away" in titles


def test_drafts_are_drafts_whatever_their_date(built, html):
    from ablog.blog import Blog
    from ablog.post import register_posts

    blog = Blog(built)
    if not blog:
        # Other builds ran since: ABlog's one shared blog starts afresh for this app.
        register_posts(built)
    drafts = {post.docname for post in blog.drafts}
    assert drafts == {"drafts/dated-draft", "drafts/future-draft"}
    assert not {post.docname for post in blog.posts} & drafts
    drafts_page = html(built, "blog/drafts").get_text()
    assert "A draft with a date" in drafts_page and "Future draft" in drafts_page
    assert "A draft with a date" not in html(built, "blog").get_text()
    assert not Path(built.outdir, "blog/category/drafts.html").exists()
    assert blog_domain(built.env).posts["drafts/dated-draft"]["date"] is None
    for entry in feedparser.parse(Path(built.outdir, "blog/atom.xml")).entries:
        assert entry.title not in {"A draft with a date", "Future draft"}
    assert not Path(built.outdir, "blog/review/2099.html").exists()


@pytest.mark.parametrize(
    ("now", "published"),
    [("2030-06-01T11:59:59+00:00", False), ("2030-06-01T12:00:00+00:00", True)],
)
def test_future_is_the_build_time_and_abLog_agrees(tmp_path, monkeypatch, now, published):
    """A post is future until its date and time, in the site's zone; ABlog, which
    would compare it with tomorrow on the machine's clock, agrees."""
    from ablog.blog import Blog

    epoch = int(dt.datetime.fromisoformat(now).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    from helpers import build_dir, write_files

    files = {
        "conf.py": 'extensions = ["ablog_ext"]\nblog_post_pattern = "posts/*"\n'
        'ablog_ext_timezone = "Asia/Tokyo"\n',
        "index.md": "# Home\n",
        # 21:00 in Tokyo is 12:00 UTC (in quotes: unquoted, a YAML timestamp is UTC).
        "posts/2030-06-01-noon.md": (
            '---\ntitle: At noon UTC\ndate: "2030-06-01 21:00:00"\n---\n\nText.\n'
        ),
        "posts/2030-05-01-earlier.md": "---\ntitle: Earlier\n---\n\nText.\n",
    }
    app = build_dir(write_files(tmp_path / "site", files))
    assert ("posts/2030-06-01-noon" in app.env.found_docs) is published
    blog = Blog(app)
    # ABlog's own rule would make a 2030 post a draft today; both are published.
    published_posts = {post.docname for post in blog.posts}
    assert "posts/2030-05-01-earlier" in published_posts
    assert ("posts/2030-06-01-noon" in published_posts) is published
    assert not blog.drafts


def test_a_rebuild_reads_front_matter_only_of_changed_files(tmp_path, monkeypatch):
    from ablog_ext.reading import discovery as postfiles

    from helpers import build_dir, copy_root

    src = copy_root(tmp_path, "postfiles")
    build_dir(src)
    read: list[str] = []
    original = postfiles._read_facts

    def counted(path, *args):
        read.append(path.name)
        return original(path, *args)

    monkeypatch.setattr(postfiles, "_read_facts", counted)
    app = build_dir(src)
    assert read == []
    assert "leaving out 3 post(s) dated after the build" in app.status.getvalue()
    assert "leaving out 1 unpublished post(s)" in app.status.getvalue()

    plain = src / "posts/2019-01-01-plain.md"
    plain.write_text(
        plain.read_text(encoding="utf-8").replace("---\n\n", "published: false\n---\n\n", 1),
        encoding="utf-8",
    )
    far = src / "posts/2099-01-01-far-away.md"
    far.write_text(
        far.read_text(encoding="utf-8").replace("---\n\n", "date: 2019-07-01\n---\n\n", 1),
        encoding="utf-8",
    )
    app = build_dir(src)
    assert sorted(read) == ["2019-01-01-plain.md", "2099-01-01-far-away.md"]
    assert "leaving out 2 unpublished post(s)" in app.status.getvalue()
    assert "leaving out 2 post(s) dated after the build" in app.status.getvalue()
    assert "posts/2019-01-01-plain" not in app.env.found_docs
    assert "posts/2099-01-01-far-away" in app.env.found_docs
