"""Your own data: CSV files the tests write, trained to measured results, and bad ones refused.

Every bad file gives one line naming the file (and the row and column of a bad cell) and
exit status 2, from `mg-tui train` and from the app's command line, and changes nothing:
no model is saved. The accuracies are counted here from the model's outputs.
"""

from __future__ import annotations

import math
import os
import random
import re
from pathlib import Path

import pytest
from mg_tui.nn import (
    ModelFileError,
    RunConfig,
    build_trainer,
    load_model,
    load_trainer,
    save_trainer,
)
from mg_tui.nn.csv_data import MAX_CLASSES, read_csv
from mg_tui.nn.split import split_indices
from mg_tui.tui.cli import main


def write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    lines = [",".join(header), *(",".join(str(v) for v in row) for row in rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def labelled(path: Path, n: int = 60, seed: int = 1) -> Path:
    """Two features; the label is "inside" within radius 1 of the origin, else "outside"."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        a, b = rng.uniform(-1.6, 1.6), rng.uniform(-1.6, 1.6)
        rows.append([round(a, 4), round(b, 4), "inside" if a * a + b * b < 1.2 else "outside"])
    return write(path, ["a", "b", "where"], rows)


def unscaled(path: Path, n: int = 60, seed: int = 2) -> Path:
    """Features in [0, 1] and [0, 1000]: the class is which side of the diagonal."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        small, big = rng.random(), rng.random() * 1000.0
        rows.append([round(small, 5), round(big, 2), int(small - big / 1000.0 > 0)])
    return write(path, ["small", "big", "label"], rows)


def regression(path: Path, n: int = 40, seed: int = 3) -> Path:
    """y = 0.8 x1 - 0.5 x2 + small noise: a target column in the middle (--target y)."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        x1, x2 = rng.uniform(-2, 2), rng.uniform(-2, 2)
        rows.append([round(x1, 4), round(0.8 * x1 - 0.5 * x2 + rng.gauss(0, 0.05), 4), x2])
    return write(path, ["x1", "y", "x2"], rows)


def accuracy(trainer) -> float:
    hits = 0
    for x, y in zip(trainer.dataset.xs, trainer.dataset.ys):
        out = trainer.model.evaluate(x)
        if isinstance(out, list):
            hits += max(range(len(out)), key=out.__getitem__) == int(y)
        else:
            hits += (out > 0) == (y > 0)
    return hits / len(trainer.dataset)


def train(config: RunConfig, steps: int):
    trainer = build_trainer(config)
    for _ in range(steps):
        trainer.step()
    return trainer


# -- reading -------------------------------------------------------------------------------


def test_string_labels_are_classes_in_sorted_order(tmp_path: Path) -> None:
    table = read_csv(str(labelled(tmp_path / "where.csv")))
    assert (table.features, table.target, table.classes) == (
        ("a", "b"),
        "where",
        ("inside", "outside"),
    )
    assert table.task == "classification" and len(table.xs) == 60
    text = (tmp_path / "where.csv").read_text().splitlines()[1:]
    for line, y in zip(text, table.ys):
        assert y == (1.0 if line.endswith("outside") else -1.0)  # class 1 is +1


def test_few_whole_numbers_are_classes_and_other_numbers_regression(tmp_path: Path) -> None:
    three = write(tmp_path / "three.csv", ["x", "k"], [[i, i % 3] for i in range(9)])
    table = read_csv(str(three))
    assert table.classes == ("0", "1", "2") and table.ys[:4] == (0.0, 1.0, 2.0, 0.0)
    assert read_csv(str(three), task="regression").classes == ()
    real = write(tmp_path / "real.csv", ["x", "y"], [[i, i / 4] for i in range(9)])
    assert read_csv(str(real)).task == "regression"
    many = write(tmp_path / "many.csv", ["x", "y"], [[i, i] for i in range(MAX_CLASSES + 1)])
    assert read_csv(str(many)).task == "regression"  # 11 distinct whole numbers: not "few"
    with pytest.raises(ValueError, match="11 distinct values, more than 10 classes"):
        read_csv(str(many), task="classification")


def test_target_names_a_column_and_the_rest_are_features(tmp_path: Path) -> None:
    table = read_csv(str(regression(tmp_path / "r.csv")), target="y")
    assert table.features == ("x1", "x2") and table.target == "y" and table.task == "regression"
    first = (tmp_path / "r.csv").read_text().splitlines()[1].split(",")
    assert table.xs[0] == (float(first[0]), float(first[2])) and table.ys[0] == float(first[1])


# -- training on them ------------------------------------------------------------------------


def test_string_labels_train_to_a_measured_accuracy(tmp_path: Path) -> None:
    config = RunConfig(dataset="csv", data=str(labelled(tmp_path / "where.csv")))
    assert (config.data_name, config.loss, config.nouts) == ("where.csv", "mse", [16, 16, 1])
    trainer = train(config, 60)
    assert accuracy(trainer) >= 0.95  # measured 0.983 (59 of 60)


def test_unscaled_features_are_standardized_from_the_training_split(tmp_path: Path) -> None:
    path = unscaled(tmp_path / "wide.csv")
    config = RunConfig(dataset="csv", data=str(path), test_fraction=0.25)
    trainer = build_trainer(config)
    raw = read_csv(str(path))
    # the scaler is the training split's mean and deviation, computed here
    train_idx, test_idx = split_indices(60, 0.25, seed=0)
    train_rows = [raw.xs[i] for i in train_idx]
    for j in range(2):
        column = [row[j] for row in train_rows]
        mean = sum(column) / len(column)
        std = math.sqrt(sum((v - mean) ** 2 for v in column) / len(column))
        assert trainer.scaler.means[j] == pytest.approx(mean)
        assert trainer.scaler.stds[j] == pytest.approx(std)
        assert trainer.test.xs[0][j] == pytest.approx((raw.xs[test_idx[0]][j] - mean) / std)
    for _ in range(80):
        trainer.step()
    assert accuracy(trainer) >= 0.95  # measured 1.0 (45 of 45)
    # measured 0.8 (12 of 15): 16,16 overfits 45 points a little
    assert trainer.history[-1].test_accuracy >= 0.75
    # without standardizing, the column in the thousands saturates every tanh
    flat = train(RunConfig(dataset="csv", data=str(path), standardize=False), 80)
    assert flat.scaler is None
    assert accuracy(flat) <= 0.6  # measured 0.467


def test_regression_targets_train_to_a_measured_loss(tmp_path: Path) -> None:
    config = RunConfig(dataset="csv", data=str(regression(tmp_path / "r.csv")), target="y")
    assert (config.loss, config.effective_output_activation, config.n_classes) == (
        "mse",
        "linear",
        0,
    )
    trainer = train(config, 60)
    data = trainer.dataset
    mse = sum((trainer.model.evaluate(x) - y) ** 2 for x, y in zip(data.xs, data.ys)) / len(data)
    assert mse <= trainer.history[0].loss / 40  # measured: 0.949 -> 0.0122
    assert trainer.history[-1].accuracy is None


def test_the_saved_scaler_reproduces_predictions_after_load(tmp_path: Path) -> None:
    path = unscaled(tmp_path / "wide.csv")
    trainer = train(RunConfig(dataset="csv", data=str(path), test_fraction=0.2), 5)
    saved = save_trainer(tmp_path / "model.json", trainer)
    rows = [(0.25, 900.0), (0.9, 10.0), (0.5, 500.0)]  # raw, as a CSV would hold them
    before = [trainer.model.evaluate(trainer.scaler.apply(row)) for row in rows]
    loaded = load_model(saved)
    assert loaded.scaler == trainer.scaler
    assert loaded.predict(rows) == before
    resumed = load_trainer(saved)
    assert resumed.scaler == trainer.scaler and resumed.data_warning == ""
    assert [resumed.model.evaluate(resumed.scaler.apply(r)) for r in rows] == before
    assert resumed.test.xs == trainer.test.xs and resumed.history == trainer.history


def test_loading_a_model_whose_csv_changed_says_so(tmp_path: Path) -> None:
    path = labelled(tmp_path / "where.csv")
    trainer = train(RunConfig(dataset="csv", data=str(path)), 2)
    saved = save_trainer(tmp_path / "model.json", trainer)
    labelled(path, seed=9)  # other points, same shape
    resumed = load_trainer(saved)
    assert resumed.data_warning == (
        f"{path} has changed since this model was saved: it goes on with the file's rows as "
        "they are now, scaled as in training"
    )
    assert resumed.scaler == trainer.scaler  # the scaler it trained with, not a new one


# -- bad input: one line, exit status 2, nothing changes --------------------------------------


def bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Each bad case: the file and the line it must give (after the path)."""
    cases = {}

    def case(name: str, content: str | bytes, says: str) -> None:
        path = tmp_path / f"{name}.csv"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        cases[name] = (path, says)

    case(
        "non-numeric",
        "a,b,y\n1,2,x\n3,four,y\n",
        "row 3, column 'b': 'four' is not a number (every column but the target must be numeric)",
    )
    case("missing", "a,b,y\n1,2,x\n3,,y\n", "row 3, column 'b': missing value")
    case("missing-target", "a,b,y\n1,2,x\n3,4,\n", "row 3, column 'y': missing value")
    case("ragged", "a,b,y\n1,2,x\n3,4\n", "row 3 has 2 columns, the header has 3")
    case("empty", "", "empty file; a CSV file needs a header row and data rows")
    case(
        "single-class",
        "a,b,y\n1,2,yes\n3,4,yes\n",
        "column 'y' holds one class ('yes') in every row; classification needs at least 2",
    )
    case("header-only", "a,b,y\n", "a header row but no data rows")
    case(
        "binary",
        b"PK\x03\x04\x00\x00binary",
        "not a text file (a NUL byte at byte 5); expected CSV",
    )
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    cases["directory"] = (folder, "is a directory, not a CSV file")
    return cases


CASES = [
    "non-numeric",
    "missing",
    "missing-target",
    "ragged",
    "empty",
    "single-class",
    "header-only",
    "binary",
    "directory",
]


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_one_line_and_exit_status_2_and_saves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path, says = bad_files(tmp_path)[name]
    model = tmp_path / "model.json"
    assert main(["train", "--data", str(path), "--save", str(model), "--quiet"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [f"mg-tui train: error: {path}: {says}"]
    assert not model.exists()
    # the app's command line refuses it the same way, before any screen
    with pytest.raises(SystemExit) as caught:
        main(["--data", str(path)])
    assert caught.value.code == 2
    assert capsys.readouterr().err.splitlines() == [f"mg-tui: error: {path}: {says}"]


def test_other_refusals_name_what_to_do(tmp_path: Path) -> None:
    path = labelled(tmp_path / "where.csv")
    for settings, says in [
        ({"dataset": "csv"}, "the csv data set needs a file: --data FILE.csv"),
        (
            {"dataset": "moons", "data": str(path)},
            "--data names a CSV file, but the data set is moons",
        ),
        ({"dataset": "csv", "data": str(path), "classes": 3}, "leave --classes out"),
        ({"dataset": "csv", "data": str(path), "samples": 10}, "leave --samples out"),
        ({"dataset": "csv", "data": str(path), "target": "c"}, "no column named 'c' to predict"),
        ({"dataset": "moons", "target": "y"}, "--target is for a CSV file (--data), not moons"),
        (
            {"dataset": "csv", "data": str(path), "task": "regression"},
            "row 2, column 'where': 'outside' is not a number",
        ),
        ({"dataset": "csv", "data": str(tmp_path / "none.csv")}, "none.csv: no such file"),
    ]:
        with pytest.raises(ValueError, match=re.escape(says)):
            RunConfig(**settings)


def test_more_than_ten_thousand_rows_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "big.csv", ["x", "y"], [[i, i % 2] for i in range(10_001)])
    with pytest.raises(ValueError, match=r"big\.csv: more than 10000 rows"):
        read_csv(str(path))
    path = write(tmp_path / "ok.csv", ["x", "y"], [[i, i % 2] for i in range(10_000)])
    assert len(read_csv(str(path)).xs) == 10_000


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match=r"pipe\.csv: is a FIFO, not a CSV file"):
        read_csv(str(fifo))


def test_a_model_loads_without_its_csv_and_resuming_says_why_not(tmp_path: Path) -> None:
    path = unscaled(tmp_path / "wide.csv")
    trainer = train(RunConfig(dataset="csv", data=str(path)), 3)
    saved = save_trainer(tmp_path / "model.json", trainer)
    rows = [(0.25, 900.0), (0.9, 10.0)]
    before = [trainer.model.evaluate(trainer.scaler.apply(row)) for row in rows]
    path.unlink()
    loaded = load_model(saved)  # the model and its scaler stand alone
    assert loaded.predict(rows) == before and loaded.config is None
    with pytest.raises(ModelFileError) as caught:
        load_trainer(saved)
    assert str(caught.value) == (f"{saved}: cannot rebuild its data set ({path}: no such file)")
    # a CSV that now has another number of classes: the model still loads, resuming says so
    write(path, ["small", "big", "label"], [[i / 10, i * 100, i % 3] for i in range(9)])
    assert load_model(saved).predict(rows) == before
    with pytest.raises(ModelFileError, match=r"wide\.csv has 3 classes: use --loss cross-entropy"):
        load_trainer(saved)
    three = train(RunConfig(dataset="csv", data=str(path)), 1)  # cross-entropy, 3 outputs
    saved = save_trainer(tmp_path / "three.json", three, overwrite=True)
    write(path, ["small", "big", "label"], [[i / 10, i * 100, i % 4] for i in range(9)])
    with pytest.raises(
        ModelFileError, match="now makes a 2-16-16-4 model, and the file holds 2-16-16-3"
    ):
        load_trainer(saved)
