"""Speed-ups that must not change a byte of the output.

- The search index's stems, memoised per build (``upstream.SPHINX_SEARCH_STEMS``):
  the same ``searchindex.js`` with and without the cache; another Sphinx
  application in the same process, without ablog_ext, stems as Sphinx does.
"""

from __future__ import annotations

from pathlib import Path

from test_upstream import stop_stemming_through_lang

from ablog_ext import upstream

from conftest import build_site, warnings_of


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
    assert upstream.SPHINX_SEARCH_STEMS.on(ours)
    assert "stem" in vars(ours.builder.indexer.lang)

    other = build_site(tmp_path / "other", "upstream-plain")
    assert not upstream.loaded_by(other)
    language = other.builder.indexer.lang
    assert "stem" not in vars(language)
    assert language.stem.__func__ is type(language).stem
