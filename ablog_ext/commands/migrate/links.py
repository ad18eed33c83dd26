"""Links and images in posts whose target the new site will not have.

A post links to ``/assets/x.png``, ``{{ site.baseurl }}/about/``,
``https://example.org/files/a.pdf`` (the site's own ``url``) or, relative to its
old URL, ``../../2016/08/25/other-post``.  The target is there when it is a copied
file, a page of the new site, or a post's old URL (ablog_ext resolves those: its
permalink, ``permalink`` or ``redirect_from``), as the build resolves it.
Anything else (a page of the Jekyll site that was not a post, a feed, a file that
never existed, ``[text]()``) is listed for the user.  Links inside code are not
links; links to an anchor of the post itself are not checked.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ablog_ext.jekyll.frontmatter import FILENAME_DATE, read_front_matter
from ablog_ext.jekyll.kramdown import gfm_id, kramdown_id
from ablog_ext.jekyll.permalinks import url_key

if TYPE_CHECKING:
    from ablog_ext.commands.migrate.plan import Plan, PostOutcome

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.M | re.S)
_HIGHLIGHT = re.compile(r"{%-?\s*highlight\b.*?{%-?\s*endhighlight\s*-?%}", re.S)
_RAW = re.compile(r"{%-?\s*raw\s*-?%}.*?{%-?\s*endraw\s*-?%}", re.S)
#: A code span, which ends with its paragraph (a stray backtick pairs with no other).
_CODE_SPAN = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
#: {{ site.url }}, {{ site.baseurl }}, {{ site.github.url }}, with any filters.
_SITE_PREFIX = re.compile(r"{{-?\s*site\.(?:url|baseurl|github\.url)\b[^}]*?-?}}")
#: {{ "/x" | relative_url }} and absolute_url.
_URL_FILTER = re.compile(r"""{{-?\s*["']([^"']*)["']\s*\|\s*(?:relative|absolute)_url\s*-?}}""")
_LINK_TAG = re.compile(r"{%-?\s*link\s+(\S+)\s*-?%}")
#: An inline link's destination: ``](x)``, ``](<x>)``, parentheses in it balanced.
_INLINE = re.compile(r"\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+[\"'(][^)]*)?\)")
#: What a post's text gives an id: an ATX or setext heading (its text), a kramdown
#: or attribute-list id, a MyST target, an HTML id or anchor name.
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
_SETEXT = re.compile(r"^ {0,3}(\S[^\n]*)\n {0,3}(?:=+|-+)[ \t]*$", re.M)
_EXPLICIT_ID = re.compile(r"\{:?[^{}\n]*?#([\w:-]+)[^{}\n]*\}")
_MYST_TARGET = re.compile(r"^\(([^()\s]+)\)=[ \t]*$", re.M)
_HTML_ID = re.compile(r"""<[a-zA-Z][^>]*?\s(?:id|name)\s*=\s*["']([^"'\s]+)["']""")
#: A link reference definition (not a footnote's, ``[^1]: text``).
_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_ATTRIBUTE = re.compile(r"""\b(?:src|href|poster|data)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def _strip_code(text: str) -> str:
    for pattern in (_FENCE, _HIGHLIGHT, _RAW, _HTML_COMMENT):
        text = pattern.sub("", text)
    return _CODE_SPAN.sub("", text)


def targets(text: str) -> Iterator[str]:
    """Every link and image target of a post's body, in order."""
    for target, _markdown in _targets(text):
        yield target


def _targets(text: str) -> Iterator[tuple[str, bool]]:
    """Each target, and whether it is Markdown's (not an HTML attribute's)."""
    block = read_front_matter(text)
    body = "\n".join(text.splitlines()[block.body_start :]) if block.body_start else text
    body = _strip_code(body)
    body = _URL_FILTER.sub(lambda match: match[1], body)
    body = _SITE_PREFIX.sub("", body)
    for match in _LINK_TAG.finditer(body):
        yield "/" + match[1].lstrip("/"), True
    for pattern in (_INLINE, _REFERENCE):
        for match in pattern.finditer(body):
            yield match[1], True
    for match in _ATTRIBUTE.finditer(body):
        yield (match[1] if match[1] is not None else match[2]), False


