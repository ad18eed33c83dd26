"""ABlog's posts as it stores them, and its copy of each post, replaced by a
stand-in loaded from the pickled doctree.

ABlog's ``process_posts`` keeps a deep copy of each post in ``env.ablog_posts``:
half of the environment, and the copied document's settings link the whole
environment that read it (in a ``-j`` build, a worker's, kept alive in the
parent).  :class:`PostDoctree` takes its place (when
:data:`~ablog_ext.reaches.ablog.ABLOG_POST_DOCTREE` is on); otherwise each copy is
unlinked from the environment.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ablog_ext.reaches.ablog import ABLOG_ENV_POSTS, ABLOG_POST_DOCTREE
from ablog_ext.reaches.base import loaded_apps


def ablog_env_posts(env: Any) -> dict[str, list[dict[str, Any]]]:
    """ABlog's posts by document, where it stores them
    (:data:`~ablog_ext.reaches.ablog.ABLOG_ENV_POSTS`; empty when it keeps them
    elsewhere)."""
    posts = getattr(env, ABLOG_ENV_POSTS.attribute, None)
    return posts if isinstance(posts, dict) else {}


def has_ablog_env_posts(env: Any) -> bool:
    return isinstance(getattr(env, ABLOG_ENV_POSTS.attribute, None), dict)


def set_ablog_env_posts(env: Any, posts: dict[str, Any]) -> None:
    setattr(env, ABLOG_ENV_POSTS.attribute, posts)


def post_app(post: Any) -> Any:
    """The application an ABlog post belongs to (its ``Blog``'s)."""
    try:
        return vars(post.blog).get("app")
    except Exception:
        return None


class PostDoctree:
    """Stands in for ABlog's copy of one post: its document's name and the post's
    section (empty for a whole document).  :meth:`deepcopy` loads it from the
    doctree Sphinx pickled, so the environment holds no second copy of each post,
    and nothing that links the environment that read it.
    """

    def __init__(self, env: BuildEnvironment, docname: str, section: str) -> None:
        self.docname = docname
        self.section = section
        self._env: weakref.ref[BuildEnvironment] | None = weakref.ref(env)

    def __getstate__(self) -> dict[str, Any]:
        return {"docname": self.docname, "section": self.section}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._env = None

    def __repr__(self) -> str:
        where = f"#{self.section}" if self.section else ""
        return f"<PostDoctree {self.docname}{where}>"

    def bind(self, env: BuildEnvironment) -> None:
        self._env = weakref.ref(env)

    def _environment(self) -> BuildEnvironment:
        env = self._env() if self._env is not None else None
        if env is None:
            # Never bound in this process: the application whose posts hold this one.
            for app in loaded_apps():
                infos = ablog_env_posts(getattr(app, "env", None)).get(self.docname, [])
                if any(info.get(ABLOG_POST_DOCTREE.key) is self for info in infos):
                    env = app.env
                    self.bind(env)
                    break
        if env is None:
            raise LookupError(f"no build environment holds the post {self.docname!r}")
        return env

    def deepcopy(self) -> nodes.Element:
        """A copy of the post as ABlog would have kept it: the document, or the
        post's section."""
        doctree = self._environment().get_doctree(self.docname)
        if not self.section:
            return doctree
        section = doctree.ids.get(self.section)
        if section is None:
            raise LookupError(f"{self.docname!r} has no section {self.section!r} any more")
        copy: nodes.Element = section.deepcopy()
        return copy

    def astext(self) -> str:
        return str(self.deepcopy().astext())

    def __getattr__(self, name: str) -> Any:
        # Anything else another extension asks of ABlog's copy: from a fresh copy (slow).
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.deepcopy(), name)


def post_copy(post: Any) -> nodes.Element:
    """A copy of an ABlog post's whole text: its document, or its section."""
    app = post_app(post)
    kept = getattr(post, ABLOG_POST_DOCTREE.key, None)
    if app is not None and ABLOG_POST_DOCTREE.on(app) and isinstance(kept, PostDoctree):
        return kept.deepcopy()
    if not isinstance(getattr(app, "env", None), BuildEnvironment):
        raise LookupError(f"no build environment holds the post {post.docname!r}")
    # Without ABlog's copy (renamed, or none): from the document Sphinx pickled.
    return PostDoctree(app.env, post.docname, str(post.section or "")).deepcopy()


def _unlinked(node: nodes.Node) -> None:
    """A stored copy unlinked from its source document and the environment, as
    Sphinx's ``write_doctree`` unlinks a doctree before pickling it."""
    if isinstance(node, nodes.document):
        node.settings = node.settings.copy()
        node.settings.env = None
        node.settings.warning_stream = None
        node.settings.record_dependencies = None
        node.reporter = None
        node.transformer = None
    for each in node.findall():
        if each is not node or not isinstance(node, nodes.document):
            each.document = node if isinstance(node, nodes.document) else None


def lighten(app: Sphinx, docname: str, info: dict[str, Any]) -> None:
    """``doctree-read``: *info*'s copy replaced by a stand-in (or, when the reach
    is off, every copied document in *info* unlinked from the environment)."""
    if not ABLOG_POST_DOCTREE.on(app):
        for value in info.values():
            if isinstance(value, nodes.Node):
                _unlinked(value)
        return
    key = ABLOG_POST_DOCTREE.key
    copy = info.get(key)
    section = str(info.get("section") or "")
    if isinstance(copy, nodes.document):
        info[key] = PostDoctree(app.env, docname, "")
    elif isinstance(copy, nodes.section) and section:
        info[key] = PostDoctree(app.env, docname, section)
    elif isinstance(copy, nodes.Node):
        # A section at the top of its document: ABlog keeps only its title.
        _unlinked(copy)


def bind(env: BuildEnvironment, docnames: Iterable[str] | None = None) -> None:
    """Point the stand-ins of *env* (of *docnames*, or all) at it, after they
    were unpickled: a saved environment, or a ``-j`` worker's posts."""
    posts = ablog_env_posts(env)
    for docname in posts if docnames is None else docnames:
        for info in posts.get(docname, []):
            stand_in = info.get(ABLOG_POST_DOCTREE.key)
            if isinstance(stand_in, PostDoctree):
                stand_in.bind(env)
