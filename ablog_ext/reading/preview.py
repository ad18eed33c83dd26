"""Drafts in a preview (``ablog-ext serve --drafts``, which sets
``ablog_ext_show_drafts``): posts with ``published: false`` and posts dated after
the build are read too, as ABlog drafts (no date given to ABlog: listed under
drafts only, in no archive or feed), and every draft says so at the top of its
page.  A build without the option leaves the first two out
(:mod:`ablog_ext.reading.discovery`) and marks nothing."""

from __future__ import annotations

from docutils import nodes
from sphinx.config import Config

from ablog_ext.blog.queries import is_future
from ablog_ext.jekyll.frontmatter import PostMeta
from ablog_ext.pages.messages import text

#: The class of the mark (and of its admonition), for a stylesheet and the tests.
DRAFT_CLASS = "ablog-ext-draft"


def showing_drafts(config: Config) -> bool:
    return bool(config.ablog_ext_show_drafts)


def hidden_reason(config: Config, meta: PostMeta) -> str | None:
    """Why a normal build would not publish the post, in a preview (in the site's
    language); else ``None``."""
    if not showing_drafts(config):
        return None
    if not meta.published:
        return text("it says `published: false`")
    if is_future(meta.date, config):
        return text("it is dated after today")
    return None


def draft_reason(config: Config, meta: PostMeta, draft: bool) -> str | None:
    """What the mark of a draft says, in a preview (in the site's language; parts
    between backquotes are code); ``None`` for a published post."""
    hidden = hidden_reason(config, meta)
    if hidden is not None:
        return text(
            "Not published: {reason}. Only `ablog-ext serve --drafts` shows it.", reason=hidden
        )
    if showing_drafts(config) and (draft or meta.date is None):
        return text("A draft: the site lists it under drafts, in no archive or feed.")
    return None


def mark_draft(section: nodes.Element, reason: str) -> None:
    """An admonition titled "Draft" under the section's title; *reason*'s parts
    between backquotes are code."""
    note = nodes.admonition("", classes=["attention", DRAFT_CLASS])
    note += nodes.title("", text("Draft"))
    paragraph = nodes.paragraph()
    # `quoted` parts as code: smart quotes and dashes leave them as typed.
    for index, part in enumerate(reason.split("`")):
        paragraph += nodes.literal(part, part) if index % 2 else nodes.Text(part)
    note += paragraph
    where = 1 if section.children and isinstance(section[0], nodes.title) else 0
    section.insert(where, note)
