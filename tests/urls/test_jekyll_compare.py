"""The table of ``permalink_cases.py`` against the real Jekyll, when it is installed.

The core tests (``test_permalinks.py``) use the table without Jekyll; this checks
that the table is what Jekyll 4.3 does, and that a Sphinx build writes a redirect
at every file ``jekyll build`` writes for a post.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import build_dir, warnings_of
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


def _post_files(site: Path) -> set[str]:
    return {
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if not path.relative_to(site).as_posix().startswith(("assets/", "feed"))
    }


@pytest.mark.parametrize("permalink", ["date", "pretty", "none", "/:year/:title"])
def test_sphinx_redirects_from_every_file_jekyll_writes(tmp_path, permalink):
    """A post without an offset in its date (the time zone is another test's)."""
    cases = [
        case
        for case in CASES
        if "-0500" not in case.front and "+0000" not in case.front and case.timezone == "UTC"
    ]
    # One post per file name: several cases reuse one.
    cases = list({case.file: case for case in cases}.values())
    root = _jekyll_site(tmp_path / "jekyll", permalink, "UTC", cases)
    _run([str(JEKYLL), "build", "--quiet", "--safe"], root)
    jekyll_files = _post_files(root / "_site")
    assert len(jekyll_files) == len(cases)

    srcdir = tmp_path / "sphinx"
    (srcdir / "posts").mkdir(parents=True)
    for case in cases:
        path = srcdir / "posts" / case.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{case.front}\n---\n\nBody.\n", encoding="utf-8")
    (srcdir / "index.md").write_text("# Home\n", encoding="utf-8")
    (srcdir / "conf.py").write_text(
        'extensions = ["ablog_ext"]\n'
        'blog_post_pattern = ["posts/*", "posts/**"]\n'
        'source_suffix = {".md": "markdown", ".markdown": "markdown"}\n'
        f"ablog_ext_permalink = {permalink!r}\n"
        "ablog_ext_folder_categories = True\n",
        encoding="utf-8",
    )
    app = build_dir(srcdir)
    # Jekyll rolls 2019-02-30 over to 2019-03-02; ablog_ext says it is not a date.
    # The cases spell one category two ways on purpose (Jekyll downcases it in URLs):
    # ablog_ext merges them into one archive, with a warning.
    expected = ("'2019-02-30'", "[ablog_ext.names]")
    assert [w for w in warnings_of(app) if not any(text in w for text in expected)] == []
    outdir = Path(app.outdir)
    missing = sorted(path for path in jekyll_files if not (outdir / path).is_file())
    assert missing == []
    for path in jekyll_files:
        text = (outdir / path).read_text(encoding="utf-8")
        assert 'http-equiv="refresh"' in text, path
