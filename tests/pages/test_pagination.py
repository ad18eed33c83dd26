"""Pages of posts (``ablog_ext_posts_per_page``): real builds of small blogs of 0, 1,
N and N+1 posts, N a page, in html and dirhtml; incremental builds as posts are
added and removed; the option's check."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import (
    broken_links,
    build_dir,
    equals_clean_build,
    output_snapshot,
    read_page,
    rebuild,
    warnings_of,
    write_files,
)

PER_PAGE = 3

CONF = """\
project = "Pages of posts"
extensions = ["ablog_ext"]
html_theme = "{theme}"
blog_post_pattern = ["posts/*.md"]
blog_baseurl = "https://pages.example.org/"
exclude_patterns = ["_build"]
{extra}
"""


def post(number: int) -> str:
    """The post of day *number* of 2021: newer posts have higher numbers."""
    return (
        "---\n"
        f"title: Post number {number}\n"
        f"date: 2021-01-{number:02d}\n"
        "category: ML\n"
        f"tags: [{'even' if number % 2 == 0 else 'odd'}, all]\n"
        "author: Ada\n"
        "---\n\n"
        f"The excerpt of post {number}, with a [link](../index.md).\n"
    )


def make_site(
    tmp_path: Path, posts: int, *, per_page: int | None = PER_PAGE, theme: str = "alabaster"
) -> Path:
    src = tmp_path / f"site-{posts}"
    extra = "" if per_page is None else f"ablog_ext_posts_per_page = {per_page}"
    files = {
        "conf.py": CONF.format(theme=theme, extra=extra),
        "index.md": "# Home\n\nA blog.\n",
    }
    files.update({f"posts/2021-01-{n:02d}-post-{n}.md": post(n) for n in range(1, posts + 1)})
    return write_files(src, files)


def titles(soup: BeautifulSoup) -> list[str]:
    """The titles of the posts a page of posts lists, in order."""
    return [h.get_text(strip=True) for h in soup.select("h2.ablog-post-title")]


def nav(soup: BeautifulSoup) -> dict[str, str]:
    """The page's previous/next links (body and head) and its "Page n of m"."""
    found: dict[str, str] = {}
    box = soup.select_one("nav.ablog-ext-pages")
    if box is not None:
        found["label"] = box.select_one(".ablog-ext-pages__current").get_text(strip=True)
        for rel in ("prev", "next"):
            link = box.select_one(f"a[rel={rel}]")
            if link is not None:
                found[rel] = str(link["href"])
    for rel in ("prev", "next"):
        head = soup.head.select_one(f"link[rel={rel}]") if soup.head else None
        if head is not None:
            found[f"head-{rel}"] = str(head["href"])
    return found


def pages_of(outdir: Path, archive: str) -> list[str]:
    """The later pages of *archive* (``blog/category/ml``) in html output, by number."""
    folder = outdir / archive / "page"
    return sorted(p.name for p in folder.glob("*.html")) if folder.is_dir() else []


@pytest.mark.parametrize(
    ("posts", "pages"),
    [(0, 1), (1, 1), (PER_PAGE, 1), (PER_PAGE + 1, 2), (2 * PER_PAGE + 1, 3)],
)
def test_pages_and_links(tmp_path: Path, posts: int, pages: int) -> None:
    app = build_dir(make_site(tmp_path, posts))
    out = Path(app.outdir)
    assert warnings_of(app) == []
    assert pages_of(out, "blog") == [f"{n}.html" for n in range(2, pages + 1)]
    newest_first = [f"Post number {n}" for n in range(posts, 0, -1)]
    shown: list[str] = []
    for number in range(1, pages + 1):
        page = "blog.html" if number == 1 else f"blog/page/{number}.html"
        soup = read_page(out, page)
        listed = titles(soup)
        assert len(listed) == min(PER_PAGE, posts - len(shown)) or posts == 0
        shown += listed
        links = nav(soup)
        if pages == 1:
            assert links == {}, page
            continue
        assert links["label"] == f"Page {number} of {pages}"
        if number == 1:
            assert "prev" not in links and "head-prev" not in links
        else:
            want = "../blog.html" if number == 2 else f"{number - 1}.html"
            want = want if number > 2 else "../../blog.html"
            assert links["prev"] == links["head-prev"] == want
        if number == pages:
            assert "next" not in links and "head-next" not in links
        else:
            want = "blog/page/2.html" if number == 1 else f"{number + 1}.html"
            assert links["next"] == links["head-next"] == want
    assert shown == newest_first
    assert not (out / "blog" / "page" / f"{pages + 1}.html").exists()
    # A blog of no posts has no feed, yet ABlog's pages link to it (as without pages).
    feedless = {link for link in broken_links(out) if link[1].endswith("atom.xml")}
    assert broken_links(out) - feedless == set()
    assert feedless == set() or posts == 0


