"""``ablog-ext new DIR``: a site that builds with ``sphinx-build -W`` at once, a
first post that shows what ablog_ext is for, a publishing workflow hardened as
this project's own (zizmor finds nothing), and a DIR that is only ever added to."""

from __future__ import annotations

import datetime as dt
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
import yaml

from helpers import broken_links, read_page, run_cli, sphinx_build_w

PROJECT = Path(__file__).parents[2]
TODAY = dt.datetime.now(dt.UTC).date()
FIRST = f"posts/{TODAY.isoformat()}-hello-world"
WRITTEN = [
    "conf.py",
    "index.md",
    "about.md",
    f"{FIRST}.md",
    "requirements.txt",
    ".gitignore",
    ".github/workflows/pages.yml",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A new site, with a title that needs quoting, built as a user builds it."""
    site = tmp_path_factory.mktemp("new") / "blog"
    code, out, err = run_cli(
        "new", site, "--title", 'Ann\'s "notes": #1', "--base-url", "https://ann.example/blog"
    )
    assert (code, err) == (0, ""), err
    status, output = sphinx_build_w(site)
    return site, out, status, output


def test_new_site_builds_warning_free(built):
    site, out, status, output = built
    assert status == 0, output
    assert "WARNING" not in output
    found = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    assert sorted(WRITTEN) == sorted(name for name in found if not name.startswith("_build/"))
    assert [line.strip() for line in out.splitlines()[1:8]] == WRITTEN
    outdir = site / "_build" / "html"
    # The theme's own template in _static/ is not a page.
    assert {link for link in broken_links(outdir) if not link[0].startswith("_static/")} == set()


def test_new_site_shows_the_blog(built):
    site, _, status, output = built
    assert status == 0, output
    outdir = site / "_build" / "html"
    home = read_page(outdir, "index.html")
    # The page's heading (with Sphinx's smart quotes), then html_title as it is.
    assert home.title.get_text() == 'Ann’s “notes”: #1 — Ann\'s "notes": #1'
    assert home.select_one(f'a[href="{FIRST}.html"]').get_text(strip=True) == "Hello, world"
    assert home.select_one('a[href="about.html"]') is not None  # in the navigation
    post = read_page(outdir, f"{FIRST}.html")
    passage = post.select_one(".theme-passage")
    assert "The day this blog started." in passage.get_text()
    theme = read_page(outdir, "blog/theme/getting-started.html")
    assert "The day this blog started." in theme.get_text()
    review = read_page(outdir, f"blog/review/{TODAY.year}.html")
    assert "Hello, world" in review.get_text()
    for feed in ("blog/category/news/atom.xml", "blog/theme/getting-started/atom.xml"):
        parsed = feedparser.parse((outdir / feed).read_bytes())
        assert not parsed.bozo, feed
        assert [entry.title for entry in parsed.entries] == ["Hello, world"]
        assert parsed.entries[0].link == f"https://ann.example/blog/{FIRST}.html"


def test_new_conf_values(built):
    site = built[0]
    conf = runpy.run_path(str(site / "conf.py"))
    assert conf["extensions"] == ["ablog_ext"]
    assert conf["html_theme"] == "pydata_sphinx_theme"
    assert conf["blog_title"] == conf["project"] == 'Ann\'s "notes": #1'
    assert conf["blog_baseurl"] == "https://ann.example/blog/"
    assert conf["ablog_ext_review_pages"] is True
    assert conf["ablog_ext_posts_per_page"] == 10
    assert conf["ablog_ext_feed_archives"] == ["category", "theme"]
    assert "author" not in conf
    requirements = (site / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^ablog-ext~=\d+\.\d+", requirements, re.M)
    assert "_build/" in (site / ".gitignore").read_text(encoding="utf-8").split()


def test_placeholders_and_author(tmp_path):
    code, out, err = run_cli("new", tmp_path / "b", "--author", "Zoë O'Neil")
    assert (code, err) == (0, "")
    conf = runpy.run_path(str(tmp_path / "b" / "conf.py"))
    assert conf["blog_title"] == "My blog"
    assert conf["blog_baseurl"] == "https://example.org/"
    assert conf["blog_default_author"] == conf["author"] == "Zoë O'Neil"
    assert "blog_baseurl in conf.py is a placeholder" in out


def uses(path: Path) -> set[str]:
    return set(re.findall(r"uses: (\S+@[0-9a-f]{40})", path.read_text(encoding="utf-8")))


def test_workflow_pins_the_projects_actions(built):
    """Every action is pinned to a full commit SHA, the same commits as this
    project's own workflows (bump both together); each job asks for its own
    permissions, the workflow for none; the checkout keeps no credentials."""
    workflow = built[0] / ".github/workflows/pages.yml"
    text = workflow.read_text(encoding="utf-8")
    ours = set().union(*(uses(p) for p in (PROJECT / ".github/workflows").glob("*.yml")))
    names = {pin.split("@")[0] for pin in uses(workflow)}
    assert names == {
        "actions/checkout",
        "actions/setup-python",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    }
    assert uses(workflow) <= ours
    assert len(re.findall(r"uses: ", text)) == len(re.findall(r"uses: \S+@[0-9a-f]{40} ", text))
    data = yaml.safe_load(text)
    assert data["permissions"] == {}
    assert data["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert data["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    checkout = data["jobs"]["build"]["steps"][0]
    assert checkout["with"]["persist-credentials"] is False
    assert "python -m sphinx -W" in text


def zizmor() -> str:
    """zizmor, from the test environment (the ``test`` extra installs it)."""
    beside = Path(sys.executable).parent / "zizmor"
    found = str(beside) if beside.is_file() else shutil.which("zizmor")
    assert found, "zizmor is not installed: pip install -e .[test]"
    return found


def test_workflow_is_clean_under_zizmor(built):
    done = subprocess.run(
        [zizmor(), "--offline", "--persona", "pedantic", "--no-progress", ".github/workflows"],
        cwd=built[0],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings" in done.stdout + done.stderr


# -- DIR is only ever added to ------------------------------------------------------------


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    code, out, err = run_cli("new", site)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "is not empty; pass --force" in err
    assert [p.name for p in site.iterdir()] == ["notes.txt"]


def test_force_replaces_its_own_files_and_keeps_the_rest(tmp_path):
    site = tmp_path / "site"
    old_post = site / "posts" / "2020-01-01-old.md"
    mine = {site / "notes.txt": "mine", old_post: "---\ntitle: Old\n---\nHi.\n"}
    mine[site / "conf.py"] = "# my own conf.py\n"
    for path, text in mine.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    code, _, err = run_cli("new", site, "--force")
    assert (code, err) == (0, "")
    assert (site / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert old_post.read_text(encoding="utf-8") == mine[old_post]
    assert "ablog-ext new" in (site / "conf.py").read_text(encoding="utf-8")
    assert (site / f"{FIRST}.md").is_file()


def test_never_writes_through_a_link(tmp_path):
    outside = tmp_path / "outside.py"
    outside.write_text("keep", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    os.symlink(outside, site / "conf.py")
    (site / "posts").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    code, _, err = run_cli("new", site, "--force")
    assert code == 2 and err.count("\n") == 1
    assert "is a symbolic link; new does not write through links" in err
    assert outside.read_text(encoding="utf-8") == "keep"
    assert not (tmp_path / "elsewhere").exists()
    assert sorted(p.name for p in site.iterdir()) == ["conf.py", "posts"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--base-url", "example.org"], "--base-url must be an absolute http(s) URL"),
        (["--title", "  "], "--title is empty"),
    ],
)
def test_bad_flags_are_one_line_errors(tmp_path, argv, message):
    code, _, err = run_cli("new", tmp_path / "site", *argv)
    assert code == 2 and err.count("\n") == 1 and message in err
    assert not (tmp_path / "site").exists()


def test_a_file_as_dir(tmp_path):
    (tmp_path / "site").write_text("x", encoding="utf-8")
    code, _, err = run_cli("new", tmp_path / "site", "--force")
    assert code == 2 and "exists and is not a folder" in err


@pytest.mark.parametrize("command", ["new", "post"])
def test_cli_page_shows_the_real_help(monkeypatch, command):
    """site/docs/cli.md shows ``ablog-ext new --help`` and ``post --help`` as they are."""
    monkeypatch.setenv("COLUMNS", "80")
    page = (PROJECT / "site/docs/cli.md").read_text(encoding="utf-8")
    shown = re.search(rf"\$ ablog-ext {command} --help\n(.*?)```", page, re.S)
    out = subprocess.run(
        [sys.executable, "-m", "ablog_ext.cli", command, "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shown is not None and shown[1] == out
