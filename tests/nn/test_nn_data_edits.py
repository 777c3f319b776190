"""Hand edits of the training set: applied as a plain list says, trained on from the next
step, saved with the model and restored exactly; a bad "edits" block is one line."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from mg_tui.nn import ModelFileError, RunConfig, build_trainer, load_trainer, save_trainer
from mg_tui.nn.data import Dataset
from mg_tui.nn.data_edits import DataEditError, DataEdits

BASE = Dataset(
    "hand",
    xs=((0.0, 0.0), (1.0, 0.0), (0.0, 2.0), (3.0, 3.0)),
    ys=(1.0, -1.0, 1.0, -1.0),
)
SMALL = RunConfig(dataset="moons", samples=20, arch=(4,), seed=3, test_fraction=0.25)


def test_apply_keeps_the_base_order_less_the_removed_then_the_added() -> None:
    edits = DataEdits(added=(((5.0, 5.0), 1.0), ((-1.0, 2.0), -1.0)), removed=(1, 3))
    data = edits.apply(BASE)
    assert data.xs == ((0.0, 0.0), (0.0, 2.0), (5.0, 5.0), (-1.0, 2.0))
    assert data.ys == (1.0, 1.0, 1.0, -1.0)
    assert data.name == "hand" and data.classes == BASE.classes


def test_remove_nearest_drops_an_original_by_index_and_an_added_point_from_added() -> None:
    edits = DataEdits().add((2.9, 2.9), 1.0)  # (2.92, 2.92) is 0.03 from it, 0.11 from (3, 3)
    after, index = edits.remove_nearest(BASE, (2.92, 2.92))
    assert (after, index) == (DataEdits(), 4)  # it was the fifth point of the edited set
    after, index = DataEdits().remove_nearest(BASE, (0.9, 0.2))  # (1, 0) is nearest
    assert (after.removed, index) == ((1,), 1)
    after, index = after.remove_nearest(BASE, (0.1, 1.9))  # (0, 2): now the second point
    assert (after.removed, index) == ((1, 2), 1)
    assert after.apply(BASE).xs == ((0.0, 0.0), (3.0, 3.0))


def test_the_last_point_is_not_removed() -> None:
    one = DataEdits(removed=(0, 1, 2))
    with pytest.raises(DataEditError, match="last training point"):
        one.remove_nearest(BASE, (0.0, 0.0))


def test_edits_read_back_from_their_dict() -> None:
    edits = DataEdits(added=(((0.1, -0.2), -1.0),), removed=(2,))
    assert DataEdits.from_dict(json.loads(json.dumps(edits.to_dict())), BASE) == edits


@pytest.mark.parametrize(
    ("block", "words"),
    [
        ([1, 2], "not an object"),
        ({"added": [[[0.0], 1.0]]}, "1 inputs"),
        ({"added": [[[0.0, 0.0], 0.5]]}, "not a class"),
        ({"added": [[[0.0, "x"], 1.0]]}, "non-finite"),
        ({"removed": [4]}, "not a point of the 4-point set"),
        ({"removed": [1, 1]}, "removed twice"),
        ({"removed": [0, 1, 2, 3]}, "no training point"),
    ],
)
def test_a_bad_edits_block_fails_the_load_in_one_line(tmp_path: Path, block, words) -> None:
    trainer = build_trainer(RunConfig(dataset="xor", samples=4, arch=(2,), seed=1))
    path = save_trainer(tmp_path / "m.json", trainer)
    document = json.loads(path.read_text())
    document["edits"] = block
    path.write_text(json.dumps(document))
    with pytest.raises(ModelFileError) as error:
        load_trainer(path)
    assert words in str(error.value) and "\n" not in str(error.value)
    assert str(error.value).startswith(str(path))


def test_the_next_step_trains_on_the_edited_set_and_a_step_in_progress_keeps_its_own() -> None:
    trainer = build_trainer(RunConfig(dataset="moons", samples=10, arch=(3,), seed=2))
    base = trainer.dataset
    trainer.forward()
    edits = DataEdits().add((0.25, 0.75), 1.0)
    assert trainer.edit_data(edits) is False  # mid-step: it waits
    assert trainer.dataset is base
    trainer.backward()
    trainer.update()  # scored against the set its graph was built on
    graph = trainer.forward()
    assert len(trainer.batch) == 11 and trainer.dataset.xs[-1] == (0.25, 0.75)
    # the loss is the mean squared error over the 11 points, computed here by hand
    targets = [*base.ys, 1.0]
    outs = [trainer.model.evaluate(x) for x in trainer.dataset.xs]
    expected = sum((o - y) ** 2 for o, y in zip(outs, targets)) / 11
    assert math.isclose(graph.data, expected, rel_tol=1e-12)


def test_save_and_load_give_back_the_edited_set_optimizer_and_history(tmp_path: Path) -> None:
    trainer = build_trainer(replace_optimizer(SMALL))
    trainer.step()
    base = trainer.dataset
    edits = DataEdits().add((0.5, -0.25), -1.0)
    edits, _ = edits.remove_nearest(base, base.xs[3])
    trainer.edit_data(edits)
    trainer.step()
    path = save_trainer(tmp_path / "m.json", trainer)
    # version 3: a reader of versions 1 and 2 refuses the file rather than drop its edits
    assert json.loads(path.read_text())["version"] == 3
    loaded = load_trainer(path)
    expected_xs = base.xs[:3] + base.xs[4:] + ((0.5, -0.25),)
    expected_ys = base.ys[:3] + base.ys[4:] + (-1.0,)
    assert loaded.dataset.xs == expected_xs and loaded.dataset.ys == expected_ys
    assert loaded.dataset == trainer.dataset and loaded.edits == trainer.edits
    assert loaded.test.xs == trainer.test.xs  # the test split is never edited
    assert loaded.history == trainer.history
    assert loaded.optimizer.state_dict() == trainer.optimizer.state_dict()
    assert loaded.step().loss == trainer.step().loss  # it goes on exactly as it would have


def test_a_file_without_edits_loads_the_set_as_built(tmp_path: Path) -> None:
    trainer = build_trainer(SMALL)
    path = save_trainer(tmp_path / "m.json", trainer)
    document = json.loads(path.read_text())
    assert "edits" not in document and document["version"] == 2  # older readers take it
    assert load_trainer(path).dataset == trainer.dataset


def replace_optimizer(config: RunConfig) -> RunConfig:
    from dataclasses import replace

    return replace(config, optimizer="adam")


COORDS = st.floats(-2.0, 2.0, allow_nan=False)


class EditMachine(RuleBasedStateMachine):
    """Random adds and removes; the trainer's set after each step equals a plain list's."""

    @initialize()
    def start(self) -> None:
        self.trainer = build_trainer(RunConfig(dataset="moons", samples=6, arch=(2,), seed=4))
        self.reference = list(zip(self.trainer.dataset.xs, self.trainer.dataset.ys))

    @rule(x=COORDS, y=COORDS, positive=st.booleans())
    def add(self, x: float, y: float, positive: bool) -> None:
        target = 1.0 if positive else -1.0
        self.trainer.edit_data(self.trainer.current_edits.add((x, y), target))
        self.reference.append(((x, y), target))

    @rule(x=COORDS, y=COORDS)
    def remove(self, x: float, y: float) -> None:
        trainer = self.trainer
        if len(self.reference) == 1:
            with pytest.raises(DataEditError):
                trainer.current_edits.remove_nearest(trainer.base_dataset, (x, y))
            return
        nearest = min(
            range(len(self.reference)), key=lambda i: math.dist(self.reference[i][0], (x, y))
        )
        del self.reference[nearest]
        edits, _ = trainer.current_edits.remove_nearest(trainer.base_dataset, (x, y))
        trainer.edit_data(edits)

    @rule()
    def forward_only(self) -> None:
        self.trainer.forward()  # an edit now waits for the next forward
        self.built_on = list(self.reference)

    @rule()
    def finish_step(self) -> None:
        """A step begun before an edit trains on the set it began with; a new one on all."""
        trainer = self.trainer
        if trainer.phase == "forward":
            trainer.backward()
            trainer.update()
            expected = self.built_on
        else:
            trainer.step()
            expected = self.reference
        assert list(zip(trainer.dataset.xs, trainer.dataset.ys)) == expected
        assert len(trainer.batch) == len(expected)

    @invariant()
    def the_next_forward_trains_on_the_reference(self) -> None:
        trainer = self.trainer
        current = trainer.current_edits.apply(trainer.base_dataset)
        assert list(zip(current.xs, current.ys)) == self.reference


EditMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=15, deadline=None)
TestEdits = EditMachine.TestCase


def test_no_more_points_are_added_than_a_saved_file_may_hold() -> None:
    from mg_tui.nn.data_edits import MAX_ADDED

    full = DataEdits(added=(((0.0, 0.0), 1.0),) * MAX_ADDED)
    with pytest.raises(DataEditError, match=f"{MAX_ADDED} have been added already"):
        full.add((0.5, 0.5), -1.0)
