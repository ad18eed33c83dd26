"""``benchmarks/serve_others.py``: the serve benchmark's other systems.

- ``jekyll serve`` on the generated Jekyll site, with the benchmark's own edits and
  polls: every edit shows on the page polled (the post's page for its body, title and
  category, ``blog.html`` for a new post), the rebuild's end is read from the log,
  and the server's process group is gone after ``stop``. Jekyll is installed in CI
  (for the permalink tests): without it this test fails there and skips elsewhere.
- The table: a change never shown reads as such, with no ratio.

Hugo is not installed in CI, so no test starts ``hugo server``.
"""

from __future__ import annotations

import importlib
import math
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from chromium import on_ci

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def others() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module("serve_others")
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture
def jekyll(others: ModuleType) -> object:
    """The ``jekyll serve`` system; a skip without Jekyll, a failure under CI."""
    if shutil.which("jekyll") is None:
        if on_ci(os.environ):
            pytest.fail("jekyll is not installed [CI=true: it must be]", pytrace=False)
        pytest.skip("jekyll is not installed")
    return next(other for other in others.OTHERS if other.name == "jekyll serve")


def test_jekyll_serve_shows_each_edit_on_the_page_polled(others, jekyll, tmp_path):
    measured = others.run_other(jekyll, tmp_path, posts=6, edits=2, timeout=20)
    for kind, runs in measured.rows.items():
        assert len(runs) == 2, kind
        for shown, over in runs:
            assert shown < 20, f"{kind}: not shown on {jekyll.name}'s page"
            assert over >= shown, kind
    # Each edit was made to the site's own files, and Jekyll wrote what was polled.
    site = tmp_path / "jekyllserve-site"
    titles = [path.read_text() for path in site.glob("posts/*.html")]
    assert any("Retitled post 1" in text and "Moved here 1" in text for text in titles)
    assert "A brand new post 1" in (site / "blog.html").read_text()
    assert len(list((tmp_path / "jekyllserve" / "_posts").glob("*.md"))) == 6 + 2
    assert measured.rss_first > 0
    log = (tmp_path / "jekyllserve.log").read_text()
    assert log.count("...done in") >= 4 * 2, log
    assert "Server address: http://127.0.0.1:" in log


def test_stopped_server_leaves_no_process(others, jekyll, tmp_path):
    srcdir = jekyll.generate(tmp_path / "site", 2)
    server = others.OtherServer(jekyll, srcdir, timeout=10)
    group = server.process.pid
    assert others.group_rss(group) > 0
    server.stop()
    with pytest.raises(ProcessLookupError):
        os.killpg(group, 0)
    assert others.group_rss(group) == 0


def test_table_says_never_shown_and_gives_no_ratio(others):
    def measured(name: str, new: float) -> object:
        rows = {kind: [(0.5, 1.0)] for kind in ("body", "title", "category")}
        rows["new"] = [(new, new)]
        return others.Measured(name, 2.0, 100 * 2**20, 110 * 2**20, rows)

    lines = others.table([measured("ablog-ext serve", 1.0), measured("x", math.inf)], 6, 1, 30)
    new = next(line for line in lines if line.startswith("| new post"))
    assert new.endswith("| 1.00 s (1.00 s) | not shown in 30 s | n/a |"), new
    body = next(line for line in lines if line.startswith("| body edit"))
    assert body.endswith("| 0.50 s (1.00 s) | 0.50 s (1.00 s) | 1.00x |"), body
