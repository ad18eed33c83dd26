"""ABlog's ``Post.to_html``, once per build (or per folder), never failing.

ABlog's archive pages render a post's excerpt on every page that lists it (3,108
renders for 300 posts).  With :data:`~ablog_ext.reaches.ablog.ABLOG_POST_TO_HTML`
on, ``Post.to_html`` is patched (once per process, for ablog_ext's applications
only) to render each excerpt once per build, or once per output folder when
something in it depends on the page; with
:data:`~ablog_ext.reaches.ablog.ABLOG_NEW_DOCUMENT` on, ABlog's ``new_document`` is
Sphinx's faster one while it does.  Either way the HTML is ``Markup`` (ABlog's
templates are autoescaped) and a post that cannot be rendered shows plain text.
"""

from __future__ import annotations

import contextvars
import functools
import posixpath
from collections.abc import Callable, Iterable
from typing import Any

from docutils import nodes
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import new_document as sphinx_new_document

from ablog_ext.reaches.ablog import ABLOG_NEW_DOCUMENT, ABLOG_POST_TO_HTML
from ablog_ext.reaches.base import loaded_by
from ablog_ext.reading.post_doctree import post_app
from ablog_ext.speed.patches import replace_once
from ablog_ext.state import Slot, build_state

OnError = Callable[[Any, bool, Exception], str]

#: Set while ablog_ext renders a post through ABlog: ABlog's ``new_document`` is then
#: Sphinx's (for any other caller, docutils' as ABlog imports it).
_FAST_DOCUMENTS: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "ablog_ext_fast_documents", default=False
)
#: What shows a post that cannot be rendered (set at ``config-inited``).
_ON_ERROR: Slot[list[OnError]] = Slot("post html: on error", lambda app: [], lasting=True)

#: HTML put before a post's excerpt wherever ``to_html`` renders it (ABlog's archive
#: entries), from the application and ABlog's post.
ExcerptPrefix = Callable[[Sphinx, Any], str]
_EXCERPT_PREFIXES: Slot[list[ExcerptPrefix]] = Slot(
    "post html: before excerpts", lambda app: [], lasting=True
)


def add_excerpt_prefix(app: Sphinx, prefix: ExcerptPrefix) -> None:
    """At setup: *prefix* (a post's reading time) goes before each excerpt of ABlog's
    archive entries; :mod:`.stale_pages` counts it as part of the excerpt shown."""
    build_state(app).get(_EXCERPT_PREFIXES).append(prefix)


def excerpt_prefix(app: Sphinx, post: Any) -> str:
    """The HTML that goes before *post*'s excerpt."""
    return "".join(prefix(app, post) for prefix in build_state(app).get(_EXCERPT_PREFIXES))


def _memoized_to_html(original: Any, on_error: OnError) -> Any:
    @functools.wraps(original)
    def to_html(
        self: Any, pagename: str, fulltext: bool = False, drop_h1: Any = True, img_url: bool = False
    ) -> str:
        app = post_app(self)
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
            know_images(app, self.excerpt if not fulltext else ())
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
            if not fulltext:
                html = excerpt_prefix(app, self) + html
            # Markup: HTML that the autoescaping of ABlog's templates must keep.
            cache[key] = Markup(html)
        return cache[key]

    return to_html


def know_images(app: Sphinx, excerpt: Iterable[nodes.Node]) -> None:
    """The builder's names of the images in *excerpt*, from the environment, as
    Sphinx gives them to a page it writes (``post_process_images``): an excerpt
    rendered before its post's page was written (a postlist's page, or a build
    that does not write the post again) links the image copied to ``_images/``,
    not the path of its source."""
    builder: Any = app.builder
    known = getattr(builder, "images", None)
    images = getattr(app.env, "images", None)
    if not isinstance(known, dict) or images is None:
        return
    for top in excerpt:
        for image in top.findall(nodes.image):
            candidates = image.get("candidates") or {}
            if "?" in candidates:
                continue
            if "*" in candidates:
                uri = image.get("uri")
            else:
                supported = getattr(builder, "supported_image_types", ())
                uri = next((candidates[t] for t in supported if t in candidates), None)
            if uri and uri in images and uri not in known:
                known[uri] = images[uri][1]


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
    app = post_app(post)
    if not (loaded_by(app) and ABLOG_POST_TO_HTML.on(app)):
        return False
    if "_ablog_ext_folder_free" not in post.__dict__:
        post.__dict__["_ablog_ext_folder_free"] = same_in_every_folder(post.excerpt)
    return bool(post.__dict__["_ablog_ext_folder_free"])


def _on_error(app: Sphinx) -> OnError | None:
    kept = build_state(app).get(_ON_ERROR)
    return kept[0] if kept else None


def _wrap_each_post(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Without the patch: each post of *app*'s blog gets an instance attribute
    ``to_html`` that marks ABlog's HTML as ``Markup`` and shows plain text instead
    of failing, whatever ``to_html``'s parameters are."""
    from ablog.blog import Blog

    on_error = _on_error(app)
    blog = Blog(app)
    for post in [*blog.posts, *blog.drafts]:
        if "to_html" in vars(post) or not callable(getattr(post, "to_html", None)):
            continue
        post.to_html = _instance_to_html(post, post.to_html, on_error)


def _instance_to_html(
    post: Any, original: Callable[..., str], on_error: OnError | None
) -> Callable[..., Markup]:
    def to_html(*args: Any, **kwargs: Any) -> Markup:
        fulltext = bool(kwargs["fulltext"] if "fulltext" in kwargs else len(args) > 1 and args[1])
        prefix = "" if fulltext else excerpt_prefix(post_app(post), post)
        try:
            return Markup(prefix + original(*args, **kwargs))
        except Exception as error:
            if on_error is None:
                raise
            return Markup(prefix + on_error(post, fulltext, error))

    return to_html


def _install_new_document(app: Sphinx) -> None:
    if not ABLOG_NEW_DOCUMENT.on(app):
        return
    from ablog import blog

    def replacement(current: Any) -> Any:
        def new_document(source_path: str, settings: Any = None) -> nodes.document:
            if _FAST_DOCUMENTS.get():
                return sphinx_new_document(source_path, settings)
            return current(source_path, settings)

        return new_document

    replace_once(blog, "new_document", replacement)


def install_post_html(app: Sphinx, on_error: OnError) -> None:
    """``config-inited``: ABlog's ``to_html`` memoised for *app* (once per process;
    without the reach, each of *app*'s posts gets a wrapper that only marks the
    HTML and catches errors, when its archive pages are written), and its
    ``new_document`` Sphinx's while ablog_ext renders."""
    build_state(app).set(_ON_ERROR, [on_error])
    if ABLOG_POST_TO_HTML.on(app):
        from ablog.blog import Post

        replace_once(Post, "to_html", lambda current: _memoized_to_html(current, on_error))
    else:
        app.connect("html-page-context", _wrap_each_post, priority=1)
    _install_new_document(app)


def render_post_html(post: Any, pagename: str) -> str:
    """An ABlog post's excerpt HTML for *pagename*, through whichever ``to_html``
    the post has (so a failure is caught either way)."""
    app = post_app(post)
    if loaded_by(app) and not ABLOG_POST_TO_HTML.on(app) and "to_html" not in vars(post):
        post.to_html = _instance_to_html(post, post.to_html, _on_error(app))
    return str(post.to_html(pagename))
