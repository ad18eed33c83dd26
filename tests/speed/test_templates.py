"""Compiled templates kept between builds, and an edited template compiled again."""

from __future__ import annotations

from pathlib import Path

from helpers import build_dir, copy_root, equals_clean_build, page_after_edit, read_html


def _with_layout_mark(tmp_path: Path) -> Path:
    src = copy_root(tmp_path, "jekyll")
    (src / "_templates").mkdir()
    (src / "_templates" / "layout.html").write_text(
        '{% extends "!layout.html" %}{% block footer %}<p id="mark">first</p>'
        "{{ super() }}{% endblock %}",
        encoding="utf-8",
    )
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\ntemplates_path = ['_templates']\n")
    return src


def test_compiled_templates_are_kept_and_an_edited_one_is_compiled_again(tmp_path):
    src = _with_layout_mark(tmp_path)
    app = build_dir(src)
    kept = list((Path(app.doctreedir) / "ablog_ext_jinja").iterdir())
    assert kept, "no compiled template was kept"
    assert read_html(app, "about").select_one("#mark").get_text() == "first"
    layout = src / "_templates" / "layout.html"
    layout.write_text(layout.read_text(encoding="utf-8").replace("first", "second"), "utf-8")
    (src / "about.md").write_text("# About\n\nAgain.\n", encoding="utf-8")
    app = build_dir(src)
    assert read_html(app, "about").select_one("#mark").get_text() == "second"


def test_templates_are_not_checked_for_edits_while_pages_are_written(tmp_path):
    src = _with_layout_mark(tmp_path)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(
            "\nSEEN = []\n"
            "def _note(app, pagename, templatename, context, doctree):\n"
            "    SEEN.append(app.builder.templates.environment.auto_reload)\n"
            "def setup(app):\n"
            "    app.connect('html-page-context', _note)\n"
        )
    app = build_dir(src)
    seen = app.config._raw_config["SEEN"]
    assert seen, "no page was written"
    assert not any(seen), "a template lookup asked the loader whether the file changed"
    assert app.builder.templates.environment.auto_reload, "still off after the build"


def test_a_template_edited_between_builds_of_one_application_is_used(tmp_path):
    src = _with_layout_mark(tmp_path)
    layout = src / "_templates" / "layout.html"
    page = page_after_edit(src, layout, "first", "second", "about.html")
    assert page.select_one("#mark").get_text() == "second"


def test_a_template_added_edited_or_removed_gives_the_pages_of_a_clean_build(tmp_path):
    """Every page after a site template comes, changes or goes, the blog's generated
    pages too (their fingerprints hold the site's templates), and the documents
    after a removal, which Sphinx does not see."""
    src = _with_layout_mark(tmp_path)
    layout = src / "_templates" / "layout.html"
    text = layout.read_text(encoding="utf-8")
    layout.unlink()
    build_dir(src)
    steps = [
        ("added", lambda: layout.write_text(text, encoding="utf-8"), 1),
        ("edited", lambda: layout.write_text(text.replace("first", "second"), "utf-8"), 1),
        ("removed", layout.unlink, 0),
    ]
    for step, change, marks in steps:
        change()
        app = build_dir(src)
        assert equals_clean_build(src, tmp_path / step) == "", step
        for page in ("about", "blog", "blog/tag/python"):
            assert len(read_html(app, page).select("#mark")) == marks, (step, page)
