"""Training options shared by `mg-tui train` and the app: argparse types, and the run
options (RUN_OPTIONS) both parsers are made from.

The rules of a valid run live in nn.config (a restored session needs them below the
UI); this module turns them into argparse `type=` validators, whose
ArgumentTypeError message argparse prints as is, so a bad option costs the user one
clear line. The app imports RunConfig and build_trainer from here or from nn.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from mg_tui.nn.config import (
    MAX_SEED,
    SCHEDULES,
    RunConfig,
    non_negative_float,
    parse_arch,
    positive_float,
    positive_int,
)
from mg_tui.nn.data import DATASETS, MAX_SAMPLES
from mg_tui.nn.layers import ACTIVATIONS
from mg_tui.nn.losses import LOSSES
from mg_tui.nn.optim import OPTIMIZERS

__all__ = [
    "RUN_OPTIONS",
    "RunOption",
    "add_run_options",
    "arch_type",
    "format_arch",
    "learning_rate_type",
    "noise_type",
    "non_negative_float_type",
    "positive_float_type",
    "positive_int_type",
    "run_config_values",
    "save_path_type",
    "seed_type",
]

T = TypeVar("T")


def _argparse_type(name: str, check: Callable[[str], T]) -> Callable[[str], T]:
    """Wrap a checker so its ValueError becomes argparse's one-line error."""

    def convert(text: str) -> T:
        try:
            return check(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = name
    return convert


def _float(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {text!r}")
    return value


def _int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{what} must be a whole number, got {text!r}") from None


def positive_float_type(what: str) -> Callable[[str], float]:
    """An argparse type for a finite number > 0, named `what` in errors."""
    return _argparse_type(what, lambda text: positive_float(_float(text, what), what))


def non_negative_float_type(what: str) -> Callable[[str], float]:
    """An argparse type for a finite number >= 0, named `what` in errors."""
    return _argparse_type(what, lambda text: non_negative_float(_float(text, what), what))


def positive_int_type(what: str, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type for a whole number >= 1 (and <= maximum)."""
    return _argparse_type(what, lambda text: positive_int(_int(text, what), what, maximum))


def _seed(text: str) -> int:
    value = _int(text, "seed")
    if not 0 <= value <= MAX_SEED:
        raise ValueError(f"seed must be between 0 and {MAX_SEED}, got {value}")
    return value


def _save_path(text: str) -> Path:
    path = Path(text).expanduser()
    if not text.strip():
        raise ValueError("the save path is empty")
    if path.is_dir():
        raise ValueError(f"cannot save to {text}: it is a directory")
    parent = path.parent
    if not parent.is_dir():
        raise ValueError(f"cannot save to {text}: no directory {parent}")
    return path


arch_type = _argparse_type("architecture", parse_arch)
learning_rate_type = positive_float_type("learning rate")
noise_type = non_negative_float_type("noise")
seed_type = _argparse_type("seed", _seed)
save_path_type = _argparse_type("path", _save_path)


def format_arch(arch: tuple[int, ...]) -> str:
    """The inverse of parse_arch: (16, 16) -> "16,16", () -> "none"."""
    return ",".join(str(n) for n in arch) if arch else "none"


# -- the run options, declared once ---------------------------------------------------------


@dataclass(frozen=True)
class RunOption:
    """One RunConfig field as a command-line option: `--flag`, its parsing and its help.

    Both parsers (`mg-tui` and `mg-tui train`) are made from RUN_OPTIONS; a test checks
    that every RunConfig field a user sets has exactly one entry.
    """

    field: str  # the RunConfig field it sets
    help: str  # what it is; the default is appended from RunConfig, or `default_help`
    type: Callable[[str], object] | None = None
    choices: tuple[str, ...] | None = None
    metavar: str | None = None
    default_help: str | None = None  # for a default that depends on other options

    @property
    def flag(self) -> str:
        return "--" + self.field.replace("_", "-")

    def help_text(self, defaults: RunConfig) -> str:
        default = getattr(defaults, self.field)
        if self.default_help is not None:
            shown = self.default_help
        elif self.field == "arch":
            shown = format_arch(default)
        else:
            shown = f"{default:g}" if isinstance(default, float) else str(default)
        return f"{self.help} ({shown})" if self.help else f"({shown})"


RUN_OPTIONS: tuple[RunOption, ...] = (
    RunOption("dataset", "data set", choices=tuple(DATASETS)),
    RunOption(
        "samples",
        "number of samples",
        positive_int_type("samples", MAX_SAMPLES),
        metavar="N",
        default_help="default: 4 for tiny, 100 otherwise",
    ),
    RunOption("noise", "data noise", noise_type, metavar="X"),
    RunOption(
        "arch",
        "hidden layer sizes, e.g. 16,16; an output layer of 1 is appended",
        arch_type,
        metavar="SIZES",
    ),
    RunOption("activation", "", choices=ACTIVATIONS),
    RunOption(
        "output_activation",
        "output layer activation",
        choices=ACTIVATIONS,
        default_help="default: same as --activation; linear after relu",
    ),
    RunOption("loss", "", choices=tuple(LOSSES), default_help="sse on tiny, mse otherwise"),
    RunOption("optimizer", "", choices=tuple(OPTIMIZERS)),
    RunOption("lr", "learning rate", learning_rate_type, metavar="LR"),
    RunOption(
        "schedule",
        "learning-rate schedule; linear decays to lr/10 over the decay steps "
        "(mg-tui train: --steps), step halves it every decay steps",
        choices=SCHEDULES,
    ),
    RunOption(
        "batch_size",
        "samples per step",
        positive_int_type("batch size"),
        metavar="N",
        default_help="default: all",
    ),
    RunOption("l2", "L2 penalty", non_negative_float_type("l2"), metavar="X"),
    RunOption("seed", "random seed for weights and data", seed_type, metavar="SEED"),
)

# RunConfig fields that are not options of their own: `mg-tui train` sets decay_steps
# from --steps; the app keeps RunConfig's.
NOT_OPTIONS = frozenset({"decay_steps"})


def add_run_options(group: argparse._ActionsContainer, dest_prefix: str = "") -> None:
    """Add every run option to `group`. Defaults are None (RunConfig's own apply), so only
    what the user gave is passed on (`run_config_values`)."""
    defaults = RunConfig()
    for option in RUN_OPTIONS:
        group.add_argument(
            option.flag,
            dest=dest_prefix + option.field,
            type=option.type,
            choices=option.choices,
            metavar=option.metavar,
            default=None,
            help=option.help_text(defaults),
        )


def run_config_values(args: argparse.Namespace, dest_prefix: str = "") -> dict[str, object]:
    """The run options the user gave, by RunConfig field name."""
    values = {}
    for option in RUN_OPTIONS:
        value = getattr(args, dest_prefix + option.field, None)
        if value is not None:
            values[option.field] = value
    return values
