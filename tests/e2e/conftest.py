"""Fixtures for the end-to-end tests (the harness itself is in e2e_harness.py)."""

from __future__ import annotations

import pytest
from e2e_harness import Terminal, base_env


@pytest.fixture
def spawn(tmp_path):
    """spawn(args, cols=, rows=, **env) -> Terminal; every one is killed at the end."""
    started: list[Terminal] = []

    def start(args=(), cols=80, rows=24, cwd=None, **env: str) -> Terminal:
        env.setdefault("TERM", "xterm-256color")
        term = Terminal(list(args), base_env(tmp_path, **env), cols, rows, cwd=cwd or tmp_path)
        started.append(term)
        return term

    yield start
    for term in started:
        term.kill()
