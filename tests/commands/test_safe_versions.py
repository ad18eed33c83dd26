"""``ablog-ext versions`` with refs and folders nobody vetted (issue 18): OUTPUT
never holds or sits in SOURCE, the repository or its git folder; a folder of
other files is written into only with --force; nothing in the working tree is
moved or deleted; --keep-going gets past every per-ref failure."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from gitrepo import Repo, site_repo, versions_command

BASE = "https://docs.example.org/proj/"
MARKER = ".ablog-ext-versions"
ONE_TAG = ("--tags", "v1.*", "--branches", "none")


def small_repo(root: Path) -> Repo:
    """Tags v1.0 and v1.1, each a one-post site; an uncommitted file in SOURCE."""
    repo = site_repo(root, "# Versioned\n")
    repo.release("2024-01-01-one", "One", "one", "v1.0")
    repo.release("2024-02-01-two", "Two", "two", "v1.1")
    repo.write("site/uncommitted.md", "mine, not committed\n")
    return repo


def working_tree(repo: Repo) -> dict[str, bytes]:
    return {
        str(path.relative_to(repo.path)): path.read_bytes()
        for path in sorted(repo.path.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(repo.path).parts
    }


def everything(root: Path) -> dict[str, tuple[int, int]]:
    """Every path under *root* with its size and modification time."""
    found = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        found[str(path.relative_to(root))] = (info.st_size, info.st_mtime_ns)
    return found


def run_in(repo: Repo, output: str | Path, *extra: str) -> subprocess.CompletedProcess:
    command = versions_command(output, BASE, "--cache-dir", str(repo.path.parent / "cache"))
    return subprocess.run(
        [*command, *extra], cwd=repo.path, env=repo.env, capture_output=True, text=True
    )


# -- 5. OUTPUT: never SOURCE, the repository or its git folder -----------------------


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("site", "is SOURCE"),
        ("site/_build/versions", "is inside SOURCE"),
        (".", "would contain SOURCE"),
        ("..", "would contain SOURCE"),
        (".git", "is the repository's git folder"),
        (".git/published", "is inside the repository's git folder"),
        ("../cache", "is the cache"),
        ("../cache/sub", "is inside the cache"),
    ],
)
def test_output_that_overlaps_what_it_must_not_touch(tmp_path, output, message):
    repo = small_repo(tmp_path)
    (tmp_path / "cache").mkdir()
    before = everything(tmp_path)
    result = run_in(repo, output, *ONE_TAG, "--force")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("ablog-ext versions: error: OUTPUT ")
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert everything(tmp_path) == before


def test_output_reached_through_a_link_into_source(tmp_path):
    repo = small_repo(tmp_path)
    (tmp_path / "published").symlink_to(repo.path / "site", target_is_directory=True)
    before = working_tree(repo)
    result = run_in(repo, tmp_path / "published", *ONE_TAG, "--force")
    assert result.returncode == 2 and "is SOURCE" in result.stderr
    assert working_tree(repo) == before


def test_a_folder_of_other_files_needs_force_and_keeps_them(tmp_path):
    repo = small_repo(tmp_path)
    output = tmp_path / "out"
    output.mkdir()
    (output / "CNAME").write_text("docs.example.org\n", encoding="utf-8")
    (output / "1.0").mkdir()
    (output / "1.0/old.html").write_text("an older page", encoding="utf-8")
    before = everything(output)
    refused = run_in(repo, output, *ONE_TAG)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "is not empty and was not written by ablog-ext versions; pass --force" in (
        refused.stderr
    )
    assert everything(output) == before
    tree = working_tree(repo)
    forced = run_in(repo, output, *ONE_TAG, "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert (output / "CNAME").read_text(encoding="utf-8") == "docs.example.org\n"
    assert not (output / "1.0/old.html").exists()  # 1.0/ is what it writes: replaced
    marker = json.loads((output / MARKER).read_text(encoding="utf-8"))
    assert marker["entries"] == [".nojekyll", "1.0", "1.1", "index.html", "stable", "switcher.json"]
    # Its own folder now: no --force needed; what it wrote before and no longer
    # writes goes, the rest stays.
    again = run_in(repo, output, "--tags", "v1.0", "--branches", "none")
    assert again.returncode == 0, again.stdout + again.stderr
    assert sorted(path.name for path in output.iterdir()) == [
        MARKER, ".nojekyll", "1.0", "CNAME", "index.html", "stable", "switcher.json",
    ]  # fmt: skip
    assert working_tree(repo) == tree
    assert repo.git("status", "--porcelain") == "?? site/uncommitted.md\n"


def test_a_marker_cannot_name_what_is_outside_output(tmp_path):
    repo = small_repo(tmp_path)
    output = tmp_path / "out"
    output.mkdir()
    (tmp_path / "precious").write_text("keep", encoding="utf-8")
    (output / "mine").write_text("keep too", encoding="utf-8")
    entries = ["../precious", "/etc", "..", "mine/../../precious", "", ".ablog-ext-previous"]
    (output / MARKER).write_text(json.dumps({"entries": entries}), encoding="utf-8")
    result = run_in(repo, output, "--tags", "v1.0", "--branches", "none")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "precious").read_text(encoding="utf-8") == "keep"
    assert (output / "mine").read_text(encoding="utf-8") == "keep too"


# -- 6. --keep-going past every per-ref failure --------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Good tag v1.0; v2.0 holds an absolute link, v3.0 a link out of the tree,
    v4.0 a conf.py that fails; tags with names no folder can take."""
    root = tmp_path_factory.mktemp("hostile")
    repo = small_repo(root)
    repo.git("tag", "-d", "v1.1")
    (repo.path / "site/uncommitted.md").unlink()
    steps = {
        "v2.0": lambda: (repo.path / "site/passwd.md").symlink_to("/etc/passwd"),
        "v3.0": lambda: (repo.path / "site/up").symlink_to("../../..", target_is_directory=True),
        "v4.0": lambda: repo.write("site/conf.py", "raise RuntimeError('broken on purpose')\n"),
    }
    for tag, step in steps.items():
        repo.git("checkout", "-q", "v1.0")
        step()
        repo.commit(tag)
        repo.git("tag", tag)
    repo.git("checkout", "-q", "main")
    repo.git("tag", "v5.0'quote", "v1.0")
    repo.git("tag", "v6-" + "x" * 200, "v1.0")
    output = root / "out"
    kept = run_in(repo, output, "--tags", "v*", "--branches", "none", "--keep-going")
    return repo, root, output, kept


