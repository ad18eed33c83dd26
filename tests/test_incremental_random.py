"""A seeded random sequence of edits, each followed by an incremental build that
must equal a clean build of the same sources.

The short sequence runs with the tests; ``nox -s stress`` runs a long one
(``ABLOG_EXT_STRESS_STEPS``, default 60 there).
"""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_dir

STEPS = int(os.environ.get("ABLOG_EXT_STRESS_STEPS", "6"))
SEED = int(os.environ.get("ABLOG_EXT_STRESS_SEED", "2019"))
CATEGORIES = ["Career", "Engineering", "Life", "Release notes"]
TAGS = ["python", "team work", "docs", "ml", "writing"]
THEMES = ["Leadership", "Startup", "Growth", "Writing"]

CONF = """\
project = "Random edits"
extensions = ["ablog_ext"]
html_theme = "pydata_sphinx_theme"
blog_post_pattern = "posts/*.md"
blog_baseurl = "https://random.example.org/"
ablog_ext_review_pages = True
ablog_ext_feed_archives = ["category", "tag", "theme", "year"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
"""
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

    def text(self) -> str:
        lines = ["---", f"title: {self.title}", f"date: {self.date}", f"category: {self.category}"]
        lines.append(f"tags: [{', '.join(self.tags)}]")
        if not self.published:
            lines.append("published: false")
        lines += ["---", "", f"The body of {self.title.lower()}.", ""]
        if self.theme:
            lines += [
                f":::{{theme}} {self.theme}",
                f"A passage of {self.slug} about {self.theme}.",
                ":::",
                "",
            ]
        return "\n".join(lines)


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
        folder = self.root / "posts"
        folder.mkdir(parents=True, exist_ok=True)
        existing = {p.stem for p in folder.glob("*.md")}
        for slug in existing - set(self.posts):
            (folder / f"{slug}.md").unlink()
        for slug, post in self.posts.items():
            path = folder / f"{slug}.md"
            if not path.exists() or path.read_text(encoding="utf-8") != post.text():
                path.write_text(post.text(), encoding="utf-8")

    def edit(self) -> str:
        """One random edit; returns its description."""
        operation = self.rng.choice(
            [
                "add",
                "delete",
                "redate",
                "recategorise",
                "retag",
                "retitle",
                "rename-theme",
                "toggle-published",
            ]
        )
        if operation == "add" or not self.posts:
            post = self.new_post()
            self.posts[post.slug] = post
            return f"add {post.slug}"
        slug = self.rng.choice(sorted(self.posts))
        post = self.posts[slug]
        if operation == "delete":
            del self.posts[slug]
        elif operation == "redate":
            post.date = f"{self.rng.choice([2020, 2021, 2022])}-{self.rng.randint(1, 12):02d}-15"
        elif operation == "recategorise":
            post.category = self.rng.choice([c for c in CATEGORIES if c != post.category])
        elif operation == "retag":
            post.tags = self.rng.sample(TAGS, self.rng.randint(0, 3))
        elif operation == "retitle":
            post.title = f"Retitled {self.rng.randint(1, 999)}"
        elif operation == "rename-theme":
            post.theme = self.rng.choice(
                [t for t in [*THEMES, "Renamed theme", None] if t != post.theme]
            )
        else:
            post.published = not post.published
        return f"{operation} {slug}"


def article(path: Path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    main = soup.select_one("article.bd-article") or soup.select_one("main") or soup
    links = " ".join(a.get("href", "") for a in main.select("a"))
    return main.get_text(" ", strip=True) + " | " + links


def snapshot(outdir: Path, srcdir: Path) -> dict[str, str]:
    """Generated pages (their article) and feeds (their bytes), and the post pages
    of the posts that exist (their article)."""
    result = {}
    for path in sorted((outdir / "blog").rglob("*")):
        if not path.is_file():
            continue
        key = str(path.relative_to(outdir))
        result[key] = article(path) if path.suffix == ".html" else path.read_text(encoding="utf-8")
    for source in sorted((srcdir / "posts").glob("*.md")):
        page = outdir / "posts" / f"{source.stem}.html"
        if page.exists():
            result[f"posts/{source.stem}.html"] = article(page)
    for name in ("summary.html",):
        result[name] = article(outdir / name)
    return result


def replay(tmp_path: Path, seed: int, steps: int) -> list[str]:
    srcdir = tmp_path / "incremental"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(CONF, encoding="utf-8")
    (srcdir / "index.md").write_text(INDEX, encoding="utf-8")
    (srcdir / "summary.md").write_text(SUMMARY, encoding="utf-8")
    site = Site(srcdir, random.Random(seed))
    for _ in range(6):
        post = site.new_post()
        site.posts[post.slug] = post
    site.write()
    build_dir(srcdir)
    done = []
    for step in range(steps):
        done.append(site.edit())
        site.write()
        incremental = build_dir(srcdir)
        clean_src = tmp_path / f"clean-{step}"
        shutil.copytree(srcdir, clean_src, ignore=shutil.ignore_patterns("_build"))
        clean = build_dir(clean_src)
        got = snapshot(Path(incremental.outdir), srcdir)
        want = snapshot(Path(clean.outdir), clean_src)
        assert sorted(got) == sorted(want), (done, set(got) ^ set(want))
        for key in want:
            assert got[key] == want[key], (done, key)
        shutil.rmtree(clean_src)
    return done


def test_random_edits_incremental_equals_clean(tmp_path):
    done = replay(tmp_path, SEED, STEPS)
    assert len(done) == STEPS


@pytest.mark.parametrize("seed", [7, 11])
def test_other_seeds(tmp_path, seed):
    assert len(replay(tmp_path, seed, 3)) == 3
