"""Posts are read as UTF-8, leniently where they are not; every other document in
the site's own ``source_encoding``, as Sphinx reads it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sphinx

from helpers import build_dir, main_text, read_html, warnings_of

CONF = 'extensions = ["ablog_ext"]\nblog_post_pattern = "posts/*"\n'
INDEX = "# Home\n\n```{toctree}\nabout\n```\n"
#: Enough posts that ``parallel=2`` reads in worker processes (Sphinx needs > 5).
OTHER_POSTS = 5


def make_site(srcdir: Path, conf: str, about: bytes) -> None:
    (srcdir / "posts").mkdir(parents=True)
    (srcdir / "conf.py").write_text(CONF + conf, encoding="utf-8")
    (srcdir / "index.md").write_text(INDEX, encoding="utf-8")
    (srcdir / "about.md").write_bytes(about)
    (srcdir / "posts/2020-01-01-utf8.md").write_bytes(
        "---\ntitle: Café\n---\n\nCafé ☕ crème.\n".encode()
    )
    (srcdir / "posts/2020-01-02-broken.md").write_bytes(
        b"---\ntitle: Broken\n---\n\nFine line.\nCaf\xe9 and \xff bytes.\n"
    )
    for number in range(OTHER_POSTS):
        (srcdir / f"posts/2020-02-0{number + 1}-other.md").write_text(
            f"---\ntitle: Other {number}\n---\n\nText.\n", encoding="utf-8"
        )


def text_of(app, pagename: str) -> str:
    return main_text(read_html(app, pagename)).get_text()


def deprecations(app) -> list[str]:
    return [w for w in warnings_of(app) if "deprecated" in w.lower()]


@pytest.mark.parametrize("parallel", [1, 2])
def test_a_post_that_is_not_utf8_is_read_with_a_located_warning(tmp_path, parallel):
    srcdir = tmp_path / "site"
    make_site(srcdir, "", "# About\n\nCafé ☕.\n".encode())
    app = build_dir(srcdir, parallel=parallel)
    warnings = warnings_of(app)
    assert len(warnings) == 1, warnings
    assert re.search(
        r"posts/2020-01-02-broken\.md:6: WARNING: bytes that are not UTF-8 \(0xe9 first\)",
        warnings[0],
    )
    assert "Caf\ufffd and \ufffd bytes." in text_of(app, "posts/2020-01-02-broken")
    assert "Café ☕ crème." in text_of(app, "posts/2020-01-01-utf8")
    assert "Café ☕." in text_of(app, "about")
    assert deprecations(app) == []


@pytest.mark.parametrize("parallel", [1, 2])
def test_the_site_encoding_stays_for_other_documents(tmp_path, parallel):
    """A latin-1 site: its pages are read as latin-1, its posts as UTF-8."""
    srcdir = tmp_path / "site"
    make_site(srcdir, 'source_encoding = "latin-1"\n', "# About\n\nCafé crème.\n".encode("latin-1"))
    app = build_dir(srcdir, parallel=parallel)
    assert "Café crème." in text_of(app, "about")
    # Not "CafÃ©": posts are Jekyll's, always UTF-8.
    assert "Café ☕ crème." in text_of(app, "posts/2020-01-01-utf8")
    assert "Caf\ufffd and \ufffd bytes." in text_of(app, "posts/2020-01-02-broken")
    ours = [w for w in warnings_of(app) if "ablog_ext" in w]
    assert len(ours) == 1 and "posts/2020-01-02-broken.md:6" in ours[0], ours
    # Sphinx 9 deprecates the site's own setting, once; ablog_ext adds no deprecation.
    expected = 1 if sphinx.version_info >= (9,) else 0
    assert len(deprecations(app)) == expected, warnings_of(app)
    assert not any("ablog_ext" in w for w in deprecations(app))


def test_an_incremental_build_reads_with_the_site_encoding_again(tmp_path):
    srcdir = tmp_path / "site"
    make_site(srcdir, 'source_encoding = "latin-1"\n', "# About\n\nCafé crème.\n".encode("latin-1"))
    build_dir(srcdir)
    (srcdir / "about.md").write_bytes("# About\n\nCrème brûlée.\n".encode("latin-1"))
    (srcdir / "posts/2020-01-01-utf8.md").write_bytes(
        "---\ntitle: Café\n---\n\nNaïve ☕.\n".encode()
    )
    app = build_dir(srcdir)
    assert "Crème brûlée." in text_of(app, "about")
    assert "Naïve ☕." in text_of(app, "posts/2020-01-01-utf8")


def test_a_utf8_site_without_broken_posts_keeps_sphinx_reading(tmp_path):
    """Nothing to read differently: Sphinx's own setting is left alone."""
    srcdir = tmp_path / "site"
    make_site(srcdir, "", "# About\n\nCafé.\n".encode())
    (srcdir / "posts/2020-01-02-broken.md").unlink()
    app = build_dir(srcdir)
    assert warnings_of(app) == []
    assert app.env.settings["input_encoding"] == app.config.source_encoding
