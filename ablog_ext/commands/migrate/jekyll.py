"""Reading a Jekyll site the way Jekyll reads it, without writing a byte of it.

:func:`read_site` walks the site with Jekyll's rules (``lib/jekyll/reader.rb`` and
``entry_filter.rb``): entries starting with ``.``, ``_``, ``#`` or ``~`` and backups
are skipped unless ``include`` names them, ``exclude`` patterns match as Jekyll's
``File.fnmatch`` or as a path prefix, and every ``_posts`` (and ``_drafts``) folder
in a folder Jekyll reads holds posts, whose parent folders are their categories.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from ablog_ext.commands.migrate import InitError
from ablog_ext.jekyll.frontmatter import check_aliases

#: Jekyll 4's DEFAULT_EXCLUDES, added to every site's ``exclude``.
DEFAULT_EXCLUDES = (
    ".sass-cache", ".jekyll-cache", ".ruby-lsp", "gemfiles", "Gemfile", "Gemfile.lock",
    "node_modules", "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/",
)  # fmt: skip
#: Never a source of the site, whatever ``include`` says: build output and
#: installed dependencies.
ALWAYS_SKIPPED = frozenset({"_site", "vendor", "node_modules", ".git", ".jekyll-cache"})
DEFAULT_MARKDOWN_EXT = "markdown,mkdown,mkdn,mkd,md"
CONFIG_NAMES = ("_config.yml", "_config.yaml", "_config.toml")
#: Jekyll's DATE_FILENAME_MATCHER, on a file's name.
POST_NAME = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-([^/]*)(\.[^./]+)$")
#: Jekyll's DATELESS_FILENAME_MATCHER: drafts need only a suffix.
DRAFT_NAME = re.compile(r"^(.*)(\.[^./]+)$")
_SPECIAL = (".", "_", "#", "~")
#: Why a file or folder whose real path is outside JEKYLL_DIR is left out: init reads
#: nothing outside the site, as Jekyll's safe mode does (GitHub Pages).
LINK_OUT = "not copied: a link out of the Jekyll folder"
OUTSIDE = "not read: outside the Jekyll folder"
_YAML_HEADER = re.compile(rb"^---[ \t]*\r?\n")
#: The (device, inode) of each folder above the one being read, to catch loops.
Ancestors = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class SourceFile:
    """A file of the Jekyll site."""

    rel: str  # relative to the site, with "/"
    path: Path


@dataclass(frozen=True)
class PostFile:
    """A file in a ``_posts`` or ``_drafts`` folder."""

    rel: str  # e.g. "en/news/_posts/2019-03-05-slug.md"
    path: Path
    draft: bool
    folder: str  # the folders above _posts, e.g. "en/news" ("" at the root)
    inner: str  # the path inside _posts, e.g. "2019-03-05-slug.md" or "sub/..."

    @property
    def name(self) -> str:
        return self.inner.rpartition("/")[2]


@dataclass
class JekyllSite:
    """What :func:`read_site` found."""

    root: Path
    config: dict[str, Any]
    config_file: str | None
    posts: list[PostFile] = field(default_factory=list)
    drafts: list[PostFile] = field(default_factory=list)
    post_folders: list[str] = field(default_factory=list)
    includes: list[SourceFile] = field(default_factory=list)
    #: Files Jekyll copies as they are (no front matter), outside special folders.
    static_files: list[SourceFile] = field(default_factory=list)
    #: Files with front matter outside special folders: Jekyll pages.
    pages: list[SourceFile] = field(default_factory=list)
    #: Special folders Jekyll reads for the site's machinery, by kind ("layouts",
    #: "data", "plugins", "sass", "collection docs"): the folder and its files.
    special: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    #: Paths left out while reading, with the reason.
    skipped: list[tuple[str, str]] = field(default_factory=list)


# -- _config.yml ---------------------------------------------------------------------


def is_inside(path: Path | str, real_root: str) -> bool:
    """Whether *path*, its links followed, is *real_root* or below it."""
    real = os.path.realpath(path)
    return os.path.commonpath([real, real_root]) == real_root


def load_config(root: Path) -> tuple[dict[str, Any], str | None]:
    """The site's configuration, as plain data; ``({}, None)`` when there is none.

    Raises :class:`InitError` for a file that cannot be read or is not a mapping.
    """
    for name in CONFIG_NAMES:
        path = root / name
        if not os.path.lexists(path):
            continue
        if not is_inside(path, os.path.realpath(root)):
            raise InitError(
                f"{path} is a symbolic link out of JEKYLL_DIR; init reads nothing outside "
                "the Jekyll folder: copy the file in instead of linking it"
            )
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise InitError(f"cannot read {path}: {error.strerror or error}") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InitError(
                f"{path} is not UTF-8 (byte {error.start}): Jekyll could not read it either"
            ) from None
        data = _parse_config(text, path)
        if data is None:
            return {}, name
        if not isinstance(data, dict):
            raise InitError(
                f"{path} should be a mapping of settings (key: value), not {type(data).__name__}"
            )
        return {str(key): _plain(value) for key, value in data.items()}, name
    return {}, None


def _parse_config(text: str, path: Path) -> Any:
    if path.suffix == ".toml":
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise InitError(f"{path} is not valid TOML: {error}") from None
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)  # a SafeLoader
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" in text:  # a "billion laughs" is refused before it is built
            check_aliases(node)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise InitError(f"{where}: malformed YAML: {error.problem or error}") from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
        # ValueError: a timestamp such as 2019-02-30 that PyYAML cannot build.
        raise InitError(f"{path}: malformed YAML: {error}") from None
    finally:
        loader.dispose()


def _plain(value: Any) -> Any:
    """Dates as the text Jekyll's Liquid prints; non-finite floats as text; keys as text."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def config_list(config: dict[str, Any], key: str) -> list[str]:
    """A list setting (``exclude``, ``plugins``) whatever shape it was written in."""
    value = config.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item) for item in value if item is not None]
    if isinstance(value, dict):
        return [str(item) for item in value]
    return [str(value)]


