"""Liquid in Jekyll posts, rendered before MyST reads them: real Sphinx builds."""

from __future__ import annotations

import re
import time
from pathlib import Path

import feedparser
import pytest
from sphinx.util.console import strip_colors

from helpers import build_dir, copy_root, main_text, read_html, warnings_of

LIQUID = re.compile(r"\{%|\{\{")
#: Posts that show Liquid on purpose: kept raw, turned off, or unbalanced.
SHOWS_LIQUID = {
    "posts/2020-02-10-highlighting",
    "posts/2020-07-01-unbalanced",
    "posts/2020-08-01-no-liquid",
}


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("liquid")


def article(app, docname):
    return main_text(read_html(app, docname))


def located(app) -> list[tuple[str, str]]:
    """``(file:line, message)`` of each ablog_ext.liquid warning."""
    found = []
    for line in warnings_of(app):
        match = re.search(r"([\w.-]+\.md):(\d+): WARNING: Liquid: (.*) \[ablog_ext\.liquid\]", line)
        if match:
            found.append((f"{match[1]}:{match[2]}", match[3]))
    return found


def test_warnings_name_file_and_line(built):
    warnings = sorted(located(built))
    # The parse error's own words are python-liquid's, and differ between its releases.
    *ours, (unbalanced_location, unbalanced_message) = warnings
    assert ours == [
        ("2020-03-15-links.md:9", "'post_url': no post named '2019-12-31-no-such-post'"),
        ("2020-04-20-includes.md:13", "'include': no file 'missing-file.html'"),
        ("2020-06-01-errors.md:10", "unknown filter 'no_such_filter' (in 'broken.html', line 2)"),
        ("2020-06-01-errors.md:6", "unknown filter 'no_such_filter'"),
        ("2020-06-01-errors.md:8", "unknown tag 'seo' (a Jekyll plugin's?) left out"),
    ]
    assert unbalanced_location == "2020-07-01-unbalanced.md:6"
    assert unbalanced_message.endswith("; the post's Liquid is left unrendered")
    assert len(unbalanced_message) > len("; the post's Liquid is left unrendered")


def test_no_liquid_visible_in_pages_archives_and_feeds(built):
    outdir = Path(built.outdir)
    for path in sorted(outdir.glob("posts/*.html")):
        docname = f"posts/{path.stem}"
        text = article(built, docname).get_text()
        if docname not in SHOWS_LIQUID:
            assert not LIQUID.search(text), docname
    for page in ["blog", "blog/archive", "blog/2020", "index"]:
        text = main_text(read_html(built, page)).get_text()
        shown = LIQUID.findall(text)
        # Only the post that turns Liquid off, and the unbalanced one, show it.
        assert len(shown) <= 4, (page, shown)
    feed = feedparser.parse((outdir / "blog/atom.xml").read_bytes())
    for entry in feed.entries:
        if entry.title not in {"Liquid turned off", "Unbalanced Liquid", "Highlighted code"}:
            assert not LIQUID.search(entry.get("summary", "")), entry.title


def test_include_with_nothing_to_show_leaves_a_clean_excerpt(built):
    archive = main_text(read_html(built, "blog"))
    assert "leaves nothing behind, so the excerpt is this sentence" in archive.get_text()
    assert "{%" not in archive.get_text().split("Bootstrap setup include", 1)[1][:200]


def test_highlight_is_a_code_block_with_line_numbers(built):
    page = article(built, "posts/2020-02-10-highlighting")
    blocks = page.select("div.highlight-python, div.highlight-ruby")
    assert [block["class"][0] for block in blocks] == ["highlight-python", "highlight-ruby"]
    assert not blocks[0].select("span.linenos")
    numbers = [span.get_text() for span in blocks[1].select("span.linenos")]
    assert numbers == ["1", "2", "3"]
    assert 'puts "Highlighted code"' in blocks[1].get_text()


def test_liquid_renders_in_fenced_code_and_raw_keeps_it(built):
    page = article(built, "posts/2020-02-10-highlighting")
    text = page.select("div.highlight-text")[0].get_text()
    assert "rendered: Highlighted code" in text
    assert "kept: {{ page.title }}" in text


def test_post_url_and_link_point_at_the_built_pages(built):
    page = article(built, "posts/2020-03-15-links")
    outdir = Path(built.outdir)
    hrefs = {a["id"]: a["href"] for a in page.select("p.targets a")}
    assert hrefs["to-setup"] == "/posts/2020-01-05-bootstrap-setup.html"
    assert hrefs["unpadded"] == "/posts/2020-02-10-highlighting.html"
    assert hrefs["by-link"] == "/posts/2020-04-20-includes.html"
    assert hrefs["page"] == "/about.html"
    assert hrefs["missing"] == ""
    for key in ("to-setup", "unpadded", "by-link", "page"):
        assert (outdir / hrefs[key].lstrip("/")).is_file(), hrefs[key]


