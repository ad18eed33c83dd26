"""The text of the new site's ``conf.py`` and ``index.md``.

Every value taken from ``_config.yml`` is written with ``repr()`` (titles hold
quotes, descriptions newlines), and no text from the Jekyll site goes into a
comment, so the file is always valid Python that means what it says.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ablog_ext.commands.migrate.jekyll import config_list, markdown_suffixes
from ablog_ext.commands.migrate.layout import DATA, DRAFTS, INCLUDES, POSTS

if TYPE_CHECKING:
    from ablog_ext.commands.migrate.plan import Plan

#: Jekyll's permalink styles; ablog_ext reads these names, ``weekdate`` only as a pattern.
STYLES = {"date", "pretty", "ordinal", "none"}
WEEKDATE = "/:categories/:year/W:week/:short_day/:title:output_ext"
#: Settings of Jekyll's build, not values templates print: left out of ``site.*``.
BUILD_KEYS = frozenset(
    {
        "source", "destination", "collections_dir", "cache_dir", "plugins_dir", "layouts_dir",
        "data_dir", "includes_dir", "safe", "include", "exclude", "keep_files", "encoding",
        "markdown_ext", "strict_front_matter", "show_drafts", "limit_posts", "unpublished",
        "whitelist", "plugins", "gems", "markdown", "highlighter", "lsi", "incremental",
        "detach", "port", "host", "show_dir_listing", "quiet", "verbose", "defaults",
        "liquid", "kramdown", "rdiscount", "redcarpet", "webrick", "sass", "collections",
        "livereload", "livereload_port", "profile", "disable_disk_cache",
    }
)  # fmt: skip
WIDTH = 88
#: Checks of Sphinx and MyST that Jekyll does not make, on text that Jekyll (kramdown,
#: Rouge) builds as it is: a heading level skipped, a code block its lexer cannot
#: read or an unknown language, a footnote defined but not used, a link reference
#: defined twice.
SUPPRESSED = ["myst.header", "misc.highlighting_failure", "ref.footnote", "myst.duplicate_def"]


def py(value: Any, indent: int = 0) -> str:
    """*value* as Python source: ``repr()``, one item a line when it is long."""
    text = repr(value)
    if len(text) + indent <= WIDTH or not isinstance(value, (dict, list, tuple)) or not value:
        return text
    pad = " " * (indent + 4)
    if isinstance(value, dict):
        items = [f"{pad}{key!r}: {py(item, indent + 4)}," for key, item in value.items()]
        return "{\n" + "\n".join(items) + "\n" + " " * indent + "}"
    items = [f"{pad}{py(item, indent + 4)}," for item in value]
    opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
    return opening + "\n" + "\n".join(items) + "\n" + " " * indent + closing


def _text(config: dict[str, Any], key: str) -> str | None:
    value = config.get(key)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def site_title(config: dict[str, Any], fallback: str) -> str:
    return _text(config, "title") or _text(config, "name") or fallback


def blog_baseurl(config: dict[str, Any]) -> str | None:
    """``url`` and ``baseurl`` joined, ending in ``/``."""
    url = _text(config, "url")
    if not url:
        return None
    baseurl = (_text(config, "baseurl") or "").strip("/")
    return url.rstrip("/") + "/" + (baseurl + "/" if baseurl else "")


def site_author(config: dict[str, Any]) -> tuple[str, str | None] | None:
    """The site's ``author``: a name, or a mapping with ``name`` and ``url``;
    else the author that ``defaults`` give posts."""
    value = config.get("author")
    if value is None:
        for entry in _post_defaults(config):
            if entry.get("author") is not None:
                value = entry["author"]
                break
    if isinstance(value, dict):
        name = value.get("name")
        url = value.get("url") or value.get("uri")
        if isinstance(name, str) and name.strip():
            return name.strip(), url.strip() if isinstance(url, str) and url.strip() else None
        return None
    if isinstance(value, str) and value.strip():
        return value.strip(), None
    return None


def _post_defaults(config: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``values`` of each front matter default that applies to every post."""
    found = []
    defaults = config.get("defaults")
    for entry in defaults if isinstance(defaults, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
            continue
        scope = entry.get("scope")
        if not isinstance(scope, dict):
            scope = {}
        kind = scope.get("type")
        path = str(scope.get("path") or "").strip("/")
        if kind in (None, "posts") and path in ("", "_posts"):
            found.append(entry["values"])
    return found


def post_permalink(config: dict[str, Any]) -> tuple[str, str]:
    """Jekyll's permalink of posts, and where it comes from: front matter defaults for
    posts, then ``collections.posts.permalink``, then ``permalink`` (default ``date``).
    A pattern starts with ``/``, as Jekyll's URLs do."""
    value, origin = _post_permalink(config)
    if value not in STYLES and not value.startswith("/"):
        value = "/" + value
    return value, origin


def _post_permalink(config: dict[str, Any]) -> tuple[str, str]:
    for values in _post_defaults(config):
        if isinstance(values.get("permalink"), str):
            return values["permalink"], "_config.yml defaults for posts"
    collections = config.get("collections")
    if isinstance(collections, dict) and isinstance(collections.get("posts"), dict):
        permalink = collections["posts"].get("permalink")
        if isinstance(permalink, str):
            return permalink, "_config.yml collections.posts.permalink"
    value = config.get("permalink")
    if isinstance(value, str) and value.strip():
        style = value.strip()
        if style == "weekdate":
            return WEEKDATE, "_config.yml permalink: weekdate"
        return style, "_config.yml permalink"
    return "date", "Jekyll's default"


def liquid_site(config: dict[str, Any]) -> dict[str, Any]:
    """The values of ``site.*`` that posts' Liquid may print."""
    return {key: value for key, value in config.items() if key not in BUILD_KEYS}


def _assign(lines: list[str], name: str, value: Any, comment: str = "") -> None:
    source = f"{name} = {py(value)}"
    if comment and "\n" not in source and len(source) + len(comment) + 4 <= WIDTH + 12:
        lines.append(f"{source}  # {comment}")
    else:
        if comment:
            lines.append(f"# {comment}")
        lines.append(source)


def _section(lines: list[str], title: str) -> None:
    lines += ["", f"# -- {title} ".ljust(WIDTH, "-")]


def render_conf(plan: Plan) -> str:
    """The new site's ``conf.py``: a section for the project, the blog, Jekyll's
    behaviour and (when the site has any) its static files."""
    title = site_title(plan.site.config, plan.site.root.name)
    author = site_author(plan.site.config)
    lines = [
        '"""Sphinx configuration of a blog moved from Jekyll by ``ablog-ext init --from-jekyll``.',
        "",
        "Values from the Jekyll site's _config.yml say so. Edit freely, but note that running",
        "the command again with --force writes this file again.",
        "",
        "Build the site:  python3 -m sphinx -b html . _build/html",
        '"""',
    ]
    _project_section(lines, plan, title, author)
    draft_pattern = _draft_pattern(plan)
    _blog_section(lines, plan, title, author, draft_pattern)
    _jekyll_section(lines, plan, draft_pattern)
    _static_section(lines, plan)
    return "\n".join(lines) + "\n"


def _project_section(
    lines: list[str], plan: Plan, title: str, author: tuple[str, str | None] | None
) -> None:
    config = plan.site.config
    _section(lines, "Project")
    origin = "_config.yml title" if _text(config, "title") else ""
    if not origin and _text(config, "name"):
        origin = "_config.yml name"
    _assign(lines, "project", title, origin)
    if author:
        _assign(lines, "author", author[0], "_config.yml author")
    lines.append('extensions = ["ablog_ext"]  # sets up myst_parser and ablog too')
    lines.append('html_theme = "pydata_sphinx_theme"')
    _assign(lines, "html_title", title)
    excluded = ["_build"]
    if plan.site.includes:
        excluded.append(INCLUDES)
    if plan.data_files:
        excluded.append(DATA)
    sources = (".md", ".rst", *markdown_suffixes(config))
    excluded += [name for name in plan.root_files if name.lower().endswith(sources)]
    lines.append("# Not documents: the build, Liquid's includes and data, Jekyll's static files.")
    _assign(lines, "exclude_patterns", excluded)
    lines.append("# What Jekyll builds without a word, Sphinx and MyST warn about (see the guide).")
    _assign(lines, "suppress_warnings", SUPPRESSED)


def _draft_pattern(plan: Plan) -> str | None:
    """The pattern of the new site's drafts folder; ``None`` when there are no drafts."""
    drafts = [o for o in plan.outcomes if o.source.draft and o.dest]
    if not drafts:
        return None
    drafts_nested = any(o.source.folder or o.dest.count("/") > 1 for o in drafts if o.dest)
    return f"{DRAFTS}/**" if drafts_nested else f"{DRAFTS}/*"


def _blog_section(
    lines: list[str],
    plan: Plan,
    title: str,
    author: tuple[str, str | None] | None,
    draft_pattern: str | None,
) -> None:
    _section(lines, "The blog (ABlog)")
    _assign(lines, "blog_title", title)
    baseurl = blog_baseurl(plan.site.config)
    if baseurl:
        _assign(lines, "blog_baseurl", baseurl, "_config.yml url + baseurl")
    else:
        lines.append("# _config.yml has no url. Set it for feeds and canonical links:")
        lines.append("# blog_baseurl = 'https://example.org/'")
    patterns = [f"{POSTS}/**"] + ([draft_pattern] if draft_pattern else [])
    _assign(
        lines,
        "blog_post_pattern",
        patterns,
        "posts/ from _posts, drafts/ from _drafts" if draft_pattern else "posts/ from _posts",
    )
    if author:
        _assign(lines, "blog_authors", {author[0]: author})
        _assign(lines, "blog_default_author", author[0])


def _jekyll_section(lines: list[str], plan: Plan, draft_pattern: str | None) -> None:
    config = plan.site.config
    _section(lines, "Jekyll's behaviour, from _config.yml")
    _assign(
        lines,
        "ablog_ext_timezone",
        plan.timezone,
        "_config.yml timezone"
        if _text(config, "timezone")
        else "no timezone: GitHub Pages builds in UTC",
    )
    permalink, origin = post_permalink(config)
    lines.append("# Old post URLs: each gets a redirect, and links to them resolve.")
    _assign(lines, "ablog_ext_permalink", permalink, origin)
    _reading_options(lines, config)
    _pagination_options(lines, config)
    if draft_pattern:
        _assign(lines, "ablog_ext_drafts", [draft_pattern], "from _drafts: never published")
    if plan.nested:
        lines.append("# Jekyll's categories from folders: en/news/_posts/x.md is in en and news.")
        _assign(lines, "ablog_ext_folder_categories", True)
    lines.append("# Posts read as Jekyll reads them: Liquid, kramdown's syntax, `tags: a b`.")
    _assign(lines, "ablog_ext_liquid", True)
    _assign(lines, "ablog_ext_space_separated_tags", True)
    kramdown = config.get("kramdown")
    if isinstance(kramdown, dict) and kramdown:
        # parse_block_html: Markdown inside HTML blocks, as kramdown reads it.
        _assign(lines, "ablog_ext_kramdown", kramdown, "_config.yml kramdown")
    else:
        _assign(lines, "ablog_ext_kramdown", True)
    if plan.site.includes:
        _assign(lines, "ablog_ext_liquid_includes", INCLUDES, "for {% include %}")
    if plan.data_files:
        _assign(lines, "ablog_ext_liquid_data", DATA, "for Liquid's site.data")
    lines.append("# Liquid's site.* (such as {{ site.title }}): the values of _config.yml.")
    _assign(lines, "ablog_ext_site", liquid_site(config))
    plugins = config_list(config, "plugins") + config_list(config, "gems")
    if "jekyll-feed" in plugins:
        lines.append("# jekyll-feed: ablog_ext writes blog/atom.xml, rss.xml and feed.json.")


def _pagination_options(lines: list[str], config: dict[str, Any]) -> None:
    """jekyll-paginate's ``paginate`` (posts a page) and ``paginate_path`` (its later
    pages' URLs, ``/page:num/`` by default): the blog's pages, and a redirect from
    each old page URL."""
    per_page = config.get("paginate")
    if isinstance(per_page, bool) or not isinstance(per_page, int) or per_page < 1:
        return
    _assign(lines, "ablog_ext_posts_per_page", per_page, "_config.yml paginate")
    path = config.get("paginate_path")
    if isinstance(path, str) and ":num" in path:
        origin = "_config.yml paginate_path"
    else:
        path, origin = "/page:num/", "jekyll-paginate's default paginate_path"
    lines.append("# The old URLs of the blog's later pages: each redirects to its page here.")
    _assign(lines, "ablog_ext_paginate_path", path, origin)


def _reading_options(lines: list[str], config: dict[str, Any]) -> None:
    """How posts are read: the excerpt separator, future posts, Markdown suffixes."""
    separator = config.get("excerpt_separator")
    if isinstance(separator, str):  # "" too: Jekyll then makes no excerpts
        _assign(lines, "ablog_ext_excerpt_separator", separator, "_config.yml excerpt_separator")
    else:
        lines.append("# Jekyll's default: a post's excerpt is its text up to the first blank line.")
        _assign(lines, "ablog_ext_excerpt_separator", "\n\n")
    future = config.get("future") is True
    _assign(
        lines,
        "ablog_ext_future",
        future,
        "_config.yml future"
        if "future" in config
        else "Jekyll's default: posts dated later wait",
    )
    _assign(
        lines,
        "ablog_ext_post_suffixes",
        markdown_suffixes(config),
        "_config.yml markdown_ext" if "markdown_ext" in config else "Jekyll's markdown_ext",
    )


def _static_section(lines: list[str], plan: Plan) -> None:
    if plan.static_folders or plan.root_files:
        _section(lines, "Jekyll's static files")
        lines.append("# Copied as they are, at the same path: /assets/x.png stays /assets/x.png.")
    if plan.static_folders:
        _assign(lines, "ablog_ext_root_folders", plan.static_folders)
    if plan.root_files:
        _assign(lines, "html_extra_path", plan.root_files)


_SPECIAL = re.compile(r"([\\`*_\[\]<>{}#!|~$&])")


def markdown_text(text: str) -> str:
    """Plain text as one line of Markdown that reads as that text."""
    text = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)  # not a numbered list
    return re.sub(r"^([-+=>])", r"\\\1", text)  # not a list, a setext line, a quote


def render_index(config: dict[str, Any], fallback: str) -> str:
    lines = [f"# {markdown_text(site_title(config, fallback))}", ""]
    description = _text(config, "description")
    if description:
        lines += [markdown_text(description), ""]
    lines += [
        "```{postlist} 10",
        ":excerpts:",
        "```",
        "",
        'Every post is in the <a href="blog/archive.html">archive</a>.',
    ]
    return "\n".join(lines) + "\n"
