"""The source folder's edge: nothing outside it is read into the output.

A symbolic link whose target leaves the source folder (a post, a folder of
posts, a data file, a file of a root folder) is not followed: the build leaves
it out and names it in a warning. Links that stay inside keep working. A source
file whose name holds a control character (a newline) cannot be a page; it is
left out with a warning too, rather than reported as published.

:func:`leaves` is the one test, used by ``site.data`` and the root folders too.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.matching import Matcher

logger = logging.getLogger("ablog_ext.outside")

#: C0 and C1 control characters and DEL: no page or URL can carry them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: What Sphinx never reads, besides exclude_patterns.
_NEVER_READ = ["**/.*", "_build", "**/_build", "**/_sources"]


def leaves(path: Path, root: Path) -> bool:
    """Whether *path*, links followed, is outside *root* (or cannot be resolved,
    as a link loop)."""
    try:
        return not path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):
        return True


def escaped(name: str) -> str:
    """*name* with its control characters shown as escapes, for a warning."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match[0]):02x}", name)


def warn_left_out(path: Path, reason: str, subtype: str = "source") -> None:
    logger.warning(
        "%s %s; left out",
        escaped(path.name),
        reason,
        type="ablog_ext",
        subtype=subtype,
        location=f"{escaped(str(path))}:1",
    )


def unusable_files(srcdir: Path, excluded: Matcher) -> dict[str, str]:
    """Each entry under *srcdir* (relative, ``/``) that the build must not read,
    with the reason: links that leave the folder, names with control characters.
    Links are not followed here; one that stays inside is read where it points."""
    found: dict[str, str] = {}
    pending = [""]
    while pending:
        rel_dir = pending.pop()
        try:
            entries = sorted(os.scandir(srcdir / rel_dir), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if excluded(rel):
                continue
            if entry.is_symlink() and leaves(Path(entry.path), srcdir):
                found[rel] = "is a symbolic link that leads outside the source folder"
            elif _CONTROL.search(entry.name):
                found[rel] = "has a control character in its name (no page can): not published"
            elif entry.is_dir(follow_symlinks=False):
                pending.append(rel)
    return dict(sorted(found.items()))


def _is_data(rel: str) -> bool:
    name = rel.rpartition("/")[2]
    return "." not in name or name.lower().endswith((".yaml", ".yml", ".json", ".csv", ".tsv"))


def is_left_out(path: Path, srcdir: Path) -> bool:
    """Whether the scan leaves *path* out (for those who look at files again)."""
    relative = os.path.relpath(path, srcdir)
    return bool(_CONTROL.search(relative)) or leaves(path, srcdir)


def _pattern(rel: str) -> str:
    return "".join(f"[{char}]" if char in "*?[]" else char for char in rel)


def exclude_unusable_files(app: Sphinx, config: Config) -> None:
    """Before any other look at the source folder: each unusable entry (and what is
    under a folder) is excluded, and named in a warning."""
    srcdir = Path(app.srcdir)
    excluded = Matcher([*config.exclude_patterns, *config.templates_path, *_NEVER_READ])
    unusable = unusable_files(srcdir, excluded)
    data = str(config.ablog_ext_liquid_data).strip().strip("/")
    for rel, reason in unusable.items():
        # site.data names what it leaves out when a post reads it.
        if not (data and rel.startswith(f"{data}/") and _is_data(rel)):
            warn_left_out(srcdir / rel, reason)
    if unusable:
        patterns = [p for rel in unusable for p in (_pattern(rel), f"{_pattern(rel)}/**")]
        config.exclude_patterns = [*config.exclude_patterns, *patterns]


__all__ = [
    "escaped",
    "exclude_unusable_files",
    "is_left_out",
    "leaves",
    "unusable_files",
    "warn_left_out",
]
