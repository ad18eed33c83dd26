"""A seeded random sequence of edits, each followed by an incremental build that
must equal a clean build of the same sources.

Equal means the same files in the output, and every HTML page (posts, documents,
generated pages, sidebars and all) and every feed identical byte for byte: two
builds of the same sources differ in nothing a reader can see, so nothing is
normalised away.  The edits change what sidebars show (titles, dates, categories,
tags, posts added, deleted, renamed, made drafts, dated after the build or left
out, redirects) and what
they do not (a post's body).

The short sequence runs with the tests; ``nox -s stress`` runs a long one
(``ABLOG_EXT_STRESS_STEPS``, default 60 there; ``ABLOG_EXT_STRESS_SEED`` picks
another sequence).
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helpers import ROOTS, build_dir, equals_clean_build, write_files

STEPS = int(os.environ.get("ABLOG_EXT_STRESS_STEPS", "6"))
SEED = int(os.environ.get("ABLOG_EXT_STRESS_SEED", "2019"))
CATEGORIES = ["Career", "Engineering", "Life", "Release notes"]
TAGS = ["python", "team work", "docs", "ml", "writing"]
THEMES = ["Leadership", "Startup", "Growth", "Writing"]

#: The site of the fresh-sidebar tests (drafts, review pages), with a feed for each
#: kind of archive and MyST's colon fences (the posts' ``{theme}`` passages).
CONF = (ROOTS / "test-fresh" / "conf.py").read_text(encoding="utf-8") + (
    'ablog_ext_feed_archives = ["category", "tag", "theme", "year"]\n'
    'myst_enable_extensions = ["colon_fence"]\n'
)
INDEX = """\
# Random edits

```{toctree}
summary
```
"""
SUMMARY = """\
# Summary

```{year-in-review} 2021
```

