"""Reading time, related posts and series on posts' pages, in real builds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest

from ablog_ext.blog.queries import Post
from ablog_ext.pages.post_extras import reading_minutes
from ablog_ext.pages.related import rank_related

import helpers
from helpers import build_dir, copy_root, read_page


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("post-extras")


def extras(app, page: str):
    return read_page(Path(app.outdir), f"{page}.html")


def reading_time(soup) -> str | None:
    found = soup.select_one("p.ablog-ext-reading-time")
    return found.get_text() if found else None


def related(soup) -> list[str]:
    return [a.get_text() for a in soup.select(".ablog-ext-related-posts a")]


def series_posts(soup) -> list[str]:
    return [li.get_text(" ", strip=True) for li in soup.select(".ablog-ext-series-posts li")]


# -- reading time -------------------------------------------------------------------------


def test_reading_minutes_round_up():
    assert [reading_minutes(words, 200) for words in (0, 1, 200, 201, 400, 401)] == [
        1,
        1,
        1,
        2,
        2,
        3,
    ]


def test_reading_time_from_the_review_word_count(built):
    # 100 words a minute (conf.py); the posts' bodies hold 250, 101, 100 and 0 words.
    times = {
        page: reading_time(extras(built, f"posts/{page}"))
        for page in ("intro", "themes", "setup", "cooking", "python")
    }
    assert times == {
        "intro": "3 min read",
        "themes": "2 min read",
        "setup": "1 min read",
        "cooking": "1 min read",
        "python": "4 min read",
    }
    domain = built.env.domains["ablog_ext"]
    assert domain.posts["posts/intro"]["words"] == 250


def test_reading_time_is_under_the_title(built):
    title = extras(built, "posts/intro").select_one("section > h1")
    following = title.find_next_sibling()
    assert following is not None and "ablog-ext-reading-time" in following["class"]


def test_reading_time_and_related_off(tmp_path):
    src = copy_root(tmp_path, "post-extras")
    app = build_dir(
        src, confoverrides={"ablog_ext_reading_time": False, "ablog_ext_related_posts": 0}
    )
    page = read_page(Path(app.outdir), "posts/intro.html")
    assert reading_time(page) is None
    assert page.select(".ablog-ext-related") == []
    assert series_posts(page)  # the series box stays


def test_french_words(tmp_path):
    src = copy_root(tmp_path, "post-extras")
    app = build_dir(src, confoverrides={"language": "fr"})
    page = read_page(Path(app.outdir), "posts/setup.html")
    assert reading_time(page) == "1 min de lecture"
    assert page.select_one(".ablog-ext-related-title").get_text() == "Articles connexes"
    assert page.select_one(".ablog-ext-series-part").get_text(strip=True) == "(partie 2 sur 3)"
    assert page.select_one(".ablog-ext-series-prev").get_text(strip=True) == "Précédent :"


def test_bad_options_warn_and_fall_back(tmp_path):
    src = copy_root(tmp_path, "post-extras")
    app = build_dir(
        src, confoverrides={"ablog_ext_words_per_minute": 0, "ablog_ext_related_posts": -1}
    )
    text = "\n".join(helpers.warnings_of(app))
    assert "ablog_ext_words_per_minute should be a whole number above 0, not 0" in text
    assert "ablog_ext_related_posts should be a whole number 0 or above, not -1" in text
    assert reading_time(read_page(Path(app.outdir), "posts/intro.html")) == "2 min read"


# -- related posts ------------------------------------------------------------------------


def test_related_ranked_by_weights_then_recency(built):
    # intro: sphinx, python / docs.  python shares both tags (200); setup (sphinx +
    # docs), solo and packaging (python + docs) 150 each: the newer first.
    assert related(extras(built, "posts/intro")) == ["Python tips", "Setting up", "A single part"]
    assert related(extras(built, "posts/solo")) == ["Getting started", "Packaging", "Python tips"]


def test_related_posts_end_a_post_of_several_top_level_parts(tmp_path):
    # The body opens with the title, then a second level-one heading: two
    # top-level sections; the related posts come after the second.
    src = copy_root(tmp_path, "post-extras")
    helpers.write_files(
        src,
        {
            "posts/parts.md": "---\ntitle: Two parts\ndate: 2024-02-10\n"
            "tags: [python, sphinx]\ncategory: other\n---\n\n# Two parts\n\n"
            "The first part.\n\n# The second part\n\nThe end of the post.\n"
        },
    )
    app = build_dir(src)
    page = read_page(Path(app.outdir), "posts/parts.html")
    box = page.select_one(".ablog-ext-related")
    assert box is not None and related(page)
    assert box.find_next(string=re.compile("The end of the post")) is None
    assert box.find_previous(string=re.compile("The end of the post")) is not None


def test_boxes_stay_out_of_the_search_index(built):
    """A post is no search result for the titles its related posts and series box
    list, nor for its reading time's words."""
    text = (Path(built.outdir) / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])

    def pages_with(term: str) -> set[str]:
        found = index["terms"].get(term, [])
        return {index["docnames"][i] for i in ([found] if isinstance(found, int) else found)}

    # "Choosing a theme" is in the series box of intro and setup; "Python tips" in
    # intro's related posts; "1 min read" on every post.  (The index page's toctree
    # lists every title.)
    assert "Choosing a theme" in " ".join(series_posts(extras(built, "posts/setup")))
    assert "Python tips" in related(extras(built, "posts/intro"))
    assert pages_with("choos") & {"posts/intro", "posts/setup"} == set()
    assert "posts/intro" not in pages_with("tip")
    assert pages_with("min") == set()
    # The posts' own words are still found.
    assert "posts/intro" in pages_with("word")


