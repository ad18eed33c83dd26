"""Building blocks shared by reviews, themes and generated pages.

Content is built as docutils nodes, so every builder can write it; links are
real only for HTML builders and become plain text elsewhere.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import new_document
from sphinx.util.osutil import relative_uri

from ablog_ext.blog.archive_names import archive_slug
from ablog_ext.reaches.sphinx import SPHINX_FRAGMENT_STATE
from ablog_ext.speed.post_html import know_images


def is_html(app: Sphinx) -> bool:
    return app.builder.format == "html"


def writes_html_pages(app: Sphinx) -> bool:
    """Whether the builder writes the generated HTML pages and feeds (ABlog's rule:
    HTML builders, not the pickle and JSON ones)."""
    return is_html(app) and app.builder.name not in {"json", "pickle"}


@dataclass(frozen=True)
class Links:
    """Makes links from the page *fromdocname* (a document or a generated page)."""

    app: Sphinx
    fromdocname: str

    @property
    def html(self) -> bool:
        return is_html(self.app)

    @property
    def blog_path(self) -> str:
        return str(self.app.config.blog_path).strip("/")

    def uri(self, target: str, anchor: str = "") -> str:
        builder = self.app.builder
        if target == self.fromdocname:
            uri = ""
        else:
            uri = relative_uri(
                builder.get_target_uri(self.fromdocname), builder.get_target_uri(target)
            )
        return uri + (f"#{anchor}" if anchor else "")

    def link(
        self, text: str, target: str, anchor: str = "", classes: list[str] | None = None
    ) -> nodes.Node:
        """A link in HTML; the plain text elsewhere."""
        if not self.html:
            return nodes.inline(text, text, classes=classes or [])
        return nodes.reference(
            text, text, refuri=self.uri(target, anchor) or "#", internal=True, classes=classes or []
        )

    def archive(self, kind: str, name: str) -> nodes.Node:
        """A link to ABlog's archive page of a category (``kind="category"``) or tag."""
        return self.link(
            name, f"{self.blog_path}/{kind}/{archive_slug(name)}", classes=[f"ablog-ext-{kind}"]
        )

    def theme_page(self, slug: str) -> str:
        return f"{self.blog_path}/theme/{slug}"

    def review_page(self, year: int) -> str:
        return f"{self.blog_path}/review/{year}"


def format_date(app: Sphinx, value: dt.datetime | dt.date) -> str:
    """A date in ABlog's ``post_date_format``."""
    try:
        return value.strftime(app.config.post_date_format)
    except ValueError:
        return value.isoformat()


def month_label(day: dt.date) -> str:
    return day.strftime("%B %Y")


#: Sphinx's class for what its search index leaves out: a post's boxes (reading
#: time, series, related posts), so a post is no result for the titles they list.
NO_SEARCH = "no-search"


def text_paragraph(text: str, classes: list[str] | None = None) -> nodes.paragraph:
    return nodes.paragraph(text, text, classes=classes or [])


def container(classes: list[str], *children: nodes.Node) -> nodes.container:
    node = nodes.container(classes=classes)
    node.extend(children)
    return node


def copy_for_page(content: nodes.Element, fromdocname: str) -> list[nodes.Node]:
    """A copy of *content* from another document, to be shown on *fromdocname*: its
    cross-references will be resolved for that page (as ``sphinx.ext.todo`` does),
    and its ids dropped so they do not clash with the page's own."""
    copy = content.deepcopy()
    for xref in copy.findall(addnodes.pending_xref):
        xref["refdoc"] = fromdocname
    for node in copy.findall(nodes.Element):
        node["ids"] = []
    return list(copy.children)


def resolved(app: Sphinx, docname: str, node: nodes.Element) -> nodes.Element:
    """*node*, built at ``doctree-resolved`` for *docname*, with the cross-references
    of the content it copied resolved: one pass for the whole node."""
    if next(iter(node.findall(addnodes.pending_xref)), None) is None:
        return node
    document = new_document("")
    document += node
    # Copied content: the page it comes from gives its warnings, once.
    with logging.suppress_logging():
        app.env.resolve_references(document, docname, app.builder)
    result = document.children[0]
    document.remove(result)
    assert isinstance(result, nodes.Element)
    return result


