"""Old Jekyll URLs: Jekyll's URL rules, without Sphinx or Jekyll."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from permalink_cases import CASES, Case

from ablog_ext.frontmatter import normalise, read_front_matter
from ablog_ext.permalinks import (
    STYLES,
    JekyllPost,
    PermalinkError,
    destination,
    escape_path,
    jekyll_categories,
    jekyll_date,
    jekyll_post,
    post_url,
    sanitize_url,
    slugify,
    style_template,
    unknown_placeholders,
    url_key,
)


def jekyll_url(case: Case) -> str:
    """What ablog_ext computes for *case*: its front matter read as posts.py reads
    it, the date taken in the site's zone (the time zone contract)."""
    front = read_front_matter(f"---\n{case.front}\n---\n").data or {}
    path = case.file.rsplit(".", 1)[0]
    meta = normalise(front, case.file)
    date = meta.date
    if date is not None and date.tzinfo is not None:
        date = date.astimezone(ZoneInfo(case.timezone)).replace(tzinfo=None)
    post = jekyll_post(front, path, date, folder_categories="/" in case.file)
    return post_url(meta.permalink or style_template(case.permalink), post)


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.permalink}:{case.file}")
def test_url_is_jekylls(case):
    assert jekyll_url(case) == case.url


@pytest.mark.parametrize(
    ("text", "mode", "cased", "expected"),
    [
        ("The _config.yml file", "default", False, "the-config-yml-file"),
        ("The _config.yml file", "pretty", False, "the-_config.yml-file"),
        ("The _config.yml file?", "pretty", True, "The-_config.yml-file"),
        ("The _config.yml file?", "ascii", False, "the-config-yml-file"),
        ("The _config.yml file?", "raw", False, "the-_config.yml-file?"),
        ("The _config.yml file?", "none", True, "The _config.yml file?"),
        ("The _config.yml file?", "none", False, "the _config.yml file?"),
        ("  Spaces   around  ", "default", False, "spaces-around"),
        ("Already-hyphenated--twice", "default", False, "already-hyphenated-twice"),
        ("fürtive glance!!!!", "default", False, "fürtive-glance"),
        ("fürtive glance!!!!", "ascii", False, "f-rtive-glance"),
        ("5時〜6時 三・一四", "default", False, "5時-6時-三-一四"),
        ("C# & .NET (2019)", "pretty", True, "C-&-.NET-(2019)"),
        ("Mixed CASE", "default", True, "Mixed-CASE"),
        # Combining marks are kept, as \p{M} is.
        ("cafe\u0301 au lait", "default", False, "cafe\u0301-au-lait"),
        ("💎", "default", False, ""),
        (None, "default", False, None),
    ],
)
def test_slugify(text, mode, cased, expected):
    assert slugify(text, mode, cased=cased) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("plain/path-1.0", "plain/path-1.0"),
        ("a b", "a%20b"),
        ("c#", "c%23"),
        ("c++", "c++"),
        ("a?b", "a?b"),
        ("[x]", "%5Bx%5D"),
        ("100%", "100%25"),
        ("café", "caf%C3%A9"),
        ("ü/ä", "%C3%BC/%C3%A4"),
        ("a:b@c;d=e,f!g$h&i'j(k)l*m~n_o", "a:b@c;d=e,f!g$h&i'j(k)l*m~n_o"),
        ('a|b"c<d>e{f}g^h`i\\j', "a%7Cb%22c%3Cd%3Ee%7Bf%7Dg%5Eh%60i%5Cj"),
        ("é#1#2", "%C3%A9%231%232"),
    ],
)
def test_escape_path(value, expected):
    assert escape_path(value) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("//2019//03/x.html", "/2019/03/x.html"),
        ("2019/x", "/2019/x"),
        ("/a/../../b", "/a/b"),
        ("/./x/./y", "/x/y"),
    ],
)
def test_sanitize_url(url, expected):
    assert sanitize_url(url) == expected


