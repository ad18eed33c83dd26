"""Rich link previews of posts: OpenGraph, ``article:*`` and Twitter card tags.

sphinxext-opengraph writes the common tags of every page (``og:title``,
``og:url``, ``og:description``, ``og:image``, ``og:site_name``); ablog_ext sets
it up itself, so a site gets link previews without listing it.  For a post,
ablog_ext hands it the post's values through the per-page fields it reads
(``og:type``, ``og:description``, ``og:image``, ``og:image:alt``: a copy of the
page's metadata, never the stored one), and adds only what it lacks: the
``article:*`` tags and the Twitter card tags.  Each tag has one writer.
Drafts and other posts that are not published get none (``ogp_disable``).

Its options stay its own (``ogp_site_url``, ``ogp_image`` as the site's default
image, ``ogp_social_cards``); ablog_ext only fills in what the site left unset:
the site's URL from ``blog_baseurl`` or ``html_baseurl``, and social cards off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urljoin, urlsplit

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from ablog_ext.blog.domain import blog_domain
from ablog_ext.blog.queries import Post, listed_posts, site_zone
from ablog_ext.config import conf_py, provided_by_user
from ablog_ext.pages.render import writes_html_pages
from ablog_ext.reading.matched import is_post_docname
from ablog_ext.reading.post_doctree import ablog_env_posts

logger = logging.getLogger("ablog_ext.previews")

EXTENSION = "sphinxext.opengraph"
#: Image files a link preview can show (sphinxext-opengraph's choice: no SVG).
_RASTER = {".gif", ".apng", ".webp", ".jpeg", ".jpg", ".png", ".bmp", ".heic", ".heif", ".tiff"}


def setup_link_previews(app: Sphinx) -> None:
    """Set sphinxext-opengraph up (as listing it would).  Its import prints, when
    matplotlib is missing, that social cards cannot be made: a site that did not
    ask for them gets no such line; one that did gets a warning instead
    (:func:`configure_previews`)."""
    with contextlib.redirect_stdout(io.StringIO()):
        app.setup_extension(EXTENSION)


def site_base(config: Config) -> str:
    """The site's URL with a final ``/`` (``blog_baseurl``, else ``html_baseurl``),
    or ``""``."""
    base = str(config.blog_baseurl or config.html_baseurl or "").strip()
    return base.rstrip("/") + "/" if base else ""


def configure_previews(app: Sphinx, config: Config) -> None:
    """``config-inited``: sphinxext-opengraph's options the site left unset."""
    if not provided_by_user(config, "ogp_site_url") and site_base(config):
        config.ogp_site_url = site_base(config)
    if not provided_by_user(config, "ogp_social_cards"):
        # Its default makes an image for every page when matplotlib is installed.
        config.ogp_social_cards = {"enable": False}
    elif social_cards_on(config) and not _can_draw_cards():
        logger.warning(
            "%sogp_social_cards: social cards need matplotlib "
            "(pip install 'sphinxext-opengraph[social-cards]'); none are made",
            conf_py(app),
            type="ablog_ext",
            subtype="previews",
        )


def social_cards_on(config: Config) -> bool:
    cards = config.ogp_social_cards
    return isinstance(cards, dict) and cards.get("enable", True) is not False


def _can_draw_cards() -> bool:
    import sphinxext.opengraph as opengraph

    return getattr(opengraph, "create_social_card", None) is not None


def _own_opengraph(config: Config) -> bool:
    """Whether sphinxext-opengraph is there only because ablog_ext set it up."""
    return EXTENSION not in config.extensions


# -- the post's values, before sphinxext-opengraph (500) -------------------------------


def hidden_pages(app: Sphinx) -> frozenset[str]:
    """Documents that are posts but not published: drafts (no date, or one of
    ``ablog_ext_drafts``), future posts, ``published: false`` posts read anyway."""
    env = app.env

    def compute() -> frozenset[str]:
        listed = {post.docname for post in listed_posts(env)}
        posts = set(blog_domain(env).posts) | set(ablog_env_posts(env))
        posts |= {doc for doc in env.found_docs if is_post_docname(env.config, doc)}
        return frozenset(posts - listed)

    return blog_domain(env).memo("hidden-pages", compute)


def preview_post(app: Sphinx, pagename: str) -> Post | None:
    """The published post *pagename* shows (the first, for a page of several)."""
    env = app.env
    first = blog_domain(env).memo("preview-posts", lambda: _first_posts(listed_posts(env)))
    return first.get(pagename)


def _first_posts(posts: list[Post]) -> dict[str, Post]:
    first: dict[str, Post] = {}
    for post in posts:
        first.setdefault(post.docname, post)
    return first


#: The page context's copy of the fields a post's preview was given.
_PREVIEW = "ablog_ext_preview"


