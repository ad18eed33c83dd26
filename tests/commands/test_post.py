"""``ablog-ext post TITLE``: a post file dated today, in the folder the site's
``blog_post_pattern`` reads, with front matter that reads back as written; never
an overwrite, never a file outside the site, and one-line errors."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ablog_ext.commands.new_post import SLUG_BYTES, front_matter, post_slug
from ablog_ext.jekyll.frontmatter import clean_text, read_front_matter

from helpers import read_page, run_cli, sphinx_build_w, write_files

TODAY = dt.datetime.now(dt.UTC).date().isoformat()


def is_slug(text: str) -> bool:
    """Letters, marks and digits of any script, single ``-`` between them."""
    kept = [unicodedata.category(ch)[0] in "LM" or ch.isdecimal() for ch in text if ch != "-"]
    return all(kept) and "" not in text.split("-")


def small_site(root: Path, conf: str = "blog_post_pattern = 'posts/*'\n") -> Path:
    """A folder with only a conf.py: enough for ``post``, which runs conf.py and
    builds nothing."""
    return write_files(root, {"conf.py": conf})


def posted(site: Path, *argv: str) -> Path:
    code, out, err = run_cli("post", *argv, "--site", site)
    assert (code, err) == (0, ""), err
    path = Path(out.strip())
    assert out.count("\n") == 1 and path.is_file()
    return path


def front(path: Path) -> dict:
    """The front matter as ablog_ext reads it, and as plain YAML reads it: the same."""
    text = path.read_text(encoding="utf-8")
    block = read_front_matter(text)
    assert block.error is None
    assert yaml.safe_load(text.split("---\n")[1]) == block.data
    return block.data


ODD_TITLES = {
    "Café: déjà vu": "cafe-deja-vu",
    "He said \"no\" & 'yes' # not a comment": "he-said-no-yes-not-a-comment",
    "key: value: more": "key-value-more",
    "日本語のタイトル": "日本語のタイトル",
    "हिन्दी भाषा": "हिन्दी-भाषा",
    "Tiếng Việt": "tieng-viet",
    "한국어 제목": "한국어-제목",
    "Ünïcödé 🎉 party": "unicode-party",
    "yes": "yes",
    "null": "null",
    "2026-01-01": "2026-01-01",
    "- [a] {b} *c* &d !e %f @g `h` | > ---": "a-b-c-d-e-f-g-h",
    "C++ & C#": "c-c",
}


@pytest.mark.parametrize("title", ODD_TITLES)
def test_odd_titles_give_a_slug_and_yaml_that_reads_back(tmp_path, title):
    site = small_site(tmp_path)
    path = posted(site, title)
    assert path.name == f"{TODAY}-{ODD_TITLES[title]}.md"
    assert path.parent == site / "posts"
    assert front(path) == {"title": title}


@pytest.mark.parametrize("title", ["🎉🎉🎉", "!!!", "—"])
def test_a_title_without_letters_gets_a_digest(tmp_path, title):
    path = posted(small_site(tmp_path), title)
    assert re.fullmatch(rf"{TODAY}-post-[0-9a-f]{{8}}\.md", path.name)
    assert front(path)["title"] == title


def test_a_very_long_title(tmp_path):
    title = "A very long title " * 40 + "ünd ☃"
    site = small_site(tmp_path)
    code, out, err = run_cli("post", title, "--site", site)
    assert code == 0
    assert err == (
        "ablog-ext post: note: the title is 725 characters long; "
        "the build warns about titles over 300\n"
    )
    path = Path(out.strip())
    slug = path.stem.removeprefix(f"{TODAY}-")
    assert is_slug(slug) and len(slug.encode("utf-8")) <= SLUG_BYTES
    assert slug.startswith("a-very-long-title-a-very")
    assert front(path)["title"] == clean_text(title)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=300), st.lists(st.text(max_size=20), max_size=3))
def test_any_title_gives_a_slug_and_front_matter_that_reads_back(title, tags):
    slug = post_slug(title)
    assert is_slug(slug), slug
    assert len(slug.encode("utf-8")) <= SLUG_BYTES
    title = clean_text(title) or "x"
    tags = [clean_text(tag) for tag in tags if clean_text(tag)]
    text = front_matter(title, ["News: x"], tags, draft=True) + "\nBody.\n"
    block = read_front_matter(text)
    assert block.error is None, block.error
    expected = {"title": title, "category": "News: x", "published": False}
    assert block.data == expected | ({"tags": tags} if tags else {})


def test_flags_become_front_matter(tmp_path):
    site = small_site(tmp_path)
    path = posted(site, "Flags", "--category", "How-to", "--tags", "a, b,,a", "--tags", "c")
    assert front(path) == {"title": "Flags", "category": "How-to", "tags": ["a", "b", "c"]}
    again = posted(site, "Two", "--category", "A", "--category", "B: c", "--draft")
    assert front(again) == {"title": "Two", "categories": ["A", "B: c"], "published": False}


def test_never_overwrites(tmp_path):
    site = small_site(tmp_path)
    path = posted(site, "Hello")
    path.write_text("my words", encoding="utf-8")
    for title in ("Hello", "hello!"):
        code, out, err = run_cli("post", title, "--site", site)
        assert code == 2 and out == "" and err.count("\n") == 1
        assert "exists: a post of that title was written today" in err
    (site / "posts" / f"{TODAY}-other.rst").write_text("x", encoding="utf-8")
    code, _, err = run_cli("post", "Other", "--site", site)
    assert code == 2 and "-other.rst exists" in err
    assert path.read_text(encoding="utf-8") == "my words"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, f"{TODAY}-other.rst"]


def test_the_folder_follows_blog_post_pattern(tmp_path):
    site = small_site(
        tmp_path,
        "blog_post_pattern = ['drafts/*', 'articles/**/*.md']\nablog_ext_drafts = ['drafts/*']\n",
    )
    path = posted(site, "Where")
    assert path == site / "articles" / f"{TODAY}-where.md"


def test_the_date_is_today_in_the_sites_time_zone(tmp_path):
    """Kiritimati (UTC+14) and Baker Island's zone (UTC-12) are a day apart for 22
    hours of every day: the date is the one the build reads in the site's zone."""
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        conf = f"blog_post_pattern = 'posts/*'\nablog_ext_timezone = {zone!r}\n"
        site = small_site(tmp_path / zone.replace("/", "-"), conf)
        path = posted(site, "Zoned")
        assert path.name == f"{dt.datetime.now(ZoneInfo(zone)).date().isoformat()}-zoned.md"


