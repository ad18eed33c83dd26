"""``ablog-ext versions``: every release and branch, built into one site.

Each ref is exported with ``git archive`` into a cache folder of its own (the
user's working tree and index are never touched; only the files that changed
since the ref's last export are rewritten, so a branch that moved by one commit
is an incremental build of its last one), built by ``sphinx-build``
in its own process, and copied into a staging folder that replaces ``OUTPUT`` only
when everything asked for has been built.  The build learns which version it is
through the ``ABLOG_EXT_VERSION`` environment variable, read by
:func:`configure_version` at ``config-inited``, so ``conf.py`` stays as it is.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import fnmatch
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version
from sphinx.application import Sphinx
from sphinx.config import Config

from ablog_ext._version import __version__
from ablog_ext.commands.archive import UnsafeArchive, extract_archive, sync_tree
from ablog_ext.commands.common import CommandError, add_command, add_force_option, listed_names
from ablog_ext.commands.terminal import shown, shown_lines

ENV_VARIABLE = "ABLOG_EXT_VERSION"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
#: Terminal control sequences (colour, clear line) that a build log must not keep.
_ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: A folder name every file system takes, with room for the cache's "branch-".
_MAX_NAME = 120
#: Written in OUTPUT, listing what the command put there: the next run replaces
#: those entries and nothing else, and writes only into a folder that has one
#: (or is empty, or --force is given).
MARKER = ".ablog-ext-versions"
_RESERVED = {"stable", "switcher.json", "index.html", ".nojekyll", MARKER}


class VersionsError(CommandError):
    """A problem the user can fix; printed without a traceback."""


@dataclass(frozen=True)
class Ref:
    """A tag or branch to build."""

    kind: str  # "tag" or "branch"
    refname: str  # e.g. "v1.2", "main", "origin/main"
    commit: str
    name: str  # the folder and switcher version, e.g. "1.2", "main"

    @property
    def release(self) -> Version | None:
        try:
            return Version(self.name) if self.kind == "tag" else None
        except InvalidVersion:
            return None

    @property
    def is_final_release(self) -> bool:
        release = self.release
        return release is not None and not (release.is_prerelease or release.is_devrelease)


def version_name(kind: str, refname: str) -> str:
    """The folder name of a ref: tag ``v1.2`` is ``1.2``; a branch keeps its name.

    Raises :class:`VersionsError` for a name that could leave ``OUTPUT`` or clash
    with what the command writes there itself.
    """
    name = refname
    if kind == "tag" and re.match(r"^v\d", name):
        name = name[1:]
    if kind == "branch":
        name = name.removeprefix("origin/")
    if (
        not _SAFE_NAME.match(name)
        or ".." in name
        or name.lower() in _RESERVED
        or len(name) > _MAX_NAME
    ):
        raise VersionsError(
            f"the {kind} {refname!r} would be built into {name!r}, "
            "which is not a plain folder name "
            "inside OUTPUT; rename the ref or narrow --tags/--branches"
        )
    return name


def git(repo: Path, *args: str, binary: bool = False) -> Any:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise VersionsError(f"git {' '.join(args)} failed: {message}")
    return result.stdout if binary else result.stdout.decode("utf-8", "replace")


def find_repository(start: Path) -> Path:
    result = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"],
        cwd=start,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise VersionsError(
            f"{start} is not inside a git repository: run the command in your project"
        )
    return Path(result.stdout.strip())


def list_refs(
    repo: Path, tag_glob: str, branch_glob: str
) -> tuple[list[Ref], list[tuple[str, str]]]:
    """Matching tags and branches, and the matching refs that cannot be built, each
    with the reason (a name that is not a plain folder name, two refs of one
    name).  A branch that only exists as ``origin/<name>`` (as in a CI checkout of
    a tag) is found there."""
    found: list[tuple[str, str, str]] = []  # kind, ref name, commit
    lines = git(
        repo, "for-each-ref", "--format=%(refname)\t%(objectname)\t%(*objectname)", "refs/tags"
    )
    for line in lines.splitlines():
        refname, obj, peeled = line.rsplit("\t", 2)
        short = refname.removeprefix("refs/tags/")
        if fnmatch.fnmatchcase(short, tag_glob):
            found.append(("tag", short, peeled or obj))
    local = {}
    remote = {}
    lines = git(
        repo,
        "for-each-ref",
        "--format=%(refname)\t%(objectname)",
        "refs/heads",
        "refs/remotes/origin",
    )
    for line in lines.splitlines():
        refname, obj = line.rsplit("\t", 1)
        if refname.startswith("refs/heads/"):
            local[refname.removeprefix("refs/heads/")] = obj
        elif not refname.endswith("/HEAD"):
            remote[refname.removeprefix("refs/remotes/origin/")] = obj
    for branch in sorted(set(local) | set(remote)):
        if fnmatch.fnmatchcase(branch, branch_glob):
            refname = branch if branch in local else f"origin/{branch}"
            found.append(("branch", refname, local.get(branch) or remote[branch]))
    return _named(found)


def _named(found: list[tuple[str, str, str]]) -> tuple[list[Ref], list[tuple[str, str]]]:
    refs: list[Ref] = []
    skipped: list[tuple[str, str]] = []
    names: dict[str, Ref] = {}
    for kind, refname, commit in found:
        try:
            ref = Ref(kind, refname, commit, version_name(kind, refname))
        except VersionsError as error:
            skipped.append((refname, str(error)))
            continue
        # casefold: two names that differ in case are one folder on macOS and Windows
        other = names.get(ref.name.casefold())
        if other is not None:
            why = f"{other.refname!r} and {ref.refname!r} would both be built as {ref.name!r}"
            skipped.append((refname, why))
            continue
        names[ref.name.casefold()] = ref
        refs.append(ref)
    return refs, skipped


def order_versions(refs: list[Ref]) -> list[Ref]:
    """Branches first, then releases newest first (tags that are not versions last)."""
    branches = [ref for ref in refs if ref.kind == "branch"]
    tags = [ref for ref in refs if ref.kind == "tag"]
    versioned = sorted((ref for ref in tags if ref.release), key=_release_key, reverse=True)
    other = sorted((ref for ref in tags if not ref.release), key=lambda ref: ref.name)
    return branches + versioned + other


def stable_ref(refs: list[Ref]) -> Ref | None:
    finals = [ref for ref in refs if ref.is_final_release]
    return max(finals, key=_release_key) if finals else None


def _release_key(ref: Ref) -> Version:
    return ref.release or Version("0")


def switcher_entries(refs: list[Ref], base_url: str, preferred: Ref | None) -> list[dict[str, Any]]:
    """pydata-sphinx-theme's switcher.json: version, name, url, one preferred."""
    entries = []
    for ref in order_versions(refs):
        entry: dict[str, Any] = {
            "version": ref.name,
            "name": f"{ref.name} (stable)" if ref is preferred else ref.name,
            "url": f"{base_url}{ref.name}/",
        }
        if ref is preferred:
            entry["preferred"] = True
        entries.append(entry)
    return entries


