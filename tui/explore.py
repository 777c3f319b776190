"""`mg-tui expr` and `mg-tui tour`: the explorer opened on an expression or on the tour.

Bad expressions are refused before any terminal work: one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse


def add_parsers(sub) -> None:
    """The `expr` and `tour` subcommands (tui/cli.py calls this)."""
    expr = sub.add_parser(
        "expr",
        help="explore the graph of an expression",
        description=(
            'Explore an expression\'s graph: mg-tui expr "tanh(a*b + c)" a=2 b=-3 c=10, '
            'or named statements, as the lecture: mg-tui expr "e = a*b; d = e + c; '
            'f = -2.0; L = d*f" a=2 b=-3 c=10'
        ),
    )
    expr.add_argument(
        "expression",
        help="numbers, names, + - * / **, exp log tanh relu sigmoid; or statements "
        "name = expression separated by ; or newlines (the last is the root)",
    )
    expr.add_argument("assignments", nargs="*", metavar="NAME=NUMBER", help="a value per name")
    tour = sub.add_parser("tour", help="the guided tour of the lessons")
    tour.add_argument("--lesson", type=int, default=1, metavar="N", help="start at lesson N (1-7)")


def expression_may_begin_with_minus(argv: list[str]) -> list[str]:
    """`mg-tui expr "-a*b" a=1 b=2`: argparse would take `-a*b` for an unknown option.

    `expr` has no options but -h, so whatever follows it is the expression: a `--`
    before it tells argparse so.
    """
    if "expr" not in argv:
        return argv
    at = argv.index("expr") + 1
    if at < len(argv) and argv[at].startswith("-") and argv[at] not in ("-h", "--help", "--"):
        return [*argv[:at], "--", *argv[at:]]
    return argv


def expression_source(args: argparse.Namespace, parser: argparse.ArgumentParser):
    """The GraphSource the arguments describe; a bad one is parser.error (exit 2)."""
    from mg_tui.engine.expression import ExpressionError, parse_assignments
    from mg_tui.tui.core.graphs import GraphSource

    try:
        return GraphSource.from_expression(args.expression, parse_assignments(args.assignments))
    except ExpressionError as error:
        parser.error(str(error))


def run_expr(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    source = expression_source(args, parser)
    return _run(lambda app: app.start_with_graph(source))


def run_tour(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from mg_tui.tui.core.lessons import LESSONS

    if not 1 <= args.lesson <= len(LESSONS):
        parser.error(f"--lesson must be between 1 and {len(LESSONS)}, got {args.lesson}")
    return _run(lambda app: app.start_with_tour(args.lesson - 1))


def _run(prepare) -> int:
    import sys

    from mg_tui.tui.launch import no_terminal

    reason = no_terminal()
    if reason is not None:
        print(f"mg-tui: the explorer needs a terminal ({reason})", file=sys.stderr)
        return 2
    from mg_tui.tui.app import MgApp

    app = MgApp()
    prepare(app)
    app.run()
    return 0
