"""Site-absolute links and images in posts whose target the new site will not have.

A post links to ``/assets/x.png``, ``{{ site.baseurl }}/about/`` or
``https://example.org/files/a.pdf`` (the site's own ``url``).  The target is there
when it is a copied static file, or a post (ablog_ext resolves old post URLs:
matched here by the post's slug, ``permalink`` or ``redirect_from``).  Anything
else (a page of the Jekyll site, a feed, a file that never existed) is listed for
the user.  Links inside code are not links.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Iterator

from ..frontmatter import read_front_matter

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.M | re.S)
_HIGHLIGHT = re.compile(r"{%-?\s*highlight\b.*?{%-?\s*endhighlight\s*-?%}", re.S)
_RAW = re.compile(r"{%-?\s*raw\s*-?%}.*?{%-?\s*endraw\s*-?%}", re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
#: {{ site.url }}, {{ site.baseurl }}, {{ site.github.url }}, with any filters.
_SITE_PREFIX = re.compile(r"{{-?\s*site\.(?:url|baseurl|github\.url)\b[^}]*?-?}}")
#: {{ "/x" | relative_url }} and absolute_url.
_URL_FILTER = re.compile(r"""{{-?\s*["']([^"']*)["']\s*\|\s*(?:relative|absolute)_url\s*-?}}""")
_LINK_TAG = re.compile(r"{%-?\s*link\s+(\S+)\s*-?%}")
_INLINE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_ATTRIBUTE = re.compile(r"""\b(?:src|href|poster|data)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def _strip_code(text: str) -> str:
    for pattern in (_FENCE, _HIGHLIGHT, _RAW, _HTML_COMMENT):
        text = pattern.sub("", text)
    return _CODE_SPAN.sub("", text)


def targets(text: str) -> Iterator[str]:
    """Every link and image target of a post's body, in order."""
    block = read_front_matter(text)
    body = "\n".join(text.splitlines()[block.body_start :]) if block.body_start else text
    body = _strip_code(body)
    body = _URL_FILTER.sub(lambda match: match[1], body)
    body = _SITE_PREFIX.sub("", body)
    for match in _LINK_TAG.finditer(body):
        yield "/" + match[1].lstrip("/")
    for pattern in (_INLINE, _REFERENCE):
        for match in pattern.finditer(body):
            yield match[1]
    for match in _ATTRIBUTE.finditer(body):
        yield match[1] if match[1] is not None else match[2]


def site_path(target: str, url: str | None, baseurl: str) -> str | None:
    """The path inside the site that *target* points to (``assets/x.png``), or None
    for a link elsewhere, a relative link, or a Liquid expression left unresolved."""
    target = target.strip()
    if "{{" in target or "{%" in target:
        return None
    if target.startswith("//") or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
        # A full URL is the site's own when it starts with the site's url.
        if not url:
            return None
        bare, own = (re.sub(r"^(https?:)?//", "", text, flags=re.I) for text in (target, url))
        own = own.rstrip("/").lower()
        if not own or not (bare.lower() == own or bare.lower().startswith(own + "/")):
            return None
        target = "/" + bare[len(own) :].lstrip("/")
    if not target.startswith("/") or target.startswith("//"):
        return None
    path = urllib.parse.unquote(target.split("#", 1)[0].split("?", 1)[0])
    base = "/" + baseurl.strip("/") if baseurl.strip("/") else ""
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :] or "/"
    return path.lstrip("/")


class TargetIndex:
    """What the new site serves at a site path."""

    def __init__(
        self, files: Iterable[str], slugs: Iterable[str], permalinks: Iterable[str]
    ) -> None:
        self.files = set(files)
        self.slugs = {slug.lower() for slug in slugs if slug}
        self.permalinks = {_clean(link) for link in permalinks}

    def has(self, path: str) -> bool:
        if path in ("", "index.html"):
            return True
        bare = path.rstrip("/")
        if bare in self.files or f"{bare}/index.html" in self.files:
            return True
        if _clean(path) in self.permalinks:
            return True
        last = bare.rpartition("/")[2]
        for suffix in (".html", ".htm"):
            last = last.removesuffix(suffix)
        return last.lower() in self.slugs


def _clean(link: str) -> str:
    path = link.strip().strip("/")
    for suffix in ("/index.html", ".html"):
        path = path.removesuffix(suffix)
    return path.lower()


def missing_targets(text: str, index: TargetIndex, url: str | None, baseurl: str) -> list[str]:
    """The site-absolute targets of a post's links and images that the new site lacks."""
    missing: list[str] = []
    for target in targets(text):
        path = site_path(target, url, baseurl)
        if path is not None and not index.has(path) and target not in missing:
            missing.append(target)
    return missing
