"""Every reach into another package's internals, in one place.

ablog_ext sits on ABlog, MyST-Parser, pydata-sphinx-theme, docutils and Sphinx, and
replaces some of ABlog's hot paths, so it needs more of them than their documented
APIs give.  Each such need is one class below (a *reach*): its docstring says why
it is needed, what it needs of the other package, and the versions it was seen in.
When a build starts, each reach's :meth:`Reach.check` verifies that its target is
there with the shape expected.  When one is not, the build gets one warning
(``ablog_ext.upstream``) naming the package, its installed version and what is
turned off, and the reach's fallback is used instead: slower, or without an
optimisation, but never wrong and never unescaped.

Patches are scoped to the applications that loaded ablog_ext (:func:`loaded_by`):
a process-wide patch delegates to the original for any other application, and
what ablog_ext changes in ABlog's module state is set while its build runs and
put back when the build ends.  Another Sphinx application in the same process,
without ablog_ext, sees plain ABlog.

The reaches, by package (public, documented APIs are not listed):

=====================  ==================================================================
ABlog                  :data:`ABLOG_POST_TO_HTML` (patched), :data:`ABLOG_NEW_DOCUMENT`
                       (patched), :data:`ABLOG_TOMORROW` (set), :data:`ABLOG_BLOG_STATE`
                       (private ``Blog._dict``, ``Blog.__init__`` patched),
                       :data:`ABLOG_ARCHIVE_PAGES`, :data:`ABLOG_ATOM_FEEDS` and
                       :data:`ABLOG_PAGE_CONTEXT` (listeners found by name),
                       :data:`ABLOG_ENV_POSTS` (``env.ablog_posts``),
                       :data:`ABLOG_POST_DOCTREE` (``postinfo["doctree"]``, replaced),
                       :data:`ABLOG_MATCHED_POSTS` (``config.matched_blog_posts``),
                       :data:`ABLOG_COLLECTION_ENTRIES` (its archive template, split), and the
                       undocumented names :data:`ABLOG_SLUGIFY`, :data:`ABLOG_POST_NODE`,
                       :data:`ABLOG_POST_LIST`, :data:`ABLOG_REGISTER_POSTS`
Sphinx                 :data:`SPHINX_EVENT_LISTENERS`, :data:`SPHINX_PARALLEL_READ`,
                       :data:`SPHINX_RAW_CONFIG`, :data:`SPHINX_SOURCE_SUFFIXES`,
                       :data:`SPHINX_BUILD_INFO`, :data:`SPHINX_TEMPLATES`,
                       :data:`SPHINX_FRAGMENT_STATE`, :data:`SPHINX_INPUT_ENCODING`,
                       :data:`SPHINX_DOCUTILS_SETTINGS` (patched),
                       :data:`SPHINX_NAVIGATION` (toctree entries, swapped while made),
                       :data:`SPHINX_SEARCH_STEMS` (the index language's ``stem``)
MyST-Parser            :data:`MYST_RENDERER` (private renderer members),
                       :data:`MYST_PARSE` (a copy of ``MystParser.parse``),
                       :data:`MYST_DEFAULT_DOCUMENT` (``make_document``, patched)
pydata-sphinx-theme    :data:`PYDATA_HEADER_NAV` (how its header links read titles),
                       :data:`PYDATA_NAVIGATION` (where its navigation reads toctrees),
                       :data:`PYDATA_SKIP_EMPTY` (the context value its empty-template
                       test reads)
Jinja                  :data:`JINJA_TEMPLATE_LOOKUP` (``get_template`` replaced on the
                       builder's environment)
=====================  ==================================================================

docutils is used through its public API only.
"""

from __future__ import annotations

import ast
import codecs
import contextlib
import contextvars
import datetime as dt
import functools
import hashlib
import html
import importlib
import inspect
import itertools
import os
import posixpath
import re
import types
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from glob import glob
from pathlib import Path, PurePath
from typing import Any, ClassVar

from docutils import nodes
from markupsafe import Markup
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import new_document as sphinx_new_document
from sphinx.util.osutil import relative_uri

logger = logging.getLogger("ablog_ext.upstream")

#: Applications that loaded ablog_ext; the process-wide patches leave all others alone.
_APPS: weakref.WeakSet[Sphinx] = weakref.WeakSet()
#: Each application's check results, one per reach, so each warns once per build.
_RESULTS: weakref.WeakKeyDictionary[Sphinx, dict[Reach, bool]] = weakref.WeakKeyDictionary()

#: How the warnings name each distribution.
_DISPLAY = {
    "ablog": "ABlog",
    "sphinx": "Sphinx",
    "myst-parser": "MyST-Parser",
    "pydata-sphinx-theme": "pydata-sphinx-theme",
    "jinja2": "Jinja",
}


def loaded_by(app: Any) -> bool:
    """Whether *app* loaded ablog_ext (only those get ablog_ext's patched behaviour)."""
    try:
        return app in _APPS
    except TypeError:
        return False


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "(version unknown)"


def _lookup(dotted: str) -> Any:
    """The object at *dotted* (``module.attr.attr``), or ``None``."""
    module_name, _, rest = dotted.partition(":")
    try:
        found: Any = importlib.import_module(module_name)
    except ImportError:
        return None
    for part in rest.split(".") if rest else []:
        found = inspect.getattr_static(found, part, None)
        if found is None:
            return None
    return found


def _parameters(function: Any) -> tuple[str, ...] | None:
    """The parameter names of *function* itself (not of what it wraps)."""
    if isinstance(function, staticmethod | classmethod):
        function = function.__func__
    try:
        signature = inspect.signature(function, follow_wrapped=False)
    except (TypeError, ValueError):
        return None
    return tuple(signature.parameters)


def _names_used(function: Any) -> set[str]:
    """The global and attribute names (and string constants) *function*'s code
    uses, nested functions and comprehensions included."""
    function = getattr(function, "_ablog_ext_original", function)
    if isinstance(function, property):
        function = function.fget
    with contextlib.suppress(ValueError):
        function = inspect.unwrap(function)
    return _code_names(getattr(function, "__code__", None))


def _code_names(code: types.CodeType | None) -> set[str]:
    found: set[str] = set()
    pending = [code] if code is not None else []
    while pending:
        each = pending.pop()
        found.update(each.co_names)
        for const in each.co_consts:
            if isinstance(const, str):
                found.add(const)
            elif isinstance(const, types.CodeType):
                pending.append(const)
            elif isinstance(const, tuple | frozenset):
                # A dict display's constant keys: ``{"key": value, ...}``.
                found.update(item for item in const if isinstance(item, str))
    return found


def _nested_code(function: Any, name: str) -> types.CodeType | None:
    """The code of the function *name* defined inside *function*."""
    code = getattr(function, "__code__", None)
    pending = [code] if code is not None else []
    while pending:
        each = pending.pop()
        for const in each.co_consts:
            if isinstance(const, types.CodeType):
                if const.co_name == name:
                    return const
                pending.append(const)
    return None


def _shows(params: tuple[str, ...] | None) -> str:
    return "(" + ", ".join(params) + ")" if params is not None else "no signature"


class Reach:
    """One dependency on another package's internals: checked once per build."""

    #: The distribution whose version the warning names.
    package: ClassVar[str] = "ablog"
    #: What is reached, as the warning names it.
    target: ClassVar[str] = ""
    #: What is turned off when the target is not as expected, and what is done instead.
    fallback: ClassVar[str] = ""
    #: When the check runs: ``"config"`` (``config-inited``) or ``"builder"``.
    stage: ClassVar[str] = "config"
    #: Reaches this one cannot work without; when one is off, so is this one, and
    #: that one's warning is the only one.
    requires: ClassVar[tuple[Reach, ...]] = ()

    def applies(self, app: Sphinx) -> bool:
        """Whether this build needs the target at all (a theme, a builder)."""
        return True

    def check(self, app: Sphinx) -> str | None:
        """What is wrong with the target (``None``: it has the shape expected)."""
        raise NotImplementedError

    def on(self, app: Sphinx) -> bool:
        """Whether the reach is used in *app*'s build; checked (and warned about) once."""
        results = _RESULTS.setdefault(app, {})
        if self not in results:
            results[self] = self._verify(app)
        return results[self]

    def _verify(self, app: Sphinx) -> bool:
        if not loaded_by(app) or not self.applies(app):
            return False
        if not all(required.on(app) for required in self.requires):
            return False
        try:
            problem = self.check(app)
        except Exception as error:  # a shape we did not foresee is a changed shape
            problem = f"could not be checked ({type(error).__name__}: {error})"
        if problem is None:
            return True
        logger.warning(
            "%s %s: %s %s; ablog_ext turns off %s",
            _DISPLAY.get(self.package, self.package),
            _version(self.package),
            self.target,
            problem,
            self.fallback,
            type="ablog_ext",
            subtype="upstream",
        )
        return False


# -- ABlog: rendering posts' HTML -----------------------------------------------------------

#: Set while ablog_ext renders a post through ABlog: ABlog's ``new_document`` is then
#: Sphinx's (for any other caller, docutils' as ABlog imports it).
_FAST_DOCUMENTS: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "ablog_ext_fast_documents", default=False
)
_ORIGINAL = "_ablog_ext_original"


def _replace_once(owner: Any, name: str, make: Callable[[Any], Any]) -> None:
    """Put ``make(current)`` in place of ``owner.name``, once per process (a
    replacement already there stays); it remembers the original under
    :data:`_ORIGINAL`, so checks and tests can find what it replaced."""
    # On a class, the attribute itself (Blog.__init__), not what looking it up makes.
    if isinstance(owner, type):
        current = inspect.getattr_static(owner, name)
    else:
        current = getattr(owner, name)
    if getattr(current, _ORIGINAL, None) is not None:
        return
    replacement = make(current)
    setattr(replacement, _ORIGINAL, current)
    setattr(owner, name, replacement)


def _post_app(post: Any) -> Any:
    """The application an ABlog post belongs to (its ``Blog``'s)."""
    try:
        return vars(post.blog).get("app")
    except Exception:
        return None


class AblogPostToHtml(Reach):
    """``ablog.blog.Post.to_html``, patched: ABlog's archive pages render a post's
    excerpt on every page that lists it (3,108 renders for 300 posts); ablog_ext
    renders it once per build (once per output folder when something in it
    depends on the page: a cross-reference, an image), returns it as ``Markup`` (so
    the autoescaped templates keep it as HTML), and shows one that cannot be
    rendered as plain text.

    Needs ``to_html(self, pagename, fulltext, drop_h1, img_url)``, a ``blog``
    property whose ``Blog`` has the ``app``, and instances with a ``__dict__``.
    Seen in ABlog 0.11.13.
    """

    target = "ablog.blog.Post.to_html"
    fallback = (
        "rendering each excerpt once per folder (ABlog renders it on every page that "
        "lists it; each post still shows plain text when it cannot be rendered)"
    )
    PARAMETERS = ("self", "pagename", "fulltext", "drop_h1", "img_url")

    def check(self, app: Sphinx) -> str | None:
        post_class = _lookup("ablog.blog:Post")
        if post_class is None:
            return "is missing"
        if hasattr(post_class, "__slots__"):
            return "has no instance dictionary"
        if not isinstance(inspect.getattr_static(post_class, "blog", None), property):
            return "has no 'blog' property"
        function = getattr(post_class, "to_html", None)
        params = _parameters(getattr(function, _ORIGINAL, function))
        if params != self.PARAMETERS:
            return f"has parameters {_shows(params)}, not {_shows(self.PARAMETERS)}"
        return None

    def install(self, app: Sphinx, on_error: Callable[[Any, bool, Exception], str]) -> None:
        """Patch ``Post.to_html`` (once per process) if *app*'s check passes; else
        give each of *app*'s posts, when its archive pages are written, a wrapper
        that only marks the HTML and catches errors."""
        if not self.on(app):
            app.connect("html-page-context", _wrap_each_post, priority=1)
            return
        from ablog.blog import Post

        _replace_once(Post, "to_html", lambda current: _memoized_to_html(current, on_error))


def _memoized_to_html(original: Any, on_error: Callable[[Any, bool, Exception], str]) -> Any:
    @functools.wraps(original)
    def to_html(
        self: Any, pagename: str, fulltext: bool = False, drop_h1: Any = True, img_url: bool = False
    ) -> str:
        app = _post_app(self)
        if not loaded_by(app):
            return original(self, pagename, fulltext=fulltext, drop_h1=drop_h1, img_url=img_url)
        builder = app.builder
        cache: dict[tuple[Any, ...], str] = self.__dict__.setdefault("_ablog_ext_html", {})
        if "_ablog_ext_folder_free" not in self.__dict__:
            # Decided on the excerpt as first rendered (a failed one is replaced after).
            self.__dict__["_ablog_ext_folder_free"] = same_in_every_folder(self.excerpt)
        if fulltext or img_url or not self.__dict__["_ablog_ext_folder_free"]:
            folder = posixpath.dirname(builder.get_target_uri(pagename))
        else:
            folder = None
        key = (folder, fulltext, drop_h1, img_url)
        if key not in cache:
            permalinks = builder.add_permalinks
            token = _FAST_DOCUMENTS.set(ABLOG_NEW_DOCUMENT.on(app))
            try:
                # A copy: what its links lack, the post's own page has already said.
                with logging.suppress_logging():
                    html = original(
                        self, pagename, fulltext=fulltext, drop_h1=drop_h1, img_url=img_url
                    )
            except Exception as error:
                # One post's excerpt must never stop the build (ABlog's templates
                # call this while writing every archive page that lists the post).
                builder.add_permalinks = permalinks
                html = on_error(self, fulltext, error)
            finally:
                _FAST_DOCUMENTS.reset(token)
            # Markup: HTML that the autoescaping of ABlog's templates must keep.
            cache[key] = Markup(html)
        return cache[key]

    setattr(to_html, _ORIGINAL, original)
    return to_html


#: Nodes whose HTML is the same whatever page shows them: nothing in them is
#: resolved against the page (cross-references), linked relative to its folder
#: (images, downloads) or numbered by it (tables, figures, equations).  Exactly
#: these types (a subclass may render otherwise), and any admonition.
_FOLDER_FREE_TYPES = frozenset({
    nodes.Text, nodes.paragraph, nodes.emphasis, nodes.strong, nodes.literal,
    nodes.reference, nodes.target, nodes.inline, nodes.literal_block, nodes.doctest_block,
    nodes.bullet_list, nodes.enumerated_list, nodes.list_item, nodes.definition_list,
    nodes.definition_list_item, nodes.term, nodes.definition, nodes.field_list,
    nodes.field, nodes.field_name, nodes.field_body, nodes.block_quote, nodes.attribution,
    nodes.comment, nodes.rubric, nodes.title_reference, nodes.subscript,
    nodes.superscript, nodes.line_block, nodes.line, nodes.abbreviation, nodes.acronym,
    nodes.raw, nodes.container, nodes.compound, nodes.transition, nodes.problematic,
    nodes.title,
})  # fmt: skip


def same_in_every_folder(excerpt: Iterable[nodes.Node]) -> bool:
    """Whether an excerpt's HTML is the same on every page (then it is rendered
    once per build, not once per folder of the pages that list it)."""
    return all(
        type(node) in _FOLDER_FREE_TYPES or isinstance(node, nodes.Admonition)
        for top in excerpt
        for node in top.findall()
    )


def excerpt_folder_free(post: Any) -> bool:
    """Whether ``to_html`` gives *post*'s excerpt the same HTML in every folder:
    the patched one's own decision, made once on the excerpt as first rendered
    (a failed one is replaced after); never with ABlog's own ``to_html``."""
    app = _post_app(post)
    if not (loaded_by(app) and ABLOG_POST_TO_HTML.on(app)):
        return False
    if "_ablog_ext_folder_free" not in post.__dict__:
        post.__dict__["_ablog_ext_folder_free"] = same_in_every_folder(post.excerpt)
    return bool(post.__dict__["_ablog_ext_folder_free"])


_ON_ERROR: dict[str, Callable[[Any, bool, Exception], str]] = {}


