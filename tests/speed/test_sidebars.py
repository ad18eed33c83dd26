"""Blog sidebars rendered once per link base (``ablog_ext/speed/sidebars.py``): the same
bytes as rendered on every page, the same pages rewritten after an edit, and
pydata-sphinx-theme told which of them are not empty."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from ablog_ext.speed import sidebars

from helpers import (
    Pages,
    build_dir,
    build_kept_and_each,
    copy_root,
    page_after_edit,
    recent_titles,
    warnings_of,
)

#: Every blog sidebar, on every page (``html_sidebars``).
EVERY_SIDEBAR = [
    "ablog/postcard.html",
    "ablog/recentposts.html",
    "ablog_ext/feeds.html",
    "ablog/archives.html",
    "ablog_ext/reviews.html",
    "ablog/categories.html",
    "ablog/tagcloud.html",
    "ablog/authors.html",
]


def build_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str, **kwargs
) -> tuple[SphinxTestApp, Pages]:
    """*testroot* built with its sidebars kept, and rendered page by page (the same
    bytes), without warnings; the first build, and its pages."""
    kept, _, pages = build_kept_and_each(tmp_path, monkeypatch, sidebars, *args, **kwargs)
    assert warnings_of(kept) == []
    return kept, pages


def assert_kept_at_depths(app: SphinxTestApp, buildername: str) -> None:
    """The sidebars were kept and given to other pages, at several folder depths."""
    state = sidebars.sidebars(app)
    assert state is not None and state.reused > state.rendered
    depths = {length for (_, length, _) in state.groups}
    assert {1, 2} <= depths if buildername == "html" else {2, 3} <= depths


@pytest.mark.parametrize(
    ("theme", "buildername", "every"),
    [
        ("pydata_sphinx_theme", "html", False),
        ("pydata_sphinx_theme", "html", True),
        ("pydata_sphinx_theme", "dirhtml", True),
        ("alabaster", "html", True),
        ("alabaster", "dirhtml", True),
    ],
)
def test_kept_sidebars_give_the_same_bytes(tmp_path, monkeypatch, theme, buildername, every):
    overrides: dict[str, Any] = {"html_theme": theme}
    if every:
        overrides["html_sidebars"] = {"**": EVERY_SIDEBAR}
    app, kept = build_both(
        tmp_path, monkeypatch, "sidebars", buildername, confoverrides=overrides
    )
    assert_kept_at_depths(app, buildername)
    # The page of a post shows its own card, and recent posts without itself.
    page = "posts/2021/2021-12-24-eighth" + ("/index.html" if buildername == "dirhtml" else ".html")
    soup = BeautifulSoup(kept[page], "html.parser")
    assert "The eighth post" not in soup.select_one(".ablog__recentposts").get_text()
    assert "24 December 2021" in soup.select_one(".ablog__postcard").get_text()
    if every:
        deep = "guide/deep/page" + ("/index.html" if buildername == "dirhtml" else ".html")
        links = BeautifulSoup(kept[deep], "html.parser").select(".ablog__archives a")
        assert links[0]["href"].startswith("../../")


def test_kept_sidebars_in_parallel_writes(tmp_path, monkeypatch):
    """``sphinx-build -j 2``: each worker process keeps its own sidebars."""
    overrides = {"html_sidebars": {"**": EVERY_SIDEBAR}}
    build_both(tmp_path, monkeypatch, "sidebars", "html", confoverrides=overrides, parallel=2)


def test_a_blog_without_posts_shows_no_empty_sidebar(tmp_path, monkeypatch):
    """Nothing to show: the theme drops the blog sidebars, as it does per page."""
    overrides = {"exclude_patterns": ["_build", "posts"], "html_sidebars": {"**": EVERY_SIDEBAR}}
    _, kept = build_both(tmp_path, monkeypatch, "sidebars", "html", confoverrides=overrides)
    soup = BeautifulSoup(kept["about.html"], "html.parser")
    assert soup.select(".ablog-sidebar-item") == []
    # Every sidebar of html_sidebars was empty: the theme shows no sidebar section.
    assert soup.select(".sidebar-primary-items__start") == []


def theme_declares(option: str) -> bool:
    """Whether pydata-sphinx-theme declares the theme option *option* (0.16.0 has
    no templates_skip_empty_check)."""
    import pydata_sphinx_theme

    folder = Path(pydata_sphinx_theme.__file__).parent / "theme"
    pattern = re.compile(rf"^\s*{re.escape(option)}\s*=", re.M)
    return any(
        pattern.search(path.read_text(encoding="utf-8"))
        for path in folder.glob("*/theme.*")
        if path.suffix in {".conf", ".toml"}
    )


def as_list(value: Any) -> list[str]:
    """The theme's option as it reads it: a list, or names separated by commas."""
    return [item.strip() for item in value.split(",")] if isinstance(value, str) else list(value)


