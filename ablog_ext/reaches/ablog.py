"""The reaches into ABlog (checks only; each feature acts on its own)."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from pathlib import Path
from typing import Any, ClassVar

from sphinx.application import Sphinx

from ablog_ext.reaches.base import Reach, lookup, names_used, original_of, parameters, shows
from ablog_ext.reaches.jinja import JINJA_TEMPLATE_LOOKUP
from ablog_ext.reaches.sphinx import SPHINX_EVENT_LISTENERS, SPHINX_TEMPLATES


class AblogPostToHtml(Reach):
    """``ablog.blog.Post.to_html``, patched: ABlog's archive pages render a post's
    excerpt on every page that lists it (3,108 renders for 300 posts); ablog_ext
    renders it once per build (once per output folder when something in it
    depends on the page: a cross-reference, an image), returns it as ``Markup`` (so
    the autoescaped templates keep it as HTML), and shows one that cannot be
    rendered as plain text (:mod:`ablog_ext.speed.post_html`).

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
        post_class = lookup("ablog.blog:Post")
        if post_class is None:
            return "is missing"
        if hasattr(post_class, "__slots__"):
            return "has no instance dictionary"
        if not isinstance(inspect.getattr_static(post_class, "blog", None), property):
            return "has no 'blog' property"
        params = parameters(original_of(getattr(post_class, "to_html", None)))
        if params != self.PARAMETERS:
            return f"has parameters {shows(params)}, not {shows(self.PARAMETERS)}"
        return None


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
        module = lookup("ablog.blog")
        function = getattr(module, "new_document", None)
        if not callable(function):
            return "is missing"
        params = parameters(original_of(function))
        if params is None or params[:2] != ("source_path", "settings"):
            return f"has parameters {shows(params)}, not (source_path, settings)"
        post_class = getattr(module, "Post", None)
        if "new_document" not in names_used(getattr(post_class, "to_html", None)):
            return "is no longer what Post.to_html calls"
        return None


class AblogTomorrow(Reach):
    """``ablog.blog.TOMORROW``, set while ablog_ext's build runs: ABlog publishes a
    post dated before tomorrow on the build machine's clock (computed once, when
    ABlog is imported); ablog_ext publishes what is dated up to the build time on
    the site's clock, or everything with ``ablog_ext_future``.  Put back when the
    build ends (:mod:`ablog_ext.reading.discovery`).

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

    def check(self, app: Sphinx) -> str | None:
        module = lookup("ablog.blog")
        if not isinstance(getattr(module, self.attribute, None), dt.datetime):
            return "is missing, or not a datetime"
        blog_class, post_class = getattr(module, "Blog", None), getattr(module, "Post", None)
        for user in (getattr(blog_class, "register", None), getattr(post_class, "__init__", None)):
            if self.attribute not in names_used(user):
                return f"is no longer read by {getattr(user, '__qualname__', user)}"
        return None


class AblogBlogState(Reach):
    """``ablog.blog.Blog._dict``: ABlog keeps its blog in one dictionary shared by
    every ``Blog`` of the process.  ablog_ext empties it when its build starts and
    after renaming names (so archives are made again), and patches ``Blog.__init__``
    so that another application never gets the blog an ablog_ext build left
    (:mod:`ablog_ext.speed.parallel`).

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
        blog_class = lookup("ablog.blog:Blog")
        if blog_class is None:
            return "is missing (no ablog.blog.Blog)"
        if not isinstance(inspect.getattr_static(blog_class, self.attribute, None), dict):
            return "is missing"
        params = parameters(original_of(inspect.getattr_static(blog_class, "__init__", None)))
        if params != ("self", "app"):
            return f"is not what Blog(app) uses: Blog.__init__ has parameters {shows(params)}"
        return None


class AblogListener(Reach):
    """Base of the ABlog listeners ablog_ext finds by name."""

    event: ClassVar[str] = "html-collect-pages"
    module: ClassVar[str] = "ablog.post"
    #: The handler's name (tests rename ABlog's function to simulate a rename).
    function = ""
    requires = (SPHINX_EVENT_LISTENERS,)

    def check(self, app: Sphinx) -> str | None:
        if not SPHINX_EVENT_LISTENERS.find(app, self.event, self.module, self.function):
            return f"is not connected to {self.event}"
        return None

    def found(self, app: Sphinx) -> list[Any]:
        """ABlog's listeners, as the check found them (none when the reach is off)."""
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


class AblogPageContext(AblogListener):
    """ABlog's ``html_page_context`` listener (it puts the blog in every page's
    context as ``ablog``), run inside ablog_ext's own handler, which then puts views
    in place of the blog's objects: they note what each page's templates read
    (:mod:`ablog_ext.speed.page_reads`).

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
        if self.attribute not in names_used(lookup("ablog.post:process_posts")):
            return "is no longer where ablog.post.process_posts stores posts"
        return None

    # The target's accessors: every feature reads ABlog's posts by this one name.
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
    copied document's settings link the whole environment that read it.  ablog_ext
    puts a stand-in in its place that loads the post from the document's own
    pickled doctree (:mod:`ablog_ext.reading.post_doctree`).

    Needs ``process_posts`` to store the copy under ``"doctree"`` and
    ``Post.__init__`` to read it.  Seen in ABlog 0.11.13.
    """

    target = "ABlog's postinfo['doctree'] (a copy of each post)"
    fallback = (
        "replacing ABlog's copy of each post with a stand-in (the copies are kept, "
        "without their link to the environment)"
    )
    key = "doctree"

    def check(self, app: Sphinx) -> str | None:
        if self.key not in names_used(lookup("ablog.post:process_posts")):
            return "is no longer where ablog.post.process_posts keeps a post's copy"
        post_class = lookup("ablog.blog:Post")
        if self.key not in names_used(getattr(post_class, "__init__", None)):
            return "is no longer read by ablog.blog.Post"
        return None


class AblogCollectionEntries(Reach):
    """ABlog's ``ablog/collection.html``, split: its loop over an archive's posts
    renders each post's entry on every archive page that lists the post.
    ablog_ext cuts the loop's body out of ABlog's own template file, renders it
    once per post (:mod:`ablog_ext.speed.archive_entries`), and renders ABlog's
    template with the body replaced by a call that gives that HTML.

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
    requires = (SPHINX_TEMPLATES, JINJA_TEMPLATE_LOOKUP)
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
        wrong with the file (the check, and what the feature renders)."""
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


ABLOG_POST_TO_HTML = AblogPostToHtml()
ABLOG_NEW_DOCUMENT = AblogNewDocument()
ABLOG_TOMORROW = AblogTomorrow()
ABLOG_BLOG_STATE = AblogBlogState()
ABLOG_ARCHIVE_PAGES = AblogArchivePages()
ABLOG_ATOM_FEEDS = AblogAtomFeeds()
ABLOG_PAGE_CONTEXT = AblogPageContext()
ABLOG_ENV_POSTS = AblogEnvPosts()
ABLOG_POST_DOCTREE = AblogPostDoctree()
ABLOG_COLLECTION_ENTRIES = AblogCollectionEntries()
AblogNewDocument.requires = (ABLOG_POST_TO_HTML,)
AblogPostDoctree.requires = (ABLOG_ENV_POSTS,)
