"""With ``ablog_ext_timezone`` set, a post's day, month and year are the site's, as
with Jekyll's ``timezone``: in archives, on the post, in feeds and reviews."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import pytest

from ablog_ext.blog.domain import blog_domain

from helpers import build_dir, copy_root, main_text


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("timezone")


def test_build_is_warning_free(built, warnings):
    assert warnings(built) == []


@pytest.mark.parametrize(
    ("docname", "wall_clock", "iso"),
    [
        # 02:12:52 +0200 is 17:12:52 the day before in Los Angeles (UTC-7 in May).
        (
            "posts/2013-05-06-released",
            dt.datetime(2013, 5, 5, 17, 12, 52),
            "2013-05-05T17:12:52-07:00",
        ),
        # New year in Paris is still 2013 in Los Angeles (UTC-8 in winter).
        ("posts/2014-01-01-new-year", dt.datetime(2013, 12, 31, 18), "2013-12-31T18:00:00-08:00"),
        # Without an offset, a date in quotes, or a day, is in the site's zone.
        ("posts/2013-06-01-local", dt.datetime(2013, 6, 1, 10), "2013-06-01T10:00:00-07:00"),
        # Unquoted, a date and time is a YAML timestamp, in UTC as in Jekyll: 05:00
        # UTC is 22:00 the day before in Los Angeles.
        (
            "posts/2013-06-03-yaml-time",
            dt.datetime(2013, 6, 2, 22),
            "2013-06-02T22:00:00-07:00",
        ),
        ("posts/2013-07-04-named", dt.datetime(2013, 7, 4), "2013-07-04T00:00:00-07:00"),
    ],
)
def test_dates_are_in_the_site_zone(built, docname, wall_clock, iso):
    assert built.env.ablog_posts[docname][0]["date"] == wall_clock
    assert blog_domain(built.env).posts[docname]["date"] == iso


def test_updated_is_in_the_site_zone(built):
    record = blog_domain(built.env).posts["posts/2013-06-01-local"]
    assert record["updated"] == "2013-06-01T18:00:00-07:00"
    assert built.env.ablog_posts["posts/2013-06-01-local"][0]["update"] == dt.datetime(
        2013, 6, 1, 18
    )


def test_archives_follow_the_zone(built, html):
    outdir = Path(built.outdir)
    assert not (outdir / "blog/2014.html").exists()
    archive = main_text(html(built, "blog/2013")).get_text()
    for title in ("Released in Europe", "New year in Paris", "Local morning", "Named only"):
        assert title in archive


def test_post_page_shows_the_site_day(built, html):
    page = html(built, "posts/2014-01-01-new-year")
    card = page.select_one(".ablog__postcard").get_text(" ")
    assert "2013-12-31" in card
    assert "2014" not in card


def test_feed_dates(built):
    feed = feedparser.parse(Path(built.outdir, "blog/atom.xml"))
    published = {entry.title: entry.published for entry in feed.entries}
    assert published["Released in Europe"] == "2013-05-05T17:12:52-07:00"
    assert published["New year in Paris"] == "2013-12-31T18:00:00-08:00"
    year = feedparser.parse(Path(built.outdir, "blog/2013/atom.xml"))
    assert {entry.title for entry in year.entries} >= {"New year in Paris"}
    assert not Path(built.outdir, "blog/2014/atom.xml").exists()


def test_review_page(built, html):
    outdir = Path(built.outdir)
    assert not (outdir / "blog/review/2014.html").exists()
    review = html(built, "blog/review/2013")
    groups = {
        group.select_one(".year-in-review-group-name").get_text(strip=True): group.get_text(" ")
        for group in review.select(".year-in-review-group")
    }
    assert "New year in Paris" in groups["December 2013"]
    assert "2013-12-31" in groups["December 2013"]
    assert "Released in Europe" in groups["May 2013"]
    assert "2013-05-05" in groups["May 2013"]


def test_changing_the_zone_reads_every_post_again(tmp_path):
    srcdir = copy_root(tmp_path, "timezone")
    build_dir(srcdir)
    app = build_dir(srcdir, confoverrides={"ablog_ext_timezone": "Europe/Berlin"})
    records = blog_domain(app.env).posts
    assert records["posts/2013-05-06-released"]["date"] == "2013-05-06T02:12:52+02:00"
    assert records["posts/2014-01-01-new-year"]["date"] == "2014-01-01T03:00:00+01:00"
    assert Path(app.outdir, "blog/2014.html").is_file()