def test_every_archive_is_split(tmp_path: Path) -> None:
    """Category, tag, author and year archives too; the catalogs and feeds whole."""
    app = build_dir(make_site(tmp_path, 2 * PER_PAGE + 1))
    out = Path(app.outdir)
    assert pages_of(out, "blog/category/ml") == ["2.html", "3.html"]
    assert pages_of(out, "blog/tag/all") == ["2.html", "3.html"]
    assert pages_of(out, "blog/tag/odd") == ["2.html"]  # 4 odd posts
    assert pages_of(out, "blog/tag/even") == []  # 3 even posts: one page
    assert pages_of(out, "blog/author/ada") == ["2.html", "3.html"]
    assert pages_of(out, "blog/2021") == ["2.html", "3.html"]
    soup = read_page(out, "blog/category/ml/page/3.html")
    assert titles(soup) == ["Post number 1"]
    assert nav(soup) == {
        "label": "Page 3 of 3",
        "prev": "2.html",
        "head-prev": "2.html",
    }

    # The feed of the category is not split, and every page of it links to it.
    def alternates(soup: BeautifulSoup) -> set[str]:
        links = soup.select('link[rel="alternate"]')
        return {str(link["href"]) for link in links if str(link["href"]).startswith("https:")}

    assert "https://pages.example.org/blog/category/ml/atom.xml" in alternates(soup)
    assert alternates(soup) == alternates(read_page(out, "blog/category/ml.html"))
    feed = (out / "blog/category/ml/atom.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 2 * PER_PAGE + 1
    assert not (out / "blog/category/ml/page/atom.xml").exists()
    # The index of all categories lists every post's title.
    assert read_page(out, "blog/category.html").get_text().count("Post number") == 7
    assert broken_links(out) == set()


def test_dirhtml(tmp_path: Path) -> None:
    app = build_dir(make_site(tmp_path, PER_PAGE + 1), buildername="dirhtml")
    out = Path(app.outdir)
    soup = read_page(out, "blog/page/2/index.html")
    assert titles(soup) == ["Post number 1"]
    assert nav(soup) == {"label": "Page 2 of 2", "prev": "../../", "head-prev": "../../"}
    first = read_page(out, "blog/index.html")
    assert nav(first)["next"] == nav(first)["head-next"] == "page/2/"
    assert (out / "blog/category/ml/page/2/index.html").is_file()
    assert broken_links(out) == set()


def test_pydata_theme(tmp_path: Path) -> None:
    """The links and the head's rel links with the project's own theme."""
    app = build_dir(make_site(tmp_path, PER_PAGE + 1, theme="pydata_sphinx_theme"))
    soup = read_page(Path(app.outdir), "blog/page/2.html")
    assert titles(soup) == ["Post number 1"]
    want = "../../blog.html"
    assert nav(soup) == {"label": "Page 2 of 2", "prev": want, "head-prev": want}


def test_default_changes_nothing(tmp_path: Path) -> None:
    """``None`` (the default) and a number above the posts' count write what
    plain ablog_ext writes, page for page, but for the "more than one page" parts."""
    plain = build_dir(make_site(tmp_path / "plain", PER_PAGE + 1, per_page=None))
    assert not (Path(plain.outdir) / "blog" / "page").exists()
    assert nav(read_page(Path(plain.outdir), "blog.html")) == {}


def _posts_in_order(outdir: Path, pages: int) -> list[str]:
    shown = []
    for number in range(1, pages + 1):
        page = "blog.html" if number == 1 else f"blog/page/{number}.html"
        shown += titles(read_page(outdir, page))
    return shown


def test_incremental_add_and_remove(tmp_path: Path) -> None:
    """A new post pushes one off page 1 onto page 2 and adds a page; deleting it
    removes the page again: each incremental build equals a clean one."""
    src = make_site(tmp_path, 2 * PER_PAGE)
    build_dir(src)
    out = src / "_build" / "html"
    assert pages_of(out, "blog") == ["2.html"]
    write_files(src, {"posts/2021-01-30-post-30.md": post(30)})
    written, _ = rebuild(src)
    assert pages_of(out, "blog") == ["2.html", "3.html"]
    assert {"blog.html", "blog/page/2.html", "blog/page/3.html"} <= written
    assert _posts_in_order(out, 3)[:4] == [
        "Post number 30", "Post number 6", "Post number 5", "Post number 4"
    ]  # fmt: skip
    assert equals_clean_build(src, tmp_path) == ""
    (src / "posts/2021-01-30-post-30.md").unlink()
    (src / "posts/2021-01-01-post-1.md").unlink()
    rebuild(src)
    assert pages_of(out, "blog") == ["2.html"]
    assert not (out / "blog/page/3.html").exists()
    assert not (out / "blog/category/ml/page/3.html").exists()
    assert _posts_in_order(out, 2) == [f"Post number {n}" for n in range(6, 1, -1)]
    assert equals_clean_build(src, tmp_path) == ""
    # The last page empties: its file and folder go.
    for n in (2, 3):
        (src / f"posts/2021-01-{n:02d}-post-{n}.md").unlink()
    rebuild(src)
    assert not (out / "blog/page").exists()
    assert nav(read_page(out, "blog.html")) == {}
    assert equals_clean_build(src, tmp_path) == ""


def test_incremental_dirhtml(tmp_path: Path) -> None:
    src = make_site(tmp_path, PER_PAGE)
    build_dir(src, buildername="dirhtml")
    write_files(src, {"posts/2021-01-30-post-30.md": post(30)})
    rebuild(src, buildername="dirhtml")
    out = src / "_build" / "dirhtml"
    assert titles(read_page(out, "blog/page/2/index.html")) == ["Post number 1"]
    assert equals_clean_build(src, tmp_path, buildername="dirhtml") == ""
    (src / "posts/2021-01-30-post-30.md").unlink()
    rebuild(src, buildername="dirhtml")
    assert not (out / "blog/page").exists()
    assert equals_clean_build(src, tmp_path, buildername="dirhtml") == ""


@pytest.mark.parametrize("value", ["0", "-2", "True", "'ten'", "2.5"])
def test_bad_values_warn(tmp_path: Path, value: str) -> None:
    src = make_site(tmp_path, PER_PAGE + 1, per_page=None)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"ablog_ext_posts_per_page = {value}\n")
    app = build_dir(src)
    found = [w for w in warnings_of(app) if "ablog_ext_posts_per_page" in w]
    assert len(found) == 1, warnings_of(app)
    assert "conf.py" in found[0] and "None" in found[0]
    assert not (Path(app.outdir) / "blog" / "page").exists()


