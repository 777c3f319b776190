"""Saved models: a trained network, its settings and its history, as one JSON file.

Why JSON: a learner can open the file and read every weight by its label
(`"L1.N2.w0": 0.123`). Python writes a float with the shortest text that reads back
as the same float, so a round trip is exact.

Why the care in writing: the app saves while training and a later crash-recovery
feature reads what it saved. A half-written file must never replace a good one, and a
save must never replace a file that is not a model: `nn.safe_files` writes a temporary
file, flushes it and renames it, and refuses any target that is not a model file.

Why one exception: whatever is wrong with a file (missing, not JSON, another format,
parameters that do not fit the architecture) the caller shows one line and carries
on; `ModelFileError` is that line. Loading builds new objects, so a failure changes
nothing that exists.

Why the bounds on loading: a model file may come from anywhere. Only a regular file
of at most MAX_MODEL_BYTES is read, and its architecture is held to the app's own
limits before a single parameter is built, so a FIFO, /dev/zero or a small file
asking for a huge network fails at once instead of hanging or filling memory.
"""

from __future__ import annotations

import errno
import json
import math
import os
import random
import reprlib
import stat
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mg_tui.engine import collector_paused
from mg_tui.nn.budget import parameter_count
from mg_tui.nn.config import (
    CSV,
    MAX_HIDDEN_LAYERS,
    MAX_LAYER_WIDTH,
    RunConfig,
    build_trainer,
    csv_table,
)
from mg_tui.nn.csv_data import MAX_CLASSES, MAX_FEATURES, CsvError
from mg_tui.nn.data_edits import DataEditError, DataEdits
from mg_tui.nn.layers import MLP
from mg_tui.nn.safe_files import TargetExists, TargetRefused, file_kind, write_atomically
from mg_tui.nn.split import Scaler
from mg_tui.nn.trainer import StepRecord, Trainer

FORMAT = "mg-tui model"
VERSION = 2  # 2: test figures in the history, the data block (CSV hash, scaler)
# 3: hand edits of the training set. Only a file that has them says 3, so an older mg-tui
# refuses it in one line instead of loading it without its edits.
EDITED_VERSION = 3
READS = (1, 2, 3)  # version 1 files (no test split, no scaler) still load

# Loading limits. The architecture's are RunConfig's (nn.config); the inputs are held to
# a CSV's most features, the outputs to its most classes, so no file can ask for more
# parameters than the largest network the settings allow (about 34,000).
MAX_MODEL_BYTES = 64 * 2**20
MAX_LAYERS = MAX_HIDDEN_LAYERS + 1  # the hidden layers and the output layer
MAX_STEP = 10**9  # years of steps for a scalar engine; a bigger number is not a run


class ModelFileError(ValueError):
    """A model file could not be saved or loaded; the message is one line."""


class ModelFileExists(ModelFileError):
    """The save would replace a model file: ask, then save again with overwrite=True."""


# An existing file is a model file (one a save may replace) if its head holds this.
MARKER = f'"format": {json.dumps(FORMAT)}'.encode()


@dataclass
class SavedModel:
    """What a model file holds, rebuilt: the model and everything saved beside it."""

    model: MLP
    history: list[StepRecord] = field(default_factory=list)
    config: RunConfig | None = None
    optimizer_state: dict[str, Any] | None = None
    rng_state: tuple[Any, ...] | None = None
    scaler: Scaler | None = None  # how the features were scaled in training (a CSV's)
    data_sha256: str | None = None  # the CSV file's content when it was saved
    data_problem: str = ""  # why its settings' CSV cannot be used now (config is then None)
    edits: Mapping[str, Any] | None = None  # the training set's hand edits, checked on resume

    def predict(self, rows: Sequence[Sequence[float]]) -> list[float | list[float]]:
        """The model's output for raw feature rows (as in the CSV): scaled as in training."""
        if self.scaler is not None:
            rows = [self.scaler.apply(row) for row in rows]
        return [self.model.evaluate(row) for row in rows]


# -- saving ----------------------------------------------------------------------------