def anchors(text: str) -> set[str]:
    """The ids a post's page has: each heading's, as kramdown (and its GFM input),
    ablog_ext and docutils make them, and those the text gives explicitly."""
    from docutils.nodes import make_id

    block = read_front_matter(text)
    body = "\n".join(text.splitlines()[block.body_start :]) if block.body_start else text
    body = _strip_code(body)
    found = set(_EXPLICIT_ID.findall(body)) | set(_MYST_TARGET.findall(body))
    found |= set(_HTML_ID.findall(body))
    seen: dict[str, int] = {}
    headings = [m[1] for m in _ATX.finditer(body)] + [m[1] for m in _SETEXT.finditer(body)]
    for heading in headings:
        heading = re.sub(r"\{:?[^{}]*\}\s*$", "", heading).strip()
        plain = re.sub(r"[`*]|\[([^\]]*)\]\([^)]*\)", r"\1", heading)
        for base in {kramdown_id(heading) or "section", gfm_id(heading), make_id(plain)}:
            seen[base] = seen.get(base, -1) + 1
            found.add(f"{base}-{seen[base]}" if seen[base] else base)
    return found


def site_path(target: str, url: str | None, baseurl: str) -> str | None:
    """The path inside the site that *target* points to (``assets/x.png``), or None
    for a link elsewhere, a relative link, or a Liquid expression left unresolved."""
    target = target.strip()
    if "{{" in target or "{%" in target:
        return None
    if target.startswith("//") or _SCHEME.match(target):
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
    """What the new site serves at a site path, and the documents a relative link
    may name."""

    def __init__(
        self, files: Iterable[str], documents: Iterable[str], urls: Iterable[str]
    ) -> None:
        self.files = set(files)
        self.documents = set(documents)
        self.urls = {url_key(link) for link in urls}
        self.urls |= {url_key(f"/{name}.html") for name in self.documents}

    def has(self, path: str) -> bool:
        """Whether the site path *path* (``assets/x.png``, no leading ``/``) is there."""
        if path in ("", "index.html"):
            return True
        bare = path.rstrip("/")
        if bare in self.files or f"{bare}/index.html" in self.files:
            return True
        return url_key("/" + path) in self.urls

    def near(self, path: str) -> bool:
        """Whether *path*, relative to the source folder, is a file or a document."""
        if path in self.files or path in self.documents:
            return True
        stem, dot, _suffix = path.rpartition(".")
        return bool(dot) and stem in self.documents


def _clean(link: str) -> str:
    return urllib.parse.unquote(link.split("#", 1)[0].split("?", 1)[0])


def _looks_like_a_url(path: str) -> bool:
    """The relative links the build reads against a post's old URL
    (``permalinks.LinkTargets``): the others are MyST's to resolve."""
    return path.startswith(("./", "../")) or path.endswith(("/", ".html", ".htm"))


def missing_targets(
    text: str,
    index: TargetIndex,
    url: str | None,
    baseurl: str,
    *,
    here: str = "",
    old_url: str | None = None,
) -> list[str]:
    """The link and image targets of the post at *here* (its path in the new site,
    its URL on the Jekyll site *old_url*) that the new site lacks."""
    missing: list[str] = []
    ids: set[str] | None = None
    for target, markdown in _targets(text):
        target = target.strip()
        if target in missing or "{{" in target or "{%" in target:
            continue
        if target.startswith("#"):
            # A heading of the post, or "#" (the page itself): the build resolves both.
            ids = anchors(text) if ids is None else ids
            if markdown and target != "#" and urllib.parse.unquote(target[1:]) not in ids:
                missing.append(target)
            continue
        if not target and not markdown:
            continue  # href="": the page itself
        path = site_path(target, url, baseurl)
        if path is not None:
            found = index.has(path)
        elif target and (target.startswith("//") or _SCHEME.match(target)):
            continue  # an address elsewhere
        else:
            relative = _clean(target)
            found = bool(target) and index.near(
                posixpath.normpath(posixpath.join(posixpath.dirname(here), relative))
            )
            # The build reads a Markdown link (not raw HTML) against the old URL.
            if not found and markdown and old_url and _looks_like_a_url(relative):
                found = index.has(urllib.parse.urljoin(old_url, relative).lstrip("/"))
        if not found:
            missing.append(target)
    return missing


# -- Liquid, as the build renders it -------------------------------------------------