def render_fragment(
    app: Sphinx, pagename: str, content: list[nodes.Node], permalinks: bool = True
) -> str:
    """HTML of *content* as it would appear in the body of *pagename*: the HTML
    builder's per-page state set by hand, as ``write_doc`` sets it
    (:data:`~ablog_ext.reaches.sphinx.SPHINX_FRAGMENT_STATE`), or else Sphinx's
    ``render_partial``."""
    builder: Any = app.builder
    document = new_document("")
    document.extend(content)
    # Images of posts this build does not write again (a feed's full text).
    know_images(app, content)
    # Copied content: the page it comes from gives its warnings, once.
    with logging.suppress_logging():
        app.env.resolve_references(document, pagename, builder)
    if not SPHINX_FRAGMENT_STATE.on(app):
        return "".join(
            builder.render_partial(child)["fragment"] for child in list(document.children)
        )
    document.settings = builder.docsettings
    builder.secnumbers = {}
    builder.fignumbers = {}
    builder.imgpath = relative_uri(builder.get_target_uri(pagename), "_images")
    builder.dlpath = relative_uri(builder.get_target_uri(pagename), "_downloads")
    builder.current_docname = pagename
    translator = builder.create_translator(document, builder)
    saved, builder.add_permalinks = builder.add_permalinks, permalinks
    try:
        document.walkabout(translator)
    finally:
        builder.add_permalinks = saved
    return "".join(translator.fragment)


def bar_chart_svg(bars: list[tuple[str, str, int]], description: str) -> str:
    """An inline SVG bar chart: one ``(short label, long label, count)`` a bar.

    Colours are ``currentColor`` and the theme's CSS variables (see
    ``ablog_ext.css``), so it reads in light and dark mode; no JavaScript.
    """
    bar_width, gap, chart_height, label_height = 28, 8, 120, 22
    peak = max((count for _, _, count in bars), default=0) or 1
    width = len(bars) * (bar_width + gap) + gap
    height = chart_height + label_height
    parts = [
        f'<svg class="year-in-review-chart" role="img" aria-label="{html.escape(description)}" '
        f'viewBox="0 0 {width} {height}" width="100%" height="{height}" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{html.escape(description)}</title>",
    ]
    for index, (short, long, count) in enumerate(bars):
        x = gap + index * (bar_width + gap)
        bar_height = round(count / peak * (chart_height - 16))
        y = chart_height - bar_height
        noun = "post" if count == 1 else "posts"
        tooltip = html.escape(f"{long}: {count} {noun}")
        parts.append(
            f'<g class="year-in-review-bar" aria-label="{tooltip}">'
            f"<title>{tooltip}</title>"
            f'<rect x="{x}" y="{y}" width="{bar_width}" height="{bar_height}" rx="2" '
            f'fill="currentColor" data-count="{count}"></rect>'
            + (
                f'<text x="{x + bar_width / 2}" y="{y - 4}" text-anchor="middle" '
                f'font-size="11" fill="currentColor">{count}</text>'
                if count
                else ""
            )
            + f'<text x="{x + bar_width / 2}" y="{chart_height + 15}" text-anchor="middle" '
            f'font-size="11" fill="currentColor">{html.escape(short)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def dated_link_item(app: Sphinx, links: Links, post: Any, date_class: str) -> nodes.list_item:
    """A list item: a link to *post* (a :class:`~ablog_ext.blog.queries.Post`), then
    its date."""
    item = nodes.list_item()
    paragraph = nodes.paragraph()
    paragraph += links.link(post.title, post.docname, post.section)
    date = format_date(app, post.date)
    paragraph += nodes.inline(date, f" · {date}", classes=[date_class])
    item += paragraph
    return item


def counted_index(
    links: Links, entries: list[tuple[str, str, int]], classes: list[str]
) -> nodes.bullet_list:
    """A list of ``(name, target page, count)``: each name linked, its count after it."""
    listing = nodes.bullet_list(classes=classes)
    for name, target, count in entries:
        item = nodes.list_item()
        paragraph = nodes.paragraph()
        paragraph += links.link(name, target)
        paragraph += nodes.Text(f" ({count})")
        item += paragraph
        listing += item
    return listing
