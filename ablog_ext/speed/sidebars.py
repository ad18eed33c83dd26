"""Blog sidebars rendered once per link base, not once per page.

Recent posts, archives, categories, tags, authors, feeds and reviews show the same
thing on most pages of a build: their links differ only by the page's folder (the
base ``pathto`` makes them relative to), and recent posts leave out the page
itself.  Each such sidebar is rendered once per build for each key (template;
the depth of the page's folder, and how many leading folders it shares with each
page linked to, which is all ``relative_uri`` looks at, for ``html`` and
``dirhtml`` alike; what else the page changes in it) and its HTML is given to
every other page with that key.  A page one of whose sidebar links points at the
page itself (``pathto`` gives ``#`` there) renders its own.

What a page shows must still be followed (:mod:`.page_reads`): the reads the one real
render made are given again to each page that shows its HTML, with the page's
own name where a read names it (``ablog.recent(5, pagename)``).

pydata-sphinx-theme renders every sidebar once just to see whether it is empty;
the blog sidebars that cannot be empty on a page are named to it in the page's
``templates_skip_empty_check``, after what the user (or the theme) set there.

Only ABlog's and ablog_ext's own template files are handled: a site's own
``ablog/recentposts.html`` may show anything, and is rendered on every page.
The lookup of templates is reached through :mod:`ablog_ext.speed.templates`
(:data:`~ablog_ext.reaches.jinja.JINJA_TEMPLATE_LOOKUP`); the theme's option is
documented, and read from the page's context as every theme option is.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ablog
from sphinx.application import Sphinx

from ablog_ext.pages.html_theme import TEMPLATES
from ablog_ext.pages.render import writes_html_pages
from ablog_ext.reaches.sphinx import SPHINX_TEMPLATES
from ablog_ext.speed import page_reads as fresh
from ablog_ext.speed.templates import replace_template_lookup
from ablog_ext.state import Slot, build_state

#: Off in tests, to compare the pages with those rendered one by one.
REUSE = True

#: What, besides the link base, makes a sidebar's HTML differ from page to page:
#: ``key(context)`` (``None``: this page's cannot be kept).
PageKey = Callable[[Any], Hashable]


def _raw(value: Any) -> Any:
    return getattr(value, "_raw", value)


def _unread(value: Any) -> Hashable:
    """A context list as a key, without noting a read (:func:`.page_reads.watched`)."""
    if value is None:
        return ("missing",)
    if isinstance(value, list | tuple):
        return tuple(list.__iter__(value) if isinstance(value, list) else value)
    return None


def _same(context: Any) -> Hashable:
    return ()


def _recent(context: Any) -> Hashable:
    # The template shows ablog.recent(5, pagename): the five newest but this page.
    blog, pagename = _raw(context.get("ablog")), context.get("pagename")
    if blog is None or not hasattr(blog, "recent"):
        return None
    return tuple(fresh.post_key(post) for post in blog.recent(5, pagename))


#: ABlog's and ablog_ext's sidebars whose HTML is kept (``postcard.html`` shows
#: the page's own post: rendered on each page).
KEYS: dict[str, PageKey] = {
    "ablog/recentposts.html": _recent,
    "ablog/archives.html": _same,
    "ablog/categories.html": _same,
    "ablog/tagcloud.html": _same,
    "ablog/authors.html": _same,
    "ablog/languages.html": _same,
    "ablog/locations.html": _same,
    "ablog_ext/feeds.html": lambda context: _unread(context.get("ablog_ext_feeds")),
    "ablog_ext/reviews.html": lambda context: _unread(context.get("ablog_ext_reviews")),
}

#: The catalog each of ABlog's catalog sidebars tests (``{% if ablog.<name> %}``).
_CATALOG_SIDEBARS = {
    "ablog/archives.html": "archive",
    "ablog/categories.html": "category",
    "ablog/tagcloud.html": "tags",
    "ablog/authors.html": "author",
    "ablog/languages.html": "language",
    "ablog/locations.html": "location",
}

_FOLDERS = (Path(ablog.get_html_templates_path()).resolve(), Path(TEMPLATES).resolve())


def ours(template: Any) -> bool:
    """Whether *template* is loaded from ABlog's or ablog_ext's own files."""
    filename = getattr(template, "filename", None)
    if not filename:
        return False
    resolved = Path(filename).resolve()
    return any(resolved.is_relative_to(folder) for folder in _FOLDERS)


@dataclass(frozen=True)
class Kept:
    """One sidebar's HTML, and what its render read."""

    html: str
    #: The reads of the page it was rendered for (:func:`.page_reads.capturing`).
    reads: tuple[fresh.Aspect, ...]
    #: That page's name.
    origin: str


def _common(folders: list[str], target: tuple[str, ...]) -> int:
    """How many leading folders ``relative_uri`` drops from a link to *target*."""
    count = 0
    for mine, theirs in zip(folders, target, strict=False):
        if mine != theirs:
            break
        count += 1
    return count


