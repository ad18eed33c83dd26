"""Year in review: figures, a month-by-month chart and the year's posts.

The ``year-in-review`` directive leaves a placeholder that is filled at
``doctree-resolved`` from every post's data; ``ablog_ext_review_pages`` generates
the same review for each year at ``blog/review/<year>.html``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import posixpath
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ablog_ext.blog.domain import blog_domain
from ablog_ext.blog.queries import Passage, Post, Window, listed_posts, theme_passages
from ablog_ext.jekyll.frontmatter import Problem, parse_date
from ablog_ext.pages.passages import (
    group_by_theme,
    parse_name_list,
    parse_year,
    passage_key,
    render_themes,
)
from ablog_ext.pages.render import (
    Links,
    bar_chart_svg,
    container,
    format_date,
    month_label,
    render_fragment,
    resolved,
    text_paragraph,
    writes_html_pages,
)
from ablog_ext.speed.page_cache import page_cache, page_output, revision
from ablog_ext.speed.page_reads import watch_context, watched

logger = logging.getLogger("ablog_ext.review")

GROUPINGS = ("month", "category", "tag", "theme")


class year_review(nodes.container):
    """Where a review goes; its children are the directive's intro text."""


def warn(message: str, location: Any) -> None:
    logger.warning(message, type="ablog_ext", subtype="review", location=location)


