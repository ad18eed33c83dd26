"""Themes: passages of posts marked with a theme, gathered across the blog.

``theme`` marks a passage in place; ``themes`` summarises passages by theme; and a
page per theme (``blog/theme/<slug>.html``) lists its passages, newest first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from collections.abc import Iterator
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ablog_ext.blog.archive_names import archive_slug
from ablog_ext.blog.domain import PassageRecord, blog_domain, detach
from ablog_ext.blog.queries import Passage, Window, theme_passages
from ablog_ext.jekyll.frontmatter import Problem, clean_text, parse_date
from ablog_ext.pages.render import (
    Links,
    container,
    copy_for_page,
    counted_index,
    format_date,
    render_fragment,
    resolved,
    text_paragraph,
    writes_html_pages,
)
from ablog_ext.speed.page_cache import page_cache, page_output

logger = logging.getLogger("ablog_ext.themes")


class theme_passage(nodes.container):
    """A passage marked with a theme; renders as a ``div`` in any builder."""


class theme_label(nodes.inline):
    """The visible theme name of a passage; becomes a link at ``doctree-resolved``."""


class themes_summary(nodes.container):
    """Where a ``themes`` directive's summary goes, filled at ``doctree-resolved``."""


def warn(message: str, location: Any, subtype: str) -> None:
    logger.warning(message, type="ablog_ext", subtype=subtype, location=location)


def theme_slug(name: str) -> str:
    return archive_slug(name) or "theme"


def _report(problems: list[Problem], location: Any) -> None:
    for problem in problems:
        warn(problem.message.replace("'date'", ":date:"), location, "theme")


