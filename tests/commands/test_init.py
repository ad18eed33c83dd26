"""``ablog-ext init --from-jekyll``: a Jekyll site (``roots/jekyll-site``) moved into a
Sphinx site, built, moved again; bad input refused with a one-line error."""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import runpy
import shutil
from pathlib import Path

import pytest

from ablog_ext.cli import main
from ablog_ext.commands.migrate.jekyll import EntryFilter, markdown_suffixes
from ablog_ext.commands.migrate.links import TargetIndex, missing_targets, site_path
from ablog_ext.commands.migrate.plan import html_post_as_markdown
from ablog_ext.commands.migrate.site_text import markdown_text, post_permalink, py

from helpers import ROOTS, build_dir, missing, read_html, warnings_of, write_files

FIXTURE = ROOTS / "jekyll-site"
#: The one post of the smallest Jekyll sites.
ONE_POST = "---\ntitle: One\n---\nHi.\n"


def run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in argv])
    return code, out.getvalue(), err.getvalue()


def init(jekyll: Path, sphinx: Path, *extra: str) -> tuple[int, str, str]:
    return run("init", "--from-jekyll", jekyll, sphinx, *extra)


def snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every path under *root* with its size, modification time and mode."""
    found = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(directory, name)
            info = path.lstat()
            found[str(path.relative_to(root))] = (info.st_size, info.st_mtime_ns, info.st_mode)
    return found


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "_build" not in path.relative_to(root).parts
    }


def copied_fixture(tmp_path: Path) -> Path:
    """A copy of the Jekyll site to change: ``tmp_path/jekyll``."""
    jekyll = tmp_path / "jekyll"
    shutil.copytree(FIXTURE, jekyll)
    return jekyll


def conf_of(sphinx: Path) -> dict:
    return runpy.run_path(str(sphinx / "conf.py"))


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    root = tmp_path_factory.mktemp("init")
    jekyll = root / "jekyll"
    shutil.copytree(FIXTURE, jekyll, symlinks=True)
    before = snapshot(jekyll)
    code, out, err = init(jekyll, root / "site")
    assert (code, err) == (0, ""), err
    return jekyll, root / "site", out, before


# -- what is copied, and where -------------------------------------------------------


def test_files_of_the_new_site(moved):
    _, sphinx, _, _ = moved
    assert sorted(tree(sphinx)) == [
        ".ablog-ext-init.json",
        "CNAME",
        "_data/teas.yml",
        "_includes/note.html",
        "assets/img/kettle.svg",
        "assets/notes/readme.md",
        "conf.py",
        "drafts/an-idea.md",
        "files/readings.txt",
        "index.md",
        "posts/2021-01-05-first-light.md",
        "posts/2021-02-14-steeping-times.markdown",
        "posts/2021-03-01-raw-table.md",
        "posts/2021-05-01-withdrawn.md",
        "posts/2021-7-4-short-date.md",
        "posts/2999-01-01-from-the-future.md",
        "posts/en/news/2021-06-01-kettle-news.md",
    ]


@pytest.mark.parametrize(
    ("source", "dest"),
    [
        ("_posts/2021-01-05-first-light.md", "posts/2021-01-05-first-light.md"),
        ("_posts/2021-02-14-steeping-times.markdown", "posts/2021-02-14-steeping-times.markdown"),
        # Jekyll's name, unpadded date and all: :name and :path URLs stay right.
        ("_posts/2021-7-4-short-date.md", "posts/2021-7-4-short-date.md"),
        ("_data/teas.yml", "_data/teas.yml"),
        ("CNAME", "CNAME"),
        ("en/news/_posts/2021-06-01-kettle-news.md", "posts/en/news/2021-06-01-kettle-news.md"),
        ("_drafts/an-idea.md", "drafts/an-idea.md"),
        ("_includes/note.html", "_includes/note.html"),
        ("assets/img/kettle.svg", "assets/img/kettle.svg"),
    ],
)
def test_copies_are_byte_for_byte(moved, source, dest):
    jekyll, sphinx, _, _ = moved
    assert (sphinx / dest).read_bytes() == (jekyll / source).read_bytes()


def test_html_post_becomes_a_raw_html_block(moved):
    jekyll, sphinx, out, _ = moved
    source = (jekyll / "_posts/2021-03-01-raw-table.html").read_text(encoding="utf-8")
    text = (sphinx / "posts/2021-03-01-raw-table.md").read_text(encoding="utf-8")
    front = source[: source.index("---", 3) + 4]
    assert text.startswith(front + "````{raw} html\n")
    # The body holds ``` itself, so the fence is longer; the HTML is untouched.
    assert source[len(front) :] in text
    assert text.endswith("\n````\n")
    assert "1 HTML post became Markdown" in out


def test_manifest_lists_what_was_written(moved):
    _, sphinx, _, _ = moved
    manifest = json.loads((sphinx / ".ablog-ext-init.json").read_text(encoding="utf-8"))
    assert manifest["files"] == sorted(set(tree(sphinx)) - {".ablog-ext-init.json"})


def test_jekyll_dir_is_never_written(moved):
    jekyll, sphinx, _, before = moved
    assert snapshot(jekyll) == before
    code, _, _ = init(jekyll, sphinx, "--force")
    assert code == 0
    assert snapshot(jekyll) == before


# -- conf.py and index.md ------------------------------------------------------------


def test_conf_values_come_from_config_yml(moved):
    _, sphinx, _, _ = moved
    conf = conf_of(sphinx)
    assert conf["extensions"] == ["ablog_ext"]
    assert conf["html_theme"] == "pydata_sphinx_theme"
    assert conf["project"] == conf["blog_title"] == 'Kettle & "Steam" notes'
    assert conf["blog_baseurl"] == "https://tea.example.org/notes/"
    assert conf["author"] == conf["blog_default_author"] == "Rowan Tealeaf"
    assert conf["blog_authors"] == {
        "Rowan Tealeaf": ("Rowan Tealeaf", "https://tea.example.org/about/")
    }
    assert conf["ablog_ext_timezone"] == "America/New_York"
    assert conf["ablog_ext_permalink"] == "/:categories/:year/:month/:day/:title/"
    assert conf["ablog_ext_excerpt_separator"] == "<!--more-->"
    assert conf["ablog_ext_future"] is False
    assert conf["ablog_ext_post_suffixes"] == [".markdown", ".md"]
    assert conf["ablog_ext_drafts"] == ["drafts/*"]
    assert conf["blog_post_pattern"] == ["posts/**", "drafts/*"]
    assert conf["ablog_ext_folder_categories"] is True
    assert conf["exclude_patterns"] == ["_build", "_includes", "_data"]
    assert conf["ablog_ext_root_folders"] == ["assets", "files"]
    assert conf["html_extra_path"] == ["CNAME"]
    assert conf["ablog_ext_liquid_data"] == "_data"
    assert "myst.header" in conf["suppress_warnings"]


def test_liquid_site_values(moved):
    _, sphinx, _, _ = moved
    site = conf_of(sphinx)["ablog_ext_site"]
    assert site["title"] == 'Kettle & "Steam" notes'
    assert site["baseurl"] == "/notes"
    assert site["url"] == "https://tea.example.org"
    assert site["description"] == "Small experiments with tea, written down."
    assert site["author"] == {"name": "Rowan Tealeaf", "url": "https://tea.example.org/about/"}
    assert site["social"]["mastodon"] == "@rowan@tea.example.org"
    assert site["founded"] == 2019
    # Build settings are not values for templates.
    assert not {"exclude", "plugins", "collections", "markdown_ext"} & set(site)


def test_index_page_lists_latest_posts(moved):
    _, sphinx, _, _ = moved
    text = (sphinx / "index.md").read_text(encoding="utf-8")
    assert text.startswith('# Kettle \\& "Steam" notes\n')
    assert "```{postlist} 10\n:excerpts:\n```" in text


def test_defaults_when_config_is_silent(tmp_path):
    jekyll = write_files(tmp_path / "j", {"_posts/2020-01-01-one.md": ONE_POST})
    code, _, err = init(jekyll, tmp_path / "s")
    assert code == 0, err
    conf = conf_of(tmp_path / "s")
    assert conf["project"] == "j"
    assert conf["ablog_ext_timezone"] == "UTC"  # GitHub Pages builds in UTC
    assert conf["ablog_ext_excerpt_separator"] == "\n\n"  # Jekyll's: the first paragraph
    assert conf["ablog_ext_permalink"] == "date"
    assert conf["ablog_ext_future"] is False
    assert conf["ablog_ext_post_suffixes"] == [".markdown", ".mkdown", ".mkdn", ".mkd", ".md"]
    assert conf["blog_post_pattern"] == ["posts/**"]
    assert "blog_baseurl" not in conf
    assert "ablog_ext_folder_categories" not in conf
    assert "ablog_ext_root_folders" not in conf and "html_extra_path" not in conf
    assert "setup" not in conf and "ablog_ext_liquid_data" not in conf
    # Jekyll reads every post with Liquid and kramdown: so does the new site.
    assert conf["ablog_ext_liquid"] is True
    assert conf["ablog_ext_space_separated_tags"] is True
    assert conf["ablog_ext_kramdown"] is True


def test_config_values_of_odd_shapes(tmp_path):
    config = (
        "timezone: 5\nexcerpt_separator: ''\nurl: https://x.example.org/\nbaseurl: /\n"
        "author: [a, b]\ndate: 2020-01-02\nratio: .inf\n"
        "kramdown:\n  input: GFM\n  parse_block_html: true\n"
    )
    files = {"_posts/2020-01-01-one.md": ONE_POST, "_config.yml": config}
    jekyll = write_files(tmp_path / "j", files)
    assert init(jekyll, tmp_path / "s")[0] == 0
    conf = conf_of(tmp_path / "s")
    assert conf["ablog_ext_timezone"] == "UTC"
    assert conf["ablog_ext_excerpt_separator"] == ""  # Jekyll: no excerpts
    assert conf["blog_baseurl"] == "https://x.example.org/"
    assert "blog_authors" not in conf
    assert conf["ablog_ext_site"]["date"] == "2020-01-02"
    assert conf["ablog_ext_site"]["ratio"] == "inf"
    assert conf["ablog_ext_kramdown"] == {"input": "GFM", "parse_block_html": True}


@pytest.mark.parametrize(
    "title",
    ['It\'s "quoted"', 'Three """ quotes', "Back\\slash {{ site.x }}", "A\u2028line", "日本語"],
)
def test_conf_is_valid_python_for_any_title(tmp_path, title):
    files = {"_posts/2020-01-01-one.md": ONE_POST, "_config.yml": json.dumps({"title": title})}
    jekyll = write_files(tmp_path / "j", files)
    assert init(jekyll, tmp_path / "s")[0] == 0
    conf = conf_of(tmp_path / "s")
    assert conf["project"] == conf["blog_title"] == title
    assert conf["ablog_ext_site"]["title"] == title


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, "date"),
        ({"permalink": "pretty"}, "pretty"),
        ({"permalink": "weekdate"}, "/:categories/:year/W:week/:short_day/:title:output_ext"),
        ({"permalink": "/:year/:title/"}, "/:year/:title/"),
        (
            {"permalink": "none", "collections": {"posts": {"permalink": "/news/:title/"}}},
            "/news/:title/",
        ),
        (
            {
                "permalink": ":title",
                "defaults": [
                    {"scope": {"path": ""}, "values": {"image": "x.png"}},
                    {"scope": {"type": "pages"}, "values": {"permalink": "/p/:title/"}},
                    {"scope": {"type": "posts"}, "values": {"permalink": ":year/:title/"}},
                ],
            },
            "/:year/:title/",
        ),
    ],
)
def test_post_permalink(config, expected):
    assert post_permalink(config)[0] == expected


