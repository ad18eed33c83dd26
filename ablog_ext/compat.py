"""Every post an ABlog site writes, as ABlog reads it.

A document with several ``post`` directives holds several posts, one per section
(ABlog's "section posts").  :class:`~.domain.BlogDomain` keeps one record per
document; :func:`record_section_posts` adds one record per section post, so feeds
and reviews list each of them.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from .domain import PostRecord, blog_domain


def record_section_posts(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, after :func:`~.posts.record_post`: a record for each post
    of a document whose posts are sections (ABlog's ``post_always_section``, or
    several ``post`` directives), with its own title, dates, names and words."""
    from .posts import count_words

    env = app.env
    docname = env.docname
    ablog_posts: list[dict[str, Any]] = getattr(env, "ablog_posts", {}).get(docname) or []
    domain = blog_domain(env)
    main = domain.posts.get(docname)
    if main is None or not (len(ablog_posts) > 1 or any(p.get("section") for p in ablog_posts)):
        return
    records: list[PostRecord] = []
    for index, info in enumerate(ablog_posts):
        date = info.get("date")
        anchor = str(info.get("section") or "")
        section = info.get("doctree")
        words = (
            count_words(section) if anchor and isinstance(section, nodes.Element) else main["words"]
        )
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


def setup_compat(app: Sphinx) -> None:
    # posts.record_post runs at 600.
    app.connect("doctree-read", record_section_posts, priority=610)
