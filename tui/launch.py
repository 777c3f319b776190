"""Starting the explorer for real: a terminal check, --theme, --presenter, --resume.

`tui.cli` parses the arguments; this module holds what happens around `App.run()`
so that the app module stays about the app:

- without a terminal on stdin and stdout, one line on stderr and exit status 2
  (the `train` subcommand works in pipes; textual-serve's web driver needs no tty);
- `--theme NAME`: a Textual theme (textual-dark, textual-light, …), checked up front;
- `--presenter`: a layout for projectors at 80x24 (no footer; step and loss in big digits);
- `--resume`: open the recovery file written when the app was cut off (tui.recovery);
- the app runs under `recovery.Guard`: SIGHUP, SIGTERM or a crash save the model.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from typing import Any, ClassVar

THEMES_HINT = "textual-dark, textual-light"


def add_options(parser: argparse.ArgumentParser) -> None:
    """Options about the session rather than the model (dests start with `ui_`)."""
    group = parser.add_argument_group("display and recovery (without a command)")
    group.add_argument(
        "--theme", dest="ui_theme", metavar="NAME", help=f"colour theme, e.g. {THEMES_HINT}"
    )
    group.add_argument(
        "--presenter",
        dest="ui_presenter",
        action="store_true",
        help="projector layout: no footer, step and loss in big digits",
    )
    group.add_argument(
        "--resume",
        dest="ui_resume",
        action="store_true",
        help="continue from the recovery file saved when the app was cut off",
    )


def theme_names() -> list[str]:
    from textual.theme import BUILTIN_THEMES

    return sorted(BUILTIN_THEMES)


def ui_kwargs(args: argparse.Namespace, parser: argparse.ArgumentParser) -> dict[str, Any]:
    """The `run_app` keywords the command line asked for ({} when none): validated here."""
    kwargs: dict[str, Any] = {}
    theme = getattr(args, "ui_theme", None)
    if theme is not None:
        if theme not in theme_names():
            parser.error(
                f"unknown theme {theme!r} (try {THEMES_HINT}; all: {', '.join(theme_names())})"
            )
        kwargs["theme"] = theme
    if getattr(args, "ui_presenter", False):
        kwargs["presenter"] = True
    if getattr(args, "ui_resume", False):
        if getattr(args, "app_load", None):
            parser.error("--resume and --load both name a model: use one")
        from mg_tui.tui.recovery import resumable

        try:
            kwargs["resume"] = str(resumable())
        except ValueError as error:
            parser.error(str(error))
    return kwargs


def no_terminal() -> str | None:
    """Why the app cannot start here (stdin or stdout is not a terminal), or None."""
    if os.environ.get("TEXTUAL_DRIVER"):  # textual-serve's web driver talks over pipes
        return None
    if not sys.stdin.isatty():
        return "standard input is not a terminal"
    if not sys.stdout.isatty():
        return "standard output is not a terminal"
    return None


def run_app(
    config,
    load: str | None = None,
    *,
    theme: str | None = None,
    presenter: bool = False,
    resume: str | None = None,
) -> int:
    """Run the explorer under the recovery guard; the process exit status."""
    reason = no_terminal()
    if reason is not None:
        print(
            f"mg-tui: the explorer needs a terminal ({reason}); "
            "to train in a pipe or a script use `mg-tui train`",
            file=sys.stderr,
        )
        return 2
    app = make_app(config, load=resume or load, theme=theme, presenter=presenter)
    if resume:
        app.notify(
            f"Resumed from {resume}", title="Recovered", timeout=10
        )  # shown once the screen is up
    from mg_tui.tui.recovery import Guard

    status = Guard(app).run()
    _leave_without_waiting_for_workers(status)
    return status


def _leave_without_waiting_for_workers(status: int) -> None:
    """Exit now if a worker thread is still busy (an import, a big data set).

    The terminal is restored and anything worth keeping is saved by now; letting
    the interpreter finalize around a thread in the middle of an import costs
    another 0.3 s after `q`. Nothing is left to flush but our own streams.
    """
    if any(t.name == "mg-tui-worker" and t.is_alive() for t in threading.enumerate()):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def make_app(config, *, load=None, theme=None, presenter=False):
    from mg_tui.tui.app import MgApp

    cls = presenter_app_class() if presenter else MgApp
    app = cls(config, load=load)
    if theme:
        app.theme = theme
    return app


def presenter_app_class():
    """MgApp with the projector layout: the footer hidden, step and loss in big digits."""
    from mg_tui.tui.app import MgApp
    from mg_tui.tui.messages import SessionUpdated
    from mg_tui.tui.screens.explorer import ExplorerScreen
    from textual.containers import Horizontal
    from textual.widgets import Digits, Label

    class PresenterScreen(ExplorerScreen):
        def on_mount(self) -> None:
            row = Horizontal(
                Label("step"),
                Digits("0", id="presenter-step"),
                Label("loss"),
                Digits("-", id="presenter-loss"),
                id="presenter",
            )
            self.mount(row, before="#main")

        def on_session_updated(self, message: SessionUpdated) -> None:
            snapshot = message.snapshot
            self.query_one("#presenter-step", Digits).update(str(snapshot.step))
            loss = "-" if snapshot.loss is None else f"{snapshot.loss:.4g}"
            self.query_one("#presenter-loss", Digits).update(loss)

    class PresenterApp(MgApp):
        CSS: ClassVar[str] = """
        Footer { display: none; }
        #presenter { height: 3; background: $panel; }
        #presenter Label { padding: 1 1 0 2; color: $text-muted; }
        #presenter Digits { width: auto; color: $accent; }
        """
        EXPLORER = PresenterScreen

    return PresenterApp