def test_markdown_suffixes():
    assert markdown_suffixes({"markdown_ext": "md, Markdown,.txt"}) == [".md", ".markdown", ".txt"]
    assert markdown_suffixes({"markdown_ext": ""})[-1] == ".md"


@pytest.mark.parametrize(
    "value", [{"a": [1, 2.5, None, True]}, {"k" * 30: {"n" * 30: ["v" * 40, "w" * 40]}}, []]
)
def test_py_writes_values_python_reads_back(value):
    assert ast.literal_eval(py(value)) == value


def test_markdown_text_escapes_what_markdown_would_read():
    assert markdown_text("A *b* [c](d) <e> `f` {g}") == r"A \*b\* \[c\](d) \<e\> \`f\` \{g\}"
    assert markdown_text("1. first") == r"1\. first"
    assert markdown_text("- dash\nline") == r"\- dash line"


def test_html_post_fence_outlasts_the_body():
    text = "---\ntitle: T\n---\n<pre>\n`````\n</pre>\n"
    converted = html_post_as_markdown(text).decode()
    assert converted == "---\ntitle: T\n---\n``````{raw} html\n<pre>\n`````\n</pre>\n``````\n"


# -- the summary ---------------------------------------------------------------------


def test_summary_counts(moved):
    _, _, out, _ = moved
    counts = [
        "Posts: 9 found in 2 _posts folders (_posts, en/news/_posts)",
        "\n  5 published\n",
        "1 dated in the future: copied, published on their date",
        "1 with published: false",
        "2 not read as posts (not copied):",
        "_posts/2021-04-01-textile-notes.textile: .textile is not a Markdown suffix",
        "_posts/notes-without-a-date.md: no date in its name",
        "Drafts: 1 from _drafts",
    ]
    assert missing(out, counts) == []
    # Names are kept, unpadded dates included (ablog_ext reads them as Jekyll does).
    assert "copied under another name" not in out
    # The excluded folder's posts are not found at all, as in Jekyll.
    assert "secret" not in out


