"""Loading is bounded: odd files are refused unread, huge or malformed content fails fast.

Everything happens in tmp_path; /dev/zero is only ever reached through a symlink
that the loader must refuse without reading.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import mg_tui.nn.serialize as serialize
import pytest
from mg_tui.nn import MLP, ModelFileError, RunConfig, build_trainer, load_model, save_trainer
from mg_tui.nn.config import MAX_HIDDEN_LAYERS, MAX_LAYER_WIDTH
from mg_tui.nn.csv_data import MAX_CLASSES, MAX_FEATURES


def saved(tmp_path: Path, name: str = "m.json", steps: int = 3) -> Path:
    trainer = build_trainer(RunConfig())
    for _ in range(steps):
        trainer.step()
    return save_trainer(tmp_path / name, trainer)


def refused(path: Path, match: str) -> str:
    with pytest.raises(ModelFileError, match=match) as caught:
        load_model(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


@pytest.fixture
def no_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the loader reads a single byte."""

    def read(fd: int, n: int) -> bytes:
        raise AssertionError("the loader read a file it should have refused")

    monkeypatch.setattr(serialize.os, "read", read)


# -- only regular files ----------------------------------------------------------------


def test_fifo_is_refused_without_blocking(tmp_path: Path, no_reads: None) -> None:
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)  # no writer: a blocking open would hang here
    refused(fifo, "is a FIFO, not a model file")


def test_directory_is_refused(tmp_path: Path, no_reads: None) -> None:
    (tmp_path / "dir.json").mkdir()
    refused(tmp_path / "dir.json", "is a directory, not a model file")


def test_symlink_to_a_device_is_refused_unread(tmp_path: Path, no_reads: None) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    refused(link, "is a character device, not a model file")


def test_socket_is_refused(tmp_path: Path, no_reads: None) -> None:
    path = tmp_path / "s.json"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
    except OSError:
        pytest.skip("cannot bind a Unix socket here")
    try:
        refused(path, "is a socket, not a model file")
    finally:
        server.close()


def test_symlink_to_a_regular_model_loads(tmp_path: Path) -> None:
    target = saved(tmp_path)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert load_model(link).model.state_dict() == load_model(target).model.state_dict()


# -- the size cap ----------------------------------------------------------------------


def test_file_over_the_cap_is_refused_unread(tmp_path: Path, no_reads: None) -> None:
    path = tmp_path / "big.json"
    with open(path, "wb") as handle:
        handle.truncate(65 * 2**20)  # sparse: no 65 MiB is written
    message = refused(path, "more than a model file may hold")
    assert f"{serialize.MAX_MODEL_BYTES} bytes" in message and "64 MiB" in message


