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
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mg_tui.nn.config import RunConfig, build_trainer
from mg_tui.nn.layers import MLP
from mg_tui.nn.safe_files import TargetExists, TargetRefused, write_atomically
from mg_tui.nn.trainer import StepRecord, Trainer

FORMAT = "mg-tui model"
VERSION = 1


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


# -- saving ----------------------------------------------------------------------------


def save_model(
    path: str | os.PathLike[str],
    model: MLP,
    *,
    history: Sequence[StepRecord] = (),
    config: RunConfig | None = None,
    optimizer_state: Mapping[str, Any] | None = None,
    rng_state: tuple[Any, ...] | None = None,
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
) -> str:
    """The model file's text (what `save_model` writes, and a served app downloads)."""
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
        "history": [[r.step, r.loss, r.accuracy, r.lr] for r in history],
        "config": config.to_dict() if config is not None else None,
        "optimizer": dict(optimizer_state) if optimizer_state is not None else None,
        "rng_state": _rng_to_json(rng_state) if rng_state is not None else None,
    }
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
    """Read a model file; raise ModelFileError (one line) if it is missing or not valid."""
    path = Path(path)
    document = _read_document(path)
    try:
        return _parse(document)
    except ModelFileError as error:
        raise ModelFileError(f"{path}: {error}") from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ModelFileError(f"{path}: not a valid model file ({reason})") from None


def load_trainer(path: str | os.PathLike[str]) -> Trainer:
    """A Trainer restored from a file saved by `save_trainer`, ready to go on training.

    The data set and starting model are rebuilt from the saved settings, then the
    saved parameters, history, optimizer state and batch sampler are put back.
    """
    path = Path(path)
    saved = load_model(path)
    if saved.config is None:
        raise ModelFileError(
            f"{path}: the file holds a model but no training settings; use load_model"
        )
    try:
        trainer = build_trainer(saved.config)
    except (ValueError, ImportError) as error:
        raise ModelFileError(f"{path}: cannot rebuild its data set ({error})") from None
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
    return trainer


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
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such model file") from None
    except IsADirectoryError:
        raise ModelFileError(f"{path}: is a directory, not a model file") from None
    except UnicodeDecodeError:
        raise ModelFileError(f"{path}: corrupt model file (not UTF-8 text)") from None
    except OSError as error:
        raise ModelFileError(f"{path}: cannot read ({error.strerror or error})") from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except ValueError as error:
        raise ModelFileError(f"{path}: corrupt model file (not valid JSON: {error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not an mg-tui model file")
    if document.get("version") != VERSION:
        raise ModelFileError(
            f"{path}: model file version {document.get('version')!r} is not supported "
            f"(this mg-tui reads version {VERSION})"
        )
    return document


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a finite number")


def _parse(document: Mapping[str, Any]) -> SavedModel:
    spec = _mapping(document.get("model"), "model")
    nouts = spec.get("nouts")
    if not isinstance(nouts, list) or not nouts:
        raise ModelFileError("mismatched file, the model has no layers")
    for value in (spec.get("nin"), *nouts):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4096:
            raise ModelFileError(f"mismatched file, bad layer size {value!r}")
    seed = spec.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ModelFileError(f"bad seed {seed!r}")
    model = MLP(
        spec["nin"],
        nouts,
        spec.get("activation"),
        spec.get("output_activation"),
        seed=seed,
    )
    try:
        model.load_state_dict(_mapping(document.get("parameters"), "parameters"))
    except ValueError as error:
        raise ModelFileError(
            f"mismatched file, parameters do not fit {_shape(model)}: {error}"
        ) from None

    history = [_record(item) for item in _list(document.get("history", []), "history")]

    config = None
    if document.get("config") is not None:
        config = RunConfig.from_dict(_mapping(document["config"], "config"))
        if config.nouts != model.nouts or (
            config.activation,
            config.effective_output_activation,
        ) != (model.activation, model.output_activation):
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
    return SavedModel(model, history, config, optimizer_state, rng_state)


def _record(item: Any) -> StepRecord:
    if not isinstance(item, list) or len(item) != 4:
        raise ModelFileError(f"bad history entry {item!r}")
    step, loss, acc, lr = item
    if isinstance(step, bool) or not isinstance(step, int) or step < 1:
        raise ModelFileError(f"bad step number in history: {step!r}")
    for value in (loss, acc, lr):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ModelFileError(f"bad number in history: {value!r}")
    return StepRecord(step, float(loss), float(acc), float(lr))


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
