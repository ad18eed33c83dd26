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
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).parent))
from generate import FEATURE_VARIANTS, SHAPES, VARIANTS, generate
from run import edit_body, edit_sidebar


class Phase(NamedTuple):
    """The cumulative time of *function* in *path* (only when called from *caller*)."""

    label: str
    indent: int
    path: str
    function: str
    caller: str | None


def phases(table: str) -> list[Phase]:
    """A phase a line: ``path:function`` (``path:function<caller``), two spaces, the
    label; each two spaces of indent nest the phase one deeper."""
    result = []
    for line in table.strip("\n").splitlines():
        where, label = line.strip().split("  ", 1)
        path, function = where.split(":")
        function, _, caller = function.partition("<")
        indent = (len(line) - len(line.lstrip())) // 2
        result.append(Phase(label, indent, path, function, caller or None))
    return result


#: The phases of a build, each the cumulative time of one function: a tree, so the shares
#: do not add up (parsing is part of reading).
PHASES = phases("""
sphinx/application.py:build  whole build (Sphinx.build)
  sphinx/builders/__init__.py:read  reading (Builder.read)
    sphinx/util/docutils.py:_parse_str_to_doctree  parse + read transforms, per document (_parse_str_to_doctree)
      sphinx/util/docutils.py:_get_settings<_parse_str_to_doctree  docutils settings built per document (_get_settings)
      myst_parser/parsers/sphinx_.py:parse  MyST parse (MystParser.parse)
      ablog_ext/reading/posts.py:parse  ablog_ext's parser: front matter + MyST (posts.py)
        markdown_it/main.py:render  markdown-it + MyST renderer (MarkdownIt.render)
        myst_parser/parsers/mdit.py:create_md_parser  a markdown-it parser per document (create_md_parser)
      sphinx/transforms/__init__.py:apply_transforms<_parse_str_to_doctree  read transforms (SphinxTransformer.apply_transforms)
        ablog/post.py:process_posts  ABlog post registration (process_posts, doctree-read)
        ablog_ext/reading/posts.py:record_post  ablog_ext record_post (doctree-read)
    sphinx/builders/__init__.py:write_doctree  pickling doctrees (write_doctree)
  ablog/post.py:register_posts  ABlog register_posts (Blog objects)
  sphinx/environment/__init__.py:check_consistency  consistency check
  sphinx/builders/__init__.py:write  writing documents (Builder.write)
    sphinx/environment/__init__.py:get_and_resolve_doctree  unpickling + resolving (get_and_resolve_doctree)
    sphinx/search/__init__.py:feed  search index: feeding (IndexBuilder.feed)
    sphinx/builders/html/__init__.py:write_doc  one document's page (HTMLBuilder.write_doc)
  sphinx/builders/html/__init__.py:finish  finishing (HTMLBuilder.finish)
    sphinx/builders/html/__init__.py:gen_pages_from_extensions  pages from extensions (gen_pages_from_extensions)
      ablog/post.py:generate_archive_pages  ABlog archive contexts (generate_archive_pages)
      ablog/blog.py:to_html  ABlog excerpts (Post.to_html)
      ablog/post.py:generate_atom_feeds  ABlog feeds (generate_atom_feeds)
      ablog_ext/pages/feeds.py:write_feeds  ablog_ext feeds (write_feeds)
      ablog_ext/pages/review.py:review_pages  ablog_ext review pages
      ablog_ext/pages/passages.py:theme_pages  ablog_ext theme pages
    sphinx/builders/html/__init__.py:dump_search_index  search index: dump (dump_search_index)
  sphinx/builders/html/__init__.py:handle_page  every page template (handle_page)
    pydata_sphinx_theme/__init__.py:update_and_remove_templates  pydata: sidebars rendered to test emptiness (update_and_remove_templates)
    pydata_sphinx_theme/toctree.py:generate_header_nav_html  navbar: header links (generate_header_nav_html)
    pydata_sphinx_theme/toctree.py:generate_toctree_html  navbar: section navigation (generate_toctree_html)
    pydata_sphinx_theme/toctree.py:generate_toc_html  navbar: page toc (generate_toc_html)
    sphinx/environment/adapters/toctree.py:global_toctree_for_doc  toctree resolution (global_toctree_for_doc)
    sphinx/builders/html/__init__.py:render_partial  toctree to HTML (render_partial)
    bs4/__init__.py:__init__  BeautifulSoup parsing (pydata)
    ablog/templates/ablog/recentposts.html:root  ABlog sidebar: recent posts
    ablog/templates/ablog/archives.html:root  ABlog sidebar: archives
    ablog/templates/ablog/categories.html:root  ABlog sidebar: categories
    ablog/templates/ablog/tagcloud.html:root  ABlog sidebar: tag cloud
    ablog/templates/ablog/postcard.html:root  ABlog sidebar: post card
    ablog/templates/ablog/collection.html:root  ABlog archive page body (collection.html)
""")  # noqa: E501

