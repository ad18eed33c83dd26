"""Unit tests of front matter normalisation (no Sphinx)."""

from __future__ import annotations

import datetime as dt

import pytest

from ablog_ext.jekyll.frontmatter import (
    date_from_filename,
    normalise,
    parse_date,
    read_front_matter,
)


def problems_of(meta):
    return {problem.key: problem.message for problem in meta.problems}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-03-05", dt.datetime(2019, 3, 5)),
        (
            "2019-03-05 10:30:00 -0500",
            dt.datetime(2019, 3, 5, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        ),
        (
            "2019-03-05T10:30:00+02:00",
            dt.datetime(2019, 3, 5, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
        ("2019-03-05T10:30:00Z", dt.datetime(2019, 3, 5, 10, 30, tzinfo=dt.UTC)),
        ("2019-03-05T10:30:00", dt.datetime(2019, 3, 5, 10, 30)),
        (dt.date(2020, 1, 5), dt.datetime(2020, 1, 5)),
    ],
)
def test_dates_in_every_jekyll_form(value, expected):
    problems = []
    assert parse_date(value, "date", problems) == expected
    assert problems == []


@pytest.mark.parametrize(
    "value", ["not a date", "2019-02-30", "2019-13-01", {"a": 1}, ["2019-01-01"], "99999-01-01"]
)
def test_bad_dates_are_problems_not_exceptions(value):
    problems = []
    assert parse_date(value, "date", problems) is None
    assert len(problems) == 1
    assert problems[0].key == "date"


def test_aware_and_naive_dates_compare_after_normalising():
    meta_aware = normalise({"date": "2021-05-10 08:30:00 -0500"}, "a.md")
    meta_naive = normalise({"date": "2021-05-10"}, "b.md")
    from ablog_ext.jekyll.frontmatter import naive

    assert naive(meta_aware.date) > naive(meta_naive.date)
    assert meta_aware.date.utcoffset() == dt.timedelta(hours=-5)


def test_date_from_jekyll_file_name():
    assert date_from_filename("posts/2020-01-05-my-year.md") == dt.datetime(2020, 1, 5)
    assert date_from_filename("posts/2020-02-30-impossible.md") is None
    assert date_from_filename("posts/about.md") is None
    meta = normalise({}, "posts/2020-01-05-my-year.md")
    assert (meta.date, meta.date_source) == (dt.datetime(2020, 1, 5), "file name")


def test_front_matter_date_wins_over_file_name_and_bad_date_falls_back():
    assert normalise({"date": "2020-02-01"}, "2020-01-05-x.md").date == dt.datetime(2020, 2, 1)
    meta = normalise({"date": "soon"}, "2020-01-05-x.md")
    assert meta.date == dt.datetime(2020, 1, 5)
    assert meta.date_source == "file name"
    assert "date" in problems_of(meta)


def test_no_date_anywhere_is_a_draft():
    meta = normalise({"title": "x"}, "draft.md")
    assert meta.date is None
    assert meta.date_source is None
    assert meta.problems == ()


@pytest.mark.parametrize(
    ("front_matter", "categories"),
    [
        ({"category": "Career"}, ("Career",)),
        ({"category": "Machine Learning"}, ("Machine Learning",)),
        ({"categories": "Career Notes"}, ("Career", "Notes")),
        ({"categories": "Career, Machine Learning"}, ("Career", "Machine Learning")),
        ({"categories": ["Career", "Machine Learning"]}, ("Career", "Machine Learning")),
        ({"category": "Career", "categories": ["Career", "Ops"]}, ("Career", "Ops")),
        ({"category": 2019}, ("2019",)),
    ],
)
def test_categories(front_matter, categories):
    meta = normalise(front_matter, "x.md")
    assert meta.categories == categories
    assert meta.problems == ()


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ([], ()),
        (None, ()),
        ("", ()),
        ("python sphinx", ("python", "sphinx")),
        ("team work, python", ("team work", "python")),
        (["team work", "python", ""], ("team work", "python")),
        (["a", "a"], ("a",)),
    ],
)
def test_tags_never_empty_names(tags, expected):
    assert normalise({"tags": tags}, "x.md").tags == expected


def test_mapping_where_a_list_belongs_is_a_problem():
    meta = normalise({"tags": {"a": 1}, "categories": [{"x": 1}, "ok"]}, "x.md")
    assert meta.tags == ()
    assert meta.categories == ("ok",)
    assert set(problems_of(meta)) == {"tags", "categories"}


@pytest.mark.parametrize(
    ("value", "published"), [(False, False), ("false", False), ("no", False), (True, True)]
)
def test_published(value, published):
    assert normalise({"published": value}, "x.md").published is published


def test_published_maybe_keeps_the_post_and_warns():
    meta = normalise({"published": "maybe"}, "x.md")
    assert meta.published is True
    assert "published" in problems_of(meta)


