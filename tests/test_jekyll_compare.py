"""The table of ``permalink_cases.py`` against the real Jekyll, when it is installed.

The core tests (``test_permalinks.py``) use the table without Jekyll; this checks
that the table is what Jekyll 4.3 does.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from permalink_cases import CASES, Case

JEKYLL = shutil.which("jekyll")
pytestmark = pytest.mark.skipif(JEKYLL is None, reason="Jekyll is not installed")

#: Prints each post's relative path and URL, through Jekyll's own reader.
_URLS = """
require "jekyll"
source = ARGV[0]
config = Jekyll.configuration(
  "source" => source, "destination" => File.join(source, "_site"), "quiet" => true
)
site = Jekyll::Site.new(config)
site.reset
site.read
site.posts.docs.each { |doc| puts [doc.relative_path, doc.url].join("\\t") }
"""


def _groups() -> list[tuple[tuple[str, str], list[Case]]]:
    key = lambda case: (case.permalink, case.timezone)  # noqa: E731
    return [(k, list(g)) for k, g in itertools.groupby(sorted(CASES, key=key), key=key)]


def _jekyll_site(root: Path, permalink: str, timezone: str, cases: list[Case]) -> Path:
    root.mkdir(parents=True)
    (root / "_config.yml").write_text(
        f'permalink: "{permalink}"\ntimezone: {timezone}\n', encoding="utf-8"
    )
    for case in cases:
        path = root / case.jekyll_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{case.front}\n---\n\nBody.\n", encoding="utf-8")
    return root


def _run(args: list[str], cwd: Path) -> str:
    result = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, check=False, env={**os.environ, "TZ": "UTC"}
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(("setting", "cases"), _groups(), ids=lambda value: str(value))
def test_jekyll_gives_each_post_the_url_in_the_table(tmp_path, setting, cases):
    permalink, timezone = setting
    root = _jekyll_site(tmp_path / "jekyll", permalink, timezone, cases)
    lines = _run(["ruby", "-e", _URLS, str(root)], root).splitlines()
    urls = dict(line.split("\t") for line in lines)
    assert {case.jekyll_path: case.url for case in cases} == urls
