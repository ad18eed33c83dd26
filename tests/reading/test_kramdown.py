"""kramdown syntax to MyST: the pure conversion, and what a real build shows."""

from __future__ import annotations

import re

import pytest

from ablog_ext.jekyll.kramdown import convert, parse_attributes

from helpers import heading_text, main_text, read_html, warnings_of


def lines_of(text):
    return convert(text).text.split("\n")


def test_attribute_lists_parse():
    attrs = parse_attributes("#id .a .b key=\"v w\" other='x' bare=1")
    assert attrs is not None
    assert (attrs.ids, attrs.classes) == (["id"], ["a", "b"])
    assert attrs.keys == {"key": "v w", "other": "x", "bare": "1"}
    assert parse_attributes("ok, car") is None
    assert parse_attributes("note", {"note": ".n #x"}).classes == ["n"]
    assert parse_attributes("nope", {}).unknown == ["nope"]


def test_block_attributes_move_before_their_block():
    result = convert("A lead\nparagraph.\n{: .lead #intro}\n\nNext.")
    assert result.text.split("\n") == ["{#intro .lead}", "A lead", "paragraph.", "", "Next."]
    assert result.lines == [3, 1, 2, 4, 5]
    assert result.extensions == {"attrs_block"}


def test_attributes_written_before_a_block_stay_there():
    assert lines_of("{: .note}\nText.") == ["{.note}", "Text."]


def test_heading_ids_become_targets():
    assert lines_of("## Heading {#first}\n\nText") == ["(first)=", "## Heading", "", "Text"]
    assert lines_of("### Plain\n{: #later}") == ["(later)=", "### Plain"]
    assert lines_of("\nSetext {#s}\n------") == ["", "(s)=", "Setext", "------"]


def test_toc_becomes_a_contents_directive():
    result = convert("* TOC\n{:toc}\n\n## A")
    assert result.text.split("\n")[:3] == ["```{contents}", ":local:", "```"]
    assert result.lines[:3] == [1, 2, 2]


def test_ald_definitions_vanish_and_references_resolve():
    assert lines_of("{:warn: .warning}\n\nCareful.\n{: warn}") == [
        "",
        "",
        "{.warning}",
        "Careful.",
    ]


def test_span_attributes_on_links_and_images_others_dropped():
    result = convert('[a](u){: .x target="_blank"} ![i](p){: width="9" srcset="s"} *e*{: .y}')
    assert result.text == '[a](u){.x} ![i](p){width="9"} *e*'
    assert [what for _, what in result.dropped] == [
        "{: target='_blank'}",
        "{: srcset='s'}",
        "{: .y}",
    ]
    assert "attrs_inline" in result.extensions


def test_span_attributes_on_reference_images():
    result = convert('![logo][l]{: width="9" srcset="s"}\n\n[l]: x.png')
    assert result.text.split("\n")[0] == '![logo][l]{width="9"}'


def test_a_style_is_a_class_and_a_rule():
    """swift.org floats images with {: style="float: left"}, ruby-lang.org aligns
    a paragraph right: each style is a class, its rule in a <style> at the end."""
    result = convert(
        '![i](p){: style="float: left; margin-right: 1em"} x\n\n'
        'Right.\n{: style="text-align: right"}\n'
    )
    lines = result.text.split("\n")
    image_class = re.search(r"\{\.(ablog-ext-style-\w+)\}", lines[0])[1]
    assert lines[2].startswith("{.ablog-ext-style-") and lines[3] == "Right."
    block_class = lines[2][2:-1]
    assert result.dropped == []
    assert lines[-6:] == [
        "```{raw} html",
        "<style>",
        *sorted(
            [
                f".{image_class} {{ float: left !important; margin-right: 1em !important }}",
                f".{block_class} {{ text-align: right !important }}",
            ]
        ),
        "</style>",
        "```",
    ]
    # Nothing in a style can end the rule or the element.
    hostile = convert('![i](p){: style="color: red; </style><script>x()"}')
    assert "<script>" not in hostile.text and "{ color: red !important;" in hostile.text