def save_model(
    path: str | os.PathLike[str],
    model: MLP,
    *,
    history: Sequence[StepRecord] = (),
    config: RunConfig | None = None,
    optimizer_state: Mapping[str, Any] | None = None,
    rng_state: tuple[Any, ...] | None = None,
    scaler: Scaler | None = None,
    data_sha256: str | None = None,
    edits: DataEdits | None = None,
    overwrite: bool = False,
    private: bool = False,
) -> Path:
    """Write `model` (and what was saved beside it) to `path` atomically; return the path.

    Raises ModelFileError, leaving any existing file at `path` untouched, when the
    model holds a non-finite number or the file cannot be written safely (see
    `nn.safe_files`), and ModelFileExists when `path` is a model file and not
    `overwrite`. `private` makes a new file 0600.
    """
    path = Path(path)
    try:
        text = model_text(
            model,
            history=history,
            config=config,
            optimizer_state=optimizer_state,
            rng_state=rng_state,
            scaler=scaler,
            data_sha256=data_sha256,
            edits=edits,
        )
    except ModelFileError as error:
        raise ModelFileError(f"cannot save {path}: {error}") from None
    try:
        return write_atomically(path, text, MARKER, overwrite=overwrite, private=private)
    except TargetExists as error:
        raise ModelFileExists(str(error)) from None
    except TargetRefused as error:
        raise ModelFileError(f"cannot save {error}") from None
    except OSError as error:
        raise ModelFileError(f"cannot save {path}: {error.strerror or error}") from None


def model_text(
    model: MLP,
    *,
    history: Sequence[StepRecord] = (),
    config: RunConfig | None = None,
    optimizer_state: Mapping[str, Any] | None = None,
    rng_state: tuple[Any, ...] | None = None,
    scaler: Scaler | None = None,
    data_sha256: str | None = None,
    edits: DataEdits | None = None,
) -> str:
    """The model file's text (what `save_model` writes, and a served app downloads).

    The data set is in the config (a built-in set's name and parameters, or the CSV's
    path, target and task; the split's seed and fraction); "data" adds what the CSV was
    when this was saved (its SHA-256) and the scaler its features went through, and
    "edits" the points added to and removed from the training split by hand (absent if none).
    """
    document = {
        "format": FORMAT,
        "version": VERSION,
        "model": {
            "nin": model.nin,
            "nouts": list(model.nouts),
            "activation": model.activation,
            "output_activation": model.output_activation,
            "seed": model.seed,
        },
        "parameters": model.state_dict(),
        "history": [
            [r.step, r.loss, r.accuracy, r.lr, r.test_loss, r.test_accuracy] for r in history
        ],
        "config": config.to_dict() if config is not None else None,
        "data": {
            "sha256": data_sha256,
            "scaler": scaler.to_dict() if scaler is not None else None,
        },
        "optimizer": dict(optimizer_state) if optimizer_state is not None else None,
        "rng_state": _rng_to_json(rng_state) if rng_state is not None else None,
    }
    if edits is not None and not edits.empty:
        document["version"] = EDITED_VERSION
        document["edits"] = edits.to_dict()
    try:
        return _dumps(document) + "\n"
    except ValueError:
        raise ModelFileError("the model holds a number that is not finite (NaN or inf)") from None


def trainer_text(trainer: Trainer) -> str:
    """A Trainer's model file text: model, settings, history, optimizer and sampler state."""
    return model_text(trainer.model, **_trainer_parts(trainer))


def _trainer_parts(trainer: Trainer) -> dict[str, Any]:
    return {
        "history": trainer.history,
        "config": trainer.config,
        "optimizer_state": trainer.optimizer.state_dict(),
        "rng_state": trainer.rng.getstate(),
        "scaler": trainer.scaler,
        "data_sha256": trainer.data_sha256,
        "edits": trainer.current_edits,
    }


def save_trainer(
    path: str | os.PathLike[str],
    trainer: Trainer,
    *,
    overwrite: bool = False,
    private: bool = False,
) -> Path:
    """Save a Trainer's model, settings, history, optimizer state and batch sampler."""
    return save_model(
        path, trainer.model, overwrite=overwrite, private=private, **_trainer_parts(trainer)
    )


def _dumps(document: Mapping[str, Any]) -> str:
    """One line per top-level key, but one line per parameter: readable, and compact."""
    lines = []
    for key, value in document.items():
        if key == "parameters":
            body = ",\n".join(
                f"  {json.dumps(k)}: {json.dumps(v, allow_nan=False)}" for k, v in value.items()
            )
            text = "{\n" + body + "\n }"
        else:
            text = json.dumps(value, allow_nan=False)
        lines.append(f" {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(lines) + "\n}"


# -- loading ---------------------------------------------------------------------------


