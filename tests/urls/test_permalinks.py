"""Old Jekyll URLs: the URL rules (no Sphinx), redirect pages, and links that resolve."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ablog_ext.blog.domain import blog_domain
from ablog_ext.jekyll.frontmatter import normalise, read_front_matter
from ablog_ext.jekyll.permalinks import (
    STYLES,
    JekyllPost,
    PermalinkError,
    destination,
    escape_path,
    jekyll_categories,
    jekyll_date,
    jekyll_post,
    post_url,
    sanitize_url,
    slugify,
    style_template,
    unknown_placeholders,
    url_key,
)
from ablog_ext.urls.permalinks import LinkTargets

from helpers import build_dir, copy_root, main_text, warnings_of
from permalink_cases import CASES, Case

# -- Jekyll's rules ----------------------------------------------------------------------


def jekyll_url(case: Case) -> str:
    """What ablog_ext computes for *case*: its front matter read as posts.py reads
    it, the date taken in the site's zone (the time zone contract)."""
    front = read_front_matter(f"---\n{case.front}\n---\n").data or {}
    path = case.file.rsplit(".", 1)[0]
    meta = normalise(front, case.file)
    date = meta.date
    if date is not None and date.tzinfo is not None:
        date = date.astimezone(ZoneInfo(case.timezone)).replace(tzinfo=None)
    post = jekyll_post(front, path, date, folder_categories="/" in case.file)
    return post_url(meta.permalink or style_template(case.permalink), post)


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.permalink}:{case.file}")
def test_url_is_jekylls(case):
    assert jekyll_url(case) == case.url


@pytest.mark.parametrize(
    ("text", "mode", "cased", "expected"),
    [
        ("The _config.yml file", "default", False, "the-config-yml-file"),
        ("The _config.yml file", "pretty", False, "the-_config.yml-file"),
        ("The _config.yml file?", "pretty", True, "The-_config.yml-file"),
        ("The _config.yml file?", "ascii", False, "the-config-yml-file"),
        ("The _config.yml file?", "raw", False, "the-_config.yml-file?"),
        ("The _config.yml file?", "none", True, "The _config.yml file?"),
        ("The _config.yml file?", "none", False, "the _config.yml file?"),
        ("  Spaces   around  ", "default", False, "spaces-around"),
        ("Already-hyphenated--twice", "default", False, "already-hyphenated-twice"),
        ("fürtive glance!!!!", "default", False, "fürtive-glance"),
        ("fürtive glance!!!!", "ascii", False, "f-rtive-glance"),
        ("5時〜6時 三・一四", "default", False, "5時-6時-三-一四"),
        ("C# & .NET (2019)", "pretty", True, "C-&-.NET-(2019)"),
        ("Mixed CASE", "default", True, "Mixed-CASE"),
        # Combining marks are kept, as \p{M} is.
        ("cafe\u0301 au lait", "default", False, "cafe\u0301-au-lait"),
        ("💎", "default", False, ""),
        (None, "default", False, None),
    ],
)
def test_slugify(text, mode, cased, expected):
    assert slugify(text, mode, cased=cased) == expected


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        # What Jekyll's escaping of a path keeps, and what it escapes.
        (escape_path, "", ""),
        (escape_path, "plain/path-1.0", "plain/path-1.0"),
        (escape_path, "a b", "a%20b"),
        (escape_path, "c#", "c%23"),
        (escape_path, "c++", "c++"),
        (escape_path, "a?b", "a?b"),
        (escape_path, "[x]", "%5Bx%5D"),
        (escape_path, "100%", "100%25"),
        (escape_path, "café", "caf%C3%A9"),
        (escape_path, "ü/ä", "%C3%BC/%C3%A4"),
        (escape_path, "a:b@c;d=e,f!g$h&i'j(k)l*m~n_o", "a:b@c;d=e,f!g$h&i'j(k)l*m~n_o"),
        (escape_path, 'a|b"c<d>e{f}g^h`i\\j', "a%7Cb%22c%3Cd%3Ee%7Bf%7Dg%5Eh%60i%5Cj"),
        (escape_path, "é#1#2", "%C3%A9%231%232"),
        # A URL without empty, "." or ".." segments.
        (sanitize_url, "//2019//03/x.html", "/2019/03/x.html"),
        (sanitize_url, "2019/x", "/2019/x"),
        (sanitize_url, "/a/../../b", "/a/b"),
        (sanitize_url, "/./x/./y", "/x/y"),
        # The file Jekyll writes for a URL.
        (destination, "/2019/03/05/x.html", "2019/03/05/x.html"),
        (destination, "/2019/03/05/x/", "2019/03/05/x/index.html"),
        (destination, "/about-me", "about-me.html"),
        (destination, "/", "index.html"),
        (destination, "/z/machine%20learning/x.html", "z/machine learning/x.html"),
        (destination, "/c%23/x.html", "c#/x.html"),
        (destination, "/about me/", "about me/index.html"),
    ],
)
def test_url_functions(function, value, expected):
    assert function(value) == expected


