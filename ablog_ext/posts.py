"""Jekyll-style MyST posts become proper ABlog posts.

Three steps, each at the only point where it can be done:

1. :class:`JekyllMystParser` reads a post's front matter (dates kept as written),
   and renders the body under a section titled by the front matter ``title``,
   shifting the body's headings so the page has exactly one ``<h1>``.
2. :class:`ApplyJekyllFrontMatter` (a transform that runs before ABlog's own
   ``CheckFrontMatter``) rewrites the docinfo fields into the shapes ABlog reads,
   and reports every value it could not use, with its file and line.
3. :func:`record_post` (``doctree-read``, after ABlog) sets the excerpt and update
   date ABlog cannot express, and records the post in :class:`~.domain.BlogDomain`.

Posts with ``published: false`` are excluded at ``config-inited``, before Sphinx
looks for documents, so they appear nowhere, drafts included.
"""

from __future__ import annotations

import dataclasses
import os
import re
import weakref
from collections.abc import Iterator
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

from ablog.post import PostList
from docutils import nodes
from myst_parser.config.main import MdParserConfig, merge_file_level
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from myst_parser.warnings_ import create_warning
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.matching import Matcher

from .domain import PostRecord, blog_domain, detach
from .frontmatter import FrontMatterBlock, PostMeta, naive, normalise, read_front_matter
from .preprocess import preprocess_post, use_source_lines

logger = logging.getLogger(__name__)

#: Python attribute set on the docutils document by the parser, read and removed
#: by the transform and ``doctree-read`` handler of the same read.
_PARSED = "ablog_ext_post"
#: Docinfo fields this module rewrites; ABlog parses ``excerpt`` and ``image``
#: as integers and crashes on Jekyll's text values, so those are removed.
_REWRITTEN_FIELDS = {"title", "date", "category", "categories", "tags", "tag", "author", "authors"}
_ABLOG_INCOMPATIBLE_FIELDS = {"excerpt", "excerpt_separator", "nocomments", "comments"}


@dataclasses.dataclass
class ParsedPost:
    """What the parser learnt about a post, for the later steps of its read."""

    meta: PostMeta
    block: FrontMatterBlock
    empty: bool = False


def warn(message: str, docname: str, line: int | None, subtype: str = "post") -> None:
    logger.warning(message, type="ablog_ext", subtype=subtype, location=(docname, line))


def is_post_docname(config: Config, docname: str) -> bool:
    return docname in (getattr(config, "matched_blog_posts", None) or ())


# -- 1. parsing --------------------------------------------------------------------------


class _PostRenderer(SphinxRenderer):
    """MyST's renderer, with the front matter title as the one top-level section."""

    def render_front_matter(self, token: Any) -> None:
        data = self.md_options.get("ablog_ext_front_matter")
        if data is not None and token.token is not None:
            # Our own read keeps dates as text: MyST's would fail on 2019-02-30.
            token.token.content = data
        super().render_front_matter(token)
        title = self.md_options.get("ablog_ext_title")
        if title and self.current_node is self.document:
            self._open_title_section(title, token)

    def _render_initialise(self) -> None:
        super()._render_initialise()
        title = self.md_options.get("ablog_ext_title")
        if title and self.md_options.get("ablog_ext_front_matter") is None:
            # No front matter to render first: the title section opens at once.
            self._open_title_section(title, None)

    def _open_title_section(self, title: str, token: Any) -> None:
        section = nodes.section()
        title_node = nodes.title(title, title)
        for node in (section, title_node):
            if token is not None:
                self.add_line_and_source_path(node, token)
            else:
                node.source, node.line = self.document["source"], 1
        section += title_node
        section["names"].append(nodes.fully_normalize_name(title))
        self.document.note_implicit_target(section, section)
        self.update_section_level_state(section, 1)
        self.current_node = section
        self.md_options["ablog_ext_title_open"] = True

    def render_heading(self, token: Any) -> None:
        if self.md_options.get("ablog_ext_title_open"):
            # The body's top heading level becomes H2, whether it starts at `#` or `##`.
            level = int(token.tag[1])
            base = self.md_options.setdefault("ablog_ext_base_level", level)
            self._heading_offset = max(2 - base, 2 - level)
        super().render_heading(token)


