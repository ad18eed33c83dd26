"""Folders of the source folder copied, as they are, to the root of the built site.

Jekyll serves a static folder such as ``assets/`` at ``/assets/``, so posts link
to ``/assets/x.png``. Sphinx's ``html_extra_path`` copies what is *inside* a
folder to the root; ``ablog_ext_root_folders`` copies the folder itself, so every
file keeps its URL. The folders are not documents: a ``.md`` file in one is
served as it is, as Jekyll serves a file without front matter.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.fileutil import copy_asset

from ablog_ext.config import root_folder_problem
from ablog_ext.pages.render import writes_html_pages
from ablog_ext.reading.outside import leaves, warn_left_out


def root_folders(config: Config, srcdir: Path) -> list[str]:
    """The configured folders, relative to *srcdir*, without those that cannot be
    used (``config.py`` warns about each, once a build)."""
    folders: list[str] = []
    for entry in config.ablog_ext_root_folders:
        if root_folder_problem(entry, srcdir) is None:
            name = str(entry).strip().strip("/")
            if name not in folders:
                folders.append(name)
    return folders


def exclude_root_folders(app: Sphinx, config: Config) -> None:
    patterns = [f"{name}/**" for name in root_folders(config, Path(app.srcdir))]
    new = [pattern for pattern in patterns if pattern not in config.exclude_patterns]
    if new:
        config.exclude_patterns = [*config.exclude_patterns, *new]


def copy_root_folders(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or not writes_html_pages(app):
        return
    srcdir, outdir = Path(app.srcdir), Path(app.outdir)
    for name in root_folders(app.config, srcdir):
        if leaves(srcdir / name, srcdir):
            warn_left_out(srcdir / name, "(a root folder) leads outside the source folder")
            continue
        # Only changed files are written again (copy_asset compares them).
        excluded = _outside(srcdir / name, srcdir)
        copy_asset(srcdir / name, outdir / name, excluded=excluded, force=True)


def _outside(folder: Path, srcdir: Path) -> Callable[[str], bool]:
    """copy_asset's ``excluded``: a file or folder that leads outside the source
    folder is not copied, and named in a warning."""

    def excluded(rel: str) -> bool:
        path = folder / rel
        if not leaves(path, srcdir):
            return False
        warn_left_out(path, "(in a root folder) leads outside the source folder")
        return True

    return excluded




__all__ = ["copy_root_folders", "exclude_root_folders", "root_folders"]
