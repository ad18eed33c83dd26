"""Developer tasks: ``python3 -m nox -s tests``, ``site``, ``site-live``, ``lint``."""

from __future__ import annotations

from pathlib import Path

import nox
from packaging.requirements import Requirement

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent
SITE_OUT = ROOT / "site" / "_build" / "html"


def run_tests(session: nox.Session, *pins: str) -> None:
    """The suite, then the tests marked ``book_theme`` with sphinx-book-theme installed
    as *pins* (the session's own) allow."""
    # The browser tests' Chromium: Debian's if installed, else Playwright's, downloaded
    # once; without network they skip (and fail under CI=true).
    session.run("python", "tests/chromium.py")
    session.run("pytest", "-m", "not book_theme", *session.posargs)
    # sphinx-book-theme pins a pydata-sphinx-theme of its own (1.4.0: ==0.20.0), within
    # ablog_ext's range but older than the one above: its tests run second, with it.
    session.install("sphinx-book-theme", *pins)
    # With pytest arguments, the selection may hold no book_theme test (pytest's 5).
    session.run(
        "pytest", "-m", "book_theme", *session.posargs,
        success_codes=[0, 5] if session.posargs else [0],
    )  # fmt: skip


def install(session: nox.Session, *args: str) -> None:
    """``pip install`` *args*, in a virtualenv that a last run may have left with
    sphinx-book-theme and its pydata-sphinx-theme: both go first, so the main run
    has the pydata-sphinx-theme *args* give."""
    session.run(
        "python", "-m", "pip", "uninstall", "--yes", "--quiet",
        "sphinx-book-theme", "pydata-sphinx-theme",
    )  # fmt: skip
    session.install(*args)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (pass pytest arguments after --)."""
    install(session, "-e", ".[test]")
    run_tests(session)


def floors() -> list[str]:
    """Each dependency pinned to the lowest version pyproject.toml allows."""
    pins = []
    for text in nox.project.load_toml(ROOT / "pyproject.toml")["project"]["dependencies"]:
        requirement = Requirement(text)
        lowest = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if lowest:
            pins.append(f"{requirement.name}=={lowest[0]}")
    return pins


@nox.session(name="tests-oldest")
def tests_oldest(session: nox.Session) -> None:
    """The test suite with each dependency at its floor in pyproject.toml, exactly.

    Only the package's own dependencies: the test tools are the newest.
    """
    install(session, "-e", ".[test]", *floors())
    run_tests(session, *floors())


@nox.session(name="tests-newest")
def tests_newest(session: nox.Session) -> None:
    """The test suite on the newest versions pyproject.toml allows."""
    install(session, "--upgrade", "--upgrade-strategy", "eager", "-e", ".[test]")
    run_tests(session)


@nox.session(name="tests-sphinx8")
def tests_sphinx8(session: nox.Session) -> None:
    """The test suite on the newest Sphinx 8, with the newest of everything else."""
    install(session, "--upgrade", "--upgrade-strategy", "eager", "-e", ".[test]", "sphinx>=8,<9")
    run_tests(session, "sphinx>=8,<9")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff and mypy on the code, zizmor on the GitHub workflows."""
    session.install("-e", ".", "ruff", "mypy", "types-python-dateutil", "types-PyYAML", "zizmor")
    session.run("ruff", "check", "ablog_ext", "tests", "noxfile.py")
    session.run("mypy")
    # Offline: the audits that need GitHub's API (e.g. known-vulnerable actions) are skipped.
    session.run("zizmor", "--offline", ".github/workflows")


@nox.session
def site(session: nox.Session) -> None:
    """Build the project's own site into site/_build/html, warnings as errors."""
    # Its blog has a notebook post.
    session.install("-e", ".[notebooks]")
    # Parallel workers: the output is the same byte for byte (tests/speed/test_parallel.py).
    session.run(
        "sphinx-build", "-W", "--keep-going", "-j", "auto", "-b", "html", "site", str(SITE_OUT),
        *session.posargs,
    )  # fmt: skip
    session.log(f"Built. Open {SITE_OUT / 'index.html'} in a browser.")


@nox.session(name="site-live")
def site_live(session: nox.Session) -> None:
    """Serve the site with live reload while you edit it (``ablog-ext serve``; a
    change to ``ablog_ext/`` needs a restart: the application stays in memory)."""
    session.install("-e", ".[notebooks]")
    session.run("ablog-ext", "serve", "site", *session.posargs)


@nox.session(name="site-versions")
def site_versions(session: nox.Session) -> None:
    """Build every release tag and main into site/_build/versions.

    The base URL defaults to a local preview address; pass another after --:
    ``nox -s site-versions -- https://example.org/ablog-ext/``.
    """
    session.install("-e", ".[notebooks]")
    base_url = session.posargs[0] if session.posargs else "http://127.0.0.1:8000/"
    output = ROOT / "site" / "_build" / "versions"
    # One build per CPU at once (ablog-ext versions' default).
    session.run("ablog-ext", "versions", "site", str(output), "--base-url", base_url)
    session.log(f"Built. Preview with: python3 -m http.server -d {output} 8000")


@nox.session
def bench(session: nox.Session) -> None:
    """Plain ABlog, ablog_ext, Jekyll and Hugo on the same generated posts, and the
    speed targets: ``-- --posts 1000 2000`` (``--help`` for quicker runs)."""
    session.install("-e", ".")
    session.run("python", "benchmarks/run.py", *(session.posargs or ["--posts", "200"]))


@nox.session(name="bench-compare")
def bench_compare(session: nox.Session) -> None:
    """This checkout against another on the same posts, taking turns:
    ``-- --baseline ../ablog-ext-before --posts 1000``."""
    session.install("-e", ".")
    session.run("python", "benchmarks/compare.py", *session.posargs)


@nox.session(name="same-output")
def same_output(session: nox.Session) -> None:
    """Whether this checkout builds the same bytes as another:
    ``-- ../ablog-ext-before [POSTS]``."""
    session.install("-e", ".")
    session.run("bash", "benchmarks/same_output.sh", *session.posargs, external=True)


@nox.session(name="bench-profile")
def bench_profile(session: nox.Session) -> None:
    """cProfile of full builds, grouped by phase: ``-- --posts 1000 --keep DIR``."""
    session.install("-e", ".")
    session.run("python", "benchmarks/profiles.py", *(session.posargs or ["--posts", "200"]))


@nox.session
def stress(session: nox.Session) -> None:
    """A long seeded random sequence of edits: incremental builds must equal clean ones."""
    session.install("-e", ".[test]")
    session.env["ABLOG_EXT_STRESS_STEPS"] = session.posargs[0] if session.posargs else "60"
    session.run("pytest", "tests/test_incremental_random.py", "-k", "equals_clean", "-x")
