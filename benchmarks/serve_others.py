"""``jekyll serve`` (with and without ``--incremental``) and ``hugo server`` side by
side with ``ablog-ext serve``: each on its own copy of the same generated posts
(``generate.py``), with the same edits, measured the same way (``serve_bench.measure``:
save, then poll the served page until the change shows).  ``serve_bench.py`` runs
this after its own rows, unless ``--no-others``; a system whose command is not
installed gets no column.

What each system is given, so that the edits show on the same pages:

- the post's page is ``posts/STEM.html`` for every system (Jekyll's ``permalink``,
  Hugo's ``uglyURLs``), with the title, the categories and the body on it;
- the page that lists every post: ``blog.html`` (ablog-ext, Jekyll), the posts
  section ``posts.html`` (Hugo);
- a new post is a new ``YYYY-MM-DD-slug.md`` in the posts folder (``posts/``,
  ``_posts/``, ``content/posts/``).

Each server is started in its own process group on a free port of 127.0.0.1,
without live reload for Jekyll (its default) and with Hugo's defaults (fast render
mode, pages in memory, live reload script injected); the edits start once the
first build is served.  "Rebuild over" is when the server logs the end of the
rebuild that the save started (Jekyll's ``...done in``, Hugo's ``Total in``).
"""

from __future__ import annotations

import http.client
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate_hugo, generate_jekyll
from serve_bench import LABELS, POLL, Server, measure


@dataclass(frozen=True)
class Other:
    """A static site generator's own server, and where its site keeps things."""

    name: str
    tool: str
    generate: Callable[[Path, int], Path]
    #: The folder of the post files, inside the site.
    posts: str
    #: The served page that lists every post.
    listing: str
    #: What the server logs at the end of each rebuild.
    rebuilt: str
    flags: tuple[str, ...] = ()

    def command(self, srcdir: Path, port: int) -> list[str]:
        if self.tool == "hugo":
            # Hugo's defaults: fast render mode, pages served from memory.
            return ["hugo", "server", "-s", str(srcdir), "--bind", "127.0.0.1", "--port", str(port)]
        outdir = srcdir.parent / f"{srcdir.name}-site"
        address = ["--host", "127.0.0.1", "--port", str(port)]
        # Watching (the default) is the point: never --no-watch.
        return ["jekyll", "serve", "-s", str(srcdir), "-d", str(outdir), *address, *self.flags]


OTHERS = (
    Other("jekyll serve", "jekyll", generate_jekyll, "_posts", "blog.html", "...done in"),
    Other(
        "jekyll serve --incremental",
        "jekyll",
        generate_jekyll,
        "_posts",
        "blog.html",
        "...done in",
        ("--incremental",),
    ),
    Other("hugo server", "hugo", generate_hugo, "content/posts", "posts.html", "Total in"),
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def group_rss(group: int) -> int:
    """The resident memory of every process in process group *group*, in bytes."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:
                status = (stat.parent / "status").read_text()
                total += next(
                    int(line.split()[1]) * 1024
                    for line in status.splitlines()
                    if line.startswith("VmRSS:")
                )
        except (OSError, IndexError, ValueError, StopIteration):
            continue  # gone meanwhile, or a kernel thread
    return total


class OtherServer(Server):
    """*other*'s server on *srcdir*, in a process group of its own, read over HTTP
    as ``Server`` reads ``ablog-ext serve``; its log tells when a rebuild ended."""

    def __init__(self, other: Other, srcdir: Path, timeout: float) -> None:
        self.other = other
        self.timeout = timeout
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/"
        self.log = srcdir.parent / f"{srcdir.name}.log"
        with self.log.open("w") as stream:
            self.process = subprocess.Popen(
                other.command(srcdir, port),
                stdout=stream,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        try:
            self._wait_for_first_build()
        except BaseException:  # Ctrl-C, SIGTERM or a failed build: no server left behind
            self.stop()
            raise

    def _wait_for_first_build(self) -> None:
        """Until the listing page is served: both servers serve after the first build."""
        while self.process.poll() is None:
            if self.get(self.other.listing):
                return
            time.sleep(0.1)
        raise SystemExit(f"{self.other.name} stopped:\n{self.log.read_text()}")

    def get(self, path: str) -> str:
        """The page, or "" while there is none; Jekyll's server may send a page it is
        rewriting, shorter than it said (http.client.IncompleteRead)."""
        try:
            return super().get(path)
        except http.client.HTTPException:
            return ""

    def status(self) -> dict:
        """``ablog-ext serve``'s status, as far as the log tells: rebuilds ended so far."""
        text = self.log.read_text(errors="replace")
        return {"generation": text.count(self.other.rebuilt), "building": False}

    def idle_after(self, generation: int) -> dict:
        """Until a rebuild after *generation* ended, or *timeout* seconds passed."""
        deadline = time.perf_counter() + self.timeout
        while time.perf_counter() < deadline:
            status = self.status()
            if status["generation"] > generation:
                return status
            time.sleep(POLL)
        return self.status()

    def rss(self) -> int:
        return group_rss(self.process.pid)

    def stop(self) -> None:
        stop_group(self.process)


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to *process*'s group, SIGKILL if it is still there 10 s later."""
    for sent in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sent)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue


@dataclass
class Measured:
    """One system's figures: seconds to first serve, memory, and each edit's
    (shown, rebuild over) seconds; ``math.inf`` where the change never showed."""

    name: str
    first: float
    rss_first: int
    rss_after: int
    rows: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    load: str = ""
    #: The page polled for a new post.
    listing: str = "blog.html"


def load_average() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


@contextmanager
def terminated_on_sigterm() -> Iterator[None]:
    """SIGTERM raises SystemExit, so the ``finally`` that stops a server runs (Ctrl-C
    raises KeyboardInterrupt already)."""

    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, leave)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_other(other: Other, workdir: Path, posts: int, edits: int, timeout: float) -> Measured:
    srcdir = other.generate(workdir / other.name.replace(" ", "").replace("-", ""), posts)
    start = time.perf_counter()
    server = OtherServer(other, srcdir, timeout)
    try:
        first = time.perf_counter() - start
        rss_first = server.rss()
        rows = measure(server, srcdir / other.posts, edits, other.listing, timeout)
        measured = Measured(other.name, first, rss_first, server.rss(), rows, listing=other.listing)
        measured.load = load_average()
        return measured
    finally:
        server.stop()


def installed(others: tuple[Other, ...] = OTHERS) -> list[Other]:
    return [other for other in others if shutil.which(other.tool)]


def compare(ablog: Measured, workdir: Path, posts: int, edits: int, timeout: float) -> None:
    """Run every installed system after ``ablog-ext serve`` and print the table."""
    results = [ablog]
    missing = sorted({other.tool for other in OTHERS} - {o.tool for o in installed()})
    with terminated_on_sigterm():
        for other in installed():
            print(f"  {other.name}: {posts} posts, {edits} edits ...", flush=True)
            results.append(run_other(other, workdir, posts, edits, timeout))
    print()
    print("\n".join(table(results, posts, edits, timeout)))
    if missing:
        print(f"\nNot installed, so no column: {', '.join(missing)}")


def seconds(value: float, timeout: float) -> str:
    return f"not shown in {timeout:.0f} s" if math.isinf(value) else f"{value:.2f} s"


def ratio(ours: float, theirs: float) -> str:
    if math.isinf(ours) or math.isinf(theirs) or theirs <= 0:
        return "n/a"
    return f"{ours / theirs:.2f}x"


def table(results: list[Measured], posts: int, edits: int, timeout: float) -> list[str]:
    """A Markdown table: a row per edit, a column per system with its ratio
    (``ablog-ext serve`` over it); each cell "shown (rebuild over)"."""
    ablog, others = results[0], results[1:]
    head = ["edit", ablog.name]
    for other in others:
        head += [other.name, "ratio"]
    lines = [
        f"{posts} posts, medians of {edits} edits; each cell: change shown (rebuild over); "
        "ratio: ablog-ext serve / the other",
        "",
        "| " + " | ".join(head) + " |",
        "|---|" + "---:|" * (len(head) - 1),
    ]
    for kind, label in LABELS.items():
        shown = {r.name: statistics.median(run[0] for run in r.rows[kind]) for r in results}
        over = {r.name: statistics.median(run[1] for run in r.rows[kind]) for r in results}

        def cell(name: str, shown: dict = shown, over: dict = over) -> str:
            if math.isinf(shown[name]):
                return seconds(shown[name], timeout)
            return f"{seconds(shown[name], timeout)} ({seconds(over[name], timeout)})"

        cells = [label, cell(ablog.name)]
        for other in others:
            cells += [cell(other.name), ratio(shown[ablog.name], shown[other.name])]
        lines.append("| " + " | ".join(cells) + " |")
    facts = (
        ("first build, served", lambda r: r.first, lambda v: f"{v:.2f} s"),
        ("RSS after the first build", lambda r: r.rss_first, lambda v: f"{v / 2**20:.0f} MiB"),
        ("RSS after the edits", lambda r: r.rss_after, lambda v: f"{v / 2**20:.0f} MiB"),
    )
    for label, value, show in facts:
        cells = [label, show(value(ablog))]
        for other in others:
            cells += [show(value(other)), ratio(value(ablog), value(other))]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"- {r.name}: a new post polled in `{r.listing}`" for r in results]
    lines += [f"- load average after {r.name}: {r.load}" for r in results]
    return lines
