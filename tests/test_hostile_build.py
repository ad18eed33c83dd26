"""A Sphinx build of posts nobody vetted (issue 18, the build's half).

One build of a corpus of hostile posts and links checks each promise: nothing from
outside the source folder reaches the output, each post's Liquid is bounded, no
value stops the build, ``{{ site }}`` prints the same text on every build, and
each case is named in a located warning while the good posts are all published.
A second build with ``ablog_ext_safe_posts`` shows file-reading and raw directives
as code; a third, with ``-j 2``, gives the same bytes.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import build_dir, copy_root, warnings_of

MARKER = "OUTSIDE-MARKER-5b1f"
#: A build of this corpus takes a few seconds; the hostile loops alone took
#: minutes (or never ended) before the Liquid limits.
BUILD_BOUND_SECONDS = 90
LONG_CATEGORY = "Category " * 34  # 306 characters
LONG_TAG = "t" * 300
NEWLINE_NAME = "2020-04-07-new\nline.md"

#: posts/<name> -> (text, [(line, warning fragment)]).
POSTS: dict[str, tuple[str, list[tuple[int, str]]]] = {
    "2020-04-01-loop.md": (
        "---\ntitle: A long loop\n---\n\n{% for i in (1..100000000) %}{% endfor %}done\n",
        [(5, "the post passed a Liquid limit: ablog_ext_liquid_loop_limit = 1000000")],
    ),
    "2020-04-02-nested.md": (
        "---\ntitle: Nested loops\n---\n\nBefore.\n\n"
        "{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}\n",
        [(7, "ablog_ext_liquid_loop_limit = 1000000")],
    ),
    "2020-04-03-doubling.md": (
        "---\ntitle: Doubling\n---\n\n{% assign s = 'ab' %}"
        + "{% assign s = s | append: s %}" * 40
        + "{{ s | size }}\n",
        [(5, "ablog_ext_liquid_namespace_limit = 10000000")],
    ),
    "2020-04-04-nul.md": (
        '---\ntitle: A NUL in a redirect\nredirect_from: "/nul\\0x.html"\n---\n\nBody.\n',
        [(3, "cannot redirect '/nul\\x00x.html': it is not a page path on this site")],
    ),
    "2020-04-05-long-names.md": (
        f"---\ntitle: Long names\ncategory: {LONG_CATEGORY.strip()}\n"
        f"tags: [{LONG_TAG}]\npermalink: /long-names/\n---\n\nBody.\n",
        [],
    ),
    "2020-04-06-redirect-to.md": (
        "---\ntitle: Redirect to\nredirect_to: https://elsewhere.example.com/\n---\n\nBody.\n",
        [(3, "'redirect_to' is not supported: the post is built as an ordinary page")],
    ),
    "2020-04-08-first-day.md": (
        "---\ntitle: First day\ndate: 0001-01-01 00:00:00 +05:00\n---\n\nBody.\n",
        [(3, "using it as written, without its offset (the post is published by that date)")],
    ),
    "2020-04-09-last-day.md": (
        "---\ntitle: Last day\ndate: 9999-12-31 23:59:59 -05:00\n---\n\nBody.\n",
        [],
    ),
    "2020-04-10-style.md": (
        '---\ntitle: Style\n---\n\nRed.\n{: style="color: red; /* the rest"}\n\n'
        'Blue.\n{: style="color: blue"}\n',
        [],
    ),
    "2020-04-11-printed.md": (
        "---\ntitle: Printed whole\ncategory: Notes\n---\n\n"
        "Site: {{ site }}\n\nPage: {{ page }}\n\nData: {{ site.data }}\n",
        [],
    ),
    "2020-04-12-data.md": (
        "---\ntitle: Data\n---\n\nOut: [{{ site.data.x.key }}] In: [{{ site.data.y.key }}]\n",
        [],
    ),
}
#: Dated after the build: left out as any future post is (an info line says so).
FUTURE = {"2020-04-09-last-day.md"}
GOOD = [
    "posts/2020-01-01-good",
    "posts/2020-01-02-second-good",
    "posts/2020-03-02-inside-link",
    *[f"posts/2020-02-{day:02d}-filler" for day in range(1, 9)],
]


def make_outside(root: Path) -> Path:
    """A folder beside the site holding files a hostile post would publish."""
    outside = root / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.md").write_text(f"---\ntitle: Secret\n---\n\n{MARKER}\n")
    (outside / "secret.yml").write_text(f"key: {MARKER}\n")
    (outside / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + MARKER.encode())
    (outside / "folder" / "2020-02-20-from-folder.md").write_text(
        f"---\ntitle: From a folder\n---\n\n{MARKER}\n"
    )
    (outside / "folder" / "file.txt").write_text(MARKER)
    return outside


def hostile_site(root: Path) -> Path:
    srcdir = copy_root(root, "hostile-build")
    outside = make_outside(root)
    posts = srcdir / "posts"
    # Links out of the source folder: a post, a folder of posts, data, root folder files.
    (posts / "2020-03-01-linked-out.md").symlink_to(outside / "secret.md")
    (posts / "linked-folder").symlink_to(outside / "folder", target_is_directory=True)
    (srcdir / "_data" / "x.yml").symlink_to(outside / "secret.yml")
    (srcdir / "assets" / "file.txt").symlink_to(outside / "folder" / "file.txt")
    (srcdir / "assets" / "folder").symlink_to(outside / "folder", target_is_directory=True)
    # Links that stay inside keep working.
    (posts / "2020-03-02-inside-link.md").symlink_to(Path("../_shared/inside-post.md"))
    (srcdir / "_data" / "y.yml").symlink_to(Path("../_shared/inside-data.yml"))
    (srcdir / "assets" / "inside.txt").symlink_to(Path("../_shared/inside-asset.txt"))
    for name, (text, _) in POSTS.items():
        (posts / name).write_text(text, encoding="utf-8")
    (posts / NEWLINE_NAME).write_text("---\ntitle: Newline\n---\n\nBody.\n", encoding="utf-8")
    for day in range(1, 9):  # enough documents for -j 2 to read in chunks
        (posts / f"2020-02-{day:02d}-filler.md").write_text(
            f"---\ntitle: Filler {day}\ncategory: Notes\n---\n\nFiller {day}.\n"
        )
    return srcdir


@pytest.fixture(scope="module")
def fixed_time():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        yield


@pytest.fixture(scope="module")
def built(tmp_path_factory, fixed_time):
    srcdir = hostile_site(tmp_path_factory.mktemp("hostile-build"))
    start = time.monotonic()
    app = build_dir(srcdir)
    return app, time.monotonic() - start


def every_file(outdir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(Path(outdir).rglob("*"))
        if path.is_file()
    }


def located(app, name: str, line: int, fragment: str) -> bool:
    pattern = re.compile(rf"{re.escape(name)}:{line}: WARNING: .*{re.escape(fragment)}")
    return any(pattern.search(warning) for warning in warnings_of(app))


# -- the build finishes, in time, and publishes the good posts ------------------------------


def test_the_build_finishes_within_a_bound(built):
    app, seconds = built
    assert seconds < BUILD_BOUND_SECONDS, seconds
    assert "Traceback" not in app.warning.getvalue()


def test_every_good_post_is_published(built):
    app, _ = built
    outdir = Path(app.outdir)
    blog = (outdir / "blog.html").read_text(encoding="utf-8")
    atom = (outdir / "blog" / "atom.xml").read_text(encoding="utf-8")
    for docname in GOOD:
        assert (outdir / f"{docname}.html").is_file(), docname
        assert docname in app.env.ablog_posts, docname
        assert f"{docname}.html" in blog and f"{docname}.html" in atom, docname
    for name in set(POSTS) - FUTURE:
        assert (outdir / "posts" / name.replace(".md", ".html")).is_file(), name


# -- 1. nothing outside the source folder is read into the output ---------------------------


def test_no_marker_from_outside_reaches_the_output(built):
    app, _ = built
    files = every_file(Path(app.outdir))
    assert any(name.startswith("_sources/") for name in files)
    assert any(name.endswith("atom.xml") for name in files)
    leaked = [name for name, data in files.items() if MARKER.encode() in data]
    assert leaked == []


@pytest.mark.parametrize(
    ("path", "fragment", "subtype"),
    [
        ("posts/2020-03-01-linked-out.md", "is a symbolic link that leads outside", "source"),
        ("posts/linked-folder", "is a symbolic link that leads outside", "source"),
        ("_data/x.yml", "x.yml (site.data) leads outside the source folder", "liquid"),
        ("assets/file.txt", "(in a root folder) leads outside the source folder", "source"),
        ("assets/folder", "(in a root folder) leads outside the source folder", "source"),
    ],
)
def test_each_link_out_is_named_in_a_warning(built, path, fragment, subtype):
    app, _ = built
    assert located(app, path, 1, fragment)
    assert any(path in w and f"[ablog_ext.{subtype}]" in w for w in warnings_of(app)), path


def test_links_inside_keep_working(built):
    app, _ = built
    outdir = Path(app.outdir)
    assert "A post reached through a link" in (
        outdir / "posts/2020-03-02-inside-link.html"
    ).read_text(encoding="utf-8")
    data = (outdir / "posts/2020-04-12-data.html").read_text(encoding="utf-8")
    assert "Out: [] In: [linked data from inside]" in data
    assert (outdir / "assets/inside.txt").read_text() == "a linked asset from inside\n"
    assert (outdir / "assets/ok.txt").is_file()
    assert not (outdir / "assets/file.txt").exists()
    assert not (outdir / "assets/folder").exists()
    good = (outdir / "posts/2020-01-01-good.html").read_text(encoding="utf-8")
    assert "hello from inside" in good and "an include from inside" in good


# -- 2. bounded Liquid -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [(name, line, fragment) for name, (_, found) in POSTS.items() for line, fragment in found],
)
def test_each_hostile_post_gets_its_located_warning(built, name, line, fragment):
    app, _ = built
    assert located(app, f"posts/{name}", line, fragment), warnings_of(app)


def test_a_post_past_a_limit_is_built_without_its_liquid_output(built):
    app, _ = built
    loop = (Path(app.outdir) / "posts/2020-04-01-loop.html").read_text(encoding="utf-8")
    assert "A long loop" in loop
    # As after any Liquid error: the post's Liquid is left as written.
    assert "{% for i in (1..100000000) %}" in loop


# -- 3. no value stops a build ---------------------------------------------------------------


def test_long_names_get_short_files_and_keep_their_names(built):
    app, _ = built
    outdir = Path(app.outdir)
    for kind in ("category", "tag"):
        names = [path.name for path in (outdir / "blog" / kind).iterdir()]
        assert all(len(name.encode()) < 160 for name in names), names
    pages = list((outdir / "blog" / "category").glob("category-category-*.html"))
    assert len(pages) == 1
    assert LONG_CATEGORY.strip() in pages[0].read_text(encoding="utf-8")
    assert (pages[0].with_suffix("") / "atom.xml").is_file()
    post = (outdir / "posts/2020-04-05-long-names.html").read_text(encoding="utf-8")
    assert f'href="../blog/category/{pages[0].name}"' in post


def test_a_file_name_with_a_newline_is_named_as_not_published(built):
    app, _ = built
    assert any(
        "2020-04-07-new\\x0aline.md has a control character in its name" in w
        and "not published" in w
        for w in warnings_of(app)
    )
    assert not any("new\nline" in docname for docname in app.env.found_docs)
    assert "posts/2020-04-07-new" not in " ".join(app.env.ablog_posts)


def test_a_date_at_the_edge_follows_one_rule(built):
    app, _ = built
    outdir = Path(app.outdir)
    # Published, as the warning says, and in four-digit RSS years.
    rss = (outdir / "blog/rss.xml").read_text(encoding="utf-8")
    assert "<pubDate>Mon, 01 Jan 0001 00:00:00 +0000</pubDate>" in rss
    assert "posts/2020-04-08-first-day" in app.env.ablog_posts
    # Dated after the build: left out everywhere, feeds too.
    assert "Last day" not in rss
    assert "posts/2020-04-09-last-day" not in app.env.ablog_posts
    assert "leaving out 1 post(s) dated after the build" in app.status.getvalue()


def test_a_style_cannot_comment_out_the_rest(built):
    app, _ = built
    page = (Path(app.outdir) / "posts/2020-04-10-style.html").read_text(encoding="utf-8")
    rules = re.search(r"<style>\n(\.ablog-ext-style.*?)</style>", page, re.S)
    assert rules is not None
    assert "/*" not in rules[1]
    assert "color: red !important" in rules[1] and "color: blue !important" in rules[1]


# -- 4. deterministic output -----------------------------------------------------------------


def test_site_page_and_data_print_stable_text(built):
    app, _ = built
    page = (Path(app.outdir) / "posts/2020-04-11-printed.html").read_text(encoding="utf-8")
    for label in ("Site: {", "Page: {", "Data: {"):
        assert label in page.replace("&quot;", '"'), label
    assert not re.search(r"0x[0-9a-f]{6,}|object at|datetime\.datetime", page)


@pytest.fixture(scope="module")
def built_in_parallel(tmp_path_factory, fixed_time):
    srcdir = hostile_site(tmp_path_factory.mktemp("hostile-build-j2"))
    return build_dir(srcdir, parallel=2)


def test_the_corpus_builds_with_two_processes_to_the_same_bytes(built, built_in_parallel):
    serial, parallel = every_file(Path(built[0].outdir)), every_file(built_in_parallel.outdir)
    assert sorted(parallel) == sorted(serial)
    assert [name for name in serial if serial[name] != parallel[name]] == []


# -- 5. ablog_ext_safe_posts -----------------------------------------------------------------

SAFE_POST = """---
title: Unvetted
---