def test_summary_lists_what_is_not_carried_over(moved):
    _, _, out, _ = moved
    block = out.split("Not carried over")[1].split("\n\n")[0]
    not_carried = [
        "plugins: jekyll-seo-tag\n",
        "jekyll-feed: ablog_ext writes",
        "_plugins/ (1 file",
        "_layouts/ (1 file",
        "_sass/ (1 file",
        "collections: recipes",
        "pagination (paginate: 5)",
        "theme: minima",
        "2 pages: about.md, index.html",
    ]
    assert missing(block, not_carried) == []
    assert "README.md" not in block  # excluded in _config.yml


def test_summary_lists_links_to_what_was_not_copied(moved):
    _, _, out, _ = moved
    block = out.split("Links and images in posts")[1].split("\n\n")[0]
    assert "posts/2021-01-05-first-light.md: /about/, /assets/img/chart.png" in block
    # A post, a copied image (with or without baseurl), code, the site's own URL: fine.
    for fine in ("steeping-times", "kettle.svg", "not-a-link", "readings.txt"):
        assert fine not in block


def test_summary_ends_with_the_build_command(moved):
    _, sphinx, out, _ = moved
    assert out.endswith(f"python3 -m sphinx -b html {sphinx} {sphinx / '_build/html'}\n")