class YearInReviewDirective(SphinxDirective):
    """``year-in-review``: a summary of the posts of a year (or any window)."""

    has_content = True
    optional_arguments = 1
    option_spec = {  # noqa: RUF012 (docutils API)
        "start": directives.unchanged,
        "end": directives.unchanged,
        "categories": directives.unchanged,
        "tags": directives.unchanged,
        "group-by": directives.unchanged,
        "chart": directives.flag,
        "no-chart": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        location = self.get_location()
        window = self._window(location)
        if window is None:
            return []
        group_by = self.options.get("group-by", "month").strip().lower()
        if group_by not in GROUPINGS:
            warn(
                f":group-by: must be one of {', '.join(GROUPINGS)}, not {group_by!r}; using month",
                location,
            )
            group_by = "month"
        node = year_review(classes=["year-in-review"])
        self.set_source_info(node)
        node["start"], node["end"] = window.start.isoformat(), window.end.isoformat()
        node["categories"] = parse_name_list(self.options.get("categories"))
        node["tags"] = parse_name_list(self.options.get("tags"))
        node["group_by"] = group_by
        node["chart"] = "no-chart" not in self.options
        node.extend(self.parse_content_to_nodes())
        blog_domain(self.env).add_dependent(self.env.docname)
        return [node]

    def _window(self, location: Any) -> Window | None:
        year = None
        if self.arguments:
            year = parse_year(self.arguments[0])
            if year is None:
                warn(
                    f"year-in-review needs a year such as 2019, not {self.arguments[0]!r}", location
                )
                return None
        problems: list[Problem] = []
        start = parse_date(self.options.get("start"), ":start:", problems)
        end = parse_date(self.options.get("end"), ":end:", problems)
        for problem in problems:
            warn(problem.message, location)
        if problems:
            return None
        if year is None and start is None:
            warn("year-in-review needs a year, or a :start: date", location)
            return None
        first = start.date() if start else dt.date(year or 1, 1, 1)
        if end is not None:
            last = end.date()
        elif year is not None and start is None:
            last = dt.date(year, 12, 31)
        else:
            last = _one_year_after(first)
        if last < first:
            warn(f":end: ({last}) is before the start ({first})", location)
            return None
        return Window(first, last)


def _one_year_after(first: dt.date) -> dt.date:
    if first.year >= dt.MAXYEAR:
        return dt.date.max
    try:
        return first.replace(year=first.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return first.replace(year=first.year + 1, day=28)


@dataclass(frozen=True)
class Review:
    window: Window
    posts: list[Post]
    #: ``(first day, last day, posts)`` per month-long bucket of the window.
    months: list[tuple[dt.date, dt.date, list[Post]]]

    @property
    def words(self) -> int:
        return sum(post.words for post in self.posts)

    def minutes(self, words_per_minute: int) -> int:
        """Minutes of reading of all its posts at *words_per_minute*
        (``ablog_ext_words_per_minute``, as each post's reading time), rounded: a
        year's total, as MyST counts a page's."""
        return round(self.words / max(1, words_per_minute))

    @property
    def categories(self) -> Counter[str]:
        return Counter(name for post in self.posts for name in post.categories)

    @property
    def tags(self) -> Counter[str]:
        return Counter(name for post in self.posts for name in post.tags)


def compute_review(
    posts: list[Post],
    window: Window,
    categories: list[str] | None = None,
    tags: list[str] | None = None,
) -> Review:
    wanted_categories = {name.casefold() for name in categories or []}
    wanted_tags = {name.casefold() for name in tags or []}
    chosen = [
        post
        for post in posts
        if post.date in window
        and (
            not wanted_categories
            or wanted_categories & {name.casefold() for name in post.categories}
        )
        and (not wanted_tags or wanted_tags & {name.casefold() for name in post.tags})
    ]
    months = [
        (first, last, [post for post in chosen if first <= post.date.date() <= last])
        for first, last in window.months()
    ]
    return Review(window, chosen, months)


def _stat(number: nodes.Node | str, label: str) -> nodes.container:
    number_node = nodes.inline("", classes=["year-in-review-number"])
    number_node += nodes.Text(number) if isinstance(number, str) else number
    return container(
        ["year-in-review-stat"],
        number_node,
        nodes.Text(" "),
        nodes.inline(label, label, classes=["year-in-review-label"]),
    )


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def render_stats(app: Sphinx, links: Links, review: Review) -> nodes.container:
    posts = review.posts
    stats = container(["year-in-review-stats"])
    stats += _stat(f"{len(posts):,}", "posts" if len(posts) != 1 else "post")
    stats += _stat(f"{review.words:,}", "words")
    minutes = review.minutes(int(app.config.ablog_ext_words_per_minute))
    stats += _stat(f"{minutes:,}", "minutes of reading")
    stats += _stat(
        f"{len(review.categories):,}", "categories" if len(review.categories) != 1 else "category"
    )
    stats += _stat(f"{len(review.tags):,}", "tags" if len(review.tags) != 1 else "tag")
    first_day, _, busiest = max(
        review.months, key=lambda month: (len(month[2]), -month[0].toordinal())
    )
    stats += _stat(month_label(first_day), f"busiest month ({_plural(len(busiest), 'post')})")
    longest = max(posts, key=lambda post: (post.words, post.date))
    stats += _stat(
        links.link(longest.title, longest.docname, longest.section),
        f"longest post ({_plural(longest.words, 'word')})",
    )
    stats += _stat(
        links.link(posts[0].title, posts[0].docname, posts[0].section),
        f"first post, {format_date(app, posts[0].date)}",
    )
    stats += _stat(
        links.link(posts[-1].title, posts[-1].docname, posts[-1].section),
        f"last post, {format_date(app, posts[-1].date)}",
    )
    return stats


def render_chart(links: Links, review: Review) -> nodes.Node:
    bars = [
        (first.strftime("%b"), bucket_label(first, last), len(posts))
        for first, last, posts in review.months
    ]
    last_month = review.months[-1][0]
    description = (
        f"Posts per month, {month_label(review.window.start)} to {month_label(last_month)}"
    )
    if links.html:
        return container(
            ["year-in-review-chart-box"],
            nodes.raw("", bar_chart_svg(bars, description), format="html"),
        )
    listing = nodes.bullet_list(classes=["year-in-review-chart"])
    for _, long, count in bars:
        text = f"{long}: {_plural(count, 'post')}"
        listing += nodes.list_item("", text_paragraph(text))
    return listing


def bucket_label(first: dt.date, last: dt.date) -> str:
    """ "March 2019" for a calendar month, "15 Mar 2019 – 14 Apr 2019" otherwise."""
    if first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]:
        return month_label(first)
    return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


def post_entry(app: Sphinx, links: Links, post: Post) -> nodes.list_item:
    paragraph = nodes.paragraph(classes=["year-in-review-post"])
    paragraph += links.link(post.title, post.docname, post.section)
    date_text = format_date(app, post.date)
    paragraph += nodes.Text(" — ")
    paragraph += nodes.inline(date_text, date_text, classes=["year-in-review-date"])
    archive_links = [links.archive("category", name) for name in post.categories]
    archive_links += [links.archive("tag", name) for name in post.tags]
    for index, link in enumerate(archive_links):
        paragraph += nodes.Text(" · " if index == 0 else ", ")
        paragraph += link
    return nodes.list_item("", paragraph)


def group_posts(
    review: Review, group_by: str, passages: list[Passage]
) -> list[tuple[str, list[Post]]]:
    posts = review.posts
    if group_by == "month":
        return [
            (month_label(first), month_posts)
            for first, _, month_posts in review.months
            if month_posts
        ]
    if group_by in {"category", "tag"}:
        groups: dict[str, list[Post]] = {}
        for post in posts:
            names = post.categories if group_by == "category" else post.tags
            for name in names or ("Uncategorised" if group_by == "category" else "Untagged",):
                groups.setdefault(name, []).append(post)
        return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0].casefold()))
    # By theme: posts that have a passage of each theme, in the themes' order.
    # A document with several posts (section posts) has them all in its themes.
    by_docname: dict[str, list[Post]] = {}
    for post in posts:
        by_docname.setdefault(post.docname, []).append(post)
    result = []
    themed: set[str] = set()
    for name, _slug, group in group_by_theme(passages):
        docnames = sorted(
            {p.docname for p in group if p.docname in by_docname},
            key=lambda d: by_docname[d][0].date,
        )
        themed.update(docnames)
        result.append((name, [post for d in docnames for post in by_docname[d]]))
    others = [post for post in posts if post.docname not in themed]
    if others:
        result.append(("Other posts", others))
    return [(name, group) for name, group in result if group]


