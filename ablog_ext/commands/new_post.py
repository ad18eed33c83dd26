"""``ablog-ext post TITLE``: a new post file, dated today, in the site's posts folder.

The site is the folder with ``conf.py`` (the current folder or one above it, or
``--site DIR``).  Its configuration is read as ``sphinx-build`` reads it
(:meth:`sphinx.config.Config.read`), so the posts folder is the fixed start of
the ``blog_post_pattern`` the new file matches, and "today" is today in the
site's ``ablog_ext_timezone``, the day the build reads from the file name.  The
file is made with exclusive creation: an existing post is never overwritten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
import unicodedata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from ablog_ext.commands.common import CommandError, add_command
from ablog_ext.commands.files import target_inside
from ablog_ext.commands.terminal import shown
from ablog_ext.jekyll.frontmatter import MAX_TITLE, clean_text
from ablog_ext.jekyll.permalinks import slugify

#: Bytes of UTF-8 a slug may take: with the date and ``.md``, far below the 255 a
#: file name may have.
SLUG_BYTES = 80
BODY = (
    "The first paragraph is the post's excerpt in the blog's lists and feeds.\n"
    "\n"
    "<!--more-->\n"
    "\n"
    "The rest of the post.\n"
)

DESCRIPTION = (
    "Write posts/YYYY-MM-DD-slug.md in the site (the folder follows the site's "
    "blog_post_pattern), dated today, with TITLE and the given category and tags in its "
    "front matter, and print its path. An existing file is never replaced."
)


def post_slug(title: str) -> str:
    """The file name part of *title*: letters and digits of any script, lower case,
    accents of Latin letters dropped (``Café`` gives ``cafe``), every other run of
    characters one ``-``; cut at a ``-`` to fit :data:`SLUG_BYTES`.  A title with no
    letter or digit (emoji only) gets ``post-`` and a digest of the title."""
    kept: list[str] = []
    for ch in unicodedata.normalize("NFKD", title):
        # An accent on a Latin letter goes; a mark of another script (a virama) stays.
        if not (unicodedata.combining(ch) and kept and kept[-1].isascii()):
            kept.append(ch)
    slug = slugify(unicodedata.normalize("NFC", "".join(kept))) or ""
    while len(slug.encode("utf-8")) > SLUG_BYTES:
        cut = slug.rfind("-", 0, len(slug) - 1)
        slug = slug[:cut] if cut > 0 else slug[:-1]
    if not slug:
        digest = hashlib.sha256(title.encode("utf-8", errors="surrogatepass")).hexdigest()
        slug = f"post-{digest[:8]}"
    return slug


def front_matter(title: str, categories: list[str], tags: list[str], draft: bool) -> str:
    """The post's YAML front matter, between ``---`` lines; every value written by
    PyYAML, so quotes, colons and ``#`` stay text."""
    data: dict[str, Any] = {"title": title}
    if len(categories) == 1:
        data["category"] = categories[0]
    elif categories:
        data["categories"] = categories
    if tags:
        data["tags"] = tags
    if draft:
        data["published"] = False
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n{text}---\n"


def find_site(given: str | None) -> Path:
    """The site: *given*, or the current folder or the nearest one above it with a
    ``conf.py``."""
    if given is not None:
        site = Path(given)
        if not (site / "conf.py").is_file():
            raise CommandError(f"{given} is not a Sphinx site: it has no conf.py")
        return site
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "conf.py").is_file():
            return Path(os.path.relpath(folder)) if folder != here else Path(".")
    raise CommandError(
        "no conf.py in this folder or above it: run the command inside a site, or pass --site DIR"
    )


def read_site_config(site: Path) -> Any:
    """The site's configuration, conf.py run as ``sphinx-build`` runs it, with the
    values ``post`` reads declared (ABlog's and ablog_ext's defaults)."""
    from sphinx.config import Config
    from sphinx.errors import ConfigError
    from sphinx.util.tags import Tags

    try:
        config = Config.read(site.absolute(), overrides={}, tags=Tags())
    except ConfigError as error:
        # Sphinx's message may end with the traceback of conf.py: its last line says what.
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        last = lines[-1] if lines else error
        raise CommandError(f"cannot read {site / 'conf.py'}: {last}") from None
    except Exception as error:  # a ConfigError's own failure, such as an unreadable file
        raise CommandError(f"cannot read {site / 'conf.py'}: {error}") from None
    config.add("blog_post_pattern", [], "env", (str, list, tuple))
    config.add("ablog_ext_timezone", "UTC", "env", (str,))
    config.add("ablog_ext_drafts", [], "env", (list, tuple))
    return config


def today(config: Any) -> dt.date:
    """Today in the site's time zone (UTC when it names none, or an unknown one)."""
    try:
        zone: dt.tzinfo = ZoneInfo(str(config.ablog_ext_timezone))
    except (ValueError, KeyError, OSError):
        zone = dt.UTC
    return dt.datetime.now(zone).date()


def post_folder(config: Any, name: str) -> str:
    """The folder, relative to the site, of a post file called *name*: the fixed
    start of the first ``blog_post_pattern`` (not a draft pattern) that matches it."""
    from ablog_ext.config import pattern_prefix, post_patterns
    from ablog_ext.reading.posts import matches

    patterns = post_patterns(config)
    if not patterns:
        raise CommandError(
            "conf.py sets no blog_post_pattern, so the site has no posts folder: "
            "add blog_post_pattern = 'posts/*'"
        )
    for pattern in patterns:
        folder = pattern_prefix(pattern)
        path = f"{folder}/{name}" if folder else name
        if ".." in folder.split("/") or pattern.startswith(("/", "../")):
            raise CommandError(
                f"blog_post_pattern {pattern!r} points outside the site; post writes nothing there"
            )
        docname = path.rsplit(".", 1)[0]
        if matches(pattern, docname, path) and not matches(config.ablog_ext_drafts, docname, path):
            return folder
    raise CommandError(
        f"no blog_post_pattern ({', '.join(map(repr, patterns))}) matches a post named "
        f"{name!r} in its folder: add one such as 'posts/*'"
    )


def write_post(site: Path, rel: str, text: str) -> Path:
    """*text* in a new file ``site/rel``; an existing file is never replaced."""
    path = target_inside(site, rel, "post", "the site")
    stem = path.name.rsplit(".", 1)[0]
    if path.parent.is_dir():
        taken = [p.name for p in path.parent.iterdir() if p.name.rsplit(".", 1)[0] == stem]
        if taken:
            raise CommandError(
                f"{path.parent / taken[0]} exists: a post of that title was written today; "
                "choose another title"
            )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise CommandError(f"{path} exists; post never replaces a file") from None
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error}") from None
    return path


def _names(values: list[str] | None, split: bool) -> list[str]:
    found: list[str] = []
    for value in values or []:
        for part in value.split(",") if split else [value]:
            name = clean_text(part)
            if name and name not in found:
                found.append(name)
    return found


def run_post(args: argparse.Namespace, out: Any = None) -> int:
    out = out or sys.stdout
    title = clean_text(args.title)
    if not title:
        raise CommandError("the title is empty: give the post a title")
    site = find_site(args.site)
    config = read_site_config(site)
    name = f"{today(config).isoformat()}-{post_slug(title)}.md"
    folder = post_folder(config, name)
    text = front_matter(title, _names(args.category, False), _names(args.tags, True), args.draft)
    path = write_post(site, f"{folder}/{name}" if folder else name, text + "\n" + BODY)
    print(shown(path), file=out)
    if len(title) > MAX_TITLE:
        print(
            f"ablog-ext post: note: the title is {len(title):,} characters long; "
            f"the build warns about titles over {MAX_TITLE}",
            file=sys.stderr,
        )
    return 0


def add_post_command(subparsers: Any) -> None:
    summary = "write a new post, dated today"
    parser = add_command(subparsers, "post", run_post, summary=summary, description=DESCRIPTION)
    parser.add_argument("title", metavar="TITLE", help="the post's title")
    site_help = "the site (default: the folder with conf.py that holds the current folder)"
    parser.add_argument("--site", metavar="DIR", help=site_help)
    category_help = "a category (give it again for more)"
    parser.add_argument("--category", action="append", metavar="NAME", help=category_help)
    parser.add_argument(
        "--tags", action="append", metavar="TAG,TAG", help="tags, separated by commas"
    )
    draft_help = "write published: false: the build leaves the post out"
    parser.add_argument("--draft", action="store_true", help=draft_help)


__all__ = ["add_post_command", "front_matter", "post_slug", "run_post"]