def test_styles_are_jekylls():
    assert STYLES == {
        "none": "/:categories/:title:output_ext",
        "date": "/:categories/:year/:month/:day/:title:output_ext",
        "ordinal": "/:categories/:year/:y_day/:title:output_ext",
        "pretty": "/:categories/:year/:month/:day/:title/",
        "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    }
    assert style_template("pretty") == STYLES["pretty"]
    assert style_template("/:title/") == "/:title/"
    assert unknown_placeholders("/:year_:month/:i_month/:yeer/:Title/") == ["yeer"]


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("2019-03-05-x", dt.datetime(2019, 3, 5)),
        ("2019-3-5-x", dt.datetime(2019, 3, 5)),
        ("19-3-5-x", dt.datetime(2019, 3, 5)),
        ("68-1-1-x", dt.datetime(2068, 1, 1)),
        ("69-1-1-x", dt.datetime(1969, 1, 1)),
        ("019-3-5-x", dt.datetime(19, 3, 5)),
        ("2019-02-29-x", dt.datetime(2019, 3, 1)),
        ("2019-13-01-x", None),
        ("2019-01-32-x", None),
        ("2019-03-05", None),
        ("about", None),
        ("12019-03-05-x", None),
    ],
)
def test_date_in_a_file_name(stem, expected):
    assert jekyll_date(stem) == expected


@pytest.mark.parametrize(
    ("front", "folders", "expected"),
    [
        ({}, (), []),
        ({"categories": "a b  c"}, (), ["a", "b", "c"]),
        ({"categories": "a, b"}, (), ["a,", "b"]),
        ({"category": "Machine Learning"}, (), ["Machine Learning"]),
        ({"category": "x", "categories": ["y", "x"]}, (), ["y", "x"]),
        ({"category": ["p", "q"], "categories": "r"}, (), ["r", "p", "q"]),
        ({"categories": [2019, True, None]}, (), ["2019", "true", ""]),
        ({"categories": 7}, (), ["7"]),
        ({"categories": ["news", "Extra"]}, ("en", "news"), ["en", "news", "Extra"]),
        ({"categories": {"not": "a list"}}, (), []),
    ],
)
def test_categories_in_jekylls_order(front, folders, expected):
    assert jekyll_categories(front, folders) == expected


def test_a_post_without_a_date_has_no_date_placeholders():
    post = JekyllPost(stem="undated", path="undated", date=None)
    assert post_url("/:title/", post) == "/undated/"
    with pytest.raises(PermalinkError, match="needs the post's date"):
        post_url("/:year/:title/", post)
    with pytest.raises(PermalinkError, match="unknown placeholder ':nope'"):
        post_url("/:nope/", jekyll_post({}, "2019-01-01-x", None))


def test_front_matter_slug():
    assert post_url("/:title/:slug", jekyll_post({"slug": "My Slug"}, "2019-01-01-x", None)) == (
        "/My-Slug/my-slug"
    )
    # Ruby's `||=`: only a missing or false slug gives way to the file name's.
    assert post_url("/:title", jekyll_post({"slug": False}, "2019-01-01-x", None)) == "/x"
    assert post_url("/:title", jekyll_post({"slug": 0}, "2019-01-01-x", None)) == "/0"


@pytest.mark.parametrize(
    "spelling",
    [
        "/2019/03/05/x.html",
        "/2019/03/05/x",
        "/2019/03/05/x/",
        "/2019/03/05/x/index.html",
        "/2019//03/05/x.htm",
        "/2019/03/05/%78.html",
    ],
)
def test_one_key_for_every_spelling_of_a_path(spelling):
    assert url_key(spelling) == "/2019/03/05/x"


