"""The theme and themes directives, and the theme pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import build_dir, copy_root, page_names


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("review")


def test_passage_in_place_has_label_link_and_anchor(built, html):
    page = html(built, "posts/2019-03-02-shipping")
    passages = page.select("div.theme-passage")
    assert [p["id"] for p in passages] == ["theme-leadership-0", "theme-startup-1"]
    label = passages[0].select_one(".theme-label a")
    assert label.get_text() == "Leadership"
    assert label["href"] == "../blog/theme/leadership.html"
    assert Path(built.outdir, "posts", label["href"]).resolve().exists()
    assert passages[0].select_one(".theme-passage-body").get_text(strip=True) == (
        "I led the review of the rollout plan."
    )


def summary_of(block):
    """``[(theme, count, [(text, date, link)])]`` of a themes element."""
    result = []
    for theme in block.select(".themes-theme"):
        name = theme.select_one(".themes-theme-name a").get_text(strip=True)
        count = theme.select_one(".themes-theme-count").get_text(strip=True)
        entries = []
        for entry in theme.select(".theme-passage-summary"):
            source = entry.select_one(".theme-passage-source")
            text = (
                entry.get_text(" ", strip=True)
                .replace(source.get_text(" ", strip=True), "")
                .strip()
            )
            date = source.select_one(".theme-passage-date")
            entries.append(
                (text, date.get_text() if date else None, source.select_one("a")["href"])
            )
        result.append((name, count, entries))
    return result


def test_themes_summary_all_time(built, html):
    block = html(built, "themes").select("div.themes")[0]
    summary = summary_of(block)
    assert [(name, count) for name, count, _ in summary] == [
        ("Leadership", "(3)"),
        ("Startup", "(2)"),
    ]
    leadership = summary[0][2]
    # Newest first; a passage's own :date: wins over its post's date.
    assert leadership == [
        (
            "Mentoring two new colleagues.",
            "10 February 2020",
            "posts/2020-02-10-new-york.html#theme-leadership-0",
        ),
        (
            "Ownership of outcomes, not only of tasks.",
            "30 November 2019",
            "posts/2019-11-30-tech-lead.html#theme-leadership-0",
        ),
        (
            "I led the review of the rollout plan.",
            "20 March 2019",
            "posts/2019-03-02-shipping.html#theme-leadership-0",
        ),
    ]


def test_themes_summary_for_a_year_orders_ties_by_name(built, html):
    block = html(built, "themes").select("div.themes")[1]
    assert [(name, count) for name, count, _ in summary_of(block)] == [
        ("Leadership", "(2)"),
        ("Startup", "(2)"),
    ]


def test_passage_links_reach_their_anchor(built, html):
    for link in html(built, "themes").select(".theme-passage-source a"):
        page, anchor = link["href"].split("#")
        target = html(built, page.removesuffix(".html"))
        assert target.find(id=anchor) is not None, link["href"]


def test_theme_pages_newest_first(built, html):
    outdir = Path(built.outdir)
    assert page_names(built, "blog/theme") == ["leadership.html", "startup.html"]
    page = html(built, "blog/theme/leadership")
    assert page.title.get_text().startswith("Theme: Leadership")
    dates = [d.get_text() for d in page.select(".theme-passage-date")]
    assert dates == ["10 February 2020", "30 November 2019", "20 March 2019"]
    for link in page.select(".theme-passage-source a"):
        assert (outdir / "blog/theme" / link["href"].split("#")[0]).resolve().exists()
    index = html(built, "blog/theme")
    assert [a.get_text() for a in index.select(".themes-index a")] == ["Leadership", "Startup"]


def test_theme_without_a_name_keeps_its_text_and_warns(tmp_path, warnings, html):
    srcdir = copy_root(tmp_path, "review")
    (srcdir / "themes.md").write_text(
        "# Themes\n\n:::{theme}\nA passage with no theme name.\n:::\n\n"
        ":::{theme} Growth\n:date: someday\nUndated passage.\n:::\n",
        encoding="utf-8",
    )
    app = build_dir(srcdir)
    found = warnings(app)
    assert any(
        re.search(r"themes\.md:3: WARNING: the theme directive needs a theme name", w)
        for w in found
    )
    assert any(re.search(r"themes\.md:7: WARNING: :date: is not a valid date", w) for w in found)
    assert "A passage with no theme name." in html(app, "themes").get_text()


def test_themes_window_and_theme_filter(built, html):
    block = html(built, "themes").select("div.themes")[2]
    summary = summary_of(block)
    assert [(name, count) for name, count, _ in summary] == [("Startup", "(2)")]
    assert [date for _, date, _ in summary[0][2]] == ["02 March 2019", "20 January 2019"]
