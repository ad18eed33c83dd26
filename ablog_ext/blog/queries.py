"""Read-only views of the blog for reviews, themes and feeds.

Everything derived from :class:`~.domain.BlogDomain` goes through here, so that
"which posts count" (published, not a draft, not in the future) is decided once.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from docutils import nodes
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from ablog_ext.blog.domain import blog_domain
from ablog_ext.blog.names import canonical_names
from ablog_ext.config import provided_by_user


def build_time() -> dt.datetime:
    """Now (aware), or ``SOURCE_DATE_EPOCH`` when set, so builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


def site_zone(config: Config) -> ZoneInfo:
    """``ablog_ext_timezone`` (validated at ``config-inited``), where dates written
    without an offset are."""
    try:
        return ZoneInfo(str(config.ablog_ext_timezone))
    except (ValueError, KeyError, OSError):
        return ZoneInfo("UTC")


def post_zone(config: Config) -> ZoneInfo | None:
    """The zone posts' dates are given in: the site's when conf.py sets it (Jekyll's
    ``timezone``), otherwise none, and dates stay as written."""
    return site_zone(config) if provided_by_user(config, "ablog_ext_timezone") else None


def future_cutoff(config: Config) -> dt.datetime | None:
    """The build time on the site's wall clock: a post dated after it is a future
    post (Jekyll's ``future: false``); ``None`` with ``ablog_ext_future``."""
    if config.ablog_ext_future:
        return None
    return build_time().astimezone(site_zone(config)).replace(tzinfo=None)


def is_future(date: dt.datetime | None, config: Config) -> bool:
    """Whether a post dated *date* waits (compared on the wall clock, as ABlog does)."""
    limit = future_cutoff(config)
    return date is not None and limit is not None and wall_clock(date) > limit


def parse_iso(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def wall_clock(value: dt.datetime) -> dt.datetime:
    """The post's date without offset, what archives group by: in the site's zone
    when ``ablog_ext_timezone`` is set (records are stored in it), else as written."""
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
    #: The post's series (front matter ``series``), empty for none; its ``series_order``.
    series: str = ""
    series_order: int | None = None

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
    names = canonical_names(env)
    posts = []
    for docname, record in blog_domain(env).every_post():
        written = parse_iso(record["date"])
        if written is None or is_future(written, env.config):
            continue
        posts.append(
            Post(
                docname=docname,
                title=record["title"],
                date=wall_clock(written),
                written_date=written,
                updated=parse_iso(record["updated"]),
                categories=names.rename("category", record["categories"]),
                tags=names.rename("tags", record["tags"]),
                authors=names.rename("author", record["authors"]),
                words=record["words"],
                section=record.get("section", ""),
                series=record.get("series", ""),
                series_order=record.get("series_order"),
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
            if first is None or first > self.end:
                return buckets
            following = _add_months(self.start, index + 1)
            day_before = following - dt.timedelta(days=1) if following else self.end
            last = min(day_before, self.end)
            buckets.append((first, last))
            index += 1


def _add_months(day: dt.date, months: int) -> dt.date | None:
    """*months* after *day* (the month's last day if it is shorter); ``None`` past 9999."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > dt.MAXYEAR:
        return None
    for candidate in range(day.day, 0, -1):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover
