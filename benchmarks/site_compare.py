"""A real ABlog site built plain and with ``ablog_ext``: what the extension takes away.

    python benchmarks/site_compare.py SRC [--root DIR] [--work DIR] [--set NAME=VALUE]
        [--drop-ext NAME] [--prepend CODE] [--touch PATH] [--first] [--epoch SECONDS]
        [--python PY] [--pythonpath DIR] [--json FILE]

*SRC* is a Sphinx source folder (the one holding ``conf.py``).  It is never written:
each build gets its own fresh copy under ``--work`` (of ``--root``, a folder holding
*SRC*, for a ``conf.py`` that reads files beside its folder).  Both builds get the same
configuration: ``--set``, ``--drop-ext`` and ``--prepend`` are applied to both copies'
``conf.py``, which also end with ``extensions.append("ablog_ext")`` (``--first``:
``insert(0, ...)``) done only where an environment variable asks for it, as it does
for the second build: both ``conf.py`` read the same, should a page include it.

Builds run ``PY -m sphinx -b html`` in a subprocess, with ``--pythonpath`` first on
``PYTHONPATH`` (the ablog_ext checkout to try), ``PYTHONHASHSEED=0`` (a site script
that lists a set gives one order) and one ``SOURCE_DATE_EPOCH`` for all
(``--epoch``; the start of the run by default: ablog_ext takes it for "now", and a
post dated after it is a future post), so that two builds of the same input compare
byte for byte.  The clean build's output is kept beside the rebuilt one
(``WORK/NAME/html-clean``) to look into.

Reported, plain against ablog_ext:

- **posts**: ABlog's posts (``env.ablog_posts``), and how many are notebooks
  (``.ipynb``, or a text file with a ``kernelspec`` or ``jupytext`` front matter);
- **files missing**: files of the plain build that the ablog_ext build lacks;
- **new broken links**: a relative ``href``/``src`` whose file or ``#anchor`` is
  nowhere, found with ablog_ext and not plain;
- **new top-level folders** of the output;
- **rebuild**: each build is rebuilt with nothing changed, then after ``touch`` of a
  post (each ``--touch``, or else the last post by name, then the last notebook post by
  name), one rebuild after another: the HTML pages and feeds that then
  differ from the clean build's.  Plain ABlog's own count is given beside, and
  *new* counts only pages that differ with ablog_ext and not plain;
- **new warnings** (the source folder's path removed, so that both builds compare);
- **visible differences**: per HTML page in both builds, the visible text of its main
  content (``article.bd-article``, ``[role=main]``, ``main`` or ``body``) compared
  word by word; the count of pages that differ and the most common changes (a
  change is the words removed and added at one place), with the pages they occur in.

A build that fails is reported with the last lines of its output, and the comparison
stops there; one that finishes "with problems" (exit status 1, which an extension such
as sphinxext-rediraffe sets) is reported so, and compared.  ``--json`` writes every
figure and list.  Only the standard library and BeautifulSoup are used here; the builds
use *PY*'s Sphinx, ABlog and extensions.
"""

from __future__ import annotations

import argparse
import collections
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

#: Where ``env.ablog_posts`` is read from a built site, in the build's own interpreter.
POSTS_SCRIPT = """
import json, pickle, sys
with open(sys.argv[1], "rb") as f:
    env = pickle.load(f)
posts = getattr(env, "ablog_posts", {}) or {}
print(json.dumps({d: str(env.doc2path(d, False)) for d in sorted(posts)}))
"""

#: Output files that say nothing of the site (build caches and stamps).
IGNORED = (".doctrees/", ".buildinfo", ".jupyter_cache/", "jupyter_execute/")
NOTEBOOK_MARK = re.compile(r"^(kernelspec|jupytext)\s*:", re.MULTILINE)
CHECKSUM = re.compile(rb"\?v=[0-9a-f]{8}\b")
#: Rebuilds compare these outputs byte for byte.
COMPARED_SUFFIXES = {".html", ".xml", ".json", ".txt"}


@dataclass
class Build:
    """One variant (plain or ablog_ext) of the site: its copy, output and findings."""

    name: str
    src: Path
    out: Path
    ext: str  # "" (plain), "end" or "first": where ablog_ext is added
    ok: bool = True
    #: Each build's exit status: 1 is "finished with problems" (an extension set it),
    #: and the output is still compared; anything else is a failed build.
    exits: dict[str, int] = field(default_factory=dict)
    log: str = ""
    warnings: list[str] = field(default_factory=list)
    posts: dict[str, str] = field(default_factory=dict)
    rebuild: dict[str, list[str]] = field(default_factory=dict)


# -- building ----------------------------------------------------------------------------


