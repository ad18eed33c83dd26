"""kramdown's reading where Jekyll blogs rely on it (issue 19, items 6 to 11): the
pure conversion, no Sphinx. The build side is in tests/reading/test_kramdown_shapes.py.
Each expectation was checked with kramdown 2.4 (``Kramdown::Document.new(text).to_html``)."""

from __future__ import annotations

import pytest

from ablog_ext.jekyll.kramdown import convert, parse_attributes


def lines_of(text: str) -> list[str]:
    return convert(text).text.split("\n")


# -- 7 and 8: markdown="1" blocks, balanced around headings, any spacing ----------------


def test_a_heading_first_in_a_markdown_block_stays_outside_it():
    """kramdown puts the heading inside the box; MyST makes it a section, so the
    box is opened after it: open and close land in the same section."""
    result = convert('<div class="box" markdown="1">\n## Short version\nThe gist.\n</div>\n')
    assert result.text.split("\n") == [
        "## Short version",
        "",
        '<div class="box">',
        "",
        "The gist.",
        "",
        "</div>",
        "",
    ]


def test_a_markdown_block_is_closed_and_opened_again_at_each_heading():
    result = convert(
        '<section markdown="1">\nLead.\n\n## One {#one}\nFirst.\n\nSecond\n------\nMore.\n'
        "</section>\nAfter.\n"
    )
    assert result.text.split("\n") == [
        "<section>",
        "",
        "Lead.",
        "",
        "</section>",
        "",
        "(one)=",
        "## One",
        "",
        "<section>",
        "",
        "First.",
        "",
        "</section>",
        "",
        "Second",
        "------",
        "",
        "<section>",
        "",
        "More.",
        "",
        "</section>",
        "",
        "After.",
        "",
    ]
    # Every output line points at a source line.
    assert len(result.lines) == len(result.text.split("\n"))
    assert max(result.lines) == 12  # the line after the last


def test_a_block_holding_only_a_heading_leaves_no_empty_element():
    assert lines_of('<div markdown="1">\n# Alone\n</div>\n') == ["# Alone", "", ""]


def test_a_heading_in_code_inside_a_markdown_block_is_code():
    text = '<div markdown="1">\n```\n## not a heading\n```\n</div>\n'
    assert lines_of(text) == ["<div>", "", "```", "## not a heading", "```", "", "</div>", ""]


@pytest.mark.parametrize(
    "opening",
    [
        '<div markdown = "1">',
        "<div markdown='1'>",
        "<div markdown=1>",
        '<div class="note"  markdown =  "1" >',
    ],
)
def test_markdown_1_with_any_spacing_and_quotes(opening):
    lines = lines_of(f"{opening}\n*inside*\n</div>\n")
    assert lines[0].startswith("<div") and "markdown" not in lines[0]
    assert lines[1:] == ["", "*inside*", "", "</div>", ""]


# -- 10: an attribute list with a token kramdown has no use for ---------------------------


def test_unknown_tokens_of_an_attribute_list_are_dropped():
    attrs = parse_attributes('target="_blank" :rel="noopener" .wide')
    assert attrs is not None
    assert (attrs.keys, attrs.classes) == ({"target": "_blank"}, ["wide"])
    assert attrs.ignored == [':rel="noopener"']
    # Nothing that is an attribute: not an attribute list (shown as written).
    assert parse_attributes("ok, car") is None
    assert parse_attributes(":rel") is None


def test_a_link_with_an_extra_token_is_a_link_and_one_drop():
    result = convert('Read [the notes](/notes/){:target="_blank" :rel="noopener"} now.\n')
    assert result.text == "Read [the notes](/notes/) now.\n"
    assert result.dropped == [(1, "{: target='_blank' :rel=\"noopener\"}")]


def test_a_block_attribute_list_with_an_extra_token():
    result = convert('A lead.\n{: .lead :odd="x"}\n')
    assert result.text.split("\n") == ["{.lead}", "A lead.", ""]
    assert [what for _, what in result.dropped] == ['{: :odd="x"}']


# -- 11: undefined footnote references stay text --------------------------------------------


def test_an_undefined_footnote_reference_is_text():
    assert convert("A type[^1] of tea.\n").text == "A type\\[^1] of tea.\n"


def test_a_defined_footnote_reference_is_kept_and_code_untouched():
    text = "Steep[^t] then pour[^p].\n\n`x[^1]`\n\n[^t]: Four minutes.\n"
    assert convert(text).text == (
        "Steep[^t] then pour\\[^p].\n\n`x[^1]`\n\n[^t]: Four minutes.\n"
    )
    assert convert("Steep[^t].\n\n[^t]: Four minutes.\n").text == (
        "Steep[^t].\n\n[^t]: Four minutes.\n"
    )
