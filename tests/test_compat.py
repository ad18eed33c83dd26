"""Adding ablog_ext to an ABlog site keeps everything the site already publishes.

Each ``compat-*`` root is a site written for plain ABlog; it is built as it is and
with ``ablog_ext`` added (same configuration otherwise).  Every file of the plain
build must be in the ablog_ext build, with no new warning, and every feed ABlog
wrote must hold the same entries.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser
import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from helpers import (
    broken_links,
    build_dir,
    build_site,
    copy_root,
    equals_clean_build,
    html_files,
    main_text,
    read_page,
    rebuild,
    warnings_of,
    write_files,
)

PLAIN = ["ablog", "myst_parser"]
#: ``ablog_ext`` added at the end, as the README says to.
WITH_EXT = (*PLAIN, "ablog_ext")
#: Files plain ABlog writes that ablog_ext leaves out on purpose: the archive page
#: of a category with an empty name (``:category:`` with nothing after it).
DELIBERATELY_GONE = {("compat-team", "html"): {"blog/category/.html"}}


def build_pair(
    tmp_path_factory,
    root: str,
    buildername: str = "html",
    extensions: Sequence[str] = WITH_EXT,
    **overrides,
):
    """*root* built plain (*extensions* without ablog_ext) and with *extensions*, each
    with *overrides* of its conf.py."""
    from ablog.blog import Blog

    # Plain ABlog keeps its posts in a process-wide singleton: start it afresh.
    Blog._dict.clear()
    plain = build_site(
        tmp_path_factory.mktemp("plain"),
        root,
        buildername,
        confoverrides={**overrides, "extensions": without_ablog_ext(extensions)},
    )
    with_ext = build_site(
        tmp_path_factory.mktemp("ext"),
        root,
        buildername,
        confoverrides={**overrides, "extensions": list(extensions)},
    )
    return plain, with_ext


def without_ablog_ext(extensions: Sequence[str]) -> list[str]:
    return [name for name in extensions if name != "ablog_ext"]


def docs_with_ext(
    tmp_path: Path, overrides: dict[str, Any] | None = None, **kwargs: Any
) -> SphinxTestApp:
    """``compat-ablogdocs`` built with ablog_ext, and *overrides* of its conf.py."""
    extensions = {"extensions": [*PLAIN, "ablog_ext"]}
    return build_site(
        tmp_path, "compat-ablogdocs", confoverrides={**extensions, **(overrides or {})}, **kwargs
    )


def files(app) -> set[str]:
    out = Path(app.outdir)
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def normalised_warnings(app) -> set[str]:
    """Warnings without the build's own folder, so two builds compare."""
    return {w.replace(str(app.srcdir), "<src>") for w in warnings_of(app)}


def feed_entries(path: Path) -> tuple[str, list[tuple[str, str, str]]]:
    """A feed's title and its entries' titles, links and content as text."""
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        items = [
            (item["title"], item["url"], text_of(item.get("content_html", "")))
            for item in data["items"]
        ]
        return data["title"], items
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    items = []
    for entry in parsed.entries:
        content = entry.content[0].value if "content" in entry else entry.get("description", "")
        items.append((entry.title, entry.link, text_of(content)))
    return parsed.feed.title, items


def text_of(html: str) -> str:
    return " ".join(BeautifulSoup(html or "", "html.parser").get_text(" ").split())


@pytest.fixture(
    scope="module",
    params=[
        ("compat-ablogdocs", "html"),
        ("compat-team", "html"),
        ("compat-team", "dirhtml"),
        ("compat-ablogdocs", "dirhtml"),
        ("compat-dated-md", "html"),
        ("compat-directive-md", "html"),
    ],
)
def pair(request, tmp_path_factory):
    root, buildername = request.param
    plain, with_ext = build_pair(tmp_path_factory, root, buildername)
    return root, buildername, plain, with_ext


def test_every_file_of_the_plain_build_is_kept(pair):
    root, buildername, plain, with_ext = pair
    gone = DELIBERATELY_GONE.get((root, buildername), set())
    assert files(plain) - files(with_ext) == gone
    for path in gone:
        assert path in files(plain)  # the exception is still needed


