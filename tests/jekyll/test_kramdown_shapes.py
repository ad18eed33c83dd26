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
    assert convert(text).text == ("Steep[^t] then pour\\[^p].\n\n`x[^1]`\n\n[^t]: Four minutes.\n")
    assert convert("Steep[^t].\n\n[^t]: Four minutes.\n").text == (
        "Steep[^t].\n\n[^t]: Four minutes.\n"
    )


# -- 6: an HTML block ends where kramdown ends it -------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '<figure>\n<img src="/pot.png">\n</figure>\nSee [the pot](/pot/).\n',
            '<figure>\n<img src="/pot.png">\n</figure>\n\nSee [the pot](/pot/).\n',
        ),
        ("Brewed.\n</p>\nSee [the pot](/pot/).\n", "Brewed.\n</p>\n\nSee [the pot](/pot/).\n"),
        (
            "<div>\n<div>\ncups\n</div>\n</div>\n*Stirred*\n",
            "<div>\n<div>\ncups\n</div>\n</div>\n\n*Stirred*\n",
        ),
        # An inline element first: a paragraph for kramdown, not an HTML block.
        (
            "Brewed.\n\n<br/>\nSee [the pot](/pot/).\n",
            "Brewed.\n\n<br/><!-- -->\nSee [the pot](/pot/).\n",
        ),
    ],
)
def test_markdown_after_html_is_markdown(text, expected):
    result = convert(text)
    assert result.text == expected
    assert len(result.lines) == len(expected.split("\n"))
    assert result.lines == sorted(result.lines) and result.lines[-1] == len(text.split("\n"))


@pytest.mark.parametrize(
    "text",
    [
        # Still inside the element: raw, as in kramdown.
        "<div>\n<p>cups</p>\nleft *as* written\n</div>\n",
        # HTML after HTML, code, a comment, and blocks in a list.
        "<div>\n</div>\n<p>more</p>\n",
        "```\n</figure>\n[a](b)\n```\n",
        "<!-- note -->\n[a](b)\n",
        "* <div>\n  </div>\n  [a](b)\n",
    ],
)
def test_html_kramdown_reads_as_commonmark_is_kept(text):
    assert convert(text).text == text


def test_line_numbers_after_an_ended_block_are_the_authors():
    result = convert('</figure>\n[a](b){: target="_x"}\n')
    assert result.text == "</figure>\n\n[a](b)\n"
    assert result.lines == [1, 1, 2, 3]
    assert result.dropped == [(2, "{: target='_x'}")]


def test_ending_an_html_block_converts_nothing_else():
    """Only the block's end changes: MyST's own attribute syntax in the same post
    is left alone, as in a post with no kramdown at all."""
    assert convert("</figure>\n[a](b){.wide}\n").text == "</figure>\n\n[a](b){.wide}\n"
