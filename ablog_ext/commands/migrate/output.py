"""Writing SPHINX_DIR: only what the plan holds, only inside SPHINX_DIR.

A manifest (``.ablog-ext-init.json``) lists every file the command wrote, so a
second run with ``--force`` removes the ones it no longer writes and never touches
a file the user added.  A file whose bytes would not change is left alone (its
modification time too, so an incremental Sphinx build stays incremental).
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ablog_ext.commands.common import listed_names
from ablog_ext.commands.files import (
    is_relative_inside,
    lands_inside,
    refuse_unusable_folder,
    target_inside,
)
from ablog_ext.commands.migrate import InitError
from ablog_ext.commands.migrate.layout import MANIFEST


@dataclass
class WriteResult:
    written: int = 0
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    #: Files of the manifest left alone: removing them would reach outside SPHINX_DIR.
    kept_outside: list[str] = field(default_factory=list)


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def check_folders(jekyll_dir: Path, sphinx_dir: Path, force: bool) -> None:
    """Refuse a SPHINX_DIR that is, holds or sits in JEKYLL_DIR, or is not empty."""
    jekyll, sphinx = _real(jekyll_dir), _real(sphinx_dir)
    if sphinx == jekyll:
        raise InitError(f"SPHINX_DIR {sphinx_dir} is JEKYLL_DIR; choose a new folder")
    if jekyll in sphinx.parents:
        raise InitError(
            f"SPHINX_DIR {sphinx_dir} is inside JEKYLL_DIR {jekyll_dir}; "
            "init never writes into the Jekyll site: choose a folder outside it"
        )
    if sphinx in jekyll.parents:
        raise InitError(
            f"SPHINX_DIR {sphinx_dir} contains JEKYLL_DIR {jekyll_dir}; choose a folder beside it"
        )
    refuse_unusable_folder(
        sphinx_dir,
        "SPHINX_DIR",
        force,
        "(files of the same name are replaced, other files are kept)",
    )


def read_manifest(sphinx_dir: Path) -> list[str]:
    """The files an earlier run wrote; [] when there is no readable manifest."""
    if (sphinx_dir / MANIFEST).is_symlink():
        raise InitError(f"{sphinx_dir / MANIFEST} is a symbolic link; init does not follow it")
    return [
        item for item in listed_names(sphinx_dir / MANIFEST, "files") if is_relative_inside(item)
    ]


def _target(sphinx_dir: Path, rel: str) -> Path:
    return target_inside(sphinx_dir, rel, "init", "SPHINX_DIR")


def write(
    files: dict[str, Path | bytes],
    sphinx_dir: Path,
    missing: dict[str, list[str]] | None = None,
) -> WriteResult:
    """Write *files*; the manifest lists them, and *missing*: per post, the links and
    images that point to nothing in the new site (the summary shows the first)."""
    result = WriteResult()
    previous = read_manifest(sphinx_dir)
    sphinx_dir.mkdir(parents=True, exist_ok=True)
    for rel in sorted(files):
        source = files[rel]
        target = _target(sphinx_dir, rel)
        if target.is_dir():
            raise InitError(f"{target} is a folder where init writes a file: remove it")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            if _same(source, target):
                result.unchanged += 1
                continue
            if isinstance(source, bytes):
                target.write_bytes(source)
            else:
                shutil.copyfile(source, target)
        except OSError as error:
            what = "write" if isinstance(source, bytes) else f"copy {source} to"
            raise InitError(f"cannot {what} {target}: {error.strerror or error}") from None
        result.written += 1
    _remove_stale(sorted(set(previous) - set(files)), sphinx_dir, result)
    manifest: dict[str, object] = {
        "written by": "ablog-ext init --from-jekyll",
        "files": sorted(files),
    }
    if missing:
        manifest["missing"] = missing
    text = json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"
    manifest_path = _target(sphinx_dir, MANIFEST)
    if not _same(text.encode("utf-8"), manifest_path):
        manifest_path.write_text(text, encoding="utf-8")
    return result


def _remove_stale(stale: list[str], sphinx_dir: Path, result: WriteResult) -> None:
    """Remove what an earlier run wrote and this one does not; a path of the
    manifest that leads out of SPHINX_DIR (through a link such as ``sub ->
    ../elsewhere``) is left alone, and listed."""
    for rel in stale:
        path = sphinx_dir / rel
        if not (path.is_symlink() or path.is_file()):
            continue
        if not lands_inside(path, sphinx_dir):
            result.kept_outside.append(rel)
            continue
        path.unlink()
        result.removed.append(rel)
        _remove_empty_parents(path.parent, sphinx_dir)


def _same(source: Path | bytes, target: Path) -> bool:
    if not target.is_file():
        return False
    if isinstance(source, bytes):
        return target.stat().st_size == len(source) and target.read_bytes() == source
    return filecmp.cmp(source, target, shallow=False)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
