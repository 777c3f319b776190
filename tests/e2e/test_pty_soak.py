"""The real-terminal soak (tests/e2e/soak.py) for ~15 s, so `pytest` covers it too."""

from __future__ import annotations

from soak import soak


def test_pty_soak_random_keys_and_resizes():
    report = soak(15.0, seed=11)
    assert report.keys > 100, report.summary()
    assert not report.problems, report.summary()
