"""sitemap.xml and robots.txt: valid against the sitemap schema, every page and no other."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from lxml import etree  # feedgen's dependency, so always installed with ablog-ext

from helpers import build_dir, build_site, copy_root, edit, equals_clean_build, warnings_of

BASE = "https://previews.example.org/site/"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SCHEMA = Path(__file__).with_name("sitemap.xsd")
#: W3C Datetime (https://www.w3.org/TR/NOTE-datetime), to the second, with an offset.
W3C_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)")


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("previews")


def sitemap(outdir: Path) -> dict[str, str | None]:
    """The sitemap's URLs and their lastmod, after a strict check of its shape."""
    root = ElementTree.parse(Path(outdir, "sitemap.xml")).getroot()
    assert root.tag == f"{NS}urlset"
    found: dict[str, str | None] = {}
    for url in root:
        assert url.tag == f"{NS}url"
        children = [child.tag for child in url]
        assert children in ([f"{NS}loc"], [f"{NS}loc", f"{NS}lastmod"]), children
        loc = url.findtext(f"{NS}loc")
        assert loc and loc.startswith(BASE) and loc not in found
        lastmod = url.findtext(f"{NS}lastmod")
        assert lastmod is None or W3C_DATETIME.fullmatch(lastmod), lastmod
        found[loc[len(BASE) :]] = lastmod
    assert 0 < len(found) < 50_000
    return found


def test_the_sitemap_is_valid(built):
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    document = etree.parse(str(Path(built.outdir, "sitemap.xml")))
    assert schema.validate(document), schema.error_log
    assert not warnings_of(built)


def test_the_schema_check_can_fail(built):
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    text = Path(built.outdir, "sitemap.xml").read_text(encoding="utf-8")
    broken = text.replace("<lastmod>2024-04-02T", "<lastmod>2024-4-2T", 1)
    assert broken != text
    assert not schema.validate(etree.fromstring(broken.encode("utf-8")).getroottree())


def test_every_page_and_no_other(built):
    assert sorted(sitemap(built.outdir)) == [
        "about.html",
        "blog.html",
        "blog/2024.html",
        "blog/archive.html",
        "blog/category.html",
        "blog/category/how-to.html",
        "blog/category/release-notes.html",
        "blog/tag.html",
        "blog/tag/python.html",
        "blog/tag/sphinx.html",
        "index.html",
        "posts/2024-03-01-cover.html",
        "posts/2024-04-02-figure.html",
        "posts/2024-05-03-plain.html",
    ]
    # Written, and left out: a draft, ABlog's page of drafts, redirects, Sphinx's search.
    for page in ("posts/draft.html", "blog/drafts.html", "old/cover/index.html", "search.html"):
        assert Path(built.outdir, page).is_file(), page
    assert not Path(built.outdir, "posts/2024-02-02-unpublished.html").exists()


def test_lastmod_is_the_update_date_or_the_date(built):
    urls = sitemap(built.outdir)
    assert urls["posts/2024-03-01-cover.html"] == "2024-06-15T08:00:00+02:00"  # last_modified_at
    assert urls["posts/2024-04-02-figure.html"] == "2024-04-02T00:00:00+02:00"
    # An archive page: the newest of its posts'.
    assert urls["blog.html"] == "2024-06-15T08:00:00+02:00"
    assert urls["blog/tag/python.html"] == "2024-06-15T08:00:00+02:00"
    assert urls["blog/tag/sphinx.html"] == "2024-06-15T08:00:00+02:00"
    # A page that is not a post has no date to give.
    assert urls["about.html"] is None
    assert urls["index.html"] is None


def test_robots_txt_points_at_the_sitemap(built):
    robots = Path(built.outdir, "robots.txt").read_text(encoding="utf-8")
    assert robots == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


def test_no_url_no_sitemap(tmp_path):
    app = build_site(tmp_path, "previews", confoverrides={"blog_baseurl": ""})
    assert not Path(app.outdir, "sitemap.xml").exists()
    assert not Path(app.outdir, "robots.txt").exists()


def test_html_baseurl_is_enough(tmp_path):
    base = "https://docs.example.org/"
    app = build_site(tmp_path, "previews", confoverrides={"blog_baseurl": "", "html_baseurl": base})
    text = Path(app.outdir, "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{base}posts/2024-03-01-cover.html</loc>" in text
    assert f"Sitemap: {base}sitemap.xml" in Path(app.outdir, "robots.txt").read_text()


def test_a_sites_own_robots_txt_stays(tmp_path):
    src = copy_root(tmp_path, "previews")
    (src / "extra").mkdir()
    (src / "extra" / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    app = build_dir(src, confoverrides={"html_extra_path": ["extra"]})
    assert Path(app.outdir, "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    assert Path(app.outdir, "sitemap.xml").is_file()


def test_an_incremental_build_equals_a_clean_one(tmp_path):
    src = copy_root(tmp_path, "previews")
    app = build_dir(src)
    first = Path(app.outdir, "sitemap.xml").read_bytes()
    build_dir(src)
    assert Path(app.outdir, "sitemap.xml").read_bytes() == first
    posts = src / "posts"
    edit(posts / "2024-04-02-figure.md", "tags:", "last_modified_at: 2024-07-01\ntags:")
    edit(posts / "2024-05-03-plain.md", "date:", "published: false\ndate:")
    (posts / "2024-06-01-new.md").write_text(
        "---\ntitle: New\ndate: 2024-06-01\ntags: [fresh]\n---\n\nNew post.\n", encoding="utf-8"
    )
    app = build_dir(src)
    urls = sitemap(app.outdir)
    assert urls["posts/2024-04-02-figure.html"] == "2024-07-01T00:00:00+02:00"
    assert urls["blog/tag/python.html"] == "2024-07-01T00:00:00+02:00"
    assert "posts/2024-05-03-plain.html" not in urls
    assert "blog/tag/fresh.html" in urls
    assert equals_clean_build(src, tmp_path) == ""


def test_dirhtml_lists_folder_urls(tmp_path):
    app = build_site(tmp_path, "previews", buildername="dirhtml")
    urls = sitemap(app.outdir)
    assert "posts/2024-03-01-cover/" in urls
    assert "" in urls  # the index page, at the site's URL itself
    assert "posts/draft/" not in urls
    assert all(not url.endswith(".html") for url in urls)


def test_singlehtml_writes_none(tmp_path):
    app = build_site(tmp_path, "previews", buildername="singlehtml")
    assert not Path(app.outdir, "sitemap.xml").exists()


def test_pages_of_posts_are_listed(tmp_path):
    # Every page of every archive, and no other: each listed URL is a written page.
    app = build_site(tmp_path, "previews", confoverrides={"ablog_ext_posts_per_page": 1})
    listed = sitemap(Path(app.outdir))
    later = sorted(url for url in listed if "/page/" in url)
    assert "blog/page/2.html" in later
    assert all(Path(app.outdir, url).is_file() for url in listed)
    written = {
        path.relative_to(app.outdir).as_posix() for path in Path(app.outdir).rglob("page/*.html")
    }
    assert set(later) == written