def test_no_new_warnings(pair):
    _root, _buildername, plain, with_ext = pair
    assert normalised_warnings(with_ext) - normalised_warnings(plain) == set()


def top_level(app) -> set[str]:
    """The names at the top of the output folder (Sphinx's build info left out)."""
    return {p.name for p in Path(app.outdir).iterdir()} - {".buildinfo", ".doctrees"}


def test_no_new_top_level_folder(pair):
    """``compat-dated-md`` has Markdown posts with dated names and categories, and no
    ``ablog_ext_permalink``: it gets no Jekyll redirect folders (``update/2024/...``)."""
    _root, _buildername, plain, with_ext = pair
    assert new_top_level(plain, with_ext) == set()


def new_top_level(plain, with_ext) -> set[str]:
    """Names at the top of *with_ext*'s output that *plain*'s lacks, but for the
    sitemap and robots.txt, at the root by their protocols, when the site has a URL
    (exactly those two then)."""
    config = with_ext.config
    sitemap = {"sitemap.xml", "robots.txt"} if config.blog_baseurl or config.html_baseurl else set()
    new = top_level(with_ext) - top_level(plain)
    assert sitemap <= new
    return new - sitemap


def test_dated_markdown_posts_get_no_redirect_pages_by_default(tmp_path):
    """The same root with the style set gets its old URLs: the test above can fail."""
    app = build_site(
        tmp_path,
        "compat-dated-md",
        confoverrides={"extensions": [*PLAIN, "ablog_ext"], "ablog_ext_permalink": "date"},
    )
    assert (Path(app.outdir) / "update/2024/09/15/release-two.html").is_file()
    assert {"update", "information"} <= top_level(app)


def ablog_records(app) -> dict[str, int]:
    """How many posts ABlog recorded in each document."""
    return {docname: len(posts) for docname, posts in app.env.ablog_posts.items()}


def test_ablog_records_each_post_once(pair):
    """``compat-directive-md``'s Markdown posts use ABlog's ``post`` directive and no
    front matter: ABlog records one post each, and so it must with ablog_ext."""
    _root, _buildername, plain, with_ext = pair
    assert ablog_records(with_ext) == ablog_records(plain)


@pytest.mark.parametrize("parser", ["myst_parser", "myst_nb"])
def test_directive_posts_stay_off_the_drafts_page(tmp_path_factory, parser):
    """Read by MyST-Parser or by MyST-NB (listed first, as notebook blogs do)."""
    from ablog.blog import Blog

    builds = []
    for extensions in ([parser, "ablog"], [parser, "ablog", "ablog_ext"]):
        Blog._dict.clear()
        overrides = {"extensions": extensions, "nb_execution_mode": "off"}
        if parser == "myst_nb":
            # Named, as a MyST-NB site does: Sphinx shares its default between the
            # applications of one process, and a MyST-Parser build before left ".md" in it.
            overrides["source_suffix"] = {".rst": "restructuredtext", ".md": "myst-nb"}
        folder = tmp_path_factory.mktemp("b")
        builds.append(build_site(folder, "compat-directive-md", confoverrides=overrides))
    plain, with_ext = builds

    def listed(app) -> list[str]:
        article = main_text(read_page(Path(app.outdir), "blog/drafts.html"))
        return sorted({str(a["href"]) for a in article.select('a[href*="notes/"]')})

    assert listed(plain) == ["../notes/shelf-wash.html"]
    assert listed(with_ext) == listed(plain)


def test_a_title_written_twice_is_shown_once(tmp_path_factory):
    """Front matter ``title: X`` and a body opening with ``# X``: plain ABlog (MyST)
    shows one heading; so must ablog_ext, and the excerpt is the first paragraph (a
    second section of that name was a duplicate target, whose message was the excerpt)."""
    plain, with_ext = build_pair(tmp_path_factory, "compat-directive-md")
    for app in (plain, with_ext):
        article = main_text(read_page(Path(app.outdir), "notes/glaze-log.html"))
        found = [h.get_text(strip=True) for h in article.select("h1, h2")]
        assert found == ["Glaze log, spring batch¶"], app.outdir
        listing = read_page(Path(app.outdir), "blog.html")
        link = listing.select_one('.ablog-post-title a[href$="glaze-log.html"]')
        excerpt = link.find_parent(class_="ablog-post").select_one(".ablog-post-excerpt")
        assert excerpt.get_text(" ", strip=True).startswith("Four test tiles"), app.outdir


