"""A post with bytes that are not UTF-8 is read, not fatal.

Jekyll posts are UTF-8, and Sphinx 9 reads sources strictly, so one stray Latin-1
byte in one old post would stop the whole build with a traceback.  Each post
(a document ``blog_post_pattern`` matches) is read as UTF-8; one that is not valid
UTF-8 is read with such bytes shown as U+FFFD, and gets a warning naming the line
(Sphinx 8 replaced them with "?").  Every other document is read in the site's own
``source_encoding``, exactly as Sphinx reads it: Sphinx reads through a codec
of ablog_ext's own (:data:`~ablog_ext.reaches.sphinx.SPHINX_INPUT_ENCODING`).
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
from collections.abc import Set
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ablog_ext.reaches.base import loaded_apps
from ablog_ext.reaches.sphinx import SPHINX_INPUT_ENCODING
from ablog_ext.reading.matched import is_post_docname
from ablog_ext.state import Slot, build_state

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
    _use_codec(app, env, posts)


class _Sources:
    """What one build's codec reads as posts, and the site's own encoding."""

    def __init__(self, name: str, site: str, posts: set[bytes]) -> None:
        self.name = name
        self.site = site
        self.posts = posts


#: This build's codec (made at ``env-before-read-docs``, dropped when the build ends).
_SOURCES: Slot[_Sources | None] = Slot("encoding: the codec's sources", lambda app: None)
_CODEC_PREFIX = "ablog_ext_source_"
#: Process-wide, as the codec registry is: a new codec name for each build, and
#: whether ablog_ext's search function is registered.
_COUNTER = itertools.count()
_SEARCH_REGISTERED: list[bool] = []


def _use_codec(app: Sphinx, env: BuildEnvironment, posts: set[bytes]) -> None:
    """Read the sources whose SHA-256 is in *posts* as UTF-8 (leniently), every
    other one in the site's ``source_encoding``; for this build only."""
    if not SPHINX_INPUT_ENCODING.on(app):
        return
    settings = getattr(env, SPHINX_INPUT_ENCODING.attribute)
    site = str(env.config.source_encoding)
    if not posts:
        settings["input_encoding"] = site
        return
    name = f"{_CODEC_PREFIX}{next(_COUNTER)}"
    build_state(app).set(_SOURCES, _Sources(name, site, posts))
    if not _SEARCH_REGISTERED:
        codecs.register(_search)
        _SEARCH_REGISTERED.append(True)
    settings["input_encoding"] = name
    app.connect("build-finished", lambda app, exception: _forget_codec(app, name))


def _forget_codec(app: Sphinx, name: str) -> None:
    state = build_state(app)
    kept = state.peek(_SOURCES)
    if kept is not None and kept.name == name:
        state.pop(_SOURCES)


def _sources(name: str) -> _Sources | None:
    for app in loaded_apps():
        kept = build_state(app).peek(_SOURCES)
        if kept is not None and kept.name == name:
            return kept
    return None


def _decode_source(name: str, data: bytes, errors: str) -> str:
    sources = _sources(name)
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
