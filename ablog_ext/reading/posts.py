"""Jekyll-style MyST posts become proper ABlog posts.

Three steps, each at the only point where it can be done:

1. :class:`JekyllMystParser` reads a post's front matter (dates kept as written,
   or given in the site's time zone), and renders the body under a section titled
   by the front matter ``title`` (else a leading ``# Title`` is the title, else the
   file name's), shifting the body's headings so the page has exactly one ``<h1>``;
   it marks where the excerpt ends (:mod:`.excerpts`).
2. :class:`ApplyJekyllFrontMatter` (a transform that runs before ABlog's own
   ``CheckFrontMatter``) rewrites the docinfo fields into the shapes ABlog reads,
   and reports every value it could not use, with its file and line.
3. :func:`record_post` (``doctree-read``, after ABlog) sets the excerpt and update
   date ABlog cannot express, and records the post in :class:`~.domain.BlogDomain`.

Which files are posts at all (suffixes, ``published: false``, future dates) is
decided before Sphinx looks for documents, in :mod:`.postfiles`.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from ablog.post import PostList, PostNode
from docutils import nodes
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from ablog_ext.blog.domain import PostRecord, blog_domain, detach
from ablog_ext.blog.queries import post_zone
from ablog_ext.blog.series import SeriesMark, read_series
from ablog_ext.config import pattern_prefix, post_patterns
from ablog_ext.jekyll.frontmatter import (
    FILENAME_DATE,
    FrontMatterBlock,
    PostMeta,
    delimiters_for_myst,
    naive,
    normalise,
    read_front_matter,
)
from ablog_ext.reading.environment import env_app
from ablog_ext.reading.excerpts import (
    Cut,
    absolute_doc_targets,
    excerpt_before,
    find_separator,
    is_mark,
    mark_cut,
    safe_excerpt,
)
from ablog_ext.reading.matched import is_post_docname
from ablog_ext.reading.myst_post import myst_config as site_myst_config
from ablog_ext.reading.myst_post import myst_file_config, render_myst_post
from ablog_ext.reading.notebooks import first_paragraphs
from ablog_ext.reading.parsed import (
    ParsedPost,
    attach_parsed_post,
    detach_parsed_post,
    parsed_post,
)
from ablog_ext.reading.post_doctree import ablog_env_posts, lighten
from ablog_ext.reading.preprocess import preprocess_post
from ablog_ext.reading.preview import draft_reason, hidden_reason, mark_draft, showing_drafts
from ablog_ext.state import Slot, build_state

logger = logging.getLogger("ablog_ext.posts")

#: Docinfo fields this module rewrites; ABlog parses ``excerpt`` and ``image``
#: as integers and crashes on Jekyll's text values, so those are removed.
_REWRITTEN_FIELDS = {"title", "date", "category", "categories", "tags", "tag", "author", "authors"}
_ABLOG_INCOMPATIBLE_FIELDS = {"excerpt", "excerpt_separator", "nocomments", "comments"}


def warn(message: str, docname: str, line: int | None, subtype: str = "post") -> None:
    logger.warning(message, type="ablog_ext", subtype=subtype, location=(docname, line))


#: The front matter read so far in this build, by YAML text: each post's is parsed
#: once, whoever reads it first (the scan of the posts at ``config-inited``, or the
#: parser); dropped at ``env-updated``, once every post is read.  The blocks are
#: shared: never change them.
_FRONT_MATTER_BLOCKS: Slot[dict[str, FrontMatterBlock]] = Slot(
    "posts: front matter read so far", lambda app: {}
)


def front_matter_blocks(app: Sphinx) -> dict[str, FrontMatterBlock]:
    """For :func:`~.jekyll.frontmatter.read_front_matter`: the front matter this
    build read so far."""
    return build_state(app).get(_FRONT_MATTER_BLOCKS)


# -- 1. parsing --------------------------------------------------------------------------


class JekyllMystParser(MystParser):
    """MyST's Sphinx parser, reading blog posts the way Jekyll does."""

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        app = env_app(env)
        block = read_front_matter(inputstring, front_matter_blocks(app) if app else None)
        data = block.data or {}
        if not is_post_document(env, data):
            super().parse(inputstring, document)
            return
        meta, draft = read_post_meta(env, data)
        parsed = ParsedPost(meta, block, empty=not inputstring.strip(), draft=draft)
        attach_parsed_post(document, parsed)

        myst_config: MdParserConfig = myst_file_config(document, site_myst_config(env), block.data)
        inputstring, myst_config, lines = preprocess_post(
            document, inputstring, block, meta, myst_config
        )
        title = meta.title
        opening = opening_heading(inputstring, block.body_start)
        if title is not None and opening is not None and opening.split() == title.split():
            # The body opens with the title itself: one title, as plain ABlog shows it
            # (two would be a page heading twice, and the same name twice).
            title = None
        elif title is None and opening is None:
            title = slug_title(env.docname)
        if block.error:
            inputstring = _without_broken_front_matter(inputstring, block)
        else:
            inputstring = delimiters_for_myst(inputstring, block)

        def find_cut(text: str, tokens: list[Any], md: Any) -> Cut | None:
            if meta.excerpt is not None:
                return None
            return find_separator(text, tokens, md, meta.excerpt_separator, block.body_start)

        # Liquid or kramdown moved lines: nodes get the author's, and so does the cut.
        cut = render_myst_post(
            document,
            inputstring,
            myst_config,
            front_matter=block.data,
            title=title,
            find_cut=find_cut,
            lines=lines,
            parse=lambda text, doc: super(JekyllMystParser, self).parse(text, doc),
        )
        if lines is not None:
            cut = cut and cut.on_lines(lines)
        if cut is not None:
            mark_cut(document, cut)


