"""``ablog-ext serve``: a process of its own, read through a real HTTP client.

The random edits go through the resident application (the server's own
``app.build()`` after each save); after each, every page it serves equals a
clean ``sphinx-build`` of the same sources.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from serving import run_serve, serving, small_site, without_reload

from ablog_ext.commands.serve.reload import EVENTS, OVERLAY_ID
from ablog_ext.reading.preview import DRAFT_CLASS

from helpers import build_dir, html_files, output_snapshot, snapshot_differences

#: The kinds of edit an author makes while the server runs (the stress test of
#: ``test_incremental_random.py`` has every kind, with sphinx-build).
SERVE_EDITS = [
    *("rewrite-body", "retitle", "recategorise", "add", "delete", "retag", "toggle-draft"),
    *("toggle-published", "toggle-future", "redate"),  # what discovery decides, file by file
]
STEPS = int(os.environ.get("ABLOG_EXT_SERVE_STEPS", "6"))


def search_index(html: Path) -> dict:
    """The search index, without the words no page holds any more: Sphinx's own
    incremental builds keep them, with an empty list of pages."""
    text = (html / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    for key in ("terms", "titleterms"):
        index[key] = {term: pages for term, pages in index[key].items() if pages != []}
    return index


def served_differences(served, html: Path, clean: Path) -> str:
    """What differs between the served site and a clean build: the files in the
    output folder, then every page as the server sends it."""
    difference = snapshot_differences(output_snapshot(html), output_snapshot(clean))
    if difference:
        return difference
    # The search index too: the pages not looked at are written after it, then it again.
    if search_index(html) != search_index(clean):
        return "searchindex.js differs"
    for page, want in html_files(clean).items():
        got = without_reload(served.get(page)[1])
        if got != want:
            return f"{page} is served otherwise than a clean build writes it"
    return ""


def test_random_edits_through_the_server_equal_a_clean_build(tmp_path, monkeypatch):
    site = small_site(tmp_path)
    monkeypatch.setattr("test_incremental_random.EDITS", SERVE_EDITS)
    html = site.root / "_build" / "serve" / "html"
    done: list[str] = []
    with serving(site.root) as served:
        generation = served.status()["generation"]
        for step in range(STEPS):
            done.append(site.edit())
            site.write()
            status = served.built_after(generation)
            generation = status["generation"]
            assert status["error"] is None, (done, status)
            # The same application built every step: nothing started again.
            assert status["restarted"] is False
            clean = build_dir(_copy(site.root, tmp_path / f"clean-{step}"))
            difference = served_differences(served, html, Path(clean.outdir))
            assert not difference, f"after {done}: {difference}"
    assert len(done) == STEPS


def _copy(srcdir: Path, target: Path) -> Path:
    import shutil

    shutil.copytree(srcdir, target, ignore=shutil.ignore_patterns("_build"))
    return target


def test_an_edit_sends_a_reload_event(tmp_path):
    site = small_site(tmp_path)
    post = site.root / "posts" / "post-001.md"
    with serving(site.root) as served:
        page = served.page("posts/post-001.html")
        generation = served.status()["generation"]
        assert f"{EVENTS}?since={generation}" in page
        address = urlsplit(served.url)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        connection.request("GET", f"{EVENTS}?since={generation}")
        response = connection.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type") == "text/event-stream"
        assert response.readline() == b": keep-alive\n"
        post.write_text(post.read_text() + "\nA line saved while the page was open.\n")
        lines = [response.readline() for _ in range(3)]
        connection.close()
        assert lines[1] == b"event: reload\n"
        assert lines[2] == f"data: {generation + 1}\n".encode()
        assert "A line saved while the page was open." in served.page("posts/post-001.html")


def test_a_broken_post_shows_in_an_overlay_until_it_is_fixed(tmp_path):
    site = small_site(tmp_path)
    post = site.root / "posts" / "post-002.md"
    good = post.read_text()
    with serving(site.root) as served:
        generation = served.status()["generation"]
        assert OVERLAY_ID not in served.page("index.html")
        post.write_text(good.replace("title: ", "title: [unclosed ", 1))
        status = served.built_after(generation)
        assert any("post-002.md" in line for line in status["warnings"]), status
        page = served.page("index.html")
        assert OVERLAY_ID in page
        assert "post-002.md" in page.split(OVERLAY_ID, 1)[1]
        # The rest of the site is still served.
        assert "Post 1" in served.page("posts/post-001.html")
        assert "post-002.md" in served.log.read_text()  # and said in the terminal
        post.write_text(good)
        served.built_after(status["generation"])
        assert OVERLAY_ID not in served.page("index.html")
        assert OVERLAY_ID not in served.page("posts/post-002.html")


def test_a_conf_py_change_starts_a_new_application(tmp_path):
    site = small_site(tmp_path)
    conf = site.root / "conf.py"
    with serving(site.root) as served:
        generation = served.status()["generation"]
        conf.write_text(conf.read_text() + '\nproject = "Renamed project"\n')
        status = served.built_after(generation)
        assert status["restarted"] is True
        assert "Renamed project" in served.page("index.html")
        # A conf.py that does not run: the error over the pages, which are still served.
        good = conf.read_text()
        conf.write_text(good + "\nthis is not python\n")
        status = served.built_after(status["generation"])
        assert "configuration file" in status["error"] and "NameError" in status["error"]
        page = served.page("index.html")
        assert "Renamed project" in page and OVERLAY_ID in page
        conf.write_text(good)
        status = served.built_after(status["generation"])
        assert status["error"] is None and status["restarted"] is True
        assert OVERLAY_ID not in served.page("index.html")


def test_only_files_under_the_output_folder_are_served(tmp_path):
    site = small_site(tmp_path)
    (tmp_path / "secret.txt").write_text("not for the browser")
    with serving(site.root) as served:
        html = site.root / "_build" / "serve" / "html"
        (html / "outside").symlink_to(tmp_path)
        (html / "secret-link.txt").symlink_to(tmp_path / "secret.txt")
        address = urlsplit(served.url)
        for path in [
            "/../conf.py",
            "/../../../secret.txt",
            "/%2e%2e/%2e%2e/%2e%2e/secret.txt",
            "/..%2f..%2f..%2fsecret.txt",
            "/outside/secret.txt",
            "/secret-link.txt",
            "/_static/../../doctrees/environment.pickle",
        ]:
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
            connection.request("GET", path)  # sent as it is, not normalised
            response = connection.getresponse()
            body = response.read()
            connection.close()
            assert response.status == 404, path
            assert b"not for the browser" not in body
        assert served.get("index.html")[0] == 200
        assert served.get("_static/")[0] in {200, 404}


def test_a_port_in_use_is_a_one_line_error(tmp_path):
    site = small_site(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_serve(str(site.root), "--port", str(port))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_folder_without_conf_py_is_a_one_line_error(tmp_path):
    (tmp_path / "index.md").write_text("# Not a site\n")
    result = run_serve(str(tmp_path))
    assert result.returncode == 2
    assert (
        result.stderr
        == f"ablog-ext serve: error: {tmp_path} is not a Sphinx site: it has no conf.py\n"
    )
    assert not (tmp_path / "_build").exists()


def test_the_server_listens_on_localhost_only(tmp_path):
    site = small_site(tmp_path)
    with serving(site.root) as served:
        assert served.url.startswith("http://127.0.0.1:")
        start = time.monotonic()
        assert served.get("index.html")[0] == 200
        assert time.monotonic() - start < 30


def _drafts_site(tmp_path: Path):
    site = small_site(tmp_path)
    for slug, change in [("post-001", "published"), ("post-002", "future"), ("post-003", "draft")]:
        post = site.posts[slug]
        post.published = change != "published"
        post.future = change == "future"
        post.draft = change == "draft"
    site.write()
    return site


def _marks(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    return [mark.get_text(" ", strip=True) for mark in soup.select(f".{DRAFT_CLASS}")]


def test_drafts_are_shown_marked_only_by_serve_drafts(tmp_path):
    site = _drafts_site(tmp_path)
    with serving(site.root, "--drafts") as served:
        unpublished = _marks(served.page("posts/post-001.html"))
        future = _marks(served.page("posts/post-002.html"))
        draft = _marks(served.page("drafts/post-003.html"))
        assert _marks(served.page("posts/post-004.html")) == []
        listed = served.page("blog/drafts.html")
    assert len(unpublished) == 1 and "published: false" in unpublished[0]
    assert len(future) == 1 and "dated after today" in future[0]
    assert len(draft) == 1 and "A draft" in draft[0]
    for title in (site.posts[slug].title for slug in ("post-001", "post-002", "post-003")):
        assert title in listed
    drafts_html = site.root / "_build" / "serve-drafts" / "html"
    assert (drafts_html / "posts" / "post-001.html").is_file()
    # The normal preview and a normal build: in folders of their own, without them.
    assert not (site.root / "_build" / "serve").exists()
    with serving(site.root) as served:
        assert served.get("posts/post-001.html")[0] == 404
        assert served.get("posts/post-002.html")[0] == 404
        assert _marks(served.page("drafts/post-003.html")) == []
    built = Path(build_dir(site.root).outdir)
    assert not (built / "posts" / "post-001.html").exists()
    assert not (built / "posts" / "post-002.html").exists()
    assert "ablog-ext-draft" not in (built / "drafts" / "post-003.html").read_text()
    assert (
        "ablog-ext-draft" not in (site.root / "_build" / "serve" / "html" / "blog.html").read_text()
    )


def test_a_preview_never_shares_a_folder_with_the_other_kind(tmp_path):
    site = small_site(tmp_path)
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / ".ablog-ext-serve").write_text('{"kind": "published"}\n')
    result = run_serve(str(site.root), "--drafts", "--outdir", str(shared))
    assert result.returncode == 2
    assert result.stderr == (
        f"ablog-ext serve: error: {shared} holds a preview built without --drafts: "
        "give another --outdir (the two never share a folder)\n"
    )
    mine = tmp_path / "mine"
    (mine / "notes").mkdir(parents=True)
    result = run_serve(str(site.root), "--outdir", str(mine))
    assert result.returncode == 2
    assert "was not made by ablog-ext serve" in result.stderr
    assert sorted(path.name for path in mine.iterdir()) == ["notes"]