def load_model(path: str | os.PathLike[str]) -> SavedModel:
    """Read a model file; raise ModelFileError (one line) if it is missing or not valid.

    The cyclic GC is paused meanwhile: loading makes only live objects, and collecting
    while a big model is built made loading grow faster than its size.
    """
    path = Path(path)
    try:
        with collector_paused():
            return _parse(_read_document(path))
    except ModelFileError as error:
        raise ModelFileError(f"{path}: {_one_line(str(error))}") from None
    except (
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        OverflowError,
        RecursionError,
    ) as error:
        reason = _one_line(str(error) or type(error).__name__)
        raise ModelFileError(f"{path}: not a valid model file ({reason})") from None


def load_trainer(path: str | os.PathLike[str]) -> Trainer:
    """A Trainer restored from a file saved by `save_trainer`, ready to go on training.

    The data set and starting model are rebuilt from the saved settings, then the
    saved parameters, history, optimizer state and batch sampler are put back.
    """
    with collector_paused():  # as in load_model: two models and a data set are built
        return _restore_trainer(Path(path))


def _restore_trainer(path: Path) -> Trainer:
    saved = load_model(path)
    if saved.data_problem:
        raise ModelFileError(f"{path}: cannot rebuild its data set ({saved.data_problem})")
    if saved.config is None:
        raise ModelFileError(
            f"{path}: the file holds a model but no training settings; use load_model"
        )
    warning = _data_changed(saved)
    try:
        trainer = build_trainer(saved.config, saved.scaler)
    except (ValueError, ImportError) as error:
        raise ModelFileError(
            f"{path}: cannot rebuild its data set ({_one_line(str(error))})"
        ) from None
    trainer.data_warning = warning
    expected, got = _shape(trainer.model), _shape(saved.model)
    if expected != got:
        raise ModelFileError(
            f"{path}: mismatched file, its settings make a {expected} model but it holds {got}"
        )
    trainer.model.load_state_dict(saved.model.state_dict())
    trainer.history = list(saved.history)
    try:
        if saved.optimizer_state is not None:
            trainer.optimizer.load_state_dict(saved.optimizer_state)
        if saved.rng_state is not None:
            trainer.rng.setstate(saved.rng_state)
    except (ValueError, TypeError) as error:
        raise ModelFileError(f"{path}: mismatched optimizer or sampler state ({error})") from None
    if saved.edits is not None:
        try:
            trainer.edit_data(DataEdits.from_dict(saved.edits, trainer.base_dataset))
        except DataEditError as error:
            raise ModelFileError(f"{path}: {_one_line(str(error))}") from None
    return trainer


def _data_changed(saved: SavedModel) -> str:
    """A line if the CSV the model was trained on has changed since it was saved, else ""."""
    config = saved.config
    if config is None or config.dataset != CSV or saved.data_sha256 is None:
        return ""
    try:
        now = csv_table(config.data, config.target, config.task).sha256
    except ValueError:
        return ""  # the rebuild says what is wrong with the file
    if now == saved.data_sha256:
        return ""
    return (
        f"{config.data} has changed since this model was saved: it goes on with the file's "
        "rows as they are now, scaled as in training"
    )


def load_parameters(path: str | os.PathLike[str], model: MLP) -> SavedModel:
    """Load a file's parameters into an existing `model` of the same shape.

    Raises ModelFileError and leaves `model` unchanged if the shapes differ.
    """
    path = Path(path)
    saved = load_model(path)
    if _shape(saved.model) != _shape(model):
        raise ModelFileError(
            f"{path}: mismatched file, it holds a {_shape(saved.model)} model, not {_shape(model)}"
        )
    model.load_state_dict(saved.model.state_dict())
    return saved


def _shape(model: MLP) -> str:
    """`3-4-4-1 tanh/tanh`: what must agree for parameters to fit."""
    return f"{model.architecture} {model.activation}/{model.output_activation}"


