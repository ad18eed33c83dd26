"""``ablog-ext init --from-jekyll`` with a Jekyll folder nobody vetted (issue 18):
nothing read from outside JEKYLL_DIR, nothing written or removed outside
SPHINX_DIR, YAML that expands without end refused, names printed safely."""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

from ablog_ext.cli import main
from ablog_ext.commands.terminal import shown, shown_lines
from ablog_ext.jekyll.frontmatter import load_yaml, read_front_matter

from helpers import build_dir, warnings_of

MARKER = "MARKER-FROM-OUTSIDE-7f3a"
LINK_OUT = "not copied: a link out of the Jekyll folder"
#: Nine levels of ten aliases: 10^9 "lol"s once expanded.
LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + level)}: &{chr(98 + level)} [{', '.join(['*' + chr(97 + level)] * 10)}]\n"
    for level in range(8)
)


def init(jekyll: Path, sphinx: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["init", "--from-jekyll", str(jekyll), str(sphinx), *extra])
    return code, out.getvalue(), err.getvalue()


def jekyll_site(root: Path) -> Path:
    jekyll = root / "jekyll"
    (jekyll / "_posts").mkdir(parents=True)
    (jekyll / "_posts/2020-01-01-one.md").write_text("---\ntitle: One\n---\nHi.\n", "utf-8")
    return jekyll


def files_holding(root: Path, text: str) -> list[str]:
    return sorted(
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and text.encode() in path.read_bytes()
    )


def snapshot(root: Path) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_file():
            found[key] = path.read_bytes()
    return found


# -- 1. nothing read from outside JEKYLL_DIR -----------------------------------------


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    """A Jekyll site whose links lead out of it (each to a file holding MARKER) and
    inside it, moved into a Sphinx site."""
    root = tmp_path_factory.mktemp("links")
    outside = root / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "post.md").write_text(f"---\ntitle: {MARKER}\n---\n{MARKER}\n", "utf-8")
    (outside / "data.yml").write_text(f"- /{MARKER}/page.html\n", "utf-8")
    for name in ("include.html", "folder/file.txt", "favicon.ico", "style.css"):
        (outside / name).write_text(f"{MARKER}\n", "utf-8")
    jekyll = jekyll_site(root)
    for folder in ("assets", "_data", "_includes", "inside"):
        (jekyll / folder).mkdir()
    (jekyll / "inside/real.txt").write_text("inside the site\n", "utf-8")
    links_out = {
        "_posts/2020-01-02-leak.md": outside / "post.md",
        "assets/style.css": outside / "style.css",
        "assets/folder": outside / "folder",
        "_data/leak.yml": outside / "data.yml",
        "_includes/leak.html": outside / "include.html",
        "favicon.ico": outside / "favicon.ico",
        "linked": outside / "folder",
        "inside/relative.txt": Path("../../outside/folder/file.txt"),
    }
    for rel, target in links_out.items():
        (jekyll / rel).symlink_to(target)
    # Links inside the site keep working: copied as their target's content.
    (jekyll / "assets/inside.txt").symlink_to("../inside/real.txt")
    (jekyll / "assets/inside-folder").symlink_to("../inside", target_is_directory=True)
    (jekyll / "_posts/2020-01-03-twin.md").symlink_to("2020-01-01-one.md")
    # A post that would print site.data.leak as links, if the data were read.
    (jekyll / "_posts/2020-01-04-data.md").write_text(
        "---\ntitle: Data\n---\n{% for url in site.data.leak %}[x]({{ url }}) {% endfor %}\n",
        "utf-8",
    )
    code, out, err = init(jekyll, root / "site")
    assert (code, err) == (0, "")
    return root, jekyll, root / "site", out, links_out


def test_no_byte_from_outside_is_copied(linked):
    _, _, sphinx, out, _ = linked
    assert files_holding(sphinx, MARKER) == []
    assert MARKER not in out


def test_the_summary_names_each_link_out(linked):
    _, _, _, out, links_out = linked
    named = [line.strip() for line in out.splitlines() if LINK_OUT in line]
    # The link in inside/ is met twice: also through the linked folder assets/inside-folder.
    expected = [*links_out, "assets/inside-folder/relative.txt"]
    assert sorted(named) == sorted(f"{rel}: {LINK_OUT}" for rel in expected)


