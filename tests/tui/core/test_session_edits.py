"""The session keeps a hand-edited training set through a reset, never into other data."""

from __future__ import annotations

from dataclasses import replace

from mg_tui.nn.config import RunConfig
from mg_tui.tui.core.data_editing import EditRequest
from mg_tui.tui.core.session import Command, Session

MOONS = RunConfig(dataset="moons", samples=12, arch=(4,), activation="relu", seed=1)


def edited_session() -> Session:
    session = Session(MOONS)
    session.run(Command("build", MOONS))
    session.run(Command("edit_data", EditRequest((0.25, 0.75), 1)))
    return session


def test_a_reset_keeps_the_added_point_and_starts_from_the_seeded_weights() -> None:
    session = edited_session()
    before = session.trainer.dataset
    assert len(before) == 13 and before.xs[-1] == (0.25, 0.75) and before.ys[-1] == 1.0
    session.run(Command("step"))
    session.run(Command("build", MOONS))  # what r sends
    assert session.trainer.dataset == before and session.trainer.step_count == 0
    fresh = Session(MOONS)
    fresh.run(Command("build", MOONS))
    assert session.trainer.model.state_dict() == fresh.trainer.model.state_dict()
    assert len(session.trainer.batch) == 13  # the graph on screen has the point


def test_other_data_drops_the_edits() -> None:
    session = edited_session()
    session.run(Command("build", replace(MOONS, seed=2)))  # another draw of moons
    assert len(session.trainer.dataset) == 12 and session.trainer.edits.empty