def config_dir(config: dict[str, Any], key: str, default: str) -> str:
    value = config.get(key)
    text = str(value).strip("/") if isinstance(value, str) and value.strip("/") else default
    return text


# -- Jekyll's entry filter -----------------------------------------------------------


class EntryFilter:
    """Jekyll's ``EntryFilter``: which entries of a folder the site reads."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.include = config_list(config, "include") if "include" in config else [".htaccess"]
        exclude = config_list(config, "exclude")
        exclude += [item for item in DEFAULT_EXCLUDES if item not in exclude]
        self.exclude = [item for item in exclude if item not in self.include]

    @staticmethod
    def _globbed(patterns: list[str], rel: str, is_dir: bool) -> bool:
        for pattern in patterns:
            pattern = pattern.lstrip("/")
            if not pattern:
                continue
            if fnmatchcase(rel, pattern) or rel.startswith(pattern):
                return True
            if is_dir and pattern == rel + "/":
                return True
        return False

    def keep(self, entry: str, rel: str, is_dir: bool) -> bool:
        """*entry* as the folder being read names it; *rel* relative to the site."""
        name = entry.rpartition("/")[2]
        if entry.endswith("."):
            return False
        included = self._globbed(self.include, entry, is_dir) or self._globbed(
            self.include, name, is_dir
        )
        if not included and self._globbed(self.exclude, rel, is_dir):
            return False
        if included:
            return True
        return not (entry.startswith(_SPECIAL) or name.startswith(_SPECIAL) or name.endswith("~"))


# -- walking -------------------------------------------------------------------------


class _Walker:
    """``os.walk`` that follows links to folders and stops at a loop with an error."""

    def __init__(self, site: JekyllSite) -> None:
        self.site = site
        self.real_root = os.path.realpath(site.root)

    def leaves_root(self, path: Path, rel: str, checked: bool = False) -> bool:
        """Whether *path* is a link out of the site (noted in the summary).  A path
        met while walking needs a look only when it is a link: its folder was
        checked; *checked* False looks at every part (``includes_dir: ../x``)."""
        if checked and not os.path.islink(path):
            return False
        if is_inside(path, self.real_root):
            return False
        self.site.skipped.append((rel, OUTSIDE if ".." in rel.split("/") else LINK_OUT))
        return True

    def listdir(self, path: Path, rel: str) -> list[str]:
        try:
            return sorted(os.listdir(path))
        except OSError as error:
            if not rel:
                raise InitError(f"cannot read {path}: {error.strerror or error}") from None
            self.site.skipped.append((rel, f"cannot read the folder: {error.strerror or error}"))
            return []

    def kept(self, child: Path, entry: str, rel: str, keep: Any) -> tuple[bool, bool]:
        """Whether *child* is read (*keep* takes it, and it is no link out of the
        site), and whether it is a folder."""
        is_dir = child.is_dir()
        if not keep(entry, rel, is_dir):
            return False, is_dir
        if (is_dir or child.is_file()) and self.leaves_root(child, rel, checked=True):
            return False, is_dir
        return True, is_dir

    def enter(self, path: Path, rel: str, ancestors: Ancestors) -> Ancestors:
        try:
            info = path.stat()
        except OSError as error:
            raise InitError(f"cannot read {path}: {error.strerror or error}") from None
        key = (info.st_dev, info.st_ino)
        if key in ancestors:
            raise InitError(
                f"{path} is a symbolic link loop (it leads back to a folder that contains it); "
                "remove the link or add it to 'exclude' in _config.yml"
            )
        return (*ancestors, key)

    def files(
        self, path: Path, rel: str, ancestors: Ancestors, keep: Any
    ) -> Iterator[tuple[str, Path]]:
        """Every file below *path* (paths relative to it), depth first, sorted."""
        ancestors = self.enter(path, rel, ancestors)
        yield from self._files(path, rel, "", ancestors, keep)

    def _files(
        self, path: Path, rel: str, inner: str, ancestors: Ancestors, keep: Any
    ) -> Iterator[tuple[str, Path]]:
        for name in self.listdir(path, rel):
            child, child_inner = path / name, f"{inner}{name}"
            child_rel = f"{rel}/{name}" if rel else name
            wanted, is_dir = self.kept(child, child_inner, child_rel, keep)
            if not wanted:
                continue
            if is_dir:
                sub = self.enter(child, child_rel, ancestors)
                yield from self._files(child, child_rel, child_inner + "/", sub, keep)
            elif child.is_file():
                yield child_inner, child
            elif os.path.islink(child):
                self.site.skipped.append((child_rel, "a symbolic link to nothing"))


def _visible(entry: str, rel: str, is_dir: bool) -> bool:
    return not any(part.startswith(".") for part in entry.split("/"))


def has_yaml_header(path: Path) -> bool:
    """Jekyll's ``Utils.has_yaml_header?``: a file that starts with ``---``."""
    try:
        with path.open("rb") as stream:
            return bool(_YAML_HEADER.match(stream.readline(1024)))
    except OSError:
        return False


