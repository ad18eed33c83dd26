"""Profile a full build of the generated site with cProfile, grouped by phase.

    python3 benchmarks/profiles.py --posts 1000 --variants plain ext --shapes toctree orphan

Each build runs in its own process under cProfile, timed in CPU seconds of that
process (so other work on the machine does not distort the shares; cProfile itself
adds roughly half again: read shares, not seconds).  The raw profiles are kept (``--keep DIR``) for
``python3 -m pstats`` or snakeviz.  Phases are the cumulative time of marker
functions; they nest (parsing is part of reading), so shares do not add up.
"""

from __future__ import annotations

import argparse
import os
import pstats
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import SHAPES, VARIANTS, generate

#: (phase, indent, file, function): the cumulative time of that function is the phase's.
PHASES: list[tuple[str, int, str, str]] = [
    ("whole build (Sphinx.build)", 0, "sphinx/application.py", "build"),
    ("reading (Builder.read)", 1, "sphinx/builders/__init__.py", "read"),
    (
        "parse + transforms, per document (_parse_str_to_doctree)",
        2,
        "sphinx/util/docutils.py",
        "_parse_str_to_doctree",
    ),
    ("markdown-it tokenizing (MarkdownIt.parse)", 3, "markdown_it/main.py", "parse"),
    (
        "MyST tokens to docutils (DocutilsRenderer.render)",
        3,
        "myst_parser/mdit_to_docutils/base.py",
        "render",
    ),
    (
        "transforms (Transformer.apply_transforms)",
        3,
        "docutils/transforms/__init__.py",
        "apply_transforms",
    ),
    ("ABlog post registration (process_posts, doctree-read)", 2, "ablog/post.py", "process_posts"),
    ("ablog_ext front matter and excerpts (posts.py)", 2, "ablog_ext/posts.py", "record_post"),
    ("pickling doctrees (write_doctree)", 2, "sphinx/builders/__init__.py", "write_doctree"),
    ("ABlog register_posts (Blog objects)", 1, "ablog/post.py", "register_posts"),
    ("consistency check", 1, "sphinx/environment/__init__.py", "check_consistency"),
    ("writing documents (Builder.write)", 1, "sphinx/builders/__init__.py", "write"),
    (
        "unpickling + resolving (get_and_resolve_doctree)",
        2,
        "sphinx/environment/__init__.py",
        "get_and_resolve_doctree",
    ),
    ("search index: feeding (IndexBuilder.feed)", 2, "sphinx/search/__init__.py", "feed"),
    (
        "one document's page (HTMLBuilder.write_doc)",
        2,
        "sphinx/builders/html/__init__.py",
        "write_doc",
    ),
    ("finishing (HTMLBuilder.finish)", 1, "sphinx/builders/html/__init__.py", "finish"),
    (
        "pages from extensions (gen_pages_from_extensions)",
        2,
        "sphinx/builders/html/__init__.py",
        "gen_pages_from_extensions",
    ),
    (
        "ABlog archive contexts (generate_archive_pages)",
        3,
        "ablog/post.py",
        "generate_archive_pages",
    ),
    ("ABlog excerpts (Post.to_html)", 3, "ablog/blog.py", "to_html"),
    ("ABlog feeds (generate_atom_feeds)", 3, "ablog/post.py", "generate_atom_feeds"),
    ("ablog_ext feeds (write_feeds)", 3, "ablog_ext/feeds.py", "write_feeds"),
    ("ablog_ext review pages", 3, "ablog_ext/review.py", "review_pages"),
    ("ablog_ext theme pages", 3, "ablog_ext/themes.py", "theme_pages"),
    (
        "search index: dump (dump_search_index)",
        2,
        "sphinx/builders/html/__init__.py",
        "dump_search_index",
    ),
    ("every page template (handle_page)", 1, "sphinx/builders/html/__init__.py", "handle_page"),
    (
        "pydata: remove empty sidebar templates (update_and_remove_templates)",
        2,
        "pydata_sphinx_theme/__init__.py",
        "update_and_remove_templates",
    ),
    (
        "navbar: header links (generate_header_nav_html)",
        2,
        "pydata_sphinx_theme/toctree.py",
        "generate_header_nav_html",
    ),
    (
        "navbar: section navigation (generate_toctree_html)",
        2,
        "pydata_sphinx_theme/toctree.py",
        "generate_toctree_html",
    ),
    (
        "navbar: page toc (generate_toc_html)",
        2,
        "pydata_sphinx_theme/toctree.py",
        "generate_toc_html",
    ),
    (
        "toctree resolution (global_toctree_for_doc)",
        2,
        "sphinx/environment/adapters/toctree.py",
        "global_toctree_for_doc",
    ),
    ("toctree to HTML (render_partial)", 2, "sphinx/builders/html/__init__.py", "render_partial"),
    ("BeautifulSoup parsing (pydata)", 2, "bs4/__init__.py", "__init__"),
    ("ABlog sidebar: recent posts", 2, "ablog/templates/ablog/recentposts.html", "root"),
    ("ABlog sidebar: archives", 2, "ablog/templates/ablog/archives.html", "root"),
    ("ABlog sidebar: categories", 2, "ablog/templates/ablog/categories.html", "root"),
    ("ABlog sidebar: tag cloud", 2, "ablog/templates/ablog/tagcloud.html", "root"),
    ("ABlog sidebar: post card", 2, "ablog/templates/ablog/postcard.html", "root"),
    (
        "ABlog archive page body (collection.html)",
        2,
        "ablog/templates/ablog/collection.html",
        "root",
    ),
]