def test_no_related_section_without_shared_names(built):
    assert extras(built, "posts/cooking").select(".ablog-ext-related") == []


def test_rank_related_is_deterministic_and_limited():
    import datetime as dt

    def post(key, tags, categories=(), day=1):
        return Post(key, key, dt.datetime(2024, 1, day), dt.datetime(2024, 1, day), None,
                    tuple(categories), tuple(tags), (), 0)  # fmt: skip

    posts = [
        post("a", ["x", "y"], ["c"]),
        post("b", ["X"], day=2),
        post("c", ["y"], day=2),
        post("d", [], ["c"], day=3),
        post("e", ["z"]),
    ]
    table = rank_related(posts, 2)
    assert [p.key for p in table["a"]] == ["b", "c"]  # 100 each; same day: by name
    assert [p.key for p in table["d"]] == ["a"]
    assert table["e"] == ()
    assert rank_related(list(reversed(posts)), 2) == table
    assert rank_related(posts, 0) == {}


def test_rank_related_as_scored_one_by_one():
    """The ranking (an index, counted at C speed) gives what scoring every pair
    gives: the weights summed over shared names (without case), highest first, then
    newest, then by name; ties and names that differ only in case included."""
    import datetime as dt
    import random

    from ablog_ext.pages.related import CATEGORY_WEIGHT, TAG_WEIGHT

    def names(values):
        return {value.casefold() for value in values if value.strip()}

    def reference(posts, limit):
        table = {}
        for post in posts:
            scored = []
            for other in posts:
                if other.key == post.key:
                    continue
                score = TAG_WEIGHT * len(names(post.tags) & names(other.tags))
                score += CATEGORY_WEIGHT * len(names(post.categories) & names(other.categories))
                if score:
                    scored.append((-score, -other.date.timestamp(), other.key, other))
            table[post.key] = tuple(entry[3] for entry in sorted(scored)[:limit])
        return table

    rng = random.Random(21)
    for _ in range(200):
        posts = [
            Post(f"p{i}", "t", dt.datetime(2024, 1, rng.randint(1, 4)),
                 dt.datetime(2024, 1, 1), None,
                 tuple(rng.sample(["A", "a", "b", "c"], rng.randint(0, 2))),
                 tuple(rng.sample(["x", "X", "y", "z", " "], rng.randint(0, 3))), (), 0)
            for i in range(rng.randint(1, 30))
        ]  # fmt: skip
        for limit in (1, 3, 5):
            assert rank_related(posts, limit) == reference(posts, limit)


