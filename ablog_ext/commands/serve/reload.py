"""Live reload: a small script put into every HTML page the server sends, and the
Server-Sent Events stream it listens to.

The page is served with the generation of the build that wrote it; its script
opens ``/__ablog_ext__/events?since=N&page=PATH``, which sends ``reload`` as soon as a build
with another generation ends (at once, when one ended while the page loaded), and
the page reloads.  ``EventSource`` reconnects by itself when the server restarts.
The problems of the last build (its warnings, or the error that stopped it) are
shown over the page, escaped, until a build without them.
"""

from __future__ import annotations

import html
import json

#: Where the server answers for itself; no page of a site is served there.
PREFIX = "/__ablog_ext__/"
EVENTS = PREFIX + "events"
STATUS = PREFIX + "status"
#: The id of the script and of the overlay (tests look for them).
SCRIPT_ID = "ablog-ext-serve"
OVERLAY_ID = "ablog-ext-serve-problems"

_SCRIPT = """<script id="%(id)s">(function () {
  var source = new EventSource(%(url)s + "&page=" + encodeURIComponent(location.pathname));
  source.addEventListener("reload", function () { source.close(); location.reload(); });
})();</script>"""

_OVERLAY = """<div id="%(id)s" role="alert" style="position:fixed;left:0;right:0;bottom:0;\
z-index:99999;max-height:40vh;overflow:auto;margin:0;padding:0.75em 1em;\
background:#fff3f3;color:#7a0000;border-top:3px solid #c00;font:13px/1.4 monospace;\
white-space:pre-wrap">\
<strong>ablog-ext serve: %(count)s in the last build</strong>
%(lines)s</div>"""


def snippet(generation: int, problems: list[str]) -> str:
    """What goes before ``</body>`` in each page served after build *generation*."""
    url = json.dumps(f"{EVENTS}?since={generation}")
    text = _SCRIPT % {"id": SCRIPT_ID, "url": url}
    if problems:
        count = f"{len(problems)} problem" + ("s" if len(problems) != 1 else "")
        lines = "\n".join(html.escape(line) for line in problems)
        text = _OVERLAY % {"id": OVERLAY_ID, "count": count, "lines": lines} + text
    return text


def inject(page: bytes, generation: int, problems: list[str]) -> bytes:
    """*page* with the :func:`snippet` before its last ``</body>`` (at its end when
    it has none)."""
    added = snippet(generation, problems).encode("utf-8")
    where = page.lower().rfind(b"</body>")
    if where < 0:
        return page + added
    return page[:where] + added + page[where:]


def event(name: str, data: str) -> bytes:
    """One Server-Sent Event."""
    return f"event: {name}\ndata: {data}\n\n".encode()


#: Sent while nothing happens, so a closed connection is noticed.
KEEP_ALIVE = b": keep-alive\n\n"