def test_every_ablog_feed_keeps_its_entries(pair):
    _root, _buildername, plain, with_ext = pair
    feeds = sorted(p for p in files(plain) if p.endswith(".xml"))
    assert feeds
    for name in feeds:
        title, entries = feed_entries(Path(plain.outdir, name))
        ext_title, ext_entries = feed_entries(Path(with_ext.outdir, name))
        assert ext_title == title, name
        assert [e[:2] for e in ext_entries] == [e[:2] for e in entries], name
        for (entry_title, _, content), (_, _, ext_content) in zip(
            entries, ext_entries, strict=True
        ):
            assert ext_content == content, (name, entry_title)


# -- ABlog's documentation: archive feeds, named feeds, section posts ------------------


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    return build_pair(tmp_path_factory, "compat-ablogdocs")


ARCHIVE_FEEDS = [
    "blog/2021",
    "blog/2022",
    "blog/author/mira-okafor",
    "blog/author/tomas-lind",
    "blog/location/oslo-norway",
    "blog/location/lagos-nigeria",
    "blog/location/tromsø",
    "blog/language/english",
    "blog/language/norsk-bokmal",
    "blog/category/manual",
    "blog/category/release",
    "blog/category/notes",
    "blog/tag/config",
    "blog/tag/travel",
]


def test_archive_feeds_and_named_feeds_in_every_format(docs):
    plain, with_ext = docs
    written = files(with_ext)
    for folder in ["blog", *ARCHIVE_FEEDS]:
        for name in (
            "atom.xml",
            "rss.xml",
            "feed.json",
            "social.xml",
            "social-rss.xml",
            "social.json",
        ):
            assert f"{folder}/{name}" in written, f"{folder}/{name}"
        # ABlog writes the same two Atom files.
        assert {f"{folder}/atom.xml", f"{folder}/social.xml"} <= files(plain)


@pytest.mark.parametrize("name", ["social.xml", "social-rss.xml", "social.json"])
def test_named_feed_templates_in_every_format(docs, name):
    _plain, with_ext = docs
    title, entries = feed_entries(Path(with_ext.outdir, "blog/tag/travel", name))
    assert title == "Lantern - Posts tagged travel"
    assert [(t, c) for t, _, c in entries] == [
        (
            "New: Second crossing",
            "Second crossing: https://lantern.example.org/notes/crossings.html#second-crossing",
        ),
        (
            "New: First crossing",
            "First crossing: https://lantern.example.org/notes/crossings.html#first-crossing",
        ),
    ]


@pytest.mark.parametrize("name", ["atom.xml", "rss.xml", "feed.json"])
def test_default_feed_content_template_in_every_format(docs, name):
    _plain, with_ext = docs
    _title, entries = feed_entries(Path(with_ext.outdir, "blog", name))
    assert ("Lantern 2.0", "Lantern 2.0 #release #feeds") in [(t, c) for t, _, c in entries]


@pytest.mark.parametrize("name", ["atom.xml", "rss.xml", "feed.json"])
def test_section_posts_each_in_every_feed(docs, name):
    _plain, with_ext = docs
    expected = [
        ("Second crossing", "https://lantern.example.org/notes/crossings.html#second-crossing"),
        ("First crossing", "https://lantern.example.org/notes/crossings.html#first-crossing"),
    ]
    for folder in ("blog", "blog/category/notes", "blog/tag/travel", "blog/2021"):
        _title, entries = feed_entries(Path(with_ext.outdir, folder, name))
        links = [(t, link) for t, link, _ in entries]
        assert [each for each in links if "crossings" in each[1]] == expected, folder
    _title, entries = feed_entries(Path(with_ext.outdir, "blog/author/mira-okafor", name))
    assert ("Second crossing", expected[0][1]) in [(t, link) for t, link, _ in entries]
    assert "First crossing" not in [t for t, _, _ in entries]