class LiquidForLinks:
    """Renders each post's Liquid as the build will (``site.*`` from
    ``_config.yml``, ``site.data``, includes, ``post_url`` and ``link``), so that the
    links a loop or an include writes are checked too. ``{% link %}`` and
    ``{% post_url %}`` to nothing are given back, to be listed."""

    def __init__(self, plan: Plan) -> None:
        from ablog_ext.commands.migrate.jekyll import LINK_OUT, OUTSIDE, config_dir
        from ablog_ext.commands.migrate.site_text import liquid_site
        from ablog_ext.jekyll.liquid import JekyllLiquid
        from ablog_ext.reading.liquid import SiteData

        config = plan.site.config
        self.plan = plan
        self.root = plan.site.root.resolve()
        self.includes = self.root / config_dir(config, "includes_dir", "_includes")
        site = {"time": dt.datetime.now(dt.UTC).replace(microsecond=0), **liquid_site(config)}
        data = config_dir(config, "data_dir", "_data")
        # A data file that links out of the site is not read (nor copied): with one,
        # site.data is left empty rather than read through the link.
        out = {rel for rel, why in plan.site.skipped if why in (LINK_OUT, OUTSIDE)}
        linked_out = any(rel == data or rel.startswith(f"{data}/") for rel in out)
        site.setdefault("data", SiteData(None if linked_out else self.root / data))
        self.engine = JekyllLiquid(site)
        self.posts: dict[tuple[int, int, int, str], str] = {}
        self.sources: dict[str, str] = {}
        for outcome in plan.outcomes:
            if outcome.dest and outcome.status == "published":
                url = "/" + outcome.dest.rsplit(".", 1)[0] + ".html"
                self.sources[outcome.source.rel] = url
                match = FILENAME_DATE.match(outcome.source.name.rsplit(".", 1)[0])
                if match:
                    key = (int(match[1]), int(match[2]), int(match[3]), match[4])
                    self.posts.setdefault(key, url)

    def render(self, outcome: PostOutcome) -> tuple[str, list[str]]:
        """The post's text with its body rendered (as written when it does not
        render), and the targets of ``link`` and ``post_url`` tags to nothing."""
        text = outcome.text
        block = read_front_matter(text)
        if "{%" not in text and "{{" not in text:
            return text, []
        data = block.data or {}
        if data.get("render_with_liquid") is False:
            return text, []
        lines = text.splitlines(keepends=True)
        head, body = "".join(lines[: block.body_start]), "".join(lines[block.body_start :])
        resolver = _PlanResolver(self, outcome)
        assert outcome.dest is not None
        page = {
            **data,
            "url": "/" + outcome.dest.rsplit(".", 1)[0] + ".html",
            "path": outcome.source.rel,
            "name": outcome.source.name,
        }
        try:
            rendered = self.engine.render(body, page, resolver, name=outcome.dest)
        except Exception:  # the build reports it; here the text is checked as written
            return text, []
        return (head + rendered.text if rendered.rendered else text), resolver.unresolved


class _PlanResolver:
    """The engine's questions, answered from the Jekyll site and the plan."""

    def __init__(self, liquid: LiquidForLinks, outcome: PostOutcome) -> None:
        self.liquid, self.outcome = liquid, outcome
        self.unresolved: list[str] = []

    def include(self, name: str, relative: bool) -> tuple[str, str] | None:
        base = self.outcome.source.path.parent if relative else self.liquid.includes
        path = (Path(base) / name).resolve()
        if not path.is_relative_to(self.liquid.root):
            return None
        try:
            return str(path), path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None

    def post_url(self, name: str) -> str | None:
        stem = name.rpartition("/")[2]
        match = FILENAME_DATE.match(stem)
        url = None
        if match:
            key = (int(match[1]), int(match[2]), int(match[3]), match[4])
            url = self.liquid.posts.get(key) or self.liquid.posts.get(
                (*key[:3], key[3].rsplit(".", 1)[0])
            )
        if url is None:
            self.unresolved.append(f"{{% post_url {name} %}}")
        return url

    def link(self, path: str) -> str | None:
        # To nothing, the build writes the path: it is checked as a link.
        path = path.strip("/")
        url = self.liquid.sources.get(path)
        if url is None and path in self.liquid.plan.files:
            url = "/" + path
        return url