#: Where ablog_ext is added, by the environment: both copies' ``conf.py`` are the same
#: text (a page that includes ``conf.py`` shows no difference).
ADD_EXT = """
if __import__("os").environ.get("SITE_COMPARE_ABLOG_EXT") == "first":
    extensions.insert(0, "ablog_ext")
elif __import__("os").environ.get("SITE_COMPARE_ABLOG_EXT"):
    extensions.append("ablog_ext")
"""


def overrides(sets: list[str], drops: list[str], prepend: str) -> tuple[str, str]:
    """Text put before and after a copy's ``conf.py``."""
    after = ["", "# -- site_compare.py overrides --", "extensions = list(extensions)"]
    if drops:
        after.append(f"extensions = [e for e in extensions if e not in {sorted(drops)!r}]")
    for item in sets:
        name, _, value = item.partition("=")
        after.append(f"{name.strip()} = {value}")
    return (prepend + "\n" if prepend else ""), "\n".join(after) + ADD_EXT


def prepare(source: Path, root: Path, work: Path, name: str, ext: str, args: Any) -> Build:
    shutil.rmtree(work / name, ignore_errors=True)
    copied = work / name / "root"
    shutil.copytree(root, copied, symlinks=True, ignore=shutil.ignore_patterns("_build"))
    src = copied / source.relative_to(root)
    conf = src / "conf.py"
    before, after = overrides(args.set, args.drop_ext, args.prepend)
    conf.write_text(before + conf.read_text(encoding="utf-8") + after, encoding="utf-8")
    return Build(name, src, work / name / "html", ext)


