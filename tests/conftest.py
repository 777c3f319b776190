"""Every test keeps the app's files in its own temporary folder, never the user's."""

from __future__ import annotations

import gc

import pytest


@pytest.fixture(autouse=True)
def _collector_as_found():
    """Give the next test an unfrozen heap: the app's GraphFreezer `gc.freeze()`s what is
    alive when idle (tui/core/collector_policy.py), which in one process that quits suits it,
    but in a suite every finished app's cyclic garbage then waits frozen, and the next thaw
    makes every later full collection walk it all (a 1 s test took 55 s late in the suite)."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()


@pytest.fixture(autouse=True)
def _app_files_in_tmp(tmp_path_factory, monkeypatch):
    """The recovery file, its fallback and the exports go under a fresh temporary folder."""
    root = tmp_path_factory.mktemp("app-files")
    monkeypatch.setenv("MG_TUI_STATE_DIR", str(root / "state"))
    monkeypatch.setenv("MG_TUI_EXPORT_DIR", str(root / "exports"))
    monkeypatch.setenv("TMPDIR", str(root / "tmp"))  # child processes' fallback folder
    (root / "tmp").mkdir()
    from mg_tui.tui import recovery

    monkeypatch.setattr(recovery, "fallback_dir", lambda: root / "fallback")