def test_links_inside_keep_working(linked):
    _, jekyll, sphinx, _, _ = linked
    assert (sphinx / "assets/inside.txt").read_text("utf-8") == "inside the site\n"
    assert (sphinx / "assets/inside-folder/real.txt").read_text("utf-8") == "inside the site\n"
    assert (sphinx / "inside/real.txt").is_file()
    assert not (sphinx / "inside/relative.txt").exists()
    twin = (sphinx / "posts/2020-01-03-twin.md").read_bytes()
    assert twin == (jekyll / "_posts/2020-01-01-one.md").read_bytes()
    assert not any(path.is_symlink() for path in sphinx.rglob("*"))


def test_the_built_site_holds_nothing_from_outside(linked):
    _, _, sphinx, _, _ = linked
    app = build_dir(sphinx)
    assert files_holding(Path(app.outdir), MARKER) == []
    assert (Path(app.outdir) / "posts/2020-01-03-twin.html").is_file()


def test_folders_named_in_config_that_leave_the_site(tmp_path):
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets/x.html").write_text(MARKER, "utf-8")
    jekyll = jekyll_site(tmp_path)
    (jekyll / "_config.yml").write_text("includes_dir: ../secrets\ndata_dir: ../secrets\n")
    code, out, _ = init(jekyll, tmp_path / "site")
    assert code == 0
    assert files_holding(tmp_path / "site", MARKER) == []
    assert "  ../secrets: not read: outside the Jekyll folder" in out


def test_a_config_file_linked_from_outside_is_refused(tmp_path):
    (tmp_path / "shared.yml").write_text(f"title: {MARKER}\n", "utf-8")
    jekyll = jekyll_site(tmp_path)
    (jekyll / "_config.yml").symlink_to(tmp_path / "shared.yml")
    code, out, err = init(jekyll, tmp_path / "site")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "_config.yml is a symbolic link out of JEKYLL_DIR" in err
    assert not (tmp_path / "site").exists()


# -- 2. nothing written or removed outside SPHINX_DIR --------------------------------


def test_force_removes_nothing_outside_sphinx_dir(tmp_path):
    jekyll = jekyll_site(tmp_path)
    sphinx = tmp_path / "site"
    assert init(jekyll, sphinx)[0] == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "file").write_text("keep me", "utf-8")
    (sphinx / "sub").symlink_to("../elsewhere", target_is_directory=True)
    manifest_path = sphinx / ".ablog-ext-init.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest["files"] += [
        "sub/file",
        "../elsewhere/file",
        str(elsewhere / "file"),
        "posts/../../elsewhere/file",
    ]
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    code, out, err = init(jekyll, sphinx, "--force")
    assert (code, err) == (0, "")
    assert (elsewhere / "file").read_text("utf-8") == "keep me"
    assert "not removed, as they lead out of" in out and "through a link: sub/file" in out


def test_force_writes_nothing_through_a_link_out(tmp_path):
    jekyll = jekyll_site(tmp_path)
    sphinx = tmp_path / "site"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "notes.txt").write_text("mine", "utf-8")
    sphinx.mkdir()
    (sphinx / "posts").symlink_to("../elsewhere", target_is_directory=True)
    before = snapshot(elsewhere)
    code, _, err = init(jekyll, sphinx, "--force")
    assert code == 2 and "is a symbolic link; init does not write through links" in err
    assert snapshot(elsewhere) == before


def test_a_manifest_linked_out_is_neither_read_nor_written(tmp_path):
    jekyll = jekyll_site(tmp_path)
    sphinx = tmp_path / "site"
    sphinx.mkdir()
    (tmp_path / "victim.json").write_text('{"files": ["../victim.json"]}', "utf-8")
    (sphinx / ".ablog-ext-init.json").symlink_to(tmp_path / "victim.json")
    code, _, err = init(jekyll, sphinx, "--force")
    assert code == 2 and ".ablog-ext-init.json is a symbolic link" in err
    assert (tmp_path / "victim.json").read_text("utf-8") == '{"files": ["../victim.json"]}'


# -- 3. YAML whose aliases expand without end ----------------------------------------


def test_billion_laughs_in_config_is_one_error(tmp_path):
    jekyll = jekyll_site(tmp_path)
    (jekyll / "_config.yml").write_text("title: Laughs\n" + LAUGHS + "tags: *i\n", "utf-8")
    started = time.monotonic()
    code, out, err = init(jekyll, tmp_path / "site")
    assert time.monotonic() - started < 5
    assert (code, out) == (2, "")
    assert err.startswith("ablog-ext init: error: ") and err.count("\n") == 1
    assert "_config.yml:" in err and "aliases here repeat more than 100,000 nodes" in err
    assert not (tmp_path / "site").exists()


