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
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from mg_tui.nn.budget import check_budget
from mg_tui.nn.csv_data import TASKS, CsvTable, read_csv
from mg_tui.nn.data import (
    DATASETS,
    DEFAULT_SIZES,
    MAX_BUILTIN_CLASSES,
    MAX_SAMPLES,
    MULTICLASS,
    N_FEATURES,
    Dataset,
    check_classes,
    load_dataset,
)
from mg_tui.nn.layers import ACTIVATIONS, MLP
from mg_tui.nn.losses import EXPLAINED as LOSSES_EXPLAINED
from mg_tui.nn.losses import LOSSES, MULTI_OUTPUT
from mg_tui.nn.optim import EXPLAINED as OPTIMIZERS_EXPLAINED
from mg_tui.nn.optim import OPTIMIZERS, Schedule, linear_decay, make_optimizer, step_decay
from mg_tui.nn.split import Scaler, check_split, held_out, split
from mg_tui.nn.trainer import Trainer

SCHEDULES = ("constant", "linear", "step")
# The rate at step k, as RunConfig.learning_rate() builds it (`{decay_steps}` filled in).
SCHEDULES_EXPLAINED = {
    "constant": "lr at every step",
    "linear": "lr·(1 - 0.9·k/{decay_steps}) at step k; lr/10 from step {decay_steps} on",
    "step": "lr·0.5^(k // {decay_steps}): halved every {decay_steps} steps",
}
# A scalar engine's limits: one step's graph grows with width² × depth (nn.budget).
MAX_LAYER_WIDTH = 64
MAX_HIDDEN_LAYERS = 8
MAX_SEED = 2**32 - 1  # scikit-learn's random_state range
CSV = "csv"  # the data set that is a CSV file (--data)
DATA_SETS = (*DATASETS, CSV)


@dataclass(frozen=True)
class DataDefaults:
    """A data set's default network and learning rate: ones that train it well."""

    arch: tuple[int, ...]
    lr: float


# Measured: tests/nn/test_nn_data_training.py trains each with these and holds the result.
DATA_DEFAULTS = {
    "tiny": DataDefaults((4, 4), 0.1),  # the seeds' 41-parameter network
    "xor": DataDefaults((4, 4), 0.1),
    "moons": DataDefaults((4, 4), 0.1),
    "circles": DataDefaults((4, 4), 0.1),
    "blobs": DataDefaults((4, 4), 0.1),
    "spiral": DataDefaults((16, 16), 0.3),
    "sine": DataDefaults((16, 16), 0.05),
    CSV: DataDefaults((16, 16), 0.1),
}


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
        raise ValueError(
            f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(sizes)} "
            "(a scalar engine's graph grows with every layer)"
        )
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


def _per_data_set(attr: str, show: Callable[[Any], str]) -> str:
    """--help's words for a default that depends on the data set, from DATA_DEFAULTS:
    "4,4; 16,16 for spiral, sine, csv"."""
    by_value: dict[str, list[str]] = {}
    for name, defaults in DATA_DEFAULTS.items():
        by_value.setdefault(show(getattr(defaults, attr)), []).append(name)
    (usual, _), *others = sorted(by_value.items(), key=lambda item: -len(item[1]))
    return "; ".join([usual, *(f"{value} for {', '.join(names)}" for value, names in others)])


def fraction(text: str) -> float:
    """A test fraction: a number from 0 up to (not including) 1."""
    value = real_number(text, "test fraction")
    return check_fraction(value)


def check_fraction(value: Any) -> float:
    number = _number(value, "test fraction")
    if not 0 <= number < 1:
        raise ValueError(f"test fraction must be at least 0 and below 1, got {value!r}")
    return number


def _path(text: str) -> str:
    return os.path.expanduser(text.strip())


def _classes(text: str) -> int:
    return positive_int(whole_number(text, "classes"), "classes", MAX_BUILTIN_CLASSES)


# -- what the data decides: its shape, and the defaults that follow from it ----------------


@dataclass(frozen=True)
class DataShape:
    """What a run's data set is, known before it is built: features, classes, samples."""

    n_features: int
    n_classes: int  # 0: regression
    n_samples: int


