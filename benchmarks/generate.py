"""Generate the same N blog posts as a Sphinx site (plain ABlog or ablog_ext), a
Jekyll site (with jekyll-feed) and a Hugo site, plus a Jekyll blog that uses
Liquid and kramdown (the input of ``ablog-ext init --from-jekyll``).

Posts have front matter dates (so plain ABlog does not take them for drafts),
categories, tags, a series (every fourth post), ``#`` sections, an excerpt
separator and theme passages.  The Sphinx sites come in two shapes: ``toctree``
lists the posts in a hidden glob ``toctree`` on the index page (the common way to
avoid "not in any toctree" warnings), ``orphan`` lists them in no toctree.

    python3 benchmarks/generate.py OUT --posts 1000 --variant ext --shape toctree

Two more ablog_ext variants time what issue 21 adds, on the same posts: ``ext-on``
has all of it on (pages of 10 posts, reading time, related posts, the series of
every fourth post, link previews, the sitemap), ``ext-off`` none of it (no series
in the front matter; the sitemap's handler disconnected, since the feeds need the
URL that turns it on).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CATEGORIES = ["Engineering", "Career", "Release notes", "How-to", "Essays", "Community"]
TAGS = [
    "python",
    "sphinx",
    "docs",
    "testing",
    "team work",
    "release",
    "design",
    "feeds",
    "ci",
    "writing",
]
THEMES = ["Leadership", "Startup", "Documentation", "Teamwork", "Writing"]
PROSE = (
    "the build reads every post once and writes each page when its inputs change while "
    "authors edit text preview pages and publish from continuous integration with feeds "
    "for each category and a review of the year grouped by theme and month"
)
WORDS = PROSE.split(" ")
SHAPES = ("toctree", "orphan")
VARIANTS = ("plain", "ext")
#: ablog_ext with issue 21's features all off, and all on (the benchmark's pair).
FEATURE_VARIANTS = ("ext-off", "ext-on")
SITE_TITLE = "Benchmark blog"
BASE_URL = "https://bench.example.org/"

COMMON_CONF = f"""\
project = "Benchmark"
html_theme = "pydata_sphinx_theme"
blog_post_pattern = "posts/*.md"
blog_baseurl = "{BASE_URL}"
blog_title = "{SITE_TITLE}"
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
suppress_warnings = ["myst.header"]
"""

PLAIN_CONF = (
    COMMON_CONF
    + """\
extensions = ["myst_parser", "ablog"]
fontawesome_included = True
blog_feed_archives = True
html_sidebars = {
    "posts/*": ["ablog/postcard.html", "ablog/recentposts.html", "ablog/archives.html",
                "ablog/categories.html", "ablog/tagcloud.html"],
    "blog/**": ["ablog/recentposts.html", "ablog/archives.html", "ablog/categories.html",
                "ablog/tagcloud.html"],
}


def setup(app):
    # Plain ABlog has no `theme` directive; render passages as plain containers.
    from docutils import nodes
    from docutils.parsers.rst import Directive, directives

    class Theme(Directive):
        has_content = True
        optional_arguments = 1
        final_argument_whitespace = True
        option_spec = {"date": directives.unchanged}

        def run(self):
            node = nodes.container()
            self.state.nested_parse(self.content, self.content_offset, node)
            return [node]

    app.add_directive("theme", Theme)
"""
)

EXT_CONF = (
    COMMON_CONF
    + """\
extensions = ["ablog_ext"]
ablog_ext_feed_formats = ["atom", "rss", "json"]
ablog_ext_feed_archives = ["category", "series"]
ablog_ext_review_pages = True
"""
)

FEATURES_OFF_CONF = (
    EXT_CONF
    + """\
ablog_ext_posts_per_page = None
ablog_ext_reading_time = False
ablog_ext_related_posts = 0
ablog_ext_link_previews = False


def setup(app):
    # No sitemap: ablog_ext writes one whenever the site has a URL (the feeds need it).
    from ablog_ext.pages.sitemap import write_sitemap

    for listener in list(app.events.listeners["build-finished"]):
        if listener.handler is write_sitemap:
            app.disconnect(listener.id)
"""
)

FEATURES_ON_CONF = (
    EXT_CONF
    + """\
