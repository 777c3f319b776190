"""`mg-tui serve`: the explorer in a web page, for the back of the room (textual-serve).

Each browser tab that connects gets its own process running this same Python's
`mg-tui` with the app options given here (`python -m mg_tui.tui.cli --dataset moons …`),
so visitors never share a model. The server listens on 127.0.0.1 unless --host says
otherwise: anyone who can reach the port can run the app.

    mg-tui serve --port 8000
    mg-tui serve --host 0.0.0.0 --port 8000 --dataset moons --arch 16,16
"""

from __future__ import annotations

import argparse
import shlex
import sys

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    from mg_tui.tui import cli

    parser = sub.add_parser(
        "serve",
        help="serve the app in a web browser (textual-serve)",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})"
    )
    parser.add_argument("--title", default="mg-tui", help="the page's title")
    parser.set_defaults(serve_parser=parser)
    cli.add_app_options(parser)
    group = parser.add_argument_group("display")
    group.add_argument("--theme", dest="ui_theme", metavar="NAME", help="colour theme")
    group.add_argument("--presenter", dest="ui_presenter", action="store_true")
    return parser


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a number, not {text!r}") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"port must be 1 to 65535, not {port}")
    return port


def app_argv(args: argparse.Namespace, parser: argparse.ArgumentParser) -> list[str]:
    """The app options given to `serve`, as command-line words for each visitor's app."""
    words: list[str] = []
    for action in parser._actions:
        dest = action.dest
        if not dest.startswith(("app_", "ui_")):
            continue
        value = getattr(args, dest, None)
        if value is None or value is False:
            continue
        option = action.option_strings[-1]
        if value is True:
            words.append(option)
        elif isinstance(value, tuple | list):
            words += [option, ",".join(str(v) for v in value)]
        else:
            words += [option, str(value)]
    return words


def command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    """The shell command textual-serve runs for each visitor: this Python's mg-tui."""
    return shlex.join([sys.executable, "-m", "mg_tui.tui.cli", *app_argv(args, parser)])


def run(args: argparse.Namespace) -> int:
    from mg_tui.tui import cli, launch

    parser = args.serve_parser

    cli.app_config(args, parser)  # a bad combination is a one-line error now, not per visitor
    launch.ui_kwargs(args, parser)  # likewise an unknown theme
    try:
        from textual_serve.server import Server
    except ImportError:
        print("mg-tui: serve needs textual-serve (pip install textual-serve)", file=sys.stderr)
        return 2
    server = Server(command(args, parser), host=args.host, port=args.port, title=args.title)
    print(f"mg-tui: serving on http://{args.host}:{args.port} (ctrl+c to stop)", flush=True)
    server.serve()
    return 0
