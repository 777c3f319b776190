"""Helpers for driving MgApp with Textual's Pilot: build apps, wait for the worker."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from mg_tui.nn.config import RunConfig
from mg_tui.tui.app import MgApp

MOONS = {"dataset": "moons", "samples": 12, "arch": (4,), "activation": "relu", "seed": 1}


async def wait_for(
    pilot,
    condition: Callable[[], bool],
    timeout: float = 15.0,
    state: Callable[[], object] | None = None,
) -> None:
    """Let the app run until `condition()` holds (the worker is a real thread).

    On a timeout, `state()` says what the app showed instead.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            shown = "" if state is None else f": {state()!r}"
            raise AssertionError(f"timed out waiting for the app{shown}")
        await pilot.pause(0.01)
    await pilot.pause()


async def idle(pilot, timeout: float = 15.0) -> None:
    """Until every submitted command is done and shown."""
    app = pilot.app
    await wait_for(pilot, lambda: app.explorer.snapshot is not None and app.explorer.idle, timeout)


async def press(pilot, *keys: str) -> None:
    """Press keys one by one, waiting for the worker after each."""
    for key in keys:
        await pilot.press(key)
        await idle(pilot)


@pytest.fixture
def make_app() -> Callable[..., MgApp]:
    def make(**settings) -> MgApp:
        return MgApp(RunConfig(**settings))

    return make