def test_read_stops_past_the_cap_if_the_file_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fstat saw a small file, but more is there by the read: at most cap + 1 bytes."""
    path = tmp_path / "growing.json"
    path.write_bytes(b" " * 5000)
    monkeypatch.setattr(serialize, "MAX_MODEL_BYTES", 100)
    real_fstat, real_read = os.fstat, os.read
    asked = []

    class SmallStat:
        def __init__(self, info: os.stat_result) -> None:
            self.st_mode, self.st_size = info.st_mode, 10

    def read(fd: int, n: int) -> bytes:
        asked.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(serialize.os, "fstat", lambda fd: SmallStat(real_fstat(fd)))
    monkeypatch.setattr(serialize.os, "read", read)
    refused(path, "101 bytes is more than a model file may hold")
    assert sum(asked) <= 101


# -- the architecture's limits, before anything is built -------------------------------


def small_file_asking_for(tmp_path: Path, nouts: list[int], nin: int = 2) -> Path:
    document = {
        "format": "mg-tui model",
        "version": 1,
        "model": {"nin": nin, "nouts": nouts, "activation": "tanh", "seed": 0},
        "parameters": {f"L1.N{j}.w0": 0.5 for j in range(1, 400)},
    }
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(document))
    assert path.stat().st_size < 12_000
    return path


def test_small_file_asking_for_a_huge_network(tmp_path: Path) -> None:
    path = small_file_asking_for(tmp_path, [4096, 4096, 4096, 1])
    refused(path, f"model too large, layer size 4096 \\(the limit is {MAX_LAYER_WIDTH} per layer")


def test_too_many_layers(tmp_path: Path) -> None:
    path = small_file_asking_for(tmp_path, [4] * (MAX_HIDDEN_LAYERS + 1) + [1])
    refused(path, f"the limit is {MAX_HIDDEN_LAYERS} hidden layers")


@pytest.mark.parametrize(
    ("nin", "nouts", "limit"),
    [
        (MAX_FEATURES + 1, [4, 1], MAX_FEATURES),  # more inputs than a CSV may have features
        (2, [4, MAX_CLASSES + 1], MAX_CLASSES),  # more outputs than a CSV may have classes
    ],
)
def test_inputs_and_outputs_are_held_to_the_data_limits(
    tmp_path: Path, nin: int, nouts: list[int], limit: int
) -> None:
    path = small_file_asking_for(tmp_path, nouts, nin=nin)
    refused(path, f"model too large, layer size {limit + 1} \\(the limit is {limit} per layer")


def test_network_within_limits_but_not_in_the_file_is_not_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = small_file_asking_for(tmp_path, [MAX_LAYER_WIDTH] * MAX_HIDDEN_LAYERS + [1])

    def build(*args: object, **kwargs: object) -> None:
        raise AssertionError("built an MLP the file cannot fill")

    monkeypatch.setattr(serialize, "MLP", build)
    refused(path, "parameters but the file holds 399")


def test_small_mismatch_still_names_the_missing_parameter(tmp_path: Path) -> None:
    path = saved(tmp_path)
    document = json.loads(path.read_text())
    del document["parameters"]["L1.N1.b"]
    path.write_text(json.dumps(document))
    refused(path, "mismatched file.*missing L1.N1.b")


# -- malformed content -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        '{"format": "mg-tui model", "version": 1, "config": ' + "[" * 100_000,
        '{"a": ' * 100_000,
    ],
    ids=["list", "inside-a-model-file", "objects"],
)
def test_deep_nesting(tmp_path: Path, text: str) -> None:
    path = tmp_path / "deep.json"
    path.write_text(text)
    refused(path, "corrupt model file \\(nested too deeply\\)")


def edited(tmp_path: Path, edit) -> Path:
    path = saved(tmp_path)
    document = json.loads(path.read_text())
    edit(document)
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda d: d["history"][-1].__setitem__(0, 10**100), "bad step number.*to 1000000000"),
        (lambda d: d["history"][1].__setitem__(0, 1), "step 1 comes after step 1"),
        (lambda d: d["history"].reverse(), "step 2 comes after step 3"),
        (lambda d: d["history"][0].__setitem__(0, 0), "bad step number in history: 0"),
        (lambda d: d["history"][0].__setitem__(1, "NaN"), "bad number in history: 'NaN'"),
        (lambda d: d["history"][0].__setitem__(3, "inf"), "bad number in history: 'inf'"),
        (lambda d: d["history"][0].__setitem__(2, 2.0), "bad accuracy in history: 2.0"),
        (lambda d: d["history"][0].__setitem__(2, -0.5), "bad accuracy in history: -0.5"),
        (lambda d: d["history"][0].__setitem__(1, 10**400), "bad number.*not finite"),
        (lambda d: d["history"].append([4] * 100_000), "bad history entry"),
        (lambda d: d["config"].update({"a\nb": 1}), "unknown settings: a b"),
        (lambda d: d["config"].update(dataset="x" * 100_000), "unknown data set"),
        (lambda d: d["model"].update(nouts=[10**4000]), "model too large, layer size 1000"),
    ],
)
def test_malformed_content_is_one_short_line(tmp_path: Path, edit, match: str) -> None:
    path = edited(tmp_path, edit)
    message = refused(path, match)
    assert len(message) < len(str(path)) + 400


def test_huge_float_in_history_is_not_finite(tmp_path: Path) -> None:
    """JSON has no inf, but Python reads 1e400 as one."""
    path = edited(tmp_path, lambda d: d.update(history=[[1, "LOSS", 0.5, 0.1]]))
    path.write_text(path.read_text().replace('"LOSS"', "1e400"))
    refused(path, "bad number in history: inf is not finite")


# -- load_state_dict on a bigger model -------------------------------------------------


def test_load_state_dict_of_a_256_256_model() -> None:
    source, target = MLP(2, [256, 256, 1], seed=1), MLP(2, [256, 256, 1], seed=2)
    target.load_state_dict(source.state_dict())
    assert target.state_dict() == source.state_dict()


def test_load_state_dict_mismatches_are_reported_and_change_nothing() -> None:
    model = MLP(2, [256, 256, 1], seed=1)
    before = model.state_dict()
    state = dict(before)
    for key in ("L1.N1.w0", "L2.N7.b", "L3.N1.w255", "L2.N9.w3"):
        del state[key]
    state["L9.N1.b"] = 0.0
    with pytest.raises(ValueError, match="state does not match") as caught:
        model.load_state_dict(state)
    message = str(caught.value)
    assert "missing L1.N1.w0, L2.N7.b, L2.N9.w3 and 1 more; unexpected L9.N1.b" in message
    state = dict(before, **{"L3.N1.b": float("nan")})
    with pytest.raises(ValueError, match=r"L3\.N1\.b is not a finite number"):
        model.load_state_dict(state)
    assert model.state_dict() == before
