"""Temporary git repositories holding a small versioned site, for tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONF = """\
project = "Versioned"
extensions = ["ablog_ext"]
html_theme = "pydata_sphinx_theme"
blog_post_pattern = "posts/*.md"
exclude_patterns = ["_build"]
"""


def git_env(home: Path) -> dict[str, str]:
    """Isolated from the machine's git configuration, with colour forced on."""
    return {
        **os.environ,
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        # As CI services often set it: the build log that ``versions`` reads back
        # must still be plain text.
        "FORCE_COLOR": "1",
    }


class Repo:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.env = git_env(path.parent)
        path.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=self.path, env=self.env, check=True, capture_output=True, text=True
        ).stdout

    def write(self, relative: str, text: str) -> None:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def post(self, slug: str, title: str) -> None:
        self.write(
            f"site/posts/{slug}.md", f"---\ntitle: {title}\ncategory: News\n---\n\n{title}.\n"
        )

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def release(self, slug: str, title: str, message: str, *tag: str) -> None:
        """A post, committed; tagged with ``git tag *tag`` when *tag* is given."""
        self.post(slug, title)
        self.commit(message)
        if tag:
            self.git("tag", *tag)

    def versions(
        self, output: Path, *extra: str, base_url: str, cache: Path | None = None
    ) -> subprocess.CompletedProcess:
        """Run ``ablog-ext versions site OUTPUT`` in the repository."""
        command = versions_command(
            output, base_url, "--cache-dir", str(cache or self.path.parent / "cache")
        )
        command += extra
        return subprocess.run(command, cwd=self.path, env=self.env, capture_output=True, text=True)


def versions_command(output: Path | str, base_url: str, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ablog_ext.cli",
        "versions",
        "site",
        str(output),
        "--base-url",
        base_url,
        *extra,
    ]


def site_repo(root: Path, index: str) -> Repo:
    """A repository in *root*/repo with a site (``site/``) and no commit yet."""
    repo = Repo(root / "repo")
    repo.write("site/conf.py", CONF)
    repo.write("site/index.md", index)
    return repo


def make_site_repo(root: Path) -> Repo:
    repo = site_repo(root, "# Versioned\n\n```{postlist}\n```\n")
    repo.release("2024-01-01-one", "Release one", "one", "v1.0")
    repo.release(
        "2024-02-01-one-one", "Release one point one", "one point one", "-a", "v1.1", "-m", "1.1"
    )
    repo.release("2024-03-01-two", "Two release candidate", "rc", "v2.0rc1")
    repo.release("2024-04-01-main", "Only on main", "main")
    return repo
