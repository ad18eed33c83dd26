"""Shared fixtures: real Sphinx builds of the scenarios under ``tests/roots``.

The functions behind them, and the other helpers test files share, are in
``helpers.py``.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import pytest

# Before the import: a failed assert in a helper says what it compared.
pytest.register_assert_rewrite("helpers")

from sphinx.testing.util import SphinxTestApp  # noqa: E402

from helpers import ROOTS, build_site, read_html, warnings_of  # noqa: E402

pytest_plugins = ["sphinx.testing.fixtures"]


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see a failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(autouse=True)
def _book_theme_installed(request: pytest.FixtureRequest) -> None:
    """A test marked ``book_theme`` fails, saying why, without sphinx-book-theme: it
    pins an older pydata-sphinx-theme, so ``nox -s tests`` installs it and runs these
    tests after the others (``-m "not book_theme"`` leaves them out of a run)."""
    if request.node.get_closest_marker("book_theme") and not find_spec("sphinx_book_theme"):
        pytest.fail(
            "sphinx-book-theme is not installed: run `python3 -m nox -s tests`, or "
            "install it, or leave these tests out with -m 'not book_theme'",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture
def html():
    return read_html


@pytest.fixture
def warnings():
    return warnings_of


@pytest.fixture(scope="module")
def site_factory(tmp_path_factory):
    """Module-scoped builds, for tests that only read what one build produced."""

    def make(testroot: str, **kwargs) -> SphinxTestApp:
        return build_site(tmp_path_factory.mktemp(testroot), testroot, **kwargs)

    return make
