"""A corpus of hostile posts: each gets its located warning, the rest of the site
builds, nothing is lost, nothing reaches a page or a feed unescaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import build_dir, copy_root

SCRIPT = "<script>alert('x')</script>"
MARKUP_CATEGORY = "<b>Bold</b> & Co"
MARKUP_TAG = "<i>ital</i>"
LONG_TITLE = "Long " * 4000  # 20,000 characters


def post(*front: str, body: str = "Body.") -> str:
    """A post: each of *front* a line of its front matter (the first is line 2), then *body*."""
    return "---\n" + "".join(f"{line}\n" for line in front) + "---\n\n" + body + "\n"


#: file name -> (content, [(line, warning fragment)]); bytes are written as they are.
CORPUS: dict[str, tuple[str | bytes, list[tuple[int, str]]]] = {
    "2020-01-01-not-a-date.md": (
        post("title: Not a date", "date: the day after tomorrow", "category: Notes"),
        [(3, "'date' is not a valid date")],
    ),
    "impossible-date.md": (
        post("title: Impossible date", "category: Notes", "date: 2019-02-30"),
        [(4, "'date' is not a valid date: '2019-02-30'")],
    ),
    "2020-02-30-impossible-name.md": (
        post("title: Impossible file name", "category: Notes"),
        [(1, "the file name starts with '2020-02-30', which is not a valid date")],
    ),
    "2020-01-03-unclosed.md": (
        "---\ntitle: Unclosed\ncategory: Notes\n\nThe front matter never closes.\n",
        [(1, "never closes")],
    ),
    "2020-01-04-empty.md": ("", [(1, "the post is empty")]),
    "2020-01-05-not-utf8.md": (
        b"---\ntitle: Not UTF-8\ncategory: Notes\n---\n\nCaf\xe9 and \xff bytes.\n",
        [(6, "bytes that are not UTF-8 (0xe9 first)")],
    ),
    "2020-01-06-mapping.md": (
        post("title: Mapping for tags", "tags:", "  a: 1", "category: Notes"),
        [(3, "'tags' should be a list or text, not a mapping")],
    ),
    "2020-01-07-number-category.md": (post("title: Number as a category", "category: 2020"), []),
    "2020-01-08-list-title.md": (
        post("title: [a, list]", "category: Notes"),
        [(2, "'title' should be text")],
    ),
    "2020-01-09-published-maybe.md": (
        post("title: Published maybe", "published: maybe", "category: Notes"),
        [(3, "'published' should be true or false")],
    ),
    "2020-01-10-long-title.md": (
        f"---\ntitle: {LONG_TITLE.strip()}\ncategory: Notes\n---\n\nBody.\n",
        [(2, "'title' is 19,999 characters long")],
    ),
    "2020-01-11-script-title.md": (
        f'---\ntitle: "{SCRIPT} ]]> & \\x07bell"\ncategory: "{MARKUP_CATEGORY}"\n'
        f'tags: ["{MARKUP_TAG}"]\n---\n\nBody with {{}} and ]]> and <b>raw</b>.\n',
        [(2, "'title' has characters HTML and XML cannot carry (U+0007)")],
    ),
    "2020-01-12-redirects.md": (
        post(
            "title: Redirects",
            "category: Notes",
            "redirect_from:",
            "  - /about.html",
            "  - /taken/",
        ),
        [(4, "redirect '/about.html' refused: it would overwrite the page 'about'")],
    ),
    "2020-01-13-redirect-clash.md": (
        post("title: Redirect clash", "category: Notes", "redirect_from: /taken/"),
        [(4, "redirect '/taken/' refused: 'posts/2020-01-12-redirects' already redirects there")],
    ),
    "2020-01-14-nameless-theme.md": (
        post(
            "title: Nameless theme",
            "category: Notes",
            body=":::{theme}\nA passage without a theme.\n:::",
        ),
        [(6, "the theme directive needs a theme name")],
    ),
    "1969-07-20-before-1970.md": (
        post("title: Before 1970", "category: History", body="An old post."),
        [],
    ),
    "3000-01-01-after-2999.md": (
        post("title: After 2999", "category: History", body="A post from the far future."),
        [],
    ),
    "2020-01-15-year-out-of-range.md": (
        post("title: Year out of range", "date: 99999-01-01", "category: Notes"),
        [(3, "'date' is not a valid date")],
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    srcdir = copy_root(tmp_path_factory.mktemp("hostile"), "hostile")
    for name, (content, _) in CORPUS.items():
        path = srcdir / "posts" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return build_dir(srcdir)


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        (name, line, fragment)
        for name, (_, expected) in CORPUS.items()
        for line, fragment in expected
    ],
)
def test_each_hostile_post_gets_a_located_warning(built, warnings, name, line, fragment):
    pattern = re.compile(rf"posts/{re.escape(name)}:{line}: WARNING: .*{re.escape(fragment)}")
    assert any(pattern.search(w) for w in warnings(built)), (name, warnings(built))


def test_no_traceback_and_no_unexpected_warning(built, warnings):
    assert "Traceback" not in built.warning.getvalue()
    expected_files = {name for name, (_, expected) in CORPUS.items() if expected} | {"reviews.md"}
    for warning in warnings(built):
        assert any(name in warning for name in expected_files), warning


#: Dated after the build: Jekyll (``future: false``) leaves them out, and so do we.
FUTURE = {"3000-01-01-after-2999.md"}


def test_the_rest_of_the_site_still_builds(built):
    outdir = Path(built.outdir)
    for name in CORPUS:
        page = outdir / "posts" / (Path(name).stem + ".html")
        assert page.is_file() is (name not in FUTURE), name
    assert (outdir / "posts/2020-05-05-good.html").is_file()
    good = BeautifulSoup(
        (outdir / "blog/category/notes.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert "A good post" in good.get_text()


def test_nothing_is_lost(built):
    posts = built.env.ablog_posts
    for name in CORPUS:
        assert (f"posts/{Path(name).stem}" in posts) is (name not in FUTURE), name
    assert f"leaving out {len(FUTURE)} post(s) dated after the build" in built.status.getvalue()
    assert posts["posts/2020-01-07-number-category"][0]["category"] == ["2020"]
    assert posts["posts/1969-07-20-before-1970"][0]["date"].year == 1969
    assert posts["posts/2020-01-03-unclosed"][0]["title"] == "Unclosed"


def test_reviews_and_themes_with_bad_input(built, warnings):
    found = warnings(built)
    assert any(
        re.search(
            r"reviews\.md:6: WARNING: year-in-review needs a year such as 2019, not 'MMXX'", w
        )
        for w in found
    )


def every_output(outdir: Path):
    for path in sorted(outdir.rglob("*")):
        if (
            path.is_file()
            and "_static" not in path.parts
            and path.suffix in {".html", ".xml", ".json"}
        ):
            yield path


def test_nothing_reaches_a_page_or_feed_unescaped(built):
    outdir = Path(built.outdir)
    checked = 0
    for path in every_output(outdir):
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".json":
            import json

            data = json.loads(text)
            text = " ".join(item.get("content_html", "") for item in data.get("items", []))
        # Front matter values; HTML the author writes in a post's body is the
        # author's (Markdown allows it), so "<b>raw</b>" in the body is not checked.
        for raw in (SCRIPT, "<b>Bold</b>", MARKUP_TAG):
            assert raw not in text, (path, raw)
        assert "\x07" not in text, path
        checked += 1
    kinds = {p.relative_to(outdir).parts[0] for p in every_output(outdir)}
    assert {"posts", "blog"} <= kinds
    assert checked > 30
    # The escaped text is there: escaped, not dropped.
    page = (outdir / "posts/2020-01-11-script-title.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in page


@pytest.mark.parametrize(
    "page",
    [
        "blog",
        "blog/category/notes",
        "blog/archive",
        "blog/drafts",
        "blog/review/2020",
        "blog/theme/quality",
    ],
)
def test_every_page_kind_escapes(built, page):
    path = Path(built.outdir, page + ".html")
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for script in soup.find_all("script"):
        assert "alert(" not in script.get_text()
    assert not [b for b in soup.find_all("b") if "Bold" in b.get_text()]
