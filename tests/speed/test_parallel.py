"""``sphinx-build -j``: the same site as a serial build, byte for byte, and an
environment no bigger than a serial build's.

The site has enough documents for Sphinx to read them in several chunks (one
process each, forked from the main process after the chunks before them were
merged), so what a later worker sends back is tested, not only the first two.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from sphinx.util.parallel import make_chunks

from ablog_ext.reading.post_doctree import PostDoctree, ablog_env_posts

from helpers import build_dir, copy_root

#: Extra posts, so that ``-j 2`` reads the site in at least three chunks.
EXTRA_POSTS = 30
CATEGORIES = ("Career", "Engineering", "Notes")
THEMES = ("Startup", "Leadership", "Writing")


def extra_post(number: int) -> str:
    """A post with what ablog_ext reads: front matter, an excerpt separator,
    sections, a theme passage, Liquid, and (for some) MyST options of its own."""
    category = CATEGORIES[number % len(CATEGORIES)]
    myst = "myst:\n  enable_extensions: [colon_fence, deflist]\n" if number % 7 == 0 else ""
    return (
        f"---\ntitle: Extra post {number}\ncategory: {category}\n"
        f"tags: [extra, t{number % 4}]\n{myst}---\n\n"
        f"The opening of {{{{ page.title }}}}, with a [link](https://example.org/{number}).\n\n"
        "<!--more-->\n\n"
        f"## Part one\n\nMore words about post {number}.\n\n"
        f":::{{theme}} {THEMES[number % len(THEMES)]}\nA passage of post {number}.\n:::\n\n"
        "## Part two\n\n- a list\n- of *items*\n"
    )


def parallel_site(tmp_path: Path, name: str) -> Path:
    srcdir = copy_root(tmp_path / name, "review")
    for number in range(EXTRA_POSTS):
        month, day = number % 12 + 1, number % 27 + 1
        path = srcdir / "posts" / f"2021-{month:02d}-{day:02d}-extra-{number:02d}.md"
        path.write_text(extra_post(number), encoding="utf-8")
    return srcdir


OVERRIDES = {
    "blog_feed_fulltext": True,
    "ablog_ext_feed_formats": ["atom", "rss", "json"],
    "ablog_ext_feed_archives": ["category", "tag", "theme"],
}


def every_file(outdir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The site built serially and with ``-j 2``, at the same fixed time."""
    tmp_path = tmp_path_factory.mktemp("parallel")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        serial = build_dir(parallel_site(tmp_path, "serial"), confoverrides=OVERRIDES)
        parallel = build_dir(
            parallel_site(tmp_path, "parallel"), confoverrides=OVERRIDES, parallel=2
        )
    return serial, parallel


def test_the_site_is_read_in_several_chunks(builds):
    serial, _ = builds
    assert len(make_chunks(sorted(serial.env.found_docs), 2)) >= 3


def test_a_parallel_build_equals_a_serial_one_byte_for_byte(builds):
    serial, parallel = builds
    assert parallel.warning.getvalue() == serial.warning.getvalue() == ""
    expected, got = every_file(Path(serial.outdir)), every_file(Path(parallel.outdir))
    assert sorted(got) == sorted(expected)
    assert any(name.endswith("atom.xml") for name in got)
    assert any(name.startswith("blog/theme/") for name in got)
    differing = [name for name in expected if expected[name] != got[name]]
    assert differing == []


def environment_pickle(app) -> Path:
    return Path(app.doctreedir) / "environment.pickle"


def test_a_parallel_environment_is_as_small_as_a_serial_one(builds):
    """Each worker sends back its own posts only, and the merged posts keep no
    link to the environment that read them."""
    serial, parallel = builds
    serial_size = environment_pickle(serial).stat().st_size
    parallel_size = environment_pickle(parallel).stat().st_size
    assert parallel_size <= 1.2 * serial_size, (parallel_size, serial_size)


def test_ablog_keeps_no_copy_of_each_post_in_the_environment(builds):
    for app in builds:
        with environment_pickle(app).open("rb") as file:
            env = pickle.load(file)
        posts = ablog_env_posts(env)
        assert len(posts) > EXTRA_POSTS
        for infos in posts.values():
            for info in infos:
                stand_in = info["doctree"]
                assert isinstance(stand_in, PostDoctree), stand_in
                assert len(pickle.dumps(stand_in)) < 300
                for node in info["excerpt"]:
                    assert node.parent is None and node.document is None


def test_workers_are_forked_from_a_frozen_heap(tmp_path):
    """Before Sphinx forks ``-j`` workers, the main process's objects are frozen out
    of the garbage collector (a collection in a worker would copy every page it
    shares with the main process); after the build, they are collectable again."""
    import gc

    def site_with_probe(name):
        src = parallel_site(tmp_path, name)
        with (src / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write(
                "\nimport gc\n"
                "def setup(app):\n"
                "    app.connect('write-started', lambda app, builder: app.config.frozen.append("
                "gc.get_freeze_count()), priority=999)\n"
                "    app.add_config_value('frozen', [], '')\n"
            )
        return src

    assert gc.get_freeze_count() == 0
    seen: list[int] = []
    build_dir(site_with_probe("frozen"), confoverrides={**OVERRIDES, "frozen": seen}, parallel=2)
    assert len(seen) == 1 and seen[0] > 0
    assert gc.get_freeze_count() == 0
    # A serial build forks nothing, and freezes nothing.
    serial_seen: list[int] = []
    build_dir(site_with_probe("serial"), confoverrides={**OVERRIDES, "frozen": serial_seen})
    assert serial_seen == [0]