def redirect_page(target: str, base_url: str) -> str:
    url = html.escape(target, quote=True)
    canonical = html.escape(base_url + target, quote=True)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Redirecting to {url}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        f'<link rel="canonical" href="{canonical}">\n'
        f"<script>location.replace({json.dumps(target)} + location.hash);</script>\n"
        f'</head>\n<body>\n<p>This site has moved to <a href="{url}">{url}</a>.</p>\n'
        "</body>\n</html>\n"
    )


@dataclass
class BuildResult:
    ref: Ref
    ok: bool
    seconds: float
    reused: bool = False
    message: str = ""
    outdir: Path | None = None


@dataclass
class Builder:
    repo: Path
    source: str
    base_url: str
    cache: Path
    sphinx_args: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ref_folder(self, ref: Ref) -> Path:
        # By name, not commit: the next commit of a branch reuses its doctrees.
        return self.cache / f"{ref.kind}-{ref.name}"

    def export(self, ref: Ref) -> Path:
        """The ref's files, from ``git archive``: the working tree is never used.

        Files whose content did not change since the ref's last export keep their
        modification time, so Sphinx reads again only what the new commit changed.
        """
        folder = self.ref_folder(ref)
        tree = folder / "src"
        marker = folder / "exported"
        if not marker.is_file() or marker.read_text(encoding="utf-8") != ref.commit:
            marker.unlink(missing_ok=True)
            incoming = folder / "incoming"
            shutil.rmtree(incoming, ignore_errors=True)
            incoming.mkdir(parents=True)
            with self.lock:  # one git process at a time reads the object database
                data = git(self.repo, "archive", "--format=tar", ref.commit, binary=True)
            try:
                extract_archive(data, incoming)
            except UnsafeArchive as error:
                shutil.rmtree(incoming, ignore_errors=True)
                raise VersionsError(str(error)) from None
            sync_tree(incoming, tree)
            shutil.rmtree(incoming)
            marker.write_text(ref.commit, encoding="utf-8")
        source = tree / self.source
        if not (source / "conf.py").is_file():
            raise VersionsError(f"{ref.kind} {ref.refname!r} has no {self.source}/conf.py")
        return source

    def build(self, ref: Ref, report: Any = None) -> BuildResult:
        """Export and build *ref*; any failure is a result, never an exception, so
        that ``--keep-going`` goes on whatever went wrong with one ref."""
        if report is not None:
            report(f"building {ref.refname} as {ref.name}/ ({ref.commit[:10]})")
        started = time.monotonic()
        try:
            return self._build(ref, started)
        except VersionsError as error:
            return BuildResult(ref, False, time.monotonic() - started, message=str(error))
        except Exception as error:  # OSError from a name the file system refuses, ...
            message = f"{type(error).__name__}: {error}"
            return BuildResult(ref, False, time.monotonic() - started, message=message)

    def _build(self, ref: Ref, started: float) -> BuildResult:
        source = self.export(ref)
        folder = self.ref_folder(ref)
        key = _config_key(self.base_url, ref.name)
        outdir = folder / "html" / key
        _keep_only(folder / "html", key)
        _keep_only(folder / "doctrees", key)
        # The log is a file, read back below: no colour, whatever the caller's
        # terminal or a CI service's FORCE_COLOR asks for.
        env = {
            **{k: v for k, v in os.environ.items() if k != "FORCE_COLOR"},
            "NO_COLOR": "1",
            ENV_VARIABLE: json.dumps(
                {
                    "name": ref.name,
                    "base_url": self.base_url,
                    "json_url": f"{self.base_url}switcher.json",
                }
            ),
        }
        command = [
            sys.executable, "-m", "sphinx", "--no-color", "-b", "html",
            "-d", str(folder / "doctrees" / key),
            *self.sphinx_args, str(source), str(outdir),
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        log = _ESCAPE_SEQUENCE.sub("", result.stdout + result.stderr)
        (folder / "build.log").write_text(log, encoding="utf-8")
        seconds = time.monotonic() - started
        if result.returncode != 0:
            tail = "\n".join(log.strip().splitlines()[-15:])
            message = f"sphinx-build failed (its log: {folder / 'build.log'}):\n{tail}"
            return BuildResult(ref, False, seconds, message=message)
        reused = "0 added, 0 changed, 0 removed" in log
        return BuildResult(ref, True, seconds, reused=reused, outdir=outdir)


def _config_key(base_url: str, name: str) -> str:
    """Names a version's doctrees and output: another base URL, or another version
    of Python or of a package that renders the pages, starts a clean build."""
    parts = [base_url, name, __version__, sys.version, *_stack_versions()]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]


