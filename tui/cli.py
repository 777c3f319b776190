"""The `mg-tui` command line: the app by default, and its subcommands.

    mg-tui [app options]            the explorer app (default: 3-4-4-1 tanh on "tiny")
    mg-tui train [options]          train without the UI (tui/train_command.py)
    mg-tui expr "EXPR" a=1 b=2      explore the graph of an expression
    mg-tui tour [N] [--list]        the guided tour of the lessons (from lesson N; list them)
    mg-tui serve --port 8000        the app in a web browser (textual-serve)

Options belong to what comes before them: `mg-tui serve --dataset moons`, not
`mg-tui --dataset moons serve` (an error, rather than options silently dropped).
Bad arguments give one line on stderr and exit status 2; nothing else is printed.
"""

from __future__ import annotations

import argparse
import sys

from mg_tui.tui import explore, launch, serve, train_command

DESCRIPTION = (
    "Watch backpropagation happen: train a small network one step at a time, walk its live "
    "computation graph, and step backprop node by node. With no command: the explorer app."
)


class OneLineParser(argparse.ArgumentParser):
    """argparse, but an error is one line (`mg-tui: error: ...`) and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


class Subcommands(argparse._SubParsersAction):
    """The subcommands; app options before one (`mg-tui --dataset moons serve`) are an error.

    argparse would otherwise drop them without a word: a subcommand's own values (its
    defaults included) replace the top level's, and `train` ignores `app_` options.
    """

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        command = values[0]
        sub = self._name_parser_map.get(command)
        if sub is not None:
            for action in parser._actions:
                if not action.dest.startswith(("app_", "ui_")):
                    continue
                if getattr(namespace, action.dest, action.default) == action.default:
                    continue
                option = action.option_strings[-1]
                if option in sub._option_string_actions:
                    parser.error(f"{option} goes after the command: mg-tui {command} {option} ...")
                parser.error(f"{option} is an option of the app; mg-tui {command} does not take it")
        super().__call__(parser, namespace, values, option_string)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="mg-tui", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    add_app_options(parser)
    launch.add_options(parser)
    sub = parser.add_subparsers(dest="command", parser_class=OneLineParser, action=Subcommands)
    train_command.add_parser(sub)
    serve.add_parser(sub)
    explore.add_parsers(sub)  # expr, tour
    return parser


def add_app_options(parser: argparse.ArgumentParser) -> None:
    """The app's choices (`mg-tui --dataset moons --arch 16,16 ...`), as in the settings form.

    Their dests start with `app_` so a subcommand's options of the same name never clash.
    No defaults here (None: RunConfig's own), so only what the user gave is passed on
    (to RunConfig, or by `serve` to each visitor's app); the help shows RunConfig's.
    """
    from mg_tui.tui import options

    group = parser.add_argument_group("app options (without a command)")
    options.add_run_options(group, dest_prefix="app_")
    add = group.add_argument
    add("--load", dest="app_load", metavar="PATH", help="open a saved model file")


def app_config(args: argparse.Namespace, parser: argparse.ArgumentParser):
    """The RunConfig the app options describe; a bad combination is a one-line error."""
    from mg_tui.nn.config import RunConfig
    from mg_tui.tui.options import run_config_values

    values = run_config_values(args, dest_prefix="app_")
    try:
        return RunConfig(**values)
    except ValueError as error:
        parser.error(str(error))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(
        explore.expression_may_begin_with_minus(sys.argv[1:] if argv is None else argv)
    )
    if args.command == "train":
        return train_command.run(args)
    if args.command == "serve":
        return serve.run(args)
    if args.command == "expr":
        return explore.run_expr(args, parser)
    if args.command == "tour":
        return explore.run_tour(args, parser)
    ui = launch.ui_kwargs(args, parser)  # --theme, --presenter, --resume ({} if none)
    return run_app(app_config(args, parser), args.app_load, **ui)


def run_app(config, load: str | None = None, **ui) -> int:
    """Run the explorer (tui/launch.py: terminal check, recovery on signals and crashes)."""
    return launch.run_app(config, load, **ui)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mg-tui")
    except PackageNotFoundError:
        return "0+unknown"


if __name__ == "__main__":
    sys.exit(main())
