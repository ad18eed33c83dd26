"""``ablog-ext versions`` on real, temporary git repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ablog_ext.commands.versions import (
    Ref,
    VersionsError,
    stable_ref,
    switcher_entries,
    version_name,
)

from gitrepo import CONF, Repo, git_env, make_site_repo, versions_command

BASE = "https://docs.example.org/proj/"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("versions")
    repo = make_site_repo(root)
    # An uncommitted edit that no version may show.
    repo.post("2024-05-01-wip", "Work in progress")
    before = {
        p: p.read_bytes() for p in repo.path.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    status_before = repo.git("status", "--porcelain")
    output = root / "out"
    first = repo.versions(output, "--jobs", "2", base_url=BASE)
    assert first.returncode == 0, first.stdout + first.stderr
    return repo, output, first, before, status_before


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_layout(published):
    _, output, _, _, _ = published
    assert sorted(p.name for p in output.iterdir()) == [
        ".ablog-ext-versions", ".nojekyll", "1.0", "1.1", "2.0rc1", "index.html", "main",
        "stable", "switcher.json",
    ]  # fmt: skip
    assert not any(p.is_symlink() for p in output.rglob("*"))


def test_each_version_holds_only_its_own_posts(published):
    _, output, _, _, _ = published
    expected = {
        "1.0": {"2024-01-01-one"},
        "1.1": {"2024-01-01-one", "2024-02-01-one-one"},
        "2.0rc1": {"2024-01-01-one", "2024-02-01-one-one", "2024-03-01-two"},
        "main": {"2024-01-01-one", "2024-02-01-one-one", "2024-03-01-two", "2024-04-01-main"},
        "stable": {"2024-01-01-one", "2024-02-01-one-one"},
    }
    for name, posts in expected.items():
        assert {p.stem for p in (output / name / "posts").glob("*.html")} == posts, name
    assert "Work in progress" not in "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in output.rglob("*.html")
    )


def test_stable_is_a_real_copy_of_the_newest_final_release(published):
    _, output, _, _, _ = published
    assert (output / "stable/index.html").read_bytes() == (output / "1.1/index.html").read_bytes()


def test_switcher_json(published):
    _, output, _, _, _ = published
    entries = json.loads((output / "switcher.json").read_text(encoding="utf-8"))
    assert [e["version"] for e in entries] == ["main", "2.0rc1", "1.1", "1.0"]
    for entry in entries:
        assert set(entry) <= {"version", "name", "url", "preferred"}
        assert entry["url"] == f"{BASE}{entry['version']}/"
    assert [e["version"] for e in entries if e.get("preferred")] == ["1.1"]


def test_index_redirects_to_stable(published):
    _, output, _, _, _ = published
    page = (output / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=stable/"' in page
    assert '<a href="stable/">' in page
    assert "location.hash" in page
    assert (output / ".nojekyll").exists()


def test_each_build_is_configured_for_its_version(published):
    _, output, _, _, _ = published
    page = (output / "1.0/index.html").read_text(encoding="utf-8")
    assert f"theme_switcher_json_url = '{BASE}switcher.json'" in page
    assert "theme_switcher_version_match = '1.0'" in page
    assert f'<link rel="canonical" href="{BASE}1.0/index.html" />' in page
    assert soup(output / "1.0/index.html").select(".version-switcher__container")
    atom = (output / "1.0/blog/atom.xml").read_text(encoding="utf-8")
    assert f"<id>{BASE}1.0/posts/2024-01-01-one.html</id>" in atom


def test_working_tree_untouched(published):
    repo, _, _, before, status_before = published
    after = {
        p: p.read_bytes() for p in repo.path.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    assert after == before
    assert repo.git("status", "--porcelain") == status_before


def test_progress_is_reported(published):
    _, _, first, _, _ = published
    out = first.stdout
    assert "Building 4 version(s)" in out
    for name in ("1.0", "1.1", "2.0rc1", "main"):
        assert f"as {name}/" in out
        assert f"built {name} in " in out
    assert "0 left" in out


def test_second_run_reuses_the_cache(published):
    repo, output, _, _, _ = published
    second = repo.versions(output, "--jobs", "2", base_url=BASE)
    assert second.returncode == 0, second.stderr
    assert second.stdout.count("nothing changed since the last run") == 4


def test_keep_going_and_failures(tmp_path):
    repo = make_site_repo(tmp_path)
    repo.git("checkout", "-q", "-b", "broken")
    repo.write("site/conf.py", "raise RuntimeError('broken on purpose')\n")
    repo.commit("break")
    output = tmp_path / "out"
    output.mkdir()
    (output / "keep.txt").write_text("previous site", encoding="utf-8")
    # OUTPUT holds a file of its own: --force (issue 18) writes into it.
    failed = repo.versions(
        output, "--branches", "broken", "--tags", "v1.0", "--force", base_url=BASE
    )
    assert failed.returncode == 2
    assert "building broken failed" in failed.stderr
    assert (output / "keep.txt").read_text(encoding="utf-8") == "previous site"
    kept = repo.versions(
        output, "--branches", "broken", "--tags", "v1.0", "--keep-going", "--force", base_url=BASE
    )
    assert kept.returncode == 1
    assert "1 ref(s) failed: broken" in kept.stdout
    assert (output / "1.0/index.html").exists()
    assert not (output / "broken").exists()
    entries = json.loads((output / "switcher.json").read_text(encoding="utf-8"))
    assert [e["version"] for e in entries] == ["1.0"]


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("plain-folder", [], "is not inside a git repository"),
        ("repo", ["--tags", "nothing*", "--branches", "none"], "no tag matches 'nothing*'"),
        ("no-conf", ["--tags", "v0.1", "--branches", "none"], "tag 'v0.1' has no site/conf.py"),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path, setup, args, message):
    if setup == "plain-folder":
        folder = tmp_path / "plain"
        (folder / "site").mkdir(parents=True)
        command = versions_command("out", BASE)
        result = subprocess.run(
            command, cwd=folder, env=git_env(tmp_path), capture_output=True, text=True
        )
    else:
        repo = Repo(tmp_path / "repo")
        repo.write("site/readme.txt", "no conf here\n")
        repo.commit("no conf")
        repo.git("tag", "v0.1")
        repo.write("site/conf.py", CONF)
        result = repo.versions(tmp_path / "out", *args, base_url=BASE)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("kind", "refname", "name"),
    [("tag", "v1.2", "1.2"), ("tag", "release-3", "release-3"), ("branch", "main", "main"),
     ("branch", "origin/main", "main"), ("tag", "v2.0rc1", "2.0rc1")],
)  # fmt: skip
def test_version_names(kind, refname, name):
    assert version_name(kind, refname) == name


@pytest.mark.parametrize(
    "refname", ["feature/x", "../escape", "stable", ".hidden", "a b", "index.html"]
)
def test_names_that_would_escape_or_clash_are_refused(refname):
    with pytest.raises(VersionsError, match="not a plain folder name inside OUTPUT"):
        version_name("branch", refname)


def test_stable_never_a_pre_release():
    refs = [Ref("tag", f"v{n}", "0" * 40, n) for n in ("1.0", "1.1", "2.0rc1", "2.1.dev3")]
    assert stable_ref(refs).name == "1.1"
    only_rc = [Ref("tag", "v2.0rc1", "0" * 40, "2.0rc1"), Ref("branch", "main", "1" * 40, "main")]
    assert stable_ref(only_rc) is None
    entries = switcher_entries(only_rc, BASE, only_rc[1])
    assert [e["version"] for e in entries if e.get("preferred")] == ["main"]


def test_branch_with_a_slash_is_refused_before_building(tmp_path):
    repo = make_site_repo(tmp_path)
    repo.git("branch", "feature/x")
    result = repo.versions(tmp_path / "out", "--branches", "feature/*", base_url=BASE)
    assert result.returncode == 2
    assert "the branch 'feature/x' would be built into 'feature/x'" in result.stderr
    assert not (tmp_path / "out").exists()


def tree_state(root: Path, skip: set[Path]) -> dict[str, tuple[int, int]]:
    state = {}
    for path in root.rglob("*"):
        if any(path == s or s in path.parents for s in skip):
            continue
        stat = path.stat()
        state[str(path.relative_to(root))] = (
            stat.st_size,
            stat.st_mtime_ns if path.is_file() else 0,
        )
    return state


def test_writes_nothing_outside_output_and_the_git_folder(tmp_path):
    repo = make_site_repo(tmp_path)
    output = tmp_path / "published" / "site"
    skip = {output, repo.path / ".git"}
    before = tree_state(tmp_path, skip)
    command = versions_command(output, BASE)
    result = subprocess.run(command, cwd=repo.path, env=repo.env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    after = tree_state(tmp_path, skip)
    assert {k for k in after if k not in before} == {"published"}
    assert {k: v for k, v in after.items() if k != "published"} == before
    # The cache sits in the repository's git folder, never in the working tree.
    assert (repo.path / ".git" / "ablog-ext-cache").is_dir()
    assert repo.git("status", "--porcelain") == ""
    assert sorted(p.name for p in output.iterdir() if p.name.startswith(".")) == [
        ".ablog-ext-versions",
        ".nojekyll",
    ]


def test_a_new_commit_on_a_branch_is_an_incremental_build(tmp_path):
    """The next commit of ``main`` reuses main's last build: only the post it changed
    is read again, and the published site is what a clean build gives."""
    repo = make_site_repo(tmp_path)
    output, cache = tmp_path / "out", tmp_path / "cache"
    only_main = ("--branches", "main", "--tags", "none")
    first = repo.versions(output, *only_main, base_url=BASE, cache=cache)
    assert first.returncode == 0, first.stdout + first.stderr
    repo.post("2024-04-01-main", "Only on main, retitled")
    repo.commit("retitle")
    (repo.path / "site/posts/2024-03-01-two.md").unlink()
    repo.commit("remove a post")
    second = repo.versions(output, *only_main, base_url=BASE, cache=cache)
    assert second.returncode == 0, second.stdout + second.stderr
    log = (cache / "branch-main" / "build.log").read_text(encoding="utf-8")
    assert "updating environment: 0 added, 2 changed, 1 removed" in log, log
    read = [line for line in log.splitlines() if line.startswith("reading sources")]
    # The retitled post, and the index that lists the posts; no other post.
    assert len(read) == 2 and "posts/2024-04-01-main" in read[-1], read
    clean = repo.versions(tmp_path / "clean", *only_main, base_url=BASE, cache=tmp_path / "c2")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    page = "main/posts/2024-04-01-main.html"
    assert "Only on main, retitled" in (output / page).read_text(encoding="utf-8")
    assert not (output / "main/posts/2024-03-01-two.html").exists()
    index = soup(output / "main/index.html").select_one("article").get_text(" ", strip=True)
    clean_index = soup(tmp_path / "clean/main/index.html").select_one("article")
    assert index == clean_index.get_text(" ", strip=True)


def test_jobs_option():
    from ablog_ext.commands.versions import _jobs

    assert _jobs("3") == 3
    assert _jobs("auto") >= 1
    for bad in ("0", "many"):
        with pytest.raises(Exception, match=bad):
            _jobs(bad)


def test_sync_tree_rewrites_only_what_changed(tmp_path):
    from ablog_ext.commands.versions import sync_tree

    source, target = tmp_path / "source", tmp_path / "target"
    for root, texts in ((source, {"a.md": "same", "b.md": "new", "d/e.md": "x"}),
                        (target, {"a.md": "same", "b.md": "old", "c.md": "gone"})):  # fmt: skip
        for name, text in texts.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
    import os

    os.utime(target / "a.md", (1_000_000, 1_000_000))
    os.utime(target / "b.md", (1_000_000, 1_000_000))
    assert sync_tree(source, target) == 3  # b rewritten, d/e added, c removed
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [
        "a.md", "b.md", "d", "d/e.md",
    ]  # fmt: skip
    assert (target / "a.md").stat().st_mtime == 1_000_000
    assert (target / "b.md").stat().st_mtime > 1_000_000
    assert (target / "b.md").read_text(encoding="utf-8") == "new"
