"""Property-based tests: front matter normalisation never raises, and what it
returns is well-typed, whatever YAML can hold."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ablog_ext.jekyll.frontmatter import PostMeta, normalise, read_front_matter

KEYS = [
    "title", "date", "category", "categories", "tags", "tag", "author", "authors",
    "published", "excerpt", "excerpt_separator", "redirect_from", "permalink",
    "last_modified_at", "comments", "layout",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(),
    st.dates(),
    st.datetimes(timezones=st.one_of(st.none(), st.timezones())),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(), children, max_size=3)
    ),
    max_leaves=8,
)
front_matters = st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text()), values, max_size=8)
file_names = st.one_of(
    st.sampled_from(
        ["posts/2020-01-05-x.md", "posts/2020-02-30-x.md", "posts/x.md", "9999-12-31-y.md"]
    ),
    st.text(),
)


def check_well_typed(meta: PostMeta) -> None:
    assert meta.title is None or (isinstance(meta.title, str) and meta.title)
    for date in (meta.date, meta.updated):
        assert date is None or isinstance(date, dt.datetime)
        if date is not None:
            date.isoformat()
            date.replace(tzinfo=None) < dt.datetime(9999, 1, 1)  # noqa: B015 (comparable)
    assert meta.date_source in {None, "front matter", "file name"}
    for names in (meta.categories, meta.tags, meta.authors, meta.redirect_from):
        assert isinstance(names, tuple)
        assert all(isinstance(name, str) and name for name in names)
        assert len(set(names)) == len(names)
    assert "" not in meta.tags
    assert isinstance(meta.published, bool)
    assert isinstance(meta.comments, bool)
    assert meta.excerpt is None or isinstance(meta.excerpt, str)
    # Empty means no separator, as Jekyll's `excerpt_separator: ""`.
    assert isinstance(meta.excerpt_separator, str)
    assert meta.permalink is None or isinstance(meta.permalink, str)
    for problem in meta.problems:
        assert isinstance(problem.key, str) and isinstance(problem.message, str)
    for text in (meta.title or "", *meta.categories, *meta.tags):
        assert not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text)


@settings(max_examples=400, deadline=None)
@given(front_matters, file_names)
def test_normalise_never_raises_and_is_well_typed(front_matter, file_name):
    check_well_typed(normalise(front_matter, file_name))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_reading_front_matter_never_raises(text):
    block = read_front_matter("---\n" + text)
    assert block.data is None or isinstance(block.data, dict)
    assert block.error is None or isinstance(block.error, str)
    if block.data is not None:
        check_well_typed(normalise(block.data, "posts/2020-01-01-x.md"))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), st.text(), max_size=6))
def test_yaml_round_trip_of_text_values(front_matter):
    import yaml

    text = "---\n" + yaml.safe_dump(front_matter, allow_unicode=True) + "---\nbody\n"
    block = read_front_matter(text)
    if block.error is None and block.data is not None:
        check_well_typed(normalise(block.data, "posts/x.md"))
