"""Adding ablog_ext to an ABlog site keeps everything the site already publishes."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import build_site

PLAIN = ["ablog", "myst_parser"]


def feed_entries(path: Path) -> tuple[str, list[tuple[str, str, str]]]:
    """A feed's title and its entries' titles, links and content as text."""
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        items = [
            (item["title"], item["url"], text_of(item.get("content_html", "")))
            for item in data["items"]
        ]
        return data["title"], items
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    items = []
    for entry in parsed.entries:
        content = entry.content[0].value if "content" in entry else entry.get("description", "")
        items.append((entry.title, entry.link, text_of(content)))
    return parsed.feed.title, items


def text_of(html: str) -> str:
    return " ".join(BeautifulSoup(html or "", "html.parser").get_text(" ").split())


# -- ABlog's documentation: section posts ------------------------------------------------


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    return build_site(
        tmp_path_factory.mktemp("ext"),
        "compat-ablogdocs",
        confoverrides={"extensions": [*PLAIN, "ablog_ext"]},
    )


@pytest.mark.parametrize("name", ["atom.xml", "rss.xml", "feed.json"])
def test_section_posts_each_in_every_feed(docs, name):
    expected = [
        ("Second crossing", "https://lantern.example.org/notes/crossings.html#second-crossing"),
        ("First crossing", "https://lantern.example.org/notes/crossings.html#first-crossing"),
    ]
    for folder in ("blog", "blog/category/notes"):
        _title, entries = feed_entries(Path(docs.outdir, folder, name))
        links = [(t, link) for t, link, _ in entries]
        assert [each for each in links if "crossings" in each[1]] == expected, folder


def test_section_posts_are_listed_posts(docs):
    from ablog_ext.blogdata import listed_posts

    crossings = [p for p in listed_posts(docs.env) if p.docname == "notes/crossings"]
    assert [(p.title, p.section, p.categories, p.authors) for p in crossings] == [
        ("First crossing", "first-crossing", ("Notes",), ("Tomas",)),
        ("Second crossing", "second-crossing", ("Notes",), ("Mira",)),
    ]
    assert all(p.words > 0 for p in crossings)
