"""A site whose theme changes the configuration at build time.

``roots/test-late-config`` has a local extension that sets a configuration value at
``builder-inited``, as some themes do: Sphinx then finds the configuration changed
on every build and reads every document again.  Whatever is kept between builds
must survive that: the second build lists every post, and equals a clean build.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.util.console import strip_colors

from helpers import build_dir, copy_root, equals_clean_build

POSTS = ["A bisque firing", "A glaze firing", "A raku firing", "A salt firing"]


def listed_titles(outdir: Path, page: str) -> list[str]:
    """The titles of the posts an archive page lists: ABlog's catalog entries
    (``blog/archive.html``) or its collection's post titles (``blog.html``)."""
    soup = BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")
    links = soup.select(".ablog__catalog_post a, .ablog__collection .ablog-post-title a")
    return sorted(a.get_text(strip=True) for a in links)


@pytest.fixture
def rebuilt(tmp_path) -> tuple[Path, str, Path]:
    """The root built twice, nothing edited: the source folder, the second build's
    status, and its output folder."""
    src = copy_root(tmp_path, "late-config")
    build_dir(src)
    app = build_dir(src)
    return src, strip_colors(app.status.getvalue()), Path(app.outdir)


def test_every_rebuild_reads_every_document(rebuilt):
    """The shape itself: without it the tests below test nothing new."""
    _, status, _ = rebuilt
    assert "late_config_stamp" in status  # "[config changed ('late_config_stamp')]"
    assert "0 added, 0 changed" not in status


@pytest.mark.parametrize("page", ["blog.html", "blog/archive.html", "blog/2024.html"])
def test_archive_pages_still_list_every_post(rebuilt, page):
    _, _, outdir = rebuilt
    expected = POSTS if page != "blog/2024.html" else POSTS[:3]
    assert listed_titles(outdir, page) == expected


def test_second_build_equals_a_clean_build(rebuilt, tmp_path):
    src, _, _ = rebuilt
    assert equals_clean_build(src, tmp_path) == ""


def test_a_blog_document_keeps_all_posts_after_the_second_build(tmp_path):
    """``blog.md`` holding only a heading, as on the sites the issue names: plain
    ABlog's ``blog.html`` is "All Posts", in the second build too."""
    src = copy_root(tmp_path, "late-config")
    (src / "blog.md").write_text("# Blog\n", encoding="utf-8")
    build_dir(src)
    outdir = Path(build_dir(src).outdir)
    assert listed_titles(outdir, "blog.html") == POSTS