def test_title_shapes():
    assert normalise({"title": "  Hello\n world "}, "x.md").title == "Hello world"
    assert normalise({"title": 2019}, "x.md").title == "2019"
    meta = normalise({"title": ["a", "b"]}, "x.md")
    assert meta.title is None
    assert "title" in problems_of(meta)
    assert normalise({"title": "bell\x07 and nul\x00"}, "x.md").title == "bell and nul"


def test_redirects_and_permalink():
    meta = normalise({"redirect_from": "/old/", "permalink": "/new/"}, "x.md")
    assert meta.redirect_from == ("/old/",)
    assert meta.permalink == "/new/"
    meta = normalise({"redirect_from": ["/a.html", "https://elsewhere.example/x"]}, "x.md")
    assert meta.redirect_from == ("/a.html",)
    assert "redirect_from" in problems_of(meta)


def test_excerpt_and_separator():
    meta = normalise({"excerpt": "Short *summary*.", "excerpt_separator": "<!--cut-->"}, "x.md")
    assert meta.excerpt == "Short *summary*."
    assert meta.excerpt_separator == "<!--cut-->"
    assert normalise({}, "x.md").excerpt_separator == "<!--more-->"


def test_unknown_keys_are_ignored_silently():
    meta = normalise(
        {"layout": "post", "section-type": "post", "comments": True, "foo": [1]}, "x.md"
    )
    assert meta.problems == ()


def test_read_front_matter_keeps_dates_as_text_and_lines():
    block = read_front_matter("---\ntitle: T\ndate: 2019-02-30\ntags: [ ]\n---\nbody\n")
    assert block.error is None
    assert block.data == {"title": "T", "date": "2019-02-30", "tags": []}
    assert block.key_lines == {"title": 2, "date": 3, "tags": 4}


@pytest.mark.parametrize(
    ("text", "error_part"),
    [
        ("---\ntitle: T\nbody without end\n", "never closes"),
        ("---\ntitle: [unclosed\n---\n", "malformed YAML"),
        ("---\n- a\n- b\n---\n", "not a mapping"),
    ],
)
def test_read_front_matter_errors(text, error_part):
    block = read_front_matter(text)
    assert block.data is None
    assert error_part in block.error


def test_no_front_matter():
    assert read_front_matter("# Just a page\n").data is None
    assert read_front_matter("").error is None


def test_an_unquoted_date_and_time_is_utc_as_in_jekyll():
    """YAML (and so Jekyll) reads ``2016-06-13 02:00:00`` as a timestamp, in UTC; in
    quotes, or as a day alone, the date is in the site's zone."""
    zone = dt.timezone(dt.timedelta(hours=-4))
    text = '---\na: 2016-6-13 2:00:00\nb: "2016-06-13 02:00:00"\nc: 2016-06-13\n---\n'
    data = read_front_matter(text).data
    assert data == {"a": "2016-6-13 2:00:00", "b": "2016-06-13 02:00:00", "c": "2016-06-13"}
    days = {key: normalise({"date": data[key]}, "x.md", zone=zone).date for key in data}
    assert days["a"] == dt.datetime(2016, 6, 12, 22, tzinfo=zone)
    assert days["b"] == dt.datetime(2016, 6, 13, 2, tzinfo=zone)
    assert days["c"] == dt.datetime(2016, 6, 13, tzinfo=zone)


# -- Ruby's reading of numeric dates (issue 19, item 9) -----------------------------------


#: Checked with Ruby 3.1 (`require "time"; Time.parse(value)`): value | what Ruby gives.
RUBY_DATES = """
11-9-2017                 | 2017-09-11T00:00:00
11/9/2017                 | 2017-09-11T00:00:00
11.9.2017                 | 2017-09-11T00:00:00
9/11/2017                 | 2017-11-09T00:00:00
31-12-2017                | 2017-12-31T00:00:00
11-9-17                   | 2011-09-17T00:00:00
2017/9/11                 | 2017-09-11T00:00:00
11-9-2017 10:30           | 2017-09-11T10:30:00
11-09-2017 10:30:00 +0200 | 2017-09-11T10:30:00+02:00
Sep 11 2017               | 2017-09-11T00:00:00
"""


@pytest.mark.parametrize(
    ("value", "expected"),
    [tuple(part.strip() for part in line.split("|")) for line in RUBY_DATES.strip().splitlines()],
)
def test_numeric_dates_read_as_ruby_reads_them(value, expected):
    problems = []
    assert parse_date(value, "date", problems) == dt.datetime.fromisoformat(expected)
    assert problems == []


def test_a_day_month_date_keeps_the_jekyll_url():
    from ablog_ext.jekyll.frontmatter import load_yaml
    from ablog_ext.jekyll.permalinks import jekyll_post, post_url

    front = load_yaml("title: Ruby dates\ndate: 11-9-2017\n")
    meta = normalise(front, "2017-09-11-ruby-dates.md")
    assert meta.date == dt.datetime(2017, 9, 11)
    post = jekyll_post(front, "2017-09-11-ruby-dates", meta.date)
    assert post_url("/:year/:month/:day/:title:output_ext", post) == (
        "/2017/09/11/ruby-dates.html"
    )