def test_links_found_and_judged():
    index = TargetIndex(
        ["assets/a.png", "docs/index.html"],
        ["index", "posts/2020-01-01-my-post"],
        ["/old/path/", "/2020/01/01/my-post.html"],
    )
    text = (
        "---\ntitle: x\n---\n[a](/assets/a.png) [b](/notes/assets/a.png) [c](/docs/) "
        "[d](/2020/01/01/my-post.html) [e](/old/path) [f](//cdn.example.org/x.js) "
        "[g](https://site.example.org/notes/gone.html) [h](https://other.example.org/x) "
        "[i](relative.png) `[j](/in/code)` <img src='/missing.png'> [k](/notes)\n\n"
        "[l](../../../2020/01/01/my-post.html) [m](../../../2020/01/01/gone/) [n]() "
        "[o](#mark) [p](rsync://mirror.example.org/) [q](2020-01-01-my-post.md) "
        "[r](/posts/2020-01-01-my-post.html) <a href=''>self</a> [s](strategic-plan)\n\n"
        "A footnote.[^1] [t](#notes) [u](#notes-1) [v](#gone) [w](#) [x](#mark)\n\n"
        "A `stray backtick, and [y](/after/a/stray/backtick/).\n\n"
        "[z](https://example.org/wiki/Tea_(drink)) <a name='mark'></a>\n\n"
        "## Notes\n\nOne.\n\nNotes\n-----\n\nTwo.\n\n"
        '[^1]: Words, not a link.\n[ref]: /ref-target "title"\n'
    )
    found = missing_targets(
        text,
        index,
        "https://site.example.org",
        "/notes",
        here="posts/2020-02-02-x.md",
        old_url="/2020/02/02/x.html",
    )
    assert found == [
        "https://site.example.org/notes/gone.html",
        "relative.png",
        "../../../2020/01/01/gone/",
        "",
        "strategic-plan",
        "#gone",
        "/after/a/stray/backtick/",
        "/ref-target",
        "/missing.png",
    ]
    assert site_path("{{ site.baseurl }}/x", None, "") is None


