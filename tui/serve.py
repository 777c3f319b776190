"""`mg-tui serve`: the explorer in a web page, for the back of the room (textual-serve).

Each browser tab that connects gets its own process running this same Python's
`mg-tui` with the app options given here (`python -m mg_tui.tui.cli --dataset moons …`),
so visitors never share a model. The server listens on 127.0.0.1 unless --host says
otherwise, and prints a URL with a token for this run (http://127.0.0.1:8000/?token=…):
without the token the page and its websocket are refused, and so is a websocket from
any page but the served one (see serve_server.py). At most --max-sessions apps run at
once. Each visitor's app has MG_TUI_SERVED=1 in its environment.

    mg-tui serve --port 8000
    mg-tui serve --host 0.0.0.0 --port 8000 --dataset moons --arch 16,16
"""

from __future__ import annotations

import argparse
import errno
import secrets
import shlex
import sys

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 8
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


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
    parser.add_argument(
        "--max-sessions",
        type=_positive,
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=f"at most N visitors' apps at once (default: {DEFAULT_MAX_SESSIONS})",
    )
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


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, not {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


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
        from mg_tui.tui.serve_server import SafeServer, port_in_use_check
    except ImportError:
        print("mg-tui: serve needs textual-serve (pip install textual-serve)", file=sys.stderr)
        return 2
    host, port = args.host, args.port
    if host.strip("[]").lower() not in LOCAL_HOSTS:
        print(
            f"mg-tui: warning: --host {host} lets other machines reach port {port};"
            " anyone with the URL's token can run the app",
            file=sys.stderr,
            flush=True,
        )
    server = SafeServer(
        command(args, parser),
        host=host,
        port=port,
        token=secrets.token_urlsafe(32),
        title=args.title,
        max_sessions=args.max_sessions,
    )
    try:
        port_in_use_check(host, port)  # before the server's logging and event loop
        server.serve()
    except OSError as error:
        print(listen_error(error, host, port), file=sys.stderr)
        return 2
    return 0


def listen_error(error: OSError, host: str, port: int) -> str:
    """One line for a port that cannot be listened on."""
    if error.errno == errno.EADDRINUSE:
        return f"mg-tui: port {port} is in use (try --port N)"
    reason = error.strerror or str(error)
    return f"mg-tui: cannot listen on {host} port {port}: {reason}"