INDENT = "\u00a0\u00a0"  # non-breaking: Markdown keeps them

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
    for label, indent, path, function, caller in PHASES:
        regex = re.compile(re.escape(path) + r":\d+\((" + function + r")\)$")
        seconds = 0.0
        calls = 0
        for func, (_cc, nc, _tt, ct, callers) in raw.items():
            if not regex.search(_key(func)):
                continue
            if not caller:
                seconds += ct
                calls += nc
                continue
            for who, (_c, n, _t, cumulative) in callers.items():
                if who[2] == caller:
                    seconds += cumulative
                    calls += n
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


def compare(paths: list[Path]) -> str:
    """One phase table over several profiles: CPU seconds and share of each."""
    columns = []
    for path in paths:
        stats = pstats.Stats(str(path))
        raw = stats.stats  # type: ignore[attr-defined]
        total = max(ct for (_cc, _nc, _tt, ct, _callers) in raw.values())
        columns.append((total, {label: seconds for label, _i, seconds, _n in phase_rows(stats)}))
    out = ["| phase | " + " | ".join(path.stem for path in paths) + " |"]
    out.append("|---|" + "---:|" * len(paths))
    for label, indent, *_rest in PHASES:
        cells = []
        for total, found in columns:
            seconds = found.get(label)
            cells.append("" if seconds is None else f"{seconds:.1f} ({seconds / total:.0%})")
        if any(cells):
            name = INDENT * int(indent) + str(label)
            out.append(f"| {name} | " + " | ".join(cells) + " |")
    totals = " | ".join(f"{total:.1f}" for total, _found in columns)
    out.append(f"| profiled total, CPU s | {totals} |")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument(
        "--variants", nargs="+", choices=[*VARIANTS, *FEATURE_VARIANTS], default=list(VARIANTS)
    )
    parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--keep", type=Path, help="keep the .prof files in this folder")
    parser.add_argument(
        "--rebuilds", action="store_true", help="also a no-op rebuild, a body and a sidebar edit"
    )
    parser.add_argument("--report", type=Path, nargs="*", help="only report these .prof files")
    parser.add_argument("--compare", type=Path, nargs="*", help="one phase table for these")
    args = parser.parse_args()
    if args.compare:
        print(compare(args.compare))
        return
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
                outdir = srcdir / "_build" / "html"
                stats_path = keep / f"{name}.prof"
                profile_build(srcdir, outdir, stats_path)
                print(report(stats_path, name, args.top), flush=True)
                if args.rebuilds:
                    for kind, edit in (
                        ("noop", None),
                        ("body", edit_body),
                        ("sidebar", edit_sidebar),
                    ):
                        if edit is not None:
                            edit(srcdir, 0)
                        path = keep / f"{name}-{kind}.prof"
                        profile_build(srcdir, outdir, path)
                        print(report(path, path.stem, args.top), flush=True)


if __name__ == "__main__":
    main()
