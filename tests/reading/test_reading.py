"""Reading fast: what Sphinx and MyST repeat for every document, done once per build.

- one markdown-it parser per MyST configuration, not per post: nothing of one
  post's render (reference definitions, footnotes, heading slugs, the title
  section's state) reaches the next;
- docutils' settings built once per kind of parser, not per document, and no
  throwaway document per post.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ablog_ext.reading.myst_post import post_parsers

from helpers import build_dir, build_site, copy_root, warnings_of

POSTS = (
    "2024-01-01-a-defines",
    "2024-01-02-b-uses",
    "2024-01-03-c-own-options",
    "2024-01-04-d-site-options",
)


def body(app, docname: str) -> str:
    """The post: its title section, and its footnotes after it (not the links to
    other posts ABlog adds)."""
    soup = BeautifulSoup(Path(app.outdir, f"{docname}.html").read_text("utf-8"), "html.parser")
    parts = soup.select("div.body > section, div.body > aside, div.body > .footnote-list")
    return "\n".join(map(str, parts))


@pytest.fixture(scope="module")
def together(tmp_path_factory):
    app = build_site(tmp_path_factory.mktemp("together"), "reading")
    assert warnings_of(app) == []
    return app


def test_each_post_reads_as_if_it_were_alone(tmp_path, together):
    for post in POSTS:
        srcdir = copy_root(tmp_path / post, "reading")
        for other in POSTS:
            if other != post:
                (srcdir / "posts" / f"{other}.md").unlink()
        alone = build_dir(srcdir)
        assert body(alone, f"posts/{post}") == body(together, f"posts/{post}"), post


def test_nothing_of_one_post_reaches_the_next(together):
    first, second = body(together, f"posts/{POSTS[0]}"), body(together, f"posts/{POSTS[1]}")
    assert "defined.example.org" in first and "The note of the first post" in first
    assert "defined.example.org" not in second and "The note" not in second
    soup = BeautifulSoup(second, "html.parser")
    assert [h["id"] for h in soup.select("section section")] == ["repeated-heading"]
    assert "<dl" in body(together, f"posts/{POSTS[2]}")
    assert "<dl" not in body(together, f"posts/{POSTS[3]}")


def test_one_markdown_parser_per_configuration(tmp_path, monkeypatch):
    from myst_parser.parsers import mdit

    made = []
    original = mdit.create_md_parser

    def create_md_parser(config, renderer):
        made.append(config)
        return original(config, renderer)

    monkeypatch.setattr(mdit, "create_md_parser", create_md_parser)
    app = build_site(tmp_path, "reading")
    # The site's configuration, and the one post with MyST options of its own.
    assert len(made) == 2
    assert sorted(map(sorted, (c.enable_extensions for c in made))) == [
        ["colon_fence"],
        ["colon_fence", "deflist"],
    ]
    for parser, _ in post_parsers(app).values():
        # The render's document is not kept alive by the parser kept for the next.
        assert "document" not in vars(parser.renderer)


def test_docutils_settings_once_per_kind_of_parser(tmp_path, monkeypatch):
    from docutils import frontend

    made = []
    original = frontend.OptionParser.__init__

    def init(self, *args, **kwargs):
        made.append(kwargs.get("components"))
        original(self, *args, **kwargs)

    srcdir = copy_root(tmp_path, "reading")
    for number in range(10):
        shutil.copy(
            srcdir / "posts" / f"{POSTS[1]}.md", srcdir / "posts" / f"2024-02-{number + 1:02d}-x.md"
        )
    monkeypatch.setattr(frontend.OptionParser, "__init__", init)
    build_dir(srcdir)
    # 15 documents: once for the Markdown parser, once for the HTML writer, and
    # MyST's default document once (Sphinx and MyST made one per document each).
    assert len(made) <= 4, made


def test_each_posts_front_matter_is_parsed_once(tmp_path, monkeypatch):
    """The scan of the posts at ``config-inited`` (published? in the future?) and
    the parser share what they read: each post's YAML is parsed once per build."""
    from ablog_ext import state
    from ablog_ext.jekyll import frontmatter
    from ablog_ext.reading import posts

    parsed: list[str] = []
    original = frontmatter._parse

    def parse(yaml_text: str) -> frontmatter.FrontMatterBlock:
        parsed.append(yaml_text)
        return original(yaml_text)

    monkeypatch.setattr(frontmatter, "_parse", parse)
    # The end of the build forgets every slot: keep them, to see what the build let go.
    monkeypatch.setattr(state.BuildState, "new_build", lambda self: None)
    app = build_site(tmp_path, "reading")
    assert warnings_of(app) == []
    assert len(parsed) == len(POSTS)
    assert sorted(set(parsed)) == sorted(parsed)
    # Not kept once the posts are read.
    assert state.build_state(app).peek(posts._FRONT_MATTER_BLOCKS) is None
