"""Shapes found on real Jekyll blogs (dask, elixir-lang, brew.sh, ruby-lang.org,
jekyllrb.com, swift.org, crystal-lang.org) by moving them with ``init`` and
comparing with Jekyll; each post in ``roots/test-real-shapes`` is our own, one shape
each."""

from __future__ import annotations

import pytest

from ablog_ext.blog.domain import blog_domain

from helpers import build_dir, build_site, copy_root, main_text, warnings_of
from helpers import read_html as html_of


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("real-shapes")


def test_names_keep_their_quotes(built, html):
    """Jekyll keeps ``Fool's day`` as written; Sphinx's smart quotes must not turn
    names (the keys of archive pages) into ``Fool’s day``."""
    record = blog_domain(built.env).posts["posts/2015-04-01-quoted-names"]
    assert record["tags"] == ["Fool's day", "macros"]
    assert record["categories"] == ["Rock 'n' roll"]
    assert record["authors"] == ["O'Brien"]
    card = html(built, "posts/2015-04-01-quoted-names").select_one(".ablog__postcard")
    assert "Fool's day" in card.get_text()
    assert "Fool’s" not in card.get_text()
    # The title is text a reader reads: Sphinx's smart quotes apply, as on any page.
    assert main_text(html(built, "posts/2015-04-01-quoted-names")).h1 is not None


def test_links_of_any_scheme_are_addresses(built, html):
    """kramdown writes ``[x](rsync://...)`` and ``[x](list:1234)`` as links, where
    MyST looks up a scheme it does not know as a reference and warns (ruby-lang.org's
    news link ``ruby-talk:124434`` and ``rsync://``)."""
    links = {
        a.get_text(): a["href"]
        for a in main_text(html(built, "posts/2004-12-26-other-schemes")).find_all("a")
    }
    assert links["rsync"] == "rsync://mirror.example.org/pub/"
    assert links["list:1234"] == "list:1234"
    assert links["the archive"] == "URL:https://archive.example.org/notes.tar.gz"
    assert not [w for w in warnings_of(built) if "other-schemes" in w]


def test_links_to_kramdowns_heading_ids(built, html):
    """kramdown gives every heading an id (swift.org links to
    ``#use-of-stringindexencodedoffset-considered-harmful``, dask's GFM posts to
    ``#dask-map_overlap-and-map_blocks``); Sphinx's ids differ (dots become hyphens,
    underscores go)."""
    page = main_text(html(built, "posts/2019-03-20-heading-links"))
    links = {a.get_text(): a["href"] for a in page.find_all("a", href=True)}
    assert links["the caveat"] == "#use-of-stringindexencodedoffset-considered-harmful"
    assert links["GFM one"] == "#map_overlap-and-map_blocks"
    assert links["second notes"] == "#notes-1"
    ids = {tag["id"] for tag in page.find_all(id=True)}
    assert {
        "use-of-stringindexencodedoffset-considered-harmful",
        "mapoverlap-and-mapblocks",
        "map_overlap-and-map_blocks",
        "notes-1",
    } <= ids
    # The second "Notes" heading holds notes-1: the link lands there.
    second = page.find(id="notes-1")
    section = second if second.name == "section" else second.find_parent("section")
    assert "Second." in section.get_text()
    assert "First." not in section.get_text()
    assert not [w for w in warnings_of(built) if "heading-links" in w]


@pytest.mark.parametrize("fulltext", [False, True])
def test_a_broken_link_in_an_excerpt_warns_once(tmp_path, fulltext):
    """An excerpt is shown on the home page's postlist, the archive, category, tag
    and year pages and in feeds; crystal-lang.org's link to a page that was not a
    post warned eight times, once per copy. The post's own page says it once."""
    app = build_site(tmp_path, "real-shapes", confoverrides={"blog_feed_fulltext": fulltext})
    found = [w for w in warnings_of(app) if "gone-link" in w]
    assert len(found) == 1, found
    assert "'/not/moved/'" in found[0]
    assert ":7:" in found[0]
    # The copies still show the link's text.
    assert "links to a page that is not here" in main_text(html_of(app, "index")).get_text()


def test_site_data_comes_from_the_data_folder(built, html):
    """ruby-lang.org's release posts print their download links from
    ``site.data.releases``; without ``_data`` they showed empty links."""
    text = " ".join(main_text(html(built, "posts/2024-12-25-release-from-data")).get_text().split())
    assert "https://downloads.example.org/kettle-1.2.tar.gz" in text
    assert "(1234 bytes)" in text and "released 2024-12-25" in text
    assert "Brewed by Rowan" in text
    broken = [w for w in warnings_of(built) if "broken.yml" in w]
    assert len(broken) == 1 and "[ablog_ext.liquid]" in broken[0]