def _stack_versions() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("sphinx", "docutils", "ablog", "myst-parser", "pydata-sphinx-theme"):
        try:
            found.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            found.append(package)
    return found


def _keep_only(folder: Path, key: str) -> None:
    """Remove the builds of *folder* made with another configuration key."""
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.name != key and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)


def default_cache(repo: Path) -> Path:
    """Inside the repository's git folder: kept between runs, never in the working
    tree, never published."""
    git_dir = Path(git(repo, "rev-parse", "--git-common-dir").strip())
    return (repo / git_dir if not git_dir.is_absolute() else git_dir) / "ablog-ext-cache"


def _jobs(value: str) -> int:
    if value == "auto":
        return max(1, os.cpu_count() or 1)
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number or auto") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: at least one build at once")
    return jobs


def check_output(output: Path, repo: Path, source: Path, cache: Path, force: bool) -> None:
    """Refuse an OUTPUT whose replacement could move or delete what is not the
    command's own: SOURCE, the repository, its git folder, the cache, a folder of
    someone else's files (unless *force*).  Every path is resolved."""
    given = shown(output)
    git_folder = "the repository's git folder"
    overlaps = [
        ("SOURCE", source),
        ("the repository", repo),
        (git_folder, Path(git(repo, "rev-parse", "--absolute-git-dir").strip()).resolve()),
        (git_folder, default_cache(repo).parent.resolve()),
        ("the cache", cache),
    ]
    for what, path in overlaps:
        if output == path:
            raise VersionsError(f"OUTPUT {given} is {what}; choose another folder")
        if path.is_relative_to(output):
            raise VersionsError(f"OUTPUT {given} would contain {what}; choose another folder")
        # Inside the repository is fine (an ignored _build/ folder), inside the rest not.
        if output.is_relative_to(path) and path != repo:
            raise VersionsError(f"OUTPUT {given} is inside {what}; choose another folder")
    if os.path.lexists(output) and not output.is_dir():
        raise VersionsError(f"OUTPUT {given} exists and is not a folder")
    made_here = (output / MARKER).is_file()
    if output.is_dir() and not force and not made_here and any(output.iterdir()):
        raise VersionsError(
            f"OUTPUT {given} is not empty and was not written by ablog-ext versions; "
            "pass --force to write into it (what it writes is replaced, other files kept)"
        )


