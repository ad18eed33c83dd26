"""ablog_ext's message catalog: every message of the code in it, and each
translation's compiled ``.mo`` what its ``.po`` says."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from ablog_ext.pages.messages import LOCALE_DIR

PACKAGE = Path(LOCALE_DIR).parent
#: ``text("...")``: the one way ablog_ext's code asks for a message.
CALL = re.compile(r"""\btext\(\s*"((?:[^"\\]|\\.)*)\"""")


def code_messages() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        found.update(CALL.findall(path.read_text(encoding="utf-8")))
    return found


def catalog_ids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def test_every_message_is_in_the_template_and_each_translation():
    messages = code_messages()
    assert "{minutes} min read" in messages and "Related posts" in messages
    assert catalog_ids(LOCALE_DIR / "ablog_ext.pot") == messages
    translations = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/ablog_ext.po"))
    assert [path.parts[-3] for path in translations] == ["fr"]
    for path in translations:
        assert catalog_ids(path) == messages


def test_compiled_catalogs_match_their_sources():
    for po_path in LOCALE_DIR.glob("*/LC_MESSAGES/ablog_ext.po"):
        with po_path.open("rb") as handle:
            source = {m.id: m.string for m in read_po(handle) if m.id}
        with po_path.with_suffix(".mo").open("rb") as handle:
            compiled = {m.id: m.string for m in read_mo(handle) if m.id}
        assert compiled == source, po_path
        # Every message is translated, and keeps its placeholders.
        for message, translation in source.items():
            assert translation
            assert re.findall(r"{\w+}", translation) == re.findall(r"{\w+}", message)
