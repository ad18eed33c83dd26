"""ablog_ext's reaches into other packages (``ablog_ext/reaches/``).

- Scoping: a plain ABlog site built in the same process as an ablog_ext site,
  before or after it, gives what a fresh process gives.
- Simulated upstream changes: for each reach, the target disappears or changes
  shape; the build gets exactly one ``ablog_ext.upstream`` warning, no title or
  name reaches a page unescaped, and the site is what it is without the change.

A name ABlog itself uses (``TOMORROW``, ``env.ablog_posts``, ``PostNode``...) is
renamed the way a new ABlog release would rename it: the module attribute, and
every name and string ABlog's own functions use.  A name of Sphinx that Sphinx
or a theme uses elsewhere is renamed on ablog_ext's side (the attribute name its
reach looks for), which is what ablog_ext sees when Sphinx renames it.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ablog
import ablog.blog
import ablog.post
import feedparser
import pytest
import sphinx
from bs4 import BeautifulSoup

from ablog_ext import reaches
from ablog_ext.reaches.sphinx import SphinxFragmentState
from ablog_ext.reading.post_doctree import PostDoctree, ablog_env_posts

from helpers import (
    ROOTS,
    build_site,
    injected,
    main_text,
    stop_stemming_through_lang,
    warnings_of,
)

ABLOG_MODULES = (ablog, ablog.blog, ablog.post)

# -- scoping -------------------------------------------------------------------------------------


#: Run in a new Python process: *builds* (``[name, testroot, confoverrides]``) one
#: after the other in it, as the tests build; prints what the checks need.
SCENARIO = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import ablog.blog
from helpers import build_site, warnings_of
tomorrow = ablog.blog.TOMORROW
result = {}
for name, root, overrides in json.loads(sys.argv[3]):
    app = build_site(Path(sys.argv[2]) / name, root, confoverrides=overrides)
    result[name] = {"outdir": str(app.outdir), "warnings": warnings_of(app)}
result["tomorrow kept"] = ablog.blog.TOMORROW == tomorrow
print(json.dumps(result))
"""


