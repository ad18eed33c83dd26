"""Test helper: gives one post an excerpt ABlog cannot render, as a bug in a
directive or in ABlog could, to show that the build goes on."""

from docutils import nodes


class unrenderable(nodes.General, nodes.Element):
    """A node no writer knows."""


def break_excerpt(app, doctree):
    posts = getattr(app.env, "ablog_posts", {}).get(app.env.docname)
    if posts and app.env.docname.endswith("-unrenderable"):
        posts[0]["excerpt"].append(unrenderable())


def setup(app):
    # After ablog_ext records the post (600).
    app.connect("doctree-read", break_excerpt, priority=700)
    return {"parallel_read_safe": True}
