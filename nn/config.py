"""RunConfig: every setting of a training run, checked, and the Trainer built from it.

One place decides what a valid run is, so `mg-tui train`, the app's settings and a
restored session agree. A saved model stores its RunConfig (`to_dict()`), and
`build_trainer(config)` makes the same data set and the same starting model again.
Every check raises ValueError with a one-line message a user can act on.

Each field a user sets carries its RunOption (label, flag, parser, choices, help) as
metadata: both command lines (tui/options.py) and the settings form are made from
RUN_OPTIONS, and `what_changed` says once which changes need a new model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal

from mg_tui.nn.data import DATASETS, DEFAULT_SIZES, MAX_SAMPLES, Dataset, load_dataset
from mg_tui.nn.layers import ACTIVATIONS, MLP
from mg_tui.nn.losses import EXPLAINED as LOSSES_EXPLAINED
from mg_tui.nn.losses import LOSSES
from mg_tui.nn.optim import EXPLAINED as OPTIMIZERS_EXPLAINED
from mg_tui.nn.optim import OPTIMIZERS, Schedule, linear_decay, make_optimizer, step_decay
from mg_tui.nn.trainer import Trainer

SCHEDULES = ("constant", "linear", "step")
# The rate at step k, as RunConfig.learning_rate() builds it (`{decay_steps}` filled in).
SCHEDULES_EXPLAINED = {
    "constant": "lr at every step",
    "linear": "lr·(1 - 0.9·k/{decay_steps}) at step k; lr/10 from step {decay_steps} on",
    "step": "lr·0.5^(k // {decay_steps}): halved every {decay_steps} steps",
}
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


def whole_number(text: str, what: str) -> int:
    """`text` as an int; ValueError naming `what` if it is not a whole number."""
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{what} must be a whole number, got {text!r}") from None


def real_number(text: str, what: str) -> float:
    """`text` as a finite float; ValueError naming `what` otherwise."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {text!r}")
    return value


def check_seed(value: Any) -> int:
    """`value` if it is a whole number in scikit-learn's random_state range."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"seed must be a whole number, got {value!r}")
    if not 0 <= value <= MAX_SEED:
        raise ValueError(f"seed must be between 0 and {MAX_SEED}, got {value}")
    return value


def format_arch(arch: tuple[int, ...]) -> str:
    """The inverse of parse_arch: (16, 16) -> "16,16", () -> "none"."""
    return ",".join(str(n) for n in arch) if arch else "none"


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


def default_output_activation(activation: str) -> str:
    """The hidden activation, except linear after relu (see RunConfig)."""
    return "linear" if activation == "relu" else activation


# -- the run options, declared once ---------------------------------------------------------


@dataclass(frozen=True)
class RunOption:
    """How a user sets one RunConfig field: its flag and help on both command lines
    (`mg-tui`, `mg-tui train`) and its label and widget in the settings form.

    Declared as the field's metadata (`_option` below), next to the field's default;
    RUN_OPTIONS collects them in field order, and the parsers and the form are made from it.
    """

    label: str  # the form's label; every error about the field names it
    help: str = ""  # --help's text; the default is appended (`help_text`)
    parse: Callable[[str], Any] | None = None  # typed text -> value; None: one of `choices`
    choices: tuple[str, ...] = ()
    explain: Mapping[str, str] = field(default_factory=dict)  # a line per choice, in the form
    example: str = ""  # a valid value to type (the form's placeholder)
    unset: str = ""  # the field may be left unset (None); what that means: "default", "all"
    follows: str = ""  # the field an unset value depends on ("dataset" for the loss)
    resolve: Callable[[Any], Any] | None = None  # that field's value -> what unset applies
    default_help: str = ""  # --help's default, when it depends on other options
    show: Callable[[Any], str] = repr  # a value as typed text; parse() reads it back
    metavar: str | None = None
    rebuilds: bool = True  # False: the running model takes the change (see what_changed)
    name: str = ""  # the RunConfig field (filled in by RUN_OPTIONS)
    default: Any = None  # the field's default (filled in by RUN_OPTIONS)

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def widget(self) -> Literal["select", "input"]:
        """The form's widget: a select over the choices, or a text input."""
        return "select" if self.choices else "input"

    def text(self, value: Any) -> str:
        """`value` as the form's input shows it ("" when unset); parse() reads it back.

        repr: the shortest text that reads back as the same number, so what the form
        shows is exactly what it applies.
        """
        return "" if value is None else self.show(value)

    def unset_text(self, followed: Any = None) -> str:
        """What leaving the field unset applies: "default (mse)", given the followed value."""
        if self.resolve is None or followed is None:
            return self.unset
        return f"{self.unset} ({self.resolve(followed)})"

    def explanation(self, choice: str, config: RunConfig) -> str:
        """`choice`'s one-line explanation, e.g. "sgd: p -= lr·grad" ("" if none)."""
        line = self.explain.get(choice)
        if line is None:
            return ""
        return f"{choice}: {line.format(decay_steps=config.decay_steps)}"

    def help_text(self) -> str:
        """--help's line: the help and the default, e.g. "learning rate (0.1)"."""
        if self.default_help:
            shown = self.default_help
        elif isinstance(self.default, float):
            shown = f"{self.default:g}"
        elif self.choices:
            shown = str(self.default)
        else:
            shown = self.show(self.default)
        return f"{self.help} ({shown})" if self.help else f"({shown})"


