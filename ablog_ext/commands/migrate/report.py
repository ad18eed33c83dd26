"""The summary ``init`` prints: what moved, what did not, and how to build."""

from __future__ import annotations

import shlex
from pathlib import PurePath
from typing import Any

from ablog_ext.commands.migrate.jekyll import collection_names, config_list
from ablog_ext.commands.migrate.layout import DATA, DRAFTS, INCLUDES, MANIFEST, POSTS
from ablog_ext.commands.migrate.output import WriteResult
from ablog_ext.commands.migrate.plan import Plan, PostOutcome
from ablog_ext.commands.terminal import shown

#: Plugins whose work ablog_ext does itself.
COVERED = {
    "jekyll-feed": "ablog_ext writes Atom, RSS and JSON feeds",
    "jekyll-redirect-from": "redirect_from works",
}
PAGINATION_PLUGINS = {"jekyll-paginate", "jekyll-paginate-v2"}
SASS_SUFFIXES = (".scss", ".sass")
MAX_ITEMS = 10
MAX_POSTS = 20
MAX_TARGETS = 5


def _some(items: list[str], limit: int = MAX_ITEMS) -> str:
    some = ", ".join(shown(item) for item in items[:limit])
    return some + (f", ... and {len(items) - limit} more" if len(items) > limit else "")