def test_same_output_as_without(tmp_path: Path) -> None:
    """A site of fewer posts than a page: every file is as without the option but the
    archive pages' template, which adds nothing when there is one page."""
    off = build_dir(make_site(tmp_path / "off", PER_PAGE, per_page=None))
    on = build_dir(make_site(tmp_path / "on", PER_PAGE))
    got, want = output_snapshot(Path(on.outdir)), output_snapshot(Path(off.outdir))
    assert sorted(got) == sorted(want)
    differing = [key for key in want if got[key] != want[key] and key != ".buildinfo"]
    assert differing == []


def test_redirect_from_never_replaces_a_page(tmp_path: Path) -> None:
    """A post's old URL at a later page's file is refused, with a warning."""
    src = make_site(tmp_path, PER_PAGE + 1)
    edit_text = post(4).replace(
        "author: Ada\n", "author: Ada\nredirect_from: [/blog/page/2.html]\n"
    )
    write_files(src, {"posts/2021-01-04-post-4.md": edit_text})
    app = build_dir(src)
    found = [w for w in warnings_of(app) if "/blog/page/2.html" in w]
    assert len(found) == 1 and "would overwrite the page 'blog/page/2'" in found[0], found
    assert titles(read_page(Path(app.outdir), "blog/page/2.html")) == ["Post number 1"]


