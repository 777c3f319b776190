"""RunConfig: every setting of a training run, checked, and the Trainer built from it.

One place decides what a valid run is, so `mg-tui train`, the app's settings and a
restored session agree. A saved model stores its RunConfig (`to_dict()`), and
`build_trainer(config)` makes the same data set and the same starting model again.
Every check raises ValueError with a one-line message a user can act on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from mg_tui.nn.data import DATASETS, DEFAULT_SIZES, MAX_SAMPLES, Dataset, load_dataset
from mg_tui.nn.layers import ACTIVATIONS, MLP
from mg_tui.nn.losses import LOSSES
from mg_tui.nn.optim import OPTIMIZERS, Schedule, linear_decay, make_optimizer, step_decay
from mg_tui.nn.trainer import Trainer

SCHEDULES = ("constant", "linear", "step")
MAX_LAYER_WIDTH = 1024
MAX_HIDDEN_LAYERS = 16
MAX_SEED = 2**32 - 1  # scikit-learn's random_state range


def parse_arch(text: str) -> tuple[int, ...]:
    """Hidden layer sizes from "16,16" (or "16 16"); "" or "none" means no hidden layer."""
    cleaned = text.strip().lower()
    if cleaned in ("", "none", "-"):
        return ()
    parts = [p for p in cleaned.replace(",", " ").split() if p]
    sizes = []
    for part in parts:
        try:
            size = int(part)
        except ValueError:
            raise ValueError(
                f"architecture {text!r}: {part!r} is not a whole number (expected e.g. 16,16)"
            ) from None
        sizes.append(size)
    return check_arch(sizes)


def check_arch(sizes: Any) -> tuple[int, ...]:
    """Hidden layer sizes as a tuple, each between 1 and MAX_LAYER_WIDTH."""
    try:
        sizes = tuple(sizes)
    except TypeError:
        raise ValueError(f"architecture must be a list of layer sizes, got {sizes!r}") from None
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(sizes)}")
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, int):
            raise ValueError(f"layer sizes must be whole numbers, got {size!r}")
        if not 1 <= size <= MAX_LAYER_WIDTH:
            raise ValueError(f"layer sizes must be between 1 and {MAX_LAYER_WIDTH}, got {size}")
    return sizes


def positive_float(value: float, what: str) -> float:
    """`value` as a float if it is finite and > 0."""
    number = _number(value, what)
    if number <= 0:
        raise ValueError(f"{what} must be > 0, got {value!r}")
    return number


def non_negative_float(value: float, what: str) -> float:
    """`value` as a float if it is finite and >= 0."""
    number = _number(value, what)
    if number < 0:
        raise ValueError(f"{what} must be >= 0, got {value!r}")
    return number


def positive_int(value: int, what: str, maximum: int | None = None) -> int:
    """`value` if it is a whole number >= 1 (and <= maximum)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number, got {value!r}")
    if value < 1:
        raise ValueError(f"{what} must be at least 1, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{what} must be at most {maximum}, got {value}")
    return value


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def _choice(value: Any, choices: tuple[str, ...] | Mapping[str, Any], what: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"unknown {what} {value!r}; choose one of {', '.join(choices)}")
    return value


def default_loss(dataset: str) -> str:
    """Summed squared error on the seeds' four samples, as they write it; the mean elsewhere.

    A sum over 100 samples makes every step 100 times larger, so the learning rates
    that suit the tiny set would blow a moons run up.
    """
    return "sse" if dataset == "tiny" else "mse"


