"""``ablog-ext serve`` in a real headless Chromium: the open page reloads by itself
after a save and shows the edit; a broken post shows over the page until fixed."""

from __future__ import annotations

import test_browser
from serving import serving, small_site

from ablog_ext.commands.serve.reload import OVERLAY_ID

#: One Chromium for the module, as ``test_browser.py`` starts it (or skips, or fails
#: under CI, without one).
browser = test_browser.browser


def test_the_open_page_reloads_and_shows_the_edit(tmp_path, browser):
    site = small_site(tmp_path)
    post = site.root / "posts" / "post-001.md"
    with serving(site.root) as served:
        page = browser.new_page()
        page.goto(served.url + "posts/post-001.html")
        # A mark the reload wipes out: the page is a new document afterwards.
        page.evaluate("window.beforeTheEdit = true")
        page.wait_for_timeout(300)  # the event stream is open
        post.write_text(post.read_text() + "\nA sentence typed in the editor.\n")
        page.wait_for_function(
            "document.body && document.body.innerText.includes('A sentence typed in the editor.')",
            timeout=60_000,
        )
        assert page.evaluate("window.beforeTheEdit === undefined")
        page.close()


def test_a_broken_post_shows_over_the_open_page_until_fixed(tmp_path, browser):
    site = small_site(tmp_path)
    post = site.root / "posts" / "post-002.md"
    good = post.read_text()
    with serving(site.root) as served:
        page = browser.new_page()
        page.goto(served.url + "index.html")
        assert page.locator(f"#{OVERLAY_ID}").count() == 0
        page.wait_for_timeout(300)
        post.write_text(good.replace("title: ", "title: [unclosed ", 1))
        overlay = page.locator(f"#{OVERLAY_ID}")
        overlay.wait_for(state="visible", timeout=60_000)
        assert "post-002.md" in overlay.inner_text()
        post.write_text(good)
        overlay.wait_for(state="detached", timeout=60_000)
        assert page.title()
        page.close()
