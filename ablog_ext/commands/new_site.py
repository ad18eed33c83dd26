"""``ablog-ext new DIR``: a new blog that builds warning-free at once.

The site shows what ablog_ext is for: a first post with a theme passage, review
pages and a feed per category and per theme.  ``conf.py`` and ``index.md`` are
written with ``init``'s helpers (:mod:`.migrate.site_text`: every value through
``repr()``); the other files are in ``site_template/`` next to this module.  The
GitHub workflow there pins the same action commits as this project's own
(a test keeps them equal).  Nothing in DIR is removed: ``--force`` replaces the
files ``new`` writes and keeps every other.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shlex
import sys
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any

from ablog_ext._version import __version__
from ablog_ext.commands.common import CommandError, add_command, add_force_option
from ablog_ext.commands.files import refuse_unusable_folder, target_inside
from ablog_ext.commands.migrate.site_text import _assign, _section, render_index
from ablog_ext.commands.new_post import front_matter, post_slug
from ablog_ext.commands.terminal import shown, shown_lines
from ablog_ext.jekyll.frontmatter import clean_text

PLACEHOLDER_URL = "https://example.org/"
DEFAULT_TITLE = "My blog"
FIRST_POST = "Hello, world"
WORKFLOW = ".github/workflows/pages.yml"
ABOUT = (
    "Make a new Sphinx blog with ablog_ext in DIR: conf.py, a home page with the latest "
    "posts, an about page, a first post, .gitignore, requirements.txt and a GitHub Actions "
    "workflow that publishes it to GitHub Pages. It builds at once with sphinx-build -W."
)


def template(name: str) -> str:
    return (files("ablog_ext.commands") / "site_template" / name).read_text(encoding="utf-8")


def render_conf(title: str, base_url: str, author: str | None) -> str:
    lines = [
        '"""Sphinx configuration of a blog made by ``ablog-ext new``.',
        "",
        "Build the site:  python3 -m sphinx -W -b html . _build/html",
        'Write a post:    ablog-ext post "A title" --category News',
        '"""',
    ]
    _section(lines, "Project")
    _assign(lines, "project", title)
    if author:
        _assign(lines, "author", author)
    lines.append('extensions = ["ablog_ext"]  # sets up myst_parser and ablog too')
    lines.append('html_theme = "pydata_sphinx_theme"')
    _assign(lines, "html_title", title)
    _assign(lines, "exclude_patterns", ["_build", ".venv", "README.md"])
    _section(lines, "The blog (ABlog)")
    _assign(lines, "blog_title", title)
    comment = "feeds and canonical links"
    if base_url == PLACEHOLDER_URL:
        comment = "a placeholder: the address the site is published at"
    _assign(lines, "blog_baseurl", base_url, comment)
    _assign(lines, "blog_path", "blog", "blog.html lists the latest posts")
    _assign(lines, "ablog_ext_posts_per_page", 10, "then blog/page/2.html, ...")
    _assign(lines, "blog_post_pattern", "posts/*", "ablog-ext post writes there")
    _assign(lines, "post_date_format", "%d %B %Y")
    if author:
        _assign(lines, "blog_authors", {author: (author, None)})
        _assign(lines, "blog_default_author", author)
    _section(lines, "ablog-ext")
    _assign(lines, "ablog_ext_review_pages", True, "blog/review/<year>.html")
    _assign(lines, "ablog_ext_feed_archives", ["category", "theme"], "a feed for each")
    _assign(lines, "ablog_ext_timezone", "UTC", "the zone of posts' dates")
    return "\n".join(lines) + "\n"