class JekyllMystParser(MystParser):
    """MyST's Sphinx parser, reading blog posts the way Jekyll does."""

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        block = read_front_matter(inputstring)
        data = block.data or {}
        is_post = is_post_docname(env.config, env.docname) or _truthy(data.get("blogpost"))
        if not is_post:
            super().parse(inputstring, document)
            return
        meta = normalise(data, str(env.doc2path(env.docname)))
        setattr(document, _PARSED, ParsedPost(meta, block, empty=not inputstring.strip()))

        config: MdParserConfig = env.myst_config
        if block.data:

            def myst_warning(wtype: Any, msg: str) -> None:
                create_warning(document, msg, wtype, line=1, append_to=document)

            config = merge_file_level(config, block.data, myst_warning)
        inputstring, config = preprocess_post(document, inputstring, block, meta, config)
        # We render the title ourselves, as plain text; MyST would parse it as Markdown.
        config = config.copy(title_to_header=False)
        parser = create_md_parser(config, _PostRenderer)
        use_source_lines(parser, document)
        parser.options["document"] = document
        parser.options["ablog_ext_front_matter"] = block.data
        parser.options["ablog_ext_title"] = meta.title or (
            None if _starts_with_heading(inputstring, block.body_start) else slug_title(env.docname)
        )
        if block.error:
            inputstring = _without_broken_front_matter(inputstring, block)
        parser.render(inputstring)


def slug_title(docname: str) -> str:
    """Jekyll's title for a post without one: its file name's slug, capitalised."""
    stem = docname.rsplit("/", 1)[-1]
    slug = _DATED_SLUG.sub("", stem)
    return " ".join(word.capitalize() for word in slug.split("-") if word) or stem


_DATED_SLUG = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_MYST_TARGET = re.compile(r"^\(.+\)=\s*$")


def _starts_with_heading(text: str, body_start: int) -> bool:
    """Whether the body opens with its own ``# Title``, as ABlog-style posts do."""
    for line in text.splitlines()[body_start:]:
        if not line.strip() or _MYST_TARGET.match(line):
            continue
        return line.startswith("# ") or line.rstrip() == "#"
    return False


def _truthy(value: object) -> bool:
    return value is True or str(value).strip().lower() in {"true", "yes", "on", "1"}


def _without_broken_front_matter(text: str, block: FrontMatterBlock) -> str:
    """MyST cannot render this block: blank it (line numbers unchanged) rather than
    show raw YAML, and leave an empty block to carry what was recovered."""
    lines = text.splitlines(keepends=True)
    count = block.body_start
    head = ["---\n", "---\n"] if block.data is not None and count >= 2 else []
    return "".join(head + ["\n"] * (count - len(head)) + lines[count:])


# -- 2. docinfo for ABlog ------------------------------------------------------------------


def _field(name: str, value: str) -> nodes.field:
    return nodes.field(
        "", nodes.field_name(name, name), nodes.field_body("", nodes.paragraph(value, value))
    )


def _field_name(node: nodes.Element) -> str | None:
    if isinstance(node, nodes.field):
        return node[0].astext()
    if isinstance(node, nodes.author | nodes.authors):
        return "author"
    if isinstance(node, nodes.date):
        return "date"
    return None


def _rewritten_or_unreadable_by_ablog(name: str | None, child: nodes.Element) -> bool:
    if name in _REWRITTEN_FIELDS or name in _ABLOG_INCOMPATIBLE_FIELDS:
        return True
    # ABlog reads `image` as the number of an image in the post; Jekyll's is a path.
    return name == "image" and not child[1].astext().strip().isdigit()


class ApplyJekyllFrontMatter(SphinxTransform):
    """Rewrite a post's docinfo into what ABlog's ``CheckFrontMatter`` reads."""

    # After docutils' DocInfo (340), before ABlog's CheckFrontMatter (800).
    default_priority = 700

    def apply(self, **kwargs: Any) -> None:
        parsed: ParsedPost | None = getattr(self.document, _PARSED, None)
        if parsed is None:
            return
        docname = self.env.docname
        meta, block = parsed.meta, parsed.block
        if parsed.empty:
            warn("the post is empty; it is built with its file name as its title", docname, 1)
        self._report(docname, meta, block)

        sections = [child for child in self.document if isinstance(child, nodes.section)]
        if not sections:
            warn("the post has no title: add 'title' to its front matter", docname, 1)
            return
        if not meta.published:
            # Only reached when config-inited could not read the file; keep it out of the blog.
            warn("'published: false' post was read; it is not listed as a post", docname, 1)
            self._strip_blogpost()
            return

        docinfo = next(iter(self.document.findall(nodes.docinfo)), None)
        if docinfo is None:
            docinfo = nodes.docinfo()
            self.document.insert(0, docinfo)
        for child in list(docinfo.children):
            name = _field_name(child)
            if _rewritten_or_unreadable_by_ablog(name, child):
                docinfo.remove(child)
        if meta.title:
            docinfo += _field("title", meta.title)
        if meta.date is not None:
            docinfo += _field("date", naive(meta.date).isoformat())
        if meta.categories:
            docinfo += _field("category", ", ".join(meta.categories))
        if meta.tags:
            docinfo += _field("tags", ", ".join(meta.tags))
        if meta.authors:
            docinfo += _field("author", ", ".join(meta.authors))
        if not meta.comments:
            docinfo += _field("nocomments", "")
        if "blogpost" not in {_field_name(child) for child in docinfo.children}:
            docinfo += _field("blogpost", "true")

    def _report(self, docname: str, meta: PostMeta, block: FrontMatterBlock) -> None:
        if block.error:
            warn(block.error, docname, block.error_line, "frontmatter")
        for problem in meta.problems:
            message = problem.message
            if problem.key == "date":
                message += (
                    "; using the date in the file name"
                    if meta.date_source == "file name"
                    else "; the post is a draft until it has a date"
                )
            warn(message, docname, block.key_lines.get(problem.key, 1), "frontmatter")

    def _strip_blogpost(self) -> None:
        for docinfo in self.document.findall(nodes.docinfo):
            for child in list(docinfo.children):
                if _field_name(child) == "blogpost":
                    docinfo.remove(child)
        self.env.metadata[self.env.docname]["orphan"] = True