def test_extensions():
    result = convert(
        '{::options toc_levels="2" /}\n{::comment}\nhidden\n{:/comment}\n'
        "{::nomarkdown}\n<b>x</b>\n{:/nomarkdown}\nA{::comment}gone{:/comment}B"
    )
    assert result.text.split("\n") == ["", "", "", "", "```{raw} html", "<b>x</b>", "```", "AB"]
    assert [what for _, what in result.dropped] == ['{::options toc_levels="2" /}']


def test_math_display_inline_and_dollars():
    assert lines_of("$$\n\\frac{a}{b}\n$$") == ["```{math}", "\\frac{a}{b}", "```"]
    assert lines_of("$$ E = mc^2 $$") == ["```{math}", "E = mc^2", "```"]
    assert lines_of("Costs $5 or $$ x_1 $$ and $6.") == ["Costs $5 or {math}`x_1` and $6."]
    assert lines_of("Escaped \\$$ x $$") == ["Escaped \\$$ x $$"]


@pytest.mark.parametrize(
    "code",
    [
        "```\n{: .x}\n$$ y $$\n## H {#i}\n```",
        "~~~\n{:toc}\n~~~",
        "Para.\n\n    {: .x}\n    $$ y $$",
        "Text `{: .x}` and `$$ y $$` here.",
    ],
)
def test_code_is_never_touched(code):
    assert convert(code).text == code


def test_lookalikes_of_myst_attributes_are_escaped():
    # Only converted when the post has kramdown syntax (here the trailing span list).
    assert convert("*x*{.y} and [a](b){#c} {: .z}").text == "*x*\\{.y} and [a](b)\\{#c} "


def test_text_without_kramdown_is_returned_as_is():
    text = "Plain {braces} and {:ok, car} in prose."
    result = convert(text)
    assert result.text == text
    assert result.dropped == []


# -- a real build -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("liquid")


def test_build_shows_no_kramdown_syntax(built):
    page = main_text(read_html(built, "posts/2020-10-01-kramdown"))
    for code in page.select("pre, code"):
        code.decompose()
    text = page.get_text(" ", strip=True)
    assert "{:" not in text
    assert "$$" not in text
    assert "{::" not in text


def test_build_maps_what_myst_has(built):
    page = main_text(read_html(built, "posts/2020-10-01-kramdown"))
    toc = [a.get_text() for a in page.select("nav.contents a")]
    assert toc == ["First section", "Second section"]
    # The heading's kramdown id is an anchor of its section: the section's own id
    # (MyST 5) or a span at its start (MyST 4 keeps the heading's slug as the id).
    for anchor, heading in (("first", "First section"), ("second", "Second section")):
        target = page.find(id=anchor)
        assert target is not None, anchor
        section = target if target.name == "section" else target.find_parent("section")
        assert heading_text(section.find("h2")) == heading
    lead = page.select_one("p#intro")
    assert lead is not None and "lead" in lead["class"]
    assert "before-block" in page.find("p", string=re.compile("written before it"))["class"]
    ald = page.select_one("p#from-ald")
    assert ald is not None and "callout" in ald["class"]
    image = page.select_one('img[src="https://example.org/logo.png"]')
    # Attributes or a style, depending on the docutils version.
    size = (image.get("width"), image.get("height"))
    assert size == ("120", "60") or "width: 120px; height: 60px" in image.get("style", "")
    # Its style="border:0": a class, and the rule for it in a <style> of the page.
    (styled,) = [name for name in image["class"] if name.startswith("ablog-ext-style-")]
    rules = " ".join(style.get_text() for style in page.find_all("style"))
    assert f".{styled} {{ border:0 !important }}" in rules
    assert page.select_one("div.raw-html").get_text() == "kept as HTML"
    assert "never shown" not in page.get_text()


