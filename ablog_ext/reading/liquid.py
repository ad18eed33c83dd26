"""Liquid in posts, rendered as Jekyll renders it, before MyST reads them.

:func:`render_liquid` renders a post's body (never its front matter) with
:class:`~.liquid_jekyll.JekyllLiquid`: ``page.*`` from the post, ``site.*`` from
``ablog_ext_site`` over defaults from the Sphinx configuration. Includes come
from ``ablog_ext_liquid_includes``; ``post_url`` and ``link`` give the target's
site-absolute URL, ``"/" + builder.get_target_uri(docname)``. Each problem is a
warning with the post's file and line; the post is always built.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ablog_ext.jekyll.frontmatter import (
    FILENAME_DATE,
    FrontMatterBlock,
    PostMeta,
    load_yaml,
    parse_bool,
)
from ablog_ext.jekyll.liquid import JekyllLiquid, Rendered
from ablog_ext.jekyll.liquid_filters import jsonify
from ablog_ext.jekyll.liquid_limits import limits_from
from ablog_ext.reading.environment import env_app
from ablog_ext.reading.outside import leaves, warn_left_out
from ablog_ext.state import Slot, build_state

logger = logging.getLogger("ablog_ext.liquid")



def _dated(name: str) -> tuple[str, tuple[int, int, int, str]] | None:
    """The folder, and ``(year, month, day, slug)``, of a dated post name
    (``en/2019-3-5-slug``), by Jekyll's rule (:data:`~.frontmatter.FILENAME_DATE`,
    which posts and permalinks use too)."""
    folder, _, stem = name.rpartition("/")
    match = FILENAME_DATE.match(stem)
    if match is None or not match[4]:
        return None
    return folder, (int(match[1]), int(match[2]), int(match[3]), match[4])



def site_values(config: Config) -> dict[str, object]:
    """``site.*``: ``ablog_ext_site`` over what the Sphinx configuration already says."""
    base = str(getattr(config, "blog_baseurl", "") or getattr(config, "html_baseurl", "") or "")
    parts = urlsplit(base)
    url = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    # A fixed time when the build asks for reproducible output.
    time = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch.isdigit()
        else dt.datetime.now(dt.UTC).replace(microsecond=0)
    )
    defaults: dict[str, object] = {
        "title": getattr(config, "blog_title", None) or config.project,
        "url": url,
        "baseurl": parts.path.rstrip("/") if url else "",
        "description": getattr(config, "blog_feed_subtitle", None) or "",
        "author": getattr(config, "blog_default_author", None) or config.author or "",
        "time": time,
    }
    return {**defaults, **config.ablog_ext_site}


# -- site.data -----------------------------------------------------------------------

_DATA_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".tsv")
def _data_key(name: str) -> str:
    """Jekyll's ``sanitize_filename``: what a file name becomes as a key of site.data."""
    return re.sub(r"\s+", "_", re.sub(r"[^\w\s-]+", "", name).strip())


def _read_data_file(path: Path) -> object:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in (".csv", ".tsv"):
        import csv
        import io

        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    return load_yaml(text)  # JSON is YAML too, as Jekyll reads it


