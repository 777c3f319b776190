"""The `mg-tui` command line: the app by default, and its subcommands.

    mg-tui [app options]            the explorer app (default: 3-4-4-1 tanh on "tiny")
    mg-tui train [options]          train without the UI (tui/train_command.py)
    mg-tui expr "EXPR" a=1 b=2      explore the graph of an expression
    mg-tui tour                     the guided tour of the lessons

Bad arguments give one line on stderr and exit status 2; nothing else is printed.
"""

from __future__ import annotations

import argparse
import sys

from tui import train_command


class OneLineParser(argparse.ArgumentParser):
    """argparse, but an error is one line (`mg-tui: error: ...`) and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="mg-tui", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", parser_class=OneLineParser)
    train_command.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "train":
        return train_command.run(args)
    print("mg-tui: the explorer app is not built yet; try `mg-tui train`")
    return 0


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mg-tui")
    except PackageNotFoundError:
        return "0+unknown"


if __name__ == "__main__":
    sys.exit(main())