def test_link_targets():
    targets = LinkTargets(
        pages={"/posts/a": "posts/a", "/2019/03/05/a": "posts/a", "/": "index"},
        old_urls={"posts/a": "/2019/03/05/a.html"},
        baseurls=("/blog",),
    )
    assert targets.find("/2019/03/05/a.html#part", "x") == ("posts/a", "part")
    assert targets.find("/blog/2019/03/05/a/", "x") == ("posts/a", "")
    assert targets.find("/blog", "x") == ("index", "")
    assert targets.find("/posts/a.html?utm=1", "x") == ("posts/a", "")
    # Relative links are read against the old URL of the post they are in.
    assert targets.find("../05/a.html", "posts/a") == ("posts/a", "")
    assert targets.find("../05/a.html", "about") is None
    # A label, a URL elsewhere, a missing page: MyST's business.
    assert targets.find("a", "posts/a") is None
    assert targets.find("https://example.org/2019/03/05/a.html", "x") is None
    assert targets.find("//example.org/2019/03/05/a.html", "x") is None
    assert targets.find("/2019/03/05/b.html", "x") is None


# -- Sphinx builds ---------------------------------------------------------------------------

#: Redirect file -> the page it sends readers to.
REDIRECTS = {
    "notes/2020/01/05/first-steps.html": "posts/2020-01-05-first-steps",
    "2020/02/10/linking.html": "posts/2020-02-10-linking",
    "own-permalink/index.html": "posts/2020-03-01-own-permalink",
    "about-me/index.html": "posts/2020-03-02-literal",
    # Jekyll writes the later of two posts last (by date, not name): that one was there.
    "twin.html": "posts/2020-05-01-twin-a",
}

EXPECTED_WARNINGS = [
    ("2020-04-01-overwrite.md:3", "old URL '/about.html': it would overwrite the page 'about'"),
    (
        "2020-05-01-twin-b.md:3",
        "old URL '/twin.html': 'posts/2020-05-01-twin-a' already redirects there",
    ),
    ("2020-06-01-bad-placeholder.md:3", "'permalink' '/:yeer/:title/': unknown placeholder"),
]


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("permalinks")


def redirect_target(app, page: str) -> Path:
    """The file the redirect page *page* sends readers to."""
    text = (Path(app.outdir) / page).read_text(encoding="utf-8")
    url = re.search(r'content="0; url=([^"]+)"', text)[1]
    return ((Path(app.outdir) / page).parent / url).resolve()


def assert_redirects(app):
    for page, docname in REDIRECTS.items():
        target_uri = app.builder.get_target_uri(docname)
        expected = Path(app.outdir, target_uri)
        if target_uri.endswith("/") or not target_uri:
            expected = expected / "index.html"
        target = redirect_target(app, page)
        if target.is_dir():
            target = target / "index.html"
        assert target == expected.resolve(), page
        assert target.is_file(), page


def assert_exact_warnings(app, expected=EXPECTED_WARNINGS):
    found = warnings_of(app)
    for location, message in expected:
        assert any(
            location in w and message in w and "[ablog_ext.permalink]" in w for w in found
        ), (
            location,
            found,
        )
    assert len(found) == len(expected), found


def test_redirect_at_each_old_url(built):
    assert_redirects(built)