class SiteData(Mapping[str, object]):
    """Liquid's ``site.data``: the data folder's files as Jekyll's ``DataReader``
    reads them (``_data/a/b.yml`` is ``site.data.a.b``), read when a post first
    asks. A file that cannot be read gets a warning and is left out."""

    def __init__(self, folder: Path | None, root: Path | None = None) -> None:
        self.folder = folder
        #: The source folder: a file or folder that leads outside it is left out.
        self.root = root
        self._data: dict[str, object] | None = None

    def paths(self) -> list[Path]:
        """The folder, its folders and its data files: what a post that uses
        site.data depends on (a folder changes when a file is added)."""
        if self.folder is None or not self.folder.is_dir():
            return []
        found = [self.folder]
        for path in sorted(self.folder.rglob("*")):
            if any(part.startswith(".") for part in path.relative_to(self.folder).parts):
                continue
            if path.is_dir() or path.suffix.lower() in _DATA_SUFFIXES:
                found.append(path)
        return found

    def _loaded(self) -> dict[str, object]:
        if self._data is None:
            self._data = self._read(self.folder) if self.folder is not None else {}
        return self._data

    def _read(self, folder: Path) -> dict[str, object]:
        data: dict[str, object] = {}
        if not folder.is_dir() or self._outside(folder):
            return data
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or self._outside(path):
                continue
            if path.is_dir():
                data[_data_key(path.name)] = self._read(path)
            elif path.suffix.lower() in _DATA_SUFFIXES:
                try:
                    data[_data_key(path.stem)] = _read_data_file(path)
                except Exception as error:  # OSError, UnicodeDecodeError, YAML's, csv's
                    self._warn(path, error)
        return data

    def _outside(self, path: Path) -> bool:
        if self.root is None or not leaves(path, self.root):
            return False
        warn_left_out(path, "(site.data) leads outside the source folder", "liquid")
        return True

    @staticmethod
    def _warn(path: Path, error: Exception) -> None:
        logger.warning(
            "site.data: %s cannot be read (%s); left out",
            path,
            " ".join(str(error).split()),
            type="ablog_ext",
            subtype="liquid",
        )

    def __getitem__(self, key: str) -> object:
        return self._loaded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

    def __str__(self) -> str:
        """``{{ site.data }}``: JSON, the same on every build."""
        return jsonify(self)

    __repr__ = __str__


#: A post's body names site.data (``site.data.x``, ``site["data"]``).
_USES_DATA = re.compile(r"""site\s*(?:\.\s*data\b|\[\s*["']data["']\s*\])""")


@dataclass
class _Site:
    """What rendering needs from the build, once per read phase."""

    builder: Builder
    engine: JekyllLiquid
    data: SiteData
    #: ``(year, month, day, slug)`` of a dated file name -> docnames.
    dated: dict[tuple[int, int, int, str], list[str]] = field(default_factory=dict)


#: The site the build's posts render with: made when the build starts reading.
_SITE: Slot[_Site] = Slot("liquid: the site")