# -- the built site ------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(moved):
    _, sphinx, out, _ = moved
    return build_dir(sphinx), out


def test_built_site_has_the_posts(built):
    app, _ = built
    outdir = Path(app.outdir)
    readable = tuple(app.config.source_suffix)
    sources = [
        path.relative_to(app.srcdir)
        for path in Path(app.srcdir, "posts").rglob("*")
        if path.suffix in readable and not path.name.startswith(("2021-05-01-withdrawn", "2999-"))
    ]
    # Every .md post at least; .markdown once ablog_ext reads ablog_ext_post_suffixes.
    assert len(sources) >= 5
    for source in sources:
        assert (outdir / source.with_suffix(".html")).is_file(), source
    assert not (outdir / "posts/2021-05-01-withdrawn.html").exists()  # published: false
    # Dated in the future: left out until its date, as Jekyll's future: false.
    assert not (outdir / "posts/2999-01-01-from-the-future.html").exists()
    archive = (outdir / "blog/archive.html").read_text(encoding="utf-8")
    assert "First light" in archive and "Kettle news" in archive


def test_built_site_shows_html_post_and_images(built):
    app, _ = built
    table = read_html(app, "posts/2021-03-01-raw-table")
    assert table.select_one("article table td").get_text() == "Black"
    first = read_html(app, "posts/2021-01-05-first-light")
    assert any(img["src"].endswith("_images/kettle.svg") for img in first.select("article img"))


def test_static_folders_are_at_the_site_root(built):
    app, _ = built
    outdir = Path(app.outdir)
    assert (outdir / "assets/img/kettle.svg").read_bytes() == Path(
        app.srcdir, "assets/img/kettle.svg"
    ).read_bytes()
    assert (outdir / "files/readings.txt").is_file()
    # And the files at the top of the site.
    assert (outdir / "CNAME").read_bytes() == Path(app.srcdir, "CNAME").read_bytes()
    # Static Markdown is a file to copy, not a page to build.
    assert not (outdir / "assets/notes/readme.html").exists()
    assert (outdir / "assets/notes/readme.md").is_file()


def test_index_lists_posts(built):
    app, _ = built
    index = read_html(app, "index")
    titles = [a.get_text(strip=True) for a in index.select("article a")]
    assert any("First light" in title for title in titles), titles


def test_what_the_summary_lists_is_what_the_build_warns_about(built):
    app, _ = built
    warnings = "\n".join(warnings_of(app))
    for target in ("/about/", "assets/img/chart.png"):
        assert target in warnings


def test_site_without_a_permalink_keeps_jekylls_default_old_urls(tmp_path):
    """ablog_ext's own default writes no redirects: init writes Jekyll's ``date``."""
    second = "---\ntitle: Two\ncategories: notes\n---\nSee [one]({% post_url 2020-01-01-one %}).\n"
    jekyll = write_files(
        tmp_path / "j",
        {"_posts/2020-01-01-one.md": ONE_POST, "_posts/2020-02-01-two.md": second},
    )
    assert init(jekyll, tmp_path / "s")[0] == 0
    assert conf_of(tmp_path / "s")["ablog_ext_permalink"] == "date"
    outdir = Path(build_dir(tmp_path / "s").outdir)
    assert (outdir / "2020/01/01/one.html").is_file()
    assert (outdir / "notes/2020/02/01/two.html").is_file()