def test_inside_a_site_and_below_it(tmp_path, monkeypatch):
    site = small_site(tmp_path / "site")
    (site / "posts").mkdir()
    monkeypatch.chdir(site / "posts")
    code, out, err = run_cli("post", "From below")
    assert (code, err) == (0, "")
    assert out == f"../posts/{TODAY}-from-below.md\n"
    assert (site / "posts" / f"{TODAY}-from-below.md").is_file()
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("post", "Nowhere")
    assert code == 2 and "no conf.py in this folder or above it" in err


# -- nothing outside the site, and one-line errors -----------------------------------------


@pytest.mark.parametrize(
    ("conf", "message"),
    [
        ("blog_post_pattern = '../outside/*'\n", "points outside the site"),
        ("blog_post_pattern = ['posts/../../outside/*']\n", "points outside the site"),
        ("blog_post_pattern = '/tmp/outside/*'\n", "points outside the site"),
        ("x = 1\n", "conf.py sets no blog_post_pattern"),
        ("blog_post_pattern = 'posts/*.rst'\n", "matches a post named"),
        ("raise RuntimeError('broken on purpose')\n", "RuntimeError: broken on purpose"),
        ("blog_post_pattern = [\n", "syntax error"),
        ("import sys\nsys.exit(3)\n", "called sys.exit()"),
    ],
)
def test_errors_are_one_line_and_nothing_is_written(tmp_path, conf, message):
    site = small_site(tmp_path / "site", conf)
    code, out, err = run_cli("post", "Title", "--site", site)
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert err.startswith("ablog-ext post: error: ") and message in err
    assert "Traceback" not in err
    assert [p.name for p in site.iterdir()] == ["conf.py"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_posts_folder_that_links_out_is_refused(tmp_path):
    site = small_site(tmp_path / "site")
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", site / "posts")
    code, _, err = run_cli("post", "Out", "--site", site)
    assert code == 2 and "is a symbolic link; post does not write through links" in err
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_post_file_that_is_a_link_is_not_followed(tmp_path):
    site = small_site(tmp_path / "site")
    (site / "posts").mkdir()
    target = tmp_path / "target.md"
    os.symlink(target, site / "posts" / f"{TODAY}-linked.md")
    code, _, err = run_cli("post", "Linked", "--site", site)
    assert code == 2 and err.count("\n") == 1
    assert not target.exists()


@pytest.mark.parametrize("title", ["", "   ", "\x1b\x07"])
def test_an_empty_title(tmp_path, title):
    code, _, err = run_cli("post", title, "--site", small_site(tmp_path))
    assert code == 2 and "the title is empty" in err


# -- a new site and a post, built ----------------------------------------------------------


def test_a_post_in_a_new_site_builds_and_is_listed(tmp_path):
    site = tmp_path / "blog"
    assert run_cli("new", site)[0] == 0
    path = posted(site, "Second: a “post”", "--category", "Essays", "--tags", "x, y")
    draft = posted(site, "Not yet", "--category", "Essays", "--draft")
    status, output = sphinx_build_w(site)
    assert status == 0, output
    outdir = site / "_build" / "html"
    blog = read_page(outdir, "blog.html")
    page = f"posts/{path.stem}.html"
    entry = blog.select_one(f'article .ablog-post-title a[href="{page}"]').find_parent(
        class_="ablog-post"
    )
    assert "Second: a “post”" in entry.get_text()
    assert entry.select_one('a[href="blog/category/essays.html"]').get_text(strip=True) == "Essays"
    assert "Not yet" not in blog.get_text()
    assert not (outdir / "posts" / f"{draft.stem}.html").exists()
    category = read_page(outdir, "blog/category/essays.html")
    assert category.select_one(f'a[href="../../{page}"]') is not None
