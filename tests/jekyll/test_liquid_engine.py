"""The pure parts of Liquid: Jekyll's tags and filters, line tracking, errors."""

from __future__ import annotations

import datetime as dt

import pytest

from ablog_ext.jekyll import liquid_filters as filters
from ablog_ext.jekyll.liquid import JekyllLiquid, mark_lines, unmark


class Files:
    """A resolver over an in-memory site."""

    def __init__(self, includes=None, posts=(), pages=()):
        self.includes = includes or {}
        self.posts = set(posts)
        self.pages = set(pages)
        self.asked: list[tuple[str, bool]] = []

    def include(self, name, relative):
        self.asked.append((name, relative))
        key = ("./" if relative else "") + name
        return (key, self.includes[key]) if key in self.includes else None

    def post_url(self, name):
        return f"/posts/{name}.html" if name in self.posts else None

    def link(self, path):
        return f"/{path.rsplit('.', 1)[0]}.html" if path in self.pages else None


def render(text, page=None, resolver=None, site=None):
    default = {"title": "Site", "url": "https://ex.org", "baseurl": "/b"}
    engine = JekyllLiquid(default if site is None else site)
    return engine.render(text, page or {"title": "A post"}, resolver or Files())


# -- line tracking ---------------------------------------------------------------------------


def test_marks_round_trip_keeps_text_and_lines():
    text = "one\n{% if x %}\ntwo\n{% endif %}\nthree {{ page.title }}\n"
    out, lines = unmark(mark_lines(text), 5)
    assert out == text
    assert lines == [1, 2, 3, 4, 5, 5]


def test_no_mark_inside_markup_or_next_to_whitespace_control():
    text = "a {{\n page.title }}\n{%- if x -%}\nb\n"
    marked = mark_lines(text)
    # Line 1 ends inside `{{ }}`; lines 2 and 3 end where `{%-`/`-%}` trims.
    assert marked.count("\ue000") == 1
    assert marked.endswith("b\ue0004\ue001\n")


def test_lines_of_an_include_map_to_the_include_tag():
    files = Files({"three.md": "x\ny\nz"})
    result = render("top\n{% include three.md %}\nbottom\n", resolver=files)
    assert result.text == "top\nx\ny\nz\nbottom\n"
    assert result.lines[:5] == [1, 2, 2, 2, 3]


def test_whitespace_control_still_trims():
    result = render("a\n{%- if true -%}\n  b\n{%- endif -%}\nc")
    assert result.text == "abc"


# -- tags ---------------------------------------------------------------------------------


def test_highlight_becomes_a_code_block_with_line_numbers():
    text = (
        "{% highlight Ruby linenos %}\nputs 1\nputs {{ page.title | upcase }}\n{% endhighlight %}\n"
    )
    result = render(text)
    assert result.text == "```{code-block} ruby\n:linenos:\nputs 1\nputs A POST\n```\n"
    assert result.lines[2:5] == [2, 3, 4]
    assert result.problems == []


def test_highlight_marks_lines_and_fences_around_backticks():
    text = '{% highlight text mark_lines="1 2" %}\n```\ncode\n{% endhighlight %}'
    result = render(text)
    assert result.text.splitlines() == [
        "````{code-block} text",
        ":emphasize-lines: 1,2",
        "```",
        "code",
        "````",
    ]


def test_highlight_indented_in_a_list_keeps_its_indent():
    text = "- item\n\n  {% highlight python %}\n  x = 1\n  {% endhighlight %}\n"
    assert render(text).text == "- item\n\n  ```{code-block} python\n  x = 1\n  ```\n"


def test_highlight_with_bad_markup_is_reported_and_kept_as_code():
    result = render("{% highlight %}\ncode\n{% endhighlight %}")
    assert "code" in result.text
    assert [problem.line for problem in result.problems] == [1]


def test_raw_is_kept_verbatim():
    assert render("{% raw %}{{ page.title }} {% if %}{% endraw %}").text == (
        "{{ page.title }} {% if %}"
    )