def slug_title(docname: str) -> str:
    """Jekyll's title for a post without one: its file name's slug (without the
    date, and trailing dots), each word capitalised."""
    stem = docname.rsplit("/", 1)[-1]
    match = FILENAME_DATE.match(stem)
    slug = (match[4] if match else stem).rstrip(".")
    return " ".join(word.capitalize() for word in slug.split("-") if word) or stem


_MYST_TARGET = re.compile(r"^\(.+\)=\s*$")
_ATX_H1 = re.compile(r"^ {0,3}#(?:[ \t]|$)")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")


def starts_with_heading(text: str, body_start: int) -> bool:
    """Whether the body opens with a level-one heading (``# Title``, or a title
    underlined with ``===``), which is then the post's title, as GitHub Pages'
    jekyll-titles-from-headings makes it."""
    return opening_heading(text, body_start) is not None


def opening_heading(text: str, body_start: int) -> str | None:
    """The text of the level-one heading the body opens with, if it does."""
    lines = text.splitlines()[body_start:]
    for index, line in enumerate(lines):
        if not line.strip() or _MYST_TARGET.match(line):
            continue
        if _ATX_H1.match(line):
            return re.sub(r"(?:^|[ \t])#+[ \t]*$", "", line.strip()[1:]).strip()
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _SETEXT_H1.match(following) and not line.startswith(("    ", "\t")):
            return line.strip()
        return None
    return None


def glob_pattern(pattern: str) -> re.Pattern[str]:
    """*pattern* as :mod:`glob` reads it with ``recursive=True`` (ABlog's reading of
    ``blog_post_pattern``): ``*`` within a folder, ``**/`` any folders, none too.
    (:func:`re.compile` keeps what it compiled: the few patterns are compiled once.)"""
    result, index = "", 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            result, index = result + "(?:[^/]*/)*", index + 3
        elif pattern.startswith("**", index):
            result, index = result + ".*", index + 2
        elif pattern[index] == "*":
            result, index = result + "[^/]*", index + 1
        elif pattern[index] == "?":
            result, index = result + "[^/]", index + 1
        elif pattern[index] == "[" and (close := pattern.find("]", index + 2)) > 0:
            body = pattern[index + 1 : close].replace("\\", "\\\\")
            body = "^" + body[1:] if body.startswith("!") else body
            result, index = result + f"[{body}]", close + 1
        else:
            result, index = result + re.escape(pattern[index]), index + 1
    return re.compile(result + r"\Z")


def matches(patterns: Any, docname: str, path: str) -> bool:
    """Whether a document (its name, or its source path relative to the source
    folder) matches one of the glob *patterns*."""
    if isinstance(patterns, str):
        patterns = [patterns]
    return any(
        glob_pattern(str(p)).match(docname) or glob_pattern(str(p)).match(path)
        for p in patterns or []
    )


