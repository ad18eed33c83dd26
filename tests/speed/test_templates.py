"""Compiled templates kept between builds, and an edited template compiled again."""

from __future__ import annotations

from pathlib import Path

from helpers import build_dir, copy_root, read_html


def test_compiled_templates_are_kept_and_an_edited_one_is_compiled_again(tmp_path):
    src = copy_root(tmp_path, "jekyll")
    (src / "_templates").mkdir()
    (src / "_templates" / "layout.html").write_text(
        '{% extends "!layout.html" %}{% block footer %}<p id="mark">first</p>'
        "{{ super() }}{% endblock %}",
        encoding="utf-8",
    )
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\ntemplates_path = ['_templates']\n")
    app = build_dir(src)
    kept = list((Path(app.doctreedir) / "ablog_ext_jinja").iterdir())
    assert kept, "no compiled template was kept"
    assert read_html(app, "about").select_one("#mark").get_text() == "first"
    layout = src / "_templates" / "layout.html"
    layout.write_text(layout.read_text(encoding="utf-8").replace("first", "second"), "utf-8")
    (src / "about.md").write_text("# About\n\nAgain.\n", encoding="utf-8")
    app = build_dir(src)
    assert read_html(app, "about").select_one("#mark").get_text() == "second"
