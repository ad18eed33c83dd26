"""Shapes found on real Jekyll blogs (dask, elixir-lang, brew.sh, ruby-lang.org,
jekyllrb.com, swift.org, crystal-lang.org) by moving them with ``init`` and
comparing with Jekyll; each post in ``roots/test-real-shapes`` is our own, one shape
each."""

from __future__ import annotations

import pytest

from ablog_ext.domain import blog_domain

from conftest import main_text, warnings_of


@pytest.fixture(scope="module")
def built(site_factory):
    return site_factory("real-shapes")


def test_names_keep_their_quotes(built, html):
    """Jekyll keeps ``Fool's day`` as written; Sphinx's smart quotes must not turn
    names (the keys of archive pages) into ``Fool’s day``."""
    record = blog_domain(built.env).posts["posts/2015-04-01-quoted-names"]
    assert record["tags"] == ["Fool's day", "macros"]
    assert record["categories"] == ["Rock 'n' roll"]
    assert record["authors"] == ["O'Brien"]
    card = html(built, "posts/2015-04-01-quoted-names").select_one(".ablog__postcard")
    assert "Fool's day" in card.get_text()
    assert "Fool’s" not in card.get_text()
    # The title is text a reader reads: Sphinx's smart quotes apply, as on any page.
    assert main_text(html(built, "posts/2015-04-01-quoted-names")).h1 is not None


def test_links_of_any_scheme_are_addresses(built, html):
    """kramdown writes ``[x](rsync://...)`` and ``[x](list:1234)`` as links, where
    MyST looks up a scheme it does not know as a reference and warns (ruby-lang.org's
    news link ``ruby-talk:124434`` and ``rsync://``)."""
    links = {
        a.get_text(): a["href"]
        for a in main_text(html(built, "posts/2004-12-26-other-schemes")).find_all("a")
    }
    assert links["rsync"] == "rsync://mirror.example.org/pub/"
    assert links["list:1234"] == "list:1234"
    assert links["the archive"] == "URL:https://archive.example.org/notes.tar.gz"
    assert not [w for w in warnings_of(built) if "other-schemes" in w]
