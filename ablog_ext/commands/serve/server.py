"""The HTTP server of ``ablog-ext serve``: the standard library's, in threads.

It serves the files under the output folder and nothing else: a path that
resolves (through ``..``, an encoded ``%2e%2e``, or a link) outside the folder is
not found.  An HTML page waits for the build under way, so nothing half written
or stale is sent, and gets the live-reload script (:mod:`~ablog_ext.commands.serve.reload`).
"""

from __future__ import annotations

import http.server
import io
import json
import os
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ablog_ext.commands.serve import reload
from ablog_ext.commands.serve.first import page_name
from ablog_ext.commands.serve.resident import ResidentSite

#: How long an events stream waits before it sends a keep-alive line.
KEEP_ALIVE_SECONDS = 15.0
#: How long a page request waits for the build under way.
BUILD_WAIT_SECONDS = 120.0
#: What a path outside the served folder is translated to: a name no build writes.
_NOWHERE = "__ablog_ext_serve_not_found__"


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: ResidentSite) -> None:
        self.site = site
        self.root = site.html.resolve()
        self.stopping = threading.Event()
        super().__init__(address, SiteHandler)

    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    server: SiteServer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(args[2].root), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == reload.EVENTS:
            self._events()
        elif path == reload.STATUS:
            self._send(json.dumps(self.server.site.status()).encode(), "application/json")
        else:
            super().do_GET()

    def translate_path(self, path: str) -> str:
        """The file *path* names under the served folder, or one that does not exist."""
        translated = Path(super().translate_path(path))
        root = self.server.root
        try:
            resolved = translated.resolve()
        except (OSError, RuntimeError):
            return os.fspath(root / _NOWHERE)
        if resolved != root and root not in resolved.parents:
            return os.fspath(root / _NOWHERE)
        # Keep a trailing slash: the parent class redirects folders without one.
        return os.fspath(resolved) + ("/" if urlsplit(path).path.endswith("/") else "")

    def send_head(self) -> Any:
        site = self.server.site
        name = page_name(urlsplit(self.path).path)
        if name is None:
            site.wait_idle(BUILD_WAIT_SECONDS)
        else:  # a page: as soon as the build under way has written it
            site.wait_for_page(name, BUILD_WAIT_SECONDS)
        path = self.translate_path(self.path)
        page = os.path.join(path, "index.html") if path.endswith("/") else path
        if not page.endswith(".html") or not os.path.isfile(page):
            site.wait_idle(BUILD_WAIT_SECONDS)
            return super().send_head()
        try:
            with open(page, "rb") as stream:
                body = stream.read()
        except OSError:
            self.send_error(404, "File not found")
            return None
        report = self.server.site.report
        body = reload.inject(body, report.generation, report.problems())
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        site = self.server.site
        query = parse_qs(urlsplit(self.path).query)
        try:
            seen = int(query.get("since", [""])[0])
        except ValueError:
            seen = site.report.generation
        opened = page_name(page) if (page := query.get("page", [""])[0]) else None
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        with site.pages_first.opened(opened):
            self._stream(seen)

    def _stream(self, seen: int) -> None:
        site = self.server.site
        try:
            self.wfile.write(reload.KEEP_ALIVE)
            self.wfile.flush()
            while not self.server.stopping.is_set():
                generation = site.wait_for_build(seen, KEEP_ALIVE_SECONDS)
                if generation == seen:
                    self.wfile.write(reload.KEEP_ALIVE)
                else:
                    seen = generation
                    self.wfile.write(reload.event("reload", str(generation)))
                self.wfile.flush()
        except OSError:  # the page went away
            return


def make_server(host: str, port: int, site: ResidentSite) -> SiteServer:
    """The server, bound (raises :class:`OSError` when the port is taken)."""
    return SiteServer((host, port), site)


def start(server: SiteServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="ablog-ext serve", daemon=True)
    thread.start()
    return thread


def stop(server: SiteServer) -> None:
    server.stopping.set()
    server.shutdown()
    server.server_close()
