"""The ``ablog-ext`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ablog_ext._version import __version__


def build_parser() -> argparse.ArgumentParser:
    from ablog_ext.commands.migrate import add_init_command
    from ablog_ext.commands.new_post import add_post_command
    from ablog_ext.commands.new_site import add_new_command
    from ablog_ext.commands.serve import add_serve_command
    from ablog_ext.commands.versions import add_versions_command

    parser = argparse.ArgumentParser(
        prog="ablog-ext",
        description="Tools for Sphinx sites that use the ablog_ext extension.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_init_command(subparsers)
    add_new_command(subparsers)
    add_post_command(subparsers)
    add_versions_command(subparsers)
    add_serve_command(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from ablog_ext.commands.common import CommandError
    from ablog_ext.commands.terminal import shown

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(args.handler(args))
    except CommandError as error:
        # One line, whatever names the message quotes.
        print(f"ablog-ext {args.command}: error: {shown(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ablog-ext: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
