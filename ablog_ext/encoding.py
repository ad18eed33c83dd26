"""A source file with bytes that are not UTF-8 is read, not fatal.

Sphinx 9 reads sources strictly, so one stray Latin-1 byte in one old post stops
the whole build with a traceback.  With the default ``source_encoding`` the
sources are read through a codec that shows such bytes as U+FFFD, and each file
that has them gets a warning naming the line (Sphinx 8 replaced them with "?").
"""

from __future__ import annotations

import codecs
import encodings.utf_8_sig as utf_8_sig
from collections.abc import Set
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

CODEC = "ablog_ext_utf_8_sig"


class _LenientDecoder(utf_8_sig.IncrementalDecoder):
    def __init__(self, errors: str = "strict") -> None:
        super().__init__("replace")


def _decode(data: Any, errors: str = "strict") -> tuple[str, int]:
    return utf_8_sig.decode(data, "replace")


def _search(name: str) -> codecs.CodecInfo | None:
    if name != CODEC:
        return None
    return codecs.CodecInfo(
        name=CODEC,
        encode=utf_8_sig.encode,
        decode=_decode,
        incrementalencoder=utf_8_sig.IncrementalEncoder,
        incrementaldecoder=_LenientDecoder,
        streamreader=utf_8_sig.StreamReader,
        streamwriter=utf_8_sig.StreamWriter,
    )


codecs.register(_search)


def read_leniently(app: Sphinx, env: BuildEnvironment, docnames: Set[str]) -> None:
    """Read this build's sources with the lenient codec (the configuration keeps
    saying UTF-8), and warn about each file that needs it."""
    encoding = str(env.settings.get("input_encoding", "utf-8-sig")).lower().replace("_", "-")
    if encoding not in {"utf-8", "utf-8-sig", "utf8", CODEC.replace("_", "-")}:
        return
    env.settings["input_encoding"] = CODEC
    for docname in sorted(docnames):
        try:
            data = Path(env.doc2path(docname)).read_bytes()
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
        except OSError:
            continue


def setup_encoding(app: Sphinx) -> None:
    app.connect("env-before-read-docs", read_leniently)
