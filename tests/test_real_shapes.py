"""Shapes found on real Jekyll blogs (dask, elixir-lang, brew.sh, ruby-lang.org,
jekyllrb.com, swift.org, crystal-lang.org) by moving them with ``init`` and
comparing with Jekyll; each post in ``roots/test-real-shapes`` is our own, one shape
each."""

from __future__ import annotations

import pytest

from ablog_ext.domain import blog_domain

from conftest import main_text


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
