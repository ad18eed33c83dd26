"""Every file of the new Sphinx site, decided before anything is written."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..frontmatter import normalise, read_front_matter
from . import InitError
from .jekyll import DRAFT_NAME, POST_NAME, JekyllSite, PostFile, markdown_suffixes
from .render import render_conf, render_index

POSTS, DRAFTS, INCLUDES = "posts", "drafts", "_includes"
CONF, INDEX, MANIFEST = "conf.py", "index.md", ".ablog-ext-init.json"
#: Names the new site uses for itself; a Jekyll folder of the same name is not copied.
RESERVED = frozenset({POSTS, DRAFTS, INCLUDES, "_build", "_static", "_templates", CONF, INDEX})
HTML_SUFFIXES = (".html", ".htm")
TOP_LEVEL = "a file at the top of the site"


@dataclass
class PostOutcome:
    """What became of one file of a ``_posts`` or ``_drafts`` folder."""

    source: PostFile
    #: "published", "future", "unpublished", "draft" or "not read".
    status: str
    dest: str | None = None
    note: str | None = None
    converted: bool = False
    utf8: bool = True
    slug: str = ""
    text: str = ""
    permalinks: tuple[str, ...] = ()


@dataclass
class Plan:
    """The new site: each file by its path relative to SPHINX_DIR."""

    site: JekyllSite
    files: dict[str, Path | bytes] = field(default_factory=dict)
    outcomes: list[PostOutcome] = field(default_factory=list)
    static_folders: list[str] = field(default_factory=list)
    #: Top-level folders and files Jekyll copies as they are that were not carried over.
    not_copied: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timezone: str = "UTC"
    nested: bool = False

    def copied(self, prefix: str) -> int:
        return sum(1 for dest in self.files if dest.startswith(prefix + "/"))


def site_timezone(config: dict[str, Any]) -> tuple[str, str | None]:
    """The ``timezone`` to write, and a note when it is unusable."""
    value = config.get("timezone")
    if not isinstance(value, str) or not value.strip():
        return "UTC", None
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return name, f"timezone {name!r} in _config.yml is not a known IANA time zone"
    return name, None


def make_plan(site: JekyllSite, now: dt.datetime | None = None) -> Plan:
    plan = Plan(site=site)
    plan.timezone, note = site_timezone(site.config)
    if note:
        plan.notes.append(note)
    try:
        zone: dt.tzinfo = ZoneInfo(plan.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    now = now or dt.datetime.now(dt.UTC)
    future = site.config.get("future") is True
    suffixes = markdown_suffixes(site.config)
    taken: set[str] = set()
    for post in sorted([*site.posts, *site.drafts], key=lambda p: (p.draft, p.rel)):
        outcome = _plan_post(post, suffixes, taken)
        plan.outcomes.append(outcome)
        if outcome.dest is None:
            continue
        taken.add(outcome.dest.lower())
        meta = _read(outcome)
        if outcome.dest is None:  # an HTML post that is not UTF-8
            continue
        if post.draft:
            outcome.status = "draft"
        elif meta is not None and meta.published is False:
            outcome.status = "unpublished"
        elif meta is not None and _in_future(meta.date, zone, now) and not future:
            outcome.status = "future"
        if outcome.converted:
            plan.files[outcome.dest] = html_post_as_markdown(outcome.text)
        else:
            plan.files[outcome.dest] = post.path
    plan.nested = any(o.dest and o.source.folder for o in plan.outcomes)
    for include in site.includes:
        inner = include.rel.partition("/")[2]
        plan.files[f"{INCLUDES}/{inner}"] = include.path
    _plan_static(plan)
    plan.files[CONF] = render_conf(plan).encode("utf-8")
    plan.files[INDEX] = render_index(site.config, site.root.name).encode("utf-8")
    return plan


def _plan_post(post: PostFile, suffixes: list[str], taken: set[str]) -> PostOutcome:
    """Where a post goes, or why it does not."""
    name = post.name
    match = DRAFT_NAME.match(name) if post.draft else POST_NAME.match(name)
    if match is None:
        why = "no suffix" if post.draft else "no date in its name (YYYY-MM-DD-title)"
        return PostOutcome(post, "not read", note=why)
    suffix = match.groups()[-1]
    stem = name[: -len(suffix)]
    slug = match[1] if post.draft else match[4]
    if not post.draft:
        year, month, day = match[1], int(match[2]), int(match[3])
        # ablog_ext reads a date from a YYYY-MM-DD name; Jekyll also takes 2019-3-5.
        if len(year) == 4:
            stem = f"{year}-{month:02d}-{day:02d}-{match[4]}"
    converted = suffix.lower() in HTML_SUFFIXES
    if suffix.lower() in suffixes:
        new_name = stem + suffix.lower()
    elif converted:
        new_name = stem + (".md" if ".md" in suffixes else suffixes[0])
    else:
        return PostOutcome(
            post, "not read", note=f"{suffix} is not a Markdown suffix (markdown_ext)"
        )
    base = DRAFTS if post.draft else POSTS
    folder = f"{base}/{post.folder}" if post.folder else base
    dest = f"{folder}/{new_name}"
    note = None
    if not converted and new_name != name:
        why = "a YYYY-MM-DD date" if new_name.lower() != name.lower() else "a lower-case suffix"
        note = f"as {new_name}: ablog_ext reads {why}"
    if dest.lower() in taken:
        # Two files of one name in subfolders of _posts: keep the second one's subfolder
        # (it becomes a category) rather than lose it.
        sub = post.inner.rpartition("/")[0]
        dest = f"{folder}/{sub}/{new_name}" if sub else ""
        if not dest or dest.lower() in taken:
            return PostOutcome(post, "not read", note=f"another post is also named {new_name}")
        note = f"as {sub}/{new_name}: another post has its name"
    return PostOutcome(post, "published", dest=dest, note=note, converted=converted, slug=slug)


def _read(outcome: PostOutcome) -> Any:
    """Read the post's text and front matter into *outcome*; the metadata, or None."""
    try:
        raw = outcome.source.path.read_bytes()
    except OSError as error:
        raise InitError(f"cannot read {outcome.source.path}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        outcome.utf8 = False
        text = raw.decode("utf-8", errors="replace")
        if outcome.converted:
            # A raw HTML block needs text; Jekyll skips such a post anyway.
            outcome.converted, outcome.dest, outcome.status = False, None, "not read"
            outcome.note = "not valid UTF-8"
            return None
    outcome.text = text
    block = read_front_matter(text)
    data = block.data or {}
    # The new name: ablog_ext, like this check, reads 2021-07-04 but not 2021-7-4.
    assert outcome.dest is not None
    meta = normalise(data, outcome.dest.rpartition("/")[2])
    slug = data.get("slug")
    if isinstance(slug, str) and slug.strip():
        outcome.slug = slug.strip()
    outcome.permalinks = (*((meta.permalink,) if meta.permalink else ()), *meta.redirect_from)
    return meta


def _in_future(date: dt.datetime | None, zone: dt.tzinfo, now: dt.datetime) -> bool:
    if date is None:
        return False
    if date.tzinfo is None:
        date = date.replace(tzinfo=zone)
    return date > now


def html_post_as_markdown(text: str) -> bytes:
    """An HTML post as a Markdown post: the same front matter, byte for byte, and the
    body in a raw HTML block, which MyST passes through as Jekyll did."""
    block = read_front_matter(text)
    lines = text.splitlines(keepends=True)
    head = "".join(lines[: block.body_start]) if block.body_start else ""
    body = "".join(lines[block.body_start :])
    if head and not head.endswith("\n"):
        head += "\n"
    if not body.strip():
        return head.encode("utf-8")
    runs = [len(run) for run in re.findall(r"`{3,}", body)]
    fence = "`" * max(3, *(run + 1 for run in runs))
    if not body.endswith("\n"):
        body += "\n"
    return f"{head}{fence}{{raw}} html\n{body}{fence}\n".encode()


def _plan_static(plan: Plan) -> None:
    """Top-level folders of files Jekyll copies as they are; the files at the top
    level are listed, not copied: most (CNAME, Gemfile, robots.txt) are about hosting."""
    folders: dict[str, list[Any]] = {}
    for item in plan.site.static_files:
        top, _, rest = item.rel.partition("/")
        if not rest:
            plan.not_copied.append((item.rel, TOP_LEVEL))
            continue
        folders.setdefault(top, []).append(item)
    for top, items in sorted(folders.items()):
        if top in RESERVED or top.lower() in {name.lower() for name in RESERVED}:
            plan.not_copied.append((f"{top}/", "the new site uses this name itself"))
            continue
        plan.static_folders.append(top)
        for item in items:
            plan.files[item.rel] = item.path