REASONS = {
    "v2.0": "unsafe archive member site/passwd.md: a symbolic link to an absolute path",
    "v3.0": "unsafe archive member site/up: a symbolic link out of the tree",
    "v4.0": "sphinx-build failed (its log: ",
    "v5.0'quote": "which is not a plain folder name inside OUTPUT",
    "v6-" + "x" * 200: "which is not a plain folder name inside OUTPUT",
}


def test_keep_going_builds_the_good_ref(hostile):
    _, _, output, kept = hostile
    assert kept.returncode == 1, kept.stdout + kept.stderr
    # (stdout shows the end of v4.0's sphinx-build log, which holds conf.py's traceback)
    assert kept.stderr == ""
    assert (output / "1.0/index.html").is_file()
    entries = json.loads((output / "switcher.json").read_text(encoding="utf-8"))
    assert [entry["version"] for entry in entries] == ["1.0"]


def test_the_summary_lists_each_skipped_ref_with_its_reason(hostile):
    _, _, _, kept = hostile
    summary = kept.stdout[kept.stdout.index("5 ref(s) failed: ") :].splitlines()
    assert len(summary) == 6
    for tag, reason in REASONS.items():
        assert tag in summary[0]
        assert any(line.startswith(f"  {tag}: ") and reason in line for line in summary[1:])


def test_an_unsafe_archive_is_never_extracted(hostile):
    _, root, _, _ = hostile
    for tag in ("2.0", "3.0"):
        assert not (root / "cache" / f"tag-{tag}" / "src").exists()
    assert not any(path.is_symlink() for path in (root / "out").rglob("*"))


@pytest.mark.parametrize("tag", list(REASONS))
def test_without_keep_going_the_first_failure_is_one_line(hostile, tag):
    repo, root, _, _ = hostile
    output = root / f"out-{len(tag)}-{tag[:4]}"
    result = run_in(repo, output, "--tags", tag, "--branches", "none")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and REASONS[tag] in result.stderr
    assert result.stderr.startswith("ablog-ext versions: error: ")
    assert not output.exists()


# -- 4. names printed with control characters escaped --------------------------------


def test_control_characters_in_names_are_escaped(tmp_path):
    repo = small_repo(tmp_path)
    output = tmp_path / "out\x1b[31m\x07"
    result = run_in(repo, output, "--tags", "v1.0", "--branches", "none")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "out\\x1b[31m\\x07" in result.stdout
    (tmp_path / "file\x1b[2J\n").write_text("a file", encoding="utf-8")
    refused = run_in(repo, tmp_path / "file\x1b[2J\n", "--tags", "v1.0", "--branches", "none")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "file\\x1b[2J\\n exists and is not a folder" in refused.stderr
    assert "\x1b" not in refused.stdout + refused.stderr
    assert os.path.isdir(output / "1.0")