def test_billion_laughs_is_refused_fast_and_small():
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(yaml.YAMLError, match="aliases here repeat more than"):
        load_yaml(LAUGHS + "tags: *i\n")
    block = read_front_matter("---\ntitle: Laughs\n" + LAUGHS + "tags: *i\n---\nBody.\n")
    seconds = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert seconds < 1 and peak < 20_000_000
    assert block.data is None
    assert block.error and "aliases here repeat more than 100,000 nodes" in block.error
    assert block.error_line == 7  # the level whose expansion passed the limit


def test_a_loop_of_aliases_is_refused():
    with pytest.raises(yaml.YAMLError, match="a loop"):
        load_yaml("a: &a [1, *a]\n")


def test_aliases_real_files_use_still_load():
    text = "base: &base {layout: post, lang: en}\nitems:\n" + "".join(
        f"  - <<: *base\n    n: {index}\n" for index in range(5000)
    )
    items = load_yaml(text)["items"]
    assert len(items) == 5000 and items[42] == {"layout": "post", "lang": "en", "n": 42}
    assert load_yaml("") is None and load_yaml("- &x a\n- *x\n") == ["a", "a"]


def test_billion_laughs_in_a_post_is_a_located_warning(tmp_path):
    jekyll = jekyll_site(tmp_path)
    (jekyll / "_posts/2020-01-02-laughs.md").write_text(
        "---\ntitle: Laughs\n" + LAUGHS + "tags: *i\n---\nBody.\n", "utf-8"
    )
    started = time.monotonic()
    assert init(jekyll, tmp_path / "site")[0] == 0
    assert time.monotonic() - started < 5
    app = build_dir(tmp_path / "site")
    found = [w for w in warnings_of(app) if "aliases here repeat" in w]
    assert len(found) == 1 and "2020-01-02-laughs.md:7" in found[0]
    assert (Path(app.outdir) / "posts/2020-01-01-one.html").is_file()


# -- 4. names printed with control characters escaped --------------------------------


def test_control_characters_in_file_names_are_escaped(tmp_path):
    jekyll = jekyll_site(tmp_path)
    (jekyll / "_posts/\x1b[31mred\x07.md").write_text("---\ntitle: X\n---\n", "utf-8")
    (jekyll / "_posts/2020-01-05-new\nline.MD").write_text("---\ntitle: Y\n---\n", "utf-8")
    (jekyll / "assets").mkdir()
    (jekyll / "assets/bell\x07\x1b]0;title\x07.png").write_bytes(b"png")
    (jekyll / "assets/out\x1b.png").symlink_to(tmp_path / "nowhere")
    code, out, err = init(jekyll, tmp_path / "site")
    assert (code, err) == (0, "")
    assert not any(char in out for char in "\x1b\x07\x00\r")
    assert "_posts/\\x1b[31mred\\x07.md: no date in its name" in out
    assert "_posts/2020-01-05-new\\nline.MD as 2020-01-05-new\\nline.md" in out
    assert "assets/out\\x1b.png: a symbolic link to nothing" in out
    assert (tmp_path / "site/assets/bell\x07\x1b]0;title\x07.png").read_bytes() == b"png"


def test_errors_name_files_escaped(tmp_path):
    code, _, err = init(tmp_path / "no\x1bsuch\nsite", tmp_path / "site")
    assert code == 2 and err.count("\n") == 1
    assert "no\\x1bsuch\\nsite does not exist" in err


@pytest.mark.parametrize(
    ("raw", "printed"),
    [
        ("plain name.md", "plain name.md"),
        ("é ü 中文 🙂.md", "é ü 中文 🙂.md"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("bell\x07nul\x00del\x7f", "bell\\x07nul\\x00del\\x7f"),
        ("tab\tcr\rlf\n", "tab\\tcr\\rlf\\n"),
        ("c1\x9b31m", "c1\\x9b31m"),
        ("bidi\u202eevil", "bidi\\u202eevil"),
        ("not utf-8 \udcff", "not utf-8 \\xff"),
    ],
)
def test_shown(raw, printed):
    assert shown(raw) == printed


def test_shown_lines_keeps_line_breaks():
    assert shown_lines("a\x1b[31m\nb\x07\n") == "a\\x1b[31m\nb\\x07\n"
