"""``ablog-ext serve`` as an author sees it: save a file, then poll the served page
until the change shows.  Not a timed test: a benchmark that prints one row per
kind of edit (the median of ``--edits`` saves) and the server's memory.

    PYTHONPATH=. python benchmarks/serve_bench.py --posts 1000 --edits 5

Rows (the targets of issue 20 at 1000 posts):

- body edit saved -> the post's page shows it (0.5 s);
- title edit saved -> the post's page shows it (1 s), and the end of that rebuild;
- category edit saved -> the post's page shows it (1 s);
- new post file -> listed in ``blog.html`` (2 s);
- the server's resident memory (RSS) after the first build and after
  ``--memory-edits`` body edits (at most 1.15 times).

The site is ``generate.py``'s ``ext`` variant (``toctree`` shape), written into a
temporary folder (or ``--workdir``).  Then, unless ``--no-others``, the same rows for
``jekyll serve`` (with and without ``--incremental``) and ``hugo server`` where they
are installed, and a Markdown table with the ratios (``serve_others.py``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

ROOT = Path(__file__).parent.parent
POLL = 0.01


class Server:
    """``ablog-ext serve SRCDIR --port 0``, started and read over HTTP."""

    def __init__(self, srcdir: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.log = srcdir.parent / "serve.log"
        with self.log.open("w") as stream:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "ablog_ext.cli", "serve", str(srcdir), "--port", "0"],
                stdout=stream,
                stderr=subprocess.STDOUT,
                env=env,
            )
        self.url = self._wait_for_url()

    def _wait_for_url(self) -> str:
        while self.process.poll() is None:
            for line in self.log.read_text().splitlines():
                if "serving http://" in line:
                    return line.split("serving ", 1)[1].split(" ", 1)[0]
            time.sleep(0.1)
        raise SystemExit(f"ablog-ext serve stopped:\n{self.log.read_text()}")

    def get(self, path: str) -> str:
        try:
            with urllib.request.urlopen(self.url + path, timeout=300) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    def status(self) -> dict:
        return json.loads(self.get("__ablog_ext__/status"))

    def idle_after(self, generation: int) -> dict:
        while True:
            status = self.status()
            if status["generation"] > generation and not status["building"]:
                return status
            time.sleep(POLL)

    def rss(self) -> int:
        """Resident memory of the server process, in bytes."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def posts_of(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.md"))


def replace_line(path: Path, prefix: str, line: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [line if old.startswith(prefix) else old for old in lines]
    path.write_text("\n".join(lines), encoding="utf-8")


def timed(
    server: Server, page: str, marker: str, edit: Callable[[], object], timeout: float = math.inf
) -> tuple[float, float]:
    """Seconds from the save until *page* shows *marker* (``math.inf`` if it did not
    within *timeout*), and until the rebuild ended."""
    generation = server.status()["generation"]
    start = time.perf_counter()
    edit()
    while marker not in server.get(page):
        if time.perf_counter() - start > timeout:
            server.idle_after(generation)
            return math.inf, time.perf_counter() - start
        time.sleep(POLL)
    shown = time.perf_counter() - start
    server.idle_after(generation)
    return shown, time.perf_counter() - start


def measure(
    server: Server, folder: Path, edits: int, listing: str = "blog.html", timeout: float = math.inf
) -> dict[str, list[tuple[float, float]]]:
    """The edits, on the posts in *folder*: ``serve_others`` makes the same ones."""
    posts = posts_of(folder)
    rows: dict[str, list[tuple[float, float]]] = {
        "body": [],
        "title": [],
        "category": [],
        "new": [],
    }
    for turn in range(edits):
        post = posts[(turn * 7 + len(posts) // 2) % len(posts)]
        page = f"posts/{post.stem}.html"
        body = f"Edited body number {turn}"
        append = partial(_append, post, f"\n{body}.\n")
        rows["body"].append(timed(server, page, body, append, timeout))
        title = f"Retitled post {turn}"
        retitle = partial(replace_line, post, "title: ", f"title: {title}")
        rows["title"].append(timed(server, page, title, retitle, timeout))
        category = f"Moved here {turn}"
        move = partial(replace_line, post, "categories: ", f"categories: [{category}]")
        rows["category"].append(timed(server, page, category, move, timeout))
        new = folder / f"2024-06-{turn + 1:02d}-a-new-post-{turn}.md"
        new_title = f"A brand new post {turn}"
        text = f"---\ntitle: {new_title}\ndate: 2024-06-{turn + 1:02d} 10:00:00\n---\n\nNew.\n"
        add = partial(new.write_text, text, encoding="utf-8")
        rows["new"].append(timed(server, listing, new_title, add, timeout))
    return rows


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)


def memory(server: Server, srcdir: Path, count: int) -> tuple[int, int]:
    post = posts_of(srcdir / "posts")[0]
    before = server.rss()
    for turn in range(count):
        marker = f"Memory edit {turn}"
        page = f"posts/{post.stem}.html"
        timed(server, page, marker, partial(_append, post, f"\n{marker}.\n"))
    return before, server.rss()


TARGETS = {"body": 0.5, "title": 1.0, "category": 1.0, "new": 2.0}
LABELS = {
    "body": "body edit -> post page shows it",
    "title": "title edit -> post page shows it",
    "category": "category edit -> post page shows it",
    "new": "new post -> listed in blog.html",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--memory-edits", type=int, default=0)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument(
        "--others",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="then jekyll serve (with and without --incremental) and hugo server, where "
        "installed, on the same posts (serve_others.py); --no-others skips them",
    )
    parser.add_argument(
        "--others-timeout", type=float, default=30, help="seconds before a change counts as unshown"
    )
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="serve-bench-"))
    srcdir = generate(workdir / "site", args.posts, "ext", shape="toctree")
    start = time.perf_counter()
    server = Server(srcdir)
    first = time.perf_counter() - start
    try:
        after_first = server.rss()
        rows = measure(server, srcdir / "posts", args.edits)
        after_edits = server.rss()
        print(f"ablog-ext serve, {args.posts} posts, medians of {args.edits} edits")
        print(f"  first build and serve: {first:.2f} s, RSS {after_first / 2**20:.0f} MiB")
        for kind, runs in rows.items():
            shown = statistics.median(run[0] for run in runs)
            ended = statistics.median(run[1] for run in runs)
            verdict = "met" if shown <= TARGETS[kind] else "missed"
            print(
                f"  {LABELS[kind]:38} {shown:6.2f} s (rebuild over {ended:.2f} s)"
                f"  target {TARGETS[kind]} s at 1000 posts: {verdict}"
            )
        if args.memory_edits:
            before, after = memory(server, srcdir, args.memory_edits)
            print(
                f"  RSS after the first build {after_first / 2**20:.0f} MiB; before "
                f"{args.memory_edits} edits {before / 2**20:.0f} MiB, after "
                f"{after / 2**20:.0f} MiB ({after / after_first:.2f}x the first build)"
            )
    finally:
        server.stop()
    if args.others:
        import serve_others

        ablog = serve_others.Measured("ablog-ext serve", first, after_first, after_edits, rows)
        ablog.load = serve_others.load_average()
        serve_others.compare(ablog, workdir, args.posts, args.edits, args.others_timeout)


if __name__ == "__main__":
    main()