def is_draft(config: Config, docname: str, path: str) -> bool:
    """Whether a post is one of ``ablog_ext_drafts`` (Jekyll's ``_drafts``)."""
    return matches(config.ablog_ext_drafts, docname, path)


def folder_categories(config: Config, docname: str, path: str) -> list[str]:
    """With ``ablog_ext_folder_categories``, the folders between the fixed start of
    the ``blog_post_pattern`` that matches a post and the post: Jekyll's
    categories from ``en/news/_posts/``."""
    if not config.ablog_ext_folder_categories:
        return []
    for pattern in post_patterns(config):
        if not matches(pattern, docname, path):
            continue
        folder = pattern_prefix(pattern)
        parts = PurePosixPath(path).parts[:-1]
        prefix = PurePosixPath(folder).parts if folder else ()
        if parts[: len(prefix)] == prefix:
            return list(parts[len(prefix) :])
    return []


def source_path(env: Any, docname: str) -> str:
    """*docname*'s source file, relative to the source folder, with ``/``."""
    return PurePosixPath(Path(env.doc2path(docname, False))).as_posix()


def truthy(value: object) -> bool:
    """A front matter flag such as ``blogpost`` as YAML or text writes it."""
    return value is True or str(value).strip().lower() in {"true", "yes", "on", "1"}


def is_post_document(env: Any, data: dict[str, Any]) -> bool:
    """Whether the document being read, with front matter *data*, is a post."""
    return is_post_docname(env.config, env.docname) or truthy(data.get("blogpost"))


def read_post_meta(env: Any, data: dict[str, Any]) -> tuple[PostMeta, bool]:
    """The post's front matter *data* normalised with the site's settings, and
    whether it is read as a draft (in a preview, so is a post a build would not
    publish). One reading for Markdown posts and notebooks."""
    config, docname = env.config, env.docname
    path = source_path(env, docname)
    meta = normalise(
        data,
        str(env.doc2path(docname)),
        zone=post_zone(config),
        folder_categories=folder_categories(config, docname, path),
        excerpt_separator=config.ablog_ext_excerpt_separator,
        space_separated_tags=config.ablog_ext_space_separated_tags,
    )
    draft = is_draft(config, docname, path) or hidden_reason(config, meta) is not None
    return meta, draft


def _without_broken_front_matter(text: str, block: FrontMatterBlock) -> str:
    """MyST cannot render this block: blank it (line numbers unchanged) rather than
    show raw YAML, and leave an empty block to carry what was recovered."""
    lines = text.splitlines(keepends=True)
    count = block.body_start
    head = ["---\n", "---\n"] if block.data is not None and count >= 2 else []
    return "".join(head + ["\n"] * (count - len(head)) + lines[count:])


# -- 2. docinfo for ABlog ------------------------------------------------------------------


def _field(name: str, value: str, smartquotes: bool = True) -> nodes.field:
    body = nodes.field_body("", nodes.paragraph(value, value))
    if not smartquotes:
        # Names (April's Fools) are keys of archive pages, as written, as in Jekyll.
        body["support_smartquotes"] = False
    return nodes.field("", nodes.field_name(name, name), body)


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
        parsed = parsed_post(self.document)
        if parsed is None:
            return
        docname = self.env.docname
        meta, block = parsed.meta, parsed.block
        if parsed.empty:
            warn("the post is empty; it is built with its file name as its title", docname, 1)
        self._report(docname, meta, block)
        if not block.data and self.document.next_node(PostNode) is not None:
            # ABlog's `post` directive made it a post, and there is no front matter:
            # ABlog reads nothing more (a docinfo would give it a second, undated post).
            return

        sections = [child for child in self.document if isinstance(child, nodes.section)]
        if not sections:
            warn("the post has no title: add 'title' to its front matter", docname, 1)
            return
        reason = draft_reason(self.config, meta, parsed.draft)
        if reason is not None:
            mark_draft(sections[0], reason)
        if not meta.published and not showing_drafts(self.config):
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
        if meta.date is not None and not parsed.draft:
            # ABlog's date is the wall clock (in the site's zone when it is set).
            docinfo += _field("date", naive(meta.date).isoformat())
        if meta.categories:
            docinfo += _field("category", ", ".join(meta.categories), smartquotes=False)
        if meta.tags:
            docinfo += _field("tags", ", ".join(meta.tags), smartquotes=False)
        if meta.authors:
            docinfo += _field("author", ", ".join(meta.authors), smartquotes=False)
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
                message += _date_outcome(meta)
            warn(message, docname, block.key_lines.get(problem.key, 1), "frontmatter")
        if block.data and "redirect_to" in block.data:
            line = block.key_lines.get("redirect_to", 1)
            warn(REDIRECT_TO_IGNORED, docname, line, "redirect")

    def _strip_blogpost(self) -> None:
        for docinfo in self.document.findall(nodes.docinfo):
            for child in list(docinfo.children):
                if _field_name(child) == "blogpost":
                    docinfo.remove(child)
        self.env.metadata[self.env.docname]["orphan"] = True


