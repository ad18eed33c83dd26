"""Writing into a folder the user named, and nowhere else.

``init``, ``new`` and ``post`` write files under one folder (SPHINX_DIR, DIR, the
site).  Every path is checked here before anything is written: no ``..``, no
symbolic link on the way (a link ``posts -> /etc`` would take the file out), and
the real path is inside the folder's real path.
"""

from __future__ import annotations

import os
from pathlib import Path

from ablog_ext.commands.common import CommandError


def is_relative_inside(rel: str) -> bool:
    """Whether *rel* is a plain relative path: no ``..``, no empty part, not absolute."""
    parts = rel.split("/")
    return bool(rel) and not rel.startswith("/") and ".." not in parts and "" not in parts


def lands_inside(path: Path, root: Path) -> bool:
    """Whether *path* (its folder's links followed; *path* itself may be a link,
    which is what gets written or removed) is inside *root*."""
    real_root = os.path.realpath(root)
    real = os.path.join(os.path.realpath(path.parent), path.name)
    return path.name not in ("", ".", "..") and os.path.commonpath([real, real_root]) == real_root


def target_inside(root: Path, rel: str, command: str, root_name: str) -> Path:
    """``root / rel``, refusing a path that leaves *root* or passes through a
    symbolic link; *command* and *root_name* (``init``, ``SPHINX_DIR``) name them
    in the one-line error."""
    if not is_relative_inside(rel):
        raise CommandError(
            f"{root / rel} is not inside {root_name}; {command} writes nothing there"
        )
    path = root
    for part in rel.split("/"):
        path = path / part
        if path.is_symlink():
            raise CommandError(
                f"{path} is a symbolic link; {command} does not write through links: remove it"
            )
        if path != root / rel and os.path.lexists(path) and not path.is_dir():
            raise CommandError(f"{path} is a file where {command} needs a folder: remove it")
    if not lands_inside(path, root):
        raise CommandError(f"{path} is outside {root_name}; {command} writes nothing there")
    return path


def refuse_unusable_folder(folder: Path, label: str, force: bool, hint: str) -> None:
    """Refuse *folder* when it is a file, or holds anything and *force* is off;
    *hint* says what ``--force`` then does."""
    if os.path.lexists(folder) and not folder.is_dir():
        raise CommandError(f"{label} {folder} exists and is not a folder")
    if folder.is_dir() and not force:
        try:
            empty = not any(os.scandir(folder))
        except OSError as error:
            raise CommandError(f"cannot read {folder}: {error.strerror or error}") from None
        if not empty:
            raise CommandError(
                f"{label} {folder} is not empty; pass --force to write into it {hint}"
            )


__all__ = ["is_relative_inside", "lands_inside", "refuse_unusable_folder", "target_inside"]
