"""Every file of the new Sphinx site, decided before anything is written."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ablog_ext.commands.migrate import InitError
from ablog_ext.commands.migrate.jekyll import (
    DRAFT_NAME,
    POST_NAME,
    JekyllSite,
    PostFile,
    markdown_suffixes,
)
from ablog_ext.commands.migrate.layout import (
    CONF,
    DATA,
    DRAFTS,
    INCLUDES,
    INDEX,
    POSTS,
    RESERVED,
)
from ablog_ext.commands.migrate.site_text import post_permalink, render_conf, render_index
from ablog_ext.jekyll.frontmatter import in_zone, normalise, read_front_matter
from ablog_ext.jekyll.permalinks import (
    PermalinkError,
    is_dated_name,
    jekyll_post,
    post_url,
    style_template,
)

HTML_SUFFIXES = (".html", ".htm")
#: Why a file at the top of the site is not copied.
OWN_OUTPUT = "the new site writes a file of that name itself"


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
    #: The post's URL on the Jekyll site (its permalink, placeholders filled in).
    old_url: str | None = None
    front: dict[str, Any] = field(default_factory=dict)
    meta: Any = None


@dataclass
class Plan:
    """The new site: each file by its path relative to SPHINX_DIR."""

    site: JekyllSite
    files: dict[str, Path | bytes] = field(default_factory=dict)
    outcomes: list[PostOutcome] = field(default_factory=list)
    static_folders: list[str] = field(default_factory=list)
    #: Files at the top of the site Jekyll copies as they are (CNAME, favicon.ico).
    root_files: list[str] = field(default_factory=list)
    #: The files of Jekyll's data folder (``_data/``), copied for Liquid's site.data.
    data_files: int = 0
    #: Top-level folders and files Jekyll copies as they are that were not carried over.
    not_copied: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timezone: str = "UTC"
    nested: bool = False

    def copied(self, prefix: str) -> int:
        return sum(1 for dest in self.files if dest.startswith(prefix + "/"))

    def documents(self) -> list[str]:
        """The files Sphinx builds as pages: the published posts, drafts and index.md
        (a post that waits for its date, or is unpublished, is left out)."""
        built = ("published", "draft")
        return [INDEX, *(o.dest for o in self.outcomes if o.dest and o.status in built)]


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
    template = style_template(post_permalink(site.config)[0])
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
    for outcome in plan.outcomes:
        if outcome.dest and outcome.meta is not None:
            outcome.old_url = _old_url(outcome, zone, template, plan.nested)
    for include in site.includes:
        inner = include.rel.partition("/")[2]
        plan.files[f"{INCLUDES}/{inner}"] = include.path
    _plan_static(plan)
    _plan_data(plan)
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
        note = f"as {new_name}: ablog_ext reads a lower-case suffix"
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
    assert outcome.dest is not None
    meta = normalise(data, outcome.dest.rpartition("/")[2])
    slug = data.get("slug")
    if isinstance(slug, str) and slug.strip():
        outcome.slug = slug.strip()
    outcome.permalinks = (*((meta.permalink,) if meta.permalink else ()), *meta.redirect_from)
    outcome.front, outcome.meta = data, meta
    return meta


def _old_url(outcome: PostOutcome, zone: dt.tzinfo, template: str, nested: bool) -> str | None:
    """The post's URL on the Jekyll site, as ``permalinks.record_old_url`` finds it
    in the build: posts with a dated name, or their own ``permalink``. *template* is
    the site's permalink, *nested* whether categories come from folders."""
    assert outcome.dest is not None
    meta = outcome.meta
    path = outcome.dest.split("/", 1)[1].rsplit(".", 1)[0]
    if outcome.source.draft or not (meta.permalink or is_dated_name(path.rpartition("/")[2])):
        return None
    date = in_zone(meta.date, zone).replace(tzinfo=None) if meta.date is not None else None
    post = jekyll_post(outcome.front, path, date, folder_categories=nested)
    try:
        return post_url(meta.permalink or template, post)
    except PermalinkError:
        return None


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
    """What Jekyll copies as it is: top-level folders of files (``assets/``), and
    files at the top of the site (``CNAME``, ``favicon.ico``), each at its path."""
    reserved = {name.lower() for name in RESERVED}
    folders: dict[str, list[Any]] = {}
    for item in plan.site.static_files:
        top, _, rest = item.rel.partition("/")
        if not rest:
            if top.lower() in reserved:
                plan.not_copied.append((item.rel, OWN_OUTPUT))
            else:
                plan.root_files.append(item.rel)
                plan.files[item.rel] = item.path
            continue
        folders.setdefault(top, []).append(item)
    for top, items in sorted(folders.items()):
        if top.lower() in reserved:
            plan.not_copied.append((f"{top}/", "the new site uses this name itself"))
            continue
        plan.static_folders.append(top)
        for item in items:
            plan.files[item.rel] = item.path


def _plan_data(plan: Plan) -> None:
    """Jekyll's data folder, for Liquid's ``site.data``."""
    folder, found = plan.site.special.get("data", ("", []))
    for inner in found:
        plan.files[f"{DATA}/{inner}"] = plan.site.root / folder / inner
    plan.data_files = len(found)