def read_site(root: Path) -> JekyllSite:
    """Read the site at *root*; raise :class:`InitError` if it is not one."""
    if not root.exists():
        raise InitError(f"JEKYLL_DIR {root} does not exist")
    if not root.is_dir():
        raise InitError(f"JEKYLL_DIR {root} is not a folder")
    config, config_file = load_config(root)
    site = JekyllSite(root=root, config=config, config_file=config_file)
    entry_filter = EntryFilter(config)
    walker = _Walker(site)
    collections_dir = config_dir(config, "collections_dir", "")
    specials = {
        config_dir(config, "includes_dir", "_includes"): "includes",
        config_dir(config, "layouts_dir", "_layouts"): "layouts",
        config_dir(config, "data_dir", "_data"): "data",
        config_dir(config, "plugins_dir", "_plugins"): "plugins",
        _sass_dir(config): "sass",
    }
    for name in collection_names(config):
        specials[f"{collections_dir}/_{name}".lstrip("/")] = f"collection {name}"

    def keep(entry: str, rel: str, is_dir: bool) -> bool:
        return entry.rpartition("/")[2] not in ALWAYS_SKIPPED and entry_filter.keep(
            entry, rel, is_dir
        )

    def visit(path: Path, rel: str, ancestors: Ancestors) -> None:
        ancestors = walker.enter(path, rel, ancestors)
        in_collections = not collections_dir or rel == collections_dir
        for magic, draft in (("_posts", False), ("_drafts", True)):
            folder = path / magic
            folder_rel = f"{rel}/{magic}" if rel else magic
            if (
                in_collections
                and folder.is_dir()
                and not walker.leaves_root(folder, folder_rel, checked=True)
            ):
                _read_posts(site, walker, folder, rel, magic, draft, ancestors, entry_filter)
        for name in walker.listdir(path, rel):
            child = path / name
            child_rel = f"{rel}/{name}" if rel else name
            wanted, is_dir = walker.kept(child, name, child_rel, keep)
            if not wanted:
                continue
            if is_dir:
                visit(child, child_rel, ancestors)
            elif child.is_file():
                target = site.pages if has_yaml_header(child) else site.static_files
                target.append(SourceFile(child_rel, child))
            elif os.path.islink(child):
                site.skipped.append((child_rel, "a symbolic link to nothing"))

    visit(root, "", ())
    root_key = walker.enter(root, "", ())
    for rel, kind in sorted(specials.items()):
        folder = root / rel
        if not folder.is_dir() or walker.leaves_root(folder, rel):
            continue
        found = [inner for inner, _path in walker.files(folder, rel, root_key, _visible)]
        if kind == "includes":
            site.includes = [SourceFile(f"{rel}/{inner}", folder / inner) for inner in found]
        else:
            site.special[kind] = (f"{rel}/", found)
    if not site.post_folders:
        where = f" inside {collections_dir}/" if collections_dir else ""
        raise InitError(
            f"JEKYLL_DIR {root} has no _posts folder{where}: is it the root of a Jekyll site "
            "(the folder that holds _config.yml and _posts)?"
        )
    return site