ablog_ext_posts_per_page = 10
ablog_ext_reading_time = True
ablog_ext_related_posts = 3
ablog_ext_link_previews = True
"""
)

CONFS = {
    "plain": PLAIN_CONF,
    "ext": EXT_CONF,
    "ext-off": FEATURES_OFF_CONF,
    "ext-on": FEATURES_ON_CONF,
}

HIDDEN_TOCTREE = """
```{toctree}
:hidden:
:glob:

posts/*
```
"""


# -- the posts, independent of any generator ---------------------------------------------


@dataclass
class Section:
    heading: str
    paragraph: str
    theme: tuple[str, str] | None = None  # (theme name, passage)


@dataclass
class Post:
    index: int
    date: dt.datetime
    title: str
    categories: list[str]
    tags: list[str]
    intro: str
    sections: list[Section] = field(default_factory=list)
    #: Every fourth post is in a series of ten (``series`` in the front matter).
    series: str = ""

    @property
    def slug(self) -> str:
        return f"{self.date:%Y-%m-%d}-post-{self.index:05d}"


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(2, 4)))


def make_posts(count: int, seed: int = 2019) -> list[Post]:
    """*count* posts spread evenly over 2019-2024; the same for every generator."""
    rng = random.Random(seed)
    start = dt.datetime(2019, 1, 1, 9, 0)
    span = (dt.datetime(2024, 12, 31) - start).total_seconds()
    posts = []
    for index in range(count):
        date = start + dt.timedelta(seconds=span * index / max(count - 1, 1))
        date = date.replace(microsecond=0)
        categories = rng.sample(CATEGORIES, rng.choice([1, 1, 2]))
        tags = rng.sample(TAGS, rng.randint(0, 3))
        post = Post(index, date, f"Post number {index}", categories, tags, paragraph(rng))
        post.series = f"Series {index // 40}" if index % 4 == 0 else ""
        for number in range(rng.randint(2, 4)):
            section = Section(f"Section {number + 1}", paragraph(rng))
            if rng.random() < 0.4:
                section.theme = (rng.choice(THEMES), paragraph(rng))
            post.sections.append(section)
        posts.append(post)
    return posts


def front_matter(post: Post, extra: list[str] | None = None) -> list[str]:
    return [
        "---",
        f"title: {post.title}",
        f"date: {post.date:%Y-%m-%d %H:%M:%S}",  # no offset: plain ABlog cannot compare aware dates
        f"categories: [{', '.join(post.categories)}]",
        f"tags: [{', '.join(post.tags)}]",
        *([f"series: {post.series}"] if post.series else []),
        *(extra or []),
        "---",
        "",
    ]


def post_text(post: Post, theme_passage: Callable[[str, str], list[str]]) -> str:
    """A post in Markdown: front matter, an excerpt, ``#`` sections, and each theme
    passage as *theme_passage* writes it (from the theme's name and the passage)."""
    lines = [*front_matter(post), post.intro, "", "<!--more-->", ""]
    for section in post.sections:
        lines += [f"# {section.heading}", "", section.paragraph, ""]
        if section.theme:
            lines += theme_passage(*section.theme)
    return "\n".join(lines)


def myst_theme(name: str, passage: str) -> list[str]:
    return [f":::{{theme}} {name}", passage, ":::", ""]


def kramdown_theme(name: str, passage: str) -> list[str]:
    """kramdown reads Markdown inside an HTML block marked ``markdown="1"``."""
    return [f'<div class="theme" title="{name}" markdown="1">', passage, "</div>", ""]


def hugo_theme(name: str, passage: str) -> list[str]:
    """Goldmark reads Markdown inside an HTML block after a blank line."""
    return [f'<div class="theme" title="{name}">', "", passage, "", "</div>", ""]


# -- Sphinx: plain ABlog and ablog_ext ---------------------------------------------------


def generate(root: Path, posts: int, variant: str, shape: str = "orphan", seed: int = 2019) -> Path:
    """Write the Sphinx site for *variant* (``plain``, ``ext``, ``ext-off``, ``ext-on``)
    and *shape* into *root*."""
    if variant not in CONFS or shape not in SHAPES:
        raise ValueError(f"unknown variant or shape: {variant}, {shape}")
    (root / "posts").mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(CONFS[variant], encoding="utf-8")
    review = "" if variant == "plain" else "\n```{year-in-review} 2021\n```\n"
    toctree = HIDDEN_TOCTREE if shape == "toctree" else ""
    (root / "index.md").write_text(
        f"# Benchmark\n\n```{{postlist}} 10\n```\n{review}{toctree}", encoding="utf-8"
    )
    for post in make_posts(posts, seed):
        if variant == "ext-off":
            post.series = ""
        (root / "posts" / f"{post.slug}.md").write_text(
            post_text(post, myst_theme), encoding="utf-8"
        )
    return root


# -- Jekyll (kramdown, jekyll-feed) ------------------------------------------------------

JEKYLL_CONFIG = f"""\
title: {SITE_TITLE}
url: "{BASE_URL.rstrip("/")}"
baseurl: ""
markdown: kramdown
excerpt_separator: "<!--more-->"
permalink: /posts/:year-:month-:day-:title.html
plugins:
  - jekyll-feed
exclude: [_build, Gemfile, Gemfile.lock]
# Posts get the post layout (title, date, categories, tags, the sidebars), as the
# Sphinx and Hugo pages do: without it Jekyll writes the bare body.
defaults:
  - scope:
      path: ""
      type: posts
    values:
      layout: post
"""

#: Every page: the latest posts, the archive by year, categories and tags with counts,
#: what ABlog's sidebars show on a post.
JEKYLL_DEFAULT = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ page.title | default: site.title }}</title>
{% feed_meta %}
</head>
<body>
<header><a href="{{ '/' | relative_url }}">{{ site.title }}</a></header>
<main>{{ content }}</main>
<aside>
<h3>Recent posts</h3>
<ul>{% for post in site.posts limit: 5 %}
<li><a href="{{ post.url | relative_url }}">{{ post.title }}</a></li>{% endfor %}</ul>
<h3>Archives</h3>
<ul>{% assign years = site.posts | group_by_exp: "post", "post.date | date: '%Y'" %}
{% for year in years %}<li>{{ year.name }} ({{ year.items | size }})</li>{% endfor %}</ul>
<h3>Categories</h3>
<ul>{% for category in site.categories %}
<li>{{ category[0] }} ({{ category[1] | size }})</li>{% endfor %}</ul>
<h3>Tags</h3>
<ul>{% for tag in site.tags %}<li>{{ tag[0] }} ({{ tag[1] | size }})</li>{% endfor %}</ul>
</aside>
</body>
</html>
"""

JEKYLL_POST = """\
---
layout: default
---
<article>
<h1>{{ page.title }}</h1>
<p>{{ page.date | date: "%d %B %Y" }} &middot; {{ page.categories | join: ", " }}
&middot; {{ page.tags | join: ", " }}</p>
{{ content }}
</article>
{% if page.previous %}<a href="{{ page.previous.url | relative_url }}">
{{ page.previous.title }}</a>{% endif %}
{% if page.next %}<a href="{{ page.next.url | relative_url }}">{{ page.next.title }}</a>{% endif %}
"""

JEKYLL_INDEX = """\
---
layout: default
title: Benchmark
---
<h1>Benchmark</h1>
{% for post in site.posts limit: 10 %}
<h2><a href="{{ post.url | relative_url }}">{{ post.title }}</a></h2>
{{ post.excerpt }}
{% endfor %}
"""

JEKYLL_BLOG = """\
---
layout: default
title: All posts
permalink: /blog.html
---
<h1>All posts</h1>
{% for post in site.posts %}
<h2><a href="{{ post.url | relative_url }}">{{ post.title }}</a></h2>
{{ post.excerpt }}
{% endfor %}
"""


def _write_jekyll_frame(root: Path) -> None:
    (root / "_layouts").mkdir(parents=True, exist_ok=True)
    (root / "_posts").mkdir(exist_ok=True)
    (root / "_config.yml").write_text(JEKYLL_CONFIG, encoding="utf-8")
    (root / "_layouts" / "default.html").write_text(JEKYLL_DEFAULT, encoding="utf-8")
    (root / "_layouts" / "post.html").write_text(JEKYLL_POST, encoding="utf-8")
    (root / "index.html").write_text(JEKYLL_INDEX, encoding="utf-8")
    (root / "blog.html").write_text(JEKYLL_BLOG, encoding="utf-8")


def generate_jekyll(root: Path, posts: int, seed: int = 2019) -> Path:
    """The same posts as a Jekyll site: kramdown, jekyll-feed, sidebars in the layout."""
    _write_jekyll_frame(root)
    for post in make_posts(posts, seed):
        (root / "_posts" / f"{post.slug}.md").write_text(
            post_text(post, kramdown_theme), encoding="utf-8"
        )
    return root


# -- Hugo (goldmark, built-in RSS) -------------------------------------------------------

HUGO_CONFIG = f"""\
baseURL = "{BASE_URL}"
title = "{SITE_TITLE}"
uglyURLs = true
summaryLength = 70
[taxonomies]
category = "categories"
tag = "tags"
[markup.goldmark.renderer]
unsafe = true
[outputs]
home = ["HTML", "RSS"]
section = ["HTML", "RSS"]
taxonomy = ["HTML", "RSS"]
term = ["HTML", "RSS"]
"""

HUGO_BASEOF = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ .Title }}</title>
{{ with .OutputFormats.Get "rss" }}
<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
<aside>
<h3>Recent posts</h3>
<ul>{{ range first 5 (where .Site.RegularPages "Section" "posts") }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<h3>Archives</h3>
<ul>{{ range (where .Site.RegularPages "Section" "posts").GroupByDate "2006" }}
<li>{{ .Key }} ({{ len .Pages }})</li>{{ end }}</ul>
<h3>Categories</h3>
<ul>{{ range .Site.Taxonomies.categories }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
<h3>Tags</h3>
<ul>{{ range .Site.Taxonomies.tags }}<li>{{ .Page.Title }} ({{ .Count }})</li>{{ end }}</ul>
</aside>
</body>
</html>
"""