@dataclass
class Group:
    """A sidebar on pages at one folder depth that show the same thing: the URLs
    its links point at (the same on every such page), and its HTML for each way
    a page's folders share leading folders with them (``pathto`` drops those)."""

    #: The URLs linked to (without fragments): a page at one of them links to
    #: itself (``#``) and renders its own.
    targets: frozenset[str]
    #: The folders of each URL linked to, by their first folder.
    by_first: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    variants: dict[tuple[int, ...], Kept] = field(default_factory=dict)

    @classmethod
    def of(cls, targets: set[str]) -> Group:
        group = cls(frozenset(targets))
        for target in sorted(targets):
            folders = tuple(target.split("/")[:-1])
            if folders:
                group.by_first.setdefault(folders[0], []).append(folders)
        return group

    def shape(self, folders: list[str]) -> tuple[int, ...]:
        """What makes the links of a page in *folders* differ from another's at
        the same depth: the folders they share with each URL linked to."""
        if not folders:
            return ()
        return tuple(_common(folders, target) for target in self.by_first.get(folders[0], ()))


def _once(reads: Iterable[fresh.Aspect]) -> tuple[fresh.Aspect, ...]:
    """*reads* without repeats (a tag cloud reads its catalog once per tag)."""
    reads = tuple(reads)
    try:
        return tuple(dict.fromkeys(reads))
    except TypeError:  # a part that cannot be hashed: kept as read
        return reads


class Sidebars:
    """The blog sidebars kept in one build of one application."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.groups: dict[tuple[str, int, Hashable], Group] = {}
        self.bases: dict[str, str] = {}
        #: Renders, and pages that were given kept HTML (for tests and profiles).
        self.rendered = 0
        self.reused = 0

    def base(self, pagename: str) -> str:
        """The URL ``pathto`` makes the page's links relative to."""
        if pagename not in self.bases:
            self.bases[pagename] = self.app.builder.get_target_uri(pagename).partition("#")[0]
        return self.bases[pagename]

    def html(self, name: str, template: Any, context: Any) -> str:
        pagename = context.get("pagename")
        page_key = KEYS[name](context) if isinstance(pagename, str) else None
        try:
            hash(page_key)
        except TypeError:  # a context value of another shape: rendered here
            page_key = None
        if page_key is None:
            return self.render(template, context)[0]
        base = self.base(pagename)
        folders = base.split("/")[:-1]
        key = (name, len(folders), page_key)
        group = self.groups.get(key)
        if group is not None and base not in group.targets:
            kept = group.variants.get(group.shape(folders))
            if kept is not None:
                fresh.replay(self.app, pagename, kept.reads, kept.origin)
                self.reused += 1
                return kept.html
        with fresh.capturing(self.app, pagename) as reads:
            html, targets = self.render(template, context)
        if base not in targets and fresh.portable(reads or (), pagename):
            if group is None:
                group = self.groups[key] = Group.of(targets)
            # The same posts shown link to the same pages, whatever the page.
            if group.targets == targets:
                shape = group.shape(folders)
                group.variants.setdefault(shape, Kept(html, _once(reads or ()), pagename))
        return html

    def render(self, template: Any, context: Any) -> tuple[str, set[str]]:
        """The template's HTML in *context*, and the URLs its links point at."""
        targets: set[str] = set()
        pathto = context.get("pathto")
        variables = dict(context.get_all()) if hasattr(context, "get_all") else dict(context)
        if callable(pathto):
            builder = self.app.builder

            def noting_pathto(
                otheruri: str, resource: bool = False, *args: Any, **kwargs: Any
            ) -> Any:
                if not (resource and "://" in otheruri):
                    target = otheruri if resource else builder.get_target_uri(otheruri)
                    if not target.startswith("/"):  # kept as it is by relative_uri
                        targets.add(target.partition("#")[0])
                return pathto(otheruri, resource, *args, **kwargs)

            variables["pathto"] = noting_pathto
        environment = template.environment
        self.rendered += 1
        try:
            html = environment.concat(template.root_render_func(template.new_context(variables)))
        except Exception:
            environment.handle_exception()
        return html, targets


class _KeptTemplate:
    """Stands in for a blog sidebar's template where a page includes it or the
    theme renders it (``render``) to test whether it is empty."""

    def __init__(self, sidebars: Sidebars, name: str, template: Any) -> None:
        self.sidebars = sidebars
        self.name = name
        self.template = template

    def new_context(self, *args: Any, **kwargs: Any) -> Any:
        return self.template.new_context(*args, **kwargs)

    def root_render_func(self, context: Any) -> Any:
        yield self.sidebars.html(self.name, self.template, context)

    def render(self, *args: Any, **kwargs: Any) -> str:
        context = self.template.new_context(dict(*args, **kwargs))
        return self.sidebars.html(self.name, self.template, context)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.template, name)


#: Made at ``builder-inited``, when the stand-ins that use it are put in the
#: builder's templates: it lasts as they do (emptied by :func:`forget_kept`).
_SIDEBARS: Slot[Sidebars] = Slot("sidebars: the kept HTML", lasting=True)


