"""Build the same generated posts with plain ABlog and with ablog_ext; print a table.

    python3 -m nox -s bench -- --posts 200 1000

For each size: a full build of each site, then for ablog_ext (and, for reference,
plain ABlog) a no-op rebuild and a rebuild after moving one post to another
category.  Every build runs in its own process; time is wall-clock and memory the
process's peak resident set size.  The edit is checked where it must show: the
new category's page and feed, and the year's review page.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

NEW_CATEGORY = "Moved here"


@dataclass
class Build:
    seconds: float
    peak_mb: float
    read: int


#: Runs sphinx-build in this process, then reports the process's own peak RSS.
_BUILD_AND_MEASURE = """
import resource, sys
from sphinx.cmd.build import main
status = main(sys.argv[1:])
print("PEAK_RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(status)
"""


def sphinx_build(srcdir: Path, outdir: Path) -> Build:
    command = [sys.executable, "-c", _BUILD_AND_MEASURE, "-b", "html", str(srcdir), str(outdir)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"sphinx-build failed in {srcdir}:\n{result.stderr[-3000:]}")
    peak_kb = int(result.stderr.rsplit("PEAK_RSS_KB", 1)[1].split()[0])
    read = 0
    for line in result.stdout.splitlines():
        if "updating environment:" in line and "added" in line:
            numbers = [int(word) for word in line.replace(",", " ").split() if word.isdigit()]
            read = numbers[0] + numbers[1] if len(numbers) >= 2 else 0
    return Build(seconds, peak_kb / 1024, read)


def edit_one_post(srcdir: Path) -> tuple[str, int]:
    """Move the middle post to a new category; return its slug and year."""
    posts = sorted((srcdir / "posts").glob("*.md"))
    target = posts[len(posts) // 2]
    text = target.read_text(encoding="utf-8")
    start = text.index("categories: [")
    end = text.index("]", start)
    target.write_text(
        text[:start] + f"categories: [{NEW_CATEGORY}]" + text[end + 1 :], encoding="utf-8"
    )
    return target.stem, int(target.stem[:4])


def edit_visible(outdir: Path, slug: str, year: int, variant: str) -> dict[str, bool]:
    page = outdir / "blog/category/moved-here.html"
    feed = outdir / "blog/category/moved-here/atom.xml"
    checks = {
        "category page": page.exists() and f"{slug}.html" in page.read_text(encoding="utf-8"),
        "category feed": feed.exists() and f"{slug}.html" in feed.read_text(encoding="utf-8"),
    }
    if variant == "ext":
        review = outdir / f"blog/review/{year}.html"
        text = review.read_text(encoding="utf-8") if review.exists() else ""
        checks["review page"] = NEW_CATEGORY in text and f"{slug}.html" in text
    return checks


def median_build(builds: list[Build]) -> Build:
    return sorted(builds, key=lambda build: build.seconds)[len(builds) // 2]


def run_size(
    posts: int, workdir: Path, repeat: int
) -> list[tuple[str, Build, dict[str, bool] | None]]:
    """Full builds *repeat* times each, plain and ablog_ext taking turns (so machine
    noise hits both alike); the median counts.  Then no-op and edit rebuilds."""
    sites = {
        variant: generate(workdir / f"{variant}-{posts}", posts, variant)
        for variant in ("plain", "ext")
    }
    fulls: dict[str, list[Build]] = {"plain": [], "ext": []}
    for _ in range(repeat):
        for variant, srcdir in sites.items():
            shutil.rmtree(srcdir / "_build", ignore_errors=True)
            fulls[variant].append(sphinx_build(srcdir, srcdir / "_build" / "html"))
    rows = []
    for variant, srcdir in sites.items():
        outdir = srcdir / "_build" / "html"
        rows.append((f"{variant} full", median_build(fulls[variant]), None))
        rows.append((f"{variant} no-op", sphinx_build(srcdir, outdir), None))
        slug, year = edit_one_post(srcdir)
        build = sphinx_build(srcdir, outdir)
        rows.append((f"{variant} one-post edit", build, edit_visible(outdir, slug, year, variant)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, nargs="+", default=[200])
    parser.add_argument("--repeat", type=int, default=3, help="full builds per site (median)")
    args = parser.parse_args()
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("sphinx", "ablog", "myst-parser", "pydata-sphinx-theme")
    )
    print(
        f"# ablog-ext benchmark\n\n{platform.python_implementation()} {platform.python_version()}, "
        f"{versions}; {os.cpu_count()} CPUs, {platform.machine()}\n"
    )
    for posts in args.posts:
        with tempfile.TemporaryDirectory(prefix="ablog-ext-bench-") as tmp:
            rows = run_size(posts, Path(tmp), args.repeat)
        baseline = rows[0][1]
        ext_full = rows[3][1]
        print(f"## {posts} posts\n")
        print("| build | seconds | vs plain full | vs ext full | peak RSS MB | docs read |", end="")
        print(" edit visible |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for name, build, visible in rows:
            shown = (
                ""
                if visible is None
                else ", ".join(f"{k}: {'yes' if v else 'NO'}" for k, v in visible.items())
            )
            print(
                f"| {name} | {build.seconds:.2f} | {build.seconds / baseline.seconds:.2f}x | "
                f"{build.seconds / ext_full.seconds:.2f}x | {build.peak_mb:.0f} | "
                f"{build.read} | {shown} |"
            )
        print()


if __name__ == "__main__":
    main()
