"""What kramdown's references point at: the ids it gives headings (which links
written for Jekyll use) and the footnote labels a post defines (pure, no Sphinx)."""

from __future__ import annotations

import re

#: A footnote reference and a footnote definition's label.
FOOTNOTE_REFERENCE = re.compile(r"(?<!\\)\[\^([^\]\s]+)\]")
_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.M)


def kramdown_id(text: str) -> str:
    """kramdown's automatic id of a heading (``Converter::Base#basic_generate_id``)."""
    text = re.sub(r"^[^a-zA-Z]+", "", text)
    return re.sub(r"[^a-zA-Z0-9 -]", "", text).replace(" ", "-").lower()


def gfm_id(text: str) -> str:
    """The id kramdown's GFM input (``input: GFM``) gives a heading, GitHub's."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-").replace("\t", "-")


def undefined_footnotes(text: str) -> set[str]:
    """Labels of footnote references (``[^1]``) in *text* that no ``[^1]:``
    defines: kramdown shows them as text, MyST as an error."""
    defined = set(_FOOTNOTE_DEFINITION.findall(text))
    return {label for label in FOOTNOTE_REFERENCE.findall(text) if label not in defined}


__all__ = ["FOOTNOTE_REFERENCE", "gfm_id", "kramdown_id", "undefined_footnotes"]