class Applied(Mapping[str, Any]):
    """Every option's value as a run applies it, an unset one resolved from the others.

    `raw(name)` gives what was set (None for unset); RunConfig and the settings form each
    give theirs, and both resolve defaults through the options' own `resolve`.
    """

    def __init__(self, raw: Callable[[str], Any]) -> None:
        self.raw = raw
        self._values: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._values:
            value = self.raw(name)
            option = OPTIONS_BY_NAME.get(name)
            if value is None and option is not None and option.resolve is not None:
                value = option.resolve(self)
            self._values[name] = value
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(OPTIONS_BY_NAME)

    def __len__(self) -> int:
        return len(OPTIONS_BY_NAME)


def data_shape(values: Applied) -> DataShape:
    """The data set's shape; a CSV file is read (and checked: CsvError, one line)."""
    dataset = values.raw("dataset")
    if dataset == CSV:
        table = csv_table(values.raw("data"), values.raw("target"), values.raw("task"))
        return DataShape(len(table.features), len(table.classes), len(table.xs))
    samples = values.raw("samples")
    return DataShape(
        N_FEATURES[dataset],
        check_classes(dataset, values.raw("classes")),
        DEFAULT_SIZES[dataset] if samples is None else samples,
    )


def data_only_options(dataset: str) -> tuple[str, ...]:
    """The options `dataset` does not take, which a change to it leaves unset."""
    if dataset == CSV:
        return ("classes", "samples")
    dropped = ("data", "target", "task")
    return dropped if dataset in MULTICLASS else (*dropped, "classes")


def csv_table(path: str | None, target: str | None, task: str | None) -> CsvTable:
    if path is None:
        raise ValueError("the csv data set needs a file: --data FILE.csv")
    return read_csv(path, target, task)


def default_samples(values: Applied) -> int:
    """100 for a built-in set (tiny: its 4); a CSV file's every row."""
    return data_shape(values).n_samples


def default_classes(values: Applied) -> int | str:
    """2 (the data sets with --classes: blobs and spiral); a CSV's target decides its own."""
    k = data_shape(values).n_classes
    return k if k else "none: regression"


def default_arch(values: Applied) -> tuple[int, ...]:
    return DATA_DEFAULTS[values["dataset"]].arch


def default_lr(values: Applied) -> float:
    return DATA_DEFAULTS[values["dataset"]].lr


def default_loss(values: Applied) -> str:
    """Summed squared error on the seeds' four samples, as they write it; cross-entropy for
    more than two classes; the mean squared error elsewhere (regression included).

    A sum over 100 samples makes every step 100 times larger, so the learning rates
    that suit the tiny set would blow a moons run up.
    """
    if values["dataset"] == "tiny":
        return "sse"
    return "cross-entropy" if data_shape(values).n_classes > 2 else "mse"


