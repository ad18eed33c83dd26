"""Finding the browser tests' Chromium, and skipping (or failing, on CI) without one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chromium import find_chromium, launch_failure, on_ci, provide, unavailable

ROOT = Path(__file__).parent.parent
MISSING = (
    "BrowserType.launch: Executable doesn't exist at /x/chrome-headless-shell\n"
    "╔═══════╗\n║ Looks like Playwright was just installed or updated. ║"
)


def executable(folder: Path, name: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def never_called(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"unexpected call {args} {kwargs}")


def test_the_override_wins_over_path():
    env = {"ABLOG_EXT_CHROMIUM": "/opt/chrome/chrome", "PATH": "/usr/bin"}
    assert find_chromium(env, which=never_called) == "/opt/chrome/chrome"


def test_a_distribution_chromium_is_found_on_the_given_path(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    executable(first, "chromium-browser")
    chromium = executable(second, "chromium")
    # `chromium` anywhere on PATH comes before `chromium-browser`.
    assert find_chromium({"PATH": f"{first}:{second}"}) == str(chromium)
    assert find_chromium({"PATH": str(first)}) == str(first / "chromium-browser")


def test_no_chromium_on_path_means_playwrights_own(tmp_path):
    (tmp_path / "chromium").write_text("not executable")
    assert find_chromium({"PATH": str(tmp_path)}) is None
    assert find_chromium({"PATH": "", "ABLOG_EXT_CHROMIUM": "  "}) is None
    assert find_chromium({}) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("True", True), ("1", True), ("", False), ("false", False), (None, False)],
)
def test_ci_is_read_from_the_environment(value, expected):
    assert on_ci({} if value is None else {"CI": value}) is expected


def test_without_ci_a_missing_browser_skips_with_the_reason():
    with pytest.raises(pytest.skip.Exception, match=r"^no Chromium here$"):
        unavailable("no Chromium here", {"CI": "false"})


def test_under_ci_a_missing_browser_fails():
    with pytest.raises(pytest.fail.Exception) as caught:
        unavailable("no Chromium here", {"CI": "true"})
    assert str(caught.value).startswith("no Chromium here [CI=true: the browser tests must run")


def test_launch_failures_read_as_one_line():
    assert launch_failure(None, MISSING) == (
        "no Chromium: no chromium or chromium-browser on PATH and Playwright's is not "
        "installed (python -m playwright install chromium)"
    )
    crashed = "BrowserType.launch: Target page, context or browser has been closed\nlog: ..."
    assert launch_failure("/usr/bin/chromium", crashed) == (
        "Chromium at /usr/bin/chromium did not start: "
        "BrowserType.launch: Target page, context or browser has been closed"
    )
    message = launch_failure(None, "\n  libnss3.so: cannot open shared object file\nmore")
    assert message.startswith("Playwright's Chromium did not start: libnss3.so: cannot open")
    assert "install-deps" in message and "\n" not in message


class Runs:
    """A stand-in for subprocess.run that records each command."""

    def __init__(self, returncode: int = 0, stderr: str = "") -> None:
        self.commands: list[list[str]] = []
        self.returncode, self.stderr = returncode, stderr

    def __call__(self, command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        self.commands.append(command)
        return subprocess.CompletedProcess(command, self.returncode, "", self.stderr)


def test_provide_downloads_nothing_when_chromium_is_installed(tmp_path):
    chromium = executable(tmp_path, "chromium")
    said = provide({"PATH": str(tmp_path)}, run=never_called)
    assert said == f"browser tests: Chromium at {chromium}"


@pytest.mark.parametrize(("ci", "extra"), [("", []), ("true", ["--with-deps"])])
def test_provide_installs_playwrights_chromium_otherwise(tmp_path, ci, extra):
    runs = Runs()
    said = provide({"PATH": str(tmp_path), "CI": ci}, run=runs)
    assert runs.commands == [[sys.executable, "-m", "playwright", "install", "chromium", *extra]]
    assert said == "browser tests: Playwright's Chromium is installed"


def test_provide_survives_a_closed_network(tmp_path, capsys):
    stderr = "Downloading Chrome\nError: getaddrinfo ENOTFOUND cdn.example\n    at x.js:1\n"
    said = provide({"PATH": str(tmp_path)}, run=Runs(1, stderr))
    assert capsys.readouterr().out == (
        "browser tests: no Chromium on PATH, running python -m playwright install chromium\n"
    )
    assert said == (
        "browser tests: could not install Playwright's Chromium "
        "(Error: getaddrinfo ENOTFOUND cdn.example); the browser tests will skip"
    )
    said = provide({"PATH": str(tmp_path), "CI": "true"}, run=Runs(1, "gone"))
    assert said.endswith("Chromium (no message); the browser tests will fail")

    def timeout(command: list[str], **kwargs: object) -> None:
        raise subprocess.TimeoutExpired(command, 900)

    said = provide({"PATH": str(tmp_path)}, run=timeout)
    assert said.startswith("browser tests: could not install Playwright's Chromium: Command")
    assert said.endswith("timed out after 900 seconds; the browser tests will skip")


def test_the_nox_step_reports_the_chromium_it_found(tmp_path):
    chromium = executable(tmp_path, "chromium-browser")
    env = {**os.environ, "PATH": str(tmp_path)}
    env.pop("ABLOG_EXT_CHROMIUM", None)
    result = subprocess.run(
        [sys.executable, "tests/chromium.py"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"browser tests: Chromium at {chromium}\n"


@pytest.mark.parametrize("ci", ["", "true"])
def test_browser_tests_without_any_chromium(tmp_path, ci):
    """The real browser tests on a machine with no Chromium: no distribution one on
    PATH, and an empty Playwright browser folder."""
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "ABLOG_EXT_CHROMIUM"}
    env.update(PATH=str(empty), PLAYWRIGHT_BROWSERS_PATH=str(tmp_path / "browsers"), CI=ci)
    command = [sys.executable, "-m", "pytest", "tests/test_browser.py", "-ra", "-p"]
    # --color=no: the lines are read back, whatever FORCE_COLOR a CI service sets.
    command += ["no:cacheprovider", "--color=no", "--basetemp", str(tmp_path / "base")]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    summary = result.stdout.strip().splitlines()[-1]
    reason = (
        "no Chromium: no chromium or chromium-browser on PATH and Playwright's is not "
        "installed (python -m playwright install chromium)"
    )
    if ci:
        assert result.returncode == 1, result.stdout
        assert "5 errors" in summary
        errors = [line for line in result.stdout.splitlines() if line.startswith("ERROR")]
        assert len(errors) == 5
        assert all(f"Failed: {reason} [CI=true: the browser tests must run" in e for e in errors)
        # One line per test, without Playwright's multi-line banner.
        assert "Looks like Playwright" not in result.stdout
    else:
        assert result.returncode == 0, result.stdout
        assert "5 skipped" in summary and "error" not in summary
        # pytest names each skipped test's line: one line each, with the reason.
        skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
        assert len(skipped) == 5
        assert all(line.endswith(f": {reason}") for line in skipped)