```{include} ../../outside/secret.md
```

```{literalinclude} ../_shared/inside-asset.txt
```

```{raw} html
:file: ../../outside/secret.md
```

```{raw} html
<script>alert("raw")</script>
```

:::{note}
```{include} ../../outside/secret.md
```
:::

```{eval-rst}
.. raw:: html

   <script>alert("rst")</script>

.. include:: ../../outside/secret.md
```

![An image](../../outside/secret.png)

```{image} ../../outside/secret.png
```

{download}`a download <../../outside/secret.yml>`

{% for i in (1..20) %}{{ i }}{% endfor %}
"""
SAFE_WARNINGS = [
    (5, "the 'include' directive is shown as code"),
    (8, "the 'literalinclude' directive is shown as code"),
    (11, "the 'raw' directive is shown as code"),
    (15, "the 'raw' directive is shown as code"),
    (20, "the 'include' directive is shown as code"),
    (25, "the 'raw' directive is shown as code"),
    (29, "the 'include' directive is shown as code"),
    (32, "the image '../../outside/secret.png' is outside the source folder"),
    (34, "the image '../../outside/secret.png' is outside the source folder"),
    (37, "the download '../../outside/secret.yml' is outside the source folder"),
    (39, "the post passed a Liquid limit: ablog_ext_liquid_loop_limit = 10"),
]


@pytest.fixture(scope="module")
def built_safe(tmp_path_factory, fixed_time):
    root = tmp_path_factory.mktemp("safe-posts")
    srcdir = copy_root(root, "hostile-build")
    make_outside(root)
    (srcdir / "posts" / "2020-05-01-unvetted.md").write_text(SAFE_POST, encoding="utf-8")
    overrides = {"ablog_ext_safe_posts": True, "ablog_ext_liquid_loop_limit": 10}
    return build_dir(srcdir, confoverrides=overrides)


@pytest.mark.parametrize(("line", "fragment"), SAFE_WARNINGS)
def test_safe_posts_warn_about_each_directive(built_safe, line, fragment):
    assert located(built_safe, "posts/2020-05-01-unvetted.md", line, fragment), warnings_of(
        built_safe
    )


def test_safe_posts_show_them_as_code(built_safe):
    outdir = Path(built_safe.outdir)
    files = every_file(outdir)
    assert [name for name, data in files.items() if MARKER.encode() in data] == []
    page = (outdir / "posts/2020-05-01-unvetted.html").read_text(encoding="utf-8")
    assert "<script>alert(" not in page
    text = BeautifulSoup(page, "html.parser").get_text()
    assert '<script>alert("raw")</script>' in text
    assert "{include} ../../outside/secret.md" in text
    assert not any(name.startswith(("_images/", "_downloads/")) for name in files)
    # Other posts are not touched: the good post's Liquid include still works.
    good = (outdir / "posts/2020-01-01-good.html").read_text(encoding="utf-8")
    assert "an include from inside" in good


def test_safe_posts_are_off_by_default(built):
    app, _ = built
    assert app.config.ablog_ext_safe_posts is False
    assert os.environ.get("SOURCE_DATE_EPOCH") == "1700000000"


# -- the Liquid limits, without Sphinx -------------------------------------------------------


class _NoFiles:
    def include(self, name: str, relative: bool) -> None:
        return None

    def post_url(self, name: str) -> None:
        return None

    def link(self, path: str) -> None:
        return None


@pytest.mark.parametrize(
    ("template", "option"),
    [
        ("{% for i in (1..100000000) %}{% endfor %}", "ablog_ext_liquid_loop_limit"),
        (
            "{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}",
            "ablog_ext_liquid_loop_limit",
        ),
        # A thousand loops in a row: python-liquid alone counts each on its own.
        ("{% for i in (1..5000) %}{% endfor %}" * 1000, "ablog_ext_liquid_loop_limit"),
        (
            "{% assign s = 'ab' %}" + "{% assign s = s | append: s %}" * 40,
            "ablog_ext_liquid_namespace_limit",
        ),
        (
            "{% for i in (1..900) %}{% for j in (1..900) %}"
            + "x" * 100
            + "{% endfor %}{% endfor %}",
            "ablog_ext_liquid_output_limit",
        ),
        (
            "{% highlight text %}{% for i in (1..900000) %}xxxxxxxxxxxxxxxx{% endfor %}"
            "{% endhighlight %}",
            "ablog_ext_liquid_output_limit",
        ),
    ],
)
def test_each_liquid_limit_stops_a_render_within_seconds(template, option):
    from ablog_ext.jekyll.liquid import JekyllLiquid
    from ablog_ext.jekyll.liquid_limits import Limits

    engine = JekyllLiquid({}, Limits(output=1_000_000))
    start = time.monotonic()
    rendered = engine.render(template + "\n", {}, _NoFiles())
    assert time.monotonic() - start < 10
    assert not rendered.rendered
    assert [problem.line for problem in rendered.problems] == [1]
    assert option in rendered.problems[0].message


def test_a_real_blog_stays_far_below_the_limits():
    from ablog_ext.jekyll.liquid import JekyllLiquid

    posts = [{"title": f"Post {n}", "tags": [f"t{n % 30}", "all"]} for n in range(2000)]
    template = (
        "{% for post in site.posts %}{% for tag in post.tags %}{{ tag }}{% endfor %}"
        "{% endfor %}{% assign titles = site.posts | map: 'title' | join: ', ' %}{{ titles }}\n"
    )
    rendered = JekyllLiquid({"posts": posts}).render(template, {}, _NoFiles())
    assert rendered.rendered and rendered.problems == []
