"""Every test keeps the app's files in its own temporary folder, never the user's."""

from __future__ import annotations

import pytest


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