def default_output_activation(values: Applied) -> str:
    """The hidden activation, except linear after relu (see RunConfig), for logits
    (cross-entropy) and for regression: an output that must reach any number."""
    activation = values["activation"]
    if activation == "relu" or values["loss"] in MULTI_OUTPUT:
        return "linear"
    if data_shape(values).n_classes == 0:
        return "linear"
    return activation


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
    follows: tuple[str, ...] = ()  # the fields an unset value depends on
    resolve: Callable[[Applied], Any] | None = None  # the run's values -> what unset applies
    stored: bool = False  # an unset value is resolved and kept at construction (see is_unset)
    switch: bool = False  # on or off: `--no-NAME` turns it off; the form offers yes and no
    default_help: str = ""  # --help's default, when it depends on other options
    show: Callable[[Any], str] = repr  # a value as typed text; parse() reads it back
    metavar: str | None = None
    rebuilds: bool = True  # False: the running model takes the change (see what_changed)
    name: str = ""  # the RunConfig field (filled in by RUN_OPTIONS)
    default: Any = None  # the field's default (filled in by RUN_OPTIONS)

    @property
    def flag(self) -> str:
        prefix = "--no-" if self.switch else "--"
        return prefix + self.name.replace("_", "-")

    @property
    def widget(self) -> Literal["select", "input"]:
        """The form's widget: a select over the choices (or yes / no), or a text input."""
        return "select" if self.choices or self.switch else "input"

    def text(self, value: Any) -> str:
        """`value` as the form's input shows it ("" when unset); parse() reads it back.

        repr: the shortest text that reads back as the same number, so what the form
        shows is exactly what it applies.
        """
        return "" if value is None else self.show(value)

    def unset_text(self, values: Applied | None = None) -> str:
        """What leaving the field unset applies: "default (mse)", given the run's values.

        Just the word ("default") when it cannot be known yet (a CSV path being typed).
        """
        if self.resolve is None or values is None:
            return self.unset
        try:
            resolved = self.resolve(values)
        except (ValueError, KeyError, TypeError):
            return self.unset
        shown = resolved if isinstance(resolved, str) else self.show(resolved)
        return f"{self.unset} ({shown})"

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
        elif self.choices or self.switch:
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

    `arch` lists the hidden layer sizes; the output layer is appended: one neuron, or K
    for cross-entropy over K classes. `arch`, `lr` and `loss` left None take the data
    set's defaults (DATA_DEFAULTS, default_loss) and keep them, so those fields always
    hold what the run uses. `output_activation=None` means the hidden activation (the
    seeds' all-tanh net), except after relu, where it means linear: a relu output is never
    negative, so it could never predict the -1 labels and training would stall; logits and
    regression outputs are linear too.
    `dataset="csv"` trains on the CSV file `data` (nn.csv_data); `test_fraction` holds
    out that part of the samples, drawn by `seed`, as a test set.
    `seed` seeds the model's initial weights, the data set, the test split and batch
    sampling.
    `schedule` is "constant", "linear" (micrograd demo's lr * (1 - 0.9 k / decay_steps))
    or "step" (halve the rate every `decay_steps` steps).
    """

    dataset: str = _option(
        "tiny", "data set", help="data set (csv: your own, see --data)", choices=DATA_SETS
    )
    data: str | None = _option(
        None,
        "CSV file",
        help="train on a CSV file: a header row, numeric features, the target last "
        "(implies --dataset csv)",
        parse=_path,
        show=str,
        example="data.csv",
        unset="none",
        metavar="FILE.csv",
    )
    target: str | None = _option(
        None,
        "target column",
        help="the CSV column to predict",
        parse=str.strip,
        show=str,
        unset="the last column",
        default_help="the last column",
        metavar="NAME",
    )
    task: str | None = _option(
        None,
        "task",
        help="for a CSV: what its target is; text labels or a few whole numbers are classes",
        choices=TASKS,
        unset="from the target",
        default_help="from the target",
    )
    classes: int | None = _option(
        None,
        "classes",
        help=f"classes of blobs and spiral, 2 to {MAX_BUILTIN_CLASSES}",
        parse=_classes,
        example="3",
        unset="default",
        follows=("dataset", "data", "target", "task"),
        resolve=default_classes,
        default_help="default: 2",
        metavar="K",
    )
    samples: int | None = _option(
        None,
        "samples",
        help="number of samples",
        parse=_count("samples", MAX_SAMPLES),
        example="100",
        unset="default",
        follows=("dataset", "data", "target", "task"),
        resolve=default_samples,
        default_help="default: 4 for tiny, 100 otherwise, every row of a CSV",
        metavar="N",
    )
    noise: float = _option(
        0.1,
        "noise",
        help="data noise (built-in data sets)",
        parse=_amount("noise"),
        example="0.2",
        metavar="X",
    )
    test_fraction: float = _option(
        0.0,
        "test fraction",
        help="hold out this fraction of the samples as a test set, never trained on",
        parse=fraction,
        example="0.3",
        metavar="F",
    )
    standardize: bool = _option(
        True,
        "standardize",
        help="do not standardize a CSV's features (by default each is scaled to mean 0 "
        "and deviation 1, from the training split)",
        switch=True,
        default_help="standardized",
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
    arch: tuple[int, ...] = _option(  # None: the data set's default, see DATA_DEFAULTS
        None,
        "architecture",
        help=f"hidden layer sizes, e.g. 16,16 (at most {MAX_HIDDEN_LAYERS} layers of "
        f"{MAX_LAYER_WIDTH}); the output layer is appended",
        parse=parse_arch,
        show=format_arch,
        example="16,16",
        unset="default",
        follows=("dataset",),
        resolve=default_arch,
        stored=True,
        default_help=_per_data_set("arch", format_arch),
        metavar="SIZES",
    )
    activation: str = _option("tanh", "activation", choices=ACTIVATIONS)
    output_activation: str | None = _option(
        None,
        "output activation",
        help="output layer activation",
        choices=ACTIVATIONS,
        unset="default",
        follows=("activation", "loss", "dataset", "data", "target", "task"),
        resolve=default_output_activation,
        default_help="default: same as --activation; linear after relu, for "
        "cross-entropy and for regression",
    )
    loss: str | None = _option(  # None: the data set's default, see default_loss()
        None,
        "loss",
        choices=tuple(LOSSES),
        explain=LOSSES_EXPLAINED,
        unset="default",
        follows=("dataset", "classes", "data", "target", "task"),
        resolve=default_loss,
        stored=True,
        default_help="sse on tiny, cross-entropy for more than 2 classes, mse otherwise",
    )
    l1: float = _option(
        0.0, "L1 penalty", help="L1 penalty", parse=_amount("L1 penalty"), example="1e-4",
        metavar="X",
    )  # fmt: skip
    l2: float = _option(
        0.0, "L2 penalty", help="L2 penalty", parse=_amount("L2 penalty"), example="1e-4",
        metavar="X",
    )  # fmt: skip
    optimizer: str = _option("sgd", "optimizer", choices=OPTIMIZERS, explain=OPTIMIZERS_EXPLAINED)
    lr: float = _option(  # None: the data set's default, see DATA_DEFAULTS
        None,
        "learning rate",
        help="learning rate",
        parse=_rate("learning rate"),
        example="0.05",
        unset="default",
        follows=("dataset",),
        resolve=default_lr,
        stored=True,
        default_help=_per_data_set("lr", repr),
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
        help="random seed for weights, data, the test split and batches",
        parse=_seed,
        example="42",
        metavar="SEED",
    )

    def __post_init__(self) -> None:
        _choice(self.dataset, DATA_SETS, "data set")
        self._check_data_source()
        if self.samples is not None:
            positive_int(self.samples, "samples", MAX_SAMPLES)
            if self.dataset == "tiny" and self.samples != 4:
                raise ValueError(f"the tiny data set has exactly 4 samples, not {self.samples}")
            if self.samples < 2:
                raise ValueError(f"{self.dataset} needs at least 2 samples, got {self.samples}")
        object.__setattr__(self, "noise", non_negative_float(self.noise, "noise"))
        object.__setattr__(self, "test_fraction", check_fraction(self.test_fraction))
        if not isinstance(self.standardize, bool):
            raise ValueError(f"standardize must be true or false, got {self.standardize!r}")
        shape = data_shape(Applied(self._raw))  # reads and checks a CSV file
        if shape.n_samples < max(2, shape.n_classes):
            raise ValueError(f"{self.dataset} with {shape.n_classes} classes needs at least "
                             f"{shape.n_classes} samples, got {shape.n_samples}")  # fmt: skip
        object.__setattr__(self, "_shape", shape)
        if self.test_fraction:
            check_split(shape.n_samples, self.test_fraction, self.data_name)
        for option in RUN_OPTIONS:  # the defaults kept: arch, lr, loss
            if option.stored and getattr(self, option.name) is None:
                object.__setattr__(self, option.name, option.resolve(Applied(self._raw)))
        object.__setattr__(self, "arch", check_arch(self.arch))
        _choice(self.activation, ACTIVATIONS, "activation")
        if self.output_activation is not None:
            _choice(self.output_activation, ACTIVATIONS, "output activation")
        _choice(self.loss, LOSSES, "loss")
        self._check_loss(shape)
        _choice(self.optimizer, OPTIMIZERS, "optimizer")
        object.__setattr__(self, "lr", positive_float(self.lr, "learning rate"))
        _choice(self.schedule, SCHEDULES, "schedule")
        positive_int(self.decay_steps, "decay steps")
        if self.batch_size is not None:
            positive_int(self.batch_size, "batch size")
            if self.batch_size > self.n_train:
                split_words = " training" if self.test_fraction else ""
                raise ValueError(
                    f"batch size {self.batch_size} is more than the {self.n_train}"
                    f"{split_words} samples of {self.data_name}"
                )
        object.__setattr__(self, "l1", non_negative_float(self.l1, "l1"))
        object.__setattr__(self, "l2", non_negative_float(self.l2, "l2"))
        check_seed(self.seed)
        check_budget(
            shape.n_features,
            self.nouts,
            self.activation,
            self.effective_output_activation,
            self.loss,
            self.batch_size or self.n_train,
            l1=bool(self.l1),
            l2=bool(self.l2),
        )

    def _raw(self, name: str) -> Any:
        return getattr(self, name)

    def _check_data_source(self) -> None:
        """A CSV file with --dataset csv only; what only a CSV takes, only with one."""
        if self.dataset == CSV:
            if self.data is None:
                raise ValueError("the csv data set needs a file: --data FILE.csv")
            if not isinstance(self.data, str) or not self.data.strip():
                raise ValueError(f"the CSV file must be a path, got {self.data!r}")
            object.__setattr__(self, "data", os.path.abspath(os.path.expanduser(self.data)))
            if self.classes is not None:
                raise ValueError("a CSV's target decides its classes: leave --classes out")
            if self.samples is not None:
                raise ValueError("a CSV file trains on all its rows: leave --samples out")
            if self.task is not None:
                _choice(self.task, TASKS, "task")
            return
        if self.data is not None:
            raise ValueError(
                f"--data names a CSV file, but the data set is {self.dataset}: "
                "use --dataset csv (or leave --dataset out)"
            )
        for name, flag in (("target", "--target"), ("task", "--task")):
            if getattr(self, name) is not None:
                raise ValueError(f"{flag} is for a CSV file (--data), not {self.dataset}")

    def _check_loss(self, shape: DataShape) -> None:
        """The loss must fit the data: K > 2 classes need cross-entropy, regression a
        squared error."""
        if shape.n_classes == 0 and self.loss not in ("sse", "mse"):
            raise ValueError(
                f"{self.data_name} is regression: use --loss mse or sse, not {self.loss}"
            )
        if shape.n_classes > 2 and self.loss not in MULTI_OUTPUT:
            raise ValueError(
                f"{self.data_name} has {shape.n_classes} classes: use --loss cross-entropy "
                f"({self.loss} scores one output, for two classes)"
            )
        if self.loss == "bce" and not self.output_sigmoid:
            raise ValueError(
                "the bce loss needs probabilities: use output activation sigmoid "
                f"(not {self.effective_output_activation})"
            )

    def is_unset(self, name: str) -> bool:
        """Whether field `name` is left to its default, which follows other fields.

        None, or for a default kept at construction (the loss, the architecture, the
        learning rate) that default: it follows a change of data set, in `changed` and the
        form.
        """
        value = getattr(self, name)
        if value is None:
            return True
        option = OPTIONS_BY_NAME.get(name)
        if option is None or not option.stored:
            return False
        return value == option.resolve(Applied(self._raw))

    def changed(self, **settings: Any) -> RunConfig:
        """A copy with `settings` changed; a default kept (loss, arch, lr) follows a change
        of what it depends on (the data set), and another data set drops what only the old
        one took (a CSV file and its target, the number of classes)."""
        dataset = settings.get("dataset", self.dataset)
        if dataset != self.dataset:
            for name in data_only_options(dataset):
                settings.setdefault(name, None)
        for option in RUN_OPTIONS:
            if (
                option.stored
                and option.name not in settings
                and any(name in settings for name in option.follows)
                and self.is_unset(option.name)
            ):
                settings[option.name] = None
        return replace(self, **settings)

    @property
    def shape(self) -> DataShape:
        """The data set's features, classes and samples (known before it is built)."""
        return self._shape  # type: ignore[attr-defined]

    @property
    def data_name(self) -> str:
        """The data set's name: a CSV file's name, or the built-in set's."""
        return Path(self.data).name if self.dataset == CSV and self.data else self.dataset

    @property
    def effective_output_activation(self) -> str:
        if self.output_activation is not None:
            return self.output_activation
        return default_output_activation(Applied(self._raw))

    @property
    def output_sigmoid(self) -> bool:
        return self.effective_output_activation == "sigmoid"

    @property
    def n_samples(self) -> int:
        """All the samples, test split included."""
        return self.shape.n_samples

    @property
    def n_test(self) -> int:
        return held_out(self.n_samples, self.test_fraction)

    @property
    def n_train(self) -> int:
        return self.n_samples - self.n_test

    @property
    def n_classes(self) -> int:
        """The data's classes (0 for regression)."""
        return self.shape.n_classes

    @property
    def n_outputs(self) -> int:
        """The network's outputs: one per class for cross-entropy, else one."""
        return self.n_classes if self.loss in MULTI_OUTPUT else 1

    @property
    def nouts(self) -> list[int]:
        """Every layer's width, output layer included: (4, 4) -> [4, 4, 1]."""
        return [*self.arch, self.n_outputs]

    def learning_rate(self) -> float | Schedule:
        """The optimizer's rate: a number, or a schedule of the step count."""
        if self.schedule == "linear":
            return linear_decay(self.lr, 0.1, self.decay_steps)
        if self.schedule == "step":
            return step_decay(self.lr, self.decay_steps)
        return self.lr

    def make_dataset(self) -> Dataset:
        """Every sample, before the split and unscaled."""
        if self.dataset == CSV:
            return csv_table(self.data, self.target, self.task).dataset()
        return load_dataset(
            self.dataset, self.samples, noise=self.noise, seed=self.seed, classes=self.classes
        )

    def make_data(self, scaler: Scaler | None = None) -> RunData:
        """The training and test splits, scaled as this run scales them.

        A CSV's features are standardised (unless `standardize` is off) by `scaler`, or by
        a scaler fitted on the training split; built-in sets are used as they are made.
        """
        full = self.make_dataset()
        sha256 = csv_table(self.data, self.target, self.task).sha256 if self.data else None
        train, test = split(full, self.test_fraction, self.seed)
        if self.dataset == CSV and self.standardize:
            scaler = scaler or Scaler.fit(train.xs)
            train = scaler.scale(train)
            test = scaler.scale(test) if test is not None else None
        else:
            scaler = None
        return RunData(train, test, scaler, sha256)

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
        if values.get("arch") is not None:
            values["arch"] = check_arch(values["arch"])
        return cls(**values)


@dataclass(frozen=True)
class RunData:
    """A run's data: the training split, the test split (or None), the scaler applied to
    both (or None), and the SHA-256 of the CSV file they came from (None if built-in)."""

    train: Dataset
    test: Dataset | None
    scaler: Scaler | None
    sha256: str | None


RUN_OPTIONS: tuple[RunOption, ...] = tuple(
    replace(f.metadata["option"], name=f.name, default=f.default)
    for f in fields(RunConfig)
    if "option" in f.metadata
)
OPTIONS_BY_NAME: dict[str, RunOption] = {option.name: option for option in RUN_OPTIONS}
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


def build_trainer(config: RunConfig, scaler: Scaler | None = None) -> Trainer:
    """The data set, model, optimizer and Trainer that `config` describes.

    The returned Trainer remembers `config` (`trainer.config`), its scaler and its CSV's
    hash, so it can be saved; a saved model's `scaler` is applied instead of a new one.
    """
    data = config.make_data(scaler)
    model = config.make_model(data.train.n_features)
    optimizer = make_optimizer(config.optimizer, model.parameters(), config.learning_rate())
    trainer = Trainer(
        model,
        data.train,
        config.loss,
        optimizer,
        batch_size=config.batch_size,
        l1=config.l1,
        l2=config.l2,
        seed=config.seed,
        test=data.test,
    )
    trainer.config = config
    trainer.scaler = data.scaler
    trainer.data_sha256 = data.sha256
    return trainer
