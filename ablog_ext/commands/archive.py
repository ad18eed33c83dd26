"""A ref's files, from the bytes of ``git archive``: checked, extracted, synced.

A tag is input nobody vetted: its tree can hold a symbolic link to ``/etc/passwd``
or out of the tree, which ``sphinx-build`` would follow and publish.  Every member
is checked before anything is extracted; one unsafe member refuses the whole ref
(:class:`UnsafeArchive`, with the member and the reason), and ``versions`` skips it.
"""

from __future__ import annotations

import io
import os
import shutil
import tarfile
from pathlib import Path

from ablog_ext.commands.terminal import shown


class UnsafeArchive(Exception):
    """The archive of a ref cannot be extracted safely; the message says why."""


def _member_problem(member: tarfile.TarInfo) -> str | None:
    """Why *member* is unsafe to extract, or None."""
    name = member.name
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or os.path.isabs(name):
        return "a path that leaves the tree"
    if member.issym():
        target = member.linkname
        if target.startswith(("/", "\\")) or os.path.isabs(target):
            return f"a symbolic link to an absolute path ({shown(target)})"
        inside = os.path.normpath(os.path.join(os.path.dirname(name), target))
        if inside == ".." or inside.startswith(("../", "..\\")) or os.path.isabs(inside):
            return f"a symbolic link out of the tree ({shown(target)})"
        return None
    if not (member.isfile() or member.isdir()):
        return "a hard link or special file"
    return None


def extract_archive(data: bytes, folder: Path) -> None:
    """Extract a ``git archive`` tar into *folder*, or raise :class:`UnsafeArchive`
    (nothing extracted) for any unsafe member, and for a member the file system
    refuses (a name too long)."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            members = tar.getmembers()
            for member in members:
                problem = _member_problem(member)
                if problem:
                    raise UnsafeArchive(f"unsafe archive member {shown(member.name)}: {problem}")
            # The "data" filter checks again, with the links extracted so far followed
            # (a link through another link).
            tar.extractall(folder, members=members, filter="data")
    except tarfile.FilterError as error:
        raise UnsafeArchive(f"unsafe archive member: {shown(error)}") from None
    except (tarfile.TarError, OSError, ValueError) as error:
        raise UnsafeArchive(f"the archive cannot be extracted: {shown(error)}") from None


def sync_tree(source: Path, target: Path) -> int:
    """Make *target* hold exactly *source*'s files; a file whose bytes are the same
    is left alone (its modification time too), a changed one is written now.
    Returns how many files were written or removed."""
    target.mkdir(parents=True, exist_ok=True)
    wanted: set[Path] = set()
    touched = 0
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        destination = target / relative
        if path.is_dir() and not path.is_symlink():
            if destination.is_symlink() or destination.is_file():
                destination.unlink()
            destination.mkdir(exist_ok=True)
            wanted.add(relative)
            continue
        wanted.add(relative)
        if _same_file(path, destination):
            continue
        if destination.is_dir() and not destination.is_symlink():
            shutil.rmtree(destination)
        elif destination.is_symlink() or destination.exists():
            destination.unlink()
        if path.is_symlink():
            destination.symlink_to(os.readlink(path))
        else:
            shutil.copyfile(path, destination)  # a new modification time: read again
            shutil.copymode(path, destination)
        touched += 1
    for path in sorted(target.rglob("*"), reverse=True):  # files before their folders
        if path.relative_to(target) in wanted:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        touched += 1
    return touched


def _same_file(path: Path, destination: Path) -> bool:
    if path.is_symlink() or destination.is_symlink():
        return (
            path.is_symlink()
            and destination.is_symlink()
            and os.readlink(path) == os.readlink(destination)
        )
    if not destination.is_file():
        return False
    return path.stat().st_size == destination.stat().st_size and (
        path.read_bytes() == destination.read_bytes()
    )


__all__ = ["UnsafeArchive", "extract_archive", "sync_tree"]
