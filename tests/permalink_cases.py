"""Posts and the URL Jekyll 4.3 gives each, for every permalink style and placeholder.

Each expected URL is what ``jekyll build`` wrote for the same file (see
``test_jekyll_compare.py``, which checks the whole table against the installed
``jekyll``); ``test_permalinks.py`` checks ablog_ext against it without Jekyll.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    #: Path below the posts folder: ``en/news/2019-03-05-x.md`` is Jekyll's
    #: ``en/news/_posts/2019-03-05-x.md`` (``en`` and ``news`` become categories).
    file: str
    #: YAML front matter, without the ``---`` lines.
    front: str
    #: The site's ``permalink`` (``_config.yml``; ``ablog_ext_permalink``).
    permalink: str
    url: str
    #: The site's ``timezone``.
    timezone: str = "UTC"

    @property
    def jekyll_path(self) -> str:
        folder, _, name = self.file.rpartition("/")
        return f"{folder}/_posts/{name}" if folder else f"_posts/{name}"


def cases(table: str, permalink: str = "", timezone: str = "UTC") -> list[Case]:
    """A case a line: ``file | front matter | url``, or ``file | front matter |
    permalink | url`` where no *permalink* is given; ``\n`` in the front matter is a
    line break, and ``#`` starts a comment line."""
    result = []
    for line in table.strip().splitlines():
        if line.startswith("#"):
            continue
        file, front, *rest = line.split(" | ")
        site_permalink, url = (permalink, *rest) if permalink else rest
        result.append(Case(file, front.replace("\\n", "\n"), site_permalink, url, timezone))
    return result


DATE = cases(
    r"""
2019-03-05-My-Post.md | title: A | /2019/03/05/My-Post.html
# Unpadded dates and .markdown; a categories string is split on spaces and downcased.
2019-3-5-unpadded.markdown | categories: Foo Bar | /foo/bar/2019/03/05/unpadded.html
# `category` is one name (escaped), after `categories`.
2019-03-06-c.md | category: Machine Learning\ncategories: [z] | /z/machine%20learning/2019/03/06/c.html
# A front matter slug replaces the file name's; `:title` keeps its case.
2019-03-07-d.md | slug: Custom Slug! | /2019/03/07/Custom-Slug!.html
# Commas are not separators; non-ASCII letters are kept, then percent-encoded.
2019-03-08-café-ü.md | categories: "a, b" | /a,/b/2019/03/08/caf%C3%A9-%C3%BC.html
19-3-5-short.md | title: G | /2019/03/05/short.html
70-1-2-old.md | title: G | /1970/01/02/old.html
2019-03-11-i.md | categories: ["C#", "A/B", "x y"] | /c%23/a/b/x%20y/2019/03/11/i.html
# The front matter date wins over the file name's.
2019-03-12-dated.md | date: 2019-04-01 10:00:00 | /2019/04/01/dated.html
# Dates are taken in the site's time zone.
2019-03-13-late.md | date: 2019-03-13 23:30:00 -0500 | /2019/03/14/late.html
""",  # noqa: E501
    "date",
)
DATE += cases(
    r"""
2019-03-14-early.md | date: 2019-03-14 01:30:00 +0000 | /2019/03/13/early.html
# An unquoted date and time is a YAML timestamp: without an offset it is UTC,
# then taken in the site's zone; in quotes, or without a time, it is the zone's.
2019-03-22-unquoted.md | date: 2019-03-22 01:30:00 | /2019/03/21/unquoted.html
2019-03-23-unpadded-time.md | date: 2019-3-23 1:30:00 | /2019/03/22/unpadded-time.html
2019-03-24-quoted.md | date: "2019-03-24 01:30:00" | /2019/03/24/quoted.html
2019-03-25-day-only.md | date: 2019-03-25 | /2019/03/25/day-only.html
""",
    "date",
    timezone="America/New_York",
)
DATE += cases(
    r"""
# Ruby's Time.parse rolls a day past the month's end over.
2019-02-30-rollover.md | title: R | /2019/03/02/rollover.html
2019-03-15-Trailing...md | title: T | /2019/03/15/Trailing.html
# Categories are kept once, whatever their case.
2019-03-16-caps.md | categories: [Release, release, RELEASE] | /release/2019/03/16/caps.html
2019-03-17-日本語.md | title: J | /2019/03/17/%E6%97%A5%E6%9C%AC%E8%AA%9E.html
# `:title` is slugified in Jekyll's "pretty" mode: these characters stay.
2019-03-18-a+b=c(d)@e.md | title: P | /2019/03/18/a+b=c(d)@e.html
2019-03-19-hello  world.md | title: W | /2019/03/19/hello-world.html
2019-03-20-x.md | categories: [2019, true] | /2019/true/2019/03/20/x.html
2019-03-21-y.md | category: [one, two]\ncategories: three | /three/one/two/2019/03/21/y.html
""",
    "date",
)

