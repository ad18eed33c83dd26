"""The names the new site's files and folders have (``ablog-ext init``)."""

from __future__ import annotations

POSTS, DRAFTS, INCLUDES, DATA = "posts", "drafts", "_includes", "_data"
CONF, INDEX, MANIFEST = "conf.py", "index.md", ".ablog-ext-init.json"
#: Names the new site uses for itself; a Jekyll folder of the same name is not copied.
RESERVED = frozenset(
    {POSTS, DRAFTS, INCLUDES, DATA, "_build", "_static", "_templates", CONF, INDEX, "blog"}
    | {"_images", "_sources", "_downloads", "genindex.html", "search.html", "index.html"}
    | {"searchindex.js", "objects.inv", ".buildinfo", MANIFEST}
)

__all__ = ["CONF", "DATA", "DRAFTS", "INCLUDES", "INDEX", "MANIFEST", "POSTS", "RESERVED"]