def run_versions(args: argparse.Namespace, out: Any = sys.stdout) -> int:
    base_url = args.base_url.rstrip("/") + "/"
    if not re.match(r"^https?://", base_url):
        raise VersionsError(f"--base-url must be an absolute http(s) URL, not {args.base_url!r}")
    repo = find_repository(Path.cwd())
    source_path = Path(args.source).resolve()
    try:
        source = source_path.relative_to(repo).as_posix()
    except ValueError:
        raise VersionsError(f"SOURCE {args.source!r} is not inside the repository {repo}") from None
    output = Path(args.output).resolve()
    cache = Path(args.cache_dir).resolve() if args.cache_dir else default_cache(repo)
    check_output(output, repo, source_path, cache, args.force)
    refs, skipped = list_refs(repo, args.tags, args.branches)
    if skipped and not args.keep_going:
        raise VersionsError(skipped[0][1])
    if not refs and not skipped:
        raise VersionsError(f"no tag matches {args.tags!r} and no branch matches {args.branches!r}")
    builder = Builder(repo, source, base_url, cache)
    print(
        f"Building {len(refs)} version(s) of {shown(source)}/ into {shown(output)} "
        f"with {args.jobs} job(s)",
        file=out,
    )
    for refname, why in skipped:
        print(f"  SKIPPED {shown(refname)}: {shown(why)}", file=out)
    results = build_all(builder, refs, args.jobs, args.keep_going, out)
    built = [result for result in results if result.ok]
    if not built:
        raise VersionsError("no version could be built; OUTPUT was left as it was")
    publish(output, built, base_url, out)
    failed = [(r.ref.refname, _reason(r.message)) for r in results if not r.ok] + skipped
    if failed:
        print(f"{len(failed)} ref(s) failed: {', '.join(shown(r) for r, _ in failed)}", file=out)
        for refname, why in failed:
            print(f"  {shown(refname)}: {shown(why)}", file=out)
        return 1
    return 0


def _reason(message: str) -> str:
    """The first line of a failure's message, for a one-line error or summary."""
    return message.splitlines()[0].rstrip(":") if message else "see above"


def build_all(
    builder: Builder, refs: list[Ref], jobs: int, keep_going: bool, out: Any
) -> list[BuildResult]:
    """Build *refs*, *jobs* at once; the first failure stops it unless *keep_going*."""
    results: list[BuildResult] = []
    printing = threading.Lock()

    def report(message: str) -> None:
        with printing:
            print(f"  {shown_lines(message)}", file=out, flush=True)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(builder.build, ref, report): ref for ref in refs}
        for future in concurrent.futures.as_completed(futures):
            result = future.result()
            results.append(result)
            left = len(refs) - len(results)
            if result.ok:
                note = " (nothing changed since the last run)" if result.reused else ""
                report(f"built {result.ref.name} in {result.seconds:.1f} s{note}; {left} left")
                continue
            report(f"FAILED {result.ref.refname}: {result.message}")
            if not keep_going:
                for other in futures:
                    other.cancel()
                raise VersionsError(
                    f"building {result.ref.refname} failed ({_reason(result.message)}); "
                    "OUTPUT was left as it was"
                )
    return results


def read_marker(output: Path) -> list[str]:
    """The entries of OUTPUT an earlier run wrote, from its marker; [] without one."""
    plain = [e for e in listed_names(output / MARKER, "entries") if e not in ("", ".", "..")]
    return [e for e in plain if "/" not in e and "\\" not in e and not e.startswith(".ablog-ext-")]


