"""Speed-ups that must not change a byte of the output.

- The search index's stems, memoised per build (``reaches.sphinx.SPHINX_SEARCH_STEMS``):
  the same ``searchindex.js`` with and without the cache; another Sphinx
  application in the same process, without ablog_ext, stems as Sphinx does.
- Each post's excerpt rendered once per build when nothing in it depends on the
  page that shows it (else once per folder): the whole output is the same as
  with one render per folder.
- Feed entries kept between builds: a feed written again renders only the
  entries whose excerpt changed, and equals a clean build.
"""

from __future__ import annotations

from pathlib import Path

import ablog.blog
import pytest

from ablog_ext.reaches import loaded_by
from ablog_ext.reaches.sphinx import SPHINX_SEARCH_STEMS
from ablog_ext.speed import post_html

from helpers import (
    build_site,
    output_snapshot,
    snapshot_differences,
    stop_stemming_through_lang,
    warnings_of,
)


def test_memoised_stems_give_the_same_search_index(tmp_path, monkeypatch):
    cached = build_site(tmp_path / "cached", "excerpts")
    language = cached.builder.indexer.lang
    assert "stem" in vars(language), "ablog_ext's build stems through its cache"
    info = language.stem.cache_info()
    assert info.hits > info.misses > 0, info
    assert not any("[ablog_ext.upstream]" in w for w in warnings_of(cached))

    stop_stemming_through_lang(monkeypatch)
    plain = build_site(tmp_path / "plain", "excerpts")
    monkeypatch.undo()
    assert "stem" not in vars(plain.builder.indexer.lang)
    upstream_warnings = [w for w in warnings_of(plain) if "[ablog_ext.upstream]" in w]
    assert len(upstream_warnings) == 1, upstream_warnings
    assert "IndexBuilder.feed" in upstream_warnings[0]

    got = Path(cached.outdir, "searchindex.js").read_bytes()
    want = Path(plain.outdir, "searchindex.js").read_bytes()
    assert len(want) > 1000
    assert got == want


def test_an_app_without_ablog_ext_stems_as_sphinx_does(tmp_path):
    ours = build_site(tmp_path / "ours", "excerpts")
    assert SPHINX_SEARCH_STEMS.on(ours)
    assert "stem" in vars(ours.builder.indexer.lang)

    other = build_site(tmp_path / "other", "upstream-plain")
    assert not loaded_by(other)
    language = other.builder.indexer.lang
    assert "stem" not in vars(language)
    assert language.stem.__func__ is type(language).stem


def build_counting_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, testroot: str
) -> tuple[dict[str, str], int]:
    """The whole output of *testroot*, and how many excerpts and texts ABlog rendered."""
    renders = 0
    original = ablog.blog.html_builder_write_doc

    def counted(*args, **kwargs):
        nonlocal renders
        renders += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(ablog.blog, "html_builder_write_doc", counted)
    app = build_site(tmp_path, testroot)
    monkeypatch.setattr(ablog.blog, "html_builder_write_doc", original)
    return output_snapshot(Path(app.outdir)), renders


@pytest.mark.parametrize("testroot", ["excerpts", "fresh", "upstream", "shapes"])
def test_excerpts_rendered_once_give_the_same_site(tmp_path, monkeypatch, testroot):
    once, renders_once = build_counting_renders(tmp_path / "once", monkeypatch, testroot)
    monkeypatch.setattr(post_html, "same_in_every_folder", lambda excerpt: False)
    per_folder, renders_per_folder = build_counting_renders(
        tmp_path / "per-folder", monkeypatch, testroot
    )
    assert renders_once < renders_per_folder
    assert snapshot_differences(once, per_folder) == ""


def test_an_excerpt_with_links_is_rendered_per_folder():
    from docutils import nodes
    from sphinx import addnodes

    plain = nodes.paragraph("", "", nodes.Text("Plain "), nodes.strong("", "text"))
    link = addnodes.pending_xref("", nodes.Text("a post"), reftype="doc", reftarget="x")
    image = nodes.image(uri="pic.png")
    assert post_html.same_in_every_folder([plain, nodes.note("", plain.deepcopy())])
    assert not post_html.same_in_every_folder([plain, nodes.paragraph("", "", link)])
    assert not post_html.same_in_every_folder([nodes.paragraph("", "", image)])


def test_a_rewritten_feed_renders_only_the_entries_that_changed(tmp_path, monkeypatch):
    from ablog_ext.pages import feed_entries

    from helpers import build_dir, copy_root, equals_clean_build

    src = copy_root(tmp_path, "fresh")
    build_dir(src)
    rendered: list[str] = []
    original = feed_entries.render_fragment

    def counted(app, pagename, content, permalinks=True):
        rendered.append(pagename)
        return original(app, pagename, content, permalinks)

    monkeypatch.setattr(feed_entries, "render_fragment", counted)
    post = src / "posts/2021-03-20-fourth.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("title: The fourth post", "title: A new title"), encoding="utf-8")
    atom = src / "_build/html/blog/atom.xml"
    before = atom.read_bytes()
    build_dir(src)
    assert atom.read_bytes() != before
    assert b"A new title" in atom.read_bytes()
    # The title is not part of the rendered entry: no excerpt rendered again.
    assert rendered == []

    rendered.clear()
    post.write_text(text.replace("The fourth post's excerpt.", "A new excerpt."), encoding="utf-8")
    build_dir(src)
    assert rendered == ["posts/2021-03-20-fourth"]
    assert b"A new excerpt." in atom.read_bytes()
    monkeypatch.undo()
    assert equals_clean_build(src, tmp_path) == ""
