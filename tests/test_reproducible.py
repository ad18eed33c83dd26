"""Two clean builds of the same sources, in different folders, at different times,
under different time zones, give the same feeds, generated pages and switcher."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gitrepo import make_site_repo
from helpers import copy_root


def build(srcdir: Path, outdir: Path, tz: str, epoch: str) -> None:
    env = {**os.environ, "TZ": tz, "SOURCE_DATE_EPOCH": epoch}
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(srcdir), str(outdir)],
        check=True,
        env=env,
        capture_output=True,
    )


def generated(outdir: Path) -> dict[str, bytes]:
    """Everything ablog_ext and ABlog generate: archive, review, theme and redirect
    pages and feeds."""
    files = {}
    for path in sorted((outdir / "blog").rglob("*")):
        if path.is_file():
            files[str(path.relative_to(outdir))] = path.read_bytes()
    return files


def test_generated_pages_and_feeds_are_reproducible(tmp_path):
    first = copy_root(tmp_path / "one", "review")
    second = copy_root(tmp_path / "elsewhere" / "two", "review")
    build(first, tmp_path / "out-one", "Asia/Tokyo", "1800000000")
    build(second, tmp_path / "out-two", "America/Anchorage", "1900000000")
    one, two = generated(tmp_path / "out-one"), generated(tmp_path / "out-two")
    assert one.keys() == two.keys()
    assert any(name.endswith("atom.xml") for name in one)
    assert any(name.startswith("blog/review/") for name in one)
    assert any(name.startswith("blog/theme/") for name in one)
    differing = [name for name in one if one[name] != two[name]]
    assert differing == []


def test_switcher_is_reproducible(tmp_path):
    outputs = []
    for name, tz in (("a", "UTC"), ("b", "Pacific/Auckland")):
        repo = make_site_repo(tmp_path / name)
        repo.env["TZ"] = tz
        output = tmp_path / name / "site-out"
        result = repo.versions(output, base_url="https://example.org/docs/")
        assert result.returncode == 0, result.stderr
        outputs.append(output)
    for file in ("switcher.json", "index.html", "1.1/blog/atom.xml"):
        assert (outputs[0] / file).read_bytes() == (outputs[1] / file).read_bytes(), file
