"""Atom, RSS and JSON feeds, checked with a real feed parser."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from helpers import build_dir, copy_root, edit, equals_clean_build, rebuild, write_files

BASE = "https://feeds.example.org/site/"
FEED_FILES = ("atom.xml", "rss.xml", "feed.json")


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("feeds")


def feed_paths(outdir: Path) -> list[Path]:
    return sorted(p for p in Path(outdir, "blog").rglob("*") if p.name in FEED_FILES)


def parse(path: Path):
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return parsed


def titles(path: Path) -> list[str]:
    parsed = parse(path)
    if path.suffix == ".json":
        return [item["title"] for item in parsed["items"]]
    return [entry.title for entry in parsed.entries]


def test_every_feed_is_well_formed(built):
    paths = feed_paths(built.outdir)
    relative = {str(p.relative_to(built.outdir)) for p in paths}
    assert relative == {
        f"blog/{sub}{name}"
        for sub in ("", "category/release-notes/", "category/how-to/")
        for name in FEED_FILES
    }
    for path in paths:
        parse(path)


def test_only_ablog_ext_writes_the_main_atom_feed(built):
    atom = Path(built.outdir, "blog/atom.xml").read_text(encoding="utf-8")
    assert 'version="0.1.0">ablog-ext</generator>' in atom
    assert "ABlog" not in atom


HOSTILE = "<script>alert(1)</script> ]]> & friends \U0001f600 bell"


@pytest.mark.parametrize("name", FEED_FILES)
def test_entry_sets_per_category(built, name):
    outdir = Path(built.outdir)
    assert titles(outdir / "blog/category/release-notes" / name) == ["First post"]
    assert titles(outdir / "blog/category/how-to" / name) == [HOSTILE, "Second post"]
    assert titles(outdir / "blog" / name) == [HOSTILE, "Second post", "First post"]


def test_drafts_future_and_unpublished_never_appear(built):
    for path in feed_paths(built.outdir):
        text = path.read_text(encoding="utf-8")
        for phrase in (
            "must not be in feeds",
            "Not yet",
            "A draft",
            "From the future",
            "Unpublished",
        ):
            assert phrase not in text, (path, phrase)


def test_escaping_and_dropped_characters(built, warnings):
    for path in feed_paths(built.outdir):
        raw = path.read_text(encoding="utf-8")
        assert "\x07" not in raw
        if path.suffix == ".json":
            # Titles are plain text in JSON; HTML content must be escaped.
            for item in json.loads(raw)["items"]:
                assert "<script>" not in item.get("content_html", "")
        else:
            assert "<script>" not in raw
    parsed = parse(Path(built.outdir, "blog/atom.xml"))
    hostile = parsed.entries[0]
    assert hostile.title_detail.value == HOSTILE
    assert "]]> and & and <b>markup</b>" in hostile.summary
    found = warnings(built)
    assert any(
        "2023-03-12-hostile.md:2: WARNING: 'title' has characters HTML and XML cannot carry" in w
        for w in found
    )


def test_dates_carry_offsets_and_feed_updated_is_newest_entry(built):
    parsed = parse(Path(built.outdir, "blog/category/how-to/atom.xml"))
    second = parsed.entries[1]
    # conf.py sets ablog_ext_timezone (New York, UTC-5 in winter): dates written
    # with another offset (09:30 +0100) are given in it, as Jekyll's `timezone` does.
    assert second.published == "2023-02-11T03:30:00-05:00"
    assert second.updated == "2023-03-01T06:00:00-05:00"
    # A date without an offset is in the site's zone.
    assert parsed.entries[0].published == "2023-03-12T00:00:00-05:00"
    assert parsed.feed.updated == "2023-03-12T00:00:00-05:00"
    rss = parse(Path(built.outdir, "blog/category/how-to/rss.xml"))
    assert rss.entries[1].published == "Sat, 11 Feb 2023 03:30:00 -0500"
    data = parse(Path(built.outdir, "blog/category/how-to/feed.json"))
    assert data["items"][1]["date_published"] == "2023-02-11T03:30:00-05:00"
    assert data["items"][1]["date_modified"] == "2023-03-01T06:00:00-05:00"


def test_entries_have_absolute_links_ids_authors_and_categories(built):
    parsed = parse(Path(built.outdir, "blog/category/release-notes/atom.xml"))
    (entry,) = parsed.entries
    url = BASE + "posts/2023-01-10-first.html"
    assert entry.link == url
    assert entry.id == url
    assert entry.author_detail.name == "Ada Lovelace"
    assert {tag.term for tag in entry.tags} == {"Release notes", "release"}
    content = entry.content[0].value
    assert 'href="https://feeds.example.org/site/about.html"' in content
    assert 'src="https://feeds.example.org/site/_images/dot.png"' in content
    for attribute in re.findall(r'(?:href|src)="([^"]*)"', content):
        assert attribute.startswith(BASE), attribute
    # blog_feed_fulltext: the whole post, its sections as <h2>, no title, no permalink marks.
    assert "More text in the full post." in content
    assert "<h2>Details</h2>" in content
    assert "First post" not in content
    assert parsed.feed.title == "Feed & Co - Posts in Release notes"
    assert parsed.feed.subtitle == "Notes on feeds"


def test_json_feed_follows_the_1_1_spec(built):
    for path in feed_paths(built.outdir):
        if path.suffix != ".json":
            continue
        data = parse(path)
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        assert isinstance(data["title"], str) and data["title"]
        assert data["feed_url"] == BASE + str(path.relative_to(built.outdir))
        assert data["home_page_url"].startswith(BASE)
        assert isinstance(data["items"], list) and data["items"]
        for item in data["items"]:
            assert isinstance(item["id"], str) and item["id"]
            assert "content_html" in item or "content_text" in item
            assert item["url"].startswith(BASE)
            for key in ("date_published", "date_modified"):
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", item[key])
            for author in item.get("authors", []):
                assert set(author) <= {"name", "url", "avatar"}


def test_pages_advertise_their_feeds(built, html):
    category = html(built, "blog/category/release-notes")
    alternates = {
        (link["type"], link["href"]) for link in category.select('head link[rel="alternate"]')
    }
    for kind, name in [
        ("application/atom+xml", "atom.xml"),
        ("application/rss+xml", "rss.xml"),
        ("application/feed+json", "feed.json"),
    ]:
        assert (kind, BASE + "blog/category/release-notes/" + name) in alternates
        assert (kind, BASE + "blog/" + name) in alternates
    visible = category.select(".ablog-ext__feeds a")
    assert [a.get_text() for a in visible] == ["Atom", "RSS", "JSON Feed"]
    for link in visible:
        assert Path(built.outdir, "blog/category", link["href"]).resolve().is_file()
    index = html(built, "blog")
    assert ("application/atom+xml", BASE + "blog/atom.xml") in {
        (link["type"], link["href"]) for link in index.select('head link[rel="alternate"]')
    }
    assert index.select(".ablog-ext__feeds a")


def build_in_subprocess(srcdir: Path, outdir: Path, tz: str) -> None:
    env = {**os.environ, "TZ": tz}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(srcdir), str(outdir)],
        check=True,
        env=env,
        capture_output=True,
    )


def test_feeds_are_byte_identical_across_time_zones(tmp_path):
    first_src = copy_root(tmp_path / "a", "feeds")
    second_src = copy_root(tmp_path / "b", "feeds")
    build_in_subprocess(first_src, tmp_path / "out-a", "Pacific/Kiritimati")
    build_in_subprocess(second_src, tmp_path / "out-b", "America/Los_Angeles")
    first = {
        p.relative_to(tmp_path / "out-a"): p.read_bytes() for p in feed_paths(tmp_path / "out-a")
    }
    second = {
        p.relative_to(tmp_path / "out-b"): p.read_bytes() for p in feed_paths(tmp_path / "out-b")
    }
    assert first.keys() == second.keys()
    assert len(first) == 9
    for path, data in first.items():
        assert data == second[path], path


def test_formats_archives_and_length(tmp_path):
    srcdir = copy_root(tmp_path, "feeds")
    app = build_dir(
        srcdir,
        confoverrides={
            "ablog_ext_feed_formats": ["atom"],
            "ablog_ext_feed_archives": ["tag", "year", "theme", "author"],
            "blog_feed_length": 1,
            "blog_feed_fulltext": False,
        },
    )
    relative = {str(p.relative_to(app.outdir)) for p in feed_paths(app.outdir)}
    assert relative == {
        "blog/atom.xml",
        "blog/tag/release/atom.xml",
        "blog/tag/guide/atom.xml",
        "blog/tag/bboldb/atom.xml",
        "blog/2023/atom.xml",
        "blog/theme/community/atom.xml",
        "blog/author/ada-lovelace/atom.xml",
    }
    # Every archive feed sits beside its archive page.
    for path in relative - {"blog/atom.xml"}:
        assert Path(app.outdir, path).parent.with_suffix(".html").is_file(), path
    assert titles(Path(app.outdir, "blog/tag/release/atom.xml")) == ["Second post"]
    assert titles(Path(app.outdir, "blog/theme/community/atom.xml")) == ["Second post"]
    entry = parse(Path(app.outdir, "blog/atom.xml")).entries
    assert len(entry) == 1
    assert (
        "More text in the full post."
        not in Path(app.outdir, "blog/author/ada-lovelace/atom.xml").read_text()
    )


def test_archive_gone_means_feed_gone(tmp_path):
    srcdir = copy_root(tmp_path, "feeds")
    build_dir(srcdir)
    assert Path(srcdir, "_build/html/blog/category/release-notes/rss.xml").exists()
    post = srcdir / "posts/2023-01-10-first.md"
    post.write_text(post.read_text().replace("category: Release notes", "category: How-to"))
    app = build_dir(srcdir)
    assert not Path(app.outdir, "blog/category/release-notes/rss.xml").exists()
    assert titles(Path(app.outdir, "blog/category/how-to/rss.xml"))[-1] == "First post"


def test_without_baseurl_no_feed_and_one_message(tmp_path, warnings):
    srcdir = copy_root(tmp_path, "feeds")
    app = build_dir(srcdir, confoverrides={"blog_baseurl": ""})
    assert feed_paths(app.outdir) == []
    status = app.status.getvalue()
    assert status.count("no feeds are written: set blog_baseurl") == 1
    app = build_dir(
        copy_root(tmp_path / "explicit", "feeds"),
        confoverrides={"blog_baseurl": "", "ablog_ext_feed_formats": ["rss"]},
    )
    assert sum("no feeds are written" in w for w in warnings(app)) == 1


def test_unknown_options_warn(tmp_path, warnings):
    app = build_dir(
        copy_root(tmp_path, "feeds"),
        confoverrides={
            "ablog_ext_feed_formats": ["atom", "gopher"],
            "ablog_ext_timezone": "Mars/Base",
        },
    )
    found = warnings(app)
    assert any("ablog_ext_feed_formats: unknown value(s) 'gopher' ignored" in w for w in found)
    assert any("ablog_ext_timezone: unknown time zone 'Mars/Base'; using UTC" in w for w in found)
    assert {p.name for p in feed_paths(app.outdir)} == {"atom.xml"}


#: A 1x1 PNG.
TILE_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


def test_full_text_feeds_link_images_after_an_incremental_build(tmp_path):
    # A post's image in its full-text feed entry, after another post is edited: the
    # post is not written again, so only the environment knows its image.
    fulltext = {"blog_feed_fulltext": True}
    srcdir = write_files(
        copy_root(tmp_path, "feeds"),
        {
            "posts/images/tile.png": TILE_PNG,
            "posts/2023-06-01-tiles.md": "---\ntitle: Tiles\n---\n\n![a tile](images/tile.png)\n",
        },
    )
    build_dir(srcdir, confoverrides=fulltext)
    edit(srcdir / "posts" / "2023-01-10-first.md", "\n\n", "\n\nEdited.\n\n")
    rebuild(srcdir, confoverrides=fulltext)
    outdir = srcdir / "_build" / "html"
    for name in FEED_FILES:
        text = (outdir / "blog" / name).read_text(encoding="utf-8")
        sources = set(re.findall(r'src=\\?"([^"\\]*tile[^"\\]*)', html.unescape(text)))
        assert sources == {f"{BASE}_images/tile.png"}, (name, sources)
    assert equals_clean_build(srcdir, tmp_path, confoverrides=fulltext) == ""
