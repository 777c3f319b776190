"""The engine's collector policy for a user's own training loop (engine.collector).

No timings: what is checked is the collector's state (enabled, thresholds, callbacks)
and that garbage made by other code is still collected, seen through weakrefs.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
import weakref

import pytest
from mg_tui.engine import Value, collector, collector_paused

PROGRAM_THRESHOLD = (555, 7, 9)  # not Python's default: restored exactly, not reset


@pytest.fixture(autouse=True)
def program_settings():
    """A program with its own thresholds; everything put back after each test."""
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    gc.unfreeze()
    gc.enable()
    gc.set_threshold(*PROGRAM_THRESHOLD)
    yield
    collector.enable_graph_policy(True)
    gc.set_threshold(*threshold)
    if enabled:
        gc.enable()
    else:
        gc.disable()


class Cycle:
    """Garbage only the cyclic collector can free."""

    def __init__(self) -> None:
        self.me = self


def parameters(n: int) -> list[Value]:
    return [Value(0.001 * i, f"w{i}") for i in range(n)]


def loss(params: list[Value]) -> Value:
    """As users write it: built-in sum, a chain of "+" (2 interior nodes a parameter)."""
    return sum(p * p for p in params)


def settings() -> tuple[bool, tuple[int, int, int], bool]:
    return gc.isenabled(), gc.get_threshold(), collector._collection_started in gc.callbacks


def test_importing_the_engine_changes_no_gc_setting() -> None:
    code = textwrap.dedent(
        """
        import gc
        gc.set_threshold(555, 7, 9)
        def state():
            return gc.isenabled(), gc.get_threshold(), list(gc.callbacks), gc.get_freeze_count()
        before = state()
        import mg_tui.engine, mg_tui.nn
        assert state() == before, (state(), before)
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_settings_are_restored_exactly_once_the_graphs_are_dropped() -> None:
    before = settings()
    assert before == (True, PROGRAM_THRESHOLD, False)
    params = parameters(collector.MIN_NODES)
    for _ in range(5):  # micrograd's demo loop: the next forward rebinds total_loss
        total_loss = loss(params)
        total_loss.backward()
        assert gc.isenabled()  # never disabled, even while the graph is alive
        assert gc.get_threshold()[0] > PROGRAM_THRESHOLD[0]  # the window is open
        assert gc.get_threshold()[1:] == PROGRAM_THRESHOLD[1:]
        for p in params:
            p.data -= 0.01 * p.grad
    del total_loss
    assert settings() == before


def test_a_threshold_the_program_sets_meanwhile_is_kept() -> None:
    params = parameters(collector.MIN_NODES)
    total_loss = loss(params)
    total_loss.backward()
    gc.set_threshold(800, 10, 10)  # the program's own decision, during the window
    del total_loss
    assert gc.get_threshold() == (800, 10, 10)


def test_a_collection_while_the_graph_is_kept_ends_the_window() -> None:
    params = parameters(collector.MIN_NODES)
    kept = loss(params)  # say, stored in a history list and never released
    kept.backward()
    assert gc.get_threshold() != PROGRAM_THRESHOLD
    gc.collect()  # any collection that starts (here by hand) ends the window
    assert gc.get_threshold() == PROGRAM_THRESHOLD
    assert kept.data == pytest.approx(sum(p.data**2 for p in params))


def test_a_disabled_collector_and_paused_blocks_are_left_alone() -> None:
    params = parameters(collector.MIN_NODES)
    gc.disable()
    total_loss = loss(params)
    total_loss.backward()
    assert settings() == (False, PROGRAM_THRESHOLD, False)
    gc.enable()
    with collector_paused():  # nn.Trainer's path: the block already handles it
        total_loss = loss(params)
        total_loss.backward()
    assert settings() == (True, PROGRAM_THRESHOLD, False)


def test_small_graphs_change_nothing() -> None:
    total_loss = loss(parameters(10))
    total_loss.backward()
    assert settings() == (True, PROGRAM_THRESHOLD, False)


def test_cycles_made_by_other_code_between_steps_are_collected_within_bounded_steps() -> None:
    # Big enough graphs that the full collection's other condition (a quarter of the
    # tracked objects) is met by FULL_EVERY windows: the bound is then FULL_EVERY steps.
    n = max(collector.MIN_NODES, len(gc.get_objects()) // collector.FULL_EVERY)
    params = parameters(n)
    bound = collector.FULL_EVERY + 1
    alive: list[tuple[int, weakref.ref]] = []
    for step in range(3 * collector.FULL_EVERY):
        total_loss = loss(params)
        total_loss.backward()
        for p in params:
            p.data -= 1e-6 * p.grad
        garbage = Cycle()  # other code, between steps: a cycle, then dropped
        alive.append((step, weakref.ref(garbage)))
        del garbage
        overdue = [made for made, ref in alive if ref() is not None and step - made >= bound]
        assert not overdue, f"cycles made at steps {overdue} still alive at step {step}"
    del total_loss
    assert settings() == (True, PROGRAM_THRESHOLD, False)


def test_backward_results_are_unchanged_by_the_watch_on_the_root() -> None:
    params = parameters(collector.MIN_NODES)
    total_loss = loss(params)
    total_loss.backward()
    assert total_loss.local_grads == (1.0, 1.0)  # the root's, watched but equal
    grads = [p.grad for p in params]
    total_loss.backward()  # again: leaves accumulate, as ever
    assert [p.grad for p in params] == [2 * g for g in grads]
    assert grads == [2 * p.data for p in params]
