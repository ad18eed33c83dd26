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
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version
from sphinx.application import Sphinx
from sphinx.config import Config

from ablog_ext._version import __version__

ENV_VARIABLE = "ABLOG_EXT_VERSION"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
#: Terminal control sequences (colour, clear line) that a build log must not keep.
_ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_RESERVED = {"stable", "switcher.json", "index.html", ".nojekyll"}


class VersionsError(Exception):
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
    if not _SAFE_NAME.match(name) or ".." in name or name.lower() in _RESERVED:
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


def list_refs(repo: Path, tag_glob: str, branch_glob: str) -> list[Ref]:
    """Matching tags and branches; a branch that only exists as ``origin/<name>``
    (as in a CI checkout of a tag) is found there."""
    refs: list[Ref] = []
    lines = git(
        repo, "for-each-ref", "--format=%(refname)\t%(objectname)\t%(*objectname)", "refs/tags"
    )
    for line in lines.splitlines():
        refname, obj, peeled = line.split("\t")
        short = refname.removeprefix("refs/tags/")
        if fnmatch.fnmatchcase(short, tag_glob):
            refs.append(Ref("tag", short, peeled or obj, version_name("tag", short)))
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
        refname, obj = line.split("\t")
        if refname.startswith("refs/heads/"):
            local[refname.removeprefix("refs/heads/")] = obj
        elif not refname.endswith("/HEAD"):
            remote[refname.removeprefix("refs/remotes/origin/")] = obj
    for branch in sorted(set(local) | set(remote)):
        if not fnmatch.fnmatchcase(branch, branch_glob):
            continue
        refname = branch if branch in local else f"origin/{branch}"
        refs.append(
            Ref(
                "branch",
                refname,
                local.get(branch) or remote[branch],
                version_name("branch", branch),
            )
        )
    names: dict[str, Ref] = {}
    for ref in refs:
        if ref.name in names:
            raise VersionsError(
                f"{names[ref.name].refname!r} and {ref.refname!r} "
                f"would both be built as {ref.name!r}"
            )
        names[ref.name] = ref
    return refs


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
            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                if hasattr(tarfile, "data_filter"):
                    tar.extractall(incoming, filter="data")
                else:  # Python < 3.11.4; git archive writes no links out of the tree
                    tar.extractall(incoming)
            sync_tree(incoming, tree)
            shutil.rmtree(incoming)
            marker.write_text(ref.commit, encoding="utf-8")
        source = tree / self.source
        if not (source / "conf.py").is_file():
            raise VersionsError(f"{ref.kind} {ref.refname!r} has no {self.source}/conf.py")
        return source

    def build(self, ref: Ref, report: Any = None) -> BuildResult:
        if report is not None:
            report(f"building {ref.refname} as {ref.name}/ ({ref.commit[:10]})")
        started = time.monotonic()
        try:
            source = self.export(ref)
        except VersionsError as error:
            return BuildResult(ref, False, time.monotonic() - started, message=str(error))
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
            return BuildResult(ref, False, seconds, message=f"sphinx-build failed:\n{tail}")
        reused = "0 added, 0 changed, 0 removed" in log
        return BuildResult(ref, True, seconds, reused=reused, outdir=outdir)


def sync_tree(source: Path, target: Path) -> int:
    """Make *target* hold exactly *source*'s files; a file whose bytes are the same
    is left alone (its modification time too), a changed one is written now.
    Returns how many files were written or removed."""
    target.mkdir(parents=True, exist_ok=True)
    wanted: set[Path] = set()
    touched = 0
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        destination = target / relative
        if path.is_dir() and not path.is_symlink():
            if destination.is_symlink() or destination.is_file():
                destination.unlink()
            destination.mkdir(exist_ok=True)
            wanted.add(relative)
            continue
        wanted.add(relative)
        if _same_file(path, destination):
            continue
        if destination.is_dir() and not destination.is_symlink():
            shutil.rmtree(destination)
        elif destination.is_symlink() or destination.exists():
            destination.unlink()
        if path.is_symlink():
            destination.symlink_to(os.readlink(path))
        else:
            shutil.copyfile(path, destination)  # a new modification time: read again
            shutil.copymode(path, destination)
        touched += 1
    for path in sorted(target.rglob("*"), reverse=True):  # files before their folders
        if path.relative_to(target) in wanted:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        touched += 1
    return touched


