"""Which documents are posts: the ones ``blog_post_pattern`` matches, found once.

Every part that reads posts asks here (the parser, the encoding, the scan of
posts Jekyll would not publish, safe posts), so this module imports none of them.
"""

from __future__ import annotations

import os
from glob import glob
from pathlib import PurePath

from sphinx.application import Sphinx
from sphinx.config import Config

from ablog_ext.config import app_of_config
from ablog_ext.state import Slot, build_state

#: The documents ``blog_post_pattern`` matches, globbed in the source folder as
#: ABlog 0.11 globs them (``config-inited``); made once per application.
_MATCHED: Slot[list[str]] = Slot(
    "posts: blog_post_pattern's documents", lambda app: [], lasting=True
)


def match_post_pattern(app: Sphinx, config: Config) -> None:
    """``config-inited``, after ABlog's: the documents that are posts, from the
    documented ``blog_post_pattern`` (ABlog keeps the same list in the undocumented
    ``config.matched_blog_posts``)."""
    patterns = config.blog_post_pattern or []
    matched = []
    for pattern in [patterns] if isinstance(patterns, str) else patterns:
        for found in glob(os.path.join(app.srcdir, str(pattern)), recursive=True):
            matched.append(PurePath(found).relative_to(app.srcdir).with_suffix("").as_posix())
    build_state(app).set(_MATCHED, matched)


def rematch_posts(app: Sphinx) -> None:
    """Before another build of the same application (``ablog-ext serve``): the
    documents matched again, here and in ABlog's own list (which ABlog globs only at
    ``config-inited``), so a post added since the last build is read as a post."""
    match_post_pattern(app, app.config)
    if hasattr(app.config, "matched_blog_posts"):
        found: list[str] | None = build_state(app).peek(_MATCHED)
        app.config.matched_blog_posts = list(found or [])


def matched_posts(config: Config) -> list[str]:
    """The documents ``blog_post_pattern`` matched (:func:`match_post_pattern`)."""
    app = app_of_config(config)
    kept = build_state(app).peek(_MATCHED) if app is not None else None
    return kept or []


def is_post_docname(config: Config, docname: str) -> bool:
    return docname in matched_posts(config)