def test_include_parameters_quoted_and_from_variables():
    files = Files({"card.html": "[{{ include.a }}|{{ include.b }}|{{ include.c }}]"})
    page = {"title": "T", "extra": {"name": "from page"}}
    text = '{% include card.html a="double \\"q\\"" b=\'single\' c=page.extra.name %}'
    assert render(text, page, files).text == '[double "q"|single|from page]'


def test_include_file_name_from_a_variable_and_relative_include():
    files = Files({"x/card.md": "card", "./near.md": "near {{ include.who }}"})
    text = (
        '{% assign f = "card" %}{% include x/{{ f }}.md %} {% include_relative near.md who="me" %}'
    )
    result = render(text, resolver=files)
    assert result.text == "card near me"
    assert files.asked == [("x/card.md", False), ("near.md", True)]


@pytest.mark.parametrize("name", ["../secret", "a//b", "a b"])
def test_include_refuses_names_that_leave_the_folder(name):
    files = Files({name: "secret"})
    result = render(f"{{% include {name} %}}", resolver=files)
    assert "secret" not in result.text
    assert len(result.problems) == 1


def test_include_assigns_leak_like_jekyll_and_errors_name_the_include():
    files = Files({"setup": "{% assign base = '/x' %}\n", "bad.html": "ok\n{{ 1 | nope }}"})
    result = render("1\n{% include setup %}{{ base }}\n{% include bad.html %}\n", resolver=files)
    assert "/x" in result.text
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "unknown filter 'nope' (in 'bad.html', line 2)")
    ]


def test_recursive_include_is_an_error_not_a_crash():
    result = render("{% include self.md %}", resolver=Files({"self.md": "{% include self.md %}"}))
    assert result.problems


def test_post_url_and_link():
    files = Files(posts={"2019-03-05-a", "news/2019-03-06-b"}, pages={"about.md"})
    text = (
        "{% post_url 2019-03-05-a %} {% post_url /news/2019-03-06-b %} {% link about.md %} "
        "{% post_url 2000-01-01-none %} {% link _docs/history.md %}#v1-0"
    )
    result = render(text, resolver=files)
    assert result.text == (
        "/posts/2019-03-05-a.html /posts/news/2019-03-06-b.html /about.html  "
        # A link to nothing keeps its path (jekyllrb.com links to a collection's page).
        "/_docs/history.md#v1-0"
    )
    assert [p.message for p in result.problems] == [
        "'post_url': no post named '2000-01-01-none'",
        "'link': no page or post at '_docs/history.md'",
    ]


def test_gist_is_a_link():
    assert render("{% gist octo/abc123 x.py %}").text == (
        "[gist octo/abc123](https://gist.github.com/octo/abc123#file-x-py)"
    )


def test_unknown_tags_output_nothing_and_are_listed_once_per_name():
    result = render("{% seo %}\nA\n{% feed_meta %}\n{% seo %}\n{% twitter x %}B{% endtwitter %}")
    assert result.text == "\nA\n\n\nB"
    assert result.unknown_tags == {
        "seo": [1, 4],
        "feed_meta": [3],
        "twitter": [5],
        "endtwitter": [5],
    }
    assert result.problems == []


def test_unbalanced_markup_leaves_the_text_unrendered():
    result = render("price {% oops\n{{ page.title }}")
    assert not result.rendered
    assert result.text == "price {% oops\n{{ page.title }}"
    assert result.problems[0].line == 1


def test_a_failing_output_is_left_out_and_the_rest_renders():
    result = render("a {{ x | nope }} b {{ page.title }}")
    assert result.text == "a  b A post"
    assert len(result.problems) == 1


# -- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (None, "the-config-yml-file"),
        ("pretty", "the-_config.yml-file"),
        ("raw", "the-_config.yml-file?"),
        ("ascii", "the-config-yml-file"),
        ("none", "the _config.yml file?"),
    ],
)
def test_slugify_modes(mode, expected):
    assert filters.slugify("The _config.yml file?", mode) == expected


