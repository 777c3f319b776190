"""For presenters: the screen as an SVG picture, the current graph as Graphviz DOT.

Files go to `$MG_TUI_EXPORT_DIR`, else the current directory, with a time-stamped
name; the app says where it wrote each one. In a browser (`mg-tui serve`) they are
downloads instead, and nothing is written on the server. Each file starts with a
comment saying mg-tui wrote it, and is written by `nn.safe_files`: never over a file
mg-tui did not write.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from mg_tui.nn.safe_files import TargetRefused, write_atomically
from textual.app import SystemCommand

if TYPE_CHECKING:
    from mg_tui.tui.core.session import Session
    from mg_tui.tui.screens.explorer import ExplorerScreen
    from textual.app import App

ENV_EXPORT_DIR = "MG_TUI_EXPORT_DIR"
SVG_MARKER = "<!-- a screen of mg-tui -->"  # XML allows a comment before the root element
DOT_MARKER = "// a computation graph from mg-tui"  # DOT's line comment


def export_dir() -> Path:
    return Path(os.environ.get(ENV_EXPORT_DIR) or ".").expanduser()


def _name(suffix: str) -> str:
    return f"mg-tui-{time.strftime('%Y%m%d-%H%M%S')}-{time.monotonic_ns() % 1000:03d}{suffix}"


def save_screen(app: App) -> Path | None:
    """Save what the screen shows now as an SVG (App.save_screenshot); notify the path."""
    if app.is_web:  # served: the visitor's browser gets it, the server writes nothing
        app.deliver_screenshot(filename=_name(".svg"))
        app.notify("Sent the picture to your browser as a download", title="Picture")
        return None
    text = f"{SVG_MARKER}\n{app.export_screenshot()}"
    path = _write(app, "picture", _name(".svg"), text, SVG_MARKER)
    if path is None:
        return None
    app.notify(f"Saved the screen to {path.resolve()}", title="Picture")
    return path


def save_graph(app: App, session: Session) -> Path | None:
    """Write the current computation graph as Graphviz DOT (engine.to_dot); notify the path.

    Render it with `dot -Tsvg FILE > graph.svg`. The graph is read under the session lock
    so the training worker is not changing it meanwhile.
    """
    from mg_tui.engine import to_dot

    if not session.lock.acquire(timeout=2.0):
        app.notify("the model is busy: try again", severity="warning")
        return None
    try:
        root = session.trainer.graph if session.trainer is not None else None
        text = to_dot(root) if root is not None else None
    finally:
        session.lock.release()
    if text is None:
        app.notify("no graph yet: press f or s first", severity="warning")
        return None
    text = f"{DOT_MARKER}\n{text}"
    if app.is_web:
        app.deliver_text(
            io.StringIO(text), save_filename=_name(".dot"), mime_type="text/vnd.graphviz"
        )
        app.notify("Sent the graph (DOT) to your browser as a download", title="Graph")
        return None
    path = _write(app, "graph", _name(".dot"), text, DOT_MARKER)
    if path is None:
        return None
    nodes = text.count("\n") // 2
    app.notify(
        f"Saved the graph (DOT, ~{nodes} lines) to {path.resolve()}; "
        "render with: dot -Tsvg FILE -o graph.svg",
        title="Graph",
        timeout=8,
    )
    return path


def _write(app: App, what: str, name: str, text: str, marker: str) -> Path | None:
    """Write a new export file safely; on failure, say why in one line and return None."""
    try:
        folder = export_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return write_atomically(folder / name, text, marker.encode(), overwrite=False)
    except TargetRefused as refused:
        app.notify(f"cannot save the {what}: {refused}", severity="error")
    except OSError as error:
        app.notify(f"cannot save the {what}: {error.strerror or error}", severity="error")
    return None


def export_commands(screen: ExplorerScreen) -> Iterable[SystemCommand]:
    """Command-palette entries for `App.get_system_commands`."""
    yield SystemCommand(
        "Save a picture of the screen (SVG)", "for slides and docs (F2)", screen.action_export_svg
    )
    yield SystemCommand(
        "Export the graph (Graphviz DOT)", "render with dot -Tsvg (F3)", screen.action_export_dot
    )