def test_url_filters_and_gist(built):
    page = article(built, "posts/2020-03-15-links")
    text = page.get_text(" ", strip=True)
    assert "Relative: /notes/assets/guide.pdf" in text
    assert "absolute: https://liquid.example.org/notes/feed.xml" in text
    gist = page.find("a", string=re.compile("gist octocat"))
    assert gist["href"] == "https://gist.github.com/octocat/6cad326836d38bd3a7ae#file-hello-rb"


def test_includes_with_parameters(built):
    text = article(built, "posts/2020-04-20-includes").get_text(" ", strip=True)
    assert "Tip: include parameters work (from Includes with parameters)" in text
    assert "Note: the file name came from a variable" in text
    assert "Included relative to the post, by relative." in text


def test_page_and_site_variables(built):
    text = article(built, "posts/2020-05-01-variables").get_text(" ", strip=True)
    for expected in [
        "Title: Page and site variables. Field: a value from front matter.",
        "Date: 01 May 2020; XML: 2020-05-01T09:30:00+02:00.",
        "Long ordinal US: May 1st, 2020.",
        "Categories: engineering and liquid.",
        "URL: /posts/2020-05-01-variables.html. Path: posts/2020-05-01-variables.md.",
        "Slug: variables.",
        "Site: Liquid notes at https://liquid.example.org/notes, repo example/liquid-notes.",
        "Release 2.0 has checksum bbb222.",
        "v1.0 (AAA111)",
        "Slug of a heading: hello-world-friends",
        "words: 3",
    ]:
        assert expected in text


def test_errors_leave_out_the_offending_part_only(built):
    text = article(built, "posts/2020-06-01-errors").get_text(" ", strip=True)
    assert "Line four is fine: Liquid errors." in text
    assert "Line six has an unknown filter: ." in text
    assert "first line" in text
    assert "Line twelve still renders: LIQUID ERRORS." in text


def test_unbalanced_liquid_leaves_the_post_as_written(built):
    text = article(built, "posts/2020-07-01-unbalanced").get_text(" ", strip=True)
    assert "A stray {% tag that never closes." in text
    assert "{{ page.title }} stays as written." in text


def test_render_with_liquid_false(built):
    text = article(built, "posts/2020-08-01-no-liquid").get_text(" ", strip=True)
    assert "write {{ page.title }} and {% raw %}." in text


def test_pages_that_are_not_posts_are_left_alone(built):
    assert "{{ this }} stays as written" in article(built, "about").get_text(" ", strip=True)


def test_warnings_after_an_include_point_at_the_source_line(built):
    lines = [line for line in warnings_of(built) if "2020-09-01-line-numbers.md" in line]
    assert any(":7: WARNING: Unknown directive type: 'no-such-directive'" in w for w in lines)
    assert any(":12: WARNING: undefined label: 'no-such-label'" in w for w in lines)


def test_site_option_turns_liquid_off(tmp_path):
    srcdir = copy_root(tmp_path, "liquid")
    app = build_dir(srcdir, confoverrides={"ablog_ext_liquid": False})
    assert located(app) == []
    text = article(app, "posts/2020-05-01-variables").get_text(" ", strip=True)
    assert "Title: {{ page.title }}." in text


def test_editing_an_include_rebuilds_the_posts_that_use_it(tmp_path):
    srcdir = copy_root(tmp_path, "liquid")
    app = build_dir(srcdir)
    assert "Tip: include parameters work" in article(app, "posts/2020-04-20-includes").get_text()
    time.sleep(0.01)
    callout = srcdir / "_includes/widgets/callout.md"
    callout.write_text("*{{ include.label }} (edited):* {{ include.text }}\n", encoding="utf-8")
    app = build_dir(srcdir)
    text = article(app, "posts/2020-04-20-includes").get_text(" ", strip=True)
    assert "Tip (edited): include parameters work" in text
    # Only the post that includes it is read again (and the index, which lists posts).
    read = re.findall(
        r"reading sources\.\.\. \[[ \d]+%\] (\S+)", strip_colors(app.status.getvalue())
    )
    assert sorted(read) == ["index", "posts/2020-04-20-includes"]


def test_adding_a_missing_include_rebuilds_the_post(tmp_path):
    srcdir = copy_root(tmp_path, "liquid")
    build_dir(srcdir)
    (srcdir / "_includes/missing-file.html").write_text("Now it exists.\n", encoding="utf-8")
    app = build_dir(srcdir)
    assert "Now it exists." in article(app, "posts/2020-04-20-includes").get_text()
    assert not any("missing-file" in message for _, message in located(app))