def _remove_leftover(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def publish(output: Path, built: list[BuildResult], base_url: str, out: Any) -> None:
    """Assemble the site in ``OUTPUT/.ablog-ext-staging``, then swap it in.

    Nothing is written outside ``OUTPUT``, and until every file is in place the
    previous site stays as it was.  Only the entries of OUTPUT this run writes, and
    those the marker says an earlier run wrote, are replaced: other files stay.
    """
    refs = [result.ref for result in built]
    stable = stable_ref(refs)
    preferred = stable or next((ref for ref in order_versions(refs) if ref.kind == "branch"), None)
    output.mkdir(parents=True, exist_ok=True)
    staging, previous = output / ".ablog-ext-staging", output / ".ablog-ext-previous"
    for leftover in (staging, previous):
        _remove_leftover(leftover)
    staging.mkdir()
    try:
        for result in built:
            assert result.outdir is not None
            shutil.copytree(
                result.outdir,
                staging / result.ref.name,
                ignore=shutil.ignore_patterns(".buildinfo*"),
            )
        if stable is not None:
            shutil.copytree(staging / stable.name, staging / "stable")
        entries = switcher_entries(refs, base_url, preferred)
        (staging / "switcher.json").write_text(
            json.dumps(entries, indent=2) + "\n", encoding="utf-8"
        )
        landing = "stable/" if stable is not None else f"{order_versions(refs)[0].name}/"
        (staging / "index.html").write_text(redirect_page(landing, base_url), encoding="utf-8")
        (staging / ".nojekyll").write_text("", encoding="utf-8")
        written = sorted(entry.name for entry in staging.iterdir())
        marker = {"written by": "ablog-ext versions", "entries": written}
        (staging / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous.mkdir()
    for name in sorted({*written, *read_marker(output), MARKER}):
        if os.path.lexists(output / name):
            (output / name).rename(previous / name)
    for entry in sorted(staging.iterdir()):
        entry.rename(output / entry.name)
    staging.rmdir()
    shutil.rmtree(previous)
    stable_note = f"; stable is {stable.name}" if stable else "; no final release, so no stable/"
    print(f"Wrote {len(built)} version(s) to {shown(output)}{stable_note}", file=out)


def add_versions_command(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "versions",
        run_versions,
        summary="build every release tag and branch into one versioned site",
        description="Build each matching git tag and branch of SOURCE into OUTPUT/<version>/, "
        "with OUTPUT/stable/, OUTPUT/switcher.json for pydata-sphinx-theme's version switcher, "
        "and OUTPUT/index.html. Run it inside the git repository.",
    )
    parser.add_argument(
        "source", metavar="SOURCE", help="the Sphinx source folder, e.g. docs or site"
    )
    parser.add_argument("output", metavar="OUTPUT", help="where the versioned site is written")
    parser.add_argument("--base-url", required=True, help="the URL OUTPUT is published at")
    parser.add_argument("--tags", default="v*", help="tags to build (a glob; default: v*)")
    parser.add_argument(
        "--branches", default="main", help="branches to build (a glob; default: main)"
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default="auto",
        help="builds at once: a number, or auto (default: one per CPU)",
    )
    parser.add_argument("--keep-going", action="store_true", help="record a failing ref and go on")
    add_force_option(
        parser,
        "write into an OUTPUT that holds other files (what the command writes is "
        "replaced, the rest kept)",
    )
    parser.add_argument(
        "--cache-dir", help="where exported refs and doctrees are kept between runs"
    )


# -- inside each build ------------------------------------------------------------------


def configure_version(app: Sphinx, config: Config) -> None:
    """Point the switcher, ``html_baseurl`` and ``blog_baseurl`` at this version."""
    raw = os.environ.get(ENV_VARIABLE)
    if not raw:
        return
    settings = json.loads(raw)
    version_url = f"{settings['base_url']}{settings['name']}/"
    config.html_baseurl = version_url
    config.blog_baseurl = version_url
    if config.html_theme != "pydata_sphinx_theme":
        return
    options = dict(config.html_theme_options or {})
    options["switcher"] = {"json_url": settings["json_url"], "version_match": settings["name"]}
    options["check_switcher"] = False
    placed = [
        component
        for key in ("navbar_start", "navbar_center", "navbar_end", "navbar_persistent")
        for component in _as_list(options.get(key))
    ]
    if "version-switcher" not in placed:
        navbar_end = _as_list(options.get("navbar_end", ["theme-switcher", "navbar-icon-links"]))
        options["navbar_end"] = ["version-switcher", *navbar_end]
    config.html_theme_options = options


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
