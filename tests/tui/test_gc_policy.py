"""The app's collector policy: a graph being explored is frozen, playing thaws it."""

from __future__ import annotations

import gc
import weakref

import pytest
from mg_tui.engine import Value, collector_paused
from mg_tui.tui.core.collector_policy import GraphFreezer


class Cyclic:
    me: object = None


@pytest.fixture(autouse=True)
def thawed():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_settle_freezes_only_after_a_new_graph() -> None:
    freezer = GraphFreezer()
    freezer.settle()
    assert gc.get_freeze_count() == 0  # nothing new: nothing to do
    graph = Value.sum([Value(float(i)) * 2 for i in range(1000)])
    freezer.graph_built()
    freezer.settle()
    assert gc.get_freeze_count() >= 2000  # the graph's nodes among them
    graph.backward()  # a frozen graph still works


def test_playing_thaws_so_the_engine_handles_each_step() -> None:
    freezer = GraphFreezer()
    freezer.graph_built()
    freezer.settle()
    assert gc.get_freeze_count() > 0
    freezer.playing()
    assert gc.get_freeze_count() == 0


def test_a_due_full_collection_runs_once_old_graphs_are_released() -> None:
    freezer = GraphFreezer(thaw_every=2)
    garbage = Cyclic()
    garbage.me = garbage  # a cycle: only the cyclic collector can free it
    alive = weakref.ref(garbage)
    freezer.graph_built()
    freezer.settle()  # the cycle is frozen with everything else
    del garbage
    freezer.old_graphs_released()
    gc.collect()
    assert alive() is not None  # not due yet: frozen, so even a collection keeps it
    freezer.graph_built()
    freezer.old_graphs_released()
    assert freezer.graphs_since_thaw == 0
    assert alive() is None  # thawed and collected
    assert gc.get_freeze_count() > 0  # and frozen again


def test_the_engine_freezes_a_new_graph_when_the_program_keeps_objects_frozen() -> None:
    gc.freeze()
    before = gc.get_freeze_count()
    with collector_paused():
        graph = Value.sum([Value(float(i)) for i in range(500)])
    assert gc.get_freeze_count() >= before + 500  # frozen too, not thawed with the rest
    assert graph.data == sum(range(500))
