"""``ablog-ext serve`` run as the user runs it: a process of its own, on a free port
of 127.0.0.1, read through a real HTTP client."""

from __future__ import annotations

import contextlib
import json
import os
import random
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from test_incremental_random import CONF, INDEX, SUMMARY, Site

from ablog_ext.commands.serve.reload import SCRIPT_ID, STATUS

from helpers import write_files

ROOT = Path(__file__).parent.parent


def serve_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "ablog_ext.cli", "serve", *args]


def serve_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def run_serve(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``ablog-ext serve ARGS`` that is expected to stop by itself (an error)."""
    return subprocess.run(
        serve_command(*args), capture_output=True, text=True, env=serve_env(), timeout=timeout
    )


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    log: Path

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=120) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def page(self, path: str) -> str:
        status, body = self.get(path)
        assert status == 200, (path, status)
        return body.decode("utf-8")

    def status(self) -> dict:
        return json.loads(self.get(STATUS)[1])

    def built_after(self, generation: int, timeout: float = 120) -> dict:
        """The status once a build after *generation* ended and the watcher is quiet
        (an edit may take two builds when its files were written apart)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if status["generation"] > generation and not status["building"]:
                time.sleep(0.6)  # more than the watcher's poll and settle time
                again = self.status()
                if again["generation"] == status["generation"] and not again["building"]:
                    return again
            else:
                time.sleep(0.05)
        raise AssertionError(f"no build after generation {generation}: {self.log.read_text()}")


@contextlib.contextmanager
def serving(srcdir: Path, *args: str, timeout: float = 180) -> Iterator[Served]:
    """``ablog-ext serve SRCDIR --port 0 ARGS`` until the block ends."""
    log = srcdir.parent / f"serve-{srcdir.name}.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            serve_command(str(srcdir), "--port", "0", *args),
            stdout=stream,
            stderr=subprocess.STDOUT,
            text=True,
            env=serve_env(),
        )
    try:
        url = _wait_for_url(process, log, timeout)
        yield Served(process, url, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_url(process: subprocess.Popen[str], log: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if "serving http://" in line:
                return line.split("serving ", 1)[1].split(" ", 1)[0]
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"ablog-ext serve did not start: {log.read_text()}")


def without_reload(page: bytes) -> bytes:
    """*page* as the build wrote it: the live-reload script the server puts before
    ``</body>`` taken out."""
    start = page.rfind(f'<script id="{SCRIPT_ID}">'.encode())
    assert start >= 0, "the page has no live-reload script"
    end = page.index(b"</script>", start) + len(b"</script>")
    return page[:start] + page[end:]


def small_site(root: Path, seed: int = 20) -> Site:
    """The random-edit tests' site (``test_incremental_random.py``): five posts."""
    srcdir = write_files(root / "site", {"conf.py": CONF, "index.md": INDEX, "summary.md": SUMMARY})
    site = Site(srcdir, random.Random(seed))
    for _ in range(5):
        post = site.new_post()
        site.posts[post.slug] = post
    site.write()
    return site
