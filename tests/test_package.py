"""The package itself: setup, flags, the CLI, and living beside ABlog and MyST."""

from __future__ import annotations

import subprocess
import sys

import pytest

import ablog_ext
from ablog_ext.cli import main

from helpers import heading_text


def test_cli_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"ablog-ext {ablog_ext.__version__}"


def test_cli_help_as_installed_script():
    result = subprocess.run(
        [sys.executable, "-m", "ablog_ext.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "usage: ablog-ext" in result.stdout


@pytest.mark.sphinx("html", testroot="jekyll")
def test_extension_metadata_is_honest(app):
    ext = app.extensions["ablog_ext"]
    assert ext.version == ablog_ext.__version__
    assert ext.parallel_read_safe is True
    assert ext.parallel_write_safe is True
    # ablog_ext merges ABlog's reading state, so ABlog may read in parallel too.
    assert app.extensions["ablog"].parallel_read_safe is True
    assert {"myst_parser", "ablog"} <= set(app.extensions)
    assert app.is_parallel_allowed("read")


@pytest.mark.sphinx("html", testroot="both-extensions")
def test_listing_myst_and_ablog_too(app, warnings, html):
    app.build()
    assert warnings(app) == []
    soup = html(app, "posts/2022-02-02-post")
    article = soup.select_one("div.body, article, main") or soup
    assert [heading_text(h) for h in article.find_all("h1")] == ["Listed twice"]
    assert app.env.ablog_posts["posts/2022-02-02-post"][0]["tags"] == []