def sphinx(build: Build, args: argparse.Namespace, phase: str) -> bool:
    """Build *build* (incrementally, if built before); False if the build failed."""
    warnfile = build.out.parent / f"warnings-{phase}.txt"
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(args.epoch), NO_COLOR="1")
    env["SITE_COMPARE_ABLOG_EXT"] = build.ext
    env["PYTHONHASHSEED"] = "0"  # a conf.py or extension that iterates a set: one order
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [args.pythonpath, env.get("PYTHONPATH")]))
    command = [args.python, "-m", "sphinx", "-b", "html", "-q", "-N", "-w", str(warnfile)]
    command += [str(build.src), str(build.out)]
    started = time.monotonic()
    done = subprocess.run(command, cwd=build.src, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    print(f"  {build.name} {phase}: exit {done.returncode}, {seconds:.0f} s", file=sys.stderr)
    if phase == "clean":
        text = warnfile.read_text(encoding="utf-8") if warnfile.exists() else done.stderr
        build.warnings = warning_lines(text, build.src, build.out.parent)
    build.exits[phase] = done.returncode
    if done.returncode:
        build.ok = build.ok and done.returncode == 1 and (build.out / "index.html").is_file()
        build.log = "\n".join((done.stdout + done.stderr).strip().splitlines()[-12:])
    return build.ok


def warning_lines(text: str, src: Path, work: Path) -> list[str]:
    text = text.replace(str(src.resolve()), "<src>").replace(str(src), "<src>")
    text = text.replace(str(work.resolve()), "<work>").replace(str(work), "<work>")
    return sorted({line for line in text.splitlines() if re.search(r"WARNING|ERROR", line)})


def read_posts(build: Build, args: argparse.Namespace) -> dict[str, str]:
    pickled = build.out / ".doctrees" / "environment.pickle"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [args.pythonpath, env.get("PYTHONPATH")]))
    done = subprocess.run(
        [args.python, "-c", POSTS_SCRIPT, str(pickled)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(done.stdout) if done.returncode == 0 else {}


def is_notebook(path: Path) -> bool:
    if path.suffix == ".ipynb":
        return True
    text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    front = text.split("\n---", 1)[0] if text.startswith("---") else ""
    return bool(NOTEBOOK_MARK.search(front))


# -- reading the outputs -----------------------------------------------------------------


def output_files(out: Path) -> set[str]:
    names = (p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    return {n for n in names if not any(n.startswith(i) or f"/{i}" in n for i in IGNORED)}


def snapshot(out: Path) -> dict[str, bytes]:
    """The bytes of every page and feed of *out* (rebuilds compare these), less the
    ``?v=`` checksum that Sphinx adds to an asset's link on some builds and not on
    others (MyST-NB's stylesheet has it only on pages written by a rebuild)."""
    return {
        name: CHECKSUM.sub(b"", (out / name).read_bytes())
        for name in output_files(out)
        if Path(name).suffix in COMPARED_SUFFIXES
    }


def differing(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(n for n in before.keys() | after.keys() if before.get(n) != after.get(n))


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "html.parser")


def dead_links(out: Path) -> set[tuple[str, str]]:
    """(page, link) for each relative link of *out*'s pages that leads nowhere."""
    anchors: dict[Path, set[str]] = {}

    def ids_of(page: Path) -> set[str]:
        if page not in anchors:
            soup = parse(page)
            tags = soup.find_all(True)
            anchors[page] = {str(t[a]) for t in tags for a in ("id", "name") if t.has_attr(a)}
        return anchors[page]

    found = set()
    root = out.resolve()
    for page in sorted(root.rglob("*.html")):
        if ".doctrees" in page.parts:
            continue
        for tag in parse(page).find_all(["a", "link", "img", "script", "source"]):
            link = str(tag.get("href") or tag.get("src") or "")
            parts = urlsplit(link)
            if not link or parts.scheme or parts.netloc or link.startswith("/"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            fragment = unquote(parts.fragment)
            gone = not target.is_relative_to(root) or not target.is_file()
            if not gone and fragment and target.suffix == ".html":
                gone = fragment not in ids_of(target)
            if gone:
                found.add((page.relative_to(root).as_posix(), link))
    return found


def visible_words(path: Path) -> list[str]:
    soup = parse(path)
    for tag in soup.find_all(["script", "style", "noscript", "template"]):
        tag.decompose()
    main = (
        soup.select_one("article.bd-article")
        or soup.select_one('[role="main"]')
        or soup.select_one("main")
        or soup.body
        or soup
    )
    return main.get_text(" ").split()


def changes(old: list[str], new: list[str]) -> list[str]:
    """Each place where *new* differs from *old*, as ``-removed words +added words``."""
    found = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a, b, c, d in matcher.get_opcodes():
        if op != "equal":
            gone, came = " ".join(old[a:b])[:80], " ".join(new[c:d])[:80]
            found.append(" ".join(filter(None, [gone and f"-[{gone}]", came and f"+[{came}]"])))
    return found


def visible_differences(plain: Path, ext: Path, pages: set[str]) -> dict[str, Any]:
    kinds: collections.Counter[str] = collections.Counter()
    where: dict[str, list[str]] = collections.defaultdict(list)
    differ = []
    for page in sorted(pages):
        found = changes(visible_words(plain / page), visible_words(ext / page))
        if found:
            differ.append(page)
        for change in dict.fromkeys(found):
            kinds[change] += 1
            where[change].append(page)
    top = [
        {"change": change, "pages": count, "examples": where[change][:3]}
        for change, count in kinds.most_common(12)
    ]
    return {"pages compared": len(pages), "pages differing": differ, "top changes": top}


# -- the run -----------------------------------------------------------------------------


def rebuilds(build: Build, args: argparse.Namespace) -> None:
    """A no-op rebuild and a rebuild after touching one post, each against the clean
    build's pages."""
    clean = snapshot(build.out)
    shutil.copytree(build.out, build.out.with_name("html-clean"), dirs_exist_ok=True)
    if not sphinx(build, args, "noop"):
        return
    build.rebuild["noop"] = differing(clean, snapshot(build.out))
    for post in args.touch or default_touches(build.src, build.posts):
        if (build.src / post).exists():
            (build.src / post).touch()
            if sphinx(build, args, "touch"):
                build.rebuild["touch " + post] = differing(clean, snapshot(build.out))


def default_touches(src: Path, posts: dict[str, str]) -> list[str]:
    """The last post by name and the last notebook post by name, if there is one."""
    paths = [posts[docname] for docname in sorted(posts)]
    notebooks = [path for path in paths if is_notebook(src / path)]
    return list(dict.fromkeys(paths[-1:] + notebooks[-1:]))


def compare(args: argparse.Namespace) -> dict[str, Any]:
    source, work = Path(args.src).resolve(), Path(args.work).resolve()
    root = Path(args.root).resolve() if args.root else source
    where = "first" if args.first else "end"
    builds = [
        prepare(source, root, work, name, ext, args)
        for name, ext in (("plain", ""), ("ablog_ext", where))
    ]
    report: dict[str, Any] = {"src": str(source), "builds": {}}
    for build in builds:
        if sphinx(build, args, "clean"):
            build.posts = read_posts(build, args)
            rebuilds(build, args)
        report["builds"][build.name] = {
            "ok": build.ok,
            "exits": build.exits,
            "log": build.log,
            "warnings": len(build.warnings),
            "rebuild": build.rebuild,
        }
    plain, ext = builds
    posts = plain.posts or ext.posts
    report["posts"] = len(posts)
    report["notebook posts"] = sorted(d for d, p in posts.items() if is_notebook(source / p))
    if not (plain.ok and ext.ok):
        return report
    plain_files, ext_files = output_files(plain.out), output_files(ext.out)
    top = {f.split("/")[0] for f in plain_files if "/" in f}
    report["files missing"] = sorted(plain_files - ext_files)
    report["files added"] = len(ext_files - plain_files)
    report["new top-level folders"] = sorted(
        {f.split("/")[0] for f in ext_files - plain_files if "/" in f} - top
    )
    plain_dead = dead_links(plain.out)
    report["broken links plain"] = len(plain_dead)
    report["new broken links"] = sorted(map(list, dead_links(ext.out) - plain_dead))
    report["new warnings"] = sorted(set(ext.warnings) - set(plain.warnings))
    report["warnings gone"] = sorted(set(plain.warnings) - set(ext.warnings))
    for kind in ext.rebuild:
        report.setdefault("new rebuild differences", {})[kind] = sorted(
            set(ext.rebuild[kind]) - set(plain.rebuild.get(kind, []))
        )
    pages = {f for f in plain_files & ext_files if f.endswith(".html")}
    report["visible"] = visible_differences(plain.out, ext.out, pages)
    return report


def summary(report: dict[str, Any]) -> str:
    lines = [f"site: {report['src']}"]
    notebooks = report.get("notebook posts", [])
    lines.append(f"posts: {report.get('posts', 0)}, notebook posts: {len(notebooks)}")
    for name, build in report["builds"].items():
        state = "ok" if build["ok"] else "FAILED"
        exits = ", ".join(f"{phase} {code}" for phase, code in build["exits"].items())
        lines.append(f"{name}: {state} (exit status: {exits}), {build['warnings']} warning lines")
        for kind, pages in build["rebuild"].items():
            html = sum(p.endswith(".html") for p in pages)
            lines.append(f"  after {kind} rebuild: {len(pages)} files differ ({html} HTML)")
        if build["log"]:
            lines += ["  | " + line for line in build["log"].splitlines()]
    if "files missing" not in report:
        return "\n".join(lines)
    visible = report["visible"]
    new_rebuild = report.get("new rebuild differences", {})
    lines += [
        f"files missing: {len(report['files missing'])} {report['files missing'][:10]}",
        f"files added: {report['files added']}",
        f"new top-level folders: {report['new top-level folders']}",
        f"broken links: plain {report['broken links plain']},"
        f" new with ablog_ext {len(report['new broken links'])}",
        *[f"  {page}: {link}" for page, link in report["new broken links"][:10]],
        "pages differing after rebuild, new with ablog_ext: "
        + ", ".join(f"{kind}: {len(pages)}" for kind, pages in new_rebuild.items()),
        *[f"  {kind}: {pages[:8]}" for kind, pages in new_rebuild.items() if pages],
        f"new warnings: {len(report['new warnings'])}",
        *[f"  {line[:200]}" for line in report["new warnings"][:10]],
        f"warnings gone with ablog_ext: {len(report['warnings gone'])}",
        f"visible differences: {len(visible['pages differing'])}"
        f" of {visible['pages compared']} pages",
        *[
            f"  {c['pages']:4} pages  {c['change'][:150]}  e.g. {c['examples'][0]}"
            for c in visible["top changes"]
        ],
        table_row(report),
    ]
    return "\n".join(lines)


def table_row(report: dict[str, Any]) -> str:
    """The figures in one line: posts | notebook posts | files missing | new broken
    links | pages differing after a rebuild (most of any rebuild, new with ablog_ext) |
    new top-level folders | new warnings | pages whose visible text differs."""
    rebuilt = report.get("new rebuild differences", {}).values()
    figures = [
        report["posts"],
        len(report["notebook posts"]),
        len(report["files missing"]),
        len(report["new broken links"]),
        max((len(pages) for pages in rebuilt), default=0),
        len(report["new top-level folders"]),
        len(report["new warnings"]),
        f"{len(report['visible']['pages differing'])}/{report['visible']['pages compared']}",
    ]
    return "row: | " + " | ".join(map(str, figures)) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", help="the Sphinx source folder (holding conf.py)")
    parser.add_argument("--work", default="site-compare", help="where the copies go")
    parser.add_argument("--root", default="", help="the folder to copy, holding SRC")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--drop-ext", action="append", default=[], metavar="NAME")
    parser.add_argument("--prepend", default="", help="Python put before conf.py")
    parser.add_argument("--touch", action="append", default=[], help="a post to touch (repeatable)")
    parser.add_argument("--first", action="store_true", help="put ablog_ext first instead")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--pythonpath", default="", help="put first on PYTHONPATH")
    parser.add_argument("--epoch", type=int, default=int(time.time()), help="SOURCE_DATE_EPOCH")
    parser.add_argument("--json", default="", help="write the whole report here")
    args = parser.parse_args(argv)
    report = compare(args)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(summary(report))
    return 0 if all(b["ok"] for b in report["builds"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
