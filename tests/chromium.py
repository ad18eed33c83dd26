"""Which Chromium the browser tests drive, and what happens when there is none.

In order: the one ``ABLOG_EXT_CHROMIUM`` names; Debian's ``chromium`` (or
``chromium-browser``) on ``PATH``, which ``.ci/run`` installs; Playwright's own
Chromium, which the nox test sessions download (``python tests/chromium.py``)
when neither is there. A machine that has none skips the browser tests with a
one-line reason; under ``CI=true`` they fail instead, so CI never passes without
running them.

Run as a script, it downloads Playwright's Chromium when no other is found.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from typing import NoReturn

#: Names of a distribution's Chromium (Debian: chromium; Fedora, Ubuntu: chromium-browser).
SYSTEM_NAMES = ("chromium", "chromium-browser")
#: Set to a browser's executable to use that one.
OVERRIDE = "ABLOG_EXT_CHROMIUM"
INSTALL = "python -m playwright install chromium"


def find_chromium(
    environ: Mapping[str, str], which: Callable[..., str | None] = shutil.which
) -> str | None:
    """The executable of the Chromium to drive, or None for Playwright's own."""
    explicit = environ.get(OVERRIDE, "").strip()
    if explicit:
        return explicit
    for name in SYSTEM_NAMES:
        found = which(name, path=environ.get("PATH", ""))
        if found:
            return found
    return None


def on_ci(environ: Mapping[str, str]) -> bool:
    """GitHub Actions and ``.ci/run`` set ``CI=true``."""
    return environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def launch_failure(executable: str | None, error: str) -> str:
    """One line saying which browser did not start, and what to do."""
    first = next((line.strip() for line in error.splitlines() if line.strip()), "no message")
    if executable is not None:
        return f"Chromium at {executable} did not start: {first}"
    if "Executable doesn't exist" in error:
        names = " or ".join(SYSTEM_NAMES)
        return f"no Chromium: no {names} on PATH and Playwright's is not installed ({INSTALL})"
    return (
        f"Playwright's Chromium did not start: {first} "
        "(missing libraries? python -m playwright install-deps chromium)"
    )


def unavailable(reason: str, environ: Mapping[str, str]) -> NoReturn:
    """Skip the calling test, or fail it under CI, where the browser tests must run."""
    import pytest

    if on_ci(environ):
        pytest.fail(f"{reason} [CI=true: the browser tests must run, so they fail]", pytrace=False)
    pytest.skip(reason)


def provide(
    environ: Mapping[str, str],
    run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run,
    which: Callable[..., str | None] = shutil.which,
) -> str:
    """Download Playwright's Chromium unless another is found; say what was done.

    Never raises: on a closed network the download fails, and the browser tests
    then say so (skipped, or failed under CI).
    """
    found = find_chromium(environ, which)
    if found:
        return f"browser tests: Chromium at {found}"
    command = [sys.executable, "-m", "playwright", "install", "chromium"]
    if on_ci(environ):
        # The system libraries too: Playwright runs apt-get (through sudo if not root).
        command.append("--with-deps")
    shown = " ".join(["python", *command[1:]])
    print(f"browser tests: no Chromium on PATH, running {shown}", flush=True)
    then = "; the browser tests will fail" if on_ci(environ) else "; the browser tests will skip"
    try:
        result = run(command, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"browser tests: could not install Playwright's Chromium: {error}{then}"
    if result.returncode != 0:
        lines = [line.strip() for line in (result.stderr + result.stdout).splitlines()]
        cause = next((line for line in lines if line.startswith("Error:")), "no message")
        return f"browser tests: could not install Playwright's Chromium ({cause}){then}"
    return "browser tests: Playwright's Chromium is installed"


if __name__ == "__main__":
    print(provide(os.environ))
