"""A Jekyll post's old URL: a redirect page there, and links to it that resolve.

Jekyll's URL rules are pure, in :mod:`ablog_ext.jekyll.permalinks`; this module
wires them into Sphinx:

1. at read time each Jekyll post (a dated file name, or a front matter
   ``permalink``) gets its old URL in :class:`~.domain.PostRecord` (``old_url``);
   :mod:`.redirects` writes a redirect page there;
2. :class:`ResolveOldLinks`, a post-transform that runs before MyST's reference
   resolver, turns a link to a post's old or new site-absolute URL into a link
   to the page, where MyST would warn ``cross-reference target not found``.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.nodes import make_refnode
from sphinx.util.osutil import relative_uri

from ablog_ext.blog.domain import blog_domain
from ablog_ext.blog.queries import parse_iso, wall_clock
from ablog_ext.config import pattern_prefix, post_patterns
from ablog_ext.jekyll.permalinks import (
    PermalinkError,
    is_dated_name,
    jekyll_post,
    post_url,
    style_template,
    url_key,
)
from ablog_ext.reading.parsed import parsed_post

logger = logging.getLogger("ablog_ext.permalinks")

# -- Sphinx: old URLs at read time ----------------------------------------------------------


def site_template(config: Config) -> str | None:
    """The site's permalink template; ``None`` when site-wide old URLs are off."""
    style = str(config.ablog_ext_permalink).strip()
    return style_template(style) if style else None


def posts_folder(config: Config, docname: str) -> str:
    """The fixed start of the ``blog_post_pattern`` that *docname* is under
    (``posts`` for ``posts/**``), or the post's own folder."""
    for pattern in post_patterns(config):
        root = pattern_prefix(pattern)
        if root and docname.startswith(root + "/"):
            return root
    return docname.rpartition("/")[0]


#: Python attribute on the doctree between the two ``doctree-read`` handlers below.
_SOURCE = "ablog_ext_jekyll_source"


@dataclass(frozen=True)
class _Source:
    front_matter: Mapping[str, Any]
    permalink: str | None
    permalink_line: int


