"""The year-in-review directive and the generated review pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ablog_ext.blog.queries import Window, listed_posts
from ablog_ext.pages.review import compute_review

from helpers import build_dir, copy_root, page_names


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("review")


def review_blocks(html, app, page):
    return html(app, page).select("div.year-in-review")


def stats(block):
    result = {}
    for stat in block.select(".year-in-review-stat"):
        label = stat.select_one(".year-in-review-label").get_text(strip=True)
        result[label] = stat.select_one(".year-in-review-number").get_text(strip=True)
    return result


def test_build_is_warning_free(built, warnings):
    assert warnings(built) == []


def test_figures_for_a_calendar_year(built, html):
    (block,) = review_blocks(html, built, "review-2019")
    figures = stats(block)
    posts = [p for p in listed_posts(built.env) if p.date.year == 2019]
    assert len(posts) == 5
    assert figures["posts"] == "5"
    words = sum(p.words for p in posts)
    assert figures["words"] == f"{words:,}"
    assert figures["minutes of reading"] == str(round(words / 200))
    assert figures["categories"] == "3"  # Career, ML, Notes
    assert figures["tags"] == "4"  # change, python, ml, leadership
    assert figures["busiest month (2 posts)"] == "March 2019"
    assert figures["longest post (72 words)"] == "Becoming a tech lead"
    assert figures["first post, 20 January 2019"] == "Starting a new job"
    assert figures["last post, 30 November 2019"] == "Becoming a tech lead"
    # The longest post's figure is a link to it.
    link = block.select(".year-in-review-stat a")[0]
    assert link["href"] == "posts/2019-11-30-tech-lead.html"


def test_minutes_of_reading_follow_the_reading_speed(site_factory, html):
    """The review's minutes come at ablog_ext_words_per_minute, as each post's
    reading time does (a fixed 200 words a minute would give 1 minute here)."""
    app = site_factory("review", confoverrides={"ablog_ext_words_per_minute": 10})
    (block,) = review_blocks(html, app, "review-2019")
    words = sum(p.words for p in listed_posts(app.env) if p.date.year == 2019)
    assert round(words / 200) != round(words / 10)
    assert stats(block)["minutes of reading"] == str(round(words / 10))


def test_words_are_counted_from_the_body(built):
    posts = {p.docname: p for p in listed_posts(built.env)}
    text = "Short tips on dataclasses, pathlib and f-strings, with a few more words to count."
    assert posts["posts/2019-03-25-python-tips"].words == len(text.split())


def test_intro_text_comes_first(built, html):
    (block,) = review_blocks(html, built, "review-2019")
    assert block.find("p").get_text(strip=True) == "Looking back at what I wrote this year."


def test_chart_has_one_bar_per_month(built, html):
    (block,) = review_blocks(html, built, "review-2019")
    svg = block.select_one("svg.year-in-review-chart")
    assert svg["role"] == "img"
    assert "January 2019 to December 2019" in svg["aria-label"]
    bars = svg.select("g.year-in-review-bar")
    assert len(bars) == 12
    tooltips = [bar.find("title").get_text() for bar in bars]
    assert tooltips[0] == "January 2019: 1 post"
    assert tooltips[1] == "February 2019: 0 posts"
    assert tooltips[2] == "March 2019: 2 posts"
    assert all(bar["aria-label"] == tip for bar, tip in zip(bars, tooltips, strict=True))
    heights = [int(bar.find("rect")["height"]) for bar in bars]
    assert heights[2] > heights[0] > 0 == heights[1]
    assert all(bar.find("rect")["fill"] == "currentColor" for bar in bars)
    assert "<script" not in str(svg)


def test_posts_grouped_by_month_with_archive_links(built, html):
    (block,) = review_blocks(html, built, "review-2019")
    groups = {
        group.select_one(".year-in-review-group-name").get_text(strip=True): [
            a.get_text(strip=True) for a in group.select(".year-in-review-post > a:first-child")
        ]
        for group in block.select(".year-in-review-group")
    }
    assert groups == {
        "January 2019": ["Starting a new job"],
        "March 2019": ["Shipping the first model", "Three Python tips"],
        "June 2019": ["An unfinished thought"],
        "November 2019": ["Becoming a tech lead"],
    }
    hrefs = {a.get_text(strip=True): a["href"] for a in block.select(".year-in-review-post a")}
    assert hrefs["ML"] == "blog/category/ml.html"
    assert hrefs["python"] == "blog/tag/python.html"
    for href in hrefs.values():
        assert Path(built.outdir, href).exists(), href


def test_drafts_and_future_posts_never_count(built, html):
    text = " ".join(block.get_text(" ") for block in review_blocks(html, built, "review-2019"))
    text += html(built, "themes").get_text(" ")
    assert "Still a draft" not in text
    assert "A post from the future" not in text
    assert "never appears" not in text


def test_window_across_two_calendar_years(built, html):
    (block,) = review_blocks(html, built, "anniversary")
    bars = block.select("svg g.year-in-review-bar title")
    assert len(bars) == 12
    assert bars[0].get_text() == "15 Mar 2019 – 14 Apr 2019: 1 post"
    assert bars[-2].get_text() == "15 Jan 2020 – 14 Feb 2020: 1 post"
    assert bars[-1].get_text() == "15 Feb 2020 – 14 Mar 2020: 0 posts"
    assert stats(block)["posts"] == "4"


def test_group_by_theme(built, html):
    (block,) = review_blocks(html, built, "anniversary")
    names = [n.get_text(strip=True) for n in block.select(".year-in-review-group-name")]
    assert names == ["Leadership", "Other posts"]
    groups = block.select(".year-in-review-group")
    assert [
        a.get_text(strip=True) for a in groups[0].select(".year-in-review-post > a:first-child")
    ] == [
        "Becoming a tech lead",
        "A year in New York",
    ]


def test_filters_and_no_chart(built, html):
    career, python_tag, empty = review_blocks(html, built, "filters")
    assert stats(career)["posts"] == "4"
    assert career.select_one("svg") is None
    first_group = career.select_one(".year-in-review-group-name")
    assert first_group.get_text(strip=True) == "Career"
    assert stats(python_tag)["posts"] == "2"
    tag_groups = [n.get_text(strip=True) for n in python_tag.select(".year-in-review-group-name")]
    assert tag_groups == ["python", "ml"]
    assert python_tag.select_one("svg") is not None
    assert empty.select_one(".year-in-review-empty").get_text(strip=True) == (
        "No posts between 01 January 2005 and 31 December 2005."
    )


def test_themes_part_of_the_review(built, html):
    (block,) = review_blocks(html, built, "review-2019")
    themes = block.select_one(".year-in-review-themes")
    names = [n.select_one("a").get_text(strip=True) for n in themes.select(".themes-theme-name")]
    assert names == ["Leadership", "Startup"]


def test_review_pages(built, html):
    assert page_names(built, "blog/review") == ["2019.html", "2020.html"]
    page = html(built, "blog/review/2019")
    assert page.title.get_text().startswith("2019 in review")
    (block,) = page.select("div.year-in-review")
    directive_block = review_blocks(html, built, "review-2019")[0]
    assert stats(block) == stats(directive_block)
    assert len(block.select("svg g.year-in-review-bar")) == 12
    nav = page.select_one(".year-in-review-nav a")
    assert nav.get_text() == "2020 in review →"
    assert nav["href"] == "2020.html"
    back = html(built, "blog/review/2020").select_one(".year-in-review-nav a")
    assert back.get_text() == "← 2019 in review"
    # Linked from ABlog's archive pages.
    for page_name in ("blog/archive", "blog/2019"):
        links = html(built, page_name).select(".ablog-ext__reviews a")
        assert [a.get_text() for a in links] == ["2020 in review", "2019 in review"]


def test_bad_options_are_located_warnings(tmp_path, warnings):
    srcdir = copy_root(tmp_path, "review")
    (srcdir / "filters.md").write_text(
        "# Filters\n\n```{year-in-review} twenty\n```\n\n"
        "```{year-in-review} 2019\n:group-by: colour\n```\n\n"
        "```{year-in-review} 2019\n:start: 2019-02-30\n```\n",
        encoding="utf-8",
    )
    found = warnings(build_dir(srcdir))
    expected = [
        r"filters\.md:3: WARNING: year-in-review needs a year such as 2019, not 'twenty'",
        r"filters\.md:6: WARNING: :group-by: must be one of month, category, tag, theme",
        r"filters\.md:10: WARNING: .*:start:.* is not a valid date",
    ]
    for pattern in expected:
        assert any(re.search(pattern, w) for w in found), (pattern, found)


@pytest.mark.parametrize("buildername", ["text", "latex", "singlehtml", "epub"])
def test_other_builders_get_a_readable_review(site_factory, buildername):
    app = site_factory("review", buildername=buildername)
    assert "Traceback" not in app.warning.getvalue()
    if buildername == "text":
        text = Path(app.outdir, "review-2019.txt").read_text(encoding="utf-8")
        assert "5 posts" in text
        assert "March 2019: 2 posts" in text
        assert "Starting a new job" in text
    elif buildername == "latex":
        tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
        assert "busiest month" in tex
    elif buildername == "singlehtml":
        soup = BeautifulSoup(
            Path(app.outdir, "index.html").read_text(encoding="utf-8"), "html.parser"
        )
        assert soup.select("div.year-in-review svg g.year-in-review-bar")


def test_compute_review_is_pure(built):
    posts = listed_posts(built.env)
    review = compute_review(posts, Window.year(2020))
    assert [p.title for p in review.posts] == ["A year in New York"]
    assert [len(m[2]) for m in review.months] == [0, 1] + [0] * 10


def test_review_links_in_the_sidebar_of_every_folder(built, html):
    """The sidebar's links to the review pages, made once a folder, are right on
    a page of each folder and on the review pages themselves (a link to its own
    page there)."""
    from sphinx.util.osutil import relative_uri

    builder = built.builder
    checked = 0
    # Two pages of each folder (blog/2019 and blog/2020 share the made links).
    for page in ["blog", "blog/2019", "blog/2020", "blog/review/2019", "blog/review/2020",
                 "blog/category/career"]:  # fmt: skip
        box = html(built, page).select_one(".ablog-ext__reviews")
        assert box is not None, page
        links = {a.get_text(strip=True): a["href"] for a in box.select("a")}
        base = builder.get_target_uri(page)
        for year in (2020, 2019):
            target = builder.get_target_uri(f"blog/review/{year}")
            expected = "" if target == base else relative_uri(base, target)
            assert links[f"{year} in review"] == expected, (page, year)
            checked += 1
    assert checked == 12