#: Why ``redirect_to`` is not followed (jekyll-redirect-from turns the post's page
#: into a redirect): a post that only sends readers elsewhere would still be in the
#: feeds and archives, and a post nobody vetted could make the site's URLs lead anywhere.
REDIRECT_TO_IGNORED = (
    "'redirect_to' is not supported: the post is built as an ordinary page; "
    "put the link in its text, or redirect with the web server"
)


def _date_outcome(meta: PostMeta) -> str:
    """What a problem with ``date`` means for the post: one rule, that the feeds
    and archives follow too (a post with a date is published by it)."""
    if meta.date_source == "file name":
        return "; using the date in the file name"
    if meta.date is not None:
        return "; using it as written, without its offset (the post is published by that date)"
    return "; the post is a draft until it has a date"


# -- 3. after ABlog read the post ---------------------------------------------------------


def _series(parsed: ParsedPost, docname: str) -> SeriesMark:
    """The post's ``series`` and ``series_order``, each problem reported at its line."""
    mark = read_series(parsed.block.data or {})
    for key, message in mark.problems:
        warn(message, docname, parsed.block.key_lines.get(key, 1), "frontmatter")
    return mark


def _image(parsed: ParsedPost, docname: str) -> str | None:
    """The post's front matter ``image``, for link previews; one that is not a URL
    (``http://[x``) is reported at its line and left out."""
    image = jekyll_image(parsed.block.data)
    if image is None:
        return None
    try:
        urlsplit(image)
    except ValueError as error:
        line = parsed.block.key_lines.get("image", 1)
        warn(
            f"'image' is not a URL a link preview can use ({error}): {image!r}",
            docname,
            line,
            "frontmatter",
        )
        return None
    return image


def record_post(app: Sphinx, doctree: nodes.document) -> None:
    """Finish what ABlog read of a post, and record it for reviews, themes and feeds.

    Every ABlog post is recorded, whether written in Markdown or with ABlog's
    ``post`` directive; Jekyll metadata refines it where the parser found some.
    """
    parsed = detach_parsed_post(doctree)
    env = app.env
    docname = env.docname
    ablog_posts = ablog_env_posts(env).get(docname)
    # One walk over a post finds what the steps below need.
    survey = _survey(doctree) if ablog_posts else None
    if survey.postlist if survey else list(doctree.findall(PostList)):
        # A postlist shows other posts: rebuild the page when they change.
        blog_domain(env).add_dependent(docname)
    if not ablog_posts or survey is None:
        return
    info = ablog_posts[0]
    redirects: list[tuple[str, int]] = []
    lines: dict[str, int] = {}
    date = info.get("date")
    date_text = date.isoformat() if date else None
    updated_text = None
    image = None
    series = SeriesMark()
    if parsed is not None:
        meta = parsed.meta
        excerpt = _excerpt(parsed, doctree, survey.mark, info.get("excerpt") or [])
        if excerpt is not None:
            info["excerpt"] = excerpt
        if meta.updated is not None and date is not None:
            info["update"] = max(info["update"], naive(meta.updated))
        lines = dict(parsed.block.key_lines)
        redirects = [(path, lines.get("redirect_from", 1)) for path in meta.redirect_from]
        # The offset the author wrote, which ABlog's naive date has lost.
        if meta.date is not None and date is not None:
            date_text = meta.date.isoformat()
        updated_text = meta.updated.isoformat() if meta.updated else None
        image = _image(parsed, docname)
        series = _series(parsed, docname)
    record: PostRecord = {
        "title": info["title"],
        "date": date_text,
        "updated": updated_text,
        "categories": [str(name) for name in info.get("category") or []],
        "tags": [str(name) for name in info.get("tags") or [] if str(name).strip()],
        "authors": [str(name) for name in info.get("author") or []],
        "words": survey.words,
        "redirects": redirects,
        "lines": lines,
    }
    if image:
        record["image"] = image
    if series.name:
        record["series"], record["series_order"] = series.name, series.order
    blog_domain(env).add_post(docname, record)
    for post in ablog_posts:
        # Whatever wrote the excerpt (ABlog's `post` directive allows sections), it
        # must render inside the paragraph ABlog puts it in.
        post["excerpt"] = safe_excerpt(post.get("excerpt") or [])
        absolute_doc_targets(post["excerpt"], docname)
        # ABlog's copies would otherwise drag the whole source doctree into the pickle.
        for node in post["excerpt"]:
            detach(node)
        # ABlog's copy of the whole post: a stand-in that loads it when needed.
        lighten(app, docname, post)