@dataclass(frozen=True)
class RunConfig:
    """The settings of one training run; checked on construction.

    `arch` lists the hidden layer sizes; the output layer (one neuron) is appended.
    `output_activation=None` means the hidden activation (the seeds' all-tanh net),
    except after relu, where it means linear: a relu output is never negative, so it
    could never predict the -1 labels and training would stall.
    `seed` seeds the model's initial weights, the data set and batch sampling.
    `schedule` is "constant", "linear" (micrograd demo's lr * (1 - 0.9 k / decay_steps))
    or "step" (halve the rate every `decay_steps` steps).
    """

    dataset: str = "tiny"
    samples: int | None = None
    noise: float = 0.1
    arch: tuple[int, ...] = (4, 4)
    activation: str = "tanh"
    output_activation: str | None = None
    loss: str | None = None  # None: the data set's default, see default_loss()
    optimizer: str = "sgd"
    lr: float = 0.1
    schedule: str = "constant"
    decay_steps: int = 100
    batch_size: int | None = None
    l2: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        _choice(self.dataset, DATASETS, "data set")
        if self.samples is not None:
            positive_int(self.samples, "samples", MAX_SAMPLES)
            if self.dataset == "tiny" and self.samples != 4:
                raise ValueError(f"the tiny data set has exactly 4 samples, not {self.samples}")
            if self.samples < 2:
                raise ValueError(f"{self.dataset} needs at least 2 samples, got {self.samples}")
        object.__setattr__(self, "noise", non_negative_float(self.noise, "noise"))
        object.__setattr__(self, "arch", check_arch(self.arch))
        _choice(self.activation, ACTIVATIONS, "activation")
        if self.output_activation is not None:
            _choice(self.output_activation, ACTIVATIONS, "output activation")
        if self.loss is None:
            object.__setattr__(self, "loss", default_loss(self.dataset))
        _choice(self.loss, LOSSES, "loss")
        if self.loss == "bce" and not self.output_sigmoid:
            raise ValueError(
                "the bce loss needs probabilities: use output activation sigmoid "
                f"(not {self.effective_output_activation})"
            )
        _choice(self.optimizer, OPTIMIZERS, "optimizer")
        object.__setattr__(self, "lr", positive_float(self.lr, "learning rate"))
        _choice(self.schedule, SCHEDULES, "schedule")
        positive_int(self.decay_steps, "decay steps")
        if self.batch_size is not None:
            positive_int(self.batch_size, "batch size")
            if self.batch_size > self.n_samples:
                raise ValueError(
                    f"batch size {self.batch_size} is more than the {self.n_samples} samples "
                    f"of {self.dataset}"
                )
        object.__setattr__(self, "l2", non_negative_float(self.l2, "l2"))
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise ValueError(f"seed must be a whole number, got {self.seed!r}")
        if not 0 <= self.seed <= MAX_SEED:
            raise ValueError(f"seed must be between 0 and {MAX_SEED}, got {self.seed}")

    def changed(self, **settings: Any) -> RunConfig:
        """A copy with `settings` changed; a default loss follows a change of data set."""
        follows = "loss" not in settings and self.loss == default_loss(self.dataset)
        if "dataset" in settings and follows:
            settings["loss"] = None
        return replace(self, **settings)

    @property
    def effective_output_activation(self) -> str:
        if self.output_activation is not None:
            return self.output_activation
        return "linear" if self.activation == "relu" else self.activation

    @property
    def output_sigmoid(self) -> bool:
        return self.effective_output_activation == "sigmoid"

    @property
    def n_samples(self) -> int:
        return self.samples if self.samples is not None else DEFAULT_SIZES[self.dataset]

    @property
    def nouts(self) -> list[int]:
        """Every layer's width, output layer included: (4, 4) -> [4, 4, 1]."""
        return [*self.arch, 1]

    def learning_rate(self) -> float | Schedule:
        """The optimizer's rate: a number, or a schedule of the step count."""
        if self.schedule == "linear":
            return linear_decay(self.lr, 0.1, self.decay_steps)
        if self.schedule == "step":
            return step_decay(self.lr, self.decay_steps)
        return self.lr

    def make_dataset(self) -> Dataset:
        return load_dataset(self.dataset, self.samples, noise=self.noise, seed=self.seed)

    def make_model(self, nin: int) -> MLP:
        """The run's starting model (the same seed gives the same weights)."""
        return MLP(
            nin,
            self.nouts,
            self.activation,
            self.effective_output_activation,
            seed=self.seed,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able values (arch as a list)."""
        data = asdict(self)
        data["arch"] = list(self.arch)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunConfig:
        """The inverse of `to_dict()`; unknown keys and bad values raise ValueError."""
        if not isinstance(data, Mapping):
            raise ValueError(f"settings must be a mapping, got {type(data).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(unknown)}")
        values = dict(data)
        if "arch" in values:
            values["arch"] = check_arch(values["arch"])
        return cls(**values)


def build_trainer(config: RunConfig) -> Trainer:
    """The data set, model, optimizer and Trainer that `config` describes.

    The returned Trainer remembers `config` (`trainer.config`) so it can be saved.
    """
    dataset = config.make_dataset()
    model = config.make_model(dataset.n_features)
    optimizer = make_optimizer(config.optimizer, model.parameters(), config.learning_rate())
    trainer = Trainer(
        model,
        dataset,
        config.loss,
        optimizer,
        batch_size=config.batch_size,
        l2=config.l2,
        seed=config.seed,
    )
    trainer.config = config
    return trainer