def sidebars(app: Sphinx) -> Sidebars | None:
    """This build's kept sidebars (``None`` when sidebars are rendered per page)."""
    return build_state(app).peek(_SIDEBARS)


def _applies(app: Sphinx) -> bool:
    # singlehtml's links carry the page's anchor; other builders write no sidebars.
    return REUSE and writes_html_pages(app) and app.builder.name != "singlehtml"


def keep_sidebars(app: Sphinx) -> None:
    """``builder-inited``: the blog sidebars' templates, looked up in the builder's
    Jinja environment, come back as stand-ins that keep their HTML."""
    build_state(app).pop(_SIDEBARS)
    build_state(app).pop(_OURS)
    if not _applies(app):
        return
    kept = Sidebars(app)
    if replace_template_lookup(
        app,
        wanted=lambda name, template: name in KEYS and ours(template),
        stand_in=lambda name, template: _KeptTemplate(kept, name, template),
    ):
        build_state(app).set(_SIDEBARS, kept)


def _not_empty(app: Sphinx, pagename: str, context: dict[str, Any], name: str) -> bool:
    """Whether ABlog's or ablog_ext's template *name* shows something on this page
    (the test each template starts with, made on the blog itself: no read)."""
    blog = _raw(context.get("ablog"))
    if blog is None:
        return False
    if name == "ablog/recentposts.html":
        return len(blog) > 0
    if name == "ablog/postcard.html":
        return pagename in blog
    if name in _CATALOG_SIDEBARS:
        return len(getattr(blog, _CATALOG_SIDEBARS[name])) > 0
    if name in _CONTEXT_SIDEBARS:
        value = context.get(_CONTEXT_SIDEBARS[name])
        # list.__len__: the length without noting a read (:func:`.page_reads.watched`).
        if isinstance(value, list):
            return list.__len__(value) > 0
        return isinstance(value, tuple) and len(value) > 0
    return False


#: ablog_ext's sidebars, and the context value each shows (``{% if <value> %}``).
_CONTEXT_SIDEBARS = {
    "ablog_ext/feeds.html": "ablog_ext_feeds",
    "ablog_ext/reviews.html": "ablog_ext_reviews",
}


#: Blog sidebars the theme need not render to test (their test is made here).
_TESTED = {*KEYS, "ablog/postcard.html"}
#: pydata-sphinx-theme's documented option ``templates_skip_empty_check`` (after
#: 0.16.0), in the page's context as every option of the theme is.
SKIP_EMPTY_CHECK = "theme_templates_skip_empty_check"


def skip_empty_check(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``, before pydata-sphinx-theme drops the empty templates:
    name the page's blog sidebars that are not empty to it."""
    if not _applies(app) or not _reads_skip_empty_check(app, context):
        return
    listed = context.get("sidebars")
    if not isinstance(listed, list | tuple) or not listed:
        return
    names = [name if Path(name).suffix else f"{name}.html" for name in listed]
    environment = SPHINX_TEMPLATES.environment(app)
    wanted = []
    for name in names:
        if name not in _TESTED or name in wanted:
            continue
        # The theme matches its option's entries to the ends of template names.
        if any(other != name and other.endswith(name) for other in names):
            continue
        if _is_ours(app, environment, name) and _not_empty(app, pagename, context, name):
            wanted.append(name)
    _extend_skip_empty_check(context, wanted)


def _reads_skip_empty_check(app: Sphinx, context: dict[str, Any]) -> bool:
    """Whether pydata-sphinx-theme (or a theme built on it) makes this page, with
    a version that has the option."""
    return "pydata_sphinx_theme" in app.extensions and SKIP_EMPTY_CHECK in context


def _extend_skip_empty_check(context: dict[str, Any], names: Iterable[str]) -> None:
    """Add *names* to the templates the theme does not render to test on this
    page, after those the user's option (or the theme's default) names."""
    current = context[SKIP_EMPTY_CHECK] or []
    if isinstance(current, str):
        current = [item.strip() for item in current.split(",")]
    current = list(current)
    added = [name for name in names if name not in current]
    if added:
        # A new list: the page's context shares the theme's with every page.
        context[SKIP_EMPTY_CHECK] = [*current, *added]


#: Whether each template name is ABlog's or ablog_ext's own file, in the
#: builder's templates: it lasts as they do.
_OURS: Slot[dict[str, bool]] = Slot("sidebars: our templates", lambda app: {}, lasting=True)


def _is_ours(app: Sphinx, environment: Any, name: str) -> bool:
    known = build_state(app).get(_OURS)
    if name not in known:
        try:
            template = environment.get_template(name)
        except Exception:
            template = None
        known[name] = ours(getattr(template, "template", template))
    return known[name]


def forget_kept(app: Sphinx, env: Any) -> None:
    """``env-updated``: another build of the same application (tests, a server that
    keeps its application) starts with no kept HTML; what the posts show may have
    changed."""
    kept = sidebars(app)
    if kept is not None:
        kept.groups.clear()
        kept.bases.clear()
