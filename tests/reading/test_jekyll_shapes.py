"""Shapes Jekyll accepts: delimiters with trailing blanks, unpadded dated names,
titles from the front matter, a leading heading or the file name, and categories
from a post's folders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ablog_ext.jekyll.frontmatter import (
    date_from_filename,
    delimiters_for_myst,
    normalise,
    read_front_matter,
)

from helpers import ablog_post, build_site, headings, main_text


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("shapes")


def test_build_is_warning_free(built, warnings):
    assert warnings(built) == []


@pytest.mark.parametrize("name", ["2020-03-01-trailing-spaces", "2020-03-02-dots-close"])
def test_delimiters_jekyll_accepts_are_front_matter(built, html, name):
    post = ablog_post(built, f"posts/{name}")
    assert post["category"] == ["Shapes"]
    article = main_text(html(built, f"posts/{name}"))
    assert article.find("dl", class_="field-list") is None
    assert "category" not in article.get_text()
    assert "Body of a post" in article.get_text()


def test_delimiters_are_rewritten_with_the_same_lines():
    text = "--- \ntitle: x\n...  \n\nBody\n"
    fixed = delimiters_for_myst(text, read_front_matter(text))
    assert fixed == "---\ntitle: x\n---\n\nBody\n"
    assert read_front_matter("----\ntitle: x\n---\n").data is None  # not Jekyll's either


@pytest.mark.parametrize(
    ("name", "date"),
    [
        ("posts/2017-2-5-i-dont-like-zeroes", dt.datetime(2017, 2, 5)),
        ("posts/2017-2-6-unpadded", dt.datetime(2017, 2, 6)),
        ("posts/99-1-1-two-digit-year", dt.datetime(1999, 1, 1)),
    ],
)
def test_unpadded_dated_names_are_dated_posts(built, html, name, date):
    post = ablog_post(built, name)
    assert post["date"] == date
    # Published, in its year's archive.
    assert post["title"] in html(built, f"blog/{date.year}").get_text()


def test_dated_file_names_as_jekyll_reads_them():
    assert date_from_filename("2017-2-5-x.md") == dt.datetime(2017, 2, 5)
    assert date_from_filename("68-12-31-x.md") == dt.datetime(2068, 12, 31)
    assert date_from_filename("2017-13-5-x.md") is None
    meta = normalise({}, "posts/2017-13-5-x.md")
    assert meta.date is None
    assert "'2017-13-5', which is not a valid date" in meta.problems[0].message


@pytest.mark.parametrize(
    ("name", "title", "h1", "h2"),
    [
        # 1. The front matter title, whatever the body starts with.
        (
            "2020-03-07-front-matter-title",
            "Front matter wins",
            "Front matter wins",
            ["Body heading"],
        ),
        # 2. Else a leading level-one heading (GitHub Pages' jekyll-titles-from-headings).
        ("2020-03-03-heading-title", "The Heading Title", "The Heading Title", ["A section"]),
        ("2020-03-04-setext-title", "Setext Title", "Setext Title", []),
        ("2017-2-6-unpadded", "Unpadded and long", "Unpadded and long", []),
        # 3. Else Jekyll's title from the file name's slug.
        ("2020-03-05-slug-title", "Slug Title", "Slug Title", ["Later heading"]),
        ("2020-03-06-h2-first", "H2 First", "H2 First", ["Second level first"]),
        ("2017-2-5-i-dont-like-zeroes", "I Dont Like Zeroes", "I Dont Like Zeroes", []),
        ("2018-10-12-trailing-dots..", "Trailing Dots", "Trailing Dots", []),
    ],
)
def test_title_rule(built, html, name, title, h1, h2):
    docname = f"posts/{name}"
    assert ablog_post(built, docname)["title"] == title
    assert built.env.titles[docname].astext() == title
    soup = html(built, docname)
    assert headings(soup, "h1") == [h1]
    assert headings(soup, "h2") == h2
    assert soup.title.get_text().startswith(title)


# -- categories from folders ----------------------------------------------------------------


def test_folders_are_first_categories(tmp_path):
    app = build_site(tmp_path, "folders")
    categories = {name: info[0]["category"] for name, info in app.env.ablog_posts.items()}
    assert categories == {
        "posts/en/news/2020-01-01-english-news": ["en", "news", "release"],
        "posts/fr/2020-01-02-nouvelles": ["fr", "news"],
        "posts/2020-01-03-top": ["Notes"],
        "archive/old/2010-01-01-old": ["old"],
        "archive/2010-01-02-archive-top": [],
    }
    outdir = Path(app.outdir)
    for slug in ("en", "news", "fr", "release", "old"):
        assert (outdir / f"blog/category/{slug}.html").is_file(), slug


def test_folder_categories_are_off_by_default(tmp_path):
    app = build_site(tmp_path, "folders", confoverrides={"ablog_ext_folder_categories": False})
    assert app.env.ablog_posts["posts/en/news/2020-01-01-english-news"][0]["category"] == [
        "release"
    ]
