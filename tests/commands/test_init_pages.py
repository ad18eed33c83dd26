"""``ablog-ext init --from-jekyll`` and jekyll-paginate: ``paginate`` becomes the
blog's pages, ``paginate_path`` the old page URLs that redirect to them."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from helpers import broken_links, build_dir, read_page, run_cli, warnings_of, write_files


def jekyll_site(root: Path, config: str, posts: int = 5) -> Path:
    files = {"_config.yml": config}
    for n in range(1, posts + 1):
        files[f"_posts/2021-03-{n:02d}-post-{n}.md"] = f"---\ntitle: Post {n}\n---\nText {n}.\n"
    return write_files(root, files)


def moved(tmp_path: Path, config: str) -> tuple[dict, Path]:
    jekyll = jekyll_site(tmp_path / "jekyll", config)
    code, _, err = run_cli("init", "--from-jekyll", jekyll, tmp_path / "site")
    assert (code, err) == (0, ""), err
    return runpy.run_path(str(tmp_path / "site" / "conf.py")), tmp_path / "site"


def redirect_target(outdir: Path, page: str) -> str:
    refresh = read_page(outdir, page).select_one('meta[http-equiv="refresh"]')
    return str(refresh["content"]).split("url=", 1)[1]


@pytest.mark.parametrize(
    ("config", "old"),
    [
        ("title: T\npaginate: 2\npaginate_path: /blog/page:num/\n", "blog/page{n}/index.html"),
        ("title: T\npaginate: 2\n", "page{n}/index.html"),  # jekyll-paginate's default
    ],
)
def test_paginate_maps_to_pages_and_old_urls_redirect(tmp_path: Path, config: str, old: str):
    conf, site = moved(tmp_path, config)
    assert conf["ablog_ext_posts_per_page"] == 2
    path = "/blog/page:num/" if old.startswith("blog/") else "/page:num/"
    assert conf["ablog_ext_paginate_path"] == path
    app = build_dir(site)
    outdir = Path(app.outdir)
    assert warnings_of(app) == []
    assert sorted(p.name for p in (outdir / "blog/page").glob("*.html")) == ["2.html", "3.html"]
    for n in (2, 3):
        page = old.format(n=n)
        target = redirect_target(outdir, page)
        assert (outdir / page).parent.joinpath(target).resolve() == (
            outdir / f"blog/page/{n}.html"
        ).resolve()
    assert not (outdir / old.format(n=4)).exists()
    assert not (outdir / old.format(n=1)).exists()
    # No url in _config.yml: no feed, yet ABlog links to it (as without pages); the
    # theme's own template in _static/ is not a page.
    broken = {
        link
        for link in broken_links(outdir)
        if not link[1].endswith("atom.xml") and not link[0].startswith("_static/")
    }
    assert broken == set()


def test_an_old_page_that_cannot_be_written_is_named_with_its_option(tmp_path: Path):
    """A redirect from an old page URL that cannot be written (a file stands where
    its folder would be): a warning at conf.py naming the option and the page; the
    other old pages still redirect."""
    _, site = moved(tmp_path, "title: T\npaginate: 2\n")
    blocker = site / "_build" / "html" / "page2"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("not a folder", encoding="utf-8")
    app = build_dir(site)
    [warning] = warnings_of(app)
    # Where ablog_ext's warnings about an option point: the site's conf.py.
    assert f"{site / 'conf.py'}: no redirect from the blog's old page" in warning
    assert "page2/index.html" in warning and "'/page:num/'" in warning
    assert warning.endswith("[ablog_ext.redirect]")
    assert redirect_target(Path(app.outdir), "page3/index.html").endswith("blog/page/3.html")


@pytest.mark.parametrize("value", ["", "paginate: 0\n", "paginate: yes\n", "paginate: ten\n"])
def test_no_pages_without_a_number(tmp_path: Path, value: str):
    conf, _ = moved(tmp_path, "title: T\n" + value)
    assert "ablog_ext_posts_per_page" not in conf
    assert "ablog_ext_paginate_path" not in conf