def skip_empty_checks(srcdir: Path, **kwargs: Any) -> dict[str, list[str]]:
    """Each page's ``templates_skip_empty_check`` in a build of *srcdir*, as the theme
    reads it after every other handler."""
    seen: dict[str, list[str]] = {}

    def note(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
        seen[pagename] = as_list(context["theme_templates_skip_empty_check"])

    app = SphinxTestApp("html", srcdir=srcdir, **kwargs)
    try:
        app.connect("html-page-context", note, priority=1000)
        app.build()
    finally:
        app.cleanup()
    return seen


@pytest.mark.skipif(
    not theme_declares("templates_skip_empty_check"),
    reason="this pydata-sphinx-theme (0.16.0) has no templates_skip_empty_check option",
)
def test_skip_empty_check_keeps_what_the_user_set(tmp_path):
    """The blog sidebars that show something are added to the theme's option,
    after the user's value (and only where they show something)."""
    overrides = {
        "html_theme_options": {"templates_skip_empty_check": ["my-navbar.html"]},
        "html_sidebars": {"**": EVERY_SIDEBAR},
    }
    seen = skip_empty_checks(copy_root(tmp_path, "sidebars"), confoverrides=overrides)
    post = seen["posts/2021/2021-12-24-eighth"]
    assert post[0] == "my-navbar.html"
    assert {
        "ablog/postcard.html",
        "ablog/recentposts.html",
        "ablog/archives.html",
        "ablog/categories.html",
        "ablog/tagcloud.html",
        "ablog/authors.html",
        "ablog_ext/reviews.html",
    } <= set(post)
    # Not a post: no post card; no feed of its own: no feed links.
    assert "ablog/postcard.html" not in seen["about"]
    assert "ablog_ext/feeds.html" not in seen["about"]
    assert "ablog_ext/feeds.html" in seen["blog"]


@pytest.mark.skipif(
    not theme_declares("templates_skip_empty_check"),
    reason="this pydata-sphinx-theme (0.16.0) has no templates_skip_empty_check option",
)
def test_the_theme_default_stays_when_the_user_set_nothing(tmp_path):
    seen = skip_empty_checks(copy_root(tmp_path, "sidebars"))
    post = seen["posts/2021/2021-12-24-eighth"]
    assert post[:2] == ["sidebar-nav-bs.html", "navbar-nav.html"]
    assert "ablog/recentposts.html" in post
    # No blog sidebar on this page (ablog_ext's default html_sidebars).
    assert seen["about"] == ["sidebar-nav-bs.html", "navbar-nav.html"]


def test_a_sites_own_sidebar_template_is_rendered_on_each_page(tmp_path):
    """A site's own ``ablog/recentposts.html`` may show anything about the page."""
    src = copy_root(tmp_path, "sidebars")
    (src / "_templates" / "ablog").mkdir(parents=True)
    (src / "_templates" / "ablog" / "recentposts.html").write_text(
        '<p class="own-recent">{{ pagename }}</p>\n', encoding="utf-8"
    )
    app = build_dir(src, confoverrides={"templates_path": ["_templates"]})
    outdir = Path(app.outdir)
    for page in ("posts/2019-03-01-first", "posts/2019-08-12-second", "blog/tag/python"):
        soup = BeautifulSoup((outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        assert soup.select_one(".own-recent").get_text() == page


def test_pages_given_kept_sidebars_follow_what_they_show(tmp_path):
    """Pages that got another page's recent posts must be written again when a
    post in them is retitled: they read what that page read."""
    src = copy_root(tmp_path, "sidebars")
    first = build_dir(src)
    state = sidebars.sidebars(first)
    assert state is not None and state.reused > 0
    newest = src / "posts" / "2021" / "2021-12-24-eighth.md"
    text = newest.read_text(encoding="utf-8")
    newest.write_text(text.replace("The eighth post", "A retitled eighth post"), encoding="utf-8")
    outdir = Path(build_dir(src).outdir)
    # None of these was read again; each shows the recent posts of one render.
    old_pages = [
        "posts/2019-03-01-first.html",
        "posts/2019-08-12-second.html",
        "posts/2020-01-05-third.html",
        "blog/tag/travel.html",
        "blog/category/career.html",
        "blog/2019.html",
    ]
    for page in old_pages:
        assert "A retitled eighth post" in recent_titles(outdir, page), page


def test_a_second_build_of_the_same_application_shows_the_new_title(tmp_path):
    """Sidebars kept in one build are not reused in the next: a post's new title
    reaches the recent-posts sidebar of every page."""
    src = copy_root(tmp_path, "sidebars")
    post = src / "posts/2021/2021-12-24-eighth.md"
    page = page_after_edit(
        src, post, "The eighth post", "A renamed post", "posts/2019-03-01-first.html"
    )
    recent = page.select_one(".ablog__recentposts")
    assert recent is not None
    assert "A renamed post" in recent.get_text() and "The eighth post" not in recent.get_text()