def test_tag_edit_rewrites_other_posts_as_a_clean_build(tmp_path):
    src = copy_root(tmp_path, "post-extras")
    build_dir(src)
    # cooking now shares "python" and "sphinx": it ranks first for intro (200,
    # newer than python? no: python is newer, so second), and leaves solo's list.
    helpers.edit(src / "posts" / "cooking.md", "tags: [food]", "tags: [python, sphinx, food]")
    written, outdir = helpers.rebuild(src)
    page = read_page(outdir, "posts/intro.html")
    assert related(page) == ["Python tips", "Bread", "Setting up"]
    assert "posts/intro.html" in written
    assert "posts/themes.html" in written
    assert helpers.equals_clean_build(src, tmp_path) == ""
    # And back: the lists return to what they were.
    helpers.edit(src / "posts" / "cooking.md", "tags: [python, sphinx, food]", "tags: [food]")
    helpers.rebuild(src)
    assert related(read_page(outdir, "posts/intro.html")) == [
        "Python tips",
        "Setting up",
        "A single part",
    ]
    assert helpers.equals_clean_build(src, tmp_path) == ""


def test_unrelated_edit_leaves_other_posts_alone(tmp_path):
    src = copy_root(tmp_path, "post-extras")
    build_dir(src)
    helpers.edit(src / "posts" / "python.md", "word word", "Word word")  # a body edit
    written, _ = helpers.rebuild(src)
    assert "posts/intro.html" not in written


# -- series -------------------------------------------------------------------------------


def test_series_in_order_with_current_marked(built):
    page = extras(built, "posts/setup")
    # series_order 1 and 2 first; the post without one after them, by date.
    assert series_posts(page) == [
        "Getting started",
        "Setting up (this post)",
        "Choosing a theme",
    ]
    assert "ablog-ext-series-current" in page.select(".ablog-ext-series-posts li")[1]["class"]
    nav = page.select_one(".ablog-ext-series-nav")
    assert [a["href"] for a in nav.select("a")] == ["intro.html", "themes.html"]
    link = page.select_one(".ablog-ext-series-title a")
    assert link["href"] == "../blog/series/learning-sphinx.html"


def test_series_ends_and_single_post(built):
    first = extras(built, "posts/intro").select_one(".ablog-ext-series-nav")
    assert [a.get_text() for a in first.select("a")] == ["Setting up"]
    assert first.select(".ablog-ext-series-prev") == []
    last = extras(built, "posts/themes").select_one(".ablog-ext-series-nav")
    assert [a.get_text() for a in last.select("a")] == ["Setting up"]
    assert last.select(".ablog-ext-series-next") == []
    solo = extras(built, "posts/solo")
    assert series_posts(solo) == ["A single part (this post)"]
    assert solo.select(".ablog-ext-series-nav") == []
    assert extras(built, "posts/python").select(".ablog-ext-series") == []


