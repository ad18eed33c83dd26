"""Every post an ABlog site writes, as ABlog reads it.

Two shapes of ABlog posts that the rest of ablog_ext would otherwise lose:

- A document with several ``post`` directives holds several posts, one per section
  (ABlog's "section posts").  :class:`~.domain.BlogDomain` keeps one record per
  document; :func:`record_section_posts` adds one record per section post, so
  feeds and reviews list each of them.
- ``:category:`` with nothing after it (or ``:tags: a, , b``) gives ABlog a name
  that is empty, and so an archive page ``blog/category/.html`` and a feed
  ``blog/category/atom.xml``.  :func:`drop_empty_names` removes such names
  before ABlog reads them, whatever the post's format.
"""

from __future__ import annotations

from typing import Any

from ablog.blog import slugify
from ablog.post import PostNode
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ablog_ext.blog.domain import PostRecord, blog_domain
from ablog_ext.reading.post_doctree import ablog_env_posts

logger = logging.getLogger("ablog_ext.compat")

#: The ``post`` options that name archives (ABlog's catalogs), and what one name is.
NAMED_OPTIONS = {
    "tags": "tag",
    "author": "author",
    "category": "category",
    "location": "location",
    "language": "language",
}


def drop_empty_names(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, before ABlog's ``process_posts``: keep only usable names.

    An empty name is dropped silently (an empty ``:category:`` means "none"); a
    name with no letter or digit, whose archive page would have an empty file
    name, is dropped with a warning.
    """
    docname = app.env.docname
    for node in list(doctree.findall(PostNode)):
        for option, noun in NAMED_OPTIONS.items():
            names = node.get(option)
            if not isinstance(names, list):
                continue
            kept: list[str] = []
            for name in names:
                text = str(name).strip()
                if not text or text in kept:
                    continue
                if not slugify(text):
                    logger.warning(
                        "%s %r left out: it has no letter or digit to name its archive page",
                        noun,
                        text,
                        type="ablog_ext",
                        subtype="post",
                        location=(docname, _line(doctree, node, option)),
                    )
                    continue
                kept.append(text)
            node[option] = kept


def _line(doctree: nodes.document, node: nodes.Element, option: str) -> int | None:
    """The line of a ``post`` directive, or of the field a front matter post set."""
    if node.line is not None:
        return int(node.line)
    for field in doctree.findall(nodes.field):
        if field[0].astext().strip() == option and field.line is not None:
            return int(field.line)
    return 1


def record_section_posts(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, after :func:`~.posts.record_post`: a record for each post
    of a document whose posts are sections (ABlog's ``post_always_section``, or
    several ``post`` directives), with its own title, dates, names and words."""
    from ablog_ext.reading.posts import count_words

    env = app.env
    docname = env.docname
    ablog_posts: list[dict[str, Any]] = ablog_env_posts(env).get(docname) or []
    domain = blog_domain(env)
    main = domain.posts.get(docname)
    if main is None or not (len(ablog_posts) > 1 or any(p.get("section") for p in ablog_posts)):
        return
    records: list[PostRecord] = []
    for index, info in enumerate(ablog_posts):
        date = info.get("date")
        anchor = str(info.get("section") or "")
        section = doctree.ids.get(anchor) if anchor else None
        words = count_words(section) if isinstance(section, nodes.Element) else main["words"]
        if index == 0:
            # The document's own record already holds what ablog_ext read of the first.
            record: PostRecord = {**main, "section": anchor, "words": words}
        else:
            record = {
                "title": str(info["title"]),
                "date": date.isoformat() if date else None,
                "updated": None,
                "categories": [str(name) for name in info.get("category") or []],
                "tags": [str(name) for name in info.get("tags") or []],
                "authors": [str(name) for name in info.get("author") or []],
                "words": words,
                "redirects": [],
                "section": anchor,
            }
        records.append(record)
    domain.add_section_posts(docname, records)