def test_collisions_warn_and_leave_the_page(built):
    assert_exact_warnings(built)
    about = (Path(built.outdir) / "about.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' not in about
    assert "A page of the site" in about


def test_no_old_url_without_a_dated_name_or_permalink(built):
    assert blog_domain(built.env).posts["posts/written-for-ablog"].get("old_url") is None
    assert not (Path(built.outdir) / "2020/07/01").exists()
    assert blog_domain(built.env).posts["posts/2020-01-05-first-steps"]["old_url"] == (
        "/notes/2020/01/05/first-steps.html",
        1,
    )


def link_hrefs(app, pagename: str) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(
        Path(app.outdir, app.builder.get_outfilename(pagename)).read_text(encoding="utf-8"),
        "html.parser",
    )
    article = soup.select_one('[role="main"]') or main_text(soup)
    return [(a.get("href"), a.get_text()) for a in article.select("li a, p a")]


def test_links_to_old_and_new_urls_resolve(built):
    links = link_hrefs(built, "posts/2020-02-10-linking")
    first = "2020-01-05-first-steps.html"
    assert links == [
        (first, "old URL"),
        (first, "without .html"),
        (first, "with a slash"),
        (first, "under the site baseurl"),
        (first, "under the blog_baseurl path"),
        (first + "#a-section", "with a fragment"),
        (first, "new URL"),
        (first, "relative to the old URL"),
        ("2020-03-01-own-permalink.html", "own permalink of a post"),
        (first, "First steps"),
    ]
    assert link_hrefs(built, "about") == [
        ("posts/2020-01-05-first-steps.html", "link to the old URL of a post")
    ]


def test_liquid_links_resolve(built):
    """What Liquid writes (post_url: the new URL; site.baseurl: ablog_ext_site's)."""
    assert link_hrefs(built, "posts/2020-02-11-liquid") == [
        ("2020-01-05-first-steps.html", "post_url"),
        ("2020-01-05-first-steps.html", "site.baseurl"),
        ("2020-01-05-first-steps.html", "relative_url"),
    ]


def test_dirhtml(tmp_path):
    app = build_dir(copy_root(tmp_path, "permalinks"), "dirhtml")
    # The page "about" is about/index.html here: about.html is free for the redirect.
    assert_exact_warnings(app, EXPECTED_WARNINGS[1:])
    assert redirect_target(app, "about.html") == Path(app.outdir, "posts/2020-04-01-overwrite")
    assert_redirects(app)
    # The page a static host serves at /2020/02/10/linking.html, not .../linking/index.html.
    assert (Path(app.outdir) / "2020/02/10/linking.html").is_file()
    assert not (Path(app.outdir) / "2020/02/10/linking").exists()
    assert link_hrefs(app, "posts/2020-02-11-liquid")[0] == (
        "../2020-01-05-first-steps/",
        "post_url",
    )
    links = link_hrefs(app, "posts/2020-02-10-linking")
    assert links[0] == ("../2020-01-05-first-steps/", "old URL")
    assert links[5] == ("../2020-01-05-first-steps/#a-section", "with a fragment")


def test_parallel_build_matches(tmp_path, built):
    app = build_dir(copy_root(tmp_path, "permalinks"), parallel=2)
    assert app.parallel == 2
    assert_exact_warnings(app)
    assert_redirects(app)
    assert link_hrefs(app, "posts/2020-02-10-linking") == link_hrefs(
        built, "posts/2020-02-10-linking"
    )


@pytest.mark.parametrize(
    ("style", "page"),
    [
        ("pretty", "notes/2020/01/05/first-steps/index.html"),
        ("ordinal", "notes/2020/005/first-steps.html"),
        ("/:year/:title", "2020/first-steps.html"),
    ],
)
def test_other_styles(tmp_path, style, page):
    app = build_dir(copy_root(tmp_path, "permalinks"), confoverrides={"ablog_ext_permalink": style})
    assert (Path(app.outdir) / page).is_file()
    assert not (Path(app.outdir) / "notes/2020/01/05/first-steps.html").exists()
    links = link_hrefs(app, "posts/2020-02-10-linking")
    assert links[6] == ("2020-01-05-first-steps.html", "new URL")  # still resolves


def test_empty_setting_turns_site_wide_old_urls_off(tmp_path):
    app = build_dir(copy_root(tmp_path, "permalinks"), confoverrides={"ablog_ext_permalink": ""})
    outdir = Path(app.outdir)
    assert not (outdir / "notes").exists()
    assert not (outdir / "2020").exists()
    # A post's own permalink still gets its redirect.
    assert (outdir / "own-permalink/index.html").is_file()
    assert (outdir / "about-me/index.html").is_file()


def test_bad_setting_warns_and_uses_the_default(tmp_path):
    app = build_dir(
        copy_root(tmp_path, "permalinks"), confoverrides={"ablog_ext_permalink": "/:yeer/:title/"}
    )
    assert any(
        "ablog_ext_permalink '/:yeer/:title/' has unknown placeholder(s) :yeer" in w
        for w in warnings_of(app)
    )
    assert (Path(app.outdir) / "notes/2020/01/05/first-steps.html").is_file()


def test_incremental_rebuild_moves_the_redirect(tmp_path):
    srcdir = copy_root(tmp_path, "permalinks")
    build_dir(srcdir)
    post = srcdir / "posts/2020-01-05-first-steps.md"
    post.write_text(post.read_text(encoding="utf-8").replace("[Notes]", "[Diary]"), "utf-8")
    app = build_dir(srcdir)
    outdir = Path(app.outdir)
    assert (outdir / "diary/2020/01/05/first-steps.html").is_file()
    assert not (outdir / "notes/2020/01/05/first-steps.html").exists()