#: Runs sphinx-build under cProfile in a fresh process.
_PROFILED_BUILD = """
import cProfile, sys, time
from sphinx.cmd.build import main
# CPU time of this process: other processes on a shared machine do not inflate it.
profile = cProfile.Profile(time.process_time)
status = profile.runcall(main, sys.argv[2:])
profile.dump_stats(sys.argv[1])
sys.exit(status)
"""


def profile_build(srcdir: Path, outdir: Path, stats_path: Path) -> None:
    command = [sys.executable, "-c", _PROFILED_BUILD, str(stats_path), "-q", "-b", "html"]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    subprocess.run([*command, str(srcdir), str(outdir)], check=True, env=env)


def _key(func: tuple[str, int, str]) -> str:
    path, line, name = func
    return f"{path}:{line}({name})"


def _short(func: tuple[str, int, str]) -> str:
    path, line, name = func
    for marker in ("site-packages/", "lib/python3.11/", "/wp8-bench/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{line}({name})"


def phase_rows(stats: pstats.Stats) -> list[tuple[str, int, float, int]]:
    """(phase, indent, cumulative seconds, calls) for every phase found."""
    raw = stats.stats  # type: ignore[attr-defined]
    rows = []
    for label, indent, path, function in PHASES:
        regex = re.compile(re.escape(path) + r":\d+\((" + function + r")\)$")
        seconds = 0.0
        calls = 0
        for func, (_cc, nc, _tt, ct, _callers) in raw.items():
            if regex.search(_key(func)):
                seconds += ct
                calls += nc
        if calls:
            rows.append((label, indent, seconds, calls))
    return rows


def pickle_rows(stats: pstats.Stats) -> list[tuple[str, float, int]]:
    """Time in pickle's dump/load, by caller."""
    raw = stats.stats  # type: ignore[attr-defined]
    rows = []
    for func, (_cc, _nc, _tt, _ct, callers) in raw.items():
        if func[0] == "~" and re.search(r"_pickle\.(dump|dumps|load|loads)", func[2]):
            for caller, (_c, n, _t, cum) in callers.items():
                rows.append((f"{func[2]} from {_short(caller)}", cum, n))
    return sorted(rows, key=lambda row: -row[1])


def report(stats_path: Path, title: str, top: int) -> str:
    stats = pstats.Stats(str(stats_path))
    raw = stats.stats  # type: ignore[attr-defined]
    total = max(ct for (_cc, _nc, _tt, ct, _callers) in raw.values())
    out = [f"### {title}\n", f"Profiled total {total:.1f} CPU s (cProfile overhead included).\n"]
    out += ["| phase | cumulative s | share | calls |", "|---|---:|---:|---:|"]
    for label, indent, seconds, calls in phase_rows(stats):
        name = "\u00a0\u00a0" * indent + label
        out.append(f"| {name} | {seconds:.1f} | {seconds / total:.0%} | {calls} |")
    out += ["", "Pickling, by caller:", "", "| call | cumulative s | calls |", "|---|---:|---:|"]
    for name, seconds, calls in pickle_rows(stats)[:6]:
        out.append(f"| `{name}` | {seconds:.1f} | {calls} |")
    for order, column in (("cumulative", 3), ("self", 2)):
        out += ["", f"Top {top} by {order} time:", ""]
        out += ["| function | self s | cumulative s | calls |", "|---|---:|---:|---:|"]
        ranked = sorted(raw.items(), key=lambda item: -item[1][column])
        for func, (_cc, nc, tt, ct, _callers) in ranked[:top]:
            out.append(f"| `{_short(func)}` | {tt:.1f} | {ct:.1f} | {nc} |")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--keep", type=Path, help="keep the .prof files in this folder")
    parser.add_argument("--report", type=Path, nargs="*", help="only report these .prof files")
    args = parser.parse_args()
    if args.report:
        for path in args.report:
            print(report(path, path.stem, args.top))
        return
    keep = args.keep or Path(tempfile.mkdtemp(prefix="ablog-ext-profile-"))
    keep.mkdir(parents=True, exist_ok=True)
    for shape in args.shapes:
        for variant in args.variants:
            name = f"{variant}-{shape}-{args.posts}"
            with tempfile.TemporaryDirectory(prefix="ablog-ext-profile-") as tmp:
                srcdir = generate(Path(tmp) / name, args.posts, variant, shape)
                stats_path = keep / f"{name}.prof"
                profile_build(srcdir, srcdir / "_build" / "html", stats_path)
            print(report(stats_path, name, args.top), flush=True)


if __name__ == "__main__":
    main()