def _count(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")


def post_lines(plan: Plan) -> list[str]:
    posts = [o for o in plan.outcomes if not o.source.draft]
    drafts = [o for o in plan.outcomes if o.source.draft]
    by_status: dict[str, list[PostOutcome]] = {}
    for outcome in posts:
        by_status.setdefault(outcome.status, []).append(outcome)
    folders = [f"{folder}/_posts" if folder else "_posts" for folder in plan.site.post_folders]
    lines = [
        f"Posts: {len(posts)} found in {_count(len(folders), '_posts folder')} "
        f"({_some(folders, 5)})"
    ]
    future = plan.site.config.get("future") is True
    lines.append(f"  {len(by_status.get('published', []))} published")
    if by_status.get("future"):
        lines.append(
            f"  {len(by_status['future'])} dated in the future: copied, published on "
            "their date (future: false)"
        )
    elif future:
        lines.append("  (future: true, so posts dated later are published now)")
    if by_status.get("unpublished"):
        lines.append(
            f"  {len(by_status['unpublished'])} with published: false: copied, left out of the site"
        )
    not_read = by_status.get("not read", [])
    if not_read:
        lines.append(f"  {len(not_read)} not read as posts (not copied):")
        lines += [f"    {shown(o.source.rel)}: {shown(o.note)}" for o in not_read[:MAX_ITEMS]]
        if len(not_read) > MAX_ITEMS:
            lines.append(f"    ... and {len(not_read) - MAX_ITEMS} more")
    converted = [o.source.rel for o in plan.outcomes if o.converted]
    if converted:
        lines.append(
            f"  {_count(len(converted), 'HTML post')} became Markdown, the HTML kept as a raw "
            f"block: {_some(converted, 5)}"
        )
    invalid = [o.source.rel for o in plan.outcomes if not o.utf8 and o.dest]
    if invalid:
        lines.append(
            f"  {len(invalid)} not valid UTF-8 (copied as they are; Jekyll skips them): "
            + _some(invalid, 5)
        )
    renamed = [o for o in plan.outcomes if o.note and o.dest]
    if renamed:
        lines.append(f"  {_count(len(renamed), 'file')} copied under another name:")
        lines += [f"    {shown(o.source.rel)} {shown(o.note)}" for o in renamed[:MAX_ITEMS]]
        if len(renamed) > MAX_ITEMS:
            lines.append(f"    ... and {len(renamed) - MAX_ITEMS} more")
    copied_drafts = [o for o in drafts if o.dest]
    if drafts:
        lines.append(
            f"Drafts: {len(copied_drafts)} from _drafts, in {DRAFTS}/ (never published)"
            + (
                f"; {len(drafts) - len(copied_drafts)} not read"
                if len(copied_drafts) < len(drafts)
                else ""
            )
        )
        lines += [f"    {shown(o.source.rel)}: {shown(o.note)}" for o in drafts if not o.dest][
            :MAX_ITEMS
        ]
    return lines


def copied_lines(plan: Plan, result: WriteResult, sphinx_shown: str) -> list[str]:
    rows = [(f"{POSTS}/", plan.copied(POSTS), "")]
    if plan.copied(DRAFTS):
        rows.append((f"{DRAFTS}/", plan.copied(DRAFTS), ""))
    if plan.copied(INCLUDES):
        rows.append((f"{INCLUDES}/", plan.copied(INCLUDES), "for Liquid's {% include %}"))
    if plan.copied(DATA):
        rows.append((f"{DATA}/", plan.copied(DATA), "for Liquid's site.data"))
    for folder in plan.static_folders:
        rows.append((f"{folder}/", plan.copied(folder), "static folder"))
    width = max(len(row[0]) for row in rows)
    lines = [f"Copied into {_folder(sphinx_shown)}:"]
    for name, number, note in rows:
        lines.append(
            f"  {name.ljust(width)} {number:6d} file{'' if number == 1 else 's'}"
            + (f"  ({note})" if note else "")
        )
    if plan.root_files:
        lines.append(f"  {_some(plan.root_files, 5)}  (at the top of the site)")
    lines.append("  conf.py, index.md written (the home page lists the latest posts)")
    changes = f"{result.written} written, {result.unchanged} unchanged"
    if result.removed:
        changes += f", {len(result.removed)} removed that an earlier run wrote"
    lines.append(f"  ({changes})")
    if result.kept_outside:
        lines.append(
            f"  not removed, as they lead out of {_folder(sphinx_shown)} through a link: "
            + _some(result.kept_outside, 5)
        )
    return lines


def not_carried_lines(plan: Plan) -> list[str]:
    config: dict[str, Any] = plan.site.config
    special = plan.site.special
    lines: list[str] = []
    plugins = config_list(config, "plugins") + config_list(config, "gems")
    plugins = list(dict.fromkeys(plugins))
    left = [name for name in plugins if name not in COVERED]
    covered = [f"{name}: {COVERED[name]}" for name in plugins if name in COVERED]
    if left:
        lines.append(f"  plugins: {_some(left)}")
    if covered:
        lines.append(f"  (covered: {'; '.join(covered)})")
    for kind, label, why in (
        ("plugins", "custom plugins", "Ruby code"),
        ("layouts", "layouts", "the PyData theme lays out the pages"),
        ("sass", "Sass", "the PyData theme has its own styles"),
    ):
        if kind in special and special[kind][1]:
            folder, files = special[kind]
            lines.append(f"  {label}: {shown(folder)} ({_count(len(files), 'file')}; {why})")
    collections = collection_names(config)
    for kind in special:
        if kind.startswith("collection ") and kind[11:] not in collections:
            collections.append(kind[11:])
    if collections:
        lines.append(f"  collections: {_some(collections)}")
    paginate = config.get("paginate") or config.get("pagination")
    pagination_plugins = [name for name in plugins if name in PAGINATION_PLUGINS]
    per_page = config.get("paginate")
    if isinstance(per_page, int) and not isinstance(per_page, bool) and per_page >= 1:
        lines.append(
            f"  (covered: pagination (paginate: {per_page}): the blog's archive in pages "
            f"of {per_page}; old page URLs redirect)"
        )
    elif paginate or pagination_plugins:
        what = f"paginate: {paginate}" if config.get("paginate") else _some(pagination_plugins)
        lines.append(
            f"  pagination ({what}): index.md lists the latest 10 posts, "
            "blog/archive.html all of them"
        )
    theme = config.get("theme") or config.get("remote_theme")
    if theme:
        lines.append(f"  theme: {shown(theme)} (the PyData theme instead)")
    pages = [page.rel for page in plan.site.pages]
    sass = [rel for rel in pages if rel.endswith(SASS_SUFFIXES)]
    pages = [rel for rel in pages if not rel.endswith(SASS_SUFFIXES)]
    if sass:
        lines.append(f"  Sass stylesheets: {_some(sass, 5)}")
    if pages:
        lines.append(f"  {_count(len(pages), 'page')}: {_some(pages)}")
    for path, why in plan.not_copied:
        lines.append(f"  {shown(path)}: {why}")
    for rel, why in plan.site.skipped:
        lines.append(f"  {shown(rel)}: {shown(why)}")
    return [*(["Not carried over (yours to redo, or to drop):"] if lines else []), *lines]


def links_lines(missing: dict[str, list[str]]) -> list[str]:
    if not missing:
        return []
    total = sum(len(targets) for targets in missing.values())
    lines = [
        f"Links and images in posts that point to nothing in the new site: "
        f"{total} in {_count(len(missing), 'post')}"
    ]
    for dest, targets in list(missing.items())[:MAX_POSTS]:
        targets_shown = [target or "(an empty link)" for target in targets]
        lines.append(f"  {shown(dest)}: {_some(targets_shown, MAX_TARGETS)}")
    if len(missing) > MAX_POSTS:
        lines.append(f"  ... and {len(missing) - MAX_POSTS} more posts")
    if len(missing) > MAX_POSTS or any(len(t) > MAX_TARGETS for t in missing.values()):
        lines.append(f"  (all of them: \"missing\" in {MANIFEST})")
    return lines


def _folder(given: str) -> str:
    return shown(given if given.endswith(("/", "\\")) else given + "/")


def build_command(sphinx_shown: str) -> str:
    out = str(PurePath(sphinx_shown, "_build", "html"))
    return shown(f"python3 -m sphinx -b html {shlex.quote(sphinx_shown)} {shlex.quote(out)}")


def summary(
    plan: Plan,
    result: WriteResult,
    missing: dict[str, list[str]],
    jekyll_shown: str,
    sphinx_shown: str,
) -> str:
    blocks = [
        [
            f"Made a Sphinx site in {_folder(sphinx_shown)} from the Jekyll site in "
            f"{_folder(jekyll_shown)}."
        ],
        post_lines(plan),
        copied_lines(plan, result, sphinx_shown),
        not_carried_lines(plan),
        links_lines(missing),
        [f"Note: {note}" for note in plan.notes],
        ["Build the site with:", f"  {build_command(sphinx_shown)}"],
    ]
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"
