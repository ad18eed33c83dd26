"""A post with bytes that are not UTF-8 is read, not fatal.

Jekyll posts are UTF-8, and Sphinx 9 reads sources strictly, so one stray Latin-1
byte in one old post would stop the whole build with a traceback.  Each post
(a document ``blog_post_pattern`` matches) is read as UTF-8; one that is not valid
UTF-8 is read with such bytes shown as U+FFFD, and gets a warning naming the line
(Sphinx 8 replaced them with "?").  Every other document is read in the site's own
``source_encoding``, exactly as Sphinx reads it.  How Sphinx is told is in
:class:`~.upstream.SphinxInputEncoding`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Set
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ablog_ext import upstream
from ablog_ext.reading.posts import is_post_docname

logger = logging.getLogger("ablog_ext.encoding")

_UTF8 = {"utf-8", "utf-8-sig", "utf8", "utf_8", "utf_8_sig"}


def read_posts_as_utf8(app: Sphinx, env: BuildEnvironment, docnames: Set[str]) -> None:
    """``env-before-read-docs``: posts about to be read are read as UTF-8 (leniently
    where they are not), and each that is not UTF-8 gets a warning."""
    site_is_utf8 = str(env.config.source_encoding).lower() in _UTF8
    posts: set[bytes] = set()
    for docname in sorted(docnames):
        if not is_post_docname(env.config, docname):
            continue
        try:
            data = Path(env.doc2path(docname)).read_bytes()
        except OSError:
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            logger.warning(
                "bytes that are not UTF-8 (0x%02x first); they are shown as \ufffd. "
                "Save the file as UTF-8",
                data[error.start],
                type="ablog_ext",
                subtype="encoding",
                location=(docname, line),
            )
        else:
            if site_is_utf8:
                continue  # read as the site reads it: nothing to change
        posts.add(hashlib.sha256(data).digest())
    upstream.SPHINX_INPUT_ENCODING.read_posts_as_utf8(app, env, posts)


def setup_encoding(app: Sphinx) -> None:
    app.connect("env-before-read-docs", read_posts_as_utf8)