def test_section_posts_are_listed_posts(docs):
    from ablog_ext.blog.queries import listed_posts

    _plain, with_ext = docs
    crossings = [p for p in listed_posts(with_ext.env) if p.docname == "notes/crossings"]
    assert [(p.title, p.section, p.categories, p.authors) for p in crossings] == [
        ("First crossing", "first-crossing", ("Notes",), ("Tomas",)),
        ("Second crossing", "second-crossing", ("Notes",), ("Mira",)),
    ]
    assert all(p.words > 0 for p in crossings)


def test_parallel_build_writes_the_same_feeds(docs, tmp_path):
    """Section posts are recorded in the worker that reads them, then merged."""
    _plain, serial = docs
    parallel = docs_with_ext(tmp_path, parallel=2)
    feeds = sorted(p for p in files(serial) if re.search(r"\.(xml|json)$", p))
    assert feeds == sorted(p for p in files(parallel) if re.search(r"\.(xml|json)$", p))
    for name in feeds:
        assert Path(parallel.outdir, name).read_bytes() == Path(serial.outdir, name).read_bytes()


def test_options_only_add(tmp_path):
    """ablog_ext's own options add formats and archive kinds; ABlog's files stay."""
    app = docs_with_ext(
        tmp_path,
        {
            "ablog_ext_feed_formats": ["json"],
            "ablog_ext_feed_archives": ["theme"],
        },
    )
    written = files(app)
    for folder in ["blog", *ARCHIVE_FEEDS]:
        assert {f"{folder}/atom.xml", f"{folder}/social.xml", f"{folder}/feed.json"} <= written
        assert f"{folder}/rss.xml" not in written


def test_ablog_ext_archive_kinds_without_blog_feed_archives(tmp_path):
    app = docs_with_ext(
        tmp_path,
        {
            "blog_feed_archives": False,
            "ablog_ext_feed_archives": ["location", "language"],
            "ablog_ext_feed_formats": ["rss"],
        },
    )
    assert "sitemap.xml" in files(app)
    feeds = {p for p in files(app) if re.search(r"\.(xml|json)$", p)} - {"sitemap.xml"}
    assert feeds == {
        f"{folder}/{name}"
        for folder in [
            "blog",
            "blog/location/oslo-norway",
            "blog/location/lagos-nigeria",
            "blog/location/tromsø",
            "blog/language/english",
            "blog/language/norsk-bokmal",
        ]
        for name in ("rss.xml", "social-rss.xml")
    } | {"blog/atom.xml", "blog/social.xml"}
    title, entries = feed_entries(Path(app.outdir, "blog/location/oslo-norway/rss.xml"))
    assert title == "Lantern - Posts from Oslo, Norway"
    assert [t for t, _, _ in entries] == [
        "Lantern 2.0",
        "Second crossing",
        "Om oversettelser",
        "Setting up Lantern",
    ]


def test_titles_only_length_and_subtitle(tmp_path):
    app = docs_with_ext(
        tmp_path,
        {
            "blog_feed_titles": True,
            "blog_feed_templates": {"atom": {}},
            "blog_feed_length": 2,
            "blog_feed_subtitle": "Paths, lit",
        },
    )
    for name in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse(Path(app.outdir, "blog", name).read_bytes())
        assert parsed.feed.subtitle == "Paths, lit"
        assert [e.title for e in parsed.entries] == ["Lantern 2.0", "Lantern 1.0"]
        for entry in parsed.entries:
            assert "content" not in entry
            assert "The second release" in entry.summary or "first release" in entry.summary
    data = json.loads(Path(app.outdir, "blog/feed.json").read_text(encoding="utf-8"))
    assert data["description"] == "Paths, lit"
    assert len(data["items"]) == 2
    assert all("content_html" not in item for item in data["items"])


def test_bad_feed_templates_warn(tmp_path):
    app = docs_with_ext(
        tmp_path,
        {
            "blog_feed_templates": {
                "atom": {"content": "{% for %}"},
                "../up": {},
                "rss": {},
                "bot": {"title": "{{ post.no_such.attribute }}", "body": "x"},
            },
        },
    )
    found = warnings_of(app)
    assert any("blog_feed_templates['atom']['content'] is not a valid template" in w for w in found)
    assert any("blog_feed_templates: '../up' is not a feed file name" in w for w in found)
    assert any("blog_feed_templates['bot']['body']" in w for w in found)
    # ABlog's feed named "rss" keeps its name; ablog_ext's RSS file would be the same.
    assert any("the RSS file of the feed 'atom' would be rss.xml" in w for w in found)
    assert any("blog_feed_templates['bot']['title'] failed" in w for w in found)
    rss = feedparser.parse(Path(app.outdir, "blog/rss.xml").read_bytes())
    assert rss.version.startswith("atom")  # ABlog's Atom feed named "rss"
    bot = feedparser.parse(Path(app.outdir, "blog/bot.xml").read_bytes())
    assert bot.entries[0].title == "Lantern 2.0"  # the post's own title, as a fallback


