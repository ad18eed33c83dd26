"""The built site in a real headless Chromium, served on 127.0.0.1.

Which Chromium, and what happens without one, is ``chromium.py``'s business:
Debian's where installed (``.ci/run`` installs it), else Playwright's own; with
neither these tests skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from chromium import find_chromium, launch_failure, unavailable
from gitrepo import make_site_repo
from helpers import build_dir

ROOT = Path(__file__).parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve *directory* on a free port of 127.0.0.1; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def launch(playwright: Playwright) -> Browser:
    """Chromium, or a skip (a failure under CI) saying why there is none."""
    executable = find_chromium(os.environ)
    try:
        return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except PlaywrightError as error:
        # Out of the except block, so the report shows one line, not Playwright's banner.
        reason = launch_failure(executable, str(error))
    unavailable(reason, os.environ)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


# First, so that a missing browser skips a test before its site is built.
pytestmark = pytest.mark.usefixtures("browser")


@pytest.fixture
def page(browser, tmp_path, request) -> Iterator[Page]:
    """A fresh page; a screenshot lands in the test's folder when the test fails."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        print(f"screenshot: {tmp_path / 'failure.png'}")
    context.close()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> Iterator[str]:
    """The project's own site, built as the README's command builds it, then served."""
    srcdir = tmp_path_factory.mktemp("site") / "site"
    shutil.copytree(ROOT / "site", srcdir, ignore=shutil.ignore_patterns("_build"))
    app = build_dir(srcdir)
    with serve(Path(app.outdir)) as url:
        yield url


def test_review_chart_is_visible_with_a_bar_per_month(page, site_url):
    page.goto(site_url + "docs/year-in-review.html")
    chart = page.locator("svg.year-in-review-chart").first
    chart.wait_for(state="visible")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50
    assert chart.locator("g.year-in-review-bar").count() == 12
    tallest = max(float(rect.get_attribute("height") or 0) for rect in chart.locator("rect").all())
    assert tallest > 0
    tooltip = chart.locator("g.year-in-review-bar title").first.text_content()
    assert tooltip.startswith("January 2026: ")


def test_chart_reads_in_dark_mode(page, site_url):
    page.goto(site_url + "docs/year-in-review.html")
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    chart = page.locator("svg.year-in-review-chart").first
    fill = chart.locator("rect").first.evaluate("el => getComputedStyle(el).fill")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert fill != background
    assert chart.bounding_box()["height"] > 50


def test_theme_label_links_to_the_theme_page(page, site_url):
    page.goto(site_url + "docs/themes.html")
    label = page.locator(".theme-passage .theme-label a").first
    name = label.text_content()
    label.click()
    page.wait_for_load_state()
    assert page.url.startswith(site_url + "blog/theme/")
    assert page.locator("h1").first.text_content().strip() == f"Theme: {name}"
    # The theme page links back to each passage's anchor.
    source = page.locator(".theme-passage-source a").first
    href = source.get_attribute("href")
    source.click()
    page.wait_for_load_state()
    anchor = href.split("#", 1)[1]
    assert page.locator(f"#{anchor}").is_visible()


def test_category_page_exposes_its_feeds(page, site_url):
    page.goto(site_url + "blog/category/how-to.html")
    alternates = page.locator('head link[rel="alternate"]')
    types = {alternates.nth(i).get_attribute("type") for i in range(alternates.count())}
    assert {"application/atom+xml", "application/rss+xml", "application/feed+json"} <= types
    subscribe = page.locator(".ablog-ext__feeds a", has_text="Atom")
    assert subscribe.is_visible()
    response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + subscribe.get_attribute("href"))
    assert response.ok
    parsed = feedparser.parse(response.body())
    assert not parsed.bozo
    assert parsed.feed.title.endswith("Posts in How-to")


def test_version_switcher_moves_to_the_same_page(browser, tmp_path):
    repo = make_site_repo(tmp_path)
    root = tmp_path / "public"
    root.mkdir()
    with serve(root) as url:
        result = repo.versions(root / "proj", "--jobs", "2", base_url=url + "proj/")
        assert result.returncode == 0, result.stderr
        context = browser.new_context()
        page = context.new_page()
        try:
            page.goto(url + "proj/1.1/posts/2024-01-01-one.html")
            # The theme puts a switcher in the navbar and one in the mobile sidebar.
            switcher = page.locator(".version-switcher__container:visible").first
            button = switcher.locator("button.version-switcher__button")
            button.wait_for(state="visible")
            assert "1.1" in button.text_content()
            button.click()
            items = switcher.locator(".version-switcher__menu a.list-group-item")
            items.first.wait_for(state="visible")
            names = [items.nth(i).text_content().strip() for i in range(items.count())]
            assert names == ["main", "2.0rc1", "1.1 (stable)", "1.0"]
            items.nth(3).click()
            page.wait_for_url(url + "proj/1.0/posts/2024-01-01-one.html")
            assert "Release one" in page.title()
            # The site root sends readers to the stable release.
            page.goto(url + "proj/")
            page.wait_for_url(url + "proj/stable/")
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
            raise
        finally:
            context.close()
