"""The resident application of ``ablog-ext serve``, in this process: which pages a
rebuild writes first, and what it keeps between rebuilds."""

from __future__ import annotations

import gc
import io
import tracemalloc
from pathlib import Path

from serving import small_site

from ablog_ext.commands.serve.first import page_name
from ablog_ext.commands.serve.resident import Changes, ResidentSite


class Discarded(io.StringIO):
    """A terminal that keeps nothing (what it printed is not the server's memory)."""

    def write(self, text: str) -> int:
        return len(text)


def resident(root: Path) -> ResidentSite:
    out = root / "_build" / "serve"
    return ResidentSite(root, out / "html", out / "doctrees", terminal=Discarded())


def written_order(site: ResidentSite) -> list[str]:
    order: list[str] = []
    builder = site.app.builder
    handle_page = builder.handle_page

    def recorded(pagename, *args, **kwargs):
        order.append(pagename)
        return handle_page(pagename, *args, **kwargs)

    builder.handle_page = recorded
    return order


def test_the_edited_post_and_the_open_page_are_written_first(tmp_path):
    blog = small_site(tmp_path)
    site = resident(blog.root)
    try:
        assert site.build().error is None
        order = written_order(site)
        post = blog.posts["post-005"]
        post.title = "A title every sidebar shows"
        blog.write()
        with site.pages_first.opened("posts/post-002"):
            report = site.build(Changes(modified=frozenset({"posts/post-005.md"})))
        assert report.error is None and report.restarted is False
        # Many pages show the title: all rewritten, the two looked at first.
        assert order[:2] == ["posts/post-005", "posts/post-002"]
        assert {"posts/post-001", "posts/post-003", "index"} <= set(order)
        # Then the generated pages (blog.html lists the posts), then the rest.
        assert order.index("blog") < order.index("index") < order.index("posts/post-001")
        assert site.pages_first.written == set(order)
    finally:
        site.close()


def test_page_names_of_url_paths():
    assert page_name("/") == "index"
    assert page_name("/blog/") == "blog/index"
    assert page_name("/posts/a.html") == "posts/a"
    assert page_name("/_static/basic.css") is None


EDITS = 25


def test_memory_stays_flat_over_many_edits(tmp_path):
    blog = small_site(tmp_path)
    site = resident(blog.root)
    post = blog.root / "posts" / "post-001.md"
    try:
        site.build()
        tracemalloc.start()
        for turn in range(3):  # warm: caches that fill once
            post.write_text(post.read_text() + f"\nWarm {turn}.\n")
            site.build(Changes(modified=frozenset({"posts/post-001.md"})))
        gc.collect()
        first, _ = tracemalloc.get_traced_memory()
        for turn in range(EDITS):
            post.write_text(post.read_text() + f"\nEdit {turn}.\n")
            assert site.build(Changes(modified=frozenset({"posts/post-001.md"}))).error is None
        gc.collect()
        last, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        # python-liquid's get_parser (an lru_cache of 128) keeps each build's Liquid
        # environment, ~20 kB, up to 128 builds; a build's doctrees, pages or state
        # kept would be several times more.
        assert (last - first) / EDITS < 60_000, (first, last)
    finally:
        site.close()
