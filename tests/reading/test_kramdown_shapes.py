"""kramdown shapes Jekyll blogs rely on, in a real build (issue 19, items 6, 7, 8, 11):
the link after raw HTML is a link, the article holds the whole post, an undefined
footnote reference is text. The pure conversion: tests/jekyll/test_kramdown_shapes.py."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from helpers import heading_text, main_text, read_html, warnings_of

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
    "param",
}


class _Nesting(HTMLParser):
    """The end tags that do not close the element open last: where a browser
    closes elements early (the article among them) to make the page a tree."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.misnested: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        elif tag != "p":  # an end tag of a paragraph HTML closes by itself
            self.misnested.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")


def misnested(html: str) -> list[str]:
    parser = _Nesting()
    parser.feed(html)
    return parser.misnested


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("kramdown-shapes")


def test_links_after_raw_html_are_links(built):
    page = main_text(read_html(built, "posts/2021-03-04-after-html"))
    hrefs = [a["href"] for a in page.find_all("a", href=True)]
    for name in ("spout", "lid", "handle"):
        assert f"https://kettle.example.org/{name}/" in hrefs, name
    assert "](https://" not in page.get_text()
    assert page.find("img", src="https://kettle.example.org/spout.png") is not None


def test_the_article_holds_the_whole_post(built):
    html = (built.outdir / "posts/2021-03-05-boxed-heading.html").read_text(encoding="utf-8")
    start, end = html.index("<article"), html.index("</article>") + len("</article>")
    # No end tag a browser would have to repair: it would end the article early.
    assert misnested(html[start:end]) == []
    article = read_html(built, "posts/2021-03-05-boxed-heading").find("article")
    text = article.get_text(" ", strip=True)
    for words in (
        "Some words before the box",
        "Boil, pour,",
        "The rest of the post",
        "The last words of the post",
    ):
        assert words in text, words
    box = article.find("div", class_="summary")
    assert box is not None and box.find("em").get_text() == "wait"
    aside = article.find("aside", class_="aside")  # markdown = '1': spaces, quotes
    assert aside is not None and aside.find("em").get_text() == "spaced"
    assert "markdown" not in str(box) + str(aside)
    titles = [heading_text(h) for h in article.find_all(["h2", "h3"])]
    assert titles == ["Before the box", "In short", "After the box", "Deeper still"]
    # Each box is inside the section of the heading before it.
    assert heading_text(box.find_parent("section").find("h2")) == "In short"
    assert heading_text(aside.find_parent("section").find("h3")) == "Deeper still"
    assert "## " not in text


def test_an_undefined_footnote_reference_is_text(built):
    page = main_text(read_html(built, "posts/2021-03-06-lost-footnote"))
    assert "A kettle of this type[^1] whistles" in page.get_text(" ", strip=True)
    assert page.select(".problematic") == []
    assert len(page.select("a.footnote-reference")) == 1
    found = [w for w in warnings_of(built) if "lost-footnote" in w]
    assert found == []
