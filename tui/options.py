"""The run options on a command line: both parsers (`mg-tui`, `mg-tui train`) add them here,
from the one declaration in nn.config (RUN_OPTIONS, RunConfig's field metadata).

The rules of a valid run live in nn.config (a restored session needs them below the
UI); this module turns each option's parser into an argparse `type=`, whose
ArgumentTypeError message argparse prints as is, so a bad option costs the user one
clear line.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from mg_tui.nn.config import CSV, RUN_OPTIONS, format_arch, positive_int, whole_number

__all__ = [
    "add_run_options",
    "format_arch",
    "positive_int_type",
    "run_config_values",
    "save_path_type",
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


def positive_int_type(what: str, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type for a whole number >= 1 (and <= maximum)."""
    return _argparse_type(what, lambda text: positive_int(whole_number(text, what), what, maximum))


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


save_path_type = _argparse_type("path", _save_path)


def add_run_options(group: argparse._ActionsContainer, dest_prefix: str = "") -> None:
    """Add every run option to `group`. Defaults are None (RunConfig's own apply), so only
    what the user gave is passed on (`run_config_values`)."""
    for option in RUN_OPTIONS:
        if option.switch:  # on by default: `--no-standardize` turns it off
            group.add_argument(
                option.flag,
                dest=dest_prefix + option.name,
                action="store_const",
                const=False,
                default=None,
                help=option.help,
            )
            continue
        group.add_argument(
            option.flag,
            dest=dest_prefix + option.name,
            type=None if option.parse is None else _argparse_type(option.label, option.parse),
            choices=option.choices or None,
            metavar=option.metavar,
            default=None,
            help=option.help_text(),
        )


def run_config_values(args: argparse.Namespace, dest_prefix: str = "") -> dict[str, object]:
    """The run options the user gave, by RunConfig field name; `--data FILE` alone means
    the csv data set."""
    values = {}
    for option in RUN_OPTIONS:
        value = getattr(args, dest_prefix + option.name, None)
        if value is not None:
            values[option.name] = value
    if "data" in values and "dataset" not in values:
        values["dataset"] = CSV
    return values