def site_files(title: str, base_url: str, author: str | None, day: dt.date) -> dict[str, str]:
    """Every file of the new site, by its path relative to DIR."""
    # init's home page: the title, the latest posts, a link to the archive.
    index = render_index({"title": title}, title).rstrip("\n").removesuffix(".")
    index += (
        '; the themes are on <a href="blog/theme.html">their page</a>.\n'
        "\n```{toctree}\n:hidden:\n\nabout\n```\n"
    )
    post = front_matter(FIRST_POST, ["News"], ["welcome"], draft=False)
    post += "\n" + Template(template("first-post.md")).substitute(year=day.year)
    return {
        "conf.py": render_conf(title, base_url, author),
        "index.md": index,
        "about.md": template("about.md"),
        f"posts/{day.isoformat()}-{post_slug(FIRST_POST)}.md": post,
        "requirements.txt": "# What the site needs to build; its dependencies come with it.\n"
        f"ablog-ext~={__version__}\n",
        ".gitignore": template("gitignore"),
        WORKFLOW: template("pages.yml"),
    }


def base_url_of(given: str | None) -> str:
    if given is None:
        return PLACEHOLDER_URL
    if not re.match(r"^https?://[^/\s]+", given) or any(ch.isspace() for ch in given):
        raise CommandError(f"--base-url must be an absolute http(s) URL, not {given!r}")
    return given.rstrip("/") + "/"


def run_new(args: argparse.Namespace, out: Any = None) -> int:
    out = out or sys.stdout
    folder = Path(args.dir)
    title = clean_text(args.title)
    author = clean_text(args.author or "") or None
    if not title:
        raise CommandError("--title is empty: give the blog a title")
    base_url = base_url_of(args.base_url)
    refuse_unusable_folder(
        folder, "DIR", args.force, "(files of the same name are replaced, other files are kept)"
    )
    day = dt.datetime.now(dt.UTC).date()
    planned = site_files(title, base_url, author, day)
    # Every path checked before the first file is written.
    targets = {rel: target_inside(folder, rel, "new", "DIR") for rel in planned}
    for path in targets.values():
        if path.is_dir():
            raise CommandError(f"{path} is a folder where new writes a file: remove it")
    for rel, text in planned.items():
        path = targets[rel]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        except OSError as error:
            raise CommandError(f"cannot write {path}: {error.strerror or error}") from None
    print(shown_lines(next_steps(str(args.dir), list(planned), base_url)), end="", file=out)
    return 0


def next_steps(folder: str, written: list[str], base_url: str) -> str:
    lines = [f"Wrote a new blog in {shown(folder)}:", *(f"  {name}" for name in written)]
    lines += [
        "",
        "Next:",
        f"  cd {shown(shlex.quote(folder))}",
        "  python3 -m pip install -r requirements.txt",
        '  ablog-ext post "A title" --category News',
        "  python3 -m sphinx -W -b html . _build/html",
        "",
        "To publish on GitHub Pages: push the folder to a GitHub repository as its root, and",
        'in the repository\'s Settings > Pages choose "GitHub Actions" as the source.',
    ]
    if base_url == PLACEHOLDER_URL:
        lines.append(
            f"blog_baseurl in conf.py is a placeholder ({PLACEHOLDER_URL}): set it to the "
            "site's address, such as https://USER.github.io/REPOSITORY/"
        )
    return "\n".join(lines) + "\n"


def add_new_command(subparsers: Any) -> None:
    parser = add_command(subparsers, "new", run_new, summary="make a new blog", description=ABOUT)
    parser.add_argument("dir", metavar="DIR", help="where the site goes (made if missing)")
    title_help = f"the blog's title (default: {DEFAULT_TITLE})"
    parser.add_argument("--title", default=DEFAULT_TITLE, help=title_help)
    url_help = f"the address it is published at (default: a placeholder, {PLACEHOLDER_URL})"
    parser.add_argument("--base-url", metavar="URL", help=url_help)
    parser.add_argument("--author", metavar="NAME", help="the author of the posts")
    add_force_option(
        parser, "write into a DIR that is not empty (files of the same name are replaced)"
    )


__all__ = ["add_new_command", "run_new", "site_files"]
