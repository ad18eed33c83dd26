"""Related posts: the posts that share the most tags and categories with a post.

Ranked as Hugo ranks related content: each index has a weight, and a candidate's
score is the sum, over the names it shares with the post, of the weight of the
index the name is in: :data:`TAG_WEIGHT` a shared tag, :data:`CATEGORY_WEIGHT` a
shared category (names compared without case, as ABlog's archive pages merge
them).  A post that shares nothing is not related.  Equal scores go to the newer
post, then to the post's name, so the list is the same in every build.  Unlike
Hugo's default (``includeNewer: false``), newer posts are candidates too: a
blog's newest posts are what a reader most wants to find from an older one.

The lists of the whole blog are ranked once per build (an index from each name to
its posts, so a post is compared only with posts that share a name with it).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable

from sphinx.environment import BuildEnvironment

from ablog_ext.blog.domain import blog_domain
from ablog_ext.blog.queries import Post, listed_posts

#: Hugo's ``related.indices`` weights for tags and categories.
TAG_WEIGHT = 100
CATEGORY_WEIGHT = 50


def _index_names(post: Post) -> Iterable[tuple[str, int]]:
    """``(index:name, weight)`` of each name of *post*, once each."""
    indices = (("t", post.tags, TAG_WEIGHT), ("c", post.categories, CATEGORY_WEIGHT))
    for kind, names, weight in indices:
        for name in sorted({name.casefold() for name in names if name.strip()}):
            yield f"{kind}:{name}", weight


def rank_related(posts: list[Post], limit: int) -> dict[str, tuple[Post, ...]]:
    """Up to *limit* related posts of each post of *posts*, by its key."""
    if limit <= 0:
        return {}
    # Posts by number: newest first, then by name, so a smaller number wins a tie.
    order = sorted(posts, key=lambda post: post.key)
    order.sort(key=lambda post: post.date, reverse=True)
    count = len(order)
    index: dict[str, list[int]] = {}
    names = [list(_index_names(post)) for post in order]
    for number, post_names in enumerate(names):
        for name, _weight in post_names:
            index.setdefault(name, []).append(number)
    related: dict[str, tuple[Post, ...]] = {}
    # A name's weight in units of the weights' greatest common divisor: its posts
    # counted that many times give each candidate its score in those units.
    unit = math.gcd(TAG_WEIGHT, CATEGORY_WEIGHT)
    for number, post in enumerate(order):
        members: list[int] = []
        for name, weight in names[number]:
            members += index[name] * (weight // unit)
        scores = Counter(members)  # counted at C speed
        scores.pop(number, None)
        # The highest score first, then the smallest number: one integer each,
        # ``other - score * count``, whose remainder by ``count`` is ``other``.
        best = heapq.nsmallest(limit, [other - score * count for other, score in scores.items()])
        related[post.key] = tuple(order[key % count] for key in best)
    return related


def related_posts(env: BuildEnvironment, key: str) -> tuple[Post, ...]:
    """The related posts of the post *key* (``docname`` or ``docname#section``):
    ``ablog_ext_related_posts`` of them at most.  Ranked once per build, and
    again only when a post's key, date, tags or categories changed."""
    limit = int(env.config.ablog_ext_related_posts)
    domain = blog_domain(env)
    table = domain.memo(f"related-posts-{limit}", lambda: _related_table(env, limit))
    return table.get(key, ())


def _related_table(env: BuildEnvironment, limit: int) -> dict[str, tuple[Post, ...]]:
    posts = listed_posts(env)
    # What the ranking reads of each post; the table gives keys, so a post shown
    # as related is this build's (its title may have changed).
    inputs = [(post.key, post.date, post.tags, post.categories) for post in posts]

    def ranked() -> dict[str, tuple[str, ...]]:
        table = rank_related(posts, limit)
        return {key: tuple(other.key for other in related) for key, related in table.items()}

    keys = blog_domain(env).memo_of(f"related-keys-{limit}", inputs, ranked)
    by_key = {post.key: post for post in posts}
    return {key: tuple(by_key[other] for other in related) for key, related in keys.items()}
