"""Names that share a page are one name: ``Python`` and ``python`` are one tag.

ABlog writes the archive page of a tag (or category, author, ...) at the slug of
its name, so the tags ``Python`` and ``python`` both write ``blog/tag/python.html``
and the last one written wins: a sidebar counts the posts of both, the page lists
those of one.  Once every document is read (``env-updated``), each group of names
that share a page gets one spelling, the one most posts use (on a tie, the first
in sorted order), and ABlog's posts are given it; one warning names every group.

The names each post was written with are kept (ABlog's under ``ablog_ext_written``,
ours in :class:`~.domain.PostRecord`), so the choice is made again from them on
every build: an incremental build, where most posts are not read again, chooses
as a full one would.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ablog_ext.blog.archive_names import archive_slug
from ablog_ext.blog.domain import blog_domain
from ablog_ext.reading.post_doctree import ablog_env_posts
from ablog_ext.speed.parallel import reset_blog

logger = logging.getLogger("ablog_ext.names")

#: ABlog's catalogs: its post key, the word for one name, the PostRecord key.
KINDS: dict[str, tuple[str, str | None]] = {
    "category": ("category", "categories"),
    "tags": ("tag", "tags"),
    "author": ("author", "authors"),
    "location": ("location", None),
    "language": ("language", None),
}
#: Front matter keys whose line locates a warning about each kind.
_KEYS = {
    "category": ("categories", "category"),
    "tags": ("tags", "tag"),
    "author": ("author", "authors"),
}
_WRITTEN = "ablog_ext_written"


@dataclass(frozen=True)
class Collision:
    kind: str
    page: str
    #: Spelling -> number of posts using it, most used first.
    spellings: list[tuple[str, int]]
    chosen: str
    #: ``(docname, ABlog post index)`` of the first post using another spelling.
    example: tuple[str, str]


@dataclass(frozen=True)
class NameMap:
    """The spelling each written name is shown with."""

    renames: dict[tuple[str, str], str] = field(default_factory=dict)
    collisions: list[Collision] = field(default_factory=list)

    def rename(self, kind: str, names: Iterable[str]) -> tuple[str, ...]:
        """*names* (of ABlog's catalog *kind*) with each shown spelling, once."""
        result: list[str] = []
        for name in names:
            shown = self.renames.get((kind, name), name)
            if shown not in result:
                result.append(shown)
        return tuple(result)


def written_names(info: dict[str, Any], kind: str) -> list[str]:
    """The names of *kind* an ABlog post was written with, before any renaming."""
    written = info.get(_WRITTEN)
    names = written[kind] if written is not None else info.get(kind)
    return [str(name) for name in names or [] if str(name).strip()]


def canonical_names(env: BuildEnvironment) -> NameMap:
    """The shown spelling of every name, computed once per build (until a document
    changes) from the names every post was written with."""
    return blog_domain(env).memo("names", lambda: _compute(env))


def _declared(env: BuildEnvironment, kind: str) -> dict[str, str]:
    """Names conf.py declares (``blog_authors`` ...), with the full name ABlog shows."""
    if kind not in {"author", "location", "language"}:
        return {}
    values = getattr(env.config, f"blog_{kind}s", None) or {}
    return {str(key): str(value[0]) for key, value in values.items()}


def _compute(env: BuildEnvironment) -> NameMap:
    posts = ablog_env_posts(env)
    renames: dict[tuple[str, str], str] = {}
    collisions: list[Collision] = []
    for kind, (word, _) in KINDS.items():
        declared = _declared(env, kind)
        uses: dict[str, Counter[str]] = {}
        first_use: dict[str, tuple[str, str]] = {}
        for docname in sorted(posts):
            for index, info in enumerate(posts[docname]):
                for name in dict.fromkeys(written_names(info, kind)):
                    page = archive_slug(declared.get(name, name))
                    uses.setdefault(page, Counter())[name] += 1
                    first_use.setdefault(name, (docname, str(index)))
        for page, counter in sorted(uses.items()):
            if len(counter) < 2:
                continue
            ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
            chosen = next((name for name, _ in ranked if name in declared), ranked[0][0])
            for name in counter:
                if name != chosen:
                    renames[(kind, name)] = chosen
            other = min(first_use[name] for name in counter if name != chosen)
            folder = f"{str(env.config.blog_path).strip('/')}/{word}/{page}"
            collisions.append(Collision(word, folder, ranked, chosen, other))
    return NameMap(renames, collisions)


def apply_names(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: give ABlog's posts the shown spellings, before ABlog files
    them into its archives, and warn once about the groups of names sharing a page."""
    posts = ablog_env_posts(env)
    names = canonical_names(env)
    for infos in posts.values():
        for info in infos:
            written = info.setdefault(_WRITTEN, {kind: written_names(info, kind) for kind in KINDS})
            for kind in KINDS:
                info[kind] = list(names.rename(kind, written[kind]))
    # ABlog made archives under the written names while it read the posts; the
    # archives are made again from the renamed posts when first asked for.
    reset_blog(app)
    _warn(env, names.collisions)
    return []


def _warn(env: BuildEnvironment, collisions: list[Collision]) -> None:
    """One warning for every group of names that share a page (a blog moved from
    Jekyll may have many: Jekyll keeps ``Python`` and ``python`` apart), located
    at the first group's post that uses another spelling; each group names its."""
    if not collisions:
        return
    records = blog_domain(env).posts
    groups = []
    location: tuple[str, int | None] | None = None
    for collision in collisions:
        docname, _ = collision.example
        record = records.get(docname)
        lines = record.get("lines", {}) if record is not None else {}
        keys = _KEYS.get(_kind_of(collision), ())
        line = next((lines[key] for key in keys if key in lines), None)
        location = location or (docname, line)
        described = ", ".join(
            f"{name!r} ({count} post{'' if count == 1 else 's'})"
            for name, count in collision.spellings
        )
        where = env.doc2path(docname, base=False)
        groups.append(
            f"the {collision.kind} names {described} share one page ({collision.page}.html), "
            f"which lists all their posts as {collision.chosen!r} (another spelling: "
            f"{where}{f':{line}' if line else ''})"
        )
    logger.warning(
        "%s. Write each name one way to silence this",
        "; ".join(groups),
        type="ablog_ext",
        subtype="names",
        location=location,
    )


def _kind_of(collision: Collision) -> str:
    return next(kind for kind, (word, _) in KINDS.items() if word == collision.kind)
