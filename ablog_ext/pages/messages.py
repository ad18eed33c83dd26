"""ablog_ext's own words on generated content, through Sphinx's translation machinery.

The catalog is ``ablog_ext`` in ``ablog_ext/locale/<language>/LC_MESSAGES/``
(``ablog_ext.po`` and its compiled ``ablog_ext.mo``, both shipped in the wheel;
``ablog_ext/locale/ablog_ext.pot`` is the template), registered at setup as ABlog
registers its own; a site with ``language = "fr"`` gets the French words.  A
message is looked up when a page is written (:func:`text`), so the site's language
of that build is the one used.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.locale import get_translation

#: The catalog's name (``ablog_ext.mo``) and the folder of its translations.
CATALOG = "ablog_ext"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_ = get_translation(CATALOG)


def text(message: str, **values: object) -> str:
    """*message* in the site's language, with ``{name}`` placeholders filled."""
    return str(_(message)).format(**values)


def setup_messages(app: Sphinx) -> None:
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
