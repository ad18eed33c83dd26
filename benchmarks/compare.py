"""This checkout of ablog-ext against another one (an older commit), on the same
generated posts, in one run, the two taking turns:

    git worktree add ../ablog-ext-before <commit>
    python3 -m nox -s bench-compare -- --baseline ../ablog-ext-before --posts 1000

For each site shape: full builds (``--repeat`` each, medians) and a no-op rebuild
after each, with wall-clock time and the peak memory of the build's process tree,
measured as ``run.py`` measures them.  The baseline's package is put first on
``PYTHONPATH`` for its builds; everything else (Sphinx, ABlog, the theme) is the
same installation.  A ratio above 1 means this checkout is slower.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import SHAPES, generate
from run import Run, measure

HERE = Path(__file__).resolve().parents[1]


def command(package_root: Path, srcdir: Path, outdir: Path) -> list[str]:
    """``sphinx-build`` with *package_root*'s ablog_ext first on the import path."""
    return [
        "env", f"PYTHONPATH={package_root}",
        sys.executable, "-m", "sphinx", "-q", "-b", "html", str(srcdir), str(outdir),
    ]  # fmt: skip


def compare(baseline: Path, posts: int, shape: str, repeat: int, workdir: Path) -> list[str]:
    systems = {"this checkout": HERE, "baseline": baseline}
    sites = {}
    for name in systems:
        srcdir = workdir / f"{shape}-{name.replace(' ', '-')}"
        generate(srcdir, posts, "ext", shape)
        sites[name] = srcdir
    full: dict[str, list[Run]] = {name: [] for name in systems}
    noop: dict[str, list[Run]] = {name: [] for name in systems}
    for _ in range(repeat):
        for name, root in systems.items():
            outdir = sites[name] / "_build"
            shutil.rmtree(outdir, ignore_errors=True)
            html = outdir / "html"
            full[name].append(measure(command(root, sites[name], html), memory_limit_mb=8000,
                                      timeout=1800)[0])  # fmt: skip
            noop[name].append(measure(command(root, sites[name], html), memory_limit_mb=8000,
                                      timeout=1800)[0])  # fmt: skip
    rows = []
    for label, runs in (("full build", full), ("no-op rebuild", noop)):
        now = statistics.median(run.seconds for run in runs["this checkout"])
        before = statistics.median(run.seconds for run in runs["baseline"])
        mem_now = statistics.median(run.tree_mb for run in runs["this checkout"])
        mem_before = statistics.median(run.tree_mb for run in runs["baseline"])
        rows.append(
            f"| {shape} | {posts} | {label} | {now:.2f} s | {before:.2f} s | {now / before:.2f}x "
            f"| {mem_now:.0f} / {mem_before:.0f} MB |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--baseline", type=Path, required=True, help="another checkout's root")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES))
    args = parser.parse_args()
    baseline = args.baseline.resolve()
    if not (baseline / "ablog_ext" / "__init__.py").is_file():
        parser.error(f"{baseline} holds no ablog_ext package")
    print("| shape | posts | build | this checkout | baseline | ratio | memory (this / baseline) |")
    print("|---|---:|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="ablog-ext-compare-") as tmp:
        for shape in args.shapes:
            for row in compare(baseline, args.posts, shape, args.repeat, Path(tmp)):
                print(row, flush=True)


if __name__ == "__main__":
    main()
