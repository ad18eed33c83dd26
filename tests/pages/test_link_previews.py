"""Rich link previews: OpenGraph, article and Twitter card tags, parsed from the built pages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest

from helpers import build_dir, build_site, copy_root, edit, read_page, warnings_of

BASE = "https://previews.example.org/site/"


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("previews")


def meta_tags(outdir: Path, page: str) -> dict[str, list[str]]:
    """Every ``<meta property|name=... content=...>`` of *page*, by key, in order."""
    tags: dict[str, list[str]] = defaultdict(list)
    for meta in read_page(outdir, page).head.find_all("meta"):
        key = meta.get("property") or meta.get("name")
        if key and meta.get("content") is not None:
            tags[key].append(meta["content"])
    return dict(tags)


def preview_keys(tags: dict[str, list[str]]) -> set[str]:
    return {key for key in tags if key.startswith(("og:", "article:", "twitter:"))}


def test_a_post_with_a_jekyll_image(built):
    tags = meta_tags(built.outdir, "posts/2024-03-01-cover.html")
    assert tags["og:type"] == ["article"]
    assert tags["og:title"] == ["A post with a “cover” & more"]
    assert tags["og:url"] == [f"{BASE}posts/2024-03-01-cover.html"]
    # The excerpt, as plain text: nothing below the separator.
    assert tags["og:description"] == ["The cover’s excerpt has emphasis and a link."]
    # A path from the site's root, as Jekyll writes it, under the site's URL.
    assert tags["og:image"] == [f"{BASE}assets/cover.png"]
    assert Path(built.outdir, "assets/cover.png").is_file()
    assert tags["article:published_time"] == ["2024-03-01T10:30:00+01:00"]
    assert tags["article:modified_time"] == ["2024-06-15T08:00:00+02:00"]
    assert tags["article:section"] == ["Release Notes"]
    assert tags["article:tag"] == ["python", "sphinx"]
    assert tags["twitter:card"] == ["summary_large_image"]
    assert tags["twitter:title"] == ["A post with a “cover” & more"]
    assert tags["twitter:description"] == tags["og:description"]


def test_each_tag_has_one_writer(built):
    for page in ("posts/2024-03-01-cover.html", "posts/2024-04-02-figure.html", "about.html"):
        tags = meta_tags(built.outdir, page)
        # (The theme repeats its viewport: not a preview's.)
        once = (preview_keys(tags) | {"description"}) - {"article:tag"}
        assert {key: tags[key] for key in once if len(tags[key]) != 1} == {}, page


def test_the_first_image_of_a_post(built):
    tags = meta_tags(built.outdir, "posts/2024-04-02-figure.html")
    assert tags["og:image"] == [f"{BASE}_images/figure.png"]
    assert Path(built.outdir, "_images/figure.png").is_file()
    assert tags["og:image:alt"] == ["A dot"]
    assert tags["og:description"] == ["The figure’s excerpt."]
    # A date without a time: midnight in the site's zone (ablog_ext_timezone).
    assert tags["article:published_time"] == ["2024-04-02T00:00:00+02:00"]
    assert tags["article:modified_time"] == tags["article:published_time"]
    assert "article:section" not in tags
    assert tags["article:tag"] == ["python"]


def test_a_post_without_images_has_the_site_default(built):
    tags = meta_tags(built.outdir, "posts/2024-05-03-plain.html")
    assert tags["og:image"] == [f"{BASE}_static/default.png"]
    assert "article:tag" not in tags
    published = dt.datetime.fromisoformat(tags["article:published_time"][0])
    assert published.utcoffset() is not None


def test_drafts_and_redirect_pages_carry_none(built):
    assert Path(built.outdir, "posts/draft.html").is_file()
    assert preview_keys(meta_tags(built.outdir, "posts/draft.html")) == set()
    for redirect in ("old/cover/index.html", "release notes/how-to/2024/03/01/cover.html"):
        assert "refresh" in Path(built.outdir, redirect).read_text(encoding="utf-8")
        assert preview_keys(meta_tags(built.outdir, redirect)) == set()


def test_pages_that_are_not_posts(built):
    tags = meta_tags(built.outdir, "about.html")
    assert tags["og:type"] == ["website"]
    assert tags["og:url"] == [f"{BASE}about.html"]
    assert not {key for key in tags if key.startswith(("article:", "twitter:"))}


def test_no_social_cards_unless_asked(built):
    assert not list(Path(built.outdir).rglob("_images/social_previews/*"))
    assert built.config.ogp_social_cards == {"enable": False}
    assert not warnings_of(built)


def test_previews_off_write_none(tmp_path):
    app = build_site(
        tmp_path,
        "previews",
        confoverrides={"ablog_ext_link_previews": False},
    )
    for page in ("posts/2024-03-01-cover.html", "about.html"):
        assert preview_keys(meta_tags(app.outdir, page)) == set()


@pytest.mark.parametrize("buildername", ["json", "pickle"])
def test_the_json_and_pickle_builders_build(tmp_path, buildername):
    """Their page context has no "pagename", which sphinxext-opengraph reads: it
    stopped the build with a KeyError.  What they write carries no preview."""
    # (pydata-sphinx-theme's own handlers need what these builders' context lacks.)
    app = build_site(
        tmp_path, "previews", buildername=buildername, confoverrides={"html_theme": "alabaster"}
    )
    assert warnings_of(app) == []
    suffix = ".fjson" if buildername == "json" else ".fpickle"
    written = (Path(app.outdir) / "posts" / f"2024-03-01-cover{suffix}").read_bytes()
    assert b"og:title" not in written and b"cover" in written


def test_a_site_that_lists_sphinxext_opengraph_keeps_it_when_previews_are_off(tmp_path):
    app = build_site(
        tmp_path,
        "previews",
        confoverrides={
            "ablog_ext_link_previews": False,
            "extensions": ["sphinxext.opengraph", "ablog_ext"],
        },
    )
    tags = meta_tags(app.outdir, "posts/2024-03-01-cover.html")
    assert tags["og:type"] == ["website"]
    assert not {key for key in tags if key.startswith(("article:", "twitter:"))}


def test_without_a_site_default_image(tmp_path):
    app = build_site(tmp_path, "previews", confoverrides={"ogp_image": None})
    plain = meta_tags(app.outdir, "posts/2024-05-03-plain.html")
    assert "og:image" not in plain
    assert plain["twitter:card"] == ["summary"]
    cover = meta_tags(app.outdir, "posts/2024-03-01-cover.html")
    assert cover["og:image"] == [f"{BASE}assets/cover.png"]
    assert cover["twitter:card"] == ["summary_large_image"]


def test_names_as_the_post_writes_them(tmp_path):
    """Another post spelling a shared tag otherwise leaves this post's page as it was."""
    src = copy_root(tmp_path, "previews")
    edit(src / "posts/2024-04-02-figure.md", "tags: [python]", "tags: [Python]")
    app = build_dir(src)
    assert meta_tags(app.outdir, "posts/2024-03-01-cover.html")["article:tag"] == [
        "python",
        "sphinx",
    ]
    assert meta_tags(app.outdir, "posts/2024-04-02-figure.html")["article:tag"] == ["Python"]


