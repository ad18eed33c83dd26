"""What many test files share: real Sphinx builds of the scenarios under ``roots/``,
reading what they wrote, and comparing two builds.

Imported by name (``from helpers import build_dir``): ``pyproject.toml`` puts
``tests/`` on the path; ``conftest.py`` makes fixtures of a few of these.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import io
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

ROOTS = Path(__file__).parent / "roots"

#: A built site's HTML pages, each as bytes, by path (``html_files``).
Pages = dict[str, bytes]


# -- reading what a build wrote ----------------------------------------------------------


def read_page(outdir: Path, page: str) -> BeautifulSoup:
    """The built file *page* (``posts/foo.html``) under *outdir*, parsed."""
    return BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")


def read_html(app, pagename: str) -> BeautifulSoup:
    """The built page *pagename* (``posts/foo``), parsed."""
    return read_page(Path(app.outdir), pagename + ".html")


def html_files(outdir: Path) -> Pages:
    """Every HTML page under *outdir*, as bytes."""
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*.html"))
    }


def page_names(app, folder: str) -> list[str]:
    """The HTML pages directly in *folder* of *app*'s output, by name, sorted."""
    return sorted(path.name for path in Path(app.outdir, folder).glob("*.html"))


def page_times(outdir: Path) -> dict[str, int]:
    """When each HTML page under *outdir* was last written."""
    return {
        path.relative_to(outdir).as_posix(): path.stat().st_mtime_ns
        for path in outdir.rglob("*.html")
    }


def recent_titles(outdir: Path, page: str) -> str:
    """The text of *page*'s recent-posts sidebar."""
    return read_page(outdir, page).select_one(".ablog__recentposts").get_text(" ", strip=True)


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


def missing(text: str, parts: Iterable[str]) -> list[str]:
    """Each of *parts* that *text* does not hold: every one, where an assert of each
    would stop at the first."""
    return [part for part in parts if part not in text]


def heading_text(heading: Any) -> str:
    """A heading's text without the permalink a theme adds to it (Sphinx's ``¶``,
    pydata-sphinx-theme's ``#``): an ``a.headerlink`` inside the heading."""
    heading = copy.copy(heading)
    for link in heading.select("a.headerlink"):
        link.decompose()
    return heading.get_text(strip=True)


def headings(soup: BeautifulSoup, name: str) -> list[str]:
    """The text of each *name* heading (``h2``) in the page's article."""
    return [heading_text(heading) for heading in main_text(soup).find_all(name)]


def ablog_post(app, docname: str) -> dict[str, Any]:
    """ABlog's record of the post *docname* (its first, for a post with several)."""
    return app.env.ablog_posts[docname][0]


def injected(soup: BeautifulSoup, script_text: str = "pwned") -> list[str]:
    """Markup from a title or name that reached the page as markup: the test roots'
    titles hold ``<div class="t-div">``, ``<b class="t-b">`` and
    ``<script>window.pwned = 1</script>``; a script holding *script_text* counts too
    (``pwned = 1`` where a page's own scripts name it, e.g. by a tag's page name)."""
    found = soup.select(".t-div, .t-b")
    found += [s for s in soup.find_all("script") if script_text in s.get_text()]
    return [f"{tag.name} in {tag.parent.name}.{tag.parent.get('class')}" for tag in found]


# -- links -------------------------------------------------------------------------------


