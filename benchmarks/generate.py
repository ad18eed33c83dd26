"""Generate a site of N Jekyll-style posts, the same for plain ABlog and ablog_ext.

Posts have front matter dates (so plain ABlog does not take them for drafts),
categories, tags, ``#`` sections, an excerpt separator, and theme passages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import textwrap
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

COMMON_CONF = """\
project = "Benchmark"
html_theme = "pydata_sphinx_theme"
blog_post_pattern = "posts/*.md"
blog_baseurl = "https://bench.example.org/"
blog_title = "Benchmark blog"
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
ablog_ext_feed_archives = ["category"]
ablog_ext_review_pages = True
"""
)


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(2, 4)))


def post(rng: random.Random, index: int, date: dt.datetime) -> tuple[str, str]:
    slug = f"{date:%Y-%m-%d}-post-{index:05d}"
    categories = rng.sample(CATEGORIES, rng.choice([1, 1, 2]))
    tags = rng.sample(TAGS, rng.randint(0, 3))
    lines = [
        "---",
        f"title: Post number {index}",
        f"date: {date:%Y-%m-%d %H:%M:%S}",  # no offset: plain ABlog cannot compare aware dates
        f"categories: [{', '.join(categories)}]",
        f"tags: [{', '.join(tags)}]",
        "---",
        "",
        paragraph(rng),
        "",
        "<!--more-->",
        "",
    ]
    for section in range(rng.randint(2, 4)):
        lines += [f"# Section {section + 1}", "", paragraph(rng), ""]
        if rng.random() < 0.4:
            theme = rng.choice(THEMES)
            lines += [f":::{{theme}} {theme}", paragraph(rng), ":::", ""]
    return slug, "\n".join(lines)


def generate(root: Path, posts: int, variant: str, seed: int = 2019) -> Path:
    """Write the site for *variant* (``plain`` or ``ext``) into *root*."""
    rng = random.Random(seed)
    (root / "posts").mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(PLAIN_CONF if variant == "plain" else EXT_CONF, encoding="utf-8")
    review = "" if variant == "plain" else "\n```{year-in-review} 2021\n```\n"
    (root / "index.md").write_text(
        textwrap.dedent(
            f"""\
            # Benchmark

            ```{{postlist}} 10
            ```
            {review}"""
        ),
        encoding="utf-8",
    )
    start = dt.datetime(2019, 1, 1, 9, 0)
    span = (dt.datetime(2024, 12, 31) - start).total_seconds()
    for index in range(posts):
        date = start + dt.timedelta(seconds=span * index / max(posts - 1, 1))
        slug, text = post(rng, index, date)
        (root / "posts" / f"{slug}.md").write_text(text, encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--variant", choices=["plain", "ext"], default="ext")
    args = parser.parse_args()
    generate(args.output, args.posts, args.variant)


if __name__ == "__main__":
    main()