def test_social_cards_asked_for_without_matplotlib(tmp_path, monkeypatch):
    import sphinxext.opengraph as opengraph

    # As sphinxext-opengraph leaves it when matplotlib cannot be imported.
    monkeypatch.setattr(opengraph, "create_social_card", None)
    overrides = {"ogp_social_cards": {"enable": True}, "ogp_image": None}
    app = build_site(tmp_path, "previews", confoverrides=overrides)
    warnings = warnings_of(app)
    assert len(warnings) == 1 and "social cards need matplotlib" in warnings[0], warnings
    assert "conf.py: " in warnings[0]  # where the option is set
    tags = meta_tags(app.outdir, "posts/2024-05-03-plain.html")
    assert tags["twitter:card"] == ["summary"]
    assert not list(Path(app.outdir).rglob("social_previews"))


def test_social_cards_asked_for_are_kept(tmp_path, monkeypatch):
    # A site that turned social cards on keeps a card for each post without a front
    # matter image, rather than the post's first image (a real blog lost 27 of 64).
    import sphinxext.opengraph as opengraph

    def card(*args: object, **kwargs: object) -> Path:
        return Path("_images/social_previews/card.png")

    monkeypatch.setattr(opengraph, "create_social_card", card)
    overrides = {"ogp_social_cards": {"enable": True}, "ogp_image": None}
    app = build_site(tmp_path, "previews", confoverrides=overrides)
    figure = meta_tags(app.outdir, "posts/2024-04-02-figure.html")
    assert figure["og:image"] == [f"{BASE}_images/social_previews/card.png"]
    cover = meta_tags(app.outdir, "posts/2024-03-01-cover.html")
    assert cover["og:image"] != figure["og:image"]


def test_an_image_that_is_not_a_url_is_a_warning(tmp_path):
    """Front matter ``image`` that no URL parser reads: a warning at its line, and
    the site's default image, not a stopped build."""
    src = copy_root(tmp_path, "previews")
    edit(
        src / "posts/2024-05-03-plain.md",
        "date: 2024-05-03 12:00:00\n",
        'date: 2024-05-03 12:00:00\nimage: "http://[cover/x.png"\n',
    )
    app = build_dir(src)
    found = [w for w in warnings_of(app) if "'image'" in w]
    assert len(found) == 1, warnings_of(app)
    assert "2024-05-03-plain.md:4" in found[0]
    tags = meta_tags(app.outdir, "posts/2024-05-03-plain.html")
    assert tags["og:image"] == [f"{BASE}_static/default.png"]


def test_first_image_asked_for_but_the_post_has_none(tmp_path):
    """``ogp_use_first_image`` without a site default: a post with no image gets no
    ``og:image``, so its Twitter card is the small one; a post with one, the large."""
    app = build_site(
        tmp_path, "previews", confoverrides={"ogp_image": None, "ogp_use_first_image": True}
    )
    plain = meta_tags(app.outdir, "posts/2024-05-03-plain.html")
    assert "og:image" not in plain
    assert plain["twitter:card"] == ["summary"]
    figure = meta_tags(app.outdir, "posts/2024-04-02-figure.html")
    assert figure["og:image"] and figure["twitter:card"] == ["summary_large_image"]