def test_clean_site_builds_without_warnings(tmp_path):
    jekyll = copied_fixture(tmp_path)
    post = jekyll / "_posts/2021-01-05-first-light.md"
    text = post.read_text(encoding="utf-8")
    text = re.sub(r"More about me.*?online\.\n", "", text, flags=re.S)
    post.write_text(text, encoding="utf-8")
    code, out, _ = init(jekyll, tmp_path / "site")
    assert code == 0
    assert "Links and images" not in out
    app = build_dir(tmp_path / "site")
    assert warnings_of(app) == []


# -- running it again ----------------------------------------------------------------


def test_second_run_needs_force(moved, capsys):
    jekyll, sphinx, _, _ = moved
    before = tree(sphinx)
    code, out, err = init(jekyll, sphinx)
    assert code == 2 and out == ""
    assert err == (
        f"ablog-ext init: error: SPHINX_DIR {sphinx} is not empty; pass --force to write "
        "into it (files of the same name are replaced, other files are kept)\n"
    )
    assert tree(sphinx) == before


def test_second_run_is_byte_identical_and_leaves_files_alone(tmp_path):
    jekyll = copied_fixture(tmp_path)
    first = tmp_path / "first"
    assert init(jekyll, first)[0] == 0
    before_bytes, before_meta = tree(first), snapshot(first)
    code, out, _ = init(jekyll, first, "--force")
    assert code == 0
    assert tree(first) == before_bytes
    assert snapshot(first) == before_meta  # nothing rewritten: mtimes kept
    assert "(0 written, 16 unchanged)" in out
    # And a run into a new folder writes the same bytes.
    second = tmp_path / "second"
    assert init(jekyll, second)[0] == 0
    assert tree(second) == before_bytes