def test_a_changed_data_file_reads_its_posts_again(tmp_path):
    srcdir = copy_root(tmp_path, "real-shapes")
    build_dir(srcdir)
    data = srcdir / "_data/releases.yml"
    data.write_text(data.read_text("utf-8").replace("1.2.tar.gz", "1.2.1.tar.gz"), "utf-8")
    app = build_dir(srcdir)
    text = main_text(html_of(app, "posts/2024-12-25-release-from-data")).get_text(" ")
    assert "kettle-1.2.1.tar.gz" in text
    (srcdir / "_data/team/members.csv").write_text("name,role\nAda,brewer\n", "utf-8")
    app = build_dir(srcdir)
    text = main_text(html_of(app, "posts/2024-12-25-release-from-data")).get_text()
    assert "Brewed by Ada" in text


def test_page_excerpt_and_slug_as_jekyll_gives_them(built, html):
    """``page.excerpt`` ends at the separator exactly as written (``"\\n---\\n"``,
    not any ``---``), is empty when the separator is ``""``; ``page.slug`` comes
    from an unpadded dated name too."""
    text = main_text(html(built, "posts/2017-2-5-excerpt-shapes")).get_text(" ")
    assert "Excerpt: [First part, with a—b in it.]" in " ".join(text.split())
    assert "slug: excerpt-shapes." in text
    empty = main_text(html(built, "posts/2020-06-02-no-excerpt")).get_text(" ")
    assert "Excerpt: []." in " ".join(empty.split())


def test_links_to_the_home_page(built, html):
    page = main_text(html(built, "posts/2020-06-01-home-links"))
    links = {a.get_text(): a["href"] for a in page.find_all("a", href=True)}
    assert links["home"] == links["the index"] == links["the root index"] == "../index.html"
    assert not [w for w in warnings_of(built) if "home-links" in w]


def test_links_to_raw_html_anchors_and_to_the_top(built, html):
    """A notebook exported to Markdown (dask's posts) links to ``<a name="x">``
    anchors, and ``[top](#)`` to the page itself: both work in Jekyll."""
    page = main_text(html(built, "posts/2021-03-19-anchor-shapes"))
    links = {a.get_text(): a["href"] for a in page.find_all("a", href=True)}
    assert links["the top"] == "#"
    assert links["the table"] == "#results-table"
    assert links["the note"] == "#the-note"
    assert not [w for w in warnings_of(built) if "anchor-shapes" in w]


def test_images_and_files_under_the_old_base_path(built, html):
    """``{{ site.baseurl }}/assets/x.png`` is ``/notes/assets/x.png`` after Liquid;
    the file is ``assets/x.png`` of the source folder (and of the built site)."""
    page = main_text(html(built, "posts/2020-05-02-baseurl-image"))
    assert page.img["src"] == "../_images/dot.svg"
    links = {a.get_text(): a["href"] for a in page.find_all("a", href=True)}
    assert links["readings"] == "../assets/files/readings.txt"
    assert not [w for w in warnings_of(built) if "baseurl-image" in w]


def test_markdown_inside_html_blocks_with_parse_block_html(built, html):
    """dask's posts lay text out in <div> columns, the Markdown inside read by
    kramdown's parse_block_html (``ablog_ext_kramdown = {"parse_block_html": True}``)."""
    page = main_text(html(built, "posts/2017-07-03-html-columns"))
    assert page.select_one("div.col-md-6 h2").get_text(strip=True).startswith("Summary")
    assert page.select_one("div.col-md-6 strong").get_text() == "things"
    assert "-------" not in page.get_text()


def test_end_of_block_marker(built, html):
    page = main_text(html(built, "posts/2005-07-01-end-of-block"))
    assert "+++ b/utils.rb" in page.select_one("pre").get_text()
    assert "^" not in page.get_text()
    assert page.select_one("li").get_text(strip=True) == "the patch for 1.8"


def test_what_kramdown_takes_as_it_is(built, html):
    page = main_text(html(built, "posts/2023-11-09-kramdown-leniency"))
    assert page.select_one("figure img")["alt"] == "the audience"
    links = {a.get_text(): a["href"] for a in page.find_all("a", href=True)}
    assert links["boxed"].endswith("Object_type_(object-oriented_programming)#Boxing")
    assert {img["alt"] for img in page.find_all("img")} == {"the audience", "a talk"}
    assert "](" not in page.get_text()
    assert not [w for w in warnings_of(built) if "kramdown-leniency" in w]
