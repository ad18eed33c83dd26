"""Read-only views of the blog for reviews, themes and feeds.

Everything derived from :class:`~.domain.BlogDomain` goes through here, so that
"which posts count" (published, not a draft, not in the future) is decided once.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from docutils import nodes
from sphinx.environment import BuildEnvironment

from .domain import blog_domain


def build_time() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, so builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return dt.datetime.now()


def cutoff() -> dt.datetime:
    """Posts dated from this point on are future posts: ABlog's own rule (tomorrow)."""
    return (build_time() + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def parse_iso(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def wall_clock(value: dt.datetime) -> dt.datetime:
    """The date as the author wrote it, without offset: what archives group by."""
    return value.replace(tzinfo=None)


@dataclass(frozen=True)
class Post:
    docname: str
    title: str
    #: Naive wall-clock date, for grouping and windows.
    date: dt.datetime
    #: The date as written (aware when the author gave an offset), for feeds.
    written_date: dt.datetime
    updated: dt.datetime | None
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    words: int
    #: Anchor of a post that is one section of its document (ABlog's section posts).
    section: str = ""

    @property
    def key(self) -> str:
        """Unique among posts, as ABlog names them: ``docname`` or ``docname#section``."""
        return f"{self.docname}#{self.section}" if self.section else self.docname


@dataclass(frozen=True)
class Passage:
    theme: str
    slug: str
    docname: str
    anchor: str
    #: The passage's date, or its post's; ``None`` on an undated page.
    date: dt.datetime | None
    #: Title of the page the passage is on.
    page_title: str
    content: nodes.Element


def listed_posts(env: BuildEnvironment) -> list[Post]:
    """Published posts, oldest first: no drafts, no future posts; each post of a
    document that holds several.  Computed once per build (until a document
    changes), however many pages ask."""
    return list(blog_domain(env).memo("listed-posts", lambda: tuple(_listed_posts(env))))


def theme_passages(env: BuildEnvironment) -> list[Passage]:
    """Every theme passage that may be shown: none from drafts or future posts."""
    return list(blog_domain(env).memo("theme-passages", lambda: tuple(_theme_passages(env))))


def _listed_posts(env: BuildEnvironment) -> list[Post]:
    limit = cutoff()
    posts = []
    for docname, record in blog_domain(env).every_post():
        written = parse_iso(record["date"])
        if written is None or wall_clock(written) >= limit:
            continue
        posts.append(
            Post(
                docname=docname,
                title=record["title"],
                date=wall_clock(written),
                written_date=written,
                updated=parse_iso(record["updated"]),
                categories=tuple(record["categories"]),
                tags=tuple(record["tags"]),
                authors=tuple(record["authors"]),
                words=record["words"],
                section=record.get("section", ""),
            )
        )
    posts.sort(key=lambda post: (post.date, post.key))
    return posts


def _theme_passages(env: BuildEnvironment) -> list[Passage]:
    domain = blog_domain(env)
    listed: dict[str, Post] = {}
    for post in listed_posts(env):
        # A document with several posts: its passages date from its first.
        listed.setdefault(post.docname, post)
    passages = []
    for docname in sorted(domain.passages):
        record = domain.posts.get(docname)
        if record is not None and docname not in listed:
            continue  # a draft or a future post
        for passage in domain.passages[docname]:
            own = parse_iso(passage["date"])
            date = wall_clock(own) if own else (listed[docname].date if docname in listed else None)
            title = record["title"] if record else _page_title(env, docname)
            passages.append(
                Passage(
                    theme=passage["theme"],
                    slug=passage["slug"],
                    docname=docname,
                    anchor=passage["anchor"],
                    date=date,
                    page_title=title,
                    content=passage["content"],
                )
            )
    return passages


def _page_title(env: BuildEnvironment, docname: str) -> str:
    title = env.titles.get(docname)
    return title.astext() if title is not None else docname


@dataclass(frozen=True)
class Window:
    """An inclusive range of days."""

    start: dt.date
    end: dt.date

    def __contains__(self, value: dt.datetime | None) -> bool:
        return value is not None and self.start <= value.date() <= self.end

    @classmethod
    def year(cls, year: int) -> Window:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def months(self) -> list[tuple[dt.date, dt.date]]:
        """Month-long buckets from the start day: calendar months for a calendar
        year, anniversary months (7 Jan - 6 Feb, ...) for a window that starts mid-month."""
        buckets: list[tuple[dt.date, dt.date]] = []
        index = 0
        while True:
            first = _add_months(self.start, index)
            if first > self.end:
                return buckets
            last = min(_add_months(self.start, index + 1) - dt.timedelta(days=1), self.end)
            buckets.append((first, last))
            index += 1


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in range(day.day, 0, -1):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover
