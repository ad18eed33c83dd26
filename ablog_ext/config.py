"""Every ``ablog_ext_*`` configuration value, declared and validated in one place."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from ablog_ext.jekyll.permalinks import style_template, unknown_placeholders
from ablog_ext.reaches.base import loaded_apps, loaded_by
from ablog_ext.reaches.sphinx import SPHINX_RAW_CONFIG
from ablog_ext.state import Slot, build_state

logger = logging.getLogger("ablog_ext.config")

#: The feed formats and the archive kinds with feeds (``pages/feed_list.py`` names their files).
FEED_FORMATS = ("atom", "rss", "json")
FEED_ARCHIVES = ("category", "tag", "author", "location", "language", "year", "theme", "series")

#: An option's own check, after its type's: warns about what cannot be used, and
#: puts a usable value in its place.
Check = Callable[[Sphinx, Config, "Option"], None]


@dataclass(frozen=True)
class Option:
    name: str
    default: Any
    rebuild: Literal["env", "html", ""]
    types: tuple[type, ...]
    doc: str
    check: Check | None = None
    #: The logger the check warns with: the module's that checked it before this
    #: table did (a user's logging filter may name it).
    logger: str = "ablog_ext.config"


def _warn(option: Option, message: str, *args: Any) -> None:
    logging.getLogger(option.logger).warning(message, *args, type="ablog_ext", subtype="config")


def _one_of(allowed: tuple[str, ...]) -> Check:
    """A list whose values are among *allowed*: the others are dropped."""

    def check(app: Sphinx, config: Config, option: Option) -> None:
        values = config[option.name]
        if isinstance(values, str):
            values = [values]
        unknown = [value for value in values if value not in allowed]
        if unknown:
            _warn(
                option,
                "%s: unknown value(s) %s ignored; choose from %s",
                option.name,
                ", ".join(map(repr, unknown)),
                ", ".join(allowed),
            )
        config[option.name] = [value for value in values if value in allowed]

    return check


def _known_time_zone(app: Sphinx, config: Config, option: Option) -> None:
    try:
        ZoneInfo(config[option.name])
    except (ValueError, KeyError, OSError):
        _warn(option, "ablog_ext_timezone: unknown time zone %r; using UTC", config[option.name])
        config[option.name] = "UTC"


def _file_suffixes(app: Sphinx, config: Config, option: Option) -> None:
    valid = []
    for suffix in config[option.name]:
        if not isinstance(suffix, str) or not re.fullmatch(r"\.[^./\\]+", suffix):
            _warn(
                option,
                "ablog_ext_post_suffixes: %r is not a file suffix such as '.markdown'; ignored",
                suffix,
            )
            continue
        valid.append(suffix)
    config[option.name] = valid


def root_folder_problem(entry: object, srcdir: Path) -> str | None:
    """Why an entry of ``ablog_ext_root_folders`` cannot be used; ``None`` when it can.
    A folder whose name starts with a dot is one (``.well-known``, which Jekyll
    publishes when ``include`` names it); ``.`` and ``..`` are not."""
    name = str(entry).strip().strip("/")
    parts = name.split("/")
    if not isinstance(entry, str) or not name or {".", "..", ""} & set(parts):
        return "must be a folder inside the source folder"
    if not (srcdir / name).is_dir():
        return "is not a folder in the source folder"
    return None


def _source_folders(app: Sphinx, config: Config, option: Option) -> None:
    """Each unusable entry is reported; ``urls.root_folders`` leaves them out."""
    for entry in config[option.name]:
        problem = root_folder_problem(entry, Path(app.srcdir))
        if problem is not None:
            _warn(option, "ablog_ext_root_folders: %r %s; left out", entry, problem)


def _known_placeholders(app: Sphinx, config: Config, option: Option) -> None:
    """An unknown placeholder (Jekyll stops with an error) gets Jekyll's default style:
    the site asked for old URLs, so it keeps them."""
    value = config[option.name]
    unknown = unknown_placeholders(style_template(value.strip()))
    if unknown:
        _warn(
            option,
            "ablog_ext_permalink %r has unknown placeholder(s) %s; using Jekyll's default 'date'",
            value,
            ", ".join(f":{name}" for name in unknown),
        )
        config[option.name] = "date"


def _at_least(minimum: int, wanted: str) -> Check:
    """A whole number of *minimum* or more (*wanted* says so in the warning); any
    other value is replaced by the default."""

    def check(app: Sphinx, config: Config, option: Option) -> None:
        value = config[option.name]
        if isinstance(value, bool) or value < minimum:
            message = f"%s should be a whole number {wanted}, not %r; using %r"
            _warn(option, message, option.name, value, option.default)
            config[option.name] = option.default

    return check


_positive = _at_least(1, "above 0")


def _positive_or_none(app: Sphinx, config: Config, option: Option) -> None:
    """``None`` or a whole number above 0; else a warning at conf.py and the default."""
    value = config[option.name]
    if value is None or (not isinstance(value, bool) and value >= 1):
        return
    message = "%s%s should be a whole number above 0 or None, not %r; using %r"
    _warn(option, message, conf_py(app), option.name, value, option.default)
    config[option.name] = option.default


def conf_py(app: Sphinx) -> str:
    """What a warning about an option starts with: the site's conf.py, where it is set
    (Sphinx would read a ``location`` without a line as a document's name)."""
    return f"{Path(app.confdir, 'conf.py')}: " if app.confdir else ""


def _liquid_limit(name: str, default: int, doc: str) -> Option:
    return Option(name, default, "env", (int,), doc, _positive, "ablog_ext.liquid")


OPTIONS: tuple[Option, ...] = (
    Option(
        "ablog_ext_sidebars",
        True,
        "html",
        (bool,),
        "With pydata-sphinx-theme and no html_sidebars of your own, show ABlog's post card, "
        "recent posts, archives, categories and tags beside posts and blog pages.",
    ),
    Option(
        "ablog_ext_posts_in_navigation",
        False,
        "html",
        (bool,),
        "List posts in the navigation every page repeats (the theme's header links, "
        "Sphinx's toctree() sidebar) when a toctree includes them; by default they are "
        "left out there and stay in the blog's archives.",
    ),
    Option(
        "ablog_ext_link_previews",
        True,
        "html",
        (bool,),
        "Rich link previews: each published post's page carries OpenGraph tags "
        "(sphinxext-opengraph's, with the post's excerpt and image), `article:*` tags "
        "and Twitter card tags; off, ablog_ext adds none (and sphinxext-opengraph, unless "
        "the site lists it, writes none).",
    ),
    Option(
        "ablog_ext_review_pages",
        False,
        "html",
        (bool,),
        "Generate blog/review/<year>.html, a year in review, for every year that has posts.",
    ),
    Option(
        "ablog_ext_reading_time",
        True,
        "html",
        (bool,),
        'Show each post\'s reading time ("4 min read") under its title and in the '
        "archive entries; off, nothing is shown.",
    ),
    Option(
        "ablog_ext_words_per_minute",
        200,
        "html",
        (int,),
        "Reading speed for reading times, in words a minute: a post's minutes are its "
        "words (as the review pages count them) divided by it, rounded up; the review "
        "pages' minutes of reading use it too.",
        _positive,
    ),
    Option(
        "ablog_ext_related_posts",
        3,
        "html",
        (int,),
        "How many related posts (sharing tags and categories) end each post; 0 for none.",
        _at_least(0, "0 or above"),
    ),
    Option(
        "ablog_ext_feed_formats",
        ["atom", "rss", "json"],
        "html",
        (list, tuple),
        "Feed formats written for the blog and each archive feed: atom, rss, json.",
        _one_of(FEED_FORMATS),
        "ablog_ext.feeds",
    ),
    Option(
        "ablog_ext_feed_archives",
        ["category"],
        "html",
        (list, tuple),
        "Archive kinds with their own feeds, besides those of ABlog's blog_feed_archives: "
        "category, tag, author, location, language, year, theme, series.",
        _one_of(FEED_ARCHIVES),
        "ablog_ext.feeds",
    ),
    Option(
        "ablog_ext_timezone",
        "UTC",
        "env",
        (str,),
        "IANA time zone of the site (Jekyll's `timezone`): dates written without an offset "
        "are in it, and when conf.py sets it, a post's day, month and year are taken in it.",
        _known_time_zone,
        "ablog_ext.feeds",
    ),
    Option(
        "ablog_ext_post_suffixes",
        [".md", ".markdown", ".mkdown", ".mkdn", ".mkd"],
        "env",
        (list, tuple),
        "File suffixes read as Markdown (Jekyll's `markdown_ext`); every file in a posts "
        "folder that is not read gets a warning.",
        _file_suffixes,
        "ablog_ext.postfiles",
    ),
    Option(
        "ablog_ext_future",
        False,
        "env",
        (bool,),
        "Publish posts dated after the build (Jekyll's `future`); otherwise they wait.",
    ),
    Option(
        "ablog_ext_show_drafts",
        False,
        "env",
        (bool,),
        "Set by `ablog-ext serve --drafts` (a preview, built into a folder of its own): "
        "also build posts with `published: false` and posts dated after the build, "
        "each as a draft marked on its page. Never set it for a site you publish.",
    ),
    Option(
        "ablog_ext_excerpt_separator",
        "<!--more-->",
        "env",
        (str,),
        "The site's excerpt separator (Jekyll's `excerpt_separator`); a post's own "
        "`excerpt_separator` wins.",
    ),
    Option(
        "ablog_ext_drafts",
        [],
        "env",
        (list, tuple),
        "Glob patterns of post documents that are drafts whatever their date (Jekyll's `_drafts`).",
    ),
    Option(
        "ablog_ext_folder_categories",
        False,
        "env",
        (bool,),
        "The folders between a posts folder (the fixed start of a `blog_post_pattern`) and a "
        "post are its first categories, as Jekyll's `en/news/_posts/` gives `en` and `news`.",
    ),
    Option(
        "ablog_ext_space_separated_tags",
        False,
        "env",
        (bool,),
        "Read `tags: a b` as two tags, as Jekyll does; off, as ABlog reads it: one tag "
        "(a comma list is a list either way). `ablog-ext init --from-jekyll` turns it on.",
    ),
    Option(
        "ablog_ext_liquid",
        False,
        "env",
        (bool,),
        "Render Liquid (`{{ }}`, `{% %}`) in posts before MyST reads them "
        "(Jekyll's `render_with_liquid`); a post's own `render_with_liquid` wins. Off by "
        "default, as a site that was never a Jekyll site writes `{{ }}` as text (in code "
        "blocks too); `ablog-ext init --from-jekyll` turns it on.",
    ),
    Option(
        "ablog_ext_liquid_includes",
        "_includes",
        "env",
        (str,),
        "Folder, relative to the source folder, that Liquid's `{% include %}` reads from.",
    ),
    Option(
        "ablog_ext_liquid_data",
        "_data",
        "env",
        (str,),
        "Folder, relative to the source folder, of Liquid's `site.data` (Jekyll's `_data`: "
        "YAML, JSON, CSV and TSV files); empty for none.",
    ),
    Option(
        "ablog_ext_site",
        {},
        "env",
        (dict,),
        "Values of Liquid's `site.*` (Jekyll's `_config.yml`); `title`, `url`, `baseurl` "
        "and `description` default to the Sphinx configuration's.",
    ),
    _liquid_limit(
        "ablog_ext_liquid_loop_limit",
        1_000_000,
        "Loop iterations one post's Liquid may run, counted over the whole post "
        "(nested loops multiply); past it the post's Liquid is left unrendered, with a warning.",
    ),
    _liquid_limit(
        "ablog_ext_liquid_output_limit",
        10_000_000,
        "Bytes of text one post's Liquid may write; past it the post's Liquid is left "
        "unrendered, with a warning.",
    ),
    _liquid_limit(
        "ablog_ext_liquid_depth_limit",
        30,
        "How deep one post's Liquid may nest (includes in includes, blocks in blocks); "
        "past it the post's Liquid is left unrendered, with a warning.",
    ),
    _liquid_limit(
        "ablog_ext_liquid_namespace_limit",
        10_000_000,
        "Bytes one post's Liquid variables (`assign`, `capture`) may hold; past it the "
        "post's Liquid is left unrendered, with a warning.",
    ),
    Option(
        "ablog_ext_safe_posts",
        False,
        "env",
        (bool,),
        "Posts nobody vetted (contributors' pull requests): in posts, MyST directives and "
        "roles that read files or insert raw markup (`include`, `literalinclude`, `raw`, "
        "`eval-rst` with those, images from outside the source folder) are shown as code, "
        "with a warning each.",
    ),
    Option(
        "ablog_ext_kramdown",
        False,
        "env",
        (bool, dict),
        "Read kramdown syntax in posts: `{: .class}` attribute lists, `{:toc}`, "
        "`{::options}`, `$$` math and kramdown's HTML blocks; a dict (Jekyll's `kramdown` "
        "settings) turns it on with those options: `parse_block_html`. Off by default, as "
        "MyST reads a site that was never a Jekyll site; `ablog-ext init --from-jekyll` "
        "turns it on.",
    ),
    Option(
        "ablog_ext_root_folders",
        [],
        "html",
        (list, tuple),
        "Folders of the source folder copied as they are to the same path in the built "
        "site, as Jekyll serves its static folders (`assets/x.png` at `/assets/x.png`); "
        "they are not read as documents.",
        _source_folders,
        "ablog_ext.rootfolders",
    ),
    Option(
        "ablog_ext_permalink",
        "",
        "env",
        (str,),
        "Jekyll permalink style (`date`, `pretty`, `ordinal`, `none`, or a pattern such as "
        "`/:year/:title/`) of posts' old URLs: each gets a redirect, and links to it resolve. "
        "The default, an empty string, writes none: only sites that come from Jekyll have "
        "old URLs (`ablog-ext init --from-jekyll` sets the style).",
        _known_placeholders,
        "ablog_ext.permalinks",
    ),
    Option(
        "ablog_ext_posts_per_page",
        None,
        "html",
        (int, type(None)),
        "Posts on each page of an archive (the blog, each category, tag, author, location, "
        "language and year): later pages are `<archive>/page/<n>.html`, each with previous "
        "and next links. The default, `None`, lists every post on one page, as ABlog does.",
        _positive_or_none,
    ),
    Option(
        "ablog_ext_paginate_path",
        "",
        "html",
        (str,),
        "The old URLs of the blog's later pages, as Jekyll's `paginate_path` gives them "
        "(`/page:num/`): each page of the blog after the first gets a redirect from its old "
        "URL. The default, an empty string, writes none (`ablog-ext init --from-jekyll` "
        "sets it from `_config.yml`).",
    ),
)


def post_patterns(config: Config) -> list[str]:
    """``blog_post_pattern`` as a list of patterns: ABlog takes one string or a list
    (and makes a list of it at its ``config-inited``)."""
    patterns = config.blog_post_pattern or []
    return [patterns] if isinstance(patterns, str) else [str(p) for p in patterns]


def pattern_prefix(pattern: str) -> str:
    """The fixed start of a glob pattern, the folder its files are under: ``posts``
    for ``posts/**/*.md``, ``posts/*`` or ``/posts/a.md``; ``""`` for ``*.md``."""
    fixed = []
    for part in PurePosixPath(pattern.strip("/")).parts[:-1]:
        if any(char in part for char in "*?["):
            break
        fixed.append(part)
    return "/".join(fixed)


def app_of_config(config: Config) -> Sphinx | None:
    """The application of ablog_ext's whose configuration is *config*."""
    return next((app for app in loaded_apps() if app.config is config), None)


#: Without Sphinx's ``_raw_config``: the names conf.py assigns, read from its source.
_ASSIGNED: Slot[frozenset[str]] = Slot(
    "config: names conf.py assigns", lambda app: frozenset(), lasting=True
)


def provided_by_user(config: Config, name: str) -> bool:
    """Whether conf.py or ``-D`` set *name* (pydata-sphinx-theme asks the same way)."""
    if name in config.overrides:
        return True
    raw = getattr(config, SPHINX_RAW_CONFIG.attribute, None)
    if isinstance(raw, dict):
        return name in raw
    app = app_of_config(config)
    assigned = build_state(app).peek(_ASSIGNED) if app is not None else None
    return name in (assigned or frozenset())


def read_conf_names(app: Sphinx, config: Config) -> None:
    """``config-inited``: without Sphinx's ``_raw_config``
    (:data:`~ablog_ext.reaches.sphinx.SPHINX_RAW_CONFIG`), the names conf.py
    assigns, from its source."""
    if SPHINX_RAW_CONFIG.on(app) or not loaded_by(app) or app.confdir is None:
        return
    try:
        tree = ast.parse(Path(app.confdir, "conf.py").read_bytes())
    except (OSError, SyntaxError, ValueError):
        return
    names: set[str] = set()
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            for each in ast.walk(target):
                if isinstance(each, ast.Name):
                    names.add(each.id)
    build_state(app).set(_ASSIGNED, frozenset(names))


def validate_options(app: Sphinx, config: Config) -> None:
    """A value of the wrong type gets a warning and the default, once per build;
    then each option's own check runs on a value of the right type."""
    for option in OPTIONS:
        _check_type(app, config, option)
    for option in OPTIONS:
        if option.check is not None:
            option.check(app, config, option)


def _check_type(app: Sphinx, config: Config, option: Option) -> None:
    value = config[option.name]
    if not isinstance(value, option.types):
        logger.warning(
            "%s%s should be %s, not %r; using the default %r",
            conf_py(app),
            option.name,
            " or ".join(kind.__name__ for kind in option.types),
            value,
            option.default,
            type="ablog_ext",
            subtype="config",
        )
        config[option.name] = option.default


def setup_config(app: Sphinx) -> None:
    for option in OPTIONS:
        app.add_config_value(
            option.name,
            option.default,
            option.rebuild,
            types=frozenset(option.types),
            description=option.doc,
        )