```{themes}
```
"""


@dataclass
class Post:
    slug: str
    title: str
    date: str
    category: str
    tags: list[str]
    theme: str | None
    published: bool = True
    #: Dated after the build: left out until then.
    future: bool = False
    #: In ``drafts/``: built, listed as a draft only.
    draft: bool = False
    body: str = "The body"
    redirects: list[str] = field(default_factory=list)

    def text(self) -> str:
        date = "2999" + self.date[4:] if self.future else self.date
        lines = ["---", f"title: {self.title}", f"date: {date}", f"category: {self.category}"]
        lines.append(f"tags: [{', '.join(self.tags)}]")
        if not self.published:
            lines.append("published: false")
        if self.redirects:
            lines.append(f"redirect_from: [{', '.join(self.redirects)}]")
        lines += ["---", "", f"{self.body} of {self.title.lower()}.", ""]
        if self.theme:
            lines += [
                f":::{{theme}} {self.theme}",
                f"A passage of {self.slug} about {self.theme}.",
                ":::",
                "",
            ]
        return "\n".join(lines)


#: Every kind of edit: what a sidebar shows (title, date, category, tags, a post
#: added, deleted, renamed, drafted, left out) and what it does not (the body).
EDITS = [
    "add",
    "delete",
    "rename",
    "redate",
    "recategorise",
    "retag",
    "retitle",
    "rewrite-body",
    "rename-theme",
    "toggle-published",
    "toggle-future",
    "toggle-draft",
    "add-redirect",
]


@dataclass
class Site:
    root: Path
    rng: random.Random
    posts: dict[str, Post] = field(default_factory=dict)
    counter: int = 0

    def new_post(self) -> Post:
        self.counter += 1
        year = self.rng.choice([2020, 2021, 2021, 2022])
        date = f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
        return Post(
            slug=f"post-{self.counter:03d}",
            title=f"Post {self.counter} {self.rng.choice(['notes', 'thoughts', 'release'])}",
            date=date,
            category=self.rng.choice(CATEGORIES),
            tags=self.rng.sample(TAGS, self.rng.randint(0, 2)),
            theme=self.rng.choice([*THEMES, None]),
        )

    def write(self) -> None:
        wanted = {
            self.root / ("drafts" if post.draft else "posts") / f"{slug}.md": post
            for slug, post in self.posts.items()
        }
        for folder in ("posts", "drafts"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
            for path in (self.root / folder).glob("*.md"):
                if path not in wanted:
                    path.unlink()
        for path, post in wanted.items():
            if not path.exists() or path.read_text(encoding="utf-8") != post.text():
                path.write_text(post.text(), encoding="utf-8")

    def edit(self) -> str:
        """One random edit; returns its description."""
        operation = self.rng.choice(EDITS)
        if operation == "add" or not self.posts:
            post = self.new_post()
            self.posts[post.slug] = post
            return f"add {post.slug}"
        slug = self.rng.choice(sorted(self.posts))
        post = self.posts[slug]
        if operation == "delete":
            del self.posts[slug]
        elif operation == "rename":
            del self.posts[slug]
            self.counter += 1
            post.slug = f"post-{self.counter:03d}"
            if self.rng.random() < 0.5:
                post.redirects.append(f"/posts/{slug}.html")
            self.posts[post.slug] = post
            return f"rename {slug} {post.slug} {post.redirects}"
        elif operation == "redate":
            post.date = f"{self.rng.choice([2020, 2021, 2022])}-{self.rng.randint(1, 12):02d}-15"
        elif operation == "recategorise":
            post.category = self.rng.choice([c for c in CATEGORIES if c != post.category])
        elif operation == "retag":
            post.tags = self.rng.sample(TAGS, self.rng.randint(0, 3))
        elif operation == "retitle":
            post.title = f"Retitled {self.rng.randint(1, 999)}"
        elif operation == "rewrite-body":
            post.body = f"Body {self.rng.randint(1, 999)}"
        elif operation == "rename-theme":
            post.theme = self.rng.choice(
                [t for t in [*THEMES, "Renamed theme", None] if t != post.theme]
            )
        elif operation == "toggle-published":
            post.published = not post.published
        elif operation == "toggle-future":
            post.future = not post.future
        elif operation == "toggle-draft":
            post.draft = not post.draft
        else:
            post.redirects.append(f"/old/{slug}-{self.rng.randint(1, 99)}/")
        return f"{operation} {slug}"


def replay(tmp_path: Path, seed: int, steps: int, conf: str = CONF, parallel: int = 0) -> list[str]:
    files = {"conf.py": conf, "index.md": INDEX, "summary.md": SUMMARY}
    srcdir = write_files(tmp_path / "incremental", files)
    site = Site(srcdir, random.Random(seed))
    for _ in range(6):
        post = site.new_post()
        site.posts[post.slug] = post
    site.write()
    build_dir(srcdir, parallel=parallel)
    done = []
    for _ in range(steps):
        done.append(site.edit())
        site.write()
        build_dir(srcdir, parallel=parallel)
        difference = equals_clean_build(srcdir, tmp_path)
        assert not difference, f"after {done}: {difference}"
    return done


def test_random_edits_incremental_equals_clean(tmp_path):
    done = replay(tmp_path, SEED, STEPS)
    assert len(done) == STEPS


@pytest.mark.parametrize("seed", [7, 11])
def test_other_seeds(tmp_path, seed):
    assert len(replay(tmp_path, seed, 3)) == 3


def test_random_edits_equals_clean_alabaster_parallel(tmp_path):
    """Another theme, ABlog's sidebars on every page, pages written by ``-j``
    worker processes."""
    conf = CONF.replace('"pydata_sphinx_theme"', '"alabaster"') + (
        'html_sidebars = {"**": ["ablog/postcard.html", "ablog/recentposts.html", '
        '"ablog/archives.html", "ablog/categories.html", "ablog/tagcloud.html"]}\n'
    )
    steps = max(3, STEPS // 3)
    assert len(replay(tmp_path, SEED + 1, steps, conf=conf, parallel=3)) == steps