HUGO_SINGLE = """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p>{{ .Date.Format "02 January 2006" }}
&middot; {{ delimit (.Params.categories | default slice) ", " }}
&middot; {{ delimit (.Params.tags | default slice) ", " }}</p>
{{ .Content }}
</article>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ end }}
"""

HUGO_LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ range .Pages }}
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
{{ .Summary }}
{{ end }}
{{ end }}
"""

HUGO_INDEX = """\
{{ define "main" }}
<h1>Benchmark</h1>
{{ range first 10 (where .Site.RegularPages "Section" "posts") }}
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
{{ .Summary }}
{{ end }}
{{ end }}
"""


def generate_hugo(root: Path, posts: int, seed: int = 2019) -> Path:
    """The same posts as a minimal Hugo site: taxonomies, RSS, sidebars in the base layout."""
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (root / "content" / "posts").mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (layouts / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (root / "layouts" / "index.html").write_text(HUGO_INDEX, encoding="utf-8")
    for post in make_posts(posts, seed):
        path = root / "content" / "posts" / f"{post.slug}.md"
        path.write_text(post_text(post, hugo_theme), encoding="utf-8")
    return root


# -- a Jekyll blog written the Jekyll way: Liquid and kramdown in its posts --------------

JEKYLL_NOTE_INCLUDE = '<p class="note">{{ include.text }}</p>\n'


def liquid_post(post: Post, previous: Post | None, rng: random.Random) -> str:
    """A post that uses what Jekyll posts use: Liquid tags, filters, includes and raw
    blocks; kramdown's attribute lists, table of contents, footnotes, definition
    lists, fenced and highlighted code, ``markdown="1"`` blocks."""
    extra = ["layout: post", f"description: An excerpt of {post.title.lower()}"]
    lines = [*front_matter(post, extra), post.intro, "", "<!--more-->", ""]
    if rng.random() < 0.3:
        lines += ["* TOC", "{:toc}", ""]
    for number, section in enumerate(post.sections):
        lines += [f"## {section.heading}", "{: #section-" + str(number + 1) + "}", ""]
        lines += [section.paragraph + "[^" + str(number + 1) + "]", ""]
        if section.theme:
            lines += kramdown_theme(*section.theme)
        choice = rng.randrange(6)
        if choice == 0 and previous is not None:
            lines += [f"Read [the post before]({{% post_url {previous.slug} %}}).", ""]
        elif choice == 1:
            lines += ["{% highlight python %}", "def build(site):", "    return site", ""]
            lines += ["{% endhighlight %}", ""]
        elif choice == 2:
            lines += ["{% include note.html text=\"Posted on \" %}{{ page.date | date: '%Y' }}"]
            lines += [""]
        elif choice == 3:
            lines += ["Build term", ": what `{{ site.title }}` does on each push", ""]
        elif choice == 4:
            lines += ["{% raw %}", "Liquid shown as is: {{ page.title }}", "{% endraw %}", ""]
        else:
            lines += ["A note from {{ site.title }}.", "{: .note}", ""]
    lines += ["{% for tag in page.tags %}#{{ tag }} {% endfor %}", ""]
    for number in range(len(post.sections)):
        lines += [f"[^{number + 1}]: Footnote {number + 1} of {post.title.lower()}."]
    return "\n".join(lines) + "\n"


def generate_jekyll_liquid(root: Path, posts: int, seed: int = 2019) -> Path:
    """A Jekyll blog of *posts* posts with Liquid and kramdown in the posts."""
    _write_jekyll_frame(root)
    (root / "_includes").mkdir(exist_ok=True)
    (root / "_includes" / "note.html").write_text(JEKYLL_NOTE_INCLUDE, encoding="utf-8")
    rng = random.Random(seed + 1)
    previous = None
    for post in make_posts(posts, seed):
        text = liquid_post(post, previous, rng)
        (root / "_posts" / f"{post.slug}.md").write_text(text, encoding="utf-8")
        previous = post
    return root


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("output", type=Path)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument(
        "--variant",
        choices=[*VARIANTS, *FEATURE_VARIANTS, "jekyll", "hugo", "jekyll-liquid"],
        default="ext",
    )
    parser.add_argument("--shape", choices=SHAPES, default="toctree")
    args = parser.parse_args()
    if args.variant == "jekyll":
        generate_jekyll(args.output, args.posts)
    elif args.variant == "hugo":
        generate_hugo(args.output, args.posts)
    elif args.variant == "jekyll-liquid":
        generate_jekyll_liquid(args.output, args.posts)
    else:
        generate(args.output, args.posts, args.variant, args.shape)


if __name__ == "__main__":
    main()