def _excerpt(
    parsed: ParsedPost, doctree: nodes.document, mark: Any, ablog_excerpt: list[nodes.Node]
) -> list[nodes.Node] | None:
    """The excerpt where Jekyll's rules or a notebook decide it (``None``: ABlog's
    stays), followed by the image ABlog adds after it (``post_auto_image``)."""
    meta = parsed.meta
    # Jekyll's order: the `excerpt` value, else the text before the separator.
    if meta.excerpt:
        excerpt: list[nodes.Node] = [nodes.paragraph(meta.excerpt, meta.excerpt)]
    elif mark is not None:
        excerpt = excerpt_before(doctree, mark)
    elif parsed.notebook:
        # ABlog's first paragraphs, without the cells' outputs.
        count = sum(isinstance(node, nodes.paragraph) for node in ablog_excerpt)
        excerpt = first_paragraphs(doctree, count)
    else:
        return None
    shown = {image.get("uri") for top in excerpt for image in top.findall(nodes.image)}
    excerpt += [
        node
        for node in ablog_excerpt
        if isinstance(node, nodes.image) and node.get("uri") not in shown
    ]
    return excerpt


def jekyll_image(data: dict[str, Any] | None) -> str | None:
    """Front matter ``image`` as jekyll-seo-tag reads it: a path or URL, or a mapping
    with ``path``; ``None`` for none, and for ABlog's number of an image in the post."""
    value = (data or {}).get("image")
    if isinstance(value, dict):
        value = value.get("path")
    if not isinstance(value, str) or not value.strip() or value.strip().isdigit():
        return None
    return value.strip()


#: What a reader does not read as the post's words.
_NOT_READ = (nodes.docinfo, nodes.system_message, nodes.comment, nodes.raw, nodes.title)


@dataclasses.dataclass
class _Survey:
    """What one walk over a post found."""

    #: Whether it holds one of ABlog's ``postlist`` directives.
    postlist: bool = False
    #: The end of its excerpt (:mod:`.excerpts`), if marked.
    mark: nodes.Element | None = None
    #: Words a reader reads: body text, without the title, docinfo and messages.
    words: int = 0


def _survey(tree: nodes.Node) -> _Survey:
    found = _Survey()
    # Document order; a node's flag says whether its text counts as words.
    pending: list[tuple[nodes.Node, bool]] = [(tree, True)]
    while pending:
        node, counted = pending.pop()
        if isinstance(node, nodes.Text):
            found.words += len(node.split()) if counted else 0
            continue
        if found.mark is None and is_mark(node):
            found.mark = node
        elif not found.postlist and isinstance(node, PostList):
            found.postlist = True
        counted = counted and not isinstance(node, _NOT_READ)
        pending.extend((child, counted) for child in reversed(node.children))
    return found


def count_words(tree: nodes.Node) -> int:
    """Words a reader reads: body text, without the title, docinfo and messages."""
    return _survey(tree).words


def forget_front_matter(app: Sphinx, env: Any) -> None:
    """``env-updated``: every post is read; the front matter read for them goes."""
    build_state(app).pop(_FRONT_MATTER_BLOCKS)


def setup_posts(app: Sphinx) -> None:
    app.add_source_parser(JekyllMystParser, override=True)
    app.add_transform(ApplyJekyllFrontMatter)


__all__ = ["ApplyJekyllFrontMatter", "JekyllMystParser", "setup_posts"]
