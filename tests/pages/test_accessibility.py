"""No axe-core violations at WCAG 2.1 A and AA on any page type ablog_ext writes.

``roots/test-accessibility`` has every page type: posts with categories, tags, an
author, a series and a theme passage, review pages, and three posts a page.  It is
built once per theme, served on 127.0.0.1, and each page type is loaded in headless
Chromium (``test_browser.py``'s browser and server) in light and dark mode
(``prefers-color-scheme``, which pydata-sphinx-theme follows by default).  axe-core
runs on the page with the WCAG 2.0/2.1 A and AA rules, and must find nothing.

axe-core comes from a pinned test dependency, ``axe-playwright-python`` (its
``axe.min.js``; see ``site/docs/accessibility.md``).  Without it these tests skip,
and fail under ``CI=true``, as the browser tests do without Chromium.

A violation that comes from a theme itself, not from ABlog or ablog_ext, is allowed
on exactly one element (:data:`ALLOWED`), with the report to file upstream in the docs.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import pytest
from test_browser import browser, serve  # noqa: F401 (browser: the fixture)

from chromium import unavailable
from helpers import build_site

#: The test dependency that ships axe-core's ``axe.min.js``, and the axe-core it ships
#: (pyproject.toml pins the package exactly; a new pin must say which axe-core it brings).
AXE_PACKAGE = "axe_playwright_python"
AXE_VERSION = "4.12.1"
#: WCAG 2.0 and 2.1, levels A and AA.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
THEMES = ["pydata_sphinx_theme", "alabaster"]
MODES = ["light", "dark"]
#: One page of each type, in the site ``roots/test-accessibility`` builds.
PAGES = {
    "post": "posts/first.html",
    "blog": "blog.html",
    "catalog": "blog/archive.html",
    "category": "blog/category/docs.html",
    "tag": "blog/tag/python.html",
    "year": "blog/2024.html",
    "review": "blog/review/2024.html",
    "theme": "blog/theme/teaching.html",
    "series": "blog/series/learning-sphinx.html",
    "later page": "blog/page/2.html",
}
#: Violations that come from a theme itself: (theme, rule id) -> the one element
#: (a CSS selector that must match exactly one) where the rule is allowed, on the
#: element or inside it.  Each is in site/docs/accessibility.md with the report to
#: file upstream.
ALLOWED: dict[tuple[str, str], str] = {
    # The navbar's search button: named "Search", it shows "Search Ctrl+K".
    ("pydata_sphinx_theme", "label-content-name-mismatch"): (
        ".navbar-persistent--container .search-button-field"
    ),
    # The footer's text and links: #888 on white, 3.54:1.
    ("alabaster", "color-contrast"): "div.footer",
}

#: Every rule with one of the tags, the experimental ones too (label-content-name-mismatch
#: is one in axe-core 4.12): run by name, as a tag alone leaves those out.  A node inside
#: the element ``allowed`` names for its rule is left out; ``allowed`` must name one.
RUN_AXE = """async ([tags, allowed]) => {
  const rules = axe.getRules(tags).map(rule => rule.ruleId);
  const results = await axe.run(document, {
    runOnly: {type: "rule", values: rules},
    resultTypes: ["violations"],
  });
  const inside = (rule, target) => {
    if (!(rule in allowed) || target.length !== 1) return false;
    const roots = document.querySelectorAll(allowed[rule]);
    if (roots.length !== 1) throw new Error(`${allowed[rule]} matches ${roots.length} elements`);
    return roots[0].contains(document.querySelector(target[0]));
  };
  return results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.filter(n => !inside(v.id, n.target)).map(n => n.target.join(" ")),
  })).filter(v => v.targets.length);
}"""
#: What the page says its colour mode is.
MODE_JS = """() => document.documentElement.dataset.theme
  || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light")"""