def _wrap_each_post(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Fallback of :class:`AblogPostToHtml`: each post of *app*'s blog gets an
    instance attribute ``to_html`` that marks ABlog's HTML as ``Markup`` and shows
    plain text instead of failing, whatever ``to_html``'s parameters are."""
    from ablog.blog import Blog

    on_error = _ON_ERROR.get("to_html")
    blog = Blog(app)
    for post in [*blog.posts, *blog.drafts]:
        if "to_html" in vars(post) or not callable(getattr(post, "to_html", None)):
            continue
        post.to_html = _instance_to_html(post, post.to_html, on_error)


def _instance_to_html(
    post: Any, original: Callable[..., str], on_error: Callable[[Any, bool, Exception], str] | None
) -> Callable[..., Markup]:
    def to_html(*args: Any, **kwargs: Any) -> Markup:
        try:
            return Markup(original(*args, **kwargs))
        except Exception as error:
            if on_error is None:
                raise
            return Markup(on_error(post, bool(kwargs.get("fulltext")), error))

    return to_html


def install_post_html(app: Sphinx, on_error: Callable[[Any, bool, Exception], str]) -> None:
    """``config-inited``: ABlog's ``to_html`` memoised for *app* (or its fallback),
    and its ``new_document`` Sphinx's while ablog_ext renders."""
    _ON_ERROR["to_html"] = on_error
    ABLOG_POST_TO_HTML.install(app, on_error)
    ABLOG_NEW_DOCUMENT.install(app)


def render_post_html(post: Any, pagename: str) -> str:
    """An ABlog post's excerpt HTML for *pagename*, through whichever ``to_html``
    the post has (so a failure is caught either way)."""
    app = _post_app(post)
    if loaded_by(app) and not ABLOG_POST_TO_HTML.on(app) and "to_html" not in vars(post):
        post.to_html = _instance_to_html(post, post.to_html, _ON_ERROR.get("to_html"))
    return str(post.to_html(pagename))


class AblogNewDocument(Reach):
    """``ablog.blog.new_document``, replaced: ABlog's ``to_html`` makes a document
    per call with docutils' ``new_document``, which builds a whole option parser
    each time; Sphinx's keeps the default settings.  The replacement is Sphinx's
    only while ablog_ext renders a post, docutils' for everyone else.

    Needs the module global ``new_document(source_path, settings=None)``, read by
    ``Post.to_html``.  Seen in ABlog 0.11.13.
    """

    target = "ablog.blog.new_document"
    fallback = "Sphinx's faster new_document for excerpts (docutils' is used)"

    def check(self, app: Sphinx) -> str | None:
        module = _lookup("ablog.blog")
        function = getattr(module, "new_document", None)
        if not callable(function):
            return "is missing"
        params = _parameters(getattr(function, _ORIGINAL, function))
        if params is None or params[:2] != ("source_path", "settings"):
            return f"has parameters {_shows(params)}, not (source_path, settings)"
        post_class = getattr(module, "Post", None)
        if "new_document" not in _names_used(getattr(post_class, "to_html", None)):
            return "is no longer what Post.to_html calls"
        return None

    def install(self, app: Sphinx) -> None:
        if not self.on(app):
            return
        from ablog import blog

        def replacement(current: Any) -> Any:
            def new_document(source_path: str, settings: Any = None) -> nodes.document:
                if _FAST_DOCUMENTS.get():
                    return sphinx_new_document(source_path, settings)
                return current(source_path, settings)

            return new_document

        _replace_once(blog, "new_document", replacement)


# -- ABlog: module and class state -----------------------------------------------------------


class AblogTomorrow(Reach):
    """``ablog.blog.TOMORROW``, set while ablog_ext's build runs: ABlog publishes a
    post dated before tomorrow on the build machine's clock (computed once, when
    ABlog is imported); ablog_ext publishes what is dated up to the build time on
    the site's clock, or everything with ``ablog_ext_future``.  Put back when the
    build ends.

    Needs a ``datetime`` module global read by ``Blog.register`` and
    ``Post.__init__``.  Seen in ABlog 0.11.13.
    """

    target = "ablog.blog.TOMORROW"
    fallback = (
        "aligning ABlog's future posts with ablog_ext's (ABlog's own rule, before "
        "tomorrow on this machine's clock, decides which dated posts it lists; with "
        "ablog_ext_future, later posts are ABlog drafts)"
    )
    #: The module global's name (tests rename it to simulate ABlog renaming it).
    attribute = "TOMORROW"

    def __init__(self) -> None:
        self.wanted: weakref.WeakKeyDictionary[Sphinx, dt.datetime] = weakref.WeakKeyDictionary()
        self.saved: list[Any] = []

    def check(self, app: Sphinx) -> str | None:
        module = _lookup("ablog.blog")
        if not isinstance(getattr(module, self.attribute, None), dt.datetime):
            return "is missing, or not a datetime"
        blog_class, post_class = getattr(module, "Blog", None), getattr(module, "Post", None)
        for user in (getattr(blog_class, "register", None), getattr(post_class, "__init__", None)):
            if self.attribute not in _names_used(user):
                return f"is no longer read by {getattr(user, '__qualname__', user)}"
        return None

    def use(self, app: Sphinx, value: dt.datetime) -> None:
        """Make *value* ABlog's cutoff while *app* builds."""
        if not self.on(app):
            return
        if app not in self.wanted:
            app.connect("env-before-read-docs", self._set)
            app.connect("build-finished", self._restore)
        self.wanted[app] = value

    def _set(self, app: Sphinx, env: Any, docnames: Any) -> None:
        from ablog import blog

        if not self.saved:
            self.saved.append(getattr(blog, self.attribute))
        setattr(blog, self.attribute, self.wanted[app])

    def _restore(self, app: Sphinx, exception: Exception | None) -> None:
        from ablog import blog

        if self.saved:
            setattr(blog, self.attribute, self.saved.pop())


class AblogBlogState(Reach):
    """``ablog.blog.Blog._dict``: ABlog keeps its blog in one dictionary shared by
    every ``Blog`` of the process.  ablog_ext empties it when its build starts and
    after renaming names (so archives are made again), and patches ``Blog.__init__``
    so that another application never gets the blog an ablog_ext build left.

    Needs ``Blog._dict`` (a dict every instance uses as its ``__dict__``) and
    ``Blog.__init__(self, app)``.  Seen in ABlog 0.11.13.
    """

    target = "ablog.blog.Blog._dict"
    fallback = (
        "its reset of ABlog's shared blog (the blog is emptied through a new Blog "
        "instead, and when the build ends)"
    )
    attribute = "_dict"

    def check(self, app: Sphinx) -> str | None:
        blog_class = _lookup("ablog.blog:Blog")
        if blog_class is None:
            return "is missing (no ablog.blog.Blog)"
        if not isinstance(inspect.getattr_static(blog_class, self.attribute, None), dict):
            return "is missing"
        init = inspect.getattr_static(blog_class, "__init__", None)
        params = _parameters(getattr(init, _ORIGINAL, init))
        if params != ("self", "app"):
            return f"is not what Blog(app) uses: Blog.__init__ has parameters {_shows(params)}"
        return None

    def reset(self, app: Sphinx) -> None:
        """Forget every post ABlog registered (in any application)."""
        from ablog.blog import Blog

        if self.on(app):
            getattr(Blog, self.attribute).clear()
            return
        with contextlib.suppress(Exception):
            # Whatever its name, a shared state is the __dict__ of every instance.
            Blog(app).__dict__.clear()

    def install(self, app: Sphinx) -> None:
        if not self.on(app):
            app.connect("build-finished", lambda app, exception: self.reset(app))
            return
        from ablog.blog import Blog

        def replacement(current: Any) -> Any:
            @functools.wraps(current)
            def __init__(blog: Any, app: Any) -> None:
                current(blog, app)
                owner = vars(blog).get("app")
                if owner is not None and owner is not app and (loaded_by(owner) or loaded_by(app)):
                    # One of the two applications is ablog_ext's: this one starts afresh.
                    blog.__dict__.clear()
                    current(blog, app)

            return __init__

        _replace_once(Blog, "__init__", replacement)


# -- ABlog: its event listeners ------------------------------------------------------------


class SphinxEventListeners(Reach):
    """``app.events.listeners``: the handlers connected to each event, where ABlog's
    page generators are found by name (Sphinx has no public way to list them).

    Needs a mapping of event names to lists of listeners with ``id``, ``handler``
    and ``priority``.  Seen in Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's app.events.listeners"
    fallback = (
        "replacing ABlog's archive pages and Atom feeds (ABlog writes both; ablog_ext "
        "escapes the pages' titles and writes its feeds after ABlog's)"
    )
    attribute = "listeners"

    def check(self, app: Sphinx) -> str | None:
        listeners = getattr(app.events, self.attribute, None)
        if not isinstance(listeners, Mapping):
            return "is missing"
        for each in listeners.get("html-collect-pages", []):
            if not all(hasattr(each, name) for name in ("id", "handler", "priority")):
                return "holds listeners without id, handler and priority"
        return None

    def find(self, app: Sphinx, event: str, module: str, function: str) -> list[Any]:
        return [
            listener
            for listener in getattr(app.events, self.attribute, {}).get(event, [])
            if getattr(listener.handler, "__module__", "") == module
            and getattr(listener.handler, "__name__", "") == function
        ]


class AblogListener(Reach):
    """Base of the ABlog listeners ablog_ext finds by name."""

    event: ClassVar[str] = "html-collect-pages"
    module: ClassVar[str] = "ablog.post"
    #: The handler's name (tests rename ABlog's function to simulate a rename).
    function = ""

    def check(self, app: Sphinx) -> str | None:
        if not SPHINX_EVENT_LISTENERS.find(app, self.event, self.module, self.function):
            return f"is not connected to {self.event}"
        return None

    def found(self, app: Sphinx) -> list[Any]:
        if not self.on(app):
            return []
        return SPHINX_EVENT_LISTENERS.find(app, self.event, self.module, self.function)


class AblogArchivePages(AblogListener):
    """ABlog's ``generate_archive_pages`` listener, replaced by ablog_ext's: it
    generates only the archive pages whose posts changed, and escapes their titles
    (themes print a page's title as HTML; a category name may hold markup).

    Needs the handler ``ablog.post.generate_archive_pages`` connected to
    ``html-collect-pages``.  Seen in ABlog 0.11.13.
    """

    target = "ablog.post.generate_archive_pages"
    fallback = (
        "generating only the archive pages that changed (ABlog generates every one; "
        "their titles are still escaped)"
    )
    function = "generate_archive_pages"

    def __init__(self) -> None:
        self.handlers: weakref.WeakKeyDictionary[Sphinx, Callable[..., Any]] = (
            weakref.WeakKeyDictionary()
        )

    def replace(self, app: Sphinx, replacement: Callable[[Sphinx], Any]) -> None:
        """Connect *replacement* in place of ABlog's generator; *replacement* gets
        ABlog's pages from :meth:`generate`.  Without it, ABlog's generator stays
        and its pages' titles are escaped as the page is written."""
        listeners = self.found(app)
        if not listeners:
            if loaded_by(app):
                app.connect("html-page-context", escape_archive_titles, priority=1)
            return
        for listener in listeners:
            self.handlers[app] = listener.handler
            app.disconnect(listener.id)
            app.connect(self.event, replacement, priority=listener.priority)

    def generate(self, app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
        handler = self.handlers.get(app)
        if handler is not None:
            yield from handler(app)


#: ABlog's templates of the pages its archive generator writes.
_ARCHIVE_TEMPLATES = {"ablog/catalog.html", "ablog/collection.html", "ablog/redirect.html"}


def escape_page_titles(context: dict[str, Any]) -> None:
    """Themes print a page's title as HTML; ABlog's are plain text (a category
    name from front matter may hold markup)."""
    for key in ("title", "feed_title"):
        if isinstance(context.get(key), str):
            context[key] = html.escape(context[key], quote=True)


def escape_archive_titles(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Fallback of :class:`AblogArchivePages`: ABlog's pages' titles escaped as
    each page is written, whatever generated it."""
    if templatename in _ARCHIVE_TEMPLATES and doctree is None:
        escape_page_titles(context)


class AblogAtomFeeds(AblogListener):
    """ABlog's ``generate_atom_feeds`` listener, removed: ablog_ext writes every
    feed ABlog would (Atom, with ABlog's options) and more, once.

    Needs the handler ``ablog.post.generate_atom_feeds`` connected to
    ``html-collect-pages``.  Seen in ABlog 0.11.13.
    """

    target = "ablog.post.generate_atom_feeds"
    fallback = (
        "switching off ABlog's Atom writer (ABlog writes its feeds, and ablog_ext "
        "writes every one of them again after it)"
    )
    function = "generate_atom_feeds"

    def remove(self, app: Sphinx) -> None:
        for listener in self.found(app):
            app.disconnect(listener.id)

    def still_writes(self, app: Sphinx) -> bool:
        """Whether ABlog's own Atom writer runs in this build (before ablog_ext's)."""
        return loaded_by(app) and not (self.on(app) and ABLOG_ENV_POSTS.on(app))


class AblogPageContext(AblogListener):
    """ABlog's ``html_page_context`` listener (it puts the blog in every page's
    context as ``ablog``), run inside ablog_ext's own handler, which then puts views
    in place of the blog's objects: they note what each page's templates read, so
    that a page whose sidebars would show something else after an edit is written
    again (:mod:`.fresh`).  ablog_ext's handler runs before the theme's, which
    renders sidebars to drop the empty ones (pydata-sphinx-theme).

    Needs the handler ``ablog.html_page_context`` connected to
    ``html-page-context``.  Seen in ABlog 0.11.13.
    """

    event = "html-page-context"
    module = "ablog"
    target = "ablog.html_page_context"
    fallback = (
        "following what each page shows of the blog (every page is written again "
        "whenever anything of a post changes)"
    )
    function = "html_page_context"

    def wrap(
        self,
        app: Sphinx,
        wrapper: Callable[[Callable[..., Any] | None], Callable[..., Any]],
        priority: int,
    ) -> bool:
        """Connect ``wrapper(ABlog's handler)`` in its place, at *priority*; without
        ABlog's handler, ``wrapper(None)`` (ABlog's own, renamed, still runs)."""
        listeners = self.found(app)
        for listener in listeners:
            app.disconnect(listener.id)
        app.connect(self.event, wrapper(listeners[0].handler if listeners else None), priority)
        return bool(listeners)


# -- ABlog: its data ---------------------------------------------------------------------------


class AblogEnvPosts(Reach):
    """``env.ablog_posts``: what ABlog read of each post (a list of dictionaries per
    document: title, date, update, category, tags, author, excerpt, doctree,
    section).  ablog_ext records each post from it, gives ABlog the excerpt and
    update date it cannot express, merges it after parallel reads, and renames
    names in it.

    Needs ``process_posts`` to store it on the environment under that name.
    Seen in ABlog 0.11.13.
    """

    target = "env.ablog_posts"
    fallback = (
        "its records of ABlog's posts: ablog_ext's feeds, year-in-review and theme "
        "pages list no posts, old URLs get no redirects, excerpts end where ABlog "
        "ends them, and ABlog's own Atom feeds are kept"
    )
    attribute = "ablog_posts"

    def check(self, app: Sphinx) -> str | None:
        process_posts = _lookup("ablog.post:process_posts")
        if self.attribute not in _names_used(process_posts):
            return "is no longer where ablog.post.process_posts stores posts"
        return None

    def posts(self, env: Any) -> dict[str, list[dict[str, Any]]]:
        """ABlog's posts by document (empty when ABlog keeps them elsewhere)."""
        posts = getattr(env, self.attribute, None)
        return posts if isinstance(posts, dict) else {}

    def has_posts(self, env: Any) -> bool:
        return isinstance(getattr(env, self.attribute, None), dict)

    def set_posts(self, env: Any, posts: dict[str, Any]) -> None:
        setattr(env, self.attribute, posts)


class AblogPostDoctree(Reach):
    """``postinfo["doctree"]``: ABlog's ``process_posts`` keeps a deep copy of each
    post (its whole document, or its section) in ``env.ablog_posts``, which
    ``Post.__init__`` makes ``Post.doctree`` and ``Post.to_html(fulltext=True)``
    renders a deep copy of.  Those copies are half of the environment, and the
    copied document's settings link the whole environment that read it (in a
    ``-j`` build, a worker's, kept alive in the parent).  ablog_ext puts
    :class:`PostDoctree` in its place: a few names that load the post from the
    document's own pickled doctree (``env.get_doctree``) when it is copied.

    Needs ``process_posts`` to store the copy under ``"doctree"`` and
    ``Post.__init__`` to read it.  ``Post.to_html`` copies it with ``deepcopy``;
    anything else asked of the stand-in is asked of a fresh copy.  Seen in
    ABlog 0.11.13.
    """

    target = "ABlog's postinfo['doctree'] (a copy of each post)"
    fallback = (
        "replacing ABlog's copy of each post with a stand-in (the copies are kept, "
        "without their link to the environment)"
    )
    key = "doctree"

    def check(self, app: Sphinx) -> str | None:
        if self.key not in _names_used(_lookup("ablog.post:process_posts")):
            return "is no longer where ablog.post.process_posts keeps a post's copy"
        post_class = _lookup("ablog.blog:Post")
        if self.key not in _names_used(getattr(post_class, "__init__", None)):
            return "is no longer read by ablog.blog.Post"
        return None

    def lighten(self, app: Sphinx, docname: str, info: dict[str, Any]) -> None:
        """``doctree-read``: *info*'s copy replaced by a stand-in (or, when this
        reach is off, every copied document in *info* unlinked from the environment)."""
        if not self.on(app):
            for value in info.values():
                if isinstance(value, nodes.Node):
                    _unlinked(value)
            return
        copy = info.get(self.key)
        section = str(info.get("section") or "")
        if isinstance(copy, nodes.document):
            info[self.key] = PostDoctree(app.env, docname, "")
        elif isinstance(copy, nodes.section) and section:
            info[self.key] = PostDoctree(app.env, docname, section)
        elif isinstance(copy, nodes.Node):
            # A section at the top of its document: ABlog keeps only its title.
            _unlinked(copy)

    def bind(self, env: BuildEnvironment, docnames: Iterable[str] | None = None) -> None:
        """Point the stand-ins of *env* (of *docnames*, or all) at it, after they
        were unpickled: a saved environment, or a ``-j`` worker's posts."""
        posts = ABLOG_ENV_POSTS.posts(env)
        for docname in posts if docnames is None else docnames:
            for info in posts.get(docname, []):
                stand_in = info.get(self.key)
                if isinstance(stand_in, PostDoctree):
                    stand_in.bind(env)


class PostDoctree:
    """Stands in for ABlog's copy of one post: its document's name and the post's
    section (empty for a whole document).  :meth:`deepcopy` loads it from the
    doctree Sphinx pickled, so the environment holds no second copy of each post,
    and nothing that links the environment that read it.
    """

    def __init__(self, env: BuildEnvironment, docname: str, section: str) -> None:
        self.docname = docname
        self.section = section
        self._env: weakref.ref[BuildEnvironment] | None = weakref.ref(env)

    def __getstate__(self) -> dict[str, Any]:
        return {"docname": self.docname, "section": self.section}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._env = None

    def __repr__(self) -> str:
        where = f"#{self.section}" if self.section else ""
        return f"<PostDoctree {self.docname}{where}>"

    def bind(self, env: BuildEnvironment) -> None:
        self._env = weakref.ref(env)

    def _environment(self) -> BuildEnvironment:
        env = self._env() if self._env is not None else None
        if env is None:
            # Never bound in this process: the application whose posts hold this one.
            for app in list(_APPS):
                infos = ABLOG_ENV_POSTS.posts(getattr(app, "env", None)).get(self.docname, [])
                if any(info.get(ABLOG_POST_DOCTREE.key) is self for info in infos):
                    env = app.env
                    self.bind(env)
                    break
        if env is None:
            raise LookupError(f"no build environment holds the post {self.docname!r}")
        return env

    def deepcopy(self) -> nodes.Element:
        """A copy of the post as ABlog would have kept it: the document, or the
        post's section."""
        doctree = self._environment().get_doctree(self.docname)
        if not self.section:
            return doctree
        section = doctree.ids.get(self.section)
        if section is None:
            raise LookupError(f"{self.docname!r} has no section {self.section!r} any more")
        copy: nodes.Element = section.deepcopy()
        return copy

    def astext(self) -> str:
        return str(self.deepcopy().astext())

    def __getattr__(self, name: str) -> Any:
        # Anything else another extension asks of ABlog's copy: from a fresh copy (slow).
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.deepcopy(), name)


def post_copy(post: Any) -> nodes.Element:
    """A copy of an ABlog post's whole text: its document, or its section."""
    app = _post_app(post)
    kept = getattr(post, ABLOG_POST_DOCTREE.key, None)
    if app is not None and ABLOG_POST_DOCTREE.on(app) and isinstance(kept, PostDoctree):
        return kept.deepcopy()
    if not isinstance(getattr(app, "env", None), BuildEnvironment):
        raise LookupError(f"no build environment holds the post {post.docname!r}")
    # Without ABlog's copy (renamed, or none): from the document Sphinx pickled.
    return PostDoctree(app.env, post.docname, str(post.section or "")).deepcopy()


def _unlinked(node: nodes.Node) -> None:
    """A stored copy unlinked from its source document and the environment, as
    Sphinx's ``write_doctree`` unlinks a doctree before pickling it."""
    if isinstance(node, nodes.document):
        node.settings = node.settings.copy()
        node.settings.env = None
        node.settings.warning_stream = None
        node.settings.record_dependencies = None
        node.reporter = None
        node.transformer = None
    for each in node.findall():
        if each is not node or not isinstance(node, nodes.document):
            each.document = node if isinstance(node, nodes.document) else None


class AblogMatchedPosts(Reach):
    """``config.matched_blog_posts``: the documents ABlog found with
    ``blog_post_pattern`` (at ``config-inited``), which are posts.

    Needs ABlog's ``config_inited`` to set it.  Seen in ABlog 0.11.13.
    """

    target = "config.matched_blog_posts"
    fallback = "reading ABlog's list of posts (ablog_ext matches blog_post_pattern itself)"
    attribute = "matched_blog_posts"

    def __init__(self) -> None:
        self.own: weakref.WeakKeyDictionary[Config, list[str]] = weakref.WeakKeyDictionary()

    def check(self, app: Sphinx) -> str | None:
        if self.attribute not in _names_used(_lookup("ablog:config_inited")):
            return "is no longer set by ablog.config_inited"
        return None

    def match(self, app: Sphinx, config: Config) -> None:
        """``config-inited``, after ABlog's: without ABlog's list, make ours as
        ABlog 0.11 does (each pattern globbed in the source folder)."""
        if self.on(app) or not loaded_by(app):
            return
        patterns = config.blog_post_pattern or []
        matched = []
        for pattern in [patterns] if isinstance(patterns, str) else patterns:
            for found in glob(os.path.join(app.srcdir, str(pattern)), recursive=True):
                matched.append(PurePath(found).relative_to(app.srcdir).with_suffix("").as_posix())
        self.own[config] = matched

    def posts(self, config: Config) -> list[str]:
        found = getattr(config, self.attribute, None)
        if isinstance(found, list | tuple):
            return list(found)
        return self.own.get(config, [])


class AblogName(Reach):
    """A name ablog_ext imports from ABlog that ABlog does not document."""

    def __init__(self, dotted: str, why: str, fallback: str) -> None:
        self.dotted = dotted
        self.target = dotted.replace(":", ".")  # type: ignore[misc]
        self.fallback = fallback  # type: ignore[misc]
        self.__doc__ = why

    def check(self, app: Sphinx) -> str | None:
        return None if self.get() is not None else "is missing"

    def get(self) -> Any:
        return _lookup(self.dotted)


def _own_slugify(string: str) -> str:
    """ABlog 0.11's ``slugify``: the file name of a name's archive page."""
    import unicodedata

    string = unicodedata.normalize("NFKD", str(string))
    string = re.sub(r"[^\w\s-]", "", string).strip().lower()
    return re.sub(r"[-\s]+", "-", string)


def slugify(text: str) -> str:
    """ABlog's slug of an archive's name (its page's file name)."""
    function = ABLOG_SLUGIFY.get()
    return str((function if callable(function) else _own_slugify)(text))


#: The options ABlog's ``post`` directive stores on its node, and ``postlist``'s.
_POST_NODE_KEYS = {"tags", "author", "category", "location", "language", "redirect", "exclude"}
_POST_LIST_KEYS = {"tags", "author", "category", "format", "sort", "excerpts", "expand"}


def _ablog_nodes(doctree: nodes.Node, keys: set[str]) -> Iterator[nodes.Element]:
    for node in doctree.findall(nodes.Element):
        if type(node).__module__.startswith("ablog") and keys <= set(node.attributes):
            yield node


def post_nodes(doctree: nodes.Node) -> list[nodes.Element]:
    """The nodes of ABlog's ``post`` directives in *doctree*."""
    node_class = ABLOG_POST_NODE.get()
    if isinstance(node_class, type):
        return list(doctree.findall(node_class))
    return list(_ablog_nodes(doctree, _POST_NODE_KEYS))


def postlist_nodes(doctree: nodes.Node) -> list[nodes.Element]:
    """The nodes of ABlog's ``postlist`` directives in *doctree*."""
    node_class = ABLOG_POST_LIST.get()
    if isinstance(node_class, type):
        return list(doctree.findall(node_class))
    return list(_ablog_nodes(doctree, _POST_LIST_KEYS))


def postlist_test() -> Callable[[nodes.Node], bool]:
    """Whether a node is one of ABlog's ``postlist`` directives (for a walk that
    looks for more than that)."""
    node_class = ABLOG_POST_LIST.get()
    if isinstance(node_class, type):
        return lambda node: isinstance(node, node_class)
    return lambda node: (
        isinstance(node, nodes.Element)
        and type(node).__module__.startswith("ablog")
        and set(node.attributes) >= _POST_LIST_KEYS
    )


def register_posts(app: Sphinx) -> None:
    """ABlog's ``register_posts``: file every post of the environment in the blog."""
    function = ABLOG_REGISTER_POSTS.get()
    if callable(function):
        function(app)
        return
    from ablog.blog import Blog

    blog = Blog(app)
    for docname, infos in ABLOG_ENV_POSTS.posts(app.env).items():
        for info in infos:
            blog.register(docname, info)


class SphinxParallelRead(Reach):
    """``app.extensions["ablog"].parallel_read_safe``, set to true: ABlog declares
    parallel reading unsafe because nothing merges ``env.ablog_posts`` back from
    the worker processes; ablog_ext merges it (``env-merge-info``).

    Needs Sphinx's extension record with a writable ``parallel_read_safe``, and
    :data:`ABLOG_ENV_POSTS`.  Seen in Sphinx 8.0 to 9.0, ABlog 0.11.13.
    """

    package = "sphinx"
    target = "Sphinx's app.extensions['ablog'].parallel_read_safe"
    fallback = "parallel reading of ABlog sites (documents are read one at a time)"
    attribute = "parallel_read_safe"

    def check(self, app: Sphinx) -> str | None:
        extension = app.extensions.get("ablog")
        if extension is None or not hasattr(extension, self.attribute):
            return "is missing"
        return None

    def allow(self, app: Sphinx) -> None:
        if self.on(app) and ABLOG_ENV_POSTS.on(app):
            setattr(app.extensions["ablog"], self.attribute, True)


# -- Sphinx ---------------------------------------------------------------------------------------


class SphinxRawConfig(Reach):
    """``config._raw_config``: the values conf.py set, to tell a value the user set
    from a default (pydata-sphinx-theme asks the same way).

    Needs a dict of conf.py's names on the ``Config``.  Seen in Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's Config._raw_config"
    fallback = (
        "reading conf.py's values from Sphinx (ablog_ext reads which names conf.py "
        "assigns from its source instead)"
    )
    attribute = "_raw_config"

    def __init__(self) -> None:
        self.assigned: weakref.WeakKeyDictionary[Config, frozenset[str]] = (
            weakref.WeakKeyDictionary()
        )

    def check(self, app: Sphinx) -> str | None:
        if not isinstance(getattr(app.config, self.attribute, None), dict):
            return "is missing"
        return None

    def read_conf(self, app: Sphinx, config: Config) -> None:
        """``config-inited``: without it, the names conf.py assigns, from its source."""
        if self.on(app) or not loaded_by(app) or app.confdir is None:
            return
        try:
            tree = ast.parse(Path(app.confdir, "conf.py").read_bytes())
        except (OSError, SyntaxError, ValueError):
            return
        names: set[str] = set()
        for node in ast.walk(tree):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign | ast.AugAssign):
                targets = [node.target]
            for target in targets:
                for each in ast.walk(target):
                    if isinstance(each, ast.Name):
                        names.add(each.id)
        self.assigned[config] = frozenset(names)

    def set_in_conf(self, config: Config, name: str) -> bool:
        raw = getattr(config, self.attribute, None)
        if isinstance(raw, dict):
            return name in raw
        return name in self.assigned.get(config, frozenset())


class SphinxSourceSuffixes(Reach):
    """``app.registry.source_suffix``: the suffixes already registered, so that a
    post suffix is added once.

    Needs the registry's dict of suffixes.  Seen in Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's app.registry.source_suffix"
    fallback = (
        "looking up registered suffixes (each is added, and one already there is left as it is)"
    )
    attribute = "source_suffix"

    def check(self, app: Sphinx) -> str | None:
        if not isinstance(getattr(app.registry, self.attribute, None), dict):
            return "is missing"
        return None

    def add(self, app: Sphinx, suffix: str, filetype: str) -> None:
        """``app.add_source_suffix(suffix, filetype)`` unless it is registered."""
        if self.on(app):
            if suffix not in getattr(app.registry, self.attribute):
                app.add_source_suffix(suffix, filetype)
            return
        with contextlib.suppress(ExtensionError):
            app.add_source_suffix(suffix, filetype)


class SphinxBuildInfo(Reach):
    """``builder.build_info.config_hash``: Sphinx's hash of the HTML configuration,
    part of the fingerprint of every page ablog_ext generates (a changed option
    regenerates them).

    Needs the HTML builder's ``build_info`` with ``config_hash``.  Seen in
    Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's builder.build_info.config_hash"
    fallback = (
        "keeping generated pages that did not change (every archive, review and theme "
        "page and feed is generated again)"
    )
    stage = "builder"
    attribute = "build_info"

    def __init__(self) -> None:
        self.tokens: weakref.WeakKeyDictionary[Sphinx, str] = weakref.WeakKeyDictionary()

    def applies(self, app: Sphinx) -> bool:
        return app.builder.format == "html"

    def check(self, app: Sphinx) -> str | None:
        info = getattr(app.builder, self.attribute, None)
        if not isinstance(getattr(info, "config_hash", None), str):
            return "is missing"
        return None

    def config_hash(self, app: Sphinx) -> str:
        """The hash; without it, a value that changes every build (nothing is kept)."""
        if self.on(app):
            return repr(getattr(app.builder, self.attribute).config_hash)
        return self.tokens.setdefault(app, uuid.uuid4().hex)


class SphinxTemplates(Reach):
    """``builder.templates.environment``: the Jinja environment of the HTML
    builder, whose ``autoescape`` ablog_ext turns on for ABlog's templates (which
    print titles and names as they are).

    Needs the builder's template loader to hold a ``jinja2.Environment`` as
    ``environment``.  Seen in Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's builder.templates.environment"
    fallback = (
        "finding Jinja's environment by name (it is looked for among the template "
        "loader's attributes)"
    )
    stage = "builder"
    attribute = "environment"

    def applies(self, app: Sphinx) -> bool:
        return getattr(app.builder, "templates", None) is not None

    def check(self, app: Sphinx) -> str | None:
        import jinja2

        found = getattr(app.builder.templates, self.attribute, None)
        if not isinstance(found, jinja2.Environment):
            return "is missing"
        return None

    def environment(self, app: Sphinx) -> Any:
        """The Jinja environment ABlog's templates are rendered in, or ``None``."""
        import jinja2

        templates = getattr(app.builder, "templates", None)
        if templates is None:
            return None
        if self.on(app):
            return getattr(templates, self.attribute)
        candidates = [v for v in vars(templates).values() if isinstance(v, jinja2.Environment)]
        return candidates[0] if len(candidates) == 1 else None


class SphinxFragmentState(Reach):
    """The HTML builder's per-page state, set by hand to render a fragment for a
    page that is not a document (feeds, review and theme pages): ``docsettings``,
    ``secnumbers``, ``fignumbers``, ``imgpath``, ``dlpath``, ``current_docname``,
    ``add_permalinks``, and a translator from ``create_translator`` whose output is
    in ``fragment``.

    Needs ``write_doc`` to set that state, and those attributes.  Seen in
    Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's HTML builder state (imgpath, secnumbers, ...)"
    fallback = (
        "rendering fragments the fast way (Sphinx's render_partial is used; links to "
        "images and downloads in them may be relative to another page)"
    )
    stage = "builder"
    STATE = ("secnumbers", "fignumbers", "imgpath", "dlpath", "current_docname")

    def applies(self, app: Sphinx) -> bool:
        return app.builder.format == "html"

    def check(self, app: Sphinx) -> str | None:
        builder = app.builder
        missing = [n for n in self.STATE if n not in _names_used(type(builder).write_doc)]
        if missing:
            return f"is not set by write_doc any more ({', '.join(missing)})"
        for name in ("add_permalinks", "create_translator"):
            if not hasattr(builder, name):
                return f"has no {name}"
        return None

    def render(
        self, app: Sphinx, pagename: str, content: list[nodes.Node], permalinks: bool
    ) -> str:
        """HTML of *content* as it would appear in the body of *pagename*."""
        builder: Any = app.builder
        document = sphinx_new_document("")
        document.extend(content)
        # Copied content: the page it comes from gives its warnings, once.
        with logging.suppress_logging():
            app.env.resolve_references(document, pagename, builder)
        if not self.on(app):
            return "".join(
                builder.render_partial(child)["fragment"] for child in list(document.children)
            )
        document.settings = builder.docsettings
        builder.secnumbers = {}
        builder.fignumbers = {}
        builder.imgpath = relative_uri(builder.get_target_uri(pagename), "_images")
        builder.dlpath = relative_uri(builder.get_target_uri(pagename), "_downloads")
        builder.current_docname = pagename
        translator = builder.create_translator(document, builder)
        saved, builder.add_permalinks = builder.add_permalinks, permalinks
        try:
            document.walkabout(translator)
        finally:
            builder.add_permalinks = saved
        return "".join(translator.fragment)


class SphinxDocutilsSettings(Reach):
    """``sphinx.util.docutils._get_settings``, patched: Sphinx 9 builds a docutils
    option parser (and reads docutils' configuration files) for every document it
    reads, to get the same settings each time (4 s of a 1000-post build).  While
    one of ablog_ext's builds reads, each kind of parser's settings are built once
    and every document gets a copy of them (its own mutable values included).

    Needs ``_parse_str_to_doctree`` to call the module global
    ``_get_settings(*components, defaults, read_config_files)``.  Seen in Sphinx 9.0
    (Sphinx 8 keeps one publisher, and its settings, per file type: nothing to do).
    """

    package = "sphinx"
    target = "Sphinx's sphinx.util.docutils._get_settings"
    fallback = "building docutils' settings once per build (Sphinx builds them per document)"
    PARAMETERS = ("components", "defaults", "read_config_files")

    def __init__(self) -> None:
        #: Per application: (parser classes, config files read) -> (defaults, settings).
        self.cache: weakref.WeakKeyDictionary[Sphinx, dict[Any, tuple[dict[str, Any], Any]]] = (
            weakref.WeakKeyDictionary()
        )

    def applies(self, app: Sphinx) -> bool:
        from sphinx import version_info

        return version_info[0] >= 9

    def check(self, app: Sphinx) -> str | None:
        module = _lookup("sphinx.util.docutils")
        function = getattr(module, "_get_settings", None)
        params = _parameters(getattr(function, _ORIGINAL, function))
        if params != self.PARAMETERS:
            return f"has parameters {_shows(params)}, not {_shows(self.PARAMETERS)}"
        if "_get_settings" not in _names_used(getattr(module, "_parse_str_to_doctree", None)):
            return "is no longer what Sphinx reads each document with"
        return None

    def install(self, app: Sphinx) -> None:
        """``builder-inited``: patch (once per process) if *app*'s check passes."""
        if not self.on(app):
            return
        self.cache[app] = {}
        app.connect("env-before-read-docs", lambda app, env, docnames: self.cache[app].clear())
        from sphinx.util import docutils as sphinx_docutils

        def replacement(current: Any) -> Any:
            def _get_settings(
                *components: Any, defaults: Mapping[str, Any], read_config_files: bool = False
            ) -> Any:
                cache = self._cache_for(defaults.get("env"))
                if cache is None:
                    return current(
                        *components, defaults=defaults, read_config_files=read_config_files
                    )
                kinds = tuple(c if isinstance(c, type) else type(c) for c in components)
                key = (kinds, read_config_files)
                kept = cache.get(key)
                if kept is None or kept[0] != defaults:
                    settings = current(
                        *components, defaults=defaults, read_config_files=read_config_files
                    )
                    kept = cache[key] = (dict(defaults), settings)
                return _fresh_settings(kept[1], defaults)

            return _get_settings

        _replace_once(sphinx_docutils, "_get_settings", replacement)

    def _cache_for(self, env: Any) -> dict[Any, tuple[dict[str, Any], Any]] | None:
        for app, cache in list(self.cache.items()):
            if app.env is env and env is not None:
                return cache
        return None


def _fresh_settings(settings: Any, defaults: Mapping[str, Any]) -> Any:
    """A copy of *settings* for one document: what came from *defaults* shared, as
    Sphinx shares it, every other mutable value (the dependency list) its own."""
    import copy

    fresh = settings.copy()
    for name, value in vars(settings).items():
        if value is None or isinstance(value, str | int | float | bool | tuple):
            continue
        if name in defaults and defaults[name] is value:
            continue
        setattr(fresh, name, copy.deepcopy(value))
    return fresh


class SphinxSearchStems(Reach):
    """The search index language's ``stem``, memoised per build: Sphinx's
    ``IndexBuilder.feed`` stems every word of every page again (snowball, 6-10 % of
    a full build), and a word's stem never changes.  The builder's own language
    object gets a cached ``stem`` (an instance attribute), so only the application
    that loaded ablog_ext has it, and only for one build.

    Needs ``IndexBuilder.feed`` to stem through ``self.lang.stem``, and the HTML
    builder's ``indexer`` (made by ``prepare_writing``, before the first document
    is resolved).  Seen in Sphinx 8.1 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's sphinx.search.IndexBuilder.feed"
    fallback = "stemming each word once per build (Sphinx stems it on every page)"
    stage = "builder"
    #: Distinct words kept; a site's vocabulary is far smaller.
    MAX_WORDS = 1 << 18

    def applies(self, app: Sphinx) -> bool:
        return bool(getattr(app.builder, "search", False))

    def check(self, app: Sphinx) -> str | None:
        feed = _lookup("sphinx.search:IndexBuilder.feed")
        if feed is None:
            return "is missing"
        if not {"lang", "stem"} <= _names_used(feed):
            return "no longer stems through self.lang.stem"
        language = _lookup("sphinx.search:SearchLanguage.stem")
        if _parameters(language) != ("self", "word"):
            return f"has a language whose stem has {_shows(_parameters(language))}"
        return None

    def install(self, app: Sphinx) -> None:
        """``builder-inited``: once the indexer exists, its language stems through a cache."""
        if self.on(app):
            app.connect("doctree-resolved", _memoise_stems)


def _memoise_stems(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    language = getattr(getattr(app.builder, "indexer", None), "lang", None)
    if language is None or "stem" in vars(language):
        return
    # The builder makes a new indexer (and language) each build: the cache goes with it.
    language.stem = functools.lru_cache(maxsize=SphinxSearchStems.MAX_WORDS)(language.stem)


class SphinxInputEncoding(Reach):
    """``env.settings["input_encoding"]``: the encoding Sphinx reads sources with.
    Posts are Jekyll's, always UTF-8; one with bytes that are not UTF-8 would stop
    a Sphinx 9 build.  ablog_ext points it at a codec of its own that reads each
    post as UTF-8 (leniently, U+FFFD for bad bytes) and every other document in
    the site's ``source_encoding``, exactly as Sphinx would.

    Needs the environment's docutils settings with ``input_encoding``.  Seen in
    Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "Sphinx's env.settings['input_encoding']"
    fallback = (
        "reading posts as UTF-8 whatever source_encoding says, and leniently (a post "
        "that is not UTF-8 can stop the build)"
    )
    stage = "builder"
    attribute = "settings"

    def check(self, app: Sphinx) -> str | None:
        settings = getattr(app.env, self.attribute, None)
        if not isinstance(settings, dict) or "input_encoding" not in settings:
            return "is missing"
        return None

    def read_posts_as_utf8(self, app: Sphinx, env: BuildEnvironment, posts: set[bytes]) -> None:
        """Read the sources whose SHA-256 is in *posts* as UTF-8 (leniently), every
        other one in the site's ``source_encoding``; for this build only."""
        if not self.on(app):
            return
        settings = getattr(env, self.attribute)
        site = str(env.config.source_encoding)
        if not posts:
            settings["input_encoding"] = site
            return
        name = f"{_CODEC_PREFIX}{next(_COUNTER)}"
        _SOURCES[name] = _Sources(site, posts)
        _register_codec_search()
        settings["input_encoding"] = name
        app.connect("build-finished", lambda app, exception: _SOURCES.pop(name, None))


_CODEC_PREFIX = "ablog_ext_source_"
_COUNTER = itertools.count()


class _Sources:
    """What one build's codec reads as posts, and the site's own encoding."""

    def __init__(self, site: str, posts: set[bytes]) -> None:
        self.site = site
        self.posts = posts


_SOURCES: dict[str, _Sources] = {}
_SEARCH_REGISTERED: list[bool] = []


def _decode_source(name: str, data: bytes, errors: str) -> str:
    sources = _SOURCES.get(name)
    if sources is None:
        return codecs.decode(data, "utf-8-sig", errors)
    if hashlib.sha256(data).digest() in sources.posts:
        return codecs.decode(data, "utf-8-sig", "replace")
    return codecs.decode(data, sources.site, errors)


def _codec(name: str) -> codecs.CodecInfo:
    import encodings.utf_8_sig as utf_8_sig

    class Decoder(codecs.BufferedIncrementalDecoder):
        # The whole file at once: whether it is a post is known by its bytes.
        def _buffer_decode(self, data: Any, errors: str, final: bool) -> tuple[str, int]:
            if not final:
                return "", 0
            return _decode_source(name, bytes(data), errors), len(data)

    def decode(data: Any, errors: str = "strict") -> tuple[str, int]:
        return _decode_source(name, bytes(data), errors), len(data)

    return codecs.CodecInfo(
        name=name,
        encode=utf_8_sig.encode,
        decode=decode,
        incrementalencoder=utf_8_sig.IncrementalEncoder,
        incrementaldecoder=Decoder,
        streamreader=utf_8_sig.StreamReader,
        streamwriter=utf_8_sig.StreamWriter,
    )


def _search(name: str) -> codecs.CodecInfo | None:
    """Answers only ablog_ext's own codec names, so no other encoding changes."""
    return _codec(name) if name.startswith(_CODEC_PREFIX) else None


def _register_codec_search() -> None:
    if not _SEARCH_REGISTERED:
        codecs.register(_search)
        _SEARCH_REGISTERED.append(True)


class SphinxNavigation(Reach):
    """Sphinx's ``toctree()`` template function (``global_toctree_for_doc``): it
    resolves the toctrees of ``env.master_doctree`` (the root document, kept for
    the whole build) and, below them, those in ``env.tocs``, reading each toctree
    node's ``entries``.  While a page's navigation is made, ablog_ext gives the
    nodes that list posts their entries without them (:func:`entries_replaced`),
    and puts them back afterwards: posts stay in the toctrees for everything else
    (the consistency check, previous and next links, the pages' own toctrees).

    Needs ``global_toctree_for_doc`` to read the environment's cached
    ``master_doctree``, ``_entries_from_toctree`` to read ``entries`` and
    ``_toctree_entry`` to read ``tocs``.  Seen in Sphinx 8.0 to 9.0.
    """

    package = "sphinx"
    target = "sphinx.environment.adapters.toctree.global_toctree_for_doc"
    fallback = (
        "leaving posts out of the navigation every page repeats (Sphinx's toctree() "
        "and the theme's header links list every post on every page)"
    )
    stage = "builder"
    attribute = "master_doctree"
    MODULE = "sphinx.environment.adapters.toctree"

    def applies(self, app: Sphinx) -> bool:
        return app.builder.format == "html"

    def check(self, app: Sphinx) -> str | None:
        function = _lookup(f"{self.MODULE}:global_toctree_for_doc")
        if function is None:
            return "is missing"
        if self.attribute not in _names_used(function):
            return f"no longer reads env.{self.attribute}"
        kept = inspect.getattr_static(BuildEnvironment, self.attribute, None)
        if not isinstance(kept, functools.cached_property):
            return f"reads env.{self.attribute}, which is no longer kept for the build"
        if "entries" not in _names_used(_lookup(f"{self.MODULE}:_entries_from_toctree")):
            return "no longer reads the toctrees' entries"
        if "tocs" not in _names_used(_lookup(f"{self.MODULE}:_toctree_entry")):
            return "no longer reads the toctrees below the root from env.tocs"
        return None

    def toctrees_listing(
        self, app: Sphinx, hidden: AbstractSet[str]
    ) -> list[tuple[addnodes.toctree, list[tuple[str | None, str]]]]:
        """Each toctree node the navigation reads (the root document's, and those
        in ``env.tocs``) that lists a document of *hidden*, with its entries
        without those; empty when the reach is off."""
        if not self.on(app) or not hidden:
            return []
        env = app.env
        listing = sorted(
            docname
            for docname, included in env.toctree_includes.items()
            if not hidden.isdisjoint(included)
        )
        found: list[addnodes.toctree] = [
            node
            for docname in listing
            if docname in env.tocs
            for node in env.tocs[docname].findall(addnodes.toctree)
        ]
        if env.config.root_doc in listing:
            found += getattr(env, self.attribute).findall(addnodes.toctree)
        swaps = []
        for node in found:
            entries = node.get("entries") or []
            kept = [entry for entry in entries if entry[1] not in hidden]
            if len(kept) != len(entries):
                swaps.append((node, kept))
        return swaps


@contextlib.contextmanager
def entries_replaced(
    swaps: list[tuple[addnodes.toctree, list[tuple[str | None, str]]]],
) -> Iterator[None]:
    """While the block runs, each toctree node of *swaps* has the entries given
    with it (see :meth:`SphinxNavigation.toctrees_listing`); nothing is left changed."""
    saved = [node["entries"] for node, _ in swaps]
    for node, entries in swaps:
        node["entries"] = entries
    try:
        yield
    finally:
        for (node, _), entries in zip(swaps, saved, strict=True):
            node["entries"] = entries


# -- pydata-sphinx-theme ------------------------------------------------------------------------


class PydataHeaderNav(Reach):
    """pydata-sphinx-theme's ``generate_header_nav_html`` (``toctree.py``): it
    reads each header link's title from ``env.titles[page]`` (text of each child,
    math as ``\\(...\\)``) or from the root document's ``toctree`` entries, and
    inserts it into HTML unescaped; while it runs, ablog_ext makes both hold
    escaped text, and puts them back afterwards.

    Needs ``toctree.add_toctree_functions`` to define ``generate_header_nav_html``
    and a ``_generate_nav_info`` that reads ``env.titles``, ``env.tocs`` and the
    toctrees' ``entries``.  Seen in pydata-sphinx-theme 0.16.0 to 0.24.
    """

    package = "pydata-sphinx-theme"
    target = "pydata_sphinx_theme.toctree.add_toctree_functions"
    fallback = (
        "escaping titles while the header links are made (titles are escaped in the "
        "links' HTML afterwards instead)"
    )
    stage = "builder"

    def applies(self, app: Sphinx) -> bool:
        # The theme, or one built on it, loaded its extension.
        return "pydata_sphinx_theme" in app.extensions

    def check(self, app: Sphinx) -> str | None:
        function = _lookup("pydata_sphinx_theme.toctree:add_toctree_functions")
        if function is None:
            return "is missing"
        if _nested_code(function, "generate_header_nav_html") is None:
            return "no longer defines generate_header_nav_html"
        names = _code_names(_nested_code(function, "_generate_nav_info"))
        if not {"titles", "tocs", "entries"} <= names:
            return "no longer reads titles from env.titles and the toctrees' entries"
        return None

    def escaping(self, app: Sphinx, original: Callable[..., Any]) -> Callable[..., Any]:
        """*original* (the theme's ``generate_header_nav_html``), with titles escaped."""
        if self.on(app):

            def generate_header_nav_html(*args: Any, **kwargs: Any) -> Any:
                with _pydata_nav_reads_html_titles(app.env):
                    return original(*args, **kwargs)

            return generate_header_nav_html

        def escaped_afterwards(*args: Any, **kwargs: Any) -> Any:
            return _escape_known_titles(app.env, original(*args, **kwargs))

        return escaped_afterwards


@contextlib.contextmanager
def _pydata_nav_reads_html_titles(env: BuildEnvironment) -> Iterator[None]:
    """While pydata-sphinx-theme makes its header links, ``env.titles`` and the
    root document's toctree entries hold escaped text; nothing is left changed."""
    titles = env.titles
    root_toc = env.tocs.get(env.config.root_doc)
    toctrees = list(root_toc.findall(addnodes.toctree)) if root_toc is not None else []
    entries = [toctree["entries"] for toctree in toctrees]
    env.titles = _EscapedTitles(titles)  # type: ignore[assignment]
    for toctree in toctrees:
        toctree["entries"] = [
            (html.escape(title) if isinstance(title, str) else title, page)
            for title, page in toctree["entries"]
        ]
    try:
        yield
    finally:
        env.titles = titles
        for toctree, saved in zip(toctrees, entries, strict=True):
            toctree["entries"] = saved


class _EscapedTitles(Mapping[str, nodes.title]):
    """``env.titles`` whose text is escaped for HTML, made one title at a time."""

    def __init__(self, titles: Mapping[str, nodes.title]) -> None:
        self.titles = titles

    def __getitem__(self, docname: str) -> nodes.title:
        escaped = nodes.title()
        for child in self.titles[docname].children:
            text = html.escape(child.astext())
            escaped += nodes.math(text, text) if isinstance(child, nodes.math) else nodes.Text(text)
        return escaped

    def __contains__(self, docname: object) -> bool:
        return docname in self.titles

    def __iter__(self) -> Iterator[str]:
        return iter(self.titles)

    def __len__(self) -> int:
        return len(self.titles)


def _escape_known_titles(env: BuildEnvironment, output: Any) -> Any:
    """Fallback of :class:`PydataHeaderNav`: each title that needs escaping, found
    as text in the theme's HTML, escaped there."""
    if not isinstance(output, str):
        return output
    texts: set[str] = {title.astext() for title in env.titles.values()}
    root_toc = env.tocs.get(env.config.root_doc)
    for toctree in root_toc.findall(addnodes.toctree) if root_toc is not None else []:
        texts.update(title for title, _ in toctree["entries"] if isinstance(title, str))
    for text in sorted(texts, key=len, reverse=True):
        escaped = html.escape(text, quote=False)
        if escaped != text and text in output:
            pattern = re.compile(rf"(>\s*){re.escape(text)}(\s*<)")
            output = pattern.sub(rf"\g<1>{escaped.replace(chr(92), chr(92) * 2)}\g<2>", output)
    return Markup(output) if isinstance(output, Markup) else output


class PydataNavigation(Reach):
    """pydata-sphinx-theme's navigation: its header links (``_generate_nav_info``)
    list the entries of the toctrees in ``env.tocs[root_doc]``, and its sidebar
    (``generate_toctree_html``, ``suppress_sidebar_toctree``) resolves those in
    ``env.tocs`` below an ancestor (``get_nonroot_toctree``) or calls Sphinx's
    ``toctree()``.  ablog_ext calls them while the posts are left out of those
    entries (:data:`SPHINX_NAVIGATION`).

    Needs ``add_toctree_functions`` to define those three template functions and
    a ``_generate_nav_info`` that reads ``tocs``, ``root_doc`` and ``entries``, and
    ``get_nonroot_toctree`` to read ``tocs``.  Seen in pydata-sphinx-theme 0.16.0
    to 0.24.
    """

    package = "pydata-sphinx-theme"
    target = "pydata_sphinx_theme.toctree's navigation"
    fallback = (
        "leaving posts out of the theme's header links and sidebar navigation "
        "(they list every post on every page)"
    )
    stage = "builder"
    #: The template functions whose output leaves the posts out.
    FUNCTIONS = ("generate_header_nav_html", "generate_toctree_html", "suppress_sidebar_toctree")

    def applies(self, app: Sphinx) -> bool:
        return "pydata_sphinx_theme" in app.extensions

    def check(self, app: Sphinx) -> str | None:
        function = _lookup("pydata_sphinx_theme.toctree:add_toctree_functions")
        if function is None:
            return "is missing"
        for name in self.FUNCTIONS:
            if _nested_code(function, name) is None:
                return f"no longer defines {name}"
        names = _code_names(_nested_code(function, "_generate_nav_info"))
        if not {"tocs", "root_doc", "entries"} <= names:
            return "no longer reads the header links from the root document's toctrees"
        if "tocs" not in _names_used(_lookup("pydata_sphinx_theme.toctree:get_nonroot_toctree")):
            return "no longer reads the sidebar's toctrees from env.tocs (get_nonroot_toctree)"
        return None


class PydataSkipEmptyCheck(Reach):
    """pydata-sphinx-theme's ``update_and_remove_templates``: before a page is
    written it renders every sidebar, navbar and footer template to drop the empty
    ones, except those its ``templates_skip_empty_check`` option names, which it
    reads from the page's context (``theme_templates_skip_empty_check``).  ablog_ext
    adds, for each page, the blog sidebars it knows are not empty there.

    Needs ``update_and_remove_templates`` to read that context value.  Seen in
    pydata-sphinx-theme 0.15 to 0.24.
    """

    package = "pydata-sphinx-theme"
    target = "pydata_sphinx_theme.update_and_remove_templates"
    fallback = (
        "naming the blog sidebars that are not empty to the theme (it renders each "
        "one to see whether it is)"
    )
    stage = "builder"
    #: The context value the theme reads the option from.
    attribute = "theme_templates_skip_empty_check"

    def applies(self, app: Sphinx) -> bool:
        # The option came after pydata-sphinx-theme 0.16.0, which tests
        # every template but two, and there is nothing to tell it.
        return "pydata_sphinx_theme" in app.extensions and _theme_declares(
            "pydata_sphinx_theme", "templates_skip_empty_check"
        )

    def check(self, app: Sphinx) -> str | None:
        function = _lookup("pydata_sphinx_theme:update_and_remove_templates")
        if function is None:
            return "is missing"
        if self.attribute not in _names_used(function):
            return f"no longer reads {self.attribute} from the page's context"
        return None

    def extend(self, app: Sphinx, context: dict[str, Any], names: Iterable[str]) -> None:
        """Add *names* to the templates the theme does not render to test on this
        page, after those the user's option (or the theme's default) names."""
        if not self.on(app) or self.attribute not in context:
            return
        current = context[self.attribute] or []
        if isinstance(current, str):
            current = [item.strip() for item in current.split(",")]
        current = list(current)
        added = [name for name in names if name not in current]
        if added:
            # A new list: the page's context shares the theme's with every page.
            context[self.attribute] = [*current, *added]


def _theme_declares(package: str, option: str) -> bool:
    """Whether the HTML theme shipped by *package* declares the theme option
    *option* (in its ``theme.conf`` or ``theme.toml``)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return False
    for path in Path(spec.origin).parent.glob("theme/*/theme.*"):
        if path.suffix in (".conf", ".toml"):
            try:
                text = path.read_text(encoding="utf-8")
            except OSError:
                continue
            if re.search(rf"^\s*{re.escape(option)}\s*=", text, re.M):
                return True
    return False


class JinjaTemplateLookup(Reach):
    """``get_template`` of the HTML builder's Jinja environment, replaced on that
    environment only: the blog sidebars a page includes (``{% include %}`` looks
    its template up there, then calls the template's ``new_context`` and
    ``root_render_func``) come back as stand-ins that give HTML kept from another
    page with the same link base (:mod:`.sidebars`).

    Needs Jinja's compiled ``include`` to call ``environment.get_or_select_template``
    (which calls ``get_template``) and then ``new_context`` and
    ``root_render_func`` on the template it gets.  Seen in Jinja 3.1.
    """

    package = "jinja2"
    target = "jinja2.Environment.get_template, as {% include %} calls it,"
    fallback = (
        "rendering each blog sidebar once per link base and each archive entry once "
        "per build (every page renders its own)"
    )
    stage = "builder"
    #: The method ablog_ext replaces on the environment.
    attribute = "get_template"

    def applies(self, app: Sphinx) -> bool:
        return getattr(app.builder, "templates", None) is not None

    def check(self, app: Sphinx) -> str | None:
        import jinja2
        from jinja2.compiler import CodeGenerator

        environment = SPHINX_TEMPLATES.environment(app)
        if not isinstance(environment, jinja2.Environment):
            return "cannot be found (no Jinja environment)"
        if environment.is_async:
            return "renders asynchronously"
        if not callable(getattr(environment, self.attribute, None)):
            return "is missing"
        if self.attribute not in _names_used(jinja2.Environment.get_or_select_template):
            return f"is no longer what get_or_select_template calls ({self.attribute})"
        include = _code_names(getattr(CodeGenerator.visit_Include, "__code__", None))
        for needed in ("get_or_select_template", "new_context", "root_render_func"):
            if not any(needed in text for text in include):
                return f"is looked up by includes that no longer call {needed}"
        return None

    def replace(
        self,
        app: Sphinx,
        wanted: Callable[[str, Any], bool],
        stand_in: Callable[[str, Any], Any],
    ) -> bool:
        """Templates *wanted* (by name and template, asked once per template)
        looked up in *app*'s Jinja environment come back as
        ``stand_in(name, template)``.  Whether the lookup is replaced."""
        if not self.on(app):
            return False
        environment = SPHINX_TEMPLATES.environment(app)
        original = getattr(environment, self.attribute)
        made: dict[str, tuple[Any, Any]] = {}

        def get_template(name: Any, parent: Any = None, globals: Any = None) -> Any:
            template = original(name, parent, globals)
            if not isinstance(name, str):
                return template
            kept = made.get(name)
            if kept is None or kept[0] is not template:
                found = stand_in(name, template) if wanted(name, template) else template
                kept = made[name] = (template, found)
            return kept[1]

        setattr(environment, self.attribute, get_template)
        return True


class AblogCollectionEntries(Reach):
    """ABlog's ``ablog/collection.html``, split: its loop over an archive's posts
    renders each post's entry (title, date, names, excerpt, "Read more") on every
    archive page that lists the post.  ablog_ext cuts the loop's body out of
    ABlog's own template file, renders it as a template of its own once per post
    (:mod:`.archive_entries`), and renders ABlog's template with the
    body replaced by a call that gives that HTML: the rest of the file is ABlog's
    text, as it is.  The body's ``pathto`` calls must show their result once each,
    unchanged (checked as each entry is rendered: else the page renders its own).

    Needs ``templates/ablog/collection.html`` to hold one ``postlink`` macro and,
    last, a ``{% for post in collection %}`` loop whose body sets, loops over and
    defines nothing (no ``loop``, ``set``, ``for``, ``macro``, ``block``), and Jinja's
    ``Environment.compile`` and ``Template.from_code``.  Seen in ABlog 0.11.13 and
    Jinja 3.1.
    """

    target = "the template ablog/collection.html"
    fallback = (
        "rendering each post's archive entry once per build (ABlog's template "
        "renders it on every archive page that lists the post)"
    )
    stage = "builder"
    #: The function called in place of the loop's body.
    FUNCTION = "ablog_ext_collection_entry"
    CALL = "{{ " + FUNCTION + "(post) }}"
    LOOP = "{% for post in collection %}"
    END = "{% endfor %}"
    _MACRO = re.compile(r"\{%-?\s*macro postlink\(post\).*?\{%-?\s*endmacro\s*-?%\}", re.DOTALL)
    _FORBIDDEN = re.compile(r"\bloop\b|\{%-?\s*(?:set|for|macro|block|endblock|call|with)\b")

    def applies(self, app: Sphinx) -> bool:
        return getattr(app.builder, "templates", None) is not None

    def path(self) -> Path:
        import ablog

        return Path(ablog.get_html_templates_path()) / "ablog" / "collection.html"

    def split(self) -> tuple[str, str] | str:
        """ABlog's template with the loop's body replaced by :attr:`CALL`, and the
        body (after the ``postlink`` macro) as a template of its own; or what is
        wrong with the file."""
        source = self.path().read_text(encoding="utf-8")
        macros = self._MACRO.findall(source)
        if len(macros) != 1:
            return "does not define the macro postlink once"
        start = source.rfind(self.LOOP)
        if start < 0:
            return f"has no {self.LOOP}"
        start += len(self.LOOP)
        end = source.find(self.END, start)
        if end < 0:
            return f"has no {self.END} after its last {self.LOOP}"
        body = source[start:end]
        if self._FORBIDDEN.search(body):
            return "has a loop body that sets, loops or reads the loop"
        return source[:start] + self.CALL + source[end:], macros[0] + body

    def check(self, app: Sphinx) -> str | None:
        import jinja2

        if not callable(getattr(jinja2.Template, "from_code", None)):
            return "cannot be compiled by ablog_ext (no jinja2.Template.from_code)"
        split = self.split()
        return split if isinstance(split, str) else None


def compile_template(
    environment: Any, source: str, name: str, filename: str | None = None, globals: Any = None
) -> Any:
    """*source* compiled in *environment* as the template *name* would be
    (autoescaping is decided by name), for :class:`AblogCollectionEntries`."""
    code = environment.compile(source, name=name, filename=filename)
    return environment.template_class.from_code(
        environment, code, environment.make_globals(globals), None
    )


# -- MyST-Parser ---------------------------------------------------------------------------------


class MystRenderer(Reach):
    """MyST's ``SphinxRenderer``, subclassed to open the post's title section
    itself (a plain-text title; MyST would parse it as Markdown) and shift the
    body's headings below it, so the page has exactly one ``<h1>``.

    Needs ``_render_initialise``, ``render_front_matter``, ``render_heading``
    reading ``_heading_offset``, ``update_section_level_state``,
    ``add_line_and_source_path``, ``current_node``, ``md_options`` and ``document``.
    Seen in MyST-Parser 4.0 to 5.2.
    """

    package = "myst-parser"
    target = "MyST's SphinxRenderer private members"
    fallback = (
        "rendering posts with its own renderer (MyST's parser renders them, and the "
        "title section is added to the document afterwards)"
    )
    METHODS = (
        "_render_initialise",
        "render_front_matter",
        "render_heading",
        "update_section_level_state",
        "add_line_and_source_path",
    )

    def check(self, app: Sphinx) -> str | None:
        renderer = _lookup("myst_parser.mdit_to_docutils.sphinx_:SphinxRenderer")
        if renderer is None:
            return "are missing (no SphinxRenderer)"
        missing = [name for name in self.METHODS if not callable(getattr(renderer, name, None))]
        if missing:
            return f"are missing ({', '.join(missing)})"
        if "_heading_offset" not in _names_used(renderer.render_heading):
            return "no longer include _heading_offset, read by render_heading"
        setup = _names_used(getattr(renderer, "setup_render", None))
        missing = [n for n in ("current_node", "md_options", "document") if n not in setup]
        if missing:
            return f"are no longer set by setup_render ({', '.join(missing)})"
        return None


class MystDefaultDocument(Reach):
    """``myst_parser.mdit_to_docutils.base.make_document``, patched: MyST's
    ``setup_render`` reads ``options.get("document", make_document())``, which
    builds a docutils document, with a whole option parser for its settings, for
    every render, and throws it away when the options hold the document (3.4 s of
    a 1000-post build).  While ablog_ext's renderer sets a post up, the default is
    one document made once.

    Needs the module global ``make_document``, called by ``setup_render``.  Seen
    in MyST-Parser 4.0 to 5.2.
    """

    package = "myst-parser"
    target = "MyST's make_document (default of setup_render)"
    fallback = "skipping MyST's throwaway document per post (MyST builds one per post)"

    def check(self, app: Sphinx) -> str | None:
        module = _lookup("myst_parser.mdit_to_docutils.base")
        if not callable(getattr(module, "make_document", None)):
            return "is missing"
        renderer = getattr(module, "DocutilsRenderer", None)
        if "make_document" not in _names_used(getattr(renderer, "setup_render", None)):
            return "is no longer called by DocutilsRenderer.setup_render"
        return None

    def install(self, app: Sphinx) -> None:
        """``config-inited``: patch (once per process) if *app*'s check passes."""
        if not self.on(app):
            return
        from myst_parser.mdit_to_docutils import base

        def replacement(current: Any) -> Any:
            spare: list[nodes.document] = []

            @functools.wraps(current)
            def make_document(*args: Any, **kwargs: Any) -> nodes.document:
                if not _DOCUMENT_GIVEN.get():
                    return current(*args, **kwargs)
                if not spare:
                    spare.append(current())
                # Never used: setup_render takes the options' document instead.
                return spare[0]

            return make_document

        _replace_once(base, "make_document", replacement)


#: Set while ablog_ext's renderer is set up with the post's own document.
_DOCUMENT_GIVEN: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "ablog_ext_document_given", default=False
)


class MystParse(Reach):
    """A copy of ``MystParser.parse``, to read a post with ablog_ext's renderer and
    front matter: ``env.myst_config``, ``merge_file_level`` (the post's own MyST
    options), ``create_warning``, ``create_md_parser(config, renderer)``, and the
    markdown-it parser's ``options`` and ``renderer.render(tokens, options, env)``.

    Needs those names with those parameters.  Seen in MyST-Parser 4.0 to 5.2.
    """

    package = "myst-parser"
    target = "MyST's MystParser.parse (copied)"
    fallback = (
        "its copy of MystParser.parse (MyST's own parse reads posts; the title section "
        "is added to the document afterwards)"
    )
    NEEDS: ClassVar[dict[str, tuple[str, ...]]] = {
        "myst_parser.parsers.mdit:create_md_parser": ("config", "renderer"),
        "myst_parser.config.main:merge_file_level": ("config", "topmatter", "warning"),
        "myst_parser.warnings_:create_warning": ("document", "message", "subtype"),
    }

    def check(self, app: Sphinx) -> str | None:
        for dotted, expected in self.NEEDS.items():
            params = _parameters(_lookup(dotted))
            if params is None or params[: len(expected)] != expected:
                shown = dotted.replace(":", ".")
                return f"cannot be used: {shown} has parameters {_shows(params)}"
        parse = _lookup("myst_parser.parsers.sphinx_:MystParser.parse")
        if "myst_config" not in _names_used(parse):
            return "cannot be used: MystParser.parse no longer reads env.myst_config"
        return None


def myst_file_config(document: nodes.document, config: Any, topmatter: Any) -> Any:
    """The MyST configuration of one post: the site's, with the post's own front
    matter options (``myst:``), warnings attached to the document."""
    app = _document_app(document)
    if not topmatter or app is None or not MYST_PARSE.on(app):
        return config
    if not _FILE_LEVEL_KEYS & topmatter.keys():
        # Nothing of MyST's own: merge_file_level would return an equal copy.
        return config
    merge_file_level = _lookup("myst_parser.config.main:merge_file_level")
    create_warning = _lookup("myst_parser.warnings_:create_warning")

    def myst_warning(wtype: Any, msg: str) -> None:
        create_warning(document, msg, wtype, line=1, append_to=document)

    return merge_file_level(config, topmatter, myst_warning)


#: The front matter keys MyST's ``merge_file_level`` reads.
_FILE_LEVEL_KEYS = frozenset({"myst", "html_meta", "substitutions"})


def myst_config(env: Any) -> Any:
    """The site's MyST configuration (MyST keeps it on the environment)."""
    return getattr(env, "myst_config", None)


def _myst_internals_on(document: nodes.document) -> bool:
    """Whether ablog_ext renders posts with its own renderer (MyST's internals fit)."""
    app = _document_app(document)
    return app is not None and MYST_RENDERER.on(app) and MYST_PARSE.on(app)


def _document_app(document: nodes.document) -> Any:
    env = getattr(document.settings, "env", None)
    for app in list(_APPS):
        if app.env is env:
            return app
    return None


def render_myst_post(
    document: nodes.document,
    text: str,
    config: Any,
    *,
    front_matter: dict[str, Any] | None,
    title: str | None,
    find_cut: Callable[[str, list[Any], Any], Any],
    lines: list[int] | None,
    parse: Callable[[str, nodes.document], None],
) -> Any:
    """Render a post's Markdown *text* into *document* under a section titled
    *title* (plain text), the body's headings below it.

    *find_cut* gets the text, markdown-it's tokens and parser, and returns where
    the excerpt ends; *lines* (the source line of each line of *text*, when
    Liquid or kramdown moved lines) gives the nodes the author's lines.  Returns
    *find_cut*'s result.  Without MyST's internals, MyST's own *parse* renders the
    post and the title section is made afterwards.
    """
    if not _myst_internals_on(document):
        return _render_with_myst_parse(document, text, config, title, find_cut, lines, parse)
    env = document.settings.env
    with _post_parser(env, config) as parser:
        md_env: dict[str, Any] = {}
        tokens = parser.parse(text, md_env)
        cut = find_cut(text, tokens, parser)
        if lines is not None:
            # Parsed again, the author's lines on every token (nested parses too).
            md_env = {_SOURCE_LINES: lines}
            tokens = parser.parse(text, md_env)
        options = {
            **parser.options,
            "document": document,
            "ablog_ext_front_matter": front_matter,
            "ablog_ext_title": title,
        }
        parser.renderer.render(tokens, options, md_env)
    return cut


#: Key of the markdown-it environment holding the source line of each line read.
_SOURCE_LINES = "ablog_ext_source_lines"
#: Per environment: MyST configuration (its ``repr``) -> a parser for posts, and
#: whether it is rendering now.
_PARSERS: weakref.WeakKeyDictionary[BuildEnvironment, dict[str, tuple[Any, list[bool]]]] = (
    weakref.WeakKeyDictionary()
)


#: Parsers kept per environment: the site's, and a few posts' own (``myst:``).
_MAX_PARSERS = 16
#: Per environment: the site's MyST configuration, and its ``repr``.
_SITE_CONFIG_KEYS: weakref.WeakKeyDictionary[BuildEnvironment, tuple[Any, str]] = (
    weakref.WeakKeyDictionary()
)


def _config_key(env: BuildEnvironment, config: Any) -> str:
    """What tells MyST configurations apart; the site's (most posts') made once,
    as its ``repr`` is slow."""
    site = _SITE_CONFIG_KEYS.get(env)
    if site is not None and site[0] is config:
        return site[1]
    key = repr(config)
    if config is getattr(env, "myst_config", None):
        _SITE_CONFIG_KEYS[env] = (config, key)
    return key


@contextlib.contextmanager
def _post_parser(env: BuildEnvironment, config: Any) -> Iterator[Any]:
    """A markdown-it parser for posts read with *config*, made once per build and
    configuration (MyST makes one per document): its state lives in the
    options and environment of each render, and the renderer is left empty."""
    parsers = _PARSERS.setdefault(env, {})
    key = _config_key(env, config)
    kept = parsers.get(key)
    if kept is None or kept[1][0]:
        # None yet, or this one is rendering (a post rendered inside another).
        create_md_parser = _lookup("myst_parser.parsers.mdit:create_md_parser")
        # We render the title ourselves, as plain text; MyST would parse it as Markdown.
        parser = create_md_parser(config.copy(title_to_header=False), _post_renderer())
        parser.core.ruler.push("ablog_ext_source_lines", _author_lines)
        kept = (parser, [False])
        if key not in parsers and len(parsers) < _MAX_PARSERS:
            parsers[key] = kept
    parser, busy = kept
    renderer = parser.renderer
    own = set(vars(renderer))
    busy[0] = True
    try:
        yield parser
    finally:
        busy[0] = False
        # What the render set (the document, its nodes) is not kept alive.
        for name in set(vars(renderer)) - own:
            delattr(renderer, name)


def _author_lines(state: Any) -> None:
    """A core rule: each token's lines made the author's, when the markdown-it
    environment holds the source line of each line of the text read."""
    lines: list[int] | None = state.env.get(_SOURCE_LINES)
    if not lines:
        return
    last = len(lines)
    pending = list(state.tokens)
    while pending:
        token = pending.pop()
        if token.map:
            start, end = token.map
            first = lines[min(max(start, 0), last - 1)] - 1
            final = lines[min(max(end - 1, start, 0), last - 1)]
            token.map = [first, max(final, first + 1)]
        pending.extend(token.children or ())


@functools.cache
def _post_renderer() -> type:
    from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer

    class PostRenderer(SphinxRenderer):
        """MyST's renderer, with the front matter title as the one top-level section."""

        def setup_render(self, options: dict[str, Any], env: Any) -> None:
            # The post's document is given: MyST's default one need not be built.
            document = options.get("document")
            app = _document_app(document) if document is not None else None
            token = _DOCUMENT_GIVEN.set(app is not None and MYST_DEFAULT_DOCUMENT.on(app))
            try:
                super().setup_render(options, env)
            finally:
                _DOCUMENT_GIVEN.reset(token)

        def render_front_matter(self, token: Any) -> None:
            data = self.md_options.get("ablog_ext_front_matter")
            if data is not None and token.token is not None:
                # Our own read keeps dates as text: MyST's would fail on 2019-02-30.
                token.token.content = data
            super().render_front_matter(token)
            title = self.md_options.get("ablog_ext_title")
            if title and self.current_node is self.document:
                self._open_title_section(title, token)

        def _render_initialise(self) -> None:
            super()._render_initialise()
            title = self.md_options.get("ablog_ext_title")
            if title and self.md_options.get("ablog_ext_front_matter") is None:
                # No front matter to render first: the title section opens at once.
                self._open_title_section(title, None)

        def _open_title_section(self, title: str, token: Any) -> None:
            section = _title_section(self.document, title)
            if token is not None:
                for node in (section, section[0]):
                    self.add_line_and_source_path(node, token)
            self.update_section_level_state(section, 1)
            self.current_node = section
            self.md_options["ablog_ext_title_open"] = True

        def render_heading(self, token: Any) -> None:
            if self.md_options.get("ablog_ext_title_open"):
                # The body's top heading level becomes H2, whether it starts at `#` or `##`.
                level = int(token.tag[1])
                base = self.md_options.setdefault("ablog_ext_base_level", level)
                self._heading_offset = max(2 - base, 2 - level)
            super().render_heading(token)

    return PostRenderer


def _title_section(document: nodes.document, title: str) -> nodes.section:
    """A section titled *title* (text), as a document's first heading would be."""
    section = nodes.section()
    title_node = nodes.title(title, title)
    for node in (section, title_node):
        node.source, node.line = document["source"], 1
    section += title_node
    section["names"].append(nodes.fully_normalize_name(title))
    document.note_implicit_target(section, section)
    return section


_FRONT_MATTER_END = re.compile(r"^(---|\.\.\.)[ \t]*$")


def _render_with_myst_parse(
    document: nodes.document,
    text: str,
    config: Any,
    title: str | None,
    find_cut: Callable[[str, list[Any], Any], Any],
    lines: list[int] | None,
    parse: Callable[[str, nodes.document], None],
) -> Any:
    """Fallback of :class:`MystRenderer` and :class:`MystParse`: MyST's own parse
    renders the post (its front matter blanked: ablog_ext writes the docinfo ABlog
    reads), then the title section takes the body, whose headings were raised so
    that the first is ``#``."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    tokens = md.parse(text)
    cut = find_cut(text, tokens, md)
    source = _without_front_matter(text)
    if title:
        source = _raise_headings(source, md.parse(source))
    env = document.settings.env
    saved = getattr(env, "myst_config", None)
    if saved is not None and config is not None:
        env.myst_config = config
    try:
        parse(source, document)
    finally:
        if saved is not None:
            env.myst_config = saved
    if lines is not None:
        last = len(lines)
        for node in document.findall(nodes.Element):
            if node.line:
                node.line = lines[min(max(node.line, 1), last) - 1]
    if title:
        section = _title_section(document, title)
        section.extend(list(document.children))
        document.clear()
        document += section
    return cut


def _without_front_matter(text: str) -> str:
    """*text* with its front matter block blanked (lines kept)."""
    text_lines = text.splitlines(keepends=True)
    if not text_lines or text_lines[0].rstrip() != "---":
        return text
    for index in range(1, len(text_lines)):
        if _FRONT_MATTER_END.match(text_lines[index]):
            return "\n" * (index + 1) + "".join(text_lines[index + 1 :])
    return text


def _raise_headings(text: str, tokens: Iterable[Any]) -> str:
    """The body's headings raised so the first is level one (``##`` becomes ``#``),
    none above level one."""
    headings = [t for t in tokens if t.type == "heading_open" and t.map]
    if not headings:
        return text
    shift = int(headings[0].tag[1]) - 1
    if shift <= 0:
        return text
    text_lines = text.splitlines(keepends=True)
    for token in headings:
        level = int(token.tag[1])
        new = max(1, level - shift)
        start, end = token.map
        if token.markup.startswith("#"):
            line = text_lines[start]
            text_lines[start] = line.replace("#" * level, "#" * new, 1)
        elif new == 1 and end - 1 < len(text_lines):
            line = text_lines[end - 1]
            text_lines[end - 1] = line.replace("-", "=")
    return "".join(text_lines)


# -- the reaches, checked when a build starts ----------------------------------------------------

ABLOG_POST_TO_HTML = AblogPostToHtml()
ABLOG_NEW_DOCUMENT = AblogNewDocument()
ABLOG_TOMORROW = AblogTomorrow()
ABLOG_BLOG_STATE = AblogBlogState()
SPHINX_EVENT_LISTENERS = SphinxEventListeners()
ABLOG_ARCHIVE_PAGES = AblogArchivePages()
ABLOG_ATOM_FEEDS = AblogAtomFeeds()
ABLOG_PAGE_CONTEXT = AblogPageContext()
ABLOG_ENV_POSTS = AblogEnvPosts()
ABLOG_POST_DOCTREE = AblogPostDoctree()
ABLOG_MATCHED_POSTS = AblogMatchedPosts()
ABLOG_SLUGIFY = AblogName(
    "ablog.blog:slugify",
    "The slug ABlog gives an archive's name, for links to archive pages.",
    "ABlog's slugify (a copy of ABlog 0.11's is used)",
)
ABLOG_POST_NODE = AblogName(
    "ablog.post:PostNode",
    "The node of ABlog's post directive: empty names are dropped from it.",
    "finding post nodes by class (they are found by their options)",
)
ABLOG_POST_LIST = AblogName(
    "ablog.post:PostList",
    "The node of ABlog's postlist directive: pages with one depend on every post.",
    "finding postlist nodes by class (they are found by their options)",
)
ABLOG_REGISTER_POSTS = AblogName(
    "ablog.post:register_posts",
    "Files the environment's posts in ABlog's blog before ablog_ext reads it.",
    "ABlog's register_posts (each post is filed with Blog.register)",
)
SPHINX_PARALLEL_READ = SphinxParallelRead()
SPHINX_RAW_CONFIG = SphinxRawConfig()
SPHINX_SOURCE_SUFFIXES = SphinxSourceSuffixes()
SPHINX_BUILD_INFO = SphinxBuildInfo()
SPHINX_TEMPLATES = SphinxTemplates()
SPHINX_FRAGMENT_STATE = SphinxFragmentState()
SPHINX_INPUT_ENCODING = SphinxInputEncoding()
SPHINX_DOCUTILS_SETTINGS = SphinxDocutilsSettings()
SPHINX_NAVIGATION = SphinxNavigation()
SPHINX_SEARCH_STEMS = SphinxSearchStems()
PYDATA_HEADER_NAV = PydataHeaderNav()
PYDATA_NAVIGATION = PydataNavigation()
PYDATA_SKIP_EMPTY = PydataSkipEmptyCheck()
JINJA_TEMPLATE_LOOKUP = JinjaTemplateLookup()
ABLOG_COLLECTION_ENTRIES = AblogCollectionEntries()
MYST_RENDERER = MystRenderer()
MYST_PARSE = MystParse()
MYST_DEFAULT_DOCUMENT = MystDefaultDocument()

AblogNewDocument.requires = (ABLOG_POST_TO_HTML,)
AblogPostDoctree.requires = (ABLOG_ENV_POSTS,)
MystDefaultDocument.requires = (MYST_RENDERER, MYST_PARSE)
AblogListener.requires = (SPHINX_EVENT_LISTENERS,)
# Its header links are made the way PYDATA_HEADER_NAV expects; its sidebar and
# the posts left out go through Sphinx's toctrees.
PydataNavigation.requires = (PYDATA_HEADER_NAV, SPHINX_NAVIGATION)
AblogCollectionEntries.requires = (SPHINX_TEMPLATES, JINJA_TEMPLATE_LOOKUP)

#: Every reach, in the order they are checked.
REACHES: tuple[Reach, ...] = (
    ABLOG_POST_TO_HTML,
    ABLOG_NEW_DOCUMENT,
    ABLOG_TOMORROW,
    ABLOG_BLOG_STATE,
    SPHINX_EVENT_LISTENERS,
    ABLOG_ARCHIVE_PAGES,
    ABLOG_ATOM_FEEDS,
    ABLOG_PAGE_CONTEXT,
    ABLOG_ENV_POSTS,
    ABLOG_POST_DOCTREE,
    ABLOG_MATCHED_POSTS,
    ABLOG_SLUGIFY,
    ABLOG_POST_NODE,
    ABLOG_POST_LIST,
    ABLOG_REGISTER_POSTS,
    SPHINX_PARALLEL_READ,
    SPHINX_RAW_CONFIG,
    SPHINX_SOURCE_SUFFIXES,
    SPHINX_BUILD_INFO,
    SPHINX_TEMPLATES,
    SPHINX_FRAGMENT_STATE,
    SPHINX_INPUT_ENCODING,
    SPHINX_DOCUTILS_SETTINGS,
    SPHINX_NAVIGATION,
    SPHINX_SEARCH_STEMS,
    PYDATA_HEADER_NAV,
    PYDATA_NAVIGATION,
    PYDATA_SKIP_EMPTY,
    JINJA_TEMPLATE_LOOKUP,
    ABLOG_COLLECTION_ENTRIES,
    MYST_RENDERER,
    MYST_PARSE,
    MYST_DEFAULT_DOCUMENT,
)


def _check_stage(stage: str) -> Callable[..., None]:
    def check(app: Sphinx, *args: Any) -> None:
        for reach in REACHES:
            if reach.stage == stage:
                reach.on(app)

    check.__name__ = f"check_{stage}_reaches"
    return check


def setup_upstream(app: Sphinx) -> None:
    """Mark *app* as ablog_ext's, and check every reach when its build starts."""
    _APPS.add(app)
    _RESULTS.pop(app, None)
    # Before every other handler: each reach is known to be on or off before use.
    app.connect("config-inited", _check_stage("config"), priority=0)
    app.connect("config-inited", SPHINX_RAW_CONFIG.read_conf, priority=1)
    app.connect("config-inited", ABLOG_MATCHED_POSTS.match, priority=501)
    app.connect("config-inited", lambda app, config: ABLOG_BLOG_STATE.install(app), priority=2)
    app.connect(
        "config-inited", lambda app, config: SPHINX_DOCUTILS_SETTINGS.install(app), priority=3
    )
    app.connect("config-inited", lambda app, config: MYST_DEFAULT_DOCUMENT.install(app), priority=3)
    app.connect("builder-inited", _check_stage("builder"), priority=0)
    app.connect("builder-inited", SPHINX_SEARCH_STEMS.install, priority=1)


__all__ = ["REACHES", "Reach", "loaded_by", "setup_upstream"]
