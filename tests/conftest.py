"""Shared fixtures: real Sphinx builds of the scenarios under ``tests/roots``."""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

pytest_plugins = ["sphinx.testing.fixtures"]

ROOTS = Path(__file__).parent / "roots"


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see a failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


def read_html(app, pagename: str) -> BeautifulSoup:
    """The built page *pagename* (``posts/foo``), parsed."""
    path = Path(app.outdir, pagename + ".html")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def warnings_of(app) -> list[str]:
    """Each warning the build printed, without colours."""
    text = strip_colors(app.warning.getvalue())
    return [line for line in text.splitlines() if re.search(r"WARNING|ERROR|CRITICAL", line)]


def main_text(soup: BeautifulSoup) -> BeautifulSoup:
    """The article of a page, without navbar and sidebars: pydata-sphinx-theme's
    ``article``, or the ``role="main"`` body of Sphinx's basic themes (alabaster)."""
    return (
        soup.select_one("article.bd-article")
        or soup.select_one('[role="main"]')
        or soup.select_one("main")
        or soup
    )


def output_snapshot(outdir: Path) -> dict[str, str]:
    """Every HTML page and feed of a built site, whole, and every other file's name."""
    result = {}
    for path in sorted(Path(outdir).rglob("*")):
        if path.is_file():
            key = path.relative_to(outdir).as_posix()
            text = path.suffix in {".html", ".xml", ".json"}
            result[key] = path.read_text(encoding="utf-8") if text else "(file)"
    return result


def snapshot_differences(got: dict[str, str], want: dict[str, str]) -> str:
    """What differs between two snapshots (files missing or extra, the first differing
    page as a short diff); empty if nothing."""
    if sorted(got) != sorted(want):
        return f"files only in one output: {sorted(set(got) ^ set(want))}"
    for key in want:
        if got[key] != want[key]:
            lines = difflib.unified_diff(
                want[key].splitlines(), got[key].splitlines(), "clean", "incremental", n=2
            )
            return f"{key} differs:\n" + "\n".join(list(lines)[:40])
    return ""


def equals_clean_build(srcdir: Path, tmp_path: Path, **kwargs) -> str:
    """Differences between *srcdir*'s built output and a clean build of a copy of it."""
    clean_src = tmp_path / f"clean-{srcdir.name}"
    shutil.rmtree(clean_src, ignore_errors=True)
    shutil.copytree(srcdir, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean = build_dir(clean_src, **kwargs)
    got = output_snapshot(srcdir / "_build" / kwargs.get("buildername", "html"))
    return snapshot_differences(got, output_snapshot(Path(clean.outdir)))


@pytest.fixture
def html():
    return read_html


@pytest.fixture
def warnings():
    return warnings_of


def copy_root(tmp_path: Path, testroot: str) -> Path:
    """A copy of ``roots/test-<testroot>`` to edit and build."""
    srcdir = tmp_path / testroot
    shutil.copytree(ROOTS / f"test-{testroot}", srcdir)
    return srcdir


def build_dir(srcdir: Path, buildername: str = "html", **kwargs) -> SphinxTestApp:
    """Build *srcdir* (incrementally, if it was built before) and return the app."""
    app = SphinxTestApp(buildername, srcdir=srcdir, **kwargs)
    try:
        app.build()
    finally:
        # Restores docutils' global registries; the results stay readable.
        app.cleanup()
    return app


def build_site(tmp_path: Path, testroot: str, buildername: str = "html", **kwargs) -> SphinxTestApp:
    """A fresh copy of ``roots/test-<testroot>`` in *tmp_path*, built once."""
    return build_dir(copy_root(tmp_path, testroot), buildername, **kwargs)


@pytest.fixture(scope="module")
def site_factory(tmp_path_factory):
    """Module-scoped builds, for tests that only read what one build produced."""

    def make(testroot: str, **kwargs) -> SphinxTestApp:
        return build_site(tmp_path_factory.mktemp(testroot), testroot, **kwargs)

    return make
