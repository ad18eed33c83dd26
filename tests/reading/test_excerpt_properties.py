"""Property: wherever the excerpt separator stands in a post, the build succeeds and
the excerpt is exactly the text before it.

Each example is one generated body (headings of every level, paragraphs, nested
lists, admonitions, fenced code, tables, block quotes) and one Sphinx build with
one post per position of the separator (before every line, inside every block),
plus the body without a separator; every word of the body is unique, so what the
excerpt holds can be read off its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import build_dir, warnings_of

SEPARATOR = "<!--more-->"
WORD = re.compile(r"\bxq\d+\b")


@dataclass(frozen=True)
class Line:
    text: str
    #: What goes before a separator inserted before this line, to keep it in the
    #: same block (a list item's indentation, a block quote's ``>``).
    prefix: str = ""
    #: Inside fenced code: a separator there must not cut.
    code: bool = False


class Words:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, n: int = 1) -> str:
        words = []
        for _ in range(n):
            self.count += 1
            words.append(f"xq{self.count}")
        return " ".join(words)


blocks = st.one_of(
    st.tuples(st.just("heading"), st.integers(1, 4)),
    st.tuples(st.just("paragraph"), st.integers(1, 3)),
    st.tuples(st.just("list"), st.lists(st.integers(0, 2), min_size=1, max_size=3)),
    st.tuples(st.just("admonition"), st.sampled_from(["note", "warning", "tip"])),
    st.tuples(st.just("colon"), st.sampled_from(["note", "important"])),
    st.tuples(st.just("code"), st.integers(1, 3)),
    st.tuples(st.just("table"), st.integers(1, 2)),
    st.tuples(st.just("quote"), st.integers(1, 3)),
)


def render_block(kind: str, arg, word: Words) -> list[Line]:
    if kind == "heading":
        return [Line("#" * arg + " " + word(2))]
    if kind == "paragraph":
        return [Line(word(2)) for _ in range(arg)]
    if kind == "list":
        lines = []
        for nested in arg:
            lines.append(Line(f"- {word()}"))
            lines += [Line(f"  - {word()}", prefix="  ") for _ in range(nested)]
        return lines
    if kind == "admonition":
        return [
            Line(f"```{{{arg}}}"),
            Line(word(2)),
            Line("", prefix=""),
            Line(word()),
            Line("```"),
        ]
    if kind == "colon":
        return [Line(f":::{{{arg}}}"), Line(word(2)), Line(":::")]
    if kind == "code":
        body = [Line(f"{word()} = {index}", code=True) for index in range(arg)]
        return [Line("```python"), *body, Line("```", code=True)]
    if kind == "table":
        rows = [Line(f"| {word()} | {word()} |") for _ in range(arg)]
        return [Line(f"| {word()} | {word()} |"), Line("|---|---|"), *rows]
    assert kind == "quote"
    return [Line(f"> {word()}", prefix="> ") for _ in range(arg)]


def positions(body: list[list[Line]]) -> list[tuple[str, list[str], list[str], bool]]:
    """``(source, words before, words after, in code)`` for each place of the separator."""
    flat: list[tuple[Line, bool]] = []  # (line, first line of its block)
    for block in body:
        flat += [(line, index == 0) for index, line in enumerate(block)]
        flat.append((Line(""), False))
    results = []
    for cut in range(len(flat) + 1):
        lines: list[str] = []
        for index, (line, first) in enumerate(flat):
            if index == cut:
                prefix = "" if first else line.prefix
                lines.append(prefix + SEPARATOR)
            lines.append(line.text)
        if cut == len(flat):
            lines.append(SEPARATOR)
        code = cut < len(flat) and flat[cut][0].code and not flat[cut][1]
        before = WORD.findall(" ".join(line.text for line, _ in flat[:cut]))
        after = WORD.findall(" ".join(line.text for line, _ in flat[cut:]))
        results.append(("\n".join(lines) + "\n", before, after, code))
    return results


def write_site(srcdir: Path, bodies: list[list[list[Line]]]) -> dict[str, tuple]:
    (srcdir / "posts").mkdir(parents=True)
    (srcdir / "conf.py").write_text(
        'extensions = ["ablog_ext"]\nblog_post_pattern = "posts/*"\n'
        'myst_enable_extensions = ["colon_fence"]\nexclude_patterns = ["_build"]\n'
        "suppress_warnings = ['myst.header']\n",
        encoding="utf-8",
    )
    (srcdir / "index.md").write_text("# Home\n", encoding="utf-8")
    expected = {}
    for number, body in enumerate(bodies):
        control = f"posts/2020-01-01-b{number}-control"
        plain = "\n\n".join("\n".join(line.text for line in block) for block in body) + "\n"
        _post(srcdir, control, "Control", plain)
        for index, (text, before, after, code) in enumerate(positions(body)):
            docname = f"posts/2020-01-01-b{number}-at{index}"
            _post(srcdir, docname, f"Post {number} {index}", text)
            expected[docname] = (before, after, code, control)
    return expected


def _post(srcdir: Path, docname: str, title: str, body: str) -> None:
    front = f"---\ntitle: {title}\ncategory: Generated\n---\n\n"
    (srcdir / f"{docname}.md").write_text(front + body, encoding="utf-8")


def excerpt_words(app, docname: str) -> list[str]:
    excerpt = app.env.ablog_posts[docname][0]["excerpt"]
    return WORD.findall(" ".join(node.astext() for node in excerpt))


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.lists(blocks, min_size=2, max_size=5), min_size=1, max_size=2))
def test_separator_anywhere(tmp_path_factory, kinds):
    word = Words()
    bodies = [[render_block(kind, arg, word) for kind, arg in body] for body in kinds]
    srcdir = tmp_path_factory.mktemp("separator")
    expected = write_site(srcdir, bodies)
    app = build_dir(srcdir)  # raises if the build stops

    assert not [w for w in warnings_of(app) if "ablog_ext.excerpt" in w], warnings_of(app)
    outdir = Path(app.outdir)
    category = BeautifulSoup(
        (outdir / "blog/category/generated.html").read_text(encoding="utf-8"), "html.parser"
    )
    shown = {
        block.select_one(".ablog-post-title").get_text(strip=True): WORD.findall(
            block.get_text(" ")
        )
        for block in category.select(".ablog-post")
    }
    for docname, (before, after, code, control) in expected.items():
        assert (outdir / f"{docname}.html").is_file(), docname
        words = excerpt_words(app, docname)
        title = app.env.ablog_posts[docname][0]["title"]
        if code:
            # In code the separator is text: the excerpt is the post's without it.
            assert words == excerpt_words(app, control), docname
            page = BeautifulSoup(
                (outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser"
            )
            assert any(SEPARATOR in pre.get_text() for pre in page.select("pre")), docname
        else:
            assert set(before) <= set(words), (docname, before, words)
            assert not set(after) & set(words), (docname, after, words)
        # The category page shows the same excerpt, rendered.
        assert shown[title] == words, (docname, shown[title], words)
