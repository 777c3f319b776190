"""`mg-tui train`: headless training with a progress bar (to be completed)."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    subparsers.add_parser("train", help="train without the UI")


def run(args: argparse.Namespace) -> int:
    print("mg-tui train: not built yet")
    return 0