def test_rerun_removes_only_what_it_wrote_before(tmp_path):
    jekyll = copied_fixture(tmp_path)
    sphinx = tmp_path / "site"
    assert init(jekyll, sphinx)[0] == 0
    (sphinx / "notes.txt").write_text("mine", encoding="utf-8")
    (sphinx / "posts/2022-01-01-my-own.md").write_text("---\ntitle: Mine\n---\n", "utf-8")
    shutil.rmtree(jekyll / "en")
    (jekyll / "_posts/2021-02-14-steeping-times.markdown").unlink()
    code, out, _ = init(jekyll, sphinx, "--force")
    assert code == 0
    assert "2 removed that an earlier run wrote" in out
    assert not (sphinx / "posts/en").exists()
    assert not (sphinx / "posts/2021-02-14-steeping-times.markdown").exists()
    assert (sphinx / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (sphinx / "posts/2022-01-01-my-own.md").is_file()
    assert "ablog_ext_folder_categories" not in conf_of(sphinx)


def test_non_utf8_files_are_copied_as_bytes(tmp_path):
    jekyll = copied_fixture(tmp_path)
    latin = b"caf\xe9 \xff\xfe\n"
    (jekyll / "files/latin1.txt").write_bytes(latin)
    (jekyll / "_posts/2021-08-01-latin.md").write_bytes(b"---\ntitle: Caf\xe9\n---\nCaf\xe9\n")
    code, out, _ = init(jekyll, tmp_path / "site")
    assert code == 0
    assert (tmp_path / "site/files/latin1.txt").read_bytes() == latin
    post = (tmp_path / "site/posts/2021-08-01-latin.md").read_bytes()
    assert post == (jekyll / "_posts/2021-08-01-latin.md").read_bytes()
    assert "1 not valid UTF-8 (copied as they are; Jekyll skips them)" in out


# -- Jekyll's reading rules ----------------------------------------------------------


def test_entry_filter_follows_jekyll():
    rules = EntryFilter({"exclude": ["lib", "docs/*.txt"], "include": [".well-known", "_x"]})
    assert not rules.keep("lib", "lib", True)
    assert not rules.keep("library", "library", True)  # Jekyll matches a prefix too
    assert rules.keep("en", "en", True)
    assert not rules.keep("notes.txt", "docs/notes.txt", False)
    assert not rules.keep(".git", ".git", True) and not rules.keep("_site", "_site", True)
    assert rules.keep(".well-known", ".well-known", True) and rules.keep("_x", "_x", True)
    assert not rules.keep("Gemfile", "Gemfile", False)  # Jekyll's own excludes
    assert not rules.keep("draft.md~", "draft.md~", False)


def test_posts_in_subfolders_of_posts_have_no_folder_category(tmp_path):
    jekyll = write_files(
        tmp_path / "j",
        {
            "_posts/2019/2019-01-01-a.md": "---\ntitle: A\n---\n",
            "_posts/2019-01-01-a.md": "---\ntitle: A too\n---\n",
        },
    )
    code, out, _ = init(jekyll, tmp_path / "s")
    assert code == 0
    # Jekyll takes categories from the folders above _posts only: the subfolder is
    # flattened, except when that would lose a post of the same name.
    assert (tmp_path / "s/posts/2019-01-01-a.md").read_text("utf-8").startswith("---\ntitle: A too")
    assert (tmp_path / "s/posts/2019/2019-01-01-a.md").is_file()
    assert "_posts/2019/2019-01-01-a.md as 2019/2019-01-01-a.md: another post has" in out


# -- errors --------------------------------------------------------------------------


def _site(tmp_path: Path) -> Path:
    return write_files(tmp_path / "jekyll", {"_posts/2020-01-01-one.md": "---\ntitle: One\n---\n"})


def _no_posts(jekyll: Path) -> None:
    shutil.rmtree(jekyll / "_posts")
    (jekyll / "posts").mkdir()


def _malformed(jekyll: Path) -> None:
    (jekyll / "_config.yml").write_text("title: x\nurl: a: b\n", "utf-8")


def _a_list(jekyll: Path) -> None:
    (jekyll / "_config.yml").write_text("- title\n- url\n", "utf-8")


def _a_folder(jekyll: Path) -> None:
    (jekyll / "_config.yml").mkdir()


def _not_utf8(jekyll: Path) -> None:
    (jekyll / "_config.yml").write_bytes(b"title: caf\xe9\n")


def _bad_date(jekyll: Path) -> None:
    (jekyll / "_config.yml").write_text("date: 2019-02-30\n", "utf-8")


def _loop(jekyll: Path) -> None:
    (jekyll / "assets").mkdir()
    (jekyll / "assets/loop").symlink_to("..", target_is_directory=True)


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (_no_posts, "has no _posts folder"),
        (_malformed, "_config.yml:2: malformed YAML"),
        (_a_list, "_config.yml should be a mapping of settings (key: value), not list"),
        (_a_folder, "cannot read {jekyll}/_config.yml"),
        (_not_utf8, "_config.yml is not UTF-8"),
        (_bad_date, "_config.yml: malformed YAML"),
        (_loop, "{jekyll}/assets/loop is a symbolic link loop"),
    ],
)
def test_bad_jekyll_dir(tmp_path, break_it, message):
    jekyll = _site(tmp_path)
    break_it(jekyll)
    before = snapshot(jekyll)
    code, out, err = init(jekyll, tmp_path / "site")
    assert code == 2 and out == ""
    assert err.startswith("ablog-ext init: error: ") and err.count("\n") == 1
    assert message.format(jekyll=jekyll) in err
    assert "Traceback" not in err
    assert not (tmp_path / "site").exists()
    assert snapshot(jekyll) == before


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("missing", "JEKYLL_DIR {jekyll}/missing does not exist"),
        ("inside", "SPHINX_DIR {jekyll}/site is inside JEKYLL_DIR {jekyll}"),
        ("outside", "SPHINX_DIR {tmp} contains JEKYLL_DIR {jekyll}"),
        ("same", "SPHINX_DIR {jekyll} is JEKYLL_DIR"),
        ("file", "SPHINX_DIR {tmp}/file exists and is not a folder"),
    ],
)
def test_bad_folders(tmp_path, where, message):
    jekyll = _site(tmp_path)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    source, dest = {
        "missing": (jekyll / "missing", tmp_path / "site"),
        "inside": (jekyll, jekyll / "site"),
        "outside": (jekyll, tmp_path),
        "same": (jekyll, jekyll),
        "file": (jekyll, tmp_path / "file"),
    }[where]
    before = snapshot(tmp_path)
    code, _, err = init(source, dest, "--force")
    assert code == 2
    assert message.format(jekyll=jekyll, tmp=tmp_path) in err, err
    assert "Traceback" not in err
    assert snapshot(tmp_path) == before