class ThemeDirective(SphinxDirective):
    """``theme``: mark the content as a passage belonging to a theme."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"date": directives.unchanged}  # noqa: RUF012 (docutils API)

    def run(self) -> list[nodes.Node]:
        name = clean_text(self.arguments[0]) if self.arguments else ""
        body = nodes.container(classes=["theme-passage-body"])
        self.set_source_info(body)
        body.extend(self.parse_content_to_nodes())
        if not name:
            warn(
                "the theme directive needs a theme name, e.g. ```{theme} Leadership",
                self.get_location(),
                "theme",
            )
            return list(body.children)
        problems: list[Problem] = []
        date = parse_date(self.options.get("date"), "date", problems)
        _report(problems, self.get_location())
        slug = theme_slug(name)
        anchor = f"theme-{slug}-{self.env.new_serialno('ablog_ext-theme')}"
        passage = theme_passage(classes=["theme-passage", f"theme-{slug}"], ids=[anchor])
        self.set_source_info(passage)
        label = theme_label(name, name, classes=["theme-label"], theme=name, theme_slug=slug)
        passage += label
        passage += body
        blog_domain(self.env).add_passage(
            self.env.docname,
            PassageRecord(
                theme=name,
                slug=slug,
                anchor=anchor,
                date=date.isoformat() if date else None,
                line=self.lineno,
                content=_stored(body),
            ),
        )
        return [passage]


def _stored(body: nodes.Element) -> nodes.Element:
    copy = body.deepcopy()
    detach(copy)
    return copy


def _window_option(directive: SphinxDirective) -> Window | None:
    """``:year:`` or ``:start:``/``:end:``; ``None`` for all time."""
    options = directive.options
    location = directive.get_location()
    problems: list[Problem] = []
    if "year" in options:
        year = parse_year(options["year"])
        if year is None:
            warn(
                f"':year:' must be a year such as 2019, not {options['year']!r}", location, "themes"
            )
            return None
        window = Window.year(year)
    else:
        window = Window(dt.date(1, 1, 1), dt.date(9999, 12, 31))
    start = parse_date(options.get("start"), "start", problems)
    end = parse_date(options.get("end"), "end", problems)
    _report(problems, location)
    if start:
        window = Window(start.date(), window.end)
    if end:
        window = Window(window.start, end.date())
    return window


def parse_year(value: str | None) -> int | None:
    text = (value or "").strip()
    if len(text) == 4 and text.isdigit() and 1 <= int(text) <= 9998:
        return int(text)
    return None


def parse_name_list(value: str | None) -> list[str]:
    return [clean_text(part) for part in (value or "").split(",") if clean_text(part)]


class ThemesDirective(SphinxDirective):
    """``themes``: every theme with its passages."""

    has_content = False
    option_spec = {  # noqa: RUF012 (docutils API)
        "year": directives.unchanged,
        "start": directives.unchanged,
        "end": directives.unchanged,
        "themes": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        window = _window_option(self)
        node = themes_summary(classes=["themes"])
        self.set_source_info(node)
        if window is not None:
            node["start"], node["end"] = window.start.isoformat(), window.end.isoformat()
        node["themes"] = parse_name_list(self.options.get("themes"))
        blog_domain(self.env).add_dependent(self.env.docname)
        return [node]


def group_by_theme(
    passages: list[Passage], names: list[str] | None = None
) -> list[tuple[str, str, list[Passage]]]:
    """``(theme, slug, passages newest first)``, themes by number of passages, then name."""
    wanted = {theme_slug(name) for name in names or []}
    groups: dict[str, list[Passage]] = {}
    for passage in passages:
        if wanted and passage.slug not in wanted:
            continue
        groups.setdefault(passage.slug, []).append(passage)
    result = []
    for slug, group in groups.items():
        group.sort(key=lambda p: (p.date or dt.datetime.min, p.docname, p.anchor), reverse=True)
        # The most frequent spelling names the theme ("Leadership" over "leadership").
        spellings = [p.theme for p in group]
        name = max(sorted(set(spellings)), key=spellings.count)
        result.append((name, slug, group))
    result.sort(key=lambda item: (-len(item[2]), item[0].casefold(), item[1]))
    return result


def passage_entry(app: Sphinx, links: Links, passage: Passage) -> nodes.Element:
    """One passage in a summary: its text, its date, and where it is."""
    entry = container(["theme-passage-summary"])
    entry.extend(copy_for_page(passage.content, links.fromdocname))
    meta = nodes.paragraph(classes=["theme-passage-source"])
    if passage.date is not None:
        date_text = format_date(app, passage.date)
        meta += nodes.inline(date_text, date_text, classes=["theme-passage-date"])
        meta += nodes.Text(" · ")
    meta += nodes.Text("from ")
    meta += links.link(passage.page_title, passage.docname, passage.anchor)
    entry += meta
    return entry


def render_themes(
    app: Sphinx,
    links: Links,
    passages: list[Passage],
    names: list[str] | None = None,
    heading_level: str = "rubric",
) -> list[nodes.Node]:
    groups = group_by_theme(passages, names)
    if not groups:
        return [text_paragraph("No theme passages in this period.", ["themes-empty"])]
    result: list[nodes.Node] = []
    for name, slug, group in groups:
        block = container(["themes-theme", f"theme-{slug}"])
        heading = nodes.paragraph(classes=["themes-theme-name"])
        heading += links.link(name, links.theme_page(slug))
        count = f" ({len(group)})"
        heading += nodes.inline(count, count, classes=["themes-theme-count"])
        block += heading
        for passage in group:
            block += passage_entry(app, links, passage)
        result.append(block)
    return result


def resolve_theme_nodes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    links = Links(app, docname)
    for label in list(doctree.findall(theme_label)):
        name = label["theme"]
        text = nodes.inline("", classes=["theme-label"])
        text += nodes.Text("Theme: ")
        text += links.link(name, links.theme_page(label["theme_slug"]))
        label.replace_self(text)
    summaries = list(doctree.findall(themes_summary))
    if not summaries:
        return
    passages = theme_passages(app.env)
    for summary in summaries:
        chosen = passages
        if summary.get("start"):
            window = Window(
                dt.date.fromisoformat(summary["start"]), dt.date.fromisoformat(summary["end"])
            )
            chosen = [p for p in passages if p.date in window]
        replacement = nodes.container(classes=["themes"])
        replacement.extend(render_themes(app, links, chosen, summary.get("themes")))
        summary.replace_self(resolved(app, docname, replacement))


def theme_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``blog/theme/<slug>.html`` per theme, and ``blog/theme.html`` listing them."""
    if not writes_html_pages(app):
        return
    passages = theme_passages(app.env)
    groups = group_by_theme(passages)
    if not groups:
        return
    blog_path = str(app.config.blog_path).strip("/")
    cache = page_cache(app)
    for name, slug, group in groups:
        pagename = f"{blog_path}/theme/{slug}"
        if not cache.wanted(
            page_output(app, pagename), "theme", name, [passage_key(app, p) for p in group]
        ):
            continue
        links = Links(app, pagename)
        body = container(["themes", "theme-page"])
        title = f"Theme: {name}"
        for passage in group:
            body += passage_entry(app, links, passage)
        page_body = f"<h1>{html.escape(title)}</h1>" + render_fragment(app, pagename, [body])
        yield pagename, {"title": html.escape(title), "body": page_body, "parents": []}, "page.html"
    index = f"{blog_path}/theme"
    if not cache.wanted(page_output(app, index), "themes", [(n, s, len(g)) for n, s, g in groups]):
        return
    links = Links(app, index)
    entries = [(name, links.theme_page(slug), len(group)) for name, slug, group in groups]
    listing = counted_index(links, entries, ["themes-index"])
    yield (
        index,
        {
            "title": "Themes",
            "body": "<h1>Themes</h1>" + render_fragment(app, index, [listing]),
            "parents": [],
        },
        "page.html",
    )


def passage_key(app: Sphinx, passage: Passage) -> tuple[object, ...]:
    """What a page shows of *passage*, for :mod:`.incremental`: its content itself
    (an edit elsewhere in its post leaves the theme and review pages alone)."""
    content = passage.content.pformat()
    return (
        passage.docname,
        passage.anchor,
        passage.theme,
        passage.date,
        passage.page_title,
        hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest(),
    )


def setup_themes(app: Sphinx) -> None:
    app.add_node(theme_passage)
    app.add_node(theme_label)
    app.add_node(themes_summary)
    app.add_directive("theme", ThemeDirective)
    app.add_directive("themes", ThemesDirective)
