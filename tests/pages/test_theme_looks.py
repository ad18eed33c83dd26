"""Every theme shows ABlog's elements as it did before ablog_ext was added.

``roots/test-theme-looks`` is built twice per theme, plain and with ablog_ext, and
both are served to headless Chromium (``test_browser.py``'s browser and server).
The computed styles of ABlog's own elements (the post card's date heading, the
sidebar headings and lists, the archive page, the postlist) must be equal.  On
pydata-sphinx-theme, ablog_ext adapts ABlog's sidebars on purpose
(``ablog_ext_pydata.css``, documented in ``site/docs/``): the test checks that
adaptation is there, and that nothing else differs.  sphinx-book-theme, built on
pydata-sphinx-theme under another name, gets no adaptation: equal too (its test is
marked ``book_theme``, run by ``nox -s tests`` once the theme is installed).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from test_browser import launch, serve

from helpers import build_site

PLAIN = ["ablog", "myst_parser"]
#: Compared on every matched element.
PROPERTIES = [
    "font-size",
    "font-weight",
    "font-family",
    "line-height",
    "color",
    "margin-top",
    "margin-bottom",
    "margin-left",
    "padding-left",
    "list-style-type",
]
#: ABlog's elements, page by page (every selector must match on both builds).
ELEMENTS = {
    "posts/first.html": [
        ".ablog__postcard h2",
        ".ablog__postcard h2 span",
        ".ablog__postcard ul",
        ".ablog__postcard li",
        ".ablog-sidebar-item h3",
        ".ablog__recentposts li",
        ".ablog__archives ul",
        ".ablog__archives li",
        ".ablog__categories li",
        ".ablog__tagcloud li",
    ],
    "blog/archive.html": [
        ".ablog__catalog_header h2",
        ".ablog__catalog_post p",
        ".ablog__archives li",
    ],
    "index.html": [
        ".postlist li",
        ".ablog-post-title",
        ".ablog-post-excerpt",
        ".ablog-sidebar-item h3",
    ],
}
#: What ablog_ext changes on purpose on pydata-sphinx-theme (``ablog_ext_pydata.css``):
#: the sidebar headings in the theme's h5 size, so their line height follows.
PYDATA_ADAPTED = {
    (page, selector, name)
    for page, selectors in ELEMENTS.items()
    for selector in selectors
    if selector.startswith((".ablog__postcard h2", ".ablog-sidebar-item h"))
    for name in ("font-size", "line-height")
}

STYLES_JS = """([selectors, properties]) => Object.fromEntries(selectors.map(selector => [
  selector,
  [...document.querySelectorAll(selector)].map(element => {
    const style = getComputedStyle(element);
    return Object.fromEntries(properties.map(name => [name, style.getPropertyValue(name)]));
  }),
]))"""
#: The themes other than pydata-sphinx-theme (whose adaptations are tested on their own).
OTHER_THEMES = [
    "alabaster",
    "furo",
    # It pins an older pydata-sphinx-theme: nox runs it after installing it.
    pytest.param("sphinx_book_theme", marks=pytest.mark.book_theme),
]

#: Each item of ABlog's archive entries on the blog's page (date, authors, category,
#: tags), its box relative to its entry's list.  ablog_ext's ablog/postcard2.html puts
#: the names in a list of their own (a list may not hold ABlog's <div>): they must stay
#: where ABlog put them.
ENTRY_ITEMS_JS = """() => [...document.querySelectorAll(".ablog-archive")].map(list => {
  const origin = list.getBoundingClientRect();
  return [...list.querySelectorAll("li:not(.ablog__postcard2)")].map(item => {
    const box = item.getBoundingClientRect();
    return [item.textContent.replace(/\\s+/g, " ").trim(),
      ...[box.x - origin.x, box.y - origin.y, box.width, box.height].map(Math.round)];
  });
})"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def styles(browser: Browser, outdir: Path) -> dict[str, dict[str, list[dict[str, str]]]]:
    """Computed styles of ``ELEMENTS`` in the site built in *outdir*."""
    found = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    with contextlib.ExitStack() as stack:
        stack.callback(context.close)
        url = stack.enter_context(serve(outdir))
        page = context.new_page()
        for pagename, selectors in ELEMENTS.items():
            page.goto(url + pagename)
            page.wait_for_load_state("load")
            found[pagename] = page.evaluate(STYLES_JS, [selectors, PROPERTIES])
    return found


def entry_items(browser: Browser, outdir: Path) -> list[list[list]]:
    """``ENTRY_ITEMS_JS`` on the blog's page of the site built in *outdir*."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    with contextlib.ExitStack() as stack:
        stack.callback(context.close)
        url = stack.enter_context(serve(outdir))
        page = context.new_page()
        page.goto(url + "blog.html")
        page.wait_for_load_state("load")
        return page.evaluate(ENTRY_ITEMS_JS)


def differences(plain: dict, with_ext: dict) -> set[tuple[str, str, str]]:
    """(page, selector, property) whose computed value differs on any element.
    Each selector matches as many elements in both builds, and most match some."""
    matched = [s for selectors in plain.values() for s, elements in selectors.items() if elements]
    assert len(matched) >= len([s for selectors in ELEMENTS.values() for s in selectors]) - 2
    assert plain["posts/first.html"][".ablog__postcard h2"], "no post card date heading"
    differ = set()
    for pagename, selectors in plain.items():
        for selector, elements in selectors.items():
            assert len(with_ext[pagename][selector]) == len(elements), (pagename, selector)
            for before, after in zip(elements, with_ext[pagename][selector], strict=True):
                differ |= {
                    (pagename, selector, name) for name in PROPERTIES if before[name] != after[name]
                }
    return differ


def build_both(tmp_path_factory, theme: str) -> tuple[Path, Path]:
    from ablog.blog import Blog

    Blog._dict.clear()  # plain ABlog's process-wide posts
    overrides = {"html_theme": theme}
    plain = build_site(tmp_path_factory.mktemp("plain"), "theme-looks", confoverrides=overrides)
    with_ext = build_site(
        tmp_path_factory.mktemp("ext"),
        "theme-looks",
        confoverrides={**overrides, "extensions": [*PLAIN, "ablog_ext"]},
    )
    return Path(plain.outdir), Path(with_ext.outdir)


@pytest.mark.parametrize("theme", OTHER_THEMES)
def test_theme_shows_ablog_elements_as_without_ablog_ext(browser, tmp_path_factory, theme):
    plain, with_ext = build_both(tmp_path_factory, theme)
    assert differences(styles(browser, plain), styles(browser, with_ext)) == set()


@pytest.mark.parametrize("theme", [*OTHER_THEMES, "pydata_sphinx_theme"])
def test_archive_entries_place_their_items_as_without_ablog_ext(browser, tmp_path_factory, theme):
    plain, with_ext = build_both(tmp_path_factory, theme)
    before = entry_items(browser, plain)
    # Three posts, each with its date, author, category and tags.
    assert len(before) == 3 and all(len(items) == 4 for items in before), before
    assert entry_items(browser, with_ext) == before


def test_pydata_theme_changes_only_the_documented_adaptations(browser, tmp_path_factory):
    plain, with_ext = build_both(tmp_path_factory, "pydata_sphinx_theme")
    plain_styles, ext_styles = styles(browser, plain), styles(browser, with_ext)
    assert differences(plain_styles, ext_styles) == PYDATA_ADAPTED
