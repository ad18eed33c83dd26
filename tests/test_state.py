"""Per-build state has one owner (``ablog_ext.state``): a second build of the same
application keeps nothing from the first but what is made once per application."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from ablog_ext.speed import archive_entries, sidebars
from ablog_ext.state import BuildState, Slot, build_state

from helpers import copy_root, output_snapshot, snapshot_differences


def without_page_scripts(snapshot: dict[str, str]) -> dict[str, str]:
    """*snapshot* without the theme's inline page scripts: Sphinx's builder keeps
    those a page added (``DOCUMENTATION_OPTIONS.pagename = ...``) for every later
    page of a second build of one application, with or without ablog_ext."""
    return {
        name: "".join(
            line
            for line in text.splitlines(keepends=True)
            if "<script>DOCUMENTATION_OPTIONS." not in line
        )
        for name, text in snapshot.items()
    }


def per_build(app: Any) -> list[str]:
    """The names of the slots that hold a value and do not last between builds."""
    return sorted(slot.name for slot in build_state(app).slots() if not slot.lasting)


def test_a_second_build_of_the_same_application_starts_afresh(tmp_path):
    at_start: list[list[str]] = []
    at_end: list[list[str]] = []

    def note_start(app: Any, env: Any, added: Any, changed: Any, removed: Any) -> list[str]:
        at_start.append(per_build(app))
        return []

    def note_end(app: Any, exception: Exception | None) -> None:
        at_end.append(per_build(app))

    app = SphinxTestApp("html", srcdir=copy_root(tmp_path, "sidebars"))
    try:
        # The first event of each build, and the last handler before the state forgets.
        app.connect("env-get-outdated", note_start, priority=0)
        app.connect("build-finished", note_end, priority=999)
        app.build()
        first = output_snapshot(Path(app.outdir))
        assert per_build(app) == []
        kept_sidebars = sidebars.sidebars(app)
        kept_entries = archive_entries.entries(app)
        app.build(force_all=True)
        second = output_snapshot(Path(app.outdir))
        assert per_build(app) == []
        # What is made once per application (stand-ins in the builder's templates) lasts.
        assert kept_sidebars is not None and sidebars.sidebars(app) is kept_sidebars
        assert kept_entries is not None and archive_entries.entries(app) is kept_entries
    finally:
        app.cleanup()
    assert len(at_start) == len(at_end) == 2
    # The first build held per-build state until its end; the second started without it.
    assert "page cache: each page's file" in at_end[0]
    assert at_start[1] == []
    assert at_end[1] == at_end[0]
    assert snapshot_differences(without_page_scripts(second), without_page_scripts(first)) == ""


def test_a_slot_is_made_once_then_forgotten_unless_it_lasts(tmp_path):
    made: list[str] = []
    per_build_slot = Slot("test: per build", lambda app: made.append("built") or ["value"])
    lasting_slot = Slot("test: lasting", lambda app: {"kept": True}, lasting=True)
    set_only = Slot("test: set by its owner")

    app = SphinxTestApp("html", srcdir=copy_root(tmp_path, "sidebars"))
    try:
        state = build_state(app)
        assert build_state(app) is state
        assert state.get(per_build_slot) is state.get(per_build_slot)
        assert made == ["built"]
        lasting = state.get(lasting_slot)
        assert state.peek(set_only) is None
        with pytest.raises(LookupError):
            state.get(set_only)
        state.set(set_only, 3)
        state.new_build()
        assert state.peek(per_build_slot) is None and state.peek(set_only) is None
        assert state.get(lasting_slot) is lasting
        assert state.pop(lasting_slot) is lasting and state.peek(lasting_slot) is None
    finally:
        app.cleanup()
    assert isinstance(state, BuildState) and state.app is app