def start_liquid_site(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    values = site_values(app.config)
    folder = str(app.config.ablog_ext_liquid_data).strip()
    data = SiteData(Path(app.srcdir, folder) if folder else None, Path(app.srcdir))
    if "data" not in values:  # ablog_ext_site's own "data" wins
        values["data"] = data
    site = _Site(app.builder, JekyllLiquid(values, limits_from(app.config)), data)
    for docname in sorted(env.found_docs):
        dated = _dated(docname)
        if dated:
            site.dated.setdefault(dated[1], []).append(docname)
    build_state(app).set(_SITE, site)


@dataclass
class _Resolver:
    """Answers the engine's questions about files and other posts, for one post."""

    env: BuildEnvironment
    site: _Site
    docname: str
    includes: Path

    def include(self, name: str, relative: bool) -> tuple[str, str] | None:
        srcdir = Path(self.env.srcdir).resolve()
        base = Path(self.env.doc2path(self.docname)).parent if relative else self.includes
        path = (base / name).resolve()
        if not path.is_relative_to(srcdir):
            return None
        # Noted even when missing, so that adding it re-reads the post.
        self.env.note_dependency(str(path))
        try:
            return str(path), path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None

    def post_url(self, name: str) -> str | None:
        dated = _dated(name)
        if not dated:
            return None
        folder, key = dated
        candidates = self.site.dated.get(key, [])
        if not candidates:
            # Jekyll finds a post by its stem whatever the file's suffix.
            stem = PurePosixPath(key[3]).stem
            candidates = self.site.dated.get((*key[:3], stem), [])
        in_folder = [doc for doc in candidates if doc.rsplit("/", 1)[0].endswith(folder)]
        chosen = (in_folder or candidates)[:1]
        return self._url(chosen[0]) if chosen else None

    def link(self, path: str) -> str | None:
        pure = PurePosixPath(path)
        if "_posts" in pure.parts:
            index = pure.parts.index("_posts")
            folder = "/".join(pure.parts[:index] + pure.parts[index + 1 : -1])
            return self.post_url(f"{folder}/{pure.stem}" if folder else pure.stem)
        parts = ["drafts", *pure.parts[1:]] if pure.parts[:1] == ("_drafts",) else pure.parts
        docname = str(PurePosixPath(*parts).with_suffix("")) if parts else ""
        if docname in self.env.found_docs:
            return self._url(docname)
        if (Path(self.env.srcdir) / path).is_file():
            return "/" + path
        return None

    def _url(self, docname: str) -> str:
        self.env.note_dependency(str(self.env.doc2path(docname)))
        return "/" + self.site.builder.get_target_uri(docname)


def wants_liquid(config: Config, data: dict[str, Any] | None) -> bool:
    """The site's ``ablog_ext_liquid``, unless the post says ``render_with_liquid``."""
    if data and "render_with_liquid" in data:
        return parse_bool(data["render_with_liquid"], "render_with_liquid", True, [])
    return bool(config.ablog_ext_liquid)


def page_values(
    env: BuildEnvironment,
    site: _Site,
    docname: str,
    data: dict[str, Any],
    meta: PostMeta,
    body: str,
) -> dict[str, object]:
    """``page.*``: the front matter, plus what Jekyll computes for a post."""
    path = PurePosixPath(Path(env.doc2path(docname)).relative_to(env.srcdir).as_posix())
    dated = _dated(docname)
    slug = dated[1][3] if dated else path.stem
    excerpt = meta.excerpt
    if excerpt is None:
        # Jekyll cuts at the separator exactly as written ("\n---\n" is not "---");
        # an empty one means no excerpt. Without the separator, the first paragraph.
        separator = meta.excerpt_separator
        head = body.lstrip("\n")
        if not separator:
            excerpt = ""
        elif separator in head:
            excerpt = head.split(separator, 1)[0]
        else:
            excerpt = head.split("\n\n", 1)[0]
    return {
        **data,
        "title": meta.title or data.get("title") or "",
        "date": meta.date,
        "url": "/" + site.builder.get_target_uri(docname),
        "path": str(path),
        "name": path.name,
        "slug": data.get("slug") or slug,
        "id": "/" + docname,
        "categories": list(meta.categories),
        "tags": list(meta.tags),
        "excerpt": excerpt.strip(),
        "collection": "posts",
    }


def render_liquid(
    document: nodes.document, text: str, block: FrontMatterBlock, meta: PostMeta
) -> tuple[str, list[int]] | None:
    """The post's text with its body rendered, and the source line of each of its
    lines; ``None`` when there is nothing to render."""
    env: BuildEnvironment = document.settings.env
    if not wants_liquid(env.config, block.data):
        return None
    lines = text.splitlines(keepends=True)
    head, body = "".join(lines[: block.body_start]), "".join(lines[block.body_start :])
    if "{%" not in body and "{{" not in body:
        return None
    app = env_app(env)
    site = build_state(app).peek(_SITE) if app is not None else None
    if site is None:  # read outside a build's read phase (a test calling the parser)
        return None
    docname = env.docname
    includes = Path(env.srcdir, env.config.ablog_ext_liquid_includes).resolve()
    resolver = _Resolver(env, site, docname, includes)
    page = page_values(env, site, docname, block.data or {}, meta, body)
    if _USES_DATA.search(body):
        for path in site.data.paths():
            env.note_dependency(str(path))
    rendered = site.engine.render(body, page, resolver, name=docname)
    _report(docname, block.body_start, rendered)
    offset = block.body_start
    mapping = list(range(1, offset + 1)) + [offset + line for line in rendered.lines]
    return head + rendered.text, mapping


def _report(docname: str, offset: int, rendered: Rendered) -> None:
    for problem in sorted(rendered.problems, key=lambda problem: problem.line):
        action = "" if rendered.rendered else "; the post's Liquid is left unrendered"
        logger.warning(
            "Liquid: %s%s",
            problem.message,
            action,
            type="ablog_ext",
            subtype="liquid",
            location=(docname, offset + problem.line),
        )
    for name, found in rendered.unknown_tags.items():
        if name.startswith("end") and name[3:] in rendered.unknown_tags:
            continue
        also = f" (also on line {', '.join(map(str, (offset + n for n in found[1:])))})"
        logger.warning(
            "Liquid: unknown tag '%s' (a Jekyll plugin's?) left out%s",
            name,
            also if found[1:] else "",
            type="ablog_ext",
            subtype="liquid",
            location=(docname, offset + found[0]),
        )




__all__ = [
    "SiteData",
    "page_values",
    "render_liquid",
    "site_values",
    "start_liquid_site",
    "wants_liquid",
]
