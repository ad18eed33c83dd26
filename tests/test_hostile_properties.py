"""Property tests of whole builds: any front matter value and any file name gives,
at worst, a located warning and a complete site, never a traceback.

Each example is one Sphinx build of a few generated posts beside a good one, so
the number of builds stays small.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers import ROOTS, build_dir, warnings_of

KEYS = [
    "title", "date", "category", "categories", "tags", "author", "published",
    "excerpt", "excerpt_separator", "redirect_from", "redirect_to", "permalink",
    "last_modified_at", "slug", "render_with_liquid", "location", "language",
]  # fmt: skip

#: Text of any length up to 10,000, control characters and all.
any_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=200),
    st.integers(min_value=0, max_value=10_000).map(lambda n: "x" * n),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    any_text,
    st.dates(),
    st.datetimes(timezones=st.one_of(st.none(), st.timezones())),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)
front_matters = st.dictionaries(st.sampled_from(KEYS), values, min_size=1, max_size=5)


def site(tmp_path: Path, name: str) -> Path:
    srcdir = tmp_path / name
    shutil.rmtree(srcdir, ignore_errors=True)
    shutil.copytree(ROOTS / "test-hostile-build", srcdir)
    return srcdir


def assert_complete(app, generated: list[str]) -> None:
    """The build finished, the good posts and the blog's pages are there, every
    warning names its file, and each generated post is published or named."""
    outdir = Path(app.outdir)
    assert "Traceback" not in app.warning.getvalue()
    for page in ("posts/2020-01-01-good.html", "blog.html", "blog/atom.xml", "index.html"):
        assert (outdir / page).is_file(), page
    found = warnings_of(app)
    for warning in found:
        assert re.match(r"^\S.*?:(\d+:)? (WARNING|ERROR)", warning), warning
    for name in generated:
        docname = f"posts/{name.removesuffix('.md')}"
        named = any(name in w or shown(name) in w or docname in w for w in found)
        assert docname in app.env.all_docs or named, (name, found)


def shown(name: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m[0]):02x}", name)


def yaml_text(front: dict) -> str:
    import yaml

    return yaml.safe_dump(front, allow_unicode=True, default_flow_style=False)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(front_matters, min_size=1, max_size=4))
def test_any_front_matter_gives_a_complete_site(tmp_path, fronts):
    srcdir = site(tmp_path, "front")
    names = []
    for number, front in enumerate(fronts):
        try:
            text = yaml_text(front)
        except Exception:  # a value YAML cannot write: not a post anyone can send
            assume(False)
        name = f"2020-06-{number + 1:02d}-generated.md"
        (srcdir / "posts" / name).write_text(f"---\n{text}---\n\nBody {number}.\n", "utf-8")
        names.append(name)
    assert_complete(build_dir(srcdir), names)


def creatable(name: str) -> bool:
    return (
        "/" not in name
        and "\x00" not in name
        and name not in {".", ".."}
        and len(name.encode("utf-8", errors="strict")) <= 250
    )


file_names = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(max_codepoint=0x9F), min_size=1, max_size=60),
    st.integers(min_value=1, max_value=246).map(lambda n: "n" * n),
    st.text(min_size=100, max_size=10_000),
).filter(lambda name: max(name or "a") < "\ud800" or not any(
    unicodedata.category(char) == "Cs" for char in name
))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(file_names, min_size=1, max_size=4, unique=True))
def test_any_file_name_gives_a_complete_site(tmp_path, stems):
    srcdir = site(tmp_path, "names")
    names = []
    for stem in stems:
        name = f"2020-07-01-{stem}.md"
        if not creatable(name):
            continue  # the file system refuses it: no such post can exist
        # Jekyll and Sphinx leave out hidden names; a name that is not a post's
        # (no title) is still read.
        (srcdir / "posts" / name).write_text("---\ntitle: Named\n---\n\nBody.\n", "utf-8")
        names.append(name)
    assume(names)
    assert_complete(build_dir(srcdir), names)