def test_help_names_the_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["init", "--help"])
    assert exit_info.value.code == 0
    assert "--from-jekyll JEKYLL_DIR" in capsys.readouterr().out


# -- the guide shows a real run ------------------------------------------------------


def _block_after(text: str, heading: str, language: str) -> str:
    after = text[text.index(heading) :]
    start = after.index(f"```{language}\n") + len(language) + 4
    return after[start : after.index("\n```\n", start) + 1]


def test_migration_guide_shows_what_init_prints(tmp_path, monkeypatch):
    guide = (Path(__file__).parents[2] / "site/docs/jekyll-migration.md").read_text("utf-8")
    assert guide.startswith("# Moving a Jekyll blog\n\n```console\n$ ablog-ext init --from-jekyll")
    shutil.copytree(FIXTURE, tmp_path / "old-blog")
    monkeypatch.chdir(tmp_path)
    code, out, _ = init(Path("old-blog"), Path("site"))
    assert code == 0
    assert _block_after(guide, "## What it prints", "text") == out
    conf = (tmp_path / "site/conf.py").read_text(encoding="utf-8")
    assert _block_after(guide, "### The `conf.py`", "python") == conf


def test_links_are_checked_after_liquid(tmp_path):
    """jekyllrb.com writes link references in a Liquid loop, and links to a
    collection's page with {% link %}: the check renders Liquid as the build does."""
    two = (
        "---\ntitle: Two\n---\n"
        "See [where][where-filter], [find][find-filter], [one]({% post_url 2020-01-01-one %}),\n"
        "[history]({% link _docs/history.md %}#v1), [gone]({% post_url 2019-01-01-gone %})\n"
        "and [home]({{ site.baseurl }}/).\n\n{% include more.html %}\n\n"
        "{% assign names = 'where,find' | split: ',' %}{% for name in names %}\n"
        "[{{ name }}-filter]: {{ name | prepend: '/docs/filters/#' | relative_url }}\n"
        "{% endfor %}\n"
    )
    files = {
        "_includes/more.html": '<a href="/from/include/">more</a>',
        "_config.yml": "baseurl: /blog\n",
        "_posts/2020-01-01-one.md": ONE_POST,
        "_posts/2020-01-02-two.md": two,
    }
    jekyll = write_files(tmp_path / "j", files)
    code, _, err = init(jekyll, tmp_path / "s")
    assert code == 0, err
    manifest = json.loads((tmp_path / "s/.ablog-ext-init.json").read_text("utf-8"))
    assert manifest["missing"] == {
        "posts/2020-01-02-two.md": [
            "/_docs/history.md#v1",
            # What {% post_url %} to nothing leaves: an empty link, and the tag.
            "",
            "/blog/docs/filters/#where",
            "/blog/docs/filters/#find",
            "/from/include/",
            "{% post_url 2019-01-01-gone %}",
        ]
    }


def test_an_included_dot_folder_is_published(tmp_path):
    """`include: [.well-known]` is how a Jekyll site publishes /.well-known/: init
    copies the folder and lists it, and the build serves it at the same path."""
    jekyll = write_files(
        tmp_path / "j",
        {
            "_config.yml": "include: [.well-known]\n",
            "_posts/2020-01-01-one.md": ONE_POST,
            ".well-known/security.txt": "Contact: mailto:keeper@example.org\n",
            ".hidden/never.txt": "not included\n",
        },
    )
    sphinx = tmp_path / "s"
    code, _, err = init(jekyll, sphinx)
    assert code == 0, err
    assert conf_of(sphinx)["ablog_ext_root_folders"] == [".well-known"]
    app = build_dir(sphinx)
    served = Path(app.outdir) / ".well-known/security.txt"
    assert served.read_text(encoding="utf-8") == "Contact: mailto:keeper@example.org\n"
    assert not (Path(app.outdir) / ".hidden").exists()
    assert not [w for w in warnings_of(app) if "root_folders" in w]