# -- 3. after ABlog read the post ---------------------------------------------------------


def _excerpt_nodes(doctree: nodes.document, meta: PostMeta) -> list[nodes.Node] | None:
    """The excerpt Jekyll would show: the ``excerpt`` value, or the body before the
    excerpt separator; ``None`` to keep ABlog's own."""
    if meta.excerpt:
        return [nodes.paragraph(meta.excerpt, meta.excerpt)]
    separator = meta.excerpt_separator.strip()
    title_section = next((child for child in doctree if isinstance(child, nodes.section)), None)
    if title_section is None:
        return None
    before: list[nodes.Node] = []
    for child in title_section.children:
        if isinstance(child, nodes.title):
            continue
        if _is_separator(child, separator):
            return [
                node.deepcopy() for node in before if not isinstance(node, nodes.system_message)
            ]
        if isinstance(child, nodes.section):
            # Jekyll looks for the separator in the whole text; stop at the first heading
            # that has it, keeping the excerpt a lead rather than a whole section.
            for index, grandchild in enumerate(child.children):
                if _is_separator(grandchild, separator):
                    return [node.deepcopy() for node in before + child.children[:index]]
        before.append(child)
    return None


def _is_separator(node: nodes.Node, separator: str) -> bool:
    if isinstance(node, nodes.comment | nodes.raw | nodes.paragraph):
        text = node.astext().strip()
        if isinstance(node, nodes.comment):
            text = f"<!--{text}-->"
        return text == separator or (
            isinstance(node, nodes.comment)
            and re.sub(r"\s", "", text) == re.sub(r"\s", "", separator)
        )
    return False


def record_post(app: Sphinx, doctree: nodes.document) -> None:
    """Finish what ABlog read of a post, and record it for reviews, themes and feeds.

    Every ABlog post is recorded, whether written in Markdown or with ABlog's
    ``post`` directive; Jekyll metadata refines it where the parser found some.
    """
    parsed: ParsedPost | None = getattr(doctree, _PARSED, None)
    if parsed is not None:
        delattr(doctree, _PARSED)
    env = app.env
    docname = env.docname
    if next(iter(doctree.findall(PostList)), None) is not None:
        # A postlist shows other posts: rebuild the page when they change.
        blog_domain(env).add_dependent(docname)
    ablog_posts = getattr(env, "ablog_posts", {}).get(docname)
    if not ablog_posts:
        return
    info = ablog_posts[0]
    redirects: list[tuple[str, int]] = []
    date = info.get("date")
    date_text = date.isoformat() if date else None
    updated_text = None
    if parsed is not None:
        meta = parsed.meta
        excerpt = _excerpt_nodes(doctree, meta)
        if excerpt is not None:
            info["excerpt"] = excerpt
        if meta.updated is not None and date is not None:
            info["update"] = max(info["update"], naive(meta.updated))
        lines = parsed.block.key_lines
        redirects = [(path, lines.get("redirect_from", 1)) for path in meta.redirect_from]
        # The offset the author wrote, which ABlog's naive date has lost.
        if meta.date is not None and date is not None:
            date_text = meta.date.isoformat()
        updated_text = meta.updated.isoformat() if meta.updated else None
    record: PostRecord = {
        "title": info["title"],
        "date": date_text,
        "updated": updated_text,
        "categories": [str(name) for name in info.get("category") or []],
        "tags": [str(name) for name in info.get("tags") or [] if str(name).strip()],
        "authors": [str(name) for name in info.get("author") or []],
        "words": count_words(doctree),
        "redirects": redirects,
    }
    blog_domain(env).add_post(docname, record)
    # ABlog's copies would otherwise drag the whole source doctree into the pickle.
    for post in ablog_posts:
        for node in post.get("excerpt") or []:
            detach(node)
        if isinstance(post.get("doctree"), nodes.document):
            detach(post["doctree"], post["doctree"])


