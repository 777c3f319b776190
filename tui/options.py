"""Training options shared by `mg-tui train` and the app: argparse types.

The rules of a valid run live in nn.config (a restored session needs them below the
UI); this module turns them into argparse `type=` validators, whose
ArgumentTypeError message argparse prints as is, so a bad option costs the user one
clear line. The app imports RunConfig and build_trainer from here or from nn.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from mg_tui.nn.config import (
    MAX_SEED,
    non_negative_float,
    parse_arch,
    positive_float,
    positive_int,
)

__all__ = [
    "arch_type",
    "format_arch",
    "learning_rate_type",
    "noise_type",
    "non_negative_float_type",
    "positive_float_type",
    "positive_int_type",
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