# -- Empty names -------------------------------------------------------------------------


def test_empty_names_make_no_page_and_no_feed(tmp_path):
    app = build_site(tmp_path, "compat-empty-names")
    written = files(app)
    for kind in ("category", "tag", "author", "location", "language"):
        for name in (".html", "atom.xml", "rss.xml", "feed.json", "index.html"):
            assert f"blog/{kind}/{name}" not in written
    assert not [p for p in written if re.search(r"(^|/)\.html$|//", p)]
    for tag in ("alpha", "beta", "gamma"):
        assert f"blog/tag/{tag}.html" in written
        assert f"blog/tag/{tag}/atom.xml" in written
    for posts in app.env.ablog_posts.values():
        for info in posts:
            for key in ("tags", "author", "category", "location", "language"):
                assert all(str(name).strip() for name in info[key]), (info["docname"], key)
    found = warnings_of(app)
    assert len(found) == 1
    assert "posts/punctuation.rst:4" in found[0]
    assert "tag '???' left out" in found[0]


# -- Shapes of real sites ---------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """A shape of real ABlog sites: a root built plain and with ablog_ext."""

    #: ``roots/test-<root>``.
    root: str
    #: A post to touch for an incremental build.
    touch: str
    #: Configuration values of both builds, over the root's conf.py.
    overrides: Mapping[str, Any] = field(default_factory=dict)
    #: The ablog_ext build's extensions, in order; the plain build's are the same
    #: without ``ablog_ext``.
    extensions: Sequence[str] = WITH_EXT
    builders: Sequence[str] = ("html",)
    #: The test id, if not the root's name.
    name: str = ""
    #: Marks of its tests (``pytest.mark.book_theme``: see ``noxfile.py``).
    marks: Sequence[pytest.MarkDecorator] = ()

    def confoverrides(self) -> dict[str, Any]:
        """The ablog_ext build's configuration overrides."""
        return {**self.overrides, "extensions": list(self.extensions)}


def on_theme(theme: str, name: str, *marks: pytest.MarkDecorator) -> Shape:
    """``theme-looks`` (every ABlog sidebar, a postlist with excerpts) on *theme*."""
    return Shape("theme-looks", "posts/first.rst", {"html_theme": theme}, name=name, marks=marks)


#: One line per shape: links at every depth, a document at ``blog_path``, a theme
#: that changes the configuration at build time, notebook posts with MyST-NB listed
#: before ablog_ext, each theme.
SHAPES = [
    Shape("nested-excerpts", "posts/2024/entrance.rst", builders=("html", "dirhtml")),
    Shape("blog-path-document", "posts/slate.rst"),
    Shape("late-config", "posts/2025-01-18-salt.md", {}, (*PLAIN, "late_config", "ablog_ext")),
    Shape(
        "notebook-posts",
        "posts/2024-03-09-spring-tides.ipynb",
        extensions=("myst_nb", "ablog", "ablog_ext"),
        builders=("html", "dirhtml"),
    ),
    on_theme("alabaster", "alabaster"),
    on_theme("furo", "furo"),
    # Its setup changes Sphinx's default templates_path: see helpers.sphinx_defaults_kept.
    on_theme("pydata_sphinx_theme", "pydata-sphinx-theme"),
    on_theme("sphinx_book_theme", "sphinx-book-theme", pytest.mark.book_theme),
]


@pytest.fixture(scope="module")
def shape_builds(tmp_path_factory):
    """Each of :data:`SHAPES` built plain and with ablog_ext by a builder, when first
    asked."""
    built: dict[tuple[str, str], Any] = {}

    def get(shape: Shape, buildername: str = "html") -> Any:
        key = (shape.name or shape.root, buildername)
        if key not in built:
            built[key] = build_pair(
                tmp_path_factory, shape.root, buildername, shape.extensions, **shape.overrides
            )
        return built[key]

    return get


