"""pydata-sphinx-theme: no-op rebuilds read nothing, blog sidebars are there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx.util.console import strip_colors


@pytest.mark.sphinx("html", testroot="jekyll", freshenv=True)
def test_noop_rebuild_reads_no_document(app, make_app):
    app.build()
    second = make_app("html", srcdir=app.srcdir)
    second.build()
    status = strip_colors(second.status.getvalue())
    assert re.search(r"0 added, 0 changed, 0 removed", status), status
    assert "reading sources... [" not in status


@pytest.mark.sphinx("html", testroot="jekyll")
def test_blog_sidebars_in_pydata_theme(app, html):
    app.build()
    post = html(app, "posts/2021-04-03-sections")
    assert post.select_one(".ablog__postcard")
    assert post.select_one(".ablog__recentposts")
    assert post.select_one(".ablog__categories")
    blog = html(app, "blog")
    assert blog.select_one(".ablog__recentposts")
    assert blog.select_one(".ablog__postcard") is None


@pytest.mark.sphinx("html", testroot="jekyll", confoverrides={"ablog_ext_sidebars": ["yes"]})
def test_bad_config_value_warns_and_uses_default(app, warnings):
    assert app.config.ablog_ext_sidebars is True
    assert any("ablog_ext_sidebars should be bool" in w for w in warnings(app))


def test_blog_sidebars_with_a_recursive_post_pattern(tmp_path):
    """``posts/**/*.md`` matches posts directly in ``posts/`` as well as in its
    folders (ABlog reads it as a glob): both get the blog sidebars."""
    from helpers import build_dir, read_html, write_files

    conf = (
        "extensions = ['ablog_ext']\nhtml_theme = 'pydata_sphinx_theme'\n"
        "blog_post_pattern = ['posts/**/*.md']\nexclude_patterns = ['_build']\n"
    )
    posts = {"posts/2024-01-02-top.md": "Top", "posts/2024/2024-02-03-deep.md": "Deep"}
    files = {path: f"---\ntitle: {title}\n---\n\nText.\n" for path, title in posts.items()}
    app = build_dir(
        write_files(tmp_path / "site", {"conf.py": conf, "index.md": "# Home\n", **files})
    )
    for page in ("posts/2024-01-02-top", "posts/2024/2024-02-03-deep"):
        assert read_html(app, page).select_one(".ablog__recentposts"), page


def test_a_noop_rebuild_keeps_every_file(tmp_path):
    """Sphinx 8.0 ends a build with nothing out of date before writing anything:
    the generated pages, feeds and redirects of the last build must all stay."""
    from helpers import build_dir, copy_root

    src = copy_root(tmp_path, "jekyll")
    first = build_dir(src)
    outdir = Path(first.outdir)
    before = sorted(p.relative_to(outdir).as_posix() for p in outdir.rglob("*") if p.is_file())
    assert "blog.html" in before
    for _ in range(2):
        build_dir(src)
        after = sorted(p.relative_to(outdir).as_posix() for p in outdir.rglob("*") if p.is_file())
        assert after == before