def _option(default: Any, label: str, **spec: Any) -> Any:
    """A RunConfig field with its RunOption as metadata."""
    return field(default=default, metadata={"option": RunOption(label, **spec)})


def _count(what: str, maximum: int | None = None) -> Callable[[str], int]:
    return lambda text: positive_int(whole_number(text, what), what, maximum)


def _rate(what: str) -> Callable[[str], float]:
    return lambda text: positive_float(real_number(text, what), what)


def _amount(what: str) -> Callable[[str], float]:
    return lambda text: non_negative_float(real_number(text, what), what)


def _seed(text: str) -> int:
    return check_seed(whole_number(text, "seed"))


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

    dataset: str = _option("tiny", "data set", help="data set", choices=DATASETS)
    samples: int | None = _option(
        None,
        "samples",
        help="number of samples",
        parse=_count("samples", MAX_SAMPLES),
        example="100",
        unset="default",
        follows="dataset",
        resolve=DEFAULT_SIZES.__getitem__,
        default_help="default: 4 for tiny, 100 otherwise",
        metavar="N",
    )
    noise: float = _option(
        0.1, "noise", help="data noise", parse=_amount("noise"), example="0.2", metavar="X"
    )
    batch_size: int | None = _option(
        None,
        "batch size",
        help="samples per step",
        parse=_count("batch size"),
        example="10",
        unset="all",
        default_help="default: all",
        metavar="N",
    )
    arch: tuple[int, ...] = _option(
        (4, 4),
        "architecture",
        help="hidden layer sizes, e.g. 16,16; an output layer of 1 is appended",
        parse=parse_arch,
        show=format_arch,
        example="16,16",
        metavar="SIZES",
    )
    activation: str = _option("tanh", "activation", choices=ACTIVATIONS)
    output_activation: str | None = _option(
        None,
        "output activation",
        help="output layer activation",
        choices=ACTIVATIONS,
        unset="default",
        follows="activation",
        resolve=default_output_activation,
        default_help="default: same as --activation; linear after relu",
    )
    loss: str | None = _option(  # None: the data set's default, see default_loss()
        None,
        "loss",
        choices=tuple(LOSSES),
        explain=LOSSES_EXPLAINED,
        unset="default",
        follows="dataset",
        resolve=default_loss,
        default_help="sse on tiny, mse otherwise",
    )
    l2: float = _option(
        0.0, "L2 penalty", help="L2 penalty", parse=_amount("L2 penalty"), example="1e-4",
        metavar="X",
    )  # fmt: skip
    optimizer: str = _option("sgd", "optimizer", choices=OPTIMIZERS, explain=OPTIMIZERS_EXPLAINED)
    lr: float = _option(
        0.1,
        "learning rate",
        help="learning rate",
        parse=_rate("learning rate"),
        example="0.05",
        metavar="LR",
        rebuilds=False,
    )
    schedule: str = _option(
        "constant",
        "lr schedule",
        help="learning-rate schedule; linear decays to lr/10 over the decay steps "
        "(mg-tui train: --steps), step halves it every decay steps",
        choices=SCHEDULES,
        explain=SCHEDULES_EXPLAINED,
    )
    decay_steps: int = 100  # not an option: `mg-tui train` sets it from --steps
    seed: int = _option(
        0,
        "seed",
        help="random seed for weights and data",
        parse=_seed,
        example="42",
        metavar="SEED",
    )

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
        check_seed(self.seed)

    def is_unset(self, name: str) -> bool:
        """Whether field `name` is left to its default, which follows another field.

        None, or for the loss (which construction resolves to the data set's default) that
        default: a default loss follows a change of data set, in `changed` and the form.
        """
        value = getattr(self, name)
        return value is None or (name == "loss" and value == default_loss(self.dataset))

    def changed(self, **settings: Any) -> RunConfig:
        """A copy with `settings` changed; a default loss follows a change of data set."""
        if "dataset" in settings and "loss" not in settings and self.is_unset("loss"):
            settings["loss"] = None
        return replace(self, **settings)

    @property
    def effective_output_activation(self) -> str:
        if self.output_activation is not None:
            return self.output_activation
        return default_output_activation(self.activation)

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


RUN_OPTIONS: tuple[RunOption, ...] = tuple(
    replace(f.metadata["option"], name=f.name, default=f.default)
    for f in fields(RunConfig)
    if "option" in f.metadata
)
# RunConfig fields that are not options of their own: `mg-tui train` sets decay_steps
# from --steps; the app keeps RunConfig's.
NOT_OPTIONS = frozenset(f.name for f in fields(RunConfig)) - {o.name for o in RUN_OPTIONS}

Change = Literal["nothing", "lr", "rebuild"]


def what_changed(old: RunConfig, new: RunConfig) -> Change:
    """What going from `old` to `new` takes: "nothing", "lr" or "rebuild".

    "lr": only options the running model can take changed (the learning rate, whose
    option says `rebuilds=False`), and the rate is constant: the optimizer gets the new
    rate and the weights, step and history are kept. A scheduled rate is a function of
    the steps made with the optimizer it was built with, so it rebuilds, as every other
    change does (the data, the model or what the loss is).
    """
    options = {o.name: o for o in RUN_OPTIONS}
    differ = [f.name for f in fields(RunConfig) if getattr(old, f.name) != getattr(new, f.name)]
    if not differ:
        return "nothing"
    if new.schedule == "constant" and not any(
        name not in options or options[name].rebuilds for name in differ
    ):
        return "lr"
    return "rebuild"


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