def _read_posts(
    site: JekyllSite,
    walker: _Walker,
    folder: Path,
    rel: str,
    magic: str,
    draft: bool,
    ancestors: Ancestors,
    entry_filter: EntryFilter,
) -> None:
    """The files of one ``_posts`` or ``_drafts`` folder (Jekyll's ``get_entries``)."""
    base = f"{rel}/{magic}" if rel else magic

    def keep(entry: str, entry_rel: str, is_dir: bool) -> bool:
        return _visible(entry, entry_rel, is_dir) and entry_filter.keep(entry, entry_rel, is_dir)

    found = [
        PostFile(f"{base}/{inner}", path, draft, rel, inner)
        for inner, path in walker.files(folder, base, ancestors, keep)
    ]
    (site.drafts if draft else site.posts).extend(found)
    if not draft:
        site.post_folders.append(rel)


def collection_names(config: dict[str, Any]) -> list[str]:
    """The site's collections other than posts."""
    return [name for name in config_list(config, "collections") if name != "posts"]


def _sass_dir(config: dict[str, Any]) -> str:
    sass = config.get("sass")
    if isinstance(sass, dict) and isinstance(sass.get("sass_dir"), str):
        return sass["sass_dir"].strip("/") or "_sass"
    return "_sass"


def markdown_suffixes(config: dict[str, Any]) -> list[str]:
    """Jekyll's ``markdown_ext`` as suffixes: ``[".markdown", ..., ".md"]``."""
    value = config.get("markdown_ext", DEFAULT_MARKDOWN_EXT)
    items = value if isinstance(value, list) else str(value).split(",")
    suffixes: list[str] = []
    for item in items:
        text = str(item).strip().lstrip(".").lower()
        if text and f".{text}" not in suffixes:
            suffixes.append(f".{text}")
    return suffixes or [f".{ext}" for ext in DEFAULT_MARKDOWN_EXT.split(",")]