def _read_document(path: Path) -> dict[str, Any]:
    data = _read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ModelFileError(f"{path}: corrupt model file (not UTF-8 text)") from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ModelFileError(f"{path}: corrupt model file (nested too deeply)") from None
    except ValueError as error:
        raise ModelFileError(
            f"{path}: corrupt model file (not valid JSON: {_one_line(str(error))})"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not an mg-tui model file")
    if document.get("version") not in READS:
        raise ModelFileError(
            f"{path}: model file version {_brief(document.get('version'))} is not supported "
            f"(this mg-tui reads versions {' and '.join(map(str, READS))})"
        )
    return document


def _read_bytes(path: Path) -> bytes:
    """At most MAX_MODEL_BYTES of a regular file; anything else is refused unread.

    O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever. The
    descriptor is checked (fstat), not the name, so nothing can swap the file between
    the check and the read; the read stops past the cap in case the file grows.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such model file") from None
    except OSError as error:
        mode = None
        if error.errno == errno.ENXIO:  # a socket (or a device with nothing behind it)
            with suppress(OSError):
                mode = os.stat(path).st_mode
        if mode is not None and not stat.S_ISREG(mode):
            raise ModelFileError(f"{path}: is {file_kind(mode)}, not a model file") from None
        raise ModelFileError(f"{path}: cannot read ({error.strerror or error})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ModelFileError(f"{path}: is {file_kind(info.st_mode)}, not a model file")
        if info.st_size > MAX_MODEL_BYTES:
            raise _too_big(path, info.st_size)
        chunks, total = [], 0
        while total <= MAX_MODEL_BYTES:
            chunk = os.read(fd, min(MAX_MODEL_BYTES + 1 - total, 2**20))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_MODEL_BYTES:
            raise _too_big(path, total)
        return b"".join(chunks)
    except OSError as error:
        raise ModelFileError(f"{path}: cannot read ({error.strerror or error})") from None
    finally:
        os.close(fd)


def _too_big(path: Path, size: int) -> ModelFileError:
    return ModelFileError(
        f"{path}: {size} bytes is more than a model file may hold "
        f"(the limit is {MAX_MODEL_BYTES} bytes, {MAX_MODEL_BYTES // 2**20} MiB)"
    )


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a finite number")


def _parse(document: Mapping[str, Any]) -> SavedModel:
    spec = _mapping(document.get("model"), "model")
    nin, nouts = _architecture(spec)
    parameters = _mapping(document.get("parameters"), "parameters")
    count = _parameter_count(nin, nouts)
    # Building costs about what reading did only if the file holds about as many
    # parameters as the model has; a file holding far fewer cannot fit it.
    if count > 2 * len(parameters):
        raise ModelFileError(
            f"mismatched file, a {'-'.join(map(str, [nin, *nouts]))} model has {count} "
            f"parameters but the file holds {len(parameters)}"
        )
    seed = spec.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ModelFileError(f"bad seed {_brief(seed)}")
    model = MLP(
        nin,
        nouts,
        spec.get("activation"),
        spec.get("output_activation"),
        seed=seed,
    )
    try:
        model.load_state_dict(parameters)
    except ValueError as error:
        raise ModelFileError(
            f"mismatched file, parameters do not fit {_shape(model)}: {error}"
        ) from None

    history = _history(_list(document.get("history", []), "history"))

    config, data_problem = None, ""
    if document.get("config") is not None:
        settings = _mapping(document["config"], "config")
        try:
            config = RunConfig.from_dict(settings)
        except ValueError as error:
            # A CSV gone or changed: the model stands without it (load_model works) and
            # resuming says why it cannot; bad settings of a built-in set are a bad file.
            if not isinstance(error, CsvError) and settings.get("dataset") != CSV:
                raise
            data_problem = _one_line(str(error))
        if config is not None and config.dataset == CSV and config.nouts != model.nouts:
            made = "-".join(map(str, [config.shape.n_features, *config.nouts]))
            data_problem = (
                f"{config.data} now makes a {made} model, and the file holds {model.architecture}"
            )
            config = None
        if config is not None and (
            config.nouts != model.nouts
            or (config.activation, config.effective_output_activation)
            != (model.activation, model.output_activation)
        ):
            raise ModelFileError(
                f"mismatched file, its settings describe {config.arch}+1 "
                f"{config.activation}/{config.effective_output_activation} "
                f"but the model is {_shape(model)}"
            )

    optimizer_state = document.get("optimizer")
    if optimizer_state is not None:
        optimizer_state = dict(_mapping(optimizer_state, "optimizer"))
    rng_state = document.get("rng_state")
    if rng_state is not None:
        rng_state = _rng_from_json(rng_state)
    scaler, sha256 = _data(document.get("data"), nin)
    edits = document.get("edits")
    if edits is not None:
        edits = _mapping(edits, "edits")
    return SavedModel(
        model, history, config, optimizer_state, rng_state, scaler, sha256, data_problem, edits
    )


def _data(data: Any, nin: int) -> tuple[Scaler | None, str | None]:
    """The data block: the CSV's hash (64 hex digits) and the scaler (nin features)."""
    if data is None:
        return None, None
    data = _mapping(data, "data")
    sha256 = data.get("sha256")
    hex_digits = set("0123456789abcdef")
    if sha256 is not None and not (
        isinstance(sha256, str) and len(sha256) == 64 and set(sha256) <= hex_digits
    ):
        raise ModelFileError(f"bad data hash {_brief(sha256)}")
    scaler = None
    if data.get("scaler") is not None:
        try:
            scaler = Scaler.from_dict(data["scaler"])
        except ValueError as error:
            raise ModelFileError(f"bad scaler: {error}") from None
        if len(scaler.means) != nin:
            raise ModelFileError(
                f"mismatched file, its scaler has {len(scaler.means)} features, the model {nin}"
            )
    return scaler, sha256


def _architecture(spec: Mapping[str, Any]) -> tuple[int, list[int]]:
    """Inputs and layer widths, held to the limits before anything is built."""
    nin, nouts = spec.get("nin"), spec.get("nouts")
    if not isinstance(nouts, list) or not nouts:
        raise ModelFileError("mismatched file, the model has no layers")
    if len(nouts) > MAX_LAYERS:
        raise ModelFileError(
            f"model too large, {len(nouts) - 1} hidden layers "
            f"(the limit is {MAX_HIDDEN_LAYERS} hidden layers)"
        )
    limits = [MAX_FEATURES, *[MAX_LAYER_WIDTH] * (len(nouts) - 1), MAX_CLASSES]
    for value, limit in zip((nin, *nouts), limits):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ModelFileError(f"mismatched file, bad layer size {_brief(value)}")
        if value > limit:
            raise ModelFileError(
                f"model too large, layer size {_brief(value)} (the limit is {limit} per layer)"
            )
    return nin, nouts


def _parameter_count(nin: int, nouts: Sequence[int]) -> int:
    """An MLP's parameter count, computed without building it: weights and a bias each."""
    return parameter_count(nin, nouts)


def _history(items: list[Any]) -> list[StepRecord]:
    records: list[StepRecord] = []
    for item in items:
        record = _record(item)
        if records and record.step <= records[-1].step:
            raise ModelFileError(
                f"bad history, step {record.step} comes after step {records[-1].step}"
            )
        records.append(record)
    return records


def _record(item: Any) -> StepRecord:
    """[step, loss, accuracy, lr] (version 1), then the test loss and accuracy (version 2);
    an accuracy or a test figure may be null (regression, no test split)."""
    if not isinstance(item, list) or len(item) not in (4, 6):
        raise ModelFileError(f"bad history entry {_brief(item)}")
    step, *values = item
    if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= MAX_STEP:
        raise ModelFileError(
            f"bad step number in history: {_brief(step)} (steps run from 1 to {MAX_STEP})"
        )
    may_be_null = (False, True, False, True, True)  # loss, accuracy, lr, test loss, test acc
    numbers: list[float | None] = []
    for value, nullable in zip(values, may_be_null):
        if value is None and nullable:
            numbers.append(None)
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ModelFileError(f"bad number in history: {_brief(value)}")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise ModelFileError(f"bad number in history: {_brief(value)} is not finite")
        numbers.append(number)
    loss, acc, lr, *test = numbers
    for accuracy in (acc, test[1] if test else None):
        if accuracy is not None and not 0.0 <= accuracy <= 1.0:
            raise ModelFileError(f"bad accuracy in history: {accuracy!r} (an accuracy is 0 to 1)")
    return StepRecord(step, loss, acc, lr, *test)


def _rng_to_json(state: tuple[Any, ...]) -> list[Any]:
    version, internal, gauss_next = state
    return [version, list(internal), gauss_next]


def _rng_from_json(data: Any) -> tuple[Any, ...]:
    if not isinstance(data, list) or len(data) != 3 or not isinstance(data[1], list):
        raise ModelFileError("bad sampler state")
    state = (data[0], tuple(data[1]), data[2])
    try:
        random.Random().setstate(state)  # check it now, on a throwaway generator
    except (ValueError, TypeError, OverflowError):
        raise ModelFileError("bad sampler state") from None
    return state


_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = _repr.maxlong = 40


def _brief(value: Any) -> str:
    """A repr short enough for a one-line message, whatever the file holds."""
    return _repr.repr(value)


def _one_line(reason: str, limit: int = 300) -> str:
    """A reason with no line breaks and of bounded length, whatever the file held."""
    text = " ".join(reason.splitlines())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ModelFileError(f"mismatched file, {what} is missing or not an object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise ModelFileError(f"mismatched file, {what} is not a list")
    return value


__all__ = [
    "MARKER",
    "ModelFileError",
    "ModelFileExists",
    "SavedModel",
    "load_model",
    "load_parameters",
    "load_trainer",
    "save_model",
    "save_trainer",
    "trainer_text",
]