def test_series_pages_and_feeds(built):
    outdir = Path(built.outdir)
    page = read_page(outdir, "blog/series/learning-sphinx.html")
    items = page.select(".ablog-ext-series-posts li a")
    assert [a.get_text() for a in items] == ["Getting started", "Setting up", "Choosing a theme"]
    assert (outdir / "blog/series" / items[0]["href"]).resolve() == (
        outdir / "posts/intro.html"
    ).resolve()
    index = read_page(outdir, "blog/series.html")
    assert [li.get_text(strip=True) for li in index.select(".ablog-ext-series-index li")] == [
        "Learning Sphinx(3)",
        "One Off(1)",
    ]
    feed = feedparser.parse((outdir / "blog/series/learning-sphinx/atom.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.feed.title == "Blog - Series: Learning Sphinx"
    assert sorted(entry.title for entry in feed.entries) == [
        "Choosing a theme",
        "Getting started",
        "Setting up",
    ]


def test_no_series_no_pages(tmp_path):
    src = helpers.write_files(
        tmp_path / "plain",
        {
            "conf.py": 'extensions = ["ablog_ext"]\nblog_post_pattern = ["posts/*.md"]\n'
            'exclude_patterns = ["_build"]\n',
            "index.md": "# Plain\n\n```{toctree}\n:glob:\nposts/*\n```\n",
            "posts/one.md": "---\ntitle: One\ndate: 2024-01-01\n---\n\nText.\n",
        },
    )
    app = build_dir(src)
    outdir = Path(app.outdir)
    assert not (outdir / "blog" / "series.html").exists()
    assert read_page(outdir, "posts/one.html").select(".ablog-ext-series") == []


def test_series_edit_rewrites_the_series_as_a_clean_build(tmp_path):
    src = copy_root(tmp_path, "post-extras")
    build_dir(src)
    helpers.edit(
        src / "posts" / "python.md",
        "category: other\n",
        "category: other\nseries: Learning Sphinx\n",
    )
    written, outdir = helpers.rebuild(src)
    assert series_posts(read_page(outdir, "posts/intro.html"))[-1] == "Python tips"
    assert "posts/setup.html" in written
    assert helpers.equals_clean_build(src, tmp_path) == ""


def test_bad_series_order_warns_with_its_line(tmp_path):
    src = copy_root(tmp_path, "post-extras")
    helpers.edit(src / "posts" / "setup.md", "series_order: 2", "series_order: second")
    app = build_dir(src)
    found = [w for w in helpers.warnings_of(app) if "series_order" in w]
    assert len(found) == 1
    assert "setup.md:7" in found[0]
    assert "'series_order' should be a whole number, not 'second'" in found[0]


@pytest.mark.parametrize("written", ['"--2"', '"²"'])
def test_an_odd_series_order_warns_and_does_not_stop_the_build(tmp_path, written):
    # Text that looks like digits but that int() does not read.
    src = copy_root(tmp_path, "post-extras")
    helpers.edit(src / "posts" / "setup.md", "series_order: 2", f"series_order: {written}")
    app = build_dir(src)
    found = [w for w in helpers.warnings_of(app) if "series_order" in w]
    assert len(found) == 1
    assert "setup.md:7" in found[0]
    assert "'series_order' should be a whole number" in found[0]
    assert series_posts(read_page(Path(app.outdir), "posts/setup.html"))


# -- reading time in archive entries --------------------------------------------------------


def entry_times(outdir: Path, page: str) -> dict[str, str]:
    """``{post title: reading time}`` of the entries of an archive page."""
    soup = read_page(outdir, page)
    result = {}
    for entry in soup.select("div.ablog-post"):
        time = entry.select_one(".ablog-ext-reading-time")
        result[entry.select_one(".ablog-post-title").get_text(strip=True)] = (
            time.get_text() if time else None
        )
    return result


def test_archive_entries_show_reading_time(built):
    assert entry_times(Path(built.outdir), "blog/category/docs.html") == {
        "Setting up": "1 min read",
        "A single part": "1 min read",
        "Getting started": "3 min read",
        "Packaging": "1 min read",
    }


def test_archive_entries_without_reading_time(tmp_path):
    src = copy_root(tmp_path, "post-extras")
    app = build_dir(src, confoverrides={"ablog_ext_reading_time": False})
    assert set(entry_times(Path(app.outdir), "blog/category/docs.html").values()) == {None}


def test_longer_post_rewrites_its_archive_entries_as_a_clean_build(tmp_path):
    src = copy_root(tmp_path, "post-extras")
    build_dir(src)
    # Words added below the excerpt: the excerpt is the same, the reading time not.
    longer = "\n\n" + " ".join(["more"] * 300) + "\n"
    path = src / "posts" / "packaging.md"
    path.write_text(path.read_text(encoding="utf-8") + longer, encoding="utf-8")
    written, outdir = helpers.rebuild(src)
    assert entry_times(outdir, "blog/category/docs.html")["Packaging"] == "4 min read"
    assert "blog/category/docs.html" in written
    assert helpers.equals_clean_build(src, tmp_path) == ""