def count_words(doctree: nodes.document) -> int:
    """Words a reader reads: body text, without the title, docinfo and messages."""
    skip = (nodes.docinfo, nodes.system_message, nodes.comment, nodes.raw, nodes.title)
    words = 0
    for text in doctree.findall(nodes.Text):
        parent = text.parent
        if any(isinstance(ancestor, skip) for ancestor in _ancestors(parent)):
            continue
        words += len(text.split())
    return words


def _ancestors(node: nodes.Node | None) -> Iterator[nodes.Node]:
    while node is not None:
        yield node
        node = node.parent


# -- published: false ----------------------------------------------------------------------

_PUBLISHED_FALSE = re.compile(
    r"^published\s*:\s*(false|no|off|'false'|\"false\")\s*(#.*)?$", re.I | re.M
)


def exclude_unpublished(app: Sphinx, config: Config) -> None:
    """Add every Markdown file whose front matter says ``published: false`` to
    ``exclude_patterns``, as Jekyll leaves such posts out of the site entirely."""
    srcdir = Path(app.srcdir)
    suffixes = tuple(suffix for suffix, kind in config.source_suffix.items() if kind == "markdown")
    if not suffixes:
        return
    matcher = Matcher([*config.exclude_patterns, "**/.*", "_build", "**/_build"])
    excluded: list[str] = []
    for directory, subdirs, files in os.walk(srcdir):
        rel_dir = os.path.relpath(directory, srcdir)
        subdirs[:] = sorted(
            sub for sub in subdirs if not matcher(Path(rel_dir, sub).as_posix().removeprefix("./"))
        )
        for name in sorted(files):
            if not name.endswith(suffixes):
                continue
            rel = Path(rel_dir, name).as_posix().removeprefix("./")
            if not matcher(rel) and _says_unpublished(Path(directory, name)):
                excluded.append(rel)
    _UNPUBLISHED[app] = [str(Path(path).with_suffix("")) for path in excluded]
    if excluded:
        config.exclude_patterns = [*config.exclude_patterns, *map(_escape_pattern, excluded)]
        logger.info("ablog_ext: leaving out %d unpublished post(s)", len(excluded))


#: Docnames of the posts each build leaves out, for :func:`remove_unpublished_output`.
_UNPUBLISHED: weakref.WeakKeyDictionary[Sphinx, list[str]] = weakref.WeakKeyDictionary()


def remove_unpublished_output(app: Sphinx, exception: Exception | None) -> None:
    """A post switched to ``published: false`` after a build still has its page in
    the output folder (Sphinx never deletes pages); remove it, and its source copy."""
    builder = app.builder
    if exception is not None or builder.format != "html":
        return
    outdir = Path(builder.outdir).resolve()
    for docname in _UNPUBLISHED.pop(app, []):
        candidates = [outdir / builder.get_target_uri(docname)]
        candidates += (outdir / "_sources").glob(f"{glob_escape(docname)}.*")
        for path in candidates:
            target = path.resolve()
            if outdir in target.parents and target.is_file():
                target.unlink()


def _says_unpublished(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            head = stream.read(16384)
    except OSError:
        return False
    if not head.startswith(b"---"):
        return False
    text = head.decode("utf-8", errors="replace")
    end = re.search(r"^(---|\.\.\.)\s*$", text[3:], re.M)
    front = text[3 : 3 + end.start()] if end else ""
    if not _PUBLISHED_FALSE.search(front):
        return False
    block = read_front_matter(text)
    return bool(block.data) and normalise(block.data or {}, path.name).published is False


def _escape_pattern(path: str) -> str:
    return "".join(f"[{char}]" if char in "*?[]" else char for char in path)


def setup_posts(app: Sphinx) -> None:
    app.add_source_parser(JekyllMystParser, override=True)
    app.add_transform(ApplyJekyllFrontMatter)
    # After Sphinx merges the parsers' suffixes into source_suffix (priority 800).
    app.connect("config-inited", exclude_unpublished, priority=850)
    # After ABlog's process_posts (500), before Sphinx's collectors are pickled.
    app.connect("doctree-read", record_post, priority=600)
    app.connect("build-finished", remove_unpublished_output)


__all__ = ["ApplyJekyllFrontMatter", "JekyllMystParser", "setup_posts"]