#: Attributes that hold a link to another file of the site.
_LINK_ATTRIBUTES = (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"))


def _ids(page: Path, cache: dict[Path, set[str]]) -> set[str]:
    if page not in cache:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        cache[page] = {
            str(tag.get(attribute))
            for attribute in ("id", "name")
            for tag in soup.find_all(attrs={attribute: True})
        }
    return cache[page]


def broken_links(outdir: Path) -> set[tuple[str, str]]:
    """Each internal link of *outdir*'s HTML pages that resolves nowhere, as (page,
    link): a relative ``href`` or ``src`` whose file is missing, or whose
    ``#fragment`` is no ``id`` (or ``name``) in the page it points to.  Links with a
    scheme (``https:``, ``mailto:``), a host (``//``) or from the site's root
    (``/``) are not the site's own relative links, and are left alone."""
    outdir = Path(outdir).resolve()
    ids: dict[Path, set[str]] = {}
    broken: set[tuple[str, str]] = set()
    for path in sorted(outdir.rglob("*.html")):
        page = path.relative_to(outdir).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for name, attribute in _LINK_ATTRIBUTES:
            for tag in soup.find_all(name, attrs={attribute: True}):
                link = str(tag[attribute])
                split = urlsplit(link)
                if split.scheme or split.netloc or link.startswith("/"):
                    continue
                target = (path.parent / unquote(split.path)).resolve() if split.path else path
                if not _resolves(outdir, target, unquote(split.fragment), ids):
                    broken.add((page, link))
    return broken


def _resolves(outdir: Path, target: Path, fragment: str, ids: dict[Path, set[str]]) -> bool:
    if target.is_dir():
        target = target / "index.html"
    if not target.is_relative_to(outdir) or not target.is_file():
        return False
    return not fragment or target.suffix != ".html" or fragment in _ids(target, ids)


# -- comparing two builds ----------------------------------------------------------------


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


# -- building ----------------------------------------------------------------------------


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Each of *files* (a path below *root*: text, written as UTF-8, or bytes) written,
    with the folders it needs; *root*."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def copy_root(tmp_path: Path, testroot: str) -> Path:
    """A copy of ``roots/test-<testroot>`` to edit and build."""
    srcdir = tmp_path / testroot
    shutil.copytree(ROOTS / f"test-{testroot}", srcdir)
    return srcdir


def build_dir(srcdir: Path, buildername: str = "html", **kwargs) -> SphinxTestApp:
    """Build *srcdir* (incrementally, if it was built before) and return the app."""
    with sphinx_defaults_kept():
        app = SphinxTestApp(buildername, srcdir=srcdir, **kwargs)
        try:
            app.build()
        finally:
            # Restores docutils' global registries; the results stay readable.
            app.cleanup()
    return app


@contextlib.contextmanager
def sphinx_defaults_kept() -> Iterator[None]:
    """Sphinx's defaults of its configuration values as they were before: one build
    must not change the next one's configuration.  pydata-sphinx-theme's ``setup``
    (sphinx-book-theme's too) appends its components folder to ``templates_path``,
    which is Sphinx's one default list when conf.py sets none: every later build in
    the process had it, and a site built before that found its configuration changed
    (``.buildinfo.bak``, every page rewritten)."""
    from sphinx.config import Config

    defaults = [opt.default for opt in Config.config_values.values()]
    saved = [copy.copy(value) for value in defaults]
    try:
        yield
    finally:
        for default, value in zip(defaults, saved, strict=True):
            if isinstance(default, list):
                default[:] = value
            elif isinstance(default, dict | set):
                default.clear()
                default.update(value)


def build_site(tmp_path: Path, testroot: str, buildername: str = "html", **kwargs) -> SphinxTestApp:
    """A fresh copy of ``roots/test-<testroot>`` in *tmp_path*, built once."""
    return build_dir(copy_root(tmp_path, testroot), buildername, **kwargs)


def page_after_edit(src: Path, path: Path, old: str, new: str, page: str) -> BeautifulSoup:
    """*src* built, *old* replaced by *new* in *path*, and *src* built again by the
    same application (what one build keeps must not reach the next): *page* of the
    second build."""
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
        edit(path, old, new)
        app.build()
    finally:
        app.cleanup()
    return read_page(Path(app.outdir), page)


def rebuild(src: Path, *, warning_free: bool = False, **kwargs) -> tuple[set[str], Path]:
    """Build *src* again; the HTML pages written (or created), and the output folder.
    *warning_free*: the build must print no warning."""
    outdir = src / "_build" / kwargs.get("buildername", "html")
    before = page_times(outdir)
    app = build_dir(src, **kwargs)
    if warning_free:
        assert warnings_of(app) == []
    after = page_times(outdir)
    return {page for page, time in after.items() if before.get(page) != time}, outdir


def edit(path: Path, old: str, new: str) -> None:
    """Replace *old*, which must be there, by *new* in the file at *path*."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def build_kept_and_each(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    speedup: ModuleType,
    testroot: str,
    buildername: str,
    **kwargs,
) -> tuple[SphinxTestApp, SphinxTestApp, Pages]:
    """*testroot* built twice, with what *speedup* renders once and keeps (``kept/``),
    and with ``speedup.REUSE`` off, rendered every time (``each/``): the same warnings
    and the same bytes.  The two applications, and the pages of the first."""
    kept = build_dir(copy_root(tmp_path / "kept", testroot), buildername, **kwargs)
    monkeypatch.setattr(speedup, "REUSE", False)
    each = build_dir(copy_root(tmp_path / "each", testroot), buildername, **kwargs)
    monkeypatch.undo()
    assert warnings_of(kept) == warnings_of(each)
    pages = html_files(Path(kept.outdir))
    assert_same_bytes(pages, html_files(Path(each.outdir)))
    return kept, each, pages


def assert_same_bytes(kept: Pages, each: Pages) -> None:
    """The same pages, byte for byte (as ``html_files`` gives them)."""
    assert sorted(kept) == sorted(each)
    assert [page for page in kept if kept[page] != each[page]] == []


# -- upstream changes, simulated ---------------------------------------------------------


def stop_stemming_through_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sphinx's ``IndexBuilder.feed`` no longer reads ``self.lang.stem``: the upstream
    change that turns the memoised search stems off (``test_reaches.py``, ``test_speed.py``)."""
    from sphinx.search import IndexBuilder

    original = IndexBuilder.feed

    def feed(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)

    monkeypatch.setattr(IndexBuilder, "feed", feed)


# -- the command line ----------------------------------------------------------------------


def run_cli(*argv: str | Path) -> tuple[int, str, str]:
    """``ablog-ext ARGV`` in this process: its exit status, output and errors."""
    from ablog_ext.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in argv])
    return code, out.getvalue(), err.getvalue()


def sphinx_build_w(srcdir: Path) -> tuple[int, str]:
    """``python -m sphinx -W --keep-going -b html SRCDIR SRCDIR/_build/html``, as a user
    runs it, in a new process: its exit status, and its output and errors."""
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", ".", "_build/html"],
        cwd=srcdir,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done.returncode, done.stdout + done.stderr
