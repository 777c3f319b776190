"""Saved models: exact round trip, atomic writes, one clear error for a bad file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import mg_tui.nn.serialize as serialize
import pytest
from mg_tui.nn import (
    MLP,
    ModelFileError,
    RunConfig,
    Trainer,
    build_trainer,
    load_model,
    load_parameters,
    load_trainer,
    save_model,
    save_trainer,
)


def trained(config: RunConfig | None = None, steps: int = 5) -> Trainer:
    trainer = build_trainer(config or RunConfig())
    for _ in range(steps):
        trainer.step()
    return trainer


def test_round_trip_is_exact(tmp_path: Path) -> None:
    trainer = trained()
    path = save_trainer(tmp_path / "model.json", trainer)
    saved = load_model(path)
    original = trainer.model.state_dict()
    loaded = saved.model.state_dict()
    assert list(loaded) == list(original)
    assert [v.hex() for v in loaded.values()] == [v.hex() for v in original.values()]
    assert saved.history == trainer.history
    assert saved.config == trainer.config
    assert (saved.model.activation, saved.model.output_activation) == ("tanh", "tanh")
    assert saved.model.seed == 0 and saved.model.nouts == [4, 4, 1]


def test_file_is_readable_json(tmp_path: Path) -> None:
    path = save_trainer(tmp_path / "m.json", trained())
    document = json.loads(path.read_text())
    assert document["format"] == "mg-tui model"
    assert document["parameters"]["L1.N2.w0"] == load_model(path).model.state_dict()["L1.N2.w0"]
    assert '\n  "L1.N1.w0": ' in path.read_text()  # one parameter per line


def test_restored_trainer_continues_exactly(tmp_path: Path) -> None:
    config = RunConfig(
        dataset="xor",
        samples=24,
        arch=(5,),
        optimizer="adam",
        lr=0.05,
        batch_size=8,
        loss="mse",
        schedule="linear",
        decay_steps=10,
        seed=3,
    )
    trainer = trained(config, steps=4)
    restored = load_trainer(save_trainer(tmp_path / "s.json", trainer))
    assert restored.config == config and restored.history == trainer.history
    for _ in range(3):
        assert restored.step() == trainer.step()
    assert restored.model.state_dict() == trainer.model.state_dict()


def test_model_without_settings(tmp_path: Path) -> None:
    model = MLP(2, [3, 1], activation="relu", output_activation="linear", seed=9)
    path = save_model(tmp_path / "bare.json", model)
    saved = load_model(path)
    assert saved.model.state_dict() == model.state_dict() and saved.config is None
    assert saved.history == []
    with pytest.raises(ModelFileError, match="no training settings"):
        load_trainer(path)


def test_load_parameters_into_a_model(tmp_path: Path) -> None:
    source = MLP(3, [4, 4, 1], seed=1)
    path = save_model(tmp_path / "m.json", source)
    target = MLP(3, [4, 4, 1], seed=2)
    load_parameters(path, target)
    assert target.state_dict() == source.state_dict()
    other = MLP(3, [4, 1], seed=2)
    before = other.state_dict()
    with pytest.raises(ModelFileError, match="mismatched file"):
        load_parameters(path, other)
    assert other.state_dict() == before


# -- atomic writes ---------------------------------------------------------------------


def _fail(*args, **kwargs):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("target", ["replace", "fsync", "dumps"])
def test_failed_write_leaves_old_file_and_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    path = tmp_path / "model.json"
    save_trainer(path, trained(steps=1))
    good = path.read_bytes()
    if target == "dumps":
        monkeypatch.setattr(
            serialize.json, "dumps", lambda *a, **k: (_ for _ in ()).throw(ValueError("boom"))
        )
    else:
        monkeypatch.setattr(serialize.os, target, _fail)
    with pytest.raises(ModelFileError) as caught:
        save_trainer(path, trained(steps=3), overwrite=True)
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == good
    assert os.listdir(tmp_path) == ["model.json"]


def test_failed_first_write_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serialize.os, "replace", _fail)
    with pytest.raises(ModelFileError, match="No space left"):
        save_trainer(tmp_path / "new.json", trained(steps=1))
    assert os.listdir(tmp_path) == []


def test_non_finite_model_is_not_saved(tmp_path: Path) -> None:
    model = MLP(2, [1], seed=0)
    model.parameters()[0].data = float("nan")
    with pytest.raises(ModelFileError, match="not finite"):
        save_model(tmp_path / "nan.json", model)
    assert os.listdir(tmp_path) == []


def test_save_into_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="cannot save"):
        save_model(tmp_path / "no" / "m.json", MLP(2, [1]))


# -- bad files -------------------------------------------------------------------------


def edited(tmp_path: Path, edit) -> Path:
    path = save_trainer(tmp_path / "m.json", trained(steps=2))
    document = json.loads(path.read_text())
    edit(document)
    path.write_text(json.dumps(document))
    return path


def check_one_line_error(path: Path, match: str) -> None:
    with pytest.raises(ModelFileError, match=match) as caught:
        load_model(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    assert isinstance(caught.value, ValueError)


def test_missing_file(tmp_path: Path) -> None:
    check_one_line_error(tmp_path / "nope.json", "no such model file")


def test_directory(tmp_path: Path) -> None:
    check_one_line_error(tmp_path, "is a directory")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"{not json", "corrupt model file"),
        (b"", "corrupt model file"),
        (b"\xff\xfe\x00", "corrupt model file"),
        (b"[1, 2]", "not an mg-tui model file"),
        (b'{"format": "something else"}', "not an mg-tui model file"),
    ],
)
def test_corrupt_files(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    check_one_line_error(path, match)


def test_truncated_file(tmp_path: Path) -> None:
    path = save_trainer(tmp_path / "m.json", trained())
    path.write_bytes(path.read_bytes()[:300])
    check_one_line_error(path, "corrupt model file")


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda d: d.update(version=99), "version 99 is not supported"),
        (lambda d: d["parameters"].pop("L2.N3.w1"), "mismatched file.*missing L2.N3.w1"),
        (lambda d: d["model"].update(nouts=[4, 1]), "mismatched file"),
        (lambda d: d["model"].update(nouts=[4, 0, 1]), "mismatched file, bad layer size 0"),
        (lambda d: d["model"].update(activation="swish"), "unknown activation"),
        (lambda d: d["parameters"].update({"L1.N1.b": "x"}), "not a finite number"),
        (lambda d: d.pop("model"), "model is missing"),
        (lambda d: d["config"].update(arch=[8]), "mismatched file, its settings"),
        (lambda d: d["config"].update(loss="hinge"), "unknown loss"),
        (lambda d: d["config"].update(colour="red"), "unknown settings: colour"),
        (lambda d: d["history"].append([1, "x", 0, 0]), "bad number in history"),
        (lambda d: d.update(rng_state=[1, [2], 3]), "bad sampler state"),
    ],
)
def test_mismatched_files(tmp_path: Path, edit, match: str) -> None:
    check_one_line_error(edited(tmp_path, edit), match)


def test_nan_in_file_is_refused(tmp_path: Path) -> None:
    path = save_trainer(tmp_path / "m.json", trained())
    text = path.read_text()
    key = '"L1.N1.b": '
    start = text.index(key) + len(key)
    end = text.index(",", start)
    path.write_text(text[:start] + "NaN" + text[end:])
    check_one_line_error(path, "NaN is not a finite number")


def test_bad_optimizer_state_when_restoring(tmp_path: Path) -> None:
    path = edited(tmp_path, lambda d: d["optimizer"].update(velocity=[0.0]))
    with pytest.raises(ModelFileError, match="mismatched optimizer"):
        load_trainer(path)
