"""``ablog-ext init --from-jekyll JEKYLL_DIR SPHINX_DIR``: a Jekyll blog as a Sphinx site.

The command reads the Jekyll site (:mod:`.jekyll`), plans every file of the Sphinx
site (:mod:`.plan`: posts, drafts, includes, static folders, ``conf.py``,
``index.md``), checks the posts' site-absolute links against what was copied
(:mod:`.links`), then writes SPHINX_DIR (:mod:`.output`) and prints a summary
(:mod:`.report`).  Nothing is written before the whole plan is made, and nothing is
ever written into JEKYLL_DIR.
"""

from __future__ import annotations

from ablog_ext.commands.common import CommandError


class InitError(CommandError):
    """A problem the user can fix; printed without a traceback."""


def add_init_command(subparsers: object) -> None:
    from ablog_ext.commands.migrate.command import add_init_command as add

    add(subparsers)


__all__ = ["InitError", "add_init_command"]
