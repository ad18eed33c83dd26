"""Archive page names that fit a file system: a long category or tag still gets a page.

ABlog writes the archive page of a name at the slug of the name
(``blog/category/<slug>.html``, feeds in ``blog/category/<slug>/``). A name
of 300 characters makes a file name longer than file systems allow (255 bytes)
and stopped the build. :func:`archive_slug` keeps short slugs as they are and
cuts a long one, with a stable hash of the whole name after it; the page still
shows the whole name.

ABlog computes a collection's page name itself (``Collection.docname``, from
``Collection._path``); :func:`shorten_collection_paths` sets ``_path`` for the
few long ones. That is a reach into ABlog: without ``_path`` (another ABlog)
nothing is changed and the long name fails as before. The patch upstream: let
``Collection`` take its slug from a ``blog_slugify`` setting.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ablog.blog import slugify
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

#: Bytes a slug may take: room for ``.html`` and for a feed file's folder.
MAX_SLUG_BYTES = 120
_KEPT_BYTES = 80


def archive_slug(name: str) -> str:
    """ABlog's slug of *name*, cut to fit a file name when it is too long."""
    slug = str(slugify(name))
    encoded = slug.encode("utf-8")
    if len(encoded) <= MAX_SLUG_BYTES:
        return slug
    kept = encoded[:_KEPT_BYTES].decode("utf-8", errors="ignore").rstrip("-")
    digest = hashlib.sha256(name.encode("utf-8", errors="surrogatepass")).hexdigest()[:12]
    return f"{kept}-{digest}"


def shorten_collection_paths(app: Sphinx) -> None:
    """Give ABlog's collections with too long a slug their cut page name."""
    from ablog.blog import Blog

    blog = Blog(app)
    for catalog in blog.catalogs.values():
        for collection in catalog:
            if not hasattr(collection, "_path"):
                return  # another ABlog: see the module's note
            slug = str(slugify(collection.name))
            if len(slug.encode("utf-8")) <= MAX_SLUG_BYTES:
                continue
            short = f"{catalog.path}/{archive_slug(collection.name)}"
            if collection._path != short:
                collection._path = short
                references = getattr(blog, "references", {})
                if collection.xref in references:
                    references[collection.xref] = (short, collection.name)


def shorten_after_reading(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: once ABlog's catalogs are filled."""
    shorten_collection_paths(app)
    return []


def shorten_before_pages(app: Sphinx) -> list[Any]:
    """``html-collect-pages``: before ABlog's archive pages are generated."""
    shorten_collection_paths(app)
    return []


__all__ = ["MAX_SLUG_BYTES", "archive_slug", "shorten_after_reading", "shorten_before_pages"]
