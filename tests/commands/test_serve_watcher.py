"""Which files ``ablog-ext serve`` sees change: added, removed, modified; never its
own output, ``_build``, hidden files or backups."""

from __future__ import annotations

import os
import threading

from ablog_ext.commands.serve.watcher import Watcher

from helpers import write_files


def test_changes_are_seen_and_output_is_not(tmp_path):
    root = write_files(
        tmp_path / "site", {"conf.py": "", "posts/a.md": "a", "posts/b.md": "b", "out/x.html": ""}
    )
    watcher = Watcher(root, [root / "out"])
    assert not watcher.poll()
    write_files(root, {"posts/c.md": "c", "_build/html/y.html": "", "out/z.html": ""})
    write_files(root, {".git/index": "", "posts/.#a.md": "", "posts/a.md~": ""})
    (root / "posts" / "b.md").unlink()
    path = root / "posts" / "a.md"
    path.write_text("a longer text")
    os.utime(path, ns=(1, 1))
    changes = watcher.poll()
    assert changes.added == {"posts/c.md"}
    assert changes.removed == {"posts/b.md"}
    assert changes.modified == {"posts/a.md"}
    assert not changes.config
    (root / "conf.py").write_text("project = 'x'\n")
    assert watcher.poll().config


def test_wait_returns_the_changes_once_the_files_are_quiet(tmp_path):
    root = write_files(tmp_path / "site", {"conf.py": "", "posts/a.md": "a"})
    watcher = Watcher(root, [], interval=0.02)
    stop = threading.Event()
    timer = threading.Timer(0.1, lambda: write_files(root, {"posts/new.md": "new"}))
    timer.start()
    changes = watcher.wait(stop)
    timer.join()
    assert changes is not None and changes.added == {"posts/new.md"}
    stop.set()
    assert watcher.wait(stop) is None