def in_a_new_process(tmp_path: Path, *builds: tuple[str, str, dict[str, Any]]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", SCENARIO, str(ROOTS.parent), str(tmp_path), json.dumps(builds)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def output_files(outdir: Path) -> dict[str, str]:
    """Every page and feed of a plain ABlog build, as text; a feed's own
    ``<updated>`` (the time it was written) left out."""
    files = {}
    for path in sorted(outdir.rglob("*")):
        rel = path.relative_to(outdir).as_posix()
        if path.is_dir() or rel.startswith(("_static/", "_sources/")) or rel == ".buildinfo":
            continue
        if path.suffix in {".html", ".xml"}:
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".xml":
                text = re.sub(r"<updated>[^<]*</updated>", "", text, count=1)
            files[rel] = text
    return files


def test_plain_ablog_in_the_same_process_is_plain_ablog(tmp_path):
    """Before and after an ablog_ext build (which sets ABlog's cutoff to the end of
    time, memoises excerpts, fills ABlog's shared blog), a plain ABlog site is built
    as a fresh process builds it: its 2999 post stays a draft, its archive pages,
    feeds and excerpts are ABlog's own.

    Both run in new processes: other tests' builds change what a later build in
    the same process gives, in ways that have nothing to do with ablog_ext (the
    PyData theme's templates, for one), so this site's own theme is used."""
    theme = {"html_theme": "alabaster"}
    fresh = in_a_new_process(tmp_path / "fresh", ("plain", "upstream-plain", theme))
    expected = output_files(Path(fresh["plain"]["outdir"]))
    assert "Far future" in expected["blog/drafts.html"]
    assert "Far future" not in expected["blog.html"]
    assert "blog/category/notes/atom.xml" in expected

    shared = in_a_new_process(
        tmp_path / "shared",
        ("before", "upstream-plain", theme),
        ("ext", "upstream", theme),
        ("after", "upstream-plain", theme),
    )
    assert shared["ext"]["warnings"] == []
    # The ablog_ext build published what ABlog's own rule would not, and put it back.
    assert shared["tomorrow kept"] is True
    for name in ("before", "after"):
        assert shared[name]["warnings"] == []
        got = output_files(Path(shared[name]["outdir"]))
        assert sorted(got) == sorted(expected)
        for rel, text in expected.items():
            diff = difflib.unified_diff(text.splitlines(), got[rel].splitlines(), lineterm="")
            assert got[rel] == text, (name, rel, "\n".join(list(diff)[:80]))


def test_a_plain_app_never_gets_the_blog_an_ablog_ext_build_left(tmp_path):
    from ablog.blog import Blog

    with_ext = build_site(tmp_path / "ext", "upstream")
    assert vars(Blog(with_ext)).get("app") is with_ext
    plain = build_site(tmp_path / "plain", "upstream-plain")
    blog = Blog(plain)
    assert vars(blog).get("app") is plain
    assert {post.docname for post in blog.posts} == {"posts/first", "posts/second"}


# -- simulated upstream changes -----------------------------------------------------------------


def _renamed_const(const: Any, old: str, new: str) -> Any:
    if isinstance(const, types.CodeType):
        return _renamed_code(const, old, new)
    if isinstance(const, tuple):
        # A dict display's constant keys: ``{"key": value, ...}``.
        return tuple(_renamed_const(item, old, new) for item in const)
    return new if const == old else const


def _renamed_code(code: types.CodeType, old: str, new: str) -> types.CodeType:
    consts = tuple(_renamed_const(c, old, new) for c in code.co_consts)
    names = tuple(new if name == old else name for name in code.co_names)
    return code.replace(co_consts=consts, co_names=names)


def _ablog_functions() -> Iterator[types.FunctionType]:
    """ABlog's functions and methods, with the originals of any ablog_ext wraps."""
    seen: set[int] = set()
    pending: list[Any] = []
    for module in ABLOG_MODULES:
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__.startswith("ablog"):
                for member in vars(value).values():
                    if isinstance(member, property):
                        pending += [member.fget, member.fset]
                    elif isinstance(member, staticmethod | classmethod):
                        pending.append(member.__func__)
                    else:
                        pending.append(member)
            else:
                pending.append(value)
    while pending:
        value = pending.pop()
        if not isinstance(value, types.FunctionType) or id(value) in seen:
            continue
        seen.add(id(value))
        pending += [
            getattr(value, "_ablog_ext_original", None),
            getattr(value, "__wrapped__", None),
        ]
        if value.__module__.startswith("ablog"):
            yield value


#: What a simulation changed that monkeypatch cannot undo.
_RESTORE: list[Callable[[], None]] = []


def _rename_class(cls: type, name: str) -> None:
    cls.__name__ = cls.__qualname__ = name


def rename_in_ablog(monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> None:
    """Rename *old* to *new* throughout ABlog: module attributes (a function gets
    the new name too), attributes and strings its code uses."""
    for function in list(_ablog_functions()):
        code = _renamed_code(function.__code__, old, new)
        if code is not function.__code__:
            monkeypatch.setattr(function, "__code__", code)
    for module in ABLOG_MODULES:
        if old not in vars(module):
            continue
        value = vars(module)[old]
        if isinstance(value, type) and value.__name__ == old:
            # A class's names are not in its __dict__: monkeypatch cannot put them back.
            value.__name__ = value.__qualname__ = new
            _RESTORE.append(functools.partial(_rename_class, value, old))
        if isinstance(value, types.FunctionType) and value.__name__ == old:
            value = types.FunctionType(
                value.__code__.replace(co_name=new, co_qualname=new),
                value.__globals__,
                new,
                value.__defaults__,
                value.__closure__,
            )
        monkeypatch.delattr(module, old)
        monkeypatch.setattr(module, new, value, raising=False)


def rename_class_attribute(monkeypatch: pytest.MonkeyPatch, cls: type, old: str, new: str) -> None:
    value = vars(cls)[old]
    rename_in_ablog(monkeypatch, old, new)
    monkeypatch.delattr(cls, old)
    monkeypatch.setattr(cls, new, value, raising=False)


def change_to_html_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Post.to_html(self, pagename, **options)``: same calls work, new parameters."""
    current = ablog.blog.Post.to_html
    original = getattr(current, "_ablog_ext_original", current)

    def to_html(self: Any, pagename: str, **options: Any) -> str:
        return original(self, pagename, **options)  # type: ignore[no-any-return]

    monkeypatch.setattr(ablog.blog.Post, "to_html", to_html)


def stop_calling_new_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Post.to_html`` no longer calls the module's ``new_document`` itself."""
    current = ablog.blog.Post.to_html
    original = getattr(current, "_ablog_ext_original", current)

    def to_html(
        self: Any, pagename: str, fulltext: bool = False, drop_h1: Any = True, img_url: bool = False
    ) -> str:
        return original(  # type: ignore[no-any-return]
            self, pagename, fulltext=fulltext, drop_h1=drop_h1, img_url=img_url
        )

    monkeypatch.setattr(ablog.blog.Post, "to_html", to_html)


def rename_our_attribute(reach: reaches.Reach, new: str) -> Callable[[pytest.MonkeyPatch], None]:
    def simulate(monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(reach, "attribute", new)

    return simulate


def rename_template_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sphinx's template loader keeps its Jinja environment under another name."""
    from sphinx.jinja2glue import BuiltinTemplateLoader

    init = BuiltinTemplateLoader.init

    def renamed_init(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.jinja_env = self.__dict__.pop("environment")

    monkeypatch.setattr(BuiltinTemplateLoader, "init", renamed_init)
    monkeypatch.setattr(
        BuiltinTemplateLoader,
        "render",
        lambda self, template, context: self.jinja_env.get_template(template).render(context),
    )
    monkeypatch.setattr(
        BuiltinTemplateLoader,
        "render_string",
        lambda self, source, context: self.jinja_env.from_string(source).render(context),
    )


def rename_builder_state(monkeypatch: pytest.MonkeyPatch) -> None:
    """The HTML builder's image path has another name."""
    state = tuple("image_path" if n == "imgpath" else n for n in SphinxFragmentState.STATE)
    monkeypatch.setattr(SphinxFragmentState, "STATE", state)


def change_pydata_nav(monkeypatch: pytest.MonkeyPatch) -> None:
    """pydata-sphinx-theme builds its header links another way."""
    from pydata_sphinx_theme import toctree

    original = toctree.add_toctree_functions

    def add_toctree_functions(*args: Any, **kwargs: Any) -> None:
        original(*args, **kwargs)

    monkeypatch.setattr(toctree, "add_toctree_functions", add_toctree_functions)


def change_pydata_sidebar(monkeypatch: pytest.MonkeyPatch) -> None:
    """pydata-sphinx-theme finds its sidebar's toctrees another way."""
    from pydata_sphinx_theme import toctree

    original = toctree.get_nonroot_toctree

    def get_nonroot_toctree(*args: Any, **kwargs: Any) -> Any:
        return original(*args, **kwargs)

    monkeypatch.setattr(toctree, "get_nonroot_toctree", get_nonroot_toctree)


def change_myst_heading(monkeypatch: pytest.MonkeyPatch) -> None:
    """MyST's ``render_heading`` no longer reads ``_heading_offset``."""
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer

    original = DocutilsRenderer.render_heading

    def render_heading(self: Any, token: Any) -> None:
        original(self, token)

    monkeypatch.setattr(DocutilsRenderer, "render_heading", render_heading)


def change_create_md_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    from myst_parser.parsers import mdit

    original = mdit.create_md_parser

    def create_md_parser(parser_config: Any, renderer_class: Any) -> Any:
        return original(parser_config, renderer_class)

    monkeypatch.setattr(mdit, "create_md_parser", create_md_parser)


def change_get_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sphinx's ``_get_settings`` takes its options another way."""
    from sphinx.util import docutils as sphinx_docutils

    current = sphinx_docutils._get_settings
    original = getattr(current, "_ablog_ext_original", current)

    def _get_settings(*components: Any, **options: Any) -> Any:
        return original(*components, **options)

    monkeypatch.setattr(sphinx_docutils, "_get_settings", _get_settings)


def rename_make_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """MyST renames ``make_document`` (and its renderer calls the new name)."""
    from myst_parser.mdit_to_docutils import base

    current = base.make_document
    monkeypatch.setattr(
        base,
        "new_default_document",
        getattr(current, "_ablog_ext_original", current),
        raising=False,
    )
    monkeypatch.delattr(base, "make_document")
    for name in ("setup_render", "render_restructuredtext"):
        function = getattr(base.DocutilsRenderer, name)
        code = _renamed_code(function.__code__, "make_document", "new_default_document")
        monkeypatch.setattr(function, "__code__", code)


def renamed(old: str, new: str) -> Callable[[pytest.MonkeyPatch], None]:
    return lambda monkeypatch: rename_in_ablog(monkeypatch, old, new)


#: Without ABlog's posts, ablog_ext adds nothing to ABlog's own pages and Atom feeds:
#: no RSS or JSON feeds, no year in review, no redirects from the posts' old URLs, no sitemap.
ABLOG_FEEDS_ONLY = re.compile(
    r"\.json$|rss\.xml$|^blog/review/|^(?!blog/|posts/)[^/]+/\d{4}/|^sitemap\.xml$"
)

#: id -> (simulation, package named, target named, outputs allowed to be missing)
CHANGES: dict[
    str, tuple[Callable[[pytest.MonkeyPatch], None], str, str, re.Pattern[str] | None]
] = {
    "Post.to_html": (change_to_html_parameters, "ABlog", "ablog.blog.Post.to_html", None),
    "new_document": (stop_calling_new_document, "ABlog", "ablog.blog.new_document", None),
    "TOMORROW": (renamed("TOMORROW", "CUTOFF"), "ABlog", "ablog.blog.TOMORROW", None),
    "Blog._dict": (
        lambda mp: rename_class_attribute(mp, ablog.blog.Blog, "_dict", "_shared"),
        "ABlog",
        "ablog.blog.Blog._dict",
        None,
    ),
    "generate_archive_pages": (
        renamed("generate_archive_pages", "build_archive_pages"),
        "ABlog",
        "ablog.post.generate_archive_pages",
        None,
    ),
    "generate_atom_feeds": (
        renamed("generate_atom_feeds", "build_atom_feeds"),
        "ABlog",
        "ablog.post.generate_atom_feeds",
        None,
    ),
    "html_page_context": (
        renamed("html_page_context", "page_context"),
        "ABlog",
        "ablog.html_page_context",
        None,
    ),
    "env.ablog_posts": (
        renamed("ablog_posts", "blog_posts"),
        "ABlog",
        "env.ablog_posts",
        ABLOG_FEEDS_ONLY,
    ),
    "postinfo doctree": (
        renamed("doctree", "post_copy"),
        "ABlog",
        "postinfo['doctree']",
        None,
    ),
    "events.listeners": (
        rename_our_attribute(reaches.sphinx.SPHINX_EVENT_LISTENERS, "_listeners"),
        "Sphinx",
        "app.events.listeners",
        None,
    ),
    "parallel_read_safe": (
        rename_our_attribute(reaches.sphinx.SPHINX_PARALLEL_READ, "parallel_read_ok"),
        "Sphinx",
        "parallel_read_safe",
        None,
    ),
    "_raw_config": (
        rename_our_attribute(reaches.sphinx.SPHINX_RAW_CONFIG, "_conf_values"),
        "Sphinx",
        "Config._raw_config",
        None,
    ),
    "build_info": (
        rename_our_attribute(reaches.sphinx.SPHINX_BUILD_INFO, "_build_info"),
        "Sphinx",
        "build_info.config_hash",
        None,
    ),
    "templates.environment": (
        rename_template_environment,
        "Sphinx",
        "builder.templates.environment",
        None,
    ),
    "builder state": (rename_builder_state, "Sphinx", "HTML builder state", None),
    "input_encoding": (
        rename_our_attribute(reaches.sphinx.SPHINX_INPUT_ENCODING, "docutils_settings"),
        "Sphinx",
        "env.settings['input_encoding']",
        None,
    ),
    "jinja get_template": (
        rename_our_attribute(reaches.jinja.JINJA_TEMPLATE_LOOKUP, "load_template"),
        "Jinja",
        "jinja2.Environment.get_template",
        None,
    ),
    "collection.html": (
        lambda mp: mp.setattr(
            reaches.ablog.ABLOG_COLLECTION_ENTRIES, "LOOP", "{% for post in posts %}"
        ),
        "ABlog",
        "the template ablog/collection.html",
        None,
    ),
    "pydata header nav": (
        change_pydata_nav,
        "pydata-sphinx-theme",
        "pydata_sphinx_theme.toctree.add_toctree_functions",
        None,
    ),
    "master_doctree": (
        rename_our_attribute(reaches.sphinx.SPHINX_NAVIGATION, "root_doctree"),
        "Sphinx",
        "sphinx.environment.adapters.toctree.global_toctree_for_doc",
        None,
    ),
    "pydata navigation": (
        change_pydata_sidebar,
        "pydata-sphinx-theme",
        "pydata_sphinx_theme.toctree's navigation",
        None,
    ),
    "_get_settings": (
        change_get_settings,
        "Sphinx",
        "sphinx.util.docutils._get_settings",
        None,
    ),
    "IndexBuilder.feed": (
        stop_stemming_through_lang,
        "Sphinx",
        "sphinx.search.IndexBuilder.feed",
        None,
    ),
    "env._app": (
        rename_our_attribute(reaches.sphinx.SPHINX_ENVIRONMENT_APP, "_application"),
        "Sphinx",
        "Sphinx's BuildEnvironment._app",
        None,
    ),
    "make_document": (rename_make_document, "MyST-Parser", "MyST's make_document", None),
    "MyST renderer": (change_myst_heading, "MyST-Parser", "SphinxRenderer private", None),
    "MystParser.parse": (
        change_create_md_parser,
        "MyST-Parser",
        "MystParser.parse (copied)",
        None,
    ),
}


def test_every_reach_has_a_simulated_change():
    named = {target for _, _, target, _ in CHANGES.values()}
    for reach in reaches.REACHES:
        assert any(target in reach.target for target in named), reach.target


def _text(node: Any) -> str:
    return " ".join(node.get_text(" ").replace("¶", " ").replace("#", " ").split())


#: What ablog_ext shows of its own records of the posts on ABlog's pages: a post's
#: reading time, series box and related posts (:mod:`ablog_ext.pages.post_extras`).
POST_EXTRAS = ".ablog-ext-reading-time, .ablog-ext-series, .ablog-ext-related"
#: The changes after which ablog_ext has no records of the posts, so shows none of them.
WITHOUT_RECORDS = {"env.ablog_posts"}


def page_view(path: Path, without_extras: bool = False) -> tuple[Any, ...]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for extra in soup.select(POST_EXTRAS) if without_extras else []:
        extra.decompose()
    article = main_text(soup)
    headings = [(tag.name, _text(tag)) for tag in article.find_all(["h1", "h2", "h3"])]
    links = sorted(_text(a) for a in article.find_all("a") if _text(a))
    return _text(soup.title), headings, links, _text(article)


def feed_view(path: Path) -> tuple[Any, ...]:
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        return data["title"], [(i["title"], i["url"]) for i in data["items"]]
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, path
    return parsed.feed.title, [(entry.title, entry.link) for entry in parsed.entries]


def site_view(outdir: Path, without_extras: bool = False) -> dict[str, tuple[Any, ...]]:
    view = {}
    for path in sorted(outdir.rglob("*")):
        rel = path.relative_to(outdir).as_posix()
        if path.is_dir() or rel.startswith(("_static/", "_sources/")):
            continue
        if path.suffix == ".html" and rel not in {"genindex.html", "search.html"}:
            view[rel] = page_view(path, without_extras)
        elif rel == "sitemap.xml":
            view[rel] = (path.read_text(encoding="utf-8"),)
        elif path.suffix in {".xml", ".json"}:
            view[rel] = feed_view(path)
    return view


@pytest.fixture(scope="module")
def unchanged_site(tmp_path_factory) -> Path:
    app = build_site(tmp_path_factory.mktemp("unchanged"), "upstream")
    assert warnings_of(app) == []
    return Path(app.outdir)


@pytest.fixture(scope="module")
def unchanged(unchanged_site):
    return site_view(unchanged_site)


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_changed_upstream_name_gives_one_warning_and_the_same_site(
    tmp_path, monkeypatch, unchanged, unchanged_site, change
):
    simulate, package, target, may_be_missing = CHANGES[change]
    if change == "_get_settings" and sphinx.version_info[0] < 9:
        pytest.skip("Sphinx 8 builds docutils' settings once per file type: nothing to reach")
    if change == "env._app" and sphinx.version_info[0] < 9:
        pytest.skip("Sphinx 8 keeps the application as env.app, which is public there")
    try:
        simulate(monkeypatch)
        app = build_site(tmp_path, "upstream")
    finally:
        monkeypatch.undo()
        while _RESTORE:
            _RESTORE.pop()()

    warnings = warnings_of(app)
    assert len(warnings) == 1, warnings
    assert "[ablog_ext.upstream]" in warnings[0]
    assert f"WARNING: {package} " in warnings[0] and target in warnings[0], warnings[0]
    assert "ablog_ext turns off" in warnings[0]

    outdir = Path(app.outdir)
    for page in sorted(outdir.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert injected(soup, "pwned = 1") == [], page.relative_to(outdir)

    got = site_view(outdir)
    if change in WITHOUT_RECORDS:
        # No reading times, series or related posts anywhere; the rest the same.
        for page in sorted(outdir.rglob("*.html")):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            assert soup.select(POST_EXTRAS) == [], page.relative_to(outdir)
        unchanged = site_view(unchanged_site, without_extras=True)
    expected = {
        rel: view
        for rel, view in unchanged.items()
        if may_be_missing is None or not may_be_missing.search(rel)
    }
    assert sorted(got) == sorted(expected)
    for rel, view in expected.items():
        assert got[rel] == view, rel


def test_a_name_no_longer_reached_can_change(tmp_path, monkeypatch, unchanged):
    """ABlog's ``config.matched_blog_posts`` is no longer read (ablog_ext globs the
    documented ``blog_post_pattern`` itself): renaming it changes nothing."""
    try:
        rename_in_ablog(monkeypatch, "matched_blog_posts", "post_docnames")
        app = build_site(tmp_path, "upstream")
    finally:
        monkeypatch.undo()
    assert warnings_of(app) == []
    assert site_view(Path(app.outdir)) == unchanged


def feeds_of(outdir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.suffix in {".xml", ".json"} and path.is_file()
    }


def test_full_text_feeds_without_ablogs_copy_of_each_post(tmp_path, monkeypatch):
    """ABlog's copy of each post is a stand-in loaded from the pickled doctree;
    should ABlog keep it under another name, the copy is left to ABlog (without
    its link to the environment) and ablog_ext's full-text feeds load each post
    themselves: the same feeds, byte for byte, and one warning."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    unchanged = build_site(tmp_path / "unchanged", "feeds")
    # The root's hostile post warns about its title, changed or not.
    expected_warnings = warnings_of(unchanged)
    assert all("upstream" not in warning for warning in expected_warnings)
    posts = ablog_env_posts(unchanged.env)
    assert all(isinstance(i["doctree"], PostDoctree) for v in posts.values() for i in v)
    expected = feeds_of(Path(unchanged.outdir))
    assert b"More text in the full post." in b"".join(expected.values())
    try:
        rename_in_ablog(monkeypatch, "doctree", "post_copy")
        changed = build_site(tmp_path / "changed", "feeds")
    finally:
        monkeypatch.undo()
    known = {warning.partition("WARNING:")[2] for warning in expected_warnings}
    warnings = [w for w in warnings_of(changed) if w.partition("WARNING:")[2] not in known]
    assert len(warnings) == 1 and "postinfo['doctree']" in warnings[0], warnings
    posts = ablog_env_posts(changed.env)
    copies = [info["post_copy"] for infos in posts.values() for info in infos]
    assert copies and all(copy.settings.env is None for copy in copies)
    assert feeds_of(Path(changed.outdir)) == expected
