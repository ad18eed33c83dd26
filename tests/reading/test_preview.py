"""Drafts marked in a preview (``ablog_ext/reading/preview.py``): the mark is in the
site's language, its code parts kept as code."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from ablog_ext.reading.preview import DRAFT_CLASS

from helpers import build_dir, copy_root, warnings_of


def _marks(outdir: Path) -> dict[str, BeautifulSoup]:
    found = {}
    for page in sorted(outdir.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        mark = soup.select_one(f".{DRAFT_CLASS}")
        if mark is not None:
            found[page.relative_to(outdir).as_posix()] = mark
    return found


def test_draft_marks_in_the_sites_language(tmp_path: Path):
    overrides = {"ablog_ext_show_drafts": True, "language": "fr"}
    app = build_dir(copy_root(tmp_path, "previews"), confoverrides=overrides)
    assert warnings_of(app) == []
    marks = _marks(Path(app.outdir))
    texts = sorted(mark.get_text(" ", strip=True) for mark in marks.values())
    assert len(texts) == 3, texts
    assert all(text.startswith("Brouillon") for text in texts)
    assert any("il indique published: false" in text for text in texts)
    assert any("sa date est postérieure à aujourd’hui" in text for text in texts)
    assert any("Un brouillon : le site le range parmi les brouillons" in text for text in texts)
    assert sum("Seul ablog-ext serve --drafts l’affiche" in text for text in texts) == 2
    codes = {code.get_text() for mark in marks.values() for code in mark.select("code")}
    assert codes == {"published: false", "ablog-ext serve --drafts"}


def test_draft_marks_in_english_by_default(tmp_path: Path):
    app = build_dir(copy_root(tmp_path, "previews"), confoverrides={"ablog_ext_show_drafts": True})
    texts = sorted(mark.get_text(" ", strip=True) for mark in _marks(Path(app.outdir)).values())
    assert len(texts) == 3 and all(text.startswith("Draft") for text in texts)
    assert any("Not published: it says published: false" in text for text in texts)
