"""The `mg-tui` command line: the app by default, and its subcommands.

    mg-tui [app options]            the explorer app (default: 3-4-4-1 tanh on "tiny")
    mg-tui train [options]          train without the UI (tui/train_command.py)
    mg-tui expr "EXPR" a=1 b=2      explore the graph of an expression
    mg-tui tour                     the guided tour of the lessons
    mg-tui serve --port 8000        the app in a web browser (textual-serve)

Bad arguments give one line on stderr and exit status 2; nothing else is printed.
"""

from __future__ import annotations

import argparse
import sys

from tui import explore, launch, serve, train_command


class OneLineParser(argparse.ArgumentParser):
    """argparse, but an error is one line (`mg-tui: error: ...`) and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="mg-tui", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    add_app_options(parser)
    launch.add_options(parser)
    sub = parser.add_subparsers(dest="command", parser_class=OneLineParser)
    train_command.add_parser(sub)
    serve.add_parser(sub)
    explore.add_parsers(sub)  # expr, tour
    return parser


def add_app_options(parser: argparse.ArgumentParser) -> None:
    """The app's choices (`mg-tui --dataset moons --arch 16,16 ...`), as in the settings form.

    Their dests start with `app_` so a subcommand's options of the same name never clash.
    """
    from nn import ACTIVATIONS, DATASETS, LOSSES, OPTIMIZERS
    from tui import options

    group = parser.add_argument_group("app options (without a command)")
    add = group.add_argument
    add("--dataset", dest="app_dataset", choices=DATASETS, help="data set (default: tiny)")
    add("--samples", dest="app_samples", type=options.positive_int_type("samples", 100_000))
    add("--noise", dest="app_noise", type=options.noise_type, help="data set noise")
    add("--arch", dest="app_arch", type=options.arch_type, help="hidden layers, e.g. 16,16")
    add("--activation", dest="app_activation", choices=ACTIVATIONS)
    add("--output-activation", dest="app_output_activation", choices=ACTIVATIONS)
    add("--loss", dest="app_loss", choices=tuple(LOSSES))
    add("--optimizer", dest="app_optimizer", choices=OPTIMIZERS)
    add("--lr", dest="app_lr", type=options.learning_rate_type, help="learning rate")
    add("--batch-size", dest="app_batch_size", type=options.positive_int_type("batch size"))
    add("--l2", dest="app_l2", type=options.non_negative_float_type("l2"))
    add("--seed", dest="app_seed", type=options.seed_type, help="seed for weights and data")
    add("--load", dest="app_load", metavar="PATH", help="open a saved model file")


def app_config(args: argparse.Namespace, parser: argparse.ArgumentParser):
    """The RunConfig the app options describe; a bad combination is a one-line error."""
    from nn.config import RunConfig

    values = {
        name[len("app_") :]: value
        for name, value in vars(args).items()
        if name.startswith("app_") and name != "app_load" and value is not None
    }
    try:
        return RunConfig(**values)
    except ValueError as error:
        parser.error(str(error))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