def remember_front_matter(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, before :func:`~.posts.record_post` drops it: what the
    post's front matter says about its URL."""
    parsed = parsed_post(doctree)
    if parsed is None:
        return
    source = _Source(
        front_matter=dict(parsed.block.data or {}),
        permalink=parsed.meta.permalink,
        permalink_line=parsed.block.key_lines.get("permalink", 1),
    )
    setattr(doctree, _SOURCE, source)


def record_old_url(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, after the post is recorded: its URL on the Jekyll site."""
    source: _Source | None = doctree.__dict__.pop(_SOURCE, None)
    env = app.env
    docname = env.docname
    domain = blog_domain(env)
    record = domain.posts.get(docname)
    if source is None or record is None:
        return
    config = app.config
    stem = docname.rpartition("/")[2]
    template: str | None = None
    line, setting = 1, "ablog_ext_permalink"
    if source.permalink:
        template, line, setting = source.permalink, source.permalink_line, "'permalink'"
    elif is_dated_name(stem) and not _is_draft(config, docname):
        template = site_template(config)
    if template is None:
        return
    written = parse_iso(record["date"])
    folder = posts_folder(config, docname)
    post = jekyll_post(
        source.front_matter,
        docname.removeprefix(folder + "/") if folder else docname,
        wall_clock(written) if written is not None else None,
        folder_categories=bool(config.ablog_ext_folder_categories),
    )
    try:
        url = post_url(template, post)
    except PermalinkError as error:
        logger.warning(
            "%s %r: %s; the post's old URL is unknown",
            setting,
            template,
            error,
            type="ablog_ext",
            subtype="permalink",
            location=(docname, line),
        )
        return
    record["old_url"] = (url, line)
    domain.add_post(docname, record)


def _is_draft(config: Config, docname: str) -> bool:
    from sphinx.util.matching import Matcher

    return Matcher(list(config.ablog_ext_drafts))(docname)


def old_urls(env: BuildEnvironment) -> list[tuple[str, str, int]]:
    """``(docname, old URL, line)`` of each post that has one, the post Jekyll served
    at a URL first: Jekyll writes posts oldest first, so of two posts with one URL
    the newer (then the later path) is the one that was there."""
    found = []
    for docname, record in blog_domain(env).sorted_posts():
        old = record.get("old_url")
        if old:
            written = parse_iso(record["date"])
            date = wall_clock(written) if written is not None else dt.datetime.min
            found.append((date, docname, old[0], old[1]))
    found.sort(reverse=True)
    return [(docname, url, line) for _date, docname, url, line in found]


# -- Sphinx: links to old (and new) URLs ---------------------------------------------------


@dataclass(frozen=True)
class LinkTargets:
    """Every site path a link may use for a page: each document's own, and each
    post's old URL and ``redirect_from`` paths."""

    pages: Mapping[str, str]
    #: Each post's old URL, to read its relative links against.
    old_urls: Mapping[str, str]
    #: Path prefixes the site was published under (Jekyll's ``baseurl``).
    baseurls: tuple[str, ...]

    def find(self, target: str, refdoc: str) -> tuple[str, str] | None:
        """``(docname, anchor)`` of the page *target* (a link as written) points to."""
        path, _, anchor = target.partition("#")
        path = path.partition("?")[0].strip()
        if not path or path.startswith("//") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path):
            return None
        if path.startswith("/"):
            candidates = [path]
            for base in self.baseurls:
                if path == base or path.startswith(base + "/"):
                    candidates.append(path[len(base) :] or "/")
        elif refdoc in self.old_urls and _looks_like_a_url(path):
            # Jekyll served the post at its old URL: a relative link was written from there.
            candidates = [urljoin(self.old_urls[refdoc], path)]
        else:
            return None
        for candidate in candidates:
            docname = self.pages.get(url_key(candidate))
            if docname is not None:
                return docname, anchor
        return None


def _looks_like_a_url(path: str) -> bool:
    """A relative link MyST would otherwise read as a label or document name is
    left to MyST."""
    return path.startswith(("./", "../")) or path.endswith(("/", ".html", ".htm"))


def link_targets(env: BuildEnvironment) -> LinkTargets:
    return blog_domain(env).memo("link-targets", lambda: _link_targets(env))


def _link_targets(env: BuildEnvironment) -> LinkTargets:
    pages: dict[str, str] = {}
    for docname in sorted(env.found_docs):
        pages.setdefault(url_key("/" + docname + ".html"), docname)
    # A page's own path first, then old URLs, then redirect_from: the order redirects use.
    urls = old_urls(env)
    for docname, url, _line in urls:
        pages.setdefault(url_key(url), docname)
    for docname, record in blog_domain(env).sorted_posts():
        for path, _line in record["redirects"]:
            pages.setdefault(url_key(path), docname)
    return LinkTargets(pages, {docname: url for docname, url, _ in urls}, site_baseurls(env.config))


def site_baseurls(config: Config) -> tuple[str, ...]:
    """The path the Jekyll site was published under: ``ablog_ext_site["baseurl"]``,
    and the path of ``blog_baseurl``."""
    site = config.ablog_ext_site if isinstance(config.ablog_ext_site, dict) else {}
    found = []
    for value in (site.get("baseurl"), urlsplit(str(config.blog_baseurl or "")).path):
        base = "/" + str(value or "").strip().strip("/")
        if base != "/" and base not in found:
            found.append(base)
    return tuple(found)


def _without_baseurl(path: str, baseurls: Sequence[str]) -> str | None:
    """*path* (``/notes/assets/x.png``) without the site's old base path, or None."""
    for base in baseurls:
        if path.startswith(base + "/"):
            return path[len(base) :]
    return None


class ImagePaths(SphinxTransform):
    """An image of a post at the path the browser would fetch for Jekyll's page.

    Written ``{{ site.baseurl }}/assets/x.png``, it is ``/notes/assets/x.png``
    after Liquid, and Sphinx would look for it in a ``notes`` folder; written
    ``a talk.png`` (or ``a%20talk.png``), Markdown gives ``a%20talk.png``, and
    Sphinx would look for that name. When the file is there without the base
    path, or with the name decoded, the image is taken from there, as Sphinx
    reads images: at read time."""

    # Before Sphinx's image collector (doctree-read).
    default_priority = 800

    def apply(self, **kwargs: Any) -> None:
        if parsed_post(self.document) is None:
            return
        baseurls = site_baseurls(self.config)
        srcdir = Path(self.env.srcdir)
        folder = Path(self.env.doc2path(self.env.docname)).parent
        for image in self.document.findall(nodes.image):
            uri = str(image.get("uri", ""))
            if "://" in uri or uri.startswith("data:"):
                continue
            base = srcdir if uri.startswith("/") else folder
            if (base / uri.lstrip("/")).is_file():
                continue  # as written
            for candidate in self._candidates(uri, baseurls):
                if (base / candidate.lstrip("/")).is_file():
                    image["uri"] = candidate
                    break

    @staticmethod
    def _candidates(uri: str, baseurls: Sequence[str]) -> list[str]:
        decoded = unquote(uri)
        found = [decoded] if decoded != uri else []
        if uri.startswith("/"):
            for path in (uri, decoded):
                rest = _without_baseurl(path, baseurls)
                if rest:
                    found.append(rest)
        return found


class ResolveOldLinks(SphinxPostTransform):
    """A Markdown link to a page's site path (``/2019/03/05/slug.html``, a post's
    old URL, or ``/posts/2019-03-05-slug.html``, its new one) becomes a link to the
    page.  MyST leaves such a link as a ``pending_xref`` it cannot resolve."""

    # Before MyST's MystReferenceResolver (9) and Sphinx's ReferencesResolver (10).
    default_priority = 8
    #: The application, set by :func:`setup_permalinks` on a subclass of its own
    #: (Sphinx 9 deprecates a transform's ``app``).
    sphinx_app: weakref.ReferenceType[Sphinx]

    def run(self, **kwargs: Any) -> None:
        targets: LinkTargets | None = None
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("reftype") != "myst" or node.get("refdomain"):
                continue
            targets = targets or link_targets(self.env)
            refdoc = node.get("refdoc", self.env.docname)
            found = targets.find(str(node["reftarget"]), refdoc)
            if found is not None:
                node.replace_self(self._reference(node, *found))
                continue
            served = self._served_file(str(node["reftarget"]), targets.baseurls)
            if served is not None:
                node.replace_self(served(node))

    def _served_file(self, target: str, baseurls: Sequence[str]) -> Any:
        """A link to a file of a root folder (``ablog_ext_root_folders``) written with
        the site's old base path: a link to where the built site serves it."""
        from ablog_ext.urls.root_folders import root_folders

        path = target.partition("#")[0].partition("?")[0]
        rest = _without_baseurl(path, baseurls) if path.startswith("/") else None
        if not rest:
            return None
        rest = unquote(rest).lstrip("/")
        folders = root_folders(self.config, Path(self.env.srcdir))
        if not any(rest.startswith(folder + "/") for folder in folders):
            return None
        if not (Path(self.env.srcdir) / rest).is_file():
            return None
        app = self.sphinx_app()
        assert app is not None
        uri = relative_uri(app.builder.get_target_uri(self.env.docname), rest)

        def reference(node: addnodes.pending_xref) -> nodes.Node:
            inner = node[0].deepcopy().children if len(node) else [nodes.Text(rest)]
            return nodes.reference("", "", *inner, refuri=uri, internal=False)

        return reference

    def _reference(self, node: addnodes.pending_xref, docname: str, anchor: str) -> nodes.Node:
        inner = nodes.inline("", "", classes=["std", "std-doc" if not anchor else "std-ref"])
        if node.get("refexplicit") and len(node):
            inner += node[0].deepcopy().children
        else:
            title = self.env.titles.get(docname)
            text = title.astext() if title is not None else docname
            inner += nodes.Text(text)
        # A heading's MyST slug, when it has one, names the section's id.
        slugs = self.env.metadata.get(docname, {}).get("myst_slugs", {})
        targetid = slugs[anchor][1] if anchor in slugs else anchor
        app = self.sphinx_app()
        assert app is not None
        reference = make_refnode(app.builder, self.env.docname, docname, targetid, inner)
        if "reftitle" in node:
            reference["reftitle"] = node["reftitle"]
        return reference


def setup_permalinks(app: Sphinx) -> None:
    resolver = type("ResolveOldLinks", (ResolveOldLinks,), {"sphinx_app": weakref.ref(app)})
    app.add_post_transform(resolver)
    app.add_transform(ImagePaths)