def render_review(
    app: Sphinx,
    links: Links,
    review: Review,
    group_by: str = "month",
    chart: bool = True,
    intro: list[nodes.Node] | None = None,
) -> nodes.container:
    result = container(["year-in-review"])
    result.extend(intro or [])
    if not review.posts:
        window = review.window
        message = (
            f"No posts between {format_date(app, window.start)} and {format_date(app, window.end)}."
        )
        result += text_paragraph(message, ["year-in-review-empty"])
        return result
    docnames = {post.docname for post in review.posts}
    passages = [
        p for p in theme_passages(app.env) if p.docname in docnames and p.date in review.window
    ]
    result += render_stats(app, links, review)
    if chart:
        result += render_chart(links, review)
    result += nodes.rubric(
        f"Posts by {group_by}", f"Posts by {group_by}", classes=["year-in-review-heading"]
    )
    for name, group in group_posts(review, group_by, passages):
        section = container(["year-in-review-group"])
        section += nodes.rubric(name, name, classes=["year-in-review-group-name"])
        listing = nodes.bullet_list()
        listing.extend(post_entry(app, links, post) for post in group)
        section += listing
        result += section
    if passages:
        themes = container(["themes", "year-in-review-themes"])
        themes += nodes.rubric("Themes", "Themes", classes=["year-in-review-heading"])
        themes.extend(render_themes(app, links, passages))
        result += themes
    return result


def resolve_reviews(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = list(doctree.findall(year_review))
    if not placeholders:
        return
    posts = listed_posts(app.env)
    links = Links(app, docname)
    for node in placeholders:
        window = Window(dt.date.fromisoformat(node["start"]), dt.date.fromisoformat(node["end"]))
        review = compute_review(posts, window, node["categories"], node["tags"])
        rendered = render_review(
            app, links, review, node["group_by"], node["chart"], list(node.children)
        )
        node.replace_self(resolved(app, docname, rendered))


def review_years(app: Sphinx) -> list[int]:
    return sorted({post.date.year for post in listed_posts(app.env)})


def review_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``blog/review/<year>.html`` for every year with posts."""
    if not app.config.ablog_ext_review_pages:
        return
    if not writes_html_pages(app):
        return
    posts = listed_posts(app.env)
    years = review_years(app)
    passages = theme_passages(app.env)
    cache = page_cache(app)
    for index, year in enumerate(years):
        links = Links(app, links_page := f"{str(app.config.blog_path).strip('/')}/review/{year}")
        review = compute_review(posts, Window.year(year))
        inputs = (
            years[max(index - 1, 0) : index + 2],
            [(post, revision(app, post.docname)) for post in review.posts],
            [passage_key(app, p) for p in passages if p.date in review.window],
        )
        if not cache.wanted(page_output(app, links_page), "review", inputs):
            continue
        nav = nodes.paragraph(classes=["year-in-review-nav"])
        if index > 0:
            nav += links.link(
                f"← {years[index - 1]} in review", links.review_page(years[index - 1])
            )
        if index + 1 < len(years):
            if index > 0:
                nav += nodes.Text(" · ")
            nav += links.link(
                f"{years[index + 1]} in review →", links.review_page(years[index + 1])
            )
        title = f"{year} in review"
        body = f"<h1>{html.escape(title)}</h1>" + render_fragment(
            app, links_page, [render_review(app, links, review), nav]
        )
        yield links_page, {"title": html.escape(title), "body": body, "parents": []}, "page.html"


def reviews_for_page(app: Sphinx, pagename: str) -> list[tuple[int, str]]:
    """``(year, uri)`` of each review page, newest first, as *pagename* links to them:
    the same for every page of a folder but the review pages themselves (a link to
    the page it is on is empty), so made once a folder."""
    domain = blog_domain(app.env)
    years = domain.memo("review-years", lambda: review_years(app))
    links = Links(app, pagename)
    targets = [(year, links.review_page(year)) for year in reversed(years)]

    def compute() -> tuple[tuple[int, str], ...]:
        return tuple((year, links.uri(target)) for year, target in targets)

    if any(target == pagename for _year, target in targets):
        return list(compute())
    folder = posixpath.dirname(app.builder.get_target_uri(pagename))
    return list(domain.memo(f"review-links:{folder}", compute))


def add_reviews_to_context(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.Node | None,
) -> None:
    """``ablog_ext_reviews``: ``(year, uri)`` of each review page, for the sidebar."""
    if not app.config.ablog_ext_review_pages:
        return
    context["ablog_ext_reviews"] = watched(
        app, pagename, "ablog_ext_reviews", reviews_for_page(app, pagename)
    )


def setup_review(app: Sphinx) -> None:
    app.add_node(year_review)
    app.add_directive("year-in-review", YearInReviewDirective)
    watch_context(app, "ablog_ext_reviews", reviews_for_page)