def test_slugify_unicode_and_latin():
    assert filters.slugify("Café au lait") == "café-au-lait"
    assert filters.slugify("Café au lait", "latin") == "cafe-au-lait"


def test_date_filters():
    date = dt.datetime(2019, 3, 1, 10, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert filters.JEKYLL_FILTERS["date_to_string"](date) == "01 Mar 2019"
    assert filters.JEKYLL_FILTERS["date_to_long_string"](date, "ordinal") == "1st March 2019"
    assert filters.JEKYLL_FILTERS["date_to_string"](date, "ordinal", "US") == "Mar 1st, 2019"
    assert filters.date_to_xmlschema(date) == "2019-03-01T10:05:00+02:00"
    assert filters.date_to_rfc822(date) == "Fri, 01 Mar 2019 10:05:00 +0200"
    assert filters.date_to_xmlschema("2019-03-01") == "2019-03-01T00:00:00+00:00"
    assert filters.JEKYLL_FILTERS["date_to_string"]("") == ""


def test_text_filters():
    assert filters.xml_escape('a "b" <c> & d') == "a &quot;b&quot; &lt;c&gt; &amp; d"
    assert filters.cgi_escape("foo,bar;baz?") == "foo%2Cbar%3Bbaz%3F"
    assert filters.uri_escape("foo, bar \\baz?") == "foo,%20bar%20%5Cbaz?"
    assert filters.normalize_whitespace("  a \n\t b  ") == "a b"
    assert filters.number_of_words("one two  three") == 3
    assert filters.number_of_words("你好 world", "cjk") == 3
    assert filters.smartify('"Hi" -- it\'s...') == "\u201cHi\u201d \u2013 it\u2019s\u2026"
    assert filters.markdownify("*x*") == "*x*"


def test_array_filters():
    assert filters.array_to_sentence_string(["a"]) == "a"
    assert filters.array_to_sentence_string(["a", "b"], "or") == "a or b"
    assert filters.array_to_sentence_string(["a", "b", "c"]) == "a, b, and c"
    assert filters.jsonify({"a": [1, "x"], "d": dt.date(2020, 1, 2)}) == (
        '{"a":[1,"x"],"d":"2020-01-02"}'
    )
    items = [{"n": "x", "v": 2}, {"n": "y"}, {"n": "z", "v": 1, "tags": ["t"]}]
    assert filters.where(items, "v", "2") == [items[0]]
    assert filters.where(items, "tags", "t") == [items[2]]
    assert filters.jekyll_sort(items, "v") == [items[1], items[2], items[0]]
    assert filters.jekyll_sort(items, "v", "last") == [items[2], items[0], items[1]]
    assert [group["name"] for group in filters.group_by(items, "v")] == ["2", "", "1"]
    assert filters.push([1], 2) == [1, 2]
    assert filters.pop([1, 2, 3], 2) == [1]
    assert filters.to_integer("3.7") == 3


def test_expression_filters_in_templates():
    site = {"posts": [{"year": 2014, "t": "a"}, {"year": 2016, "t": "b"}, {"year": 2016, "t": "c"}]}
    text = (
        "{% assign new = site.posts | where_exp: 'p', 'p.year > 2015' %}"
        "{{ new | map: 't' | join: '' }}"
        "|{% assign g = site.posts | group_by_exp: 'p', 'p.year | plus: 1' %}"
        "{% for x in g %}{{ x.name }}={{ x.size }};{% endfor %}"
        "|{{ site.posts | find_exp: 'p', 'p.t == \"c\"' | map: 'year' }}"
    )
    result = render(text, site=site)
    assert result.text == "bc|2015=1;2017=2;|2016"


def test_url_filters_follow_site_url_and_baseurl():
    assert render("{{ '/a.pdf' | relative_url }} {{ 'a' | absolute_url }}").text == (
        "/b/a.pdf https://ex.org/b/a"
    )
    assert render("{{ 'https://x.org/' | relative_url }}").text == "https://x.org/"
    plain = render("{{ 'a' | relative_url }} {{ 'a' | absolute_url }}", site={})
    assert plain.text == "/a /a"
