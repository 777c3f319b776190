"""A soak test: random key sequences and resizes through the whole app, every run.

Hypothesis draws up to 40 actions per example (15 examples and 6 fixed ones, ~60 s):
any key of MAIN_KEYS (tui/keys.py) or of the screens' navigation (enter, escape, tab,
pageup…), text typed into whatever has focus (the command palette, the expression form, a
file prompt), a burst ctrl+p + typed text + a navigation key, and terminal resizes. After
every action: no exception escaped, the app still runs (unless `q` quit it, cleanly), the
main screen is at the bottom of the stack, the trainer's step count equals its history's
length, and a walk in progress has its cursor within its order.

Reproducible: derandomized with no example database, so CI draws the same examples each
run. `MG_SOAK_SEED=<int>` draws other examples (a seeded random run) and
`MG_SOAK_EXAMPLES=<n>` changes how many. Every file the app writes (save prompts, F2, F3,
recovery files) goes into the test's tmp_path: the cwd, MG_TUI_STATE_DIR and
MG_TUI_EXPORT_DIR all point there.
"""

from __future__ import annotations

import asyncio
import os
import string
import sys
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st
from mg_tui.nn.config import RunConfig
from mg_tui.tui.app import MgApp
from mg_tui.tui.keys import MAIN_KEYS

from tests.tui.conftest import MOONS

# Every key of the registry, each name of a multi-key binding separately ("plus,equals_sign").
REGISTRY_KEYS = sorted({name for b in MAIN_KEYS for name in b.key.split(",")})
NAVIGATION_KEYS = [
    "enter",
    "escape",
    "tab",
    "shift+tab",
    "pageup",
    "pagedown",
    "up",
    "down",
    "ctrl+p",
]
MODE_KEYS = ["e", "t", "o", "question_mark", "ctrl+s", "f2", "f3", "c", "ctrl+o"]
KEYS = sorted({*REGISTRY_KEYS, *NAVIGATION_KEYS})
# `q` quits from the main screen: an example then ends (cleanly, or it fails). Drawn as
# often as any other key it would end half the examples early, so the rest weigh more.
FREQUENT = [key for key in KEYS if key != "q"]
TYPED = string.ascii_lowercase + string.digits + "-."
SIZES = [(40, 12), (60, 20), (80, 24), (120, 40)]

SEED = os.environ.get("MG_SOAK_SEED")
EXAMPLES = int(os.environ.get("MG_SOAK_EXAMPLES", "15"))
MAX_ACTIONS = 40
MIN_ACTIONS = 5


@dataclass(frozen=True)
class Resize:
    width: int
    height: int


@dataclass(frozen=True)
class Typed:
    text: str


Action = str | Resize | Typed

actions = st.one_of(
    st.sampled_from(FREQUENT),
    st.sampled_from(FREQUENT),
    st.sampled_from(FREQUENT),
    st.sampled_from(MODE_KEYS),
    st.sampled_from([*FREQUENT, "q"]),
    st.builds(Typed, st.text(TYPED, min_size=1, max_size=6)),
    st.builds(lambda xy: Resize(*xy), st.sampled_from(SIZES)),
)
# The palette with a query, then a key that moves in its list (or leaves it).
palette_bursts = st.tuples(
    st.just("ctrl+p"),
    st.builds(Typed, st.text(TYPED, min_size=1, max_size=5)),
    st.sampled_from(["pageup", "pagedown", "up", "down", "enter", "escape", "tab"]),
)


@st.composite
def sequences(draw) -> list[Action]:
    chunks = draw(
        st.lists(
            # A burst one chunk in eight: each key typed in the palette runs a search of
            # every command and node name, ten times the cost of a key elsewhere.
            st.one_of(*[actions.map(lambda a: [a])] * 7, palette_bursts.map(list)),
            min_size=MIN_ACTIONS,
            max_size=MAX_ACTIONS,
        )
    )
    return [action for chunk in chunks for action in chunk][:MAX_ACTIONS]


def keys_of(action: Action) -> list[str]:
    if isinstance(action, Typed):
        return list(action.text)
    if isinstance(action, Resize):
        return []
    return [action]


def check_invariants(app: MgApp, main) -> None:
    """The state the user cannot see: screens, the trainer's counts, the walk's cursor."""
    assert app._exception is None, app._exception
    assert app.is_running
    assert len(app.screen_stack) >= 1
    assert app.screen_stack[0] is main, "the main screen was popped"
    session = app.explorer.session
    assert session.lock.acquire(timeout=10.0), "the training worker held the lock for 10 s"
    try:
        trainer = session.trainer
        if trainer is not None:
            assert trainer.step_count == len(trainer.history)
        walk = session.backward
        if walk is not None and walk.active:
            assert 0 <= walk.cursor <= walk.total, (walk.cursor, walk.total)
            assert 0 <= walk.interior_done <= walk.interior_total
        snapshot = app.explorer.snapshot
        if snapshot is not None:
            assert snapshot.step == len(snapshot.history)
            if snapshot.walk is not None:
                assert 0 <= snapshot.walk.cursor <= snapshot.walk.total
    finally:
        session.lock.release()


async def soak(script: list[Action]) -> None:
    app = MgApp(RunConfig(**MOONS))
    switch_interval = sys.getswitchinterval()  # play lowers it; a test must not leak that
    done = []
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            main = app.screen
            for action in script:
                if isinstance(action, Resize):
                    await pilot.resize_terminal(action.width, action.height)
                    await pilot.pause()
                for key in keys_of(action):
                    await pilot.press(key)
                    await pilot.pause()
                    done.append(key)
                    if not app.is_running:  # only a clean quit may end it
                        assert app._exception is None, (done, app._exception)
                        assert key == "q", f"the app stopped after {done}"
                        assert app.return_code in (0, None), app.return_code
                        return
                    check_invariants(app, main)
                if isinstance(action, Resize):
                    check_invariants(app, main)
                    done.append(f"resize {action.width}x{action.height}")
    finally:
        sys.setswitchinterval(switch_interval)


SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=SEED is None,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)


def seeded(test):
    return seed(int(SEED))(test) if SEED is not None else test


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """Every file the app may write goes into tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MG_TUI_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("MG_TUI_EXPORT_DIR", str(tmp_path / "export"))
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    return tmp_path


@seeded
@SETTINGS
@given(script=sequences())
# The modes, each at least once whatever the draw: expression form, tour, settings, help,
# save prompts (a model saved and loaded back), the pictures, the palette.
@example(script=["e", "tab", "enter", ".", ",", "escape", "t", ">", "<", "w", "t"])
@example(script=["o", "tab", "down", "enter", "escape", "question_mark", "pagedown", "escape"])
@example(script=["s", "ctrl+s", "enter", "enter", "ctrl+o", "enter", "f2", "f3"])
@example(script=["f", ".", "F", "c", "escape", "C", "enter", "b", "u", "space", "space"])
# The palette with no match, then pageup (once KeyError: 0 in OptionList._move_page).
@example(script=["ctrl+p", Typed("zzzz"), "pageup", "pagedown", "escape"])
@example(script=[Resize(40, 12), "f1", Resize(120, 40), "escape", "v", Resize(60, 20), "s"])
def test_random_keys_never_crash(sandbox, script):
    asyncio.run(soak(script))
