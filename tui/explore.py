"""`mg-tui expr` and `mg-tui tour`: the explorer opened on an expression or on the tour.

Bad expressions are refused before any terminal work: one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse

from mg_tui.engine.expression import FUNCTIONS


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
        help=f"numbers, names, + - * / **, {' '.join(FUNCTIONS)}; or statements "
        "name = expression separated by ; or newlines (the last is the root)",
    )
    expr.add_argument("assignments", nargs="*", metavar="NAME=NUMBER", help="a value per name")
    expr.add_argument(
        "--print",
        dest="print_drawing",
        action="store_true",
        help="print the graph drawn (boxes: label, data, grad) after backward, and exit",
    )
    expr.add_argument(
        "--no-backward",
        dest="no_backward",
        action="store_true",
        help="with --print: draw it before backward (every grad 0)",
    )
    tour = sub.add_parser(
        "tour",
        help="the guided tour of the lessons",
        description="The guided tour: mg-tui tour 9 opens lesson 9; --list names them all.",
    )
    tour.add_argument("number", nargs="?", type=int, metavar="N", help="start at lesson N")
    tour.add_argument("--lesson", type=int, metavar="N", help="start at lesson N (as N)")
    tour.add_argument("--list", action="store_true", help="print the lessons, one a line, and exit")


EXPR_FLAGS = ("--print", "--no-backward")


def expression_may_begin_with_minus(argv: list[str]) -> list[str]:
    """`mg-tui expr "-a*b" a=1 b=2`: argparse would take `-a*b` for an unknown option.

    `expr`'s only options are -h and EXPR_FLAGS, so whatever else follows it is the
    expression: a `--` before it tells argparse so (the flags go before the `--`).
    """
    if "expr" not in argv:
        return argv
    at = argv.index("expr") + 1
    flags = [a for a in argv[at:] if a in EXPR_FLAGS]
    rest = [a for a in argv[at:] if a not in EXPR_FLAGS]
    if rest and rest[0].startswith("-") and rest[0] not in ("-h", "--help", "--"):
        return [*argv[:at], *flags, "--", *rest]
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
    if args.no_backward and not args.print_drawing:
        parser.error("--no-backward goes with --print: mg-tui expr EXPR ... --print --no-backward")
    source = expression_source(args, parser)
    if args.print_drawing:
        return print_drawing(source, backward=not args.no_backward)
    return _run(lambda app: app.explorer.start_with_graph(source))


def print_drawing(source, *, backward: bool = True) -> int:
    """`--print`: the graph drawn on standard output (colours only on a terminal), no app."""
    import sys

    from mg_tui.tui.core.graph_drawing import MAX_NODES, TooLarge, draw

    root = source.make()
    if backward:
        root.backward()
    try:
        drawing = draw(root)
    except TooLarge as error:
        print(
            f"mg-tui: this graph has {error.nodes} nodes; --print draws up to {MAX_NODES}",
            file=sys.stderr,
        )
        return 2
    if sys.stdout.isatty():
        from mg_tui.tui.drawing_text import print_styled

        print_styled(drawing)
    else:
        sys.stdout.write(drawing.text())
    return 0


def run_tour(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.list:
        print(tour_listing())  # no terminal needed
        return 0
    number = tour_lesson_number(args, parser)
    return _run(lambda app: app.explorer.start_with_tour(number - 1))


def tour_listing() -> str:
    """`N  title` for every lesson, one a line: what `mg-tui tour --list` prints."""
    from mg_tui.tui.core.lessons import LESSONS

    return "\n".join(f"{n}  {lesson.heading}" for n, lesson in enumerate(LESSONS, start=1))


def tour_lesson_number(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """The lesson to open, 1-based: `mg-tui tour N` or `--lesson N` (1 by default)."""
    from mg_tui.tui.core.lessons import LESSONS

    if args.number is not None and args.lesson is not None and args.number != args.lesson:
        parser.error(f"tour: lesson {args.number} or --lesson {args.lesson}? give one")
    number = next((n for n in (args.number, args.lesson) if n is not None), 1)
    if not 1 <= number <= len(LESSONS):
        parser.error(
            f"tour: there is no lesson {number}; the lessons are 1 to {len(LESSONS)} "
            "(mg-tui tour --list)"
        )
    return number


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
