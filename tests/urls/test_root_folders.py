"""``ablog_ext_root_folders``: a static folder served as it is, at the same path,
as Jekyll serves ``assets/`` (``init`` sets it for every static folder)."""

from __future__ import annotations

from pathlib import Path

from helpers import build_dir, copy_root, main_text, read_html, warnings_of


def test_folder_is_copied_as_it_is_and_not_read(tmp_path):
    srcdir = copy_root(tmp_path, "real-shapes")
    app = build_dir(srcdir)
    outdir = Path(app.outdir)
    image = "assets/img/dot.svg"
    assert (outdir / image).read_bytes() == (srcdir / image).read_bytes()
    assert (outdir / "assets/notes.md").is_file()
    assert not (outdir / "assets/notes.html").exists()  # a file to serve, not a page
    assert "assets/notes" not in app.env.found_docs
    page = main_text(read_html(app, "posts/2020-05-01-static-image"))
    assert page.img["src"].endswith("dot.svg")
    assert not [w for w in warnings_of(app) if "static-image" in w or "root_folders" in w]
    # A changed file is copied again on the next build.
    (srcdir / "assets/notes.md").write_text("# Notes\n\nChanged.\n", encoding="utf-8")
    app = build_dir(srcdir)
    assert "Changed." in (outdir / "assets/notes.md").read_text(encoding="utf-8")


def test_an_entry_that_is_not_a_folder_warns(tmp_path):
    srcdir = copy_root(tmp_path, "real-shapes")
    app = build_dir(
        srcdir, confoverrides={"ablog_ext_root_folders": ["assets", "nowhere", "../up", "conf.py"]}
    )
    found = [w for w in warnings_of(app) if "ablog_ext_root_folders" in w]
    assert len(found) == 3, found
    assert all("[ablog_ext.config]" in w for w in found)
    assert (Path(app.outdir) / "assets/img/dot.svg").is_file()


def test_a_dot_folder_is_a_root_folder_dot_and_dot_dot_are_not(tmp_path):
    from ablog_ext.config import root_folder_problem

    (tmp_path / ".well-known").mkdir()
    (tmp_path / "a").mkdir()
    assert root_folder_problem(".well-known", tmp_path) is None
    assert root_folder_problem("/.well-known/", tmp_path) is None
    for entry in [".", "./a", "a/..", "a/./b", ".."]:
        assert root_folder_problem(entry, tmp_path) is not None, entry


def test_a_dot_folder_is_published_and_one_leading_out_is_not(tmp_path):
    srcdir = copy_root(tmp_path / "site", "real-shapes")
    (srcdir / ".well-known").mkdir()
    (srcdir / ".well-known/security.txt").write_text("Contact: x\n", encoding="utf-8")
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "key.txt").write_text("secret\n", encoding="utf-8")
    (srcdir / ".private").symlink_to(outside, target_is_directory=True)
    app = build_dir(
        srcdir, confoverrides={"ablog_ext_root_folders": ["assets", ".well-known", ".private"]}
    )
    outdir = Path(app.outdir)
    assert (outdir / ".well-known/security.txt").read_text(encoding="utf-8") == "Contact: x\n"
    assert not (outdir / ".private").exists()
    assert [w for w in warnings_of(app) if "leads outside the source folder" in w]