def test_build_renders_math_and_keeps_dollars(built):
    page = main_text(read_html(built, "posts/2020-10-01-kramdown"))
    assert page.select_one("span.math").get_text() == "\\(x^2 + y^2\\)"
    assert page.select_one("div.math").get_text().strip() == "\\[\\frac{a}{b} = c\\]"
    assert "It costs $5, or $10 with shipping" in page.get_text(" ", strip=True)


def test_build_keeps_code_as_written(built):
    page = main_text(read_html(built, "posts/2020-10-01-kramdown"))
    code = page.select_one("div.highlight-ruby").get_text()
    assert "{: .not-an-attribute}" in code
    assert "$$ not math $$" in code
    literals = [c.get_text() for c in page.select("code.literal")]
    assert literals == ["{: .kept}", "$$ kept $$"]
    assert "{.braces} is text" in page.get_text(" ", strip=True)


def test_build_warns_once_per_post_with_lines(built):
    found = [w for w in warnings_of(built) if "[ablog_ext.kramdown]" in w]
    assert len(found) == 1
    assert "2020-10-01-kramdown.md:7: WARNING: kramdown: MyST has no equivalent for" in found[0]
    for part in ["(line 7)", "target='_blank'} (line 12)", "{: .highlight} (line 12)"]:
        assert part in found[0]
    assert "style" not in found[0]  # kept, as a class and a rule (line 15)


def test_parse_block_html_reads_markdown_inside_html_blocks():
    """dask's _config.yml sets kramdown's parse_block_html: a setext heading right
    after <div class="col-md-6"> is a heading there; CommonMark would keep the
    lines up to a blank one as HTML, and show 'Summary -------'."""
    text = '<div class="row">\n<div class="col">\nSummary\n-------\n\nText.\n</div>\n</div>\n'
    assert convert(text).text == text  # kramdown's default: HTML is HTML
    result = convert(text, parse_block_html=True)
    assert result.text.split("\n")[:6] == [
        '<div class="row">',
        "",
        '<div class="col">',
        "",
        "Summary",
        "-------",
    ]
    assert "Text.\n\n</div>" in result.text
    assert result.lines[:6] == [1, 2, 2, 2, 3, 4]
    # Raw HTML inside stays HTML.
    raw = convert("<div>\n<p>raw</p>\n</div>\n", parse_block_html=True).text
    assert raw.startswith("<div>\n<p>raw</p>")


def test_end_of_block_marker_ends_a_list_before_code():
    """ruby-lang.org's 2005 advisory ends a list with kramdown's ``^`` so that the
    indented patch after it is code; CommonMark showed '^' and read the patch as
    the list's text."""
    text = "* a patch\n^\n\n    --- a/x.rb\n    +++ b/x.rb\n"
    result = convert(text)
    assert result.text == "* a patch\n<!-- -->\n\n    --- a/x.rb\n    +++ b/x.rb\n"
    assert result.lines == [1, 2, 3, 4, 5, 6]
    assert convert("Not a marker: 2^10\n").text == "Not a marker: 2^10\n"


def test_markdown_inside_an_element_with_markdown_1():
    """crystal-lang.org wraps images in <figure markdown="1">: kramdown reads the
    content as Markdown, CommonMark would show '![](...)'."""
    text = '<figure markdown="1">\n  ![](/a.jpg)\n  <caption>C</caption>\n</figure>\n'
    result = convert(text)
    assert result.text == "<figure>\n\n  ![](/a.jpg)\n  <caption>C</caption>\n\n</figure>\n"
    assert result.lines == [1, 1, 2, 3, 4, 4, 5]


def test_destinations_kramdown_takes_as_they_are():
    """crystal-lang.org's image names hold spaces; swift.org escapes the closing
    parenthesis of a Wikipedia address: CommonMark reads neither as a link."""
    text = "![](/a/2024 talk.jpg) [boxing](https://w.org/Type_(x\\)#B) [t](/x \"title\")"
    assert convert(text).text == (
        '![](</a/2024 talk.jpg>) [boxing](<https://w.org/Type_(x)#B>) [t](/x "title")'
    )