def test_styles_are_jekylls():
    assert STYLES == {
        "none": "/:categories/:title:output_ext",
        "date": "/:categories/:year/:month/:day/:title:output_ext",
        "ordinal": "/:categories/:year/:y_day/:title:output_ext",
        "pretty": "/:categories/:year/:month/:day/:title/",
        "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    }
    assert style_template("pretty") == STYLES["pretty"]
    assert style_template("/:title/") == "/:title/"
    assert unknown_placeholders("/:year_:month/:i_month/:yeer/:Title/") == ["yeer"]


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("2019-03-05-x", dt.datetime(2019, 3, 5)),
        ("2019-3-5-x", dt.datetime(2019, 3, 5)),
        ("19-3-5-x", dt.datetime(2019, 3, 5)),
        ("68-1-1-x", dt.datetime(2068, 1, 1)),
        ("69-1-1-x", dt.datetime(1969, 1, 1)),
        ("019-3-5-x", dt.datetime(19, 3, 5)),
        ("2019-02-29-x", dt.datetime(2019, 3, 1)),
        ("2019-13-01-x", None),
        ("2019-01-32-x", None),
        ("2019-03-05", None),
        ("about", None),
        ("12019-03-05-x", None),
    ],
)
def test_date_in_a_file_name(stem, expected):
    assert jekyll_date(stem) == expected


@pytest.mark.parametrize(
    ("front", "folders", "expected"),
    [
        ({}, (), []),
        ({"categories": "a b  c"}, (), ["a", "b", "c"]),
        ({"categories": "a, b"}, (), ["a,", "b"]),
        ({"category": "Machine Learning"}, (), ["Machine Learning"]),
        ({"category": "x", "categories": ["y", "x"]}, (), ["y", "x"]),
        ({"category": ["p", "q"], "categories": "r"}, (), ["r", "p", "q"]),
        ({"categories": [2019, True, None]}, (), ["2019", "true", ""]),
        ({"categories": 7}, (), ["7"]),
        ({"categories": ["news", "Extra"]}, ("en", "news"), ["en", "news", "Extra"]),
        ({"categories": {"not": "a list"}}, (), []),
    ],
)
def test_categories_in_jekylls_order(front, folders, expected):
    assert jekyll_categories(front, folders) == expected


def test_a_post_without_a_date_has_no_date_placeholders():
    post = JekyllPost(stem="undated", path="undated", date=None)
    assert post_url("/:title/", post) == "/undated/"
    with pytest.raises(PermalinkError, match="needs the post's date"):
        post_url("/:year/:title/", post)
    with pytest.raises(PermalinkError, match="unknown placeholder ':nope'"):
        post_url("/:nope/", jekyll_post({}, "2019-01-01-x", None))


def test_front_matter_slug():
    assert post_url("/:title/:slug", jekyll_post({"slug": "My Slug"}, "2019-01-01-x", None)) == (
        "/My-Slug/my-slug"
    )
    # Ruby's `||=`: only a missing or false slug gives way to the file name's.
    assert post_url("/:title", jekyll_post({"slug": False}, "2019-01-01-x", None)) == "/x"
    assert post_url("/:title", jekyll_post({"slug": 0}, "2019-01-01-x", None)) == "/0"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/2019/03/05/x.html", "2019/03/05/x.html"),
        ("/2019/03/05/x/", "2019/03/05/x/index.html"),
        ("/about-me", "about-me.html"),
        ("/", "index.html"),
        ("/z/machine%20learning/x.html", "z/machine learning/x.html"),
        ("/c%23/x.html", "c#/x.html"),
        ("/about me/", "about me/index.html"),
    ],
)
def test_destination_is_the_file_jekyll_writes(url, expected):
    assert destination(url) == expected


@pytest.mark.parametrize(
    "spelling",
    [
        "/2019/03/05/x.html",
        "/2019/03/05/x",
        "/2019/03/05/x/",
        "/2019/03/05/x/index.html",
        "/2019//03/05/x.htm",
        "/2019/03/05/%78.html",
    ],
)
def test_one_key_for_every_spelling_of_a_path(spelling):
    assert url_key(spelling) == "/2019/03/05/x"
