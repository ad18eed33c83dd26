"""The ``init`` subcommand: arguments, and the steps in order."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ablog_ext.commands.common import add_command, add_force_option
from ablog_ext.commands.migrate import InitError
from ablog_ext.commands.migrate.jekyll import is_inside, read_site
from ablog_ext.commands.migrate.links import LiquidForLinks, TargetIndex, missing_targets
from ablog_ext.commands.migrate.output import check_folders, write
from ablog_ext.commands.migrate.plan import Plan, make_plan
from ablog_ext.commands.migrate.report import summary
from ablog_ext.commands.terminal import shown_lines


def find_missing(plan: Plan) -> dict[str, list[str]]:
    """Per copied post, its link and image targets that the new site will not have."""
    config = plan.site.config
    url = config.get("url") if isinstance(config.get("url"), str) else None
    baseurl = config.get("baseurl") if isinstance(config.get("baseurl"), str) else ""
    copied = [o for o in plan.outcomes if o.dest]
    # The pages the build resolves a link to: each published post's old URL and
    # redirect_from, and every document's own path.
    live = [o for o in copied if o.status == "published"]
    index = TargetIndex(
        # {% link _posts/x.md %} names a post by its source path.
        files=[*plan.files, *(o.source.rel for o in copied)],
        documents=[dest.rsplit(".", 1)[0] for dest in plan.documents()],
        urls=[link for o in live for link in (*o.permalinks, *filter(None, [o.old_url]))],
    )
    liquid = LiquidForLinks(plan)
    missing = {}
    for outcome in copied:
        assert outcome.dest is not None
        # The links as the build sees them: after Liquid ({{ site.baseurl }}, loops
        # that write link references, {% link %} and {% post_url %}).
        text, unresolved = liquid.render(outcome)
        found = missing_targets(
            text, index, url, baseurl or "", here=outcome.dest, old_url=outcome.old_url
        )
        found += [target for target in unresolved if target not in found]
        if found:
            missing[outcome.dest] = found
    return missing


def check_sources(plan: Plan) -> None:
    """Every file to copy is inside JEKYLL_DIR, links followed: the reading left
    out the links that leave it; this makes sure nothing else slipped through."""
    real_root = os.path.realpath(plan.site.root)
    for source in plan.files.values():
        if isinstance(source, Path) and not is_inside(source, real_root):
            raise InitError(f"{source} is outside JEKYLL_DIR; init copies nothing from there")


def run_init(args: argparse.Namespace, out: Any = None) -> int:
    out = out or sys.stdout
    jekyll_dir, sphinx_dir = Path(args.from_jekyll), Path(args.sphinx_dir)
    site = read_site(jekyll_dir)
    check_folders(jekyll_dir, sphinx_dir, args.force)
    plan = make_plan(site)
    check_sources(plan)
    missing = find_missing(plan)
    result = write(plan.files, sphinx_dir, missing)
    text = summary(plan, result, missing, args.from_jekyll, args.sphinx_dir)
    # Names were escaped one by one; this catches any other text from the site.
    print(shown_lines(text), end="", file=out)
    return 0


def add_init_command(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "init",
        run_init,
        summary="make a Sphinx site from a Jekyll blog",
        description="Make a Sphinx site with ablog_ext in SPHINX_DIR from the Jekyll site in "
        "JEKYLL_DIR: its posts, drafts, includes, data and static files, a conf.py from "
        "_config.yml and a home page. JEKYLL_DIR is only read.",
    )
    parser.add_argument(
        "--from-jekyll",
        required=True,
        metavar="JEKYLL_DIR",
        help="the Jekyll site: the folder with _config.yml and _posts",
    )
    parser.add_argument("sphinx_dir", metavar="SPHINX_DIR", help="where the Sphinx site goes")
    add_force_option(
        parser,
        "write into a SPHINX_DIR that is not empty (a second run: replaces what the "
        "first wrote, keeps your own files)",
    )


__all__ = ["add_init_command", "run_init"]