def axe_source() -> str:
    """axe-core's ``axe.min.js`` from the pinned test dependency."""
    try:
        source = (resources.files(AXE_PACKAGE) / "axe.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as error:
        reason = f"no axe-core: {error} (pip install -e '.[test]')"
    else:
        found = re.match(r"/\*! axe v(\S+)", source)
        assert found and found.group(1) == AXE_VERSION, source[:40]
        return source
    unavailable(reason, os.environ)


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_source()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> Iterator[Callable[[str], str]]:
    """The base URL of the site built with a theme: each theme's site is built once
    (on first use) and served until the module's tests end."""
    with contextlib.ExitStack() as stack:
        urls: dict[str, str] = {}

        def url(theme: str) -> str:
            if theme not in urls:
                app = build_site(
                    tmp_path_factory.mktemp(theme), "accessibility",
                    confoverrides={"html_theme": theme},
                )  # fmt: skip
                urls[theme] = stack.enter_context(serve(Path(app.outdir)))
            return urls[theme]

        yield url


def report(found: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}, {len(v['targets'])} nodes): {v['help']}\n    "
        + "\n    ".join(v["targets"])
        for v in found
    )


def check_page(browser, axe: str, url: str, mode: str, allowed: dict[str, str]) -> list[dict]:  # noqa: F811
    """axe-core's violations on the page at *url* in colour *mode*, less those
    *allowed* (rule id -> the one element where it is)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=mode)
    try:
        page = context.new_page()
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        assert page.evaluate(MODE_JS) == mode
        page.add_script_tag(content=axe)
        return page.evaluate(RUN_AXE, [TAGS, allowed])
    finally:
        context.close()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page_type", list(PAGES))
@pytest.mark.parametrize("theme", THEMES)
def test_no_accessibility_violations(browser, axe, site_url, theme, page_type, mode):  # noqa: F811
    allowed = {rule: selector for (name, rule), selector in ALLOWED.items() if name == theme}
    found = check_page(browser, axe, site_url(theme) + PAGES[page_type], mode, allowed)
    assert not found, f"{PAGES[page_type]} on {theme}, {mode} mode:\n{report(found)}"


#: ABlog's old post card shape (a list holding a <div> of items), twice.
STRAY_ITEMS = (
    '<!DOCTYPE html><html lang="en"><head><title>Lists</title></head><body><main>'
    '<div class="one"><ul><li>a</li><div><li>b</li></div></ul></div>'
    '<div class="two"><ul><li>c</li><div><li>d</li></div></ul></div>'
    "</main></body></html>"
)


def run_on(browser, axe: str, html: str, allowed: dict[str, str]) -> list[dict]:  # noqa: F811
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(html)
        page.add_script_tag(content=axe)
        return page.evaluate(RUN_AXE, [TAGS, allowed])
    finally:
        context.close()


def test_axe_finds_what_ablog_had(browser, axe):  # noqa: F811
    found = run_on(browser, axe, STRAY_ITEMS, {})
    assert {v["id"]: len(v["targets"]) for v in found} == {"list": 2, "listitem": 2}


def test_an_allowed_rule_is_allowed_on_its_element_only(browser, axe):  # noqa: F811
    found = run_on(browser, axe, STRAY_ITEMS, {"list": ".one", "listitem": ".one"})
    assert {v["id"]: v["targets"] for v in found} == {
        "list": [".two > ul"],
        "listitem": [".two > ul > div > li"],
    }


def test_an_allowed_element_must_be_one(browser, axe):  # noqa: F811
    with pytest.raises(Exception, match="matches 2 elements"):
        run_on(browser, axe, STRAY_ITEMS, {"list": "main > div"})


def test_comments_link_has_a_name_before_disqus_fills_it(browser, axe, tmp_path):  # noqa: F811
    """With Font Awesome, ABlog's comments link held only the count Disqus's script
    writes into it: empty where the script is blocked (axe's link-name)."""
    app = build_site(
        tmp_path, "accessibility",
        confoverrides={
            "html_theme": "pydata_sphinx_theme",
            "disqus_shortname": "example",
            "fontawesome_included": True,
        },
    )  # fmt: skip
    html = (Path(app.outdir) / "posts" / "first.html").read_text(encoding="utf-8")
    assert "#disqus_thread" in html
    with serve(Path(app.outdir)) as url:
        allowed = {
            rule: selector for (name, rule), selector in ALLOWED.items()
            if name == "pydata_sphinx_theme"
        }  # fmt: skip
        found = check_page(browser, axe, url + "posts/first.html", "light", allowed)
    assert not found, report(found)
