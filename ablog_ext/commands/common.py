"""What the ``ablog-ext`` subcommands share: their error, the shape of their parser,
and reading the list of names their marker file keeps."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


class CommandError(Exception):
    """A problem the user can fix: ``ablog-ext`` prints it on one line, without a
    traceback, and exits with status 2."""


def add_command(
    subparsers: Any,
    name: str,
    handler: Callable[[argparse.Namespace], int],
    *,
    summary: str,
    description: str,
) -> argparse.ArgumentParser:
    """The parser of ``ablog-ext NAME``, which runs *handler* with the arguments."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=summary, description=description
    )
    parser.set_defaults(handler=handler)
    return parser


def add_force_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """``--force``: write into a folder that holds files the command did not write."""
    parser.add_argument("--force", action="store_true", help=help_text)


def listed_names(path: Path, key: str) -> list[str]:
    """The strings listed under *key* in the JSON object in *path*; [] when the file
    is missing or unreadable, or holds no such list."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, str)]


__all__ = ["CommandError", "add_command", "add_force_option", "listed_names"]
