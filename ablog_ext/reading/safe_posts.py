"""``ablog_ext_safe_posts``: posts nobody vetted cannot read files or insert raw markup.

With the option on, a post's directives that read files or insert raw markup
(MyST's ``{include}``, ``{literalinclude}``, ``{raw}``, and the same in rST
inside ``{eval-rst}``: ``.. raw::``, ``.. include::``, a ``.. role::`` made from
``raw``) are shown as code, each with a warning, as GitHub Pages' safe Jekyll
leaves plugins out. Images and downloads whose file is outside the source folder
are shown as code too. The default (off) changes nothing.

The directives are renamed in the post's text before MyST reads it
(:func:`shown_as_code`, from ``preprocess.py``): by the time a directive runs, an
include has read its file. One line stays one line, so line numbers hold.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ablog_ext.reading.matched import is_post_docname
from ablog_ext.reading.outside import leaves

logger = logging.getLogger("ablog_ext.safe")

SHOWN = "ablog-ext-shown"
_NAMES = "include|literalinclude|raw"
#: A MyST directive's opening fence (at any depth, in a quote too).
_MYST_OPENER = re.compile(
    rf"^([ \t>]*(?:`{{3,}}|~{{3,}}|:{{3,}})[ \t]*)\{{({_NAMES})\}}(.*)$", re.M
)
#: An rST directive (in ``{eval-rst}``), and a role made from ``raw``.
_RST_DIRECTIVE = re.compile(rf"^([ \t>]*\.\.[ \t]+)({_NAMES})[ \t]*::(.*)$", re.M)
_RST_RAW_ROLE = re.compile(r"^([ \t>]*\.\.[ \t]+)(role)[ \t]*::(.*\(\s*raw\s*\).*)$", re.M)
#: An rST substitution made by one of them: it becomes plain text.
_RST_SUBSTITUTION = re.compile(rf"^([ \t>]*\.\.[ \t]+\|[^|\n]+\|[ \t]+)({_NAMES})[ \t]*::", re.M)
#: The ``<style>`` block kramdown.py writes for ``style`` attributes (its values are
#: cleaned there): left as it is.
_OWN_STYLES = re.compile(
    r"^```\{raw\} html\n<style>\n(?:\.ablog-ext-style-[0-9a-f]{8} \{[^<>{}\n]*\}\n)*</style>\n```$",
    re.M,
)


def shown_as_code(text: str) -> str:
    """*text* with every directive that reads a file or inserts raw markup renamed
    to :class:`ShownDirective`, which shows it as code."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[0])
        return f"\x00{len(kept) - 1}\x00"

    text = _OWN_STYLES.sub(keep, text)
    text = _MYST_OPENER.sub(lambda m: f"{m[1]}{{{SHOWN}}} {m[2]}{m[3]}", text)
    text = _RST_DIRECTIVE.sub(lambda m: f"{m[1]}{SHOWN}:: {m[2]}{m[3]}", text)
    text = _RST_RAW_ROLE.sub(lambda m: f"{m[1]}{SHOWN}:: {m[2]}{m[3]}", text)
    text = _RST_SUBSTITUTION.sub(lambda m: f"{m[1]}replace:: {m[2]}::", text)
    return re.sub("\x00([0-9]+)\x00", lambda m: kept[int(m[1])], text)


class _AnyOption(dict[str, Any]):
    """Every option is accepted, as text: the directive only shows them."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> Any:
        return directives.unchanged

    def get(self, key: str, default: Any = None) -> Any:
        return directives.unchanged


def _warn(message: str, *args: object, location: Any) -> None:
    logger.warning(message, *args, type="ablog_ext", subtype="safe", location=location)


class ShownDirective(SphinxDirective):
    """A directive ``ablog_ext_safe_posts`` does not run, shown as code."""

    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = _AnyOption()

    def run(self) -> list[nodes.Node]:
        name, _, rest = self.arguments[0].partition(" ")
        lines = [f"{{{name}}} {rest}".rstrip()]
        lines += [f":{key}: {value or ''}".rstrip() for key, value in self.options.items()]
        lines += list(self.content)
        code = "\n".join(lines)
        _warn(
            "ablog_ext_safe_posts: the %r directive is shown as code, not run",
            name,
            location=(self.env.docname, self.lineno),
        )
        block = nodes.literal_block(code, code, language="text")
        self.set_source_info(block)
        return [block]


def show_outside_files_as_code(app: Sphinx, doctree: nodes.document) -> None:
    """Images and downloads of a post whose file is outside the source folder are
    shown as code (before Sphinx copies them)."""
    env = app.env
    if not app.config.ablog_ext_safe_posts:
        return
    if not is_post_docname(app.config, env.docname):
        return
    srcdir = Path(env.srcdir)
    for node in list(doctree.findall(nodes.image)):
        _replace_if_outside(env, node, str(node.get("uri", "")), srcdir, "image")
    for node in list(doctree.findall(addnodes.download_reference)):
        _replace_if_outside(env, node, str(node.get("reftarget", "")), srcdir, "download")


def _replace_if_outside(
    env: Any, node: nodes.Element, target: str, srcdir: Path, kind: str
) -> None:
    if not target or "://" in target or target.startswith("data:"):
        return
    try:
        path = Path(env.relfn2path(target, env.docname)[1])
    except Exception:  # a target Sphinx cannot place: its own warning follows
        return
    if not leaves(path, srcdir):
        return
    _warn(
        "ablog_ext_safe_posts: the %s %r is outside the source folder; shown as code",
        kind,
        target,
        location=node,
    )
    literal = nodes.literal(target, target)
    if isinstance(node.parent, nodes.TextElement):
        node.replace_self(literal)
    else:
        node.replace_self(nodes.paragraph("", "", literal))


def setup_safe_posts(app: Sphinx) -> None:
    app.add_directive(SHOWN, ShownDirective)


__all__ = [
    "SHOWN",
    "ShownDirective",
    "setup_safe_posts",
    "show_outside_files_as_code",
    "shown_as_code",
]