def post_fields(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``, before sphinxext-opengraph: the post's values in the
    fields it reads; ``ogp_disable`` on a draft (and, with
    ``ablog_ext_link_previews`` off, on every page, unless the site lists it)."""
    if doctree is None:
        return
    meta = dict(context.get("meta") or {})
    if not writes_html_pages(app):
        # The JSON and pickle builders' context has no "pagename", which
        # sphinxext-opengraph reads (a KeyError that stopped the build); what they
        # write is no page a link preview shows.
        context["meta"] = {**meta, "ogp_disable": True}
        return
    config = app.config
    if not config.ablog_ext_link_previews:
        if _own_opengraph(config):
            context["meta"] = {**meta, "ogp_disable": True}
        return
    if pagename in hidden_pages(app):
        context["meta"] = {**meta, "ogp_disable": True}
        return
    post = preview_post(app, pagename)
    if post is None or "ogp_disable" in meta:
        return
    values = {"og:type": "article"}
    description = post_description(app, post)
    if description:
        values["og:description"] = description
    image = post_image(app, pagename, doctree)
    if image is not None:
        values["og:image"] = image[0]
        if image[1]:
            values["og:image:alt"] = image[1]
    # The author's own og:* fields win.
    context["meta"] = {**values, **meta}
    # sphinxext-opengraph takes og:image out of the fields it reads.
    context[_PREVIEW] = dict(context["meta"])


def post_description(app: Sphinx, post: Post) -> str:
    """The post's excerpt as plain text, cut at a word within ``ogp_description_length``."""
    from ablog.blog import Blog

    ablog_post = Blog(app)[post.key]
    excerpt = getattr(ablog_post, "excerpt", None) or []
    text = " ".join(" ".join(node.astext().split()) for node in excerpt).strip()
    limit = int(app.config.ogp_description_length)
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


def post_image(app: Sphinx, pagename: str, doctree: nodes.Node) -> tuple[str, str] | None:
    """``(URL, alt text)`` of the post's image: its front matter ``image`` (from the
    site's root, as Jekyll reads it), else its first image (unless the site asked
    for social cards); ``None`` leaves it to sphinxext-opengraph (``ogp_image``, the
    site's default, or its social card)."""
    base = site_base(app.config)
    record = blog_domain(app.env).posts.get(pagename)
    written = record.get("image") if record else None
    if written:
        return (written if urlsplit(written).scheme else urljoin(base, written.lstrip("/"))), ""
    if social_cards_on(app.config) and _can_draw_cards():
        # The site asked for social cards: each post without an image of its own keeps its card.
        return None
    for image in _images(doctree):
        uri = str(image.get("uri", ""))
        try:
            path = urlsplit(uri).path
        except ValueError:  # not a URL (``http://[x``): no preview can show it
            continue
        if PurePosixPath(path).suffix.lower() not in _RASTER:
            continue
        # By then Sphinx made the image's URI relative to the page (``../_images/``).
        page = urljoin(base, app.builder.get_target_uri(pagename))
        return urljoin(page, uri), str(image.get("alt", ""))
    return None


def _images(doctree: nodes.Node) -> Iterator[nodes.image]:
    yield from doctree.findall(nodes.image)


def _shows_first_image(doctree: nodes.Node) -> bool:
    """Whether ``ogp_use_first_image`` gives *doctree*'s page an image: its first
    image, when it is a kind a preview shows (sphinxext-opengraph's test)."""
    first = next(_images(doctree), None)
    uri = str(first.get("uri", "")) if first is not None else ""
    return PurePosixPath(uri).suffix.lower() in _RASTER


# -- what sphinxext-opengraph lacks, after it ------------------------------------------


def aware(value: dt.datetime, config: Config) -> dt.datetime:
    """*value* with an offset (the site's zone for a date written without one),
    to the second."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=site_zone(config))
    return value.replace(microsecond=0)


def post_times(app: Sphinx, post: Post) -> tuple[dt.datetime, dt.datetime]:
    """When *post* was published and last changed: its update date (Jekyll's
    ``last_modified_at``, ABlog's ``:update:``), else its date."""
    from ablog.blog import Blog

    published = aware(post.written_date, app.config)
    modified = post.updated
    if modified is None:
        ablog_post = Blog(app)[post.key]
        update = getattr(ablog_post, "update", None)
        if isinstance(update, dt.datetime) and update != getattr(ablog_post, "date", None):
            modified = update
    return published, aware(modified, app.config) if modified else published


def article_tags(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``, after sphinxext-opengraph: ``article:*`` and the
    Twitter card of a published post."""
    if doctree is None or not writes_html_pages(app) or not app.config.ablog_ext_link_previews:
        return
    meta = context.get(_PREVIEW)
    post = preview_post(app, pagename)
    if post is None or meta is None:
        return
    published, modified = post_times(app, post)
    tags = [
        ("property", "article:published_time", published.isoformat()),
        ("property", "article:modified_time", modified.isoformat()),
    ]
    # The names as this post writes them: how another post spells a name it shares
    # (the name its archive page shows) must not change this page.
    record = blog_domain(app.env).posts.get(pagename)
    categories = record["categories"] if record else list(post.categories)
    if categories:
        tags.append(("property", "article:section", categories[0]))
    tags += [("property", "article:tag", tag) for tag in (record["tags"] if record else post.tags)]
    config = app.config
    # The image sphinxext-opengraph shows, as it decides: the post's (or a field's),
    # else ogp_image, else with ogp_use_first_image the page's first image if it
    # is one a preview can show, else (none of them asked for) a social card.
    given = bool(meta.get("og:image") or config.ogp_image)
    use_first = "og:image" not in meta and bool(config.ogp_use_first_image)
    card_made = not (given or use_first) and social_cards_on(config) and _can_draw_cards()
    if not card_made:  # (sphinxext-opengraph wrote a social card's type)
        shown = given or (use_first and _shows_first_image(doctree))
        tags.append(("name", "twitter:card", "summary_large_image" if shown else "summary"))
    tags.append(("name", "twitter:title", post.title))
    if meta.get("og:description"):
        tags.append(("name", "twitter:description", str(meta["og:description"])))
    lines = [f'<meta {kind}="{name}" content="{html.escape(text)}" />' for kind, name, text in tags]
    context["metatags"] = context.get("metatags", "") + "\n".join(lines) + "\n"