def test_a_document_named_as_a_later_page_is_kept_with_a_warning(tmp_path: Path) -> None:
    """A site document at ``blog/page/2`` stays the site's own, and its file is told
    the page of posts of that name is not written."""
    src = make_site(tmp_path, 2 * PER_PAGE + 1)
    write_files(src, {"blog/page/2.md": "# Mine\n\nThe site's own page.\n"})
    (src / "index.md").write_text(
        "# Home\n\nA blog.\n\n```{toctree}\n:hidden:\nblog/page/2\n```\n", encoding="utf-8"
    )
    app = build_dir(src)
    outdir = Path(app.outdir)
    [warning] = warnings_of(app)
    assert warning.startswith(f"{src / 'blog' / 'page' / '2.md'}: WARNING: this document")
    assert "page 2 of the posts of 'blog'" in warning and "rename" in warning
    assert warning.endswith("[ablog_ext.pagination]")
    assert "own page." in read_page(outdir, "blog/page/2.html").get_text()
    assert titles(read_page(outdir, "blog/page/3.html")) == ["Post number 1"]


PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Page {number} of {count}"
msgstr "Seite {number} von {count}"

msgid "Older posts"
msgstr "Ältere Beiträge"
"""

CATALOG_EXTENSION = """\
from pathlib import Path


def setup(app):
    app.add_message_catalog("ablog_ext", str(Path(__file__).parent / "locale"))
"""


def test_words_are_translated_in_the_ablog_ext_domain(tmp_path: Path) -> None:
    """A catalog of the ``ablog_ext`` domain (as the package's own would be) gives the
    pages' words in the site's language."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    src = make_site(tmp_path, PER_PAGE + 1)
    write_files(src, {"catalog_ext.py": CATALOG_EXTENSION})
    messages = src / "locale" / "de" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    with (messages / "ablog_ext.mo").open("wb") as mo:
        write_mo(mo, read_po(io.StringIO(PO), locale="de"))
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(
            'language = "de"\nimport sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n'
        )
        conf.write('extensions.append("catalog_ext")\n')
    app = build_dir(src)
    soup = read_page(Path(app.outdir), "blog.html")
    assert nav(soup)["label"] == "Seite 1 von 2"
    assert soup.select_one("a.ablog-ext-pages__next").get_text(strip=True) == "Ältere Beiträge"


def test_words_in_french_from_the_package_catalog(tmp_path: Path) -> None:
    """The package's own catalog has the pages' words: a French site's pages of
    posts say where the reader is in French, as its other words are."""
    src = make_site(tmp_path, PER_PAGE + 1)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('language = "fr"\n')
    app = build_dir(src)
    first = read_page(Path(app.outdir), "blog.html")
    assert nav(first)["label"] == "Page 1 sur 2"
    assert first.select_one("nav.ablog-ext-pages")["aria-label"] == "Pages d'articles"
    assert first.select_one("a.ablog-ext-pages__next").get_text(strip=True) == (
        "Articles plus anciens"
    )
    second = read_page(Path(app.outdir), "blog/page/2.html")
    assert nav(second)["label"] == "Page 2 sur 2"
    assert second.select_one("a.ablog-ext-pages__prev").get_text(strip=True) == (
        "Articles plus récents"
    )
