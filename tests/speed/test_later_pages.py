"""The later pages of an archive rendered through one frame
(``ablog_ext/speed/later_pages.py``): the same bytes as each page rendered whole, a
frame dropped where a template shows the page's name outside the page's blocks,
and incremental builds that keep the framed pages right."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from ablog_ext.speed import later_pages

from helpers import (
    assert_same_bytes,
    build_dir,
    edit,
    equals_clean_build,
    html_files,
    read_page,
    rebuild,
    warnings_of,
    write_files,
)

CONF = """\
project = "Framed pages"
extensions = ["ablog_ext"]
html_theme = "{theme}"
blog_post_pattern = ["posts/*.md"]
blog_baseurl = "https://framed.example.org/"
exclude_patterns = ["_build"]
ablog_ext_posts_per_page = 2
html_sidebars = {{"**": [{sidebars}]}}
templates_path = ["_templates"]
"""

SIDEBARS = '"ablog/recentposts.html", "ablog/tagcloud.html"'


def make_site(tmp_path: Path, *, theme: str = "alabaster", sidebars: str = SIDEBARS) -> Path:
    """Eleven posts in pages of two: six pages of the blog, of the category and of
    the year, three of each tag."""
    files = {
        "conf.py": CONF.format(theme=theme, sidebars=sidebars),
        "index.md": "# Home\n\nA blog.\n",
    }
    for n in range(1, 12):
        files[f"posts/2022-03-{n:02d}-note-{n}.md"] = (
            f"---\ntitle: Note {n}\ndate: 2022-03-{n:02d}\ncategory: Notes\n"
            f"tags: [{'red' if n % 2 else 'blue'}]\n---\n\nWhat note {n} says.\n"
        )
    return write_files(tmp_path / "site", files)


def frames(app: SphinxTestApp) -> later_pages.LaterPages:
    found = later_pages.later_pages(app)
    assert found is not None
    return found


def build_framed_and_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **kwargs
) -> tuple[SphinxTestApp, dict[str, bytes]]:
    """The site built with its later pages framed and rendered whole: the same
    warnings and bytes.  The first build, and its pages."""
    site = kwargs.pop("site", {})
    framed = build_dir(make_site(tmp_path / "framed", **site), **kwargs)
    monkeypatch.setattr(later_pages, "REUSE", False)
    whole = build_dir(make_site(tmp_path / "whole", **site), **kwargs)
    monkeypatch.undo()
    assert frames(whole).filled == 0
    assert warnings_of(framed) == warnings_of(whole)
    pages = html_files(Path(framed.outdir))
    assert_same_bytes(pages, html_files(Path(whole.outdir)))
    return framed, pages


@pytest.mark.parametrize("buildername", ["html", "dirhtml"])
@pytest.mark.parametrize("theme", ["alabaster", "pydata_sphinx_theme"])
def test_framed_pages_give_the_same_bytes(tmp_path, monkeypatch, buildername, theme):
    app, pages = build_framed_and_whole(
        tmp_path, monkeypatch, buildername=buildername, site={"theme": theme}
    )
    state = frames(app)
    # Each archive's first two later pages rendered whole, the others filled in:
    # pages 4 to 6 of the blog, the category and the year (the tags have 3 pages).
    assert None not in state.frames.values()
    assert state.filled == 9
    assert state.filled + 2 * len(state.frames) == len([p for p in pages if "/page/" in p])
    # On each filled page: ablog_ext's names for the theme's test of empty templates,
    # and with the PyData theme, that test and its secondary sidebar's, not run.
    assert state.handlers_skipped == state.filled * (3 if theme == "pydata_sphinx_theme" else 1)


def test_a_framed_page_rendered_whole_after_all(tmp_path, monkeypatch):
    """A framed page whose blocks cannot be rendered alone (not reached while the
    template is the one its frame was checked with) is rendered whole, after the
    handlers skipped for it, with a warning naming the page."""
    real_blocks = later_pages.LaterPages.blocks

    def no_blocks_for_framed_pages(self, template, context):
        if self.framed(context["pagename"]):
            return None
        return real_blocks(self, template, context)

    monkeypatch.setattr(later_pages.LaterPages, "blocks", no_blocks_for_framed_pages)
    app = build_dir(make_site(tmp_path, theme="pydata_sphinx_theme"))
    state = frames(app)
    assert state.filled == 0 and state.handlers_skipped == 27
    found = [w for w in warnings_of(app) if "rendered without its frame" in w]
    assert len(found) == 9 and "blog/page/4" in " ".join(found)
    assert "update_and_remove_templates" in found[0]
    soup = read_page(Path(app.outdir), "blog/page/4.html")
    assert [h.get_text(strip=True) for h in soup.select("h2.ablog-post-title")] == [
        "Note 5", "Note 4"
    ]  # fmt: skip


def test_a_name_shown_outside_the_blocks_drops_the_frame(tmp_path, monkeypatch):
    """A site's sidebar that shows the page's name in capitals: no frame gives the
    second page's bytes, so every later page is rendered whole."""
    src = make_site(tmp_path / "framed", sidebars='"where.html"')
    write_files(src, {"_templates/where.html": "<p>{{ pagename|upper }}</p>\n"})
    app = build_dir(src)
    state = frames(app)
    assert state.filled == 0 and state.frames and set(state.frames.values()) == {None}
    monkeypatch.setattr(later_pages, "REUSE", False)
    whole_src = make_site(tmp_path / "whole", sidebars='"where.html"')
    write_files(whole_src, {"_templates/where.html": "<p>{{ pagename|upper }}</p>\n"})
    whole = build_dir(whole_src)
    assert_same_bytes(html_files(Path(app.outdir)), html_files(Path(whole.outdir)))
    assert "BLOG/PAGE/5" in read_page(Path(app.outdir), "blog/page/5.html").get_text()


def test_a_title_in_the_sidebar_of_a_framed_page(tmp_path):
    """A framed page shows the newest posts in its sidebar, outside its own blocks:
    a new title there writes it again (what the frame's page read is its reads too)."""
    src = make_site(tmp_path)
    app = build_dir(src)
    assert frames(app).filled > 0
    edit(src / "posts/2022-03-11-note-11.md", "title: Note 11", "title: Eleventh note")
    written, out = rebuild(src)
    assert "blog/page/5.html" in written
    assert "Eleventh note" in read_page(out, "blog/page/5.html").get_text()
    assert equals_clean_build(src, tmp_path) == ""
