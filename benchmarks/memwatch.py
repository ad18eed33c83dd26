"""Run a command and log, twice a second, the resident set of each process of its tree
next to the last line the command printed (Sphinx prints its phase).

    python3 benchmarks/memwatch.py LOG -- python -m sphinx -j 2 -b html SRC OUT

Used to find where a parallel build's memory goes: which process, in which phase.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from run import PAGE, _children


def tree(root: int) -> dict[int, int]:
    """RSS in MB of *root* and each descendant, by pid."""
    found: dict[int, int] = {}
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as file:
                found[pid] = int(file.read().split()[1]) * PAGE // 2**20
        except (OSError, IndexError, ValueError):
            continue
        pending += _children(pid)
    return found


def main() -> None:
    log_path = Path(sys.argv[1])
    command = sys.argv[sys.argv.index("--") + 1 :]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    last = [""]

    def read() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            last[0] = line.strip()[-100:]

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    peak = 0
    with log_path.open("w", encoding="utf-8") as log:
        while process.poll() is None:
            rss = tree(process.pid)
            total = sum(rss.values())
            peak = max(peak, total)
            each = " ".join(f"{pid}:{mb}" for pid, mb in sorted(rss.items()))
            log.write(f"{time.perf_counter() - started:7.1f}s sum {total:6d} MB | {each} | ")
            log.write(f"{last[0]}\n")
            log.flush()
            time.sleep(0.5)
    reader.join()
    print(f"exit {process.returncode}, {time.perf_counter() - started:.1f} s, peak {peak} MB")


if __name__ == "__main__":
    main()