STYLES = cases(
    r"""
2019-03-05-My-Post.md | title: A | pretty | /2019/03/05/My-Post/
2019-03-05-My-Post.md | title: A | ordinal | /2019/064/My-Post.html
2019-03-05-My-Post.md | title: A | weekdate | /2019/W10/Tue/My-Post.html
2019-03-05-My-Post.md | title: A | none | /My-Post.html
2019-3-5-unpadded.markdown | categories: Foo Bar | none | /foo/bar/unpadded.html
2019-3-5-unpadded.markdown | categories: Foo Bar | pretty | /foo/bar/2019/03/05/unpadded/
# Homebrew's `permalink: :title`: no leading slash, no extension.
2019-03-05-My-Post.md | title: A | :title | /My-Post
2019-03-05-My-Post.md | title: A | /:year/:i_month/:i_day/:slug | /2019/3/5/my-post
2019-03-05-My-Post.md | title: A | /:year_:month_:day/:title/ | /2019_03_05/My-Post/
2019-03-05-My-Post.md | title: A | /blog/:year/:title.html | /blog/2019/My-Post.html
2019-03-05-My-Post.md | categories: [Big News] | /:categories/:slugified_categories/:title/ | /big%20news/big-news/My-Post/
""",  # noqa: E501
)
# Every other placeholder.
STYLES.append(
    Case(
        "2019-12-30-Week-One.md",
        "date: 2019-12-30 10:05:09",
        "/:short_year/:y_day/:hour/:minute/:second/:short_month/:long_month/:w_year/:week/"
        ":w_day/:short_day/:long_day/:name/:path/:collection/:title:output_ext",
        "/19/364/10/05/09/Dec/December/2020/01/1/Mon/Monday/2019-12-30-week-one"
        "/2019-12-30-Week-One/posts/Week-One.html",
    )
)

PER_POST = cases(
    r"""
# A post's own permalink replaces the site's, placeholders and all.
2019-03-09-f.bar..md | permalink: /:title/ | date | /f.bar/
2019-03-10-h.md | permalink: /about-me | date | /about-me
2019-03-10-h2.md | permalink: /about-me-too/ | pretty | /about-me-too/
# Literal text is not escaped; a style name is just a path there.
2019-03-10-h3.md | permalink: /about me/ | date | /about me/
2019-03-10-h4.md | permalink: pretty | date | /pretty
2019-03-10-h5.md | permalink: /:categories/:title.html\ncategories: [Notes] | none | /notes/h5.html
"""
)

FOLDERS = cases(
    r"""
# Folders above _posts are the first categories (ablog_ext_folder_categories).
en/news/2019-03-13-k.md | categories: Release | pretty | /en/news/release/2019/03/13/k/
en/news/2019-03-14-p.md | title: P | /:path/ | /en/news/2019-03-14-p/
"""
)

CASES = DATE + STYLES + PER_POST + FOLDERS
