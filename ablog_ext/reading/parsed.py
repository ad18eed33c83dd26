"""What the post parser learnt about a post, handed to the later steps of its read.

The parser (:class:`~ablog_ext.reading.posts.JekyllMystParser`) attaches a
:class:`ParsedPost` to the docutils document; the transforms of the same read
(kramdown's heading ids, image paths) and the ``doctree-read`` handlers (the
post's record, its old URL) read it, and :func:`detach_parsed_post` removes it
before the doctree is pickled. Its own module, so that each of those steps can
import it without importing the parser.
"""

from __future__ import annotations

import dataclasses

from docutils import nodes

from ablog_ext.jekyll.frontmatter import FrontMatterBlock, PostMeta

#: Python attribute set on the docutils document by the parser, read and removed
#: by the transforms and ``doctree-read`` handlers of the same read.
PARSED_ATTRIBUTE = "ablog_ext_post"


@dataclasses.dataclass
class ParsedPost:
    """What the parser learnt about a post, for the later steps of its read."""

    meta: PostMeta
    block: FrontMatterBlock
    empty: bool = False
    #: One of ``ablog_ext_drafts``: a draft whatever its date.
    draft: bool = False
    #: Read by MyST-NB as a notebook (:mod:`.notebooks`): its automatic excerpt
    #: skips the cells' outputs.
    notebook: bool = False


def attach_parsed_post(document: nodes.document, parsed: ParsedPost) -> None:
    setattr(document, PARSED_ATTRIBUTE, parsed)


def parsed_post(document: nodes.document) -> ParsedPost | None:
    """The post the parser read into *document*; ``None`` for any other document."""
    found: ParsedPost | None = getattr(document, PARSED_ATTRIBUTE, None)
    return found


def detach_parsed_post(document: nodes.document) -> ParsedPost | None:
    """:func:`parsed_post`, removed from *document* (it is not pickled)."""
    found = parsed_post(document)
    if found is not None:
        delattr(document, PARSED_ATTRIBUTE)
    return found


__all__ = [
    "PARSED_ATTRIBUTE",
    "ParsedPost",
    "attach_parsed_post",
    "detach_parsed_post",
    "parsed_post",
]
