"""An incremental build after an edit shows exactly what a clean build shows."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import build_dir, copy_root, edit

#: Pages whose content is computed from other documents.
DEPENDENT_PAGES = ["review-2019", "anniversary", "themes", "filters"]


def computed_content(outdir: Path) -> dict[str, str]:
    """The computed parts of every dependent and generated page, as text with links."""
    pages = {}
    paths = [outdir / f"{name}.html" for name in DEPENDENT_PAGES]
    paths += sorted((outdir / "blog/review").glob("*.html")) + sorted(
        (outdir / "blog/theme").glob("*.html")
    )
    paths += [outdir / "blog/theme.html"]
    for path in paths:
        if not path.exists():
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        parts = soup.select("div.year-in-review, div.themes, ul.themes-index, .ablog-ext__reviews")
        pages[str(path.relative_to(outdir))] = "\n".join(
            part.get_text(" ", strip=True)
            + " "
            + " ".join(a.get("href", "") for a in part.select("a"))
            for part in parts
        )
    return pages


def add_post(src: Path) -> None:
    (src / "posts/2019-08-08-summer.md").write_text(
        "---\ntitle: A summer post\ncategory: Career\ntags: [python]\n---\n\nWarm.\n\n"
        ":::{theme} Startup\nShipped in August.\n:::\n",
        encoding="utf-8",
    )


def delete_post(src: Path) -> None:
    (src / "posts/2019-03-25-python-tips.md").unlink()


def redate_post(src: Path) -> None:
    path = src / "posts/2019-03-25-python-tips.md"
    edit(path, "category: Notes", "date: 2020-01-03\ncategory: Notes")


def recategorise_post(src: Path) -> None:
    edit(src / "posts/2019-11-30-tech-lead.md", "category: Career", "category: Management")


def rename_theme(src: Path) -> None:
    edit(src / "posts/2019-01-20-new-job.md", ":::{theme} Startup", ":::{theme} Small company")


def unpublish_post(src: Path) -> None:
    edit(
        src / "posts/2019-01-20-new-job.md",
        "category: Career",
        "category: Career\npublished: false",
    )


EDITS: dict[str, tuple[Callable[[Path], None], str]] = {
    "add": (add_post, "A summer post"),
    "delete": (delete_post, None),
    "redate": (redate_post, "03 January 2020"),
    "recategorise": (recategorise_post, "Management"),
    "rename-theme": (rename_theme, "Small company"),
    "unpublish": (unpublish_post, None),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_incremental_equals_clean(tmp_path, name):
    change, visible = EDITS[name]
    incremental_src = copy_root(tmp_path / "incremental", "review")
    before = computed_content(Path(build_dir(incremental_src).outdir))
    change(incremental_src)
    after = computed_content(Path(build_dir(incremental_src).outdir))

    clean_src = tmp_path / "clean"
    shutil.copytree(incremental_src, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean = computed_content(Path(build_dir(clean_src).outdir))

    assert after == clean
    assert after != before
    if visible:
        assert (
            visible in after["review-2019.html"] + after["anniversary.html"] + after["themes.html"]
        )


def test_parallel_build_equals_serial(tmp_path, warnings):
    serial = build_dir(copy_root(tmp_path / "serial", "review"))
    parallel = build_dir(copy_root(tmp_path / "parallel", "review"), parallel=2)
    assert warnings(parallel) == []
    assert computed_content(Path(parallel.outdir)) == computed_content(Path(serial.outdir))


def test_parallel_rebuilds_keep_the_environment_small(tmp_path):
    """Posts read by ``-j`` workers must not drag the workers' environments into the
    saved one (each rebuild would double it)."""
    src = copy_root(tmp_path, "review")
    pickle = src / "_build/doctrees/environment.pickle"
    build_dir(src, parallel=3)
    first = pickle.stat().st_size
    for name in ("recategorise", "rename-theme", "redate"):
        EDITS[name][0](src)
        build_dir(src, parallel=3)
    assert pickle.stat().st_size < first * 1.5


def test_theme_pages_follow_their_passages_not_the_rest_of_the_post(tmp_path):
    src = copy_root(tmp_path, "review")
    outdir = Path(build_dir(src).outdir)
    pages = [outdir / "blog/theme/startup.html", outdir / "blog/theme/leadership.html"]
    times = [page.stat().st_mtime_ns for page in pages]
    post = src / "posts/2019-03-02-shipping.md"
    edit(post, "The first model went to production.", "The first model shipped on time.")
    build_dir(src)
    assert [page.stat().st_mtime_ns for page in pages] == times

    edit(post, "No process, so we wrote one.", "No process yet, so we wrote one.")
    build_dir(src)
    assert pages[0].stat().st_mtime_ns != times[0]
    assert "No process yet" in pages[0].read_text(encoding="utf-8")
    assert pages[1].stat().st_mtime_ns == times[1]
