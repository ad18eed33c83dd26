"""``ablog-ext serve [SOURCE]``: build once, serve on localhost, rebuild the same
Sphinx application after each change and reload the open pages.

- :mod:`~ablog_ext.commands.serve.resident`: the application kept in memory;
- :mod:`~ablog_ext.commands.serve.watcher`: which files changed (polled);
- :mod:`~ablog_ext.commands.serve.server`: the HTTP server (standard library);
- :mod:`~ablog_ext.commands.serve.reload`: the live-reload script and the
  problems overlay put into each page.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from typing import Any

from ablog_ext.commands.common import CommandError, add_command
from ablog_ext.commands.serve import server
from ablog_ext.commands.serve.resident import BuildReport, Changes, ResidentSite
from ablog_ext.commands.serve.watcher import Watcher
from ablog_ext.commands.terminal import shown

#: Written in the output folder: what it holds (a preview with drafts or not), so
#: that the two never share a folder, and no folder of the user's is written into.
MARKER = ".ablog-ext-serve"


SUMMARY = "build the site, serve it on localhost and rebuild it after each change"
DESCRIPTION = (
    "Build SOURCE once, serve the pages on localhost, and after each change to a file "
    "of SOURCE rebuild what changed with the same Sphinx application (kept in memory) "
    "and reload the pages open in the browser."
)


def add_serve_command(subparsers: Any) -> None:
    parser = add_command(subparsers, "serve", run, summary=SUMMARY, description=DESCRIPTION)
    parser.add_argument("source", nargs="?", default=".", metavar="SOURCE",
                        help="the site's source folder, with its conf.py (default: .)")  # fmt: skip
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000; 0: any)")
    parser.add_argument(
        "--outdir",
        help="where the pages go (default: SOURCE/_build/serve, "
        "or SOURCE/_build/serve-drafts with --drafts)",
    )
    parser.add_argument(
        "--drafts",
        action="store_true",
        help="also show posts with 'published: false', drafts and posts dated after "
        "today, each marked as a draft (built into a folder of their own)",
    )


def output_folder(srcdir: Path, outdir: str | None, drafts: bool) -> Path:
    """The output folder, claimed for this kind of preview (raises
    :class:`CommandError` for a folder of another kind, or of the user's)."""
    folder = (
        Path(outdir).resolve()
        if outdir
        else srcdir / "_build" / ("serve-drafts" if drafts else "serve")
    )
    marker = folder / MARKER
    kind = "drafts" if drafts else "published"
    if marker.is_file():
        try:
            held = json.loads(marker.read_text(encoding="utf-8")).get("kind")
        except (OSError, ValueError, AttributeError):
            held = None
        if held != kind:
            other = "with" if drafts is False else "without"
            raise CommandError(
                f"{shown(folder)} holds a preview built {other} --drafts: "
                "give another --outdir (the two never share a folder)"
            )
    elif folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise CommandError(
            f"{shown(folder)} is not empty and was not made by ablog-ext serve: "
            "give another --outdir"
        )
    folder.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"kind": kind}) + "\n", encoding="utf-8")
    return folder


def announce(report: BuildReport, changes: Changes | None = None) -> None:
    what = f"{changes.summary()} changed; " if changes else ""
    how = "new application, " if report.restarted and changes else ""
    problems = len(report.problems())
    said = f", {problems} problem(s) shown on the pages" if problems else ""
    print(f"ablog-ext serve: {what}{how}built in {report.seconds:.2f} s{said}", flush=True)


def run(args: argparse.Namespace) -> int:
    srcdir = Path(args.source).resolve()
    if not (srcdir / "conf.py").is_file():
        raise CommandError(f"{shown(srcdir)} is not a Sphinx site: it has no conf.py")
    folder = output_folder(srcdir, args.outdir, args.drafts)
    site = ResidentSite(srcdir, folder / "html", folder / "doctrees", drafts=args.drafts)
    try:
        httpd = server.make_server(args.host, args.port, site)
    except OSError as error:
        raise CommandError(
            f"cannot listen on {shown(args.host)}:{args.port}: {error.strerror or error}"
        ) from None
    watcher = Watcher(srcdir, [folder])
    print(f"ablog-ext serve: building {shown(srcdir)} into {shown(site.html)}", flush=True)
    announce(site.build())
    server.start(httpd)
    print(f"ablog-ext serve: serving {httpd.url()} (Ctrl+C stops)", flush=True)
    stopping = threading.Event()
    try:
        while (changes := watcher.wait(stopping)) is not None:
            announce(site.build(changes), changes)
    except KeyboardInterrupt:
        print("ablog-ext serve: stopped", file=sys.stderr)
    finally:
        server.stop(httpd)
        site.close()
    return 0


__all__ = ["add_serve_command", "run"]
