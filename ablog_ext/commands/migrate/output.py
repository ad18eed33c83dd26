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

from ablog_ext.commands.migrate import InitError
from ablog_ext.commands.migrate.layout import MANIFEST


@dataclass
class WriteResult:
    written: int = 0
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


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
    if os.path.lexists(sphinx_dir) and not sphinx_dir.is_dir():
        raise InitError(f"SPHINX_DIR {sphinx_dir} exists and is not a folder")
    if sphinx_dir.is_dir() and not force:
        try:
            empty = not any(os.scandir(sphinx_dir))
        except OSError as error:
            raise InitError(f"cannot read {sphinx_dir}: {error.strerror or error}") from None
        if not empty:
            raise InitError(
                f"SPHINX_DIR {sphinx_dir} is not empty; pass --force to write into it "
                "(files of the same name are replaced, other files are kept)"
            )


def read_manifest(sphinx_dir: Path) -> list[str]:
    """The files an earlier run wrote; [] when there is no readable manifest."""
    try:
        data = json.loads((sphinx_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return []
    return [item for item in files if isinstance(item, str) and _is_inside(item)]


def _is_inside(rel: str) -> bool:
    parts = rel.split("/")
    return bool(rel) and not rel.startswith("/") and ".." not in parts and "" not in parts


def _target(sphinx_dir: Path, rel: str) -> Path:
    """``sphinx_dir / rel``, refusing to write through a symbolic link."""
    path = sphinx_dir
    for part in rel.split("/"):
        path = path / part
        if path.is_symlink():
            raise InitError(
                f"{path} is a symbolic link; init does not write through links: remove it"
            )
        if path != sphinx_dir / rel and os.path.lexists(path) and not path.is_dir():
            raise InitError(f"{path} is a file where init needs a folder: remove it")
    return path


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
    for rel in sorted(set(previous) - set(files)):
        path = sphinx_dir / rel
        if path.is_symlink() or path.is_file():
            path.unlink()
            result.removed.append(rel)
            _remove_empty_parents(path.parent, sphinx_dir)
    manifest: dict[str, object] = {
        "written by": "ablog-ext init --from-jekyll",
        "files": sorted(files),
    }
    if missing:
        manifest["missing"] = missing
    text = json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"
    if not _same(text.encode("utf-8"), sphinx_dir / MANIFEST):
        (sphinx_dir / MANIFEST).write_text(text, encoding="utf-8")
    return result


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