@pytest.fixture(
    params=[
        pytest.param(
            (shape, builder), id=f"{shape.name or shape.root}-{builder}", marks=shape.marks
        )
        for shape in SHAPES
        for builder in shape.builders
    ]
)
def shape(request, shape_builds):
    shape, buildername = request.param
    plain, with_ext = shape_builds(shape, buildername)
    return shape, plain, with_ext


@pytest.fixture
def nested(shape_builds):
    return shape_builds(SHAPES[0])


def test_shape_keeps_every_plain_file(shape):
    _shape, plain, with_ext = shape
    assert files(plain) - files(with_ext) == set()


def test_shape_has_no_new_broken_link(shape):
    _shape, plain, with_ext = shape
    plain_broken = broken_links(Path(plain.outdir))
    assert broken_links(Path(with_ext.outdir)) - plain_broken == set()


def test_shape_has_no_new_top_level_folder(shape):
    _shape, plain, with_ext = shape
    assert new_top_level(plain, with_ext) == set()


def test_shape_incremental_build_equals_clean_build(shape, tmp_path):
    shape, _plain, with_ext = shape
    srcdir = Path(with_ext.srcdir)
    clean = html_files(Path(with_ext.outdir))
    overrides = shape.confoverrides()
    buildername = with_ext.builder.name
    build_dir(srcdir, buildername, confoverrides=overrides)  # nothing changed
    assert html_files(Path(with_ext.outdir)) == clean
    post = srcdir / shape.touch
    post.write_text(post.read_text(encoding="utf-8"), encoding="utf-8")
    written, _outdir = rebuild(srcdir, buildername=buildername, confoverrides=overrides)
    assert any(page.startswith(shape.touch.rsplit(".", 1)[0]) for page in written), written
    again = html_files(Path(with_ext.outdir))
    assert sorted(again) == sorted(clean)
    assert [page for page in clean if again[page] != clean[page]] == []
    # Its feeds too, against a clean build of a copy of the same sources.
    differences = equals_clean_build(
        srcdir, tmp_path, buildername=buildername, confoverrides=overrides
    )
    assert differences == ""


def _excerpt_links(outdir: Path, page: str) -> set[str]:
    """The links and image sources in the excerpts *page* shows."""
    found = set()
    for excerpt in read_page(outdir, page).select(".ablog-post-excerpt"):
        for tag in [excerpt, *excerpt.find_all(["a", "img"])]:
            found |= {str(tag[name]) for name in ("href", "src") if tag.has_attr(name)}
    return found


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "blog.html",
        "section/guide.html",
        "blog/2024.html",
        "section/deeper/shelf.html",
        "blog/tag/tunnels.html",
    ],
)
def test_excerpt_links_are_relative_to_the_page_that_shows_them(nested, page):
    """A post two folders down links ``/about`` as ``about.html`` from the top page,
    as plain ABlog does (it once showed ``../../about.html`` there, resolved for the
    post's own page), its image from ``_images/`` (not from its source), and each
    link plain ABlog makes, and more: ``:doc:`` targets relative to the post."""
    plain, with_ext = nested
    links = _excerpt_links(Path(with_ext.outdir), page)
    here = posixpath.dirname(page) or "."
    wanted = [
        posixpath.relpath(target, here) + anchor
        for target, anchor in [
            ("about.html", ""),
            ("about.html", "#burrow-keepers"),
            ("_images/lamp.png", ""),
            ("section/guide.html", "#tunnel-guide"),
        ]
    ]
    # On the guide itself, the link to its label is the label's anchor.
    wanted = [
        link.replace("guide.html#", "#") if page.endswith("/guide.html") else link
        for link in wanted
    ]
    for link in wanted:
        assert link in links, (page, link, sorted(links))
    assert not [link for link in links if "../../../" in link]
    assert not [link for link in links if link.endswith(".png") and "_images/" not in link]
    # A :doc: target relative to the post (`chambers`, next to it) links there;
    # plain ABlog looks for it next to the page, warns, and shows text.
    assert posixpath.relpath("posts/2024/chambers.html", here) in links
    assert _excerpt_links(Path(plain.outdir), page) <= links


