"""The resident application of ``ablog-ext serve``, in this process: which pages a
rebuild writes first, and what it keeps between rebuilds."""

from __future__ import annotations

import contextlib
import gc
import io
import pickle
import shutil
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import small_site
from sphinx.application import ENV_PICKLE_FILENAME, Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.console import strip_colors
from sphinx.util.docutils import docutils_namespace
from test_incremental_random import Site

from ablog_ext.commands.serve import env_pickle
from ablog_ext.commands.serve.first import page_name
from ablog_ext.commands.serve.resident import Changes, ResidentSite

from helpers import build_dir, output_snapshot, snapshot_differences


class Discarded(io.StringIO):
    """A terminal that keeps nothing (what it printed is not the server's memory)."""

    def write(self, text: str) -> int:
        return len(text)


def resident(root: Path) -> ResidentSite:
    out = root / "_build" / "serve"
    return ResidentSite(root, out / "html", out / "doctrees", terminal=Discarded())


@contextlib.contextmanager
def built_site(tmp_path: Path) -> Iterator[tuple[Site, ResidentSite]]:
    """The random-edit tests' small site, built once by a resident application."""
    blog = small_site(tmp_path)
    site = resident(blog.root)
    try:
        assert site.build().error is None
        yield blog, site
    finally:
        site.close()


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


def test_a_template_the_site_adds_or_removes_is_used_at_once(tmp_path):
    """The site's own ``ablog/postcard2.html`` (each archive entry), added while the
    application is resident, is in the archive pages of the next build; removed,
    it is gone from them."""
    blog = small_site(tmp_path)
    with (blog.root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('templates_path = ["_templates"]\n')
    (blog.root / "_templates").mkdir()
    site = resident(blog.root)
    archive = Path(site.html) / "blog.html"
    template = blog.root / "_templates" / "ablog" / "postcard2.html"
    name = frozenset({"_templates/ablog/postcard2.html"})
    try:
        assert site.build().error is None
        assert "site-own-entry" not in archive.read_text(encoding="utf-8")
        template.parent.mkdir()
        template.write_text('<p class="site-own-entry">{{ post.title }}</p>\n', encoding="utf-8")
        report = site.build(Changes(added=name))
        assert report.error is None and report.restarted is True
        assert archive.read_text(encoding="utf-8").count("site-own-entry") == 5
        template.unlink()
        report = site.build(Changes(removed=name))
        assert report.error is None and report.restarted is True
        assert "site-own-entry" not in archive.read_text(encoding="utf-8")
        # An edit to a template that stays keeps the application.
        report = site.build(Changes(modified=frozenset({"_templates/layout.html"})))
        assert report.restarted is False
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


def test_a_page_a_request_waits_for_is_written_first(tmp_path):
    with built_site(tmp_path) as (blog, site):
        order = written_order(site)
        post = blog.new_post()
        blog.posts[post.slug] = post
        blog.write()
        added = f"posts/{post.slug}"
        with site.pages_first.requesting("blog"):
            report = site.build(Changes(added=frozenset({added + ".md"})))
        assert report.error is None
        # The new post, then blog.html that lists it: before the other archive
        # pages and every other document that shows the new post in a sidebar.
        assert order[0] == added
        generated = [page for page in order if page.startswith("blog")]
        assert generated[0] == "blog", generated
        assert order.index("blog") < order.index("index")
        assert {"posts/post-001", "blog/2021"} <= set(order)


def differences_from_clean_build(root: Path, html: Path, tmp_path: Path) -> str:
    clean_src = tmp_path / "clean-site"
    shutil.copytree(root, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean = build_dir(clean_src)
    return snapshot_differences(output_snapshot(html), output_snapshot(Path(clean.outdir)))


def test_the_saved_environment_is_what_a_later_sphinx_build_reads(tmp_path):
    with built_site(tmp_path) as (blog, site):
        blog.posts["post-002"].title = "Saved after the build"
        blog.write()
        assert site.build(Changes(modified=frozenset({"posts/post-002.md"}))).error is None
    with (site.doctrees / ENV_PICKLE_FILENAME).open("rb") as stream:
        env = pickle.load(stream)
    assert isinstance(env, BuildEnvironment)
    assert env.titles["posts/post-002"].astext() == "Saved after the build"
    assert "__reduce_ex__" not in vars(env)
    # sphinx-build, on the served folders: it loads that environment and reads nothing.
    status = io.StringIO()
    with docutils_namespace():
        app = Sphinx(blog.root, blog.root, site.html, site.doctrees, "html", status=status)
        app.build()
    said = strip_colors(status.getvalue())
    assert "loading pickled environment... failed" not in said
    assert "updating environment: 0 added, 0 changed, 0 removed" in said


def test_a_build_that_raised_leaves_no_environment_to_load(tmp_path):
    """Sphinx's save made (the stand-in), then the build raised: the environment is
    not saved over it, so the next application reads every document again."""
    with built_site(tmp_path) as (_blog, site):
        app = site.app
        path = site.doctrees / ENV_PICKLE_FILENAME
        with (
            pytest.raises(RuntimeError, match="a template failed"),
            env_pickle.saved_at_the_end(app),
        ):
            path.write_bytes(pickle.dumps(app.env, pickle.HIGHEST_PROTOCOL))
            raise RuntimeError("a template failed")
        assert "__reduce_ex__" not in vars(app.env)
    with pytest.raises(pickle.UnpicklingError, match="ablog-ext serve stopped"):
        pickle.loads(path.read_bytes())


def test_an_environment_saved_while_a_build_ran_is_read_afresh(tmp_path):
    with built_site(tmp_path) as (blog, site):
        app = site.app
        # As if the server stopped between Sphinx's save and its own.
        with env_pickle.saved_at_the_end(app):
            stand_in = pickle.dumps(app.env, pickle.HIGHEST_PROTOCOL)
        (site.doctrees / ENV_PICKLE_FILENAME).write_bytes(stand_in)
    with pytest.raises(pickle.UnpicklingError, match="ablog-ext serve stopped"):
        pickle.loads(stand_in)
    status = io.StringIO()
    with docutils_namespace():
        app = Sphinx(blog.root, blog.root, site.html, site.doctrees, "html", status=status)
        app.build()
    assert "loading pickled environment... failed" in strip_colors(status.getvalue())
    assert not differences_from_clean_build(blog.root, site.html, tmp_path)
