"""Bad front matter: a located warning, the post still built, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("badinput")


def warning_for(warnings, filename, line, fragment):
    pattern = re.compile(
        rf"{re.escape(filename)}:{line}: WARNING: .*{re.escape(fragment)}.*\[ablog_ext\."
    )
    return [w for w in warnings if pattern.search(w)]


@pytest.mark.parametrize(
    ("filename", "line", "fragment"),
    [
        ("2020-03-01-not-a-date.md", 3, "using the date in the file name"),
        ("impossible-date.md", 4, "the post is a draft"),
        ("2020-03-03-wrong-shapes.md", 3, "'tags' should be a list or text"),
        ("2020-03-03-wrong-shapes.md", 7, "'published' should be true or false"),
        ("2020-03-04-list-title.md", 2, "'title' should be text"),
        ("2020-03-05-unclosed.md", 1, "never closes"),
        ("2020-03-06-overwrite.md", 4, "must be a path on this site"),
        ("2020-03-06-overwrite.md", 4, "would overwrite the page 'about'"),
        ("2020-03-07-duplicate-redirect.md", 4, "already redirects there"),
    ],
)
def test_each_problem_is_a_located_warning(built, warnings, filename, line, fragment):
    assert warning_for(warnings(built), filename, line, fragment), warnings(built)


def test_no_traceback_and_nothing_else(built, warnings):
    text = built.warning.getvalue()
    assert "Traceback" not in text
    assert all("[ablog_ext." in w for w in warnings(built)), warnings(built)


def test_every_post_still_built(built):
    outdir = Path(built.outdir)
    for source in Path(built.srcdir, "posts").glob("*.md"):
        assert (outdir / "posts" / (source.stem + ".html")).exists(), source.name
    posts = built.env.ablog_posts
    assert posts["posts/2020-03-01-not-a-date"][0]["date"].isoformat() == "2020-03-01T00:00:00"
    assert posts["posts/impossible-date"][0]["date"] is None
    assert posts["posts/2020-03-03-wrong-shapes"][0]["category"] == ["2019"]
    assert posts["posts/2020-03-03-wrong-shapes"][0]["tags"] == []
    assert posts["posts/2020-03-05-unclosed"][0]["title"] == "Unclosed"
    assert posts["posts/2020-03-05-unclosed"][0]["category"] == ["Tests"]


def test_refused_redirect_leaves_the_page(built):
    about = Path(built.outdir, "about.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' not in about
    fine = Path(built.outdir, "fine/index.html").read_text(encoding="utf-8")
    assert "2020-03-06-overwrite.html" in fine