def _same_file(path: Path, destination: Path) -> bool:
    if path.is_symlink() or destination.is_symlink():
        return (
            path.is_symlink()
            and destination.is_symlink()
            and os.readlink(path) == os.readlink(destination)
        )
    if not destination.is_file():
        return False
    return path.stat().st_size == destination.stat().st_size and (
        path.read_bytes() == destination.read_bytes()
    )


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
    if output == repo or repo.is_relative_to(output):
        raise VersionsError(
            f"OUTPUT {args.output!r} would contain the repository; choose another folder"
        )
    refs = list_refs(repo, args.tags, args.branches)
    if not refs:
        raise VersionsError(f"no tag matches {args.tags!r} and no branch matches {args.branches!r}")
    cache = Path(args.cache_dir).resolve() if args.cache_dir else default_cache(repo)
    builder = Builder(repo, source, base_url, cache)
    total = len(refs)
    print(
        f"Building {total} version(s) of {source}/ into {output} with {args.jobs} job(s)", file=out
    )
    results: list[BuildResult] = []
    failed: list[BuildResult] = []
    printing = threading.Lock()

    def report(message: str) -> None:
        with printing:
            print(f"  {message}", file=out, flush=True)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(builder.build, ref, report): ref for ref in refs}
        for future in concurrent.futures.as_completed(futures):
            result = future.result()
            results.append(result)
            left = total - len(results)
            if result.ok:
                note = " (nothing changed since the last run)" if result.reused else ""
                report(f"built {result.ref.name} in {result.seconds:.1f} s{note}; {left} left")
            else:
                failed.append(result)
                report(f"FAILED {result.ref.refname}: {result.message}")
                if not args.keep_going:
                    for other in futures:
                        other.cancel()
                    reason = result.message.splitlines()[0] if result.message else "see above"
                    raise VersionsError(
                        f"building {result.ref.refname} failed ({reason}); "
                        "OUTPUT was left as it was"
                    )
    built = [result for result in results if result.ok]
    if not built:
        raise VersionsError("no version could be built; OUTPUT was left as it was")
    publish(output, built, base_url, out)
    if failed:
        print(f"{len(failed)} ref(s) failed: {', '.join(r.ref.refname for r in failed)}", file=out)
        return 1
    return 0


def publish(output: Path, built: list[BuildResult], base_url: str, out: Any) -> None:
    """Assemble the site in ``OUTPUT/.ablog-ext-staging``, then swap it in.

    Nothing is written outside ``OUTPUT``, and until every file is in place the
    previous site stays as it was.
    """
    refs = [result.ref for result in built]
    stable = stable_ref(refs)
    preferred = stable or next((ref for ref in order_versions(refs) if ref.kind == "branch"), None)
    if output.exists() and not output.is_dir():
        raise VersionsError(f"OUTPUT {str(output)!r} exists and is not a folder")
    output.mkdir(parents=True, exist_ok=True)
    staging, previous = output / ".ablog-ext-staging", output / ".ablog-ext-previous"
    for leftover in (staging, previous):
        shutil.rmtree(leftover, ignore_errors=True)
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
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous.mkdir()
    for entry in sorted(output.iterdir()):
        if entry not in (staging, previous):
            entry.rename(previous / entry.name)
    for entry in sorted(staging.iterdir()):
        entry.rename(output / entry.name)
    staging.rmdir()
    shutil.rmtree(previous)
    stable_note = f"; stable is {stable.name}" if stable else "; no final release, so no stable/"
    print(f"Wrote {len(built)} version(s) to {output}{stable_note}", file=out)


def add_versions_command(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "versions",
        help="build every release tag and branch into one versioned site",
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
    parser.add_argument(
        "--cache-dir", help="where exported refs and doctrees are kept between runs"
    )
    parser.set_defaults(handler=run_versions)


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


def setup_versions(app: Sphinx) -> None:
    app.connect("config-inited", configure_version, priority=50)
