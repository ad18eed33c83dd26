"""Posts out of the navigation that every page repeats (``ablog_ext/speed/navigation.py``).

The test root lists its posts in a hidden glob toctree of the root document, with
a page that is not a post (``notes``) in the same toctree, other pages in a visible
one, and more posts below a page that is not a post (``journal/index``).  Built
with pydata-sphinx-theme (header links, their "More" menu, their copy in the
primary sidebar, the sidebar navigation) and with alabaster (Sphinx's
``toctree()`` in its "Navigation" sidebar): no post is linked from those on any
page, every other page is, and the build has no warning.  With
``ablog_ext_posts_in_navigation = True`` the posts are back.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import (
    build_dir,
    copy_root,
    equals_clean_build,
    output_snapshot,
    rebuild,
    snapshot_differences,
    warnings_of,
)

POSTS = {
    "posts/2021-01-01-post-1": "Blog post number 1",
    "posts/2021-02-02-post-2": "Blog post number 2",
    "posts/2021-03-03-post-3": "Blog post number 3",
    "journal/2022-01-11-entry-1": "Journal entry number 1",
    "journal/2022-02-12-entry-2": "Journal entry number 2",
}
#: The root's toctrees, as every page's header links list them.
TOP_PAGES = {
    "about": "About this site",
    "guide/index": "The guide",
    "journal/index": "The journal",
    "notes": "Release notes",
}
PAGES = {"index": "Navigation", **TOP_PAGES, "guide/setup": "Setting up"}
#: Where each theme shows the navigation every page repeats.
NAVIGATION = {
    "pydata_sphinx_theme": [
        ".bd-header .navbar-header-items",
        ".bd-sidebar-primary .sidebar-header-items",
        "nav.bd-docs-nav",
    ],
    # Sphinx's toctree() output, in the "Navigation" sidebar.
    "alabaster": ['.sphinxsidebar li[class^="toctree-l"]'],
}


def dropdown(outdir: Path, page: str) -> list[str]:
    """The links in pydata-sphinx-theme's "More" menu of header links on *page*."""
    soup = BeautifulSoup((outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    return [link.get_text(" ", strip=True) for link in soup.select(".bd-header .dropdown-menu a")]


def linked_pages(outdir: Path, page: str, selectors: list[str]) -> list[str]:
    """The documents the navigation of *page* links to, in order."""
    soup = BeautifulSoup((outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    found = []
    for selector in selectors:
        for area in soup.select(selector):
            for link in area.select("a[href]"):
                href = link["href"].split("#")[0]
                if not href:  # the page itself
                    found.append(page)
                elif "://" not in href:
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
                    found.append(target.removesuffix(".html"))
    return found


@pytest.fixture(scope="module", params=["pydata_sphinx_theme", "alabaster"])
def theme(request):
    return request.param


@pytest.fixture(scope="module")
def builds(site_factory, theme):
    return {
        option: site_factory(
            "navigation",
            confoverrides={"html_theme": theme, "ablog_ext_posts_in_navigation": option},
        )
        for option in (False, True)
    }


def test_posts_are_left_out_of_the_navigation_on_every_page(builds, theme):
    app = builds[False]
    assert warnings_of(app) == []
    outdir = Path(app.outdir)
    for page in [*PAGES, *POSTS]:
        linked = linked_pages(outdir, page, NAVIGATION[theme])
        assert set(linked) & set(POSTS) == set(), page
        # Pages that are not posts stay, those in the posts' toctree too.
        assert set(TOP_PAGES) <= set(linked), (page, linked)
        if theme == "pydata_sphinx_theme":
            # Four header links: no "More" menu.
            assert dropdown(outdir, page) == [], page


def test_the_option_puts_the_posts_back(builds, theme):
    app = builds[True]
    assert warnings_of(app) == []
    outdir = Path(app.outdir)
    root_posts = {name for name in POSTS if name.startswith("posts/")}
    for page in [*PAGES, *POSTS]:
        linked = set(linked_pages(outdir, page, NAVIGATION[theme]))
        assert root_posts | set(TOP_PAGES) <= linked, (page, linked)
        if theme == "pydata_sphinx_theme":
            # Seven header links: five before "More", two in it.
            assert dropdown(outdir, page) == ["Blog post number 2", "Blog post number 3"], page
    # The posts below a page that is not a post, where its navigation opens.
    linked = set(linked_pages(outdir, "journal/index", NAVIGATION[theme]))
    assert {"journal/2022-01-11-entry-1", "journal/2022-02-12-entry-2"} <= linked


def test_posts_stay_in_their_toctrees_for_everything_else(builds, theme):
    """Previous and next links reach the posts, and a toctree in a page's body
    lists them, whichever the option."""
    for app in builds.values():
        outdir = Path(app.outdir)
        soup = BeautifulSoup(
            (outdir / "posts/2021-01-01-post-1.html").read_text(encoding="utf-8"),
            "html.parser",
        )
        assert soup.select_one('link[rel="next"]')["href"] == "2021-02-02-post-2.html"
        assert soup.select_one('link[rel="prev"]')["href"] == "../notes.html"
        journal = BeautifulSoup(
            (outdir / "journal/index.html").read_text(encoding="utf-8"), "html.parser"
        )
        body = journal.select_one("article.bd-article") or journal.select_one('[role="main"]')
        texts = [link.get_text(" ", strip=True) for link in body.select(".toctree-wrapper a")]
        assert texts == ["Journal entry number 1", "Journal entry number 2"]


# -- incremental builds --------------------------------------------------------------------


def add_page(src: Path) -> None:
    (src / "extra.md").write_text("# An extra page\n\nNew here.\n", encoding="utf-8")
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("about\n", "about\nextra\n", 1))


def remove_page(src: Path) -> None:
    (src / "extra.md").unlink()
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("about\nextra\n", "about\n", 1))


def test_a_page_added_or_removed_rewrites_what_it_did(tmp_path):
    """Adding and removing a page that is not a post writes the same pages again,
    with the posts out of the navigation or in it; those show the new page."""
    written = {}
    for option in (False, True):
        overrides = {"confoverrides": {"ablog_ext_posts_in_navigation": option}}
        src = copy_root(tmp_path / str(option), "navigation")
        build_dir(src, **overrides)
        add_page(src)
        added, _ = rebuild(src, warning_free=True, **overrides)
        outdir = src / "_build" / "html"
        for page in ("index", "extra"):
            linked = linked_pages(outdir, page, NAVIGATION["pydata_sphinx_theme"])
            assert "extra" in linked, (option, page)
            assert (set(linked) & set(POSTS) != set()) is option, (option, page)
        remove_page(src)
        removed, _ = rebuild(src, warning_free=True, **overrides)
        assert "extra" not in linked_pages(outdir, "index", NAVIGATION["pydata_sphinx_theme"])
        written[option] = (added, removed)
    assert written[False] == written[True]


def test_a_post_added_or_deleted_equals_a_clean_build(tmp_path):
    """With the posts out of the navigation, no page's navigation changes when a
    post comes or goes: the incremental build is the clean build."""
    src = copy_root(tmp_path, "navigation")
    build_dir(src)
    post = src / "posts" / "2021-04-04-post-4.md"
    post.write_text("---\ntitle: Blog post number 4\n---\n\nThe body.\n", encoding="utf-8")
    written, _ = rebuild(src, warning_free=True)
    assert "posts/2021-04-04-post-4.html" in written
    assert equals_clean_build(src, tmp_path) == ""
    (src / "posts" / "2021-02-02-post-2.md").unlink()
    rebuild(src, warning_free=True)
    assert equals_clean_build(src, tmp_path) == ""


def test_parallel_writes_leave_the_posts_out_too(tmp_path):
    """``-j 2``: pages written by worker processes are the serial build's."""
    sites = {}
    for parallel in (1, 2):
        src = copy_root(tmp_path / str(parallel), "navigation")
        # Enough pages for Sphinx to write them in several chunks.
        for number in range(10, 40):
            (src / "posts" / f"2021-05-{number % 28 + 1:02d}-extra-{number}.md").write_text(
                f"---\ntitle: Extra post {number}\n---\n\nThe body of {number}.\n",
                encoding="utf-8",
            )
        app = build_dir(src, parallel=parallel)
        assert warnings_of(app) == []
        sites[parallel] = Path(app.outdir)
    assert snapshot_differences(output_snapshot(sites[2]), output_snapshot(sites[1])) == ""
    for page in [*PAGES, *POSTS, "posts/2021-05-11-extra-10"]:
        linked = linked_pages(sites[2], page, NAVIGATION["pydata_sphinx_theme"])
        assert not any(name.startswith(("posts/", "journal/2")) for name in linked), page
        assert set(TOP_PAGES) <= set(linked), page
