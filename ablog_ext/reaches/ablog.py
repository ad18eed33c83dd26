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
    """``Post.to_html``, patched to render each excerpt once per build or folder, as ``Markup``,
    never failing (ABlog renders it on every archive page: 3,108 renders for 300 posts;
    :mod:`ablog_ext.speed.post_html`).  Needs ``to_html(self, pagename, fulltext, drop_h1,
    img_url)``, a ``blog`` property and instances with a ``__dict__``.  Seen in ABlog 0.11.13."""

    target = "ablog.blog.Post.to_html"
    fallback = (
        "rendering each excerpt once per folder (ABlog renders it on every page that lists it; "
        "each post still shows plain text when it cannot be rendered)"
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
    """``ablog.blog.new_document``, Sphinx's (default settings kept) while ablog_ext renders a
    post: docutils' builds an option parser per call.  Needs the module global
    ``new_document(source_path, settings)``, read by ``Post.to_html``.  Seen in ABlog 0.11.13."""

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
    """``ablog.blog.TOMORROW``, set while ablog_ext builds: ABlog's cutoff for future posts is
    fixed when it is imported, on the machine's clock; ablog_ext's is the build time on the site's
    clock (:mod:`ablog_ext.reading.discovery`). Needs a ``datetime`` global read by
    ``Blog.register`` and ``Post.__init__``. Seen in ABlog 0.11.13."""

    target, attribute = "ablog.blog.TOMORROW", "TOMORROW"
    fallback = (
        "aligning ABlog's future posts with ablog_ext's (ABlog's own rule, before tomorrow on "
        "this machine's clock, decides which dated posts it lists; with ablog_ext_future, later "
        "posts are ABlog drafts)"
    )

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
    """``Blog._dict``, the one blog every ``Blog`` of the process shares: emptied when a build
    starts, and ``Blog.__init__`` patched so that another application never gets an ablog_ext
    build's blog (:mod:`ablog_ext.speed.parallel`).  Needs that dict and ``Blog.__init__(self,
    app)``.  Seen in ABlog 0.11.13."""

    target, attribute = "ablog.blog.Blog._dict", "_dict"
    fallback = (
        "its reset of ABlog's shared blog (the blog is emptied through a new Blog instead, and "
        "when the build ends)"
    )

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
        find = SPHINX_EVENT_LISTENERS.find
        return find(app, self.event, self.module, self.function) if self.on(app) else []


class AblogArchivePages(AblogListener):
    """ABlog's archive generator, replaced by one that generates only the pages whose posts
    changed, titles escaped (:mod:`ablog_ext.speed.page_cache`). Seen in ABlog 0.11.13."""

    target = "ablog.post.generate_archive_pages"
    fallback = (
        "generating only the archive pages that changed (ABlog generates every one; their titles "
        "are still escaped)"
    )
    function = "generate_archive_pages"


class AblogAtomFeeds(AblogListener):
    """ABlog's Atom writer, removed: ablog_ext writes every feed ABlog would, and more, once
    (:mod:`ablog_ext.pages.feeds`).  Seen in ABlog 0.11.13."""

    target = "ablog.post.generate_atom_feeds"
    fallback = (
        "switching off ABlog's Atom writer (ABlog writes its feeds, and ablog_ext writes every "
        "one of them again after it)"
    )
    function = "generate_atom_feeds"


class AblogPageContext(AblogListener):
    """ABlog's ``html_page_context`` (the blog in every page's context), run inside ablog_ext's
    handler, which notes what each page reads of the blog (:mod:`ablog_ext.speed.page_reads`).
    Seen in ABlog 0.11.13."""

    event, module = "html-page-context", "ablog"
    target = "ablog.html_page_context"
    fallback = (
        "following what each page shows of the blog (every page is written again whenever "
        "anything of a post changes)"
    )
    function = "html_page_context"


class AblogEnvPosts(Reach):
    """``env.ablog_posts``: what ABlog read of each post, which ablog_ext records, completes,
    merges after parallel reads and renames names in.  Needs ``process_posts`` to store it under
    that name.  Seen in ABlog 0.11.13."""

    target, attribute = "env.ablog_posts", "ablog_posts"
    fallback = (
        "its records of ABlog's posts: ablog_ext's feeds, year-in-review, theme and series pages "
        "list no posts, posts show no reading time, related posts or link previews, the site has "
        "no sitemap, old URLs get no redirects, "
        "excerpts end where ABlog ends them, and ABlog's own Atom feeds are kept"
    )

    def check(self, app: Sphinx) -> str | None:
        if self.attribute in names_used(lookup("ablog.post:process_posts")):
            return None
        return "is no longer where ablog.post.process_posts stores posts"


class AblogPostDoctree(Reach):
    """``postinfo["doctree"]``, ABlog's deep copy of each post (half of the environment, linked to
    the environment that read it), replaced by a stand-in loaded from the pickled doctree
    (:mod:`ablog_ext.reading.post_doctree`).  Needs ``process_posts`` to store it and
    ``Post.__init__`` to read it.  Seen in ABlog 0.11.13."""

    target = "ABlog's postinfo['doctree'] (a copy of each post)"
    fallback = (
        "replacing ABlog's copy of each post with a stand-in (the copies are kept, without their "
        "link to the environment)"
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
    """ABlog's ``ablog/collection.html``, split: the body of its loop over an archive's posts is
    rendered once per post, not on every archive page (:mod:`ablog_ext.speed.archive_entries`).
    Needs one ``postlink`` macro and, last, a ``{% for post in collection %}`` loop whose body
    sets, loops and defines nothing; Jinja's ``Template.from_code``.  Seen in ABlog 0.11.13, Jinja
    3.1."""

    target = "the template ablog/collection.html"
    fallback = (
        "rendering each post's archive entry once per build (ABlog's template renders it on every "
        "archive page that lists the post)"
    )
    stage, needs = "builder", "templates"
    requires = (SPHINX_TEMPLATES, JINJA_TEMPLATE_LOOKUP)
    #: The function called in place of the loop's body.
    FUNCTION = "ablog_ext_collection_entry"
    CALL = "{{ " + FUNCTION + "(post) }}"
    LOOP = "{% for post in collection %}"
    END = "{% endfor %}"
    _MACRO = re.compile(r"\{%-?\s*macro postlink\(post\).*?\{%-?\s*endmacro\s*-?%\}", re.DOTALL)
    _FORBIDDEN = re.compile(r"\bloop\b|\{%-?\s*(?:set|for|macro|block|endblock|call|with)\b")

    def split(self) -> tuple[str, str] | str:
        """ABlog's template with the loop's body replaced by :attr:`CALL`, and the
        body (after the ``postlink`` macro) as a template of its own; or what is
        wrong with the file (the check, and what the feature renders)."""
        import ablog

        path = Path(ablog.get_html_templates_path(), "ablog", "collection.html")
        source = path.read_text(encoding="utf-8")
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
