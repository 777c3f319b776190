"""The `mg-tui` command line: the app by default, and its subcommands.

    mg-tui [app options]            the explorer app (default: 3-4-4-1 tanh on "tiny")
    mg-tui train [options]          train without the UI (tui/train_command.py)
    mg-tui expr "EXPR" a=1 b=2      explore the graph of an expression
    mg-tui tour                     the guided tour of the lessons
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
    from mg_tui.nn import ACTIVATIONS, DATASETS, LOSSES, OPTIMIZERS
    from mg_tui.nn.config import SCHEDULES, RunConfig
    from mg_tui.nn.data import MAX_SAMPLES
    from mg_tui.tui import options

    d = RunConfig()
    group = parser.add_argument_group("app options (without a command)")
    add = group.add_argument
    add("--dataset", dest="app_dataset", choices=DATASETS, help=f"data set ({d.dataset})")
    add(
        "--samples",
        dest="app_samples",
        metavar="N",
        type=options.positive_int_type("samples", MAX_SAMPLES),
        help="number of samples (default: 4 for tiny, 100 otherwise)",
    )
    add(
        "--noise",
        dest="app_noise",
        metavar="X",
        type=options.noise_type,
        help=f"data noise ({d.noise:g})",
    )
    add(
        "--arch",
        dest="app_arch",
        metavar="SIZES",
        type=options.arch_type,
        help="hidden layer sizes, e.g. 16,16; an output layer of 1 is appended "
        f"({options.format_arch(d.arch)})",
    )
    add("--activation", dest="app_activation", choices=ACTIVATIONS, help=f"({d.activation})")
    add(
        "--output-activation",
        dest="app_output_activation",
        choices=ACTIVATIONS,
        help="output layer activation (default: same as --activation; linear after relu)",
    )
    add("--loss", dest="app_loss", choices=tuple(LOSSES), help="(sse on tiny, mse otherwise)")
    add("--optimizer", dest="app_optimizer", choices=OPTIMIZERS, help=f"({d.optimizer})")
    add(
        "--lr",
        dest="app_lr",
        metavar="LR",
        type=options.learning_rate_type,
        help=f"learning rate ({d.lr:g})",
    )
    add(
        "--schedule",
        dest="app_schedule",
        choices=SCHEDULES,
        help=f"learning-rate schedule; linear decays to lr/10 over {d.decay_steps} steps, "
        f"step halves it every {d.decay_steps} ({d.schedule})",
    )
    add(
        "--batch-size",
        dest="app_batch_size",
        metavar="N",
        type=options.positive_int_type("batch size"),
        help="samples per step (default: all)",
    )
    add(
        "--l2",
        dest="app_l2",
        metavar="X",
        type=options.non_negative_float_type("l2"),
        help=f"L2 penalty ({d.l2:g})",
    )
    add(
        "--seed",
        dest="app_seed",
        metavar="SEED",
        type=options.seed_type,
        help=f"random seed for weights and data ({d.seed})",
    )
    add("--load", dest="app_load", metavar="PATH", help="open a saved model file")


def app_config(args: argparse.Namespace, parser: argparse.ArgumentParser):
    """The RunConfig the app options describe; a bad combination is a one-line error."""
    from mg_tui.nn.config import RunConfig

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