@pytest.mark.parametrize("fresh", [False, True])
def test_a_document_at_blog_path_keeps_all_posts(tmp_path, fresh):
    """``blog.rst`` (a heading only) where ABlog writes its page of all posts: ABlog's
    page is written after it, in a clean build and after ``blog.rst`` is read again
    (touched, or ``-E``), as in plain ABlog; ablog_ext used to keep its last
    generated page and leave the document's empty one."""
    from ablog.blog import Blog

    Blog._dict.clear()
    plain = build_site(tmp_path / "plain", "blog-path-document")
    srcdir = copy_root(tmp_path / "ext", "blog-path-document")
    # Without the reading times ablog_ext adds to the entries: the text is plain ABlog's.
    extensions = {"extensions": [*PLAIN, "ablog_ext"], "ablog_ext_reading_time": False}
    builds = [build_dir(srcdir, confoverrides=extensions)]
    (srcdir / "blog.rst").write_text("Quarry blog\n===========\n", encoding="utf-8")
    builds.append(build_dir(srcdir, confoverrides=extensions, freshenv=fresh))
    wanted = _page_text(Path(plain.outdir), "blog.html")
    assert "All Posts" in wanted and "Granite" in wanted
    for app in builds:
        assert _page_text(Path(app.outdir), "blog.html") == wanted


def _page_text(outdir: Path, page: str) -> str:
    return " ".join(main_text(read_page(outdir, page)).get_text(" ").split())


def test_liquid_and_kramdown_only_on_sites_that_ask(tmp_path_factory):
    # A site that was never a Jekyll site writes `${{ }}` in a code block and raw HTML
    # blocks as MyST reads them: ablog_ext keeps both as plain ABlog shows them.
    post = (
        "---\ntitle: Deploy notes\ndate: 2024-02-02\n---\n\nThe workflow:\n\n"
        "```yaml\nenv:\n  USER: ${{ secrets.USER }}\n  TAG: {% raw %}x{% endraw %}\n```\n\n"
        '<a class="card" role="button" href="https://example.org/">\n'
        "   It's a card, indented\n</a>\n\nAfter the card.\n"
    )
    pages = []
    for extensions in (PLAIN, WITH_EXT):
        srcdir = write_files(
            tmp_path_factory.mktemp("never-jekyll"),
            {
                "conf.py": 'blog_post_pattern = "posts/*"\nexclude_patterns = ["_build"]\n',
                "index.md": "# Notes\n\n```{postlist}\n```\n",
                "posts/deploy.md": post,
            },
        )
        app = build_dir(srcdir, confoverrides={"extensions": list(extensions)})
        pages.append(read_page(Path(app.outdir), "posts/deploy.html"))
    plain, with_ext = pages
    assert with_ext.select_one("pre").get_text() == plain.select_one("pre").get_text()
    assert "${{ secrets.USER }}" in with_ext.select_one("pre").get_text()
    assert str(with_ext.select_one("a.card")) == str(plain.select_one("a.card"))


@pytest.mark.parametrize("jekyll", [False, True])
def test_tags_with_spaces_as_the_site_reads_them(tmp_path_factory, jekyll):
    # ABlog reads `tags: python colormaps` as one tag (a real blog has that tag's
    # page); Jekyll as two, which a site from Jekyll asks for.
    srcdir = write_files(
        tmp_path_factory.mktemp("tags"),
        {
            "conf.py": 'blog_post_pattern = "posts/*"\nexclude_patterns = ["_build"]\n',
            "index.md": "# Notes\n",
            "posts/colours.md": "---\ntitle: Colours\ndate: 2024-02-02\n"
            "tags: python colormaps\n---\n\nA palette.\n",
        },
    )
    overrides = {"extensions": list(WITH_EXT), "ablog_ext_space_separated_tags": jekyll}
    app = build_dir(srcdir, confoverrides=overrides)
    tags = sorted(str(tag) for tag in app.env.ablog_posts["posts/colours"][0]["tags"])
    assert tags == (["colormaps", "python"] if jekyll else ["python colormaps"])
    page = "python.html" if jekyll else "python-colormaps.html"
    assert Path(app.outdir, "blog", "tag", page).is_file()
