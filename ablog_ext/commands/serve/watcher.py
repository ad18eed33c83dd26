"""Which files of the source folder changed: their modification times, polled.

A walk of a 1000-post site takes about 30 ms on a busy machine, so polling every tenth of a
second (up to 0.3 s when a walk takes longer, so that walking takes at most a fifth
of a core) costs little and needs no dependency (``watchfiles`` would save the walk,
not the build, which is what an author waits for).  Output folders (any
``_build``, the served folder), hidden files and folders (``.git``, an editor's
``.#lock``) and backups (``name~``) are not looked at.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from ablog_ext.commands.serve.resident import Changes

#: The longest pause between two walks, in seconds.
MAX_PAUSE = 0.3
#: (modification time in ns, size) of each file, by path relative to the root.
Stamps = dict[str, tuple[int, int]]


class Watcher:
    def __init__(self, root: Path, ignored: list[Path], interval: float = 0.1) -> None:
        self.root = root
        self.ignored = {os.path.normcase(os.fspath(path)) for path in ignored}
        self.interval = interval
        self.pause = interval
        self.stamps = self.snapshot()

    def snapshot(self) -> Stamps:
        started = time.perf_counter()
        stamps: Stamps = {}
        self._walk(os.fspath(self.root), "", stamps)
        # A big site on a busy machine is walked less often (the walks take at most a
        # fifth of a core), but a save is seen within 0.3 s.
        self.pause = min(MAX_PAUSE, max(self.interval, 5 * (time.perf_counter() - started)))
        return stamps

    def _walk(self, folder: str, prefix: str, stamps: Stamps) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:  # removed while we looked
            return
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name.endswith("~"):
                continue
            try:
                if entry.is_dir():
                    if name != "_build" and os.path.normcase(entry.path) not in self.ignored:
                        self._walk(entry.path, f"{prefix}{name}/", stamps)
                elif entry.is_file():
                    stat = entry.stat()
                    stamps[f"{prefix}{name}"] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                continue

    def poll(self) -> Changes:
        """What changed since the last poll."""
        now = self.snapshot()
        before, self.stamps = self.stamps, now
        return Changes(
            added=frozenset(now.keys() - before.keys()),
            removed=frozenset(before.keys() - now.keys()),
            modified=frozenset(
                path for path in now.keys() & before.keys() if now[path] != before[path]
            ),
        )

    def wait(self, stop: threading.Event) -> Changes | None:
        """The next changes, once the files are quiet for one poll (an editor that
        writes a file in two steps, or saves several); ``None`` once *stop* is set."""
        while not stop.wait(self.pause):
            changes = self.poll()
            if not changes:
                continue
            while not stop.wait(self.interval / 2):
                more = self.poll()
                if not more:
                    return changes
                changes = _merged(changes, more)
        return None


def _merged(first: Changes, then: Changes) -> Changes:
    """*first*, then *then* (a file removed then added again is modified)."""
    added = (first.added | then.added) - first.removed - then.removed
    removed = (first.removed | then.removed) - first.added - then.added
    return Changes(added, removed, (first.paths | then.paths) - added - removed)
