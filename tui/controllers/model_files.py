"""Saving and loading the model (ctrl+s, ctrl+o): ask where, ask before replacing.

Served (`mg-tui serve`), a save is the visitor's browser download and the server
writes nothing; a load reads only files inside the served folder.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from mg_tui.nn.safe_files import TargetExists, TargetRefused, check_target
from mg_tui.nn.serialize import MARKER as MODEL_MARKER
from mg_tui.nn.serialize import ModelFileError, trainer_text
from mg_tui.tui.controllers.host import ScreenHost
from mg_tui.tui.core.session import Command, SaveRequest
from mg_tui.tui.screens.confirm import ConfirmScreen
from mg_tui.tui.screens.file_prompt import FilePrompt

if TYPE_CHECKING:
    from mg_tui.tui.core.session import Session

DEFAULT_MODEL_PATH = "./mg-tui-model.json"


class FilesHost(ScreenHost, Protocol):
    """What saving and loading use of the screen."""

    session: Session
    notice: str

    def submit(self, command: Command) -> None: ...

    def pause_training(self) -> None: ...

    def show_status(self) -> None: ...


class ModelFiles:
    """The save and load prompts and what follows their answers."""

    def __init__(self, host: FilesHost) -> None:
        self.host = host

    def save(self) -> None:
        app = self.host.app
        if app.is_web:  # served: the visitor's browser gets the file, the server writes none
            self._deliver()
            return
        app.push_screen(FilePrompt("Save the model to", DEFAULT_MODEL_PATH), self.save_to)

    def load(self) -> None:
        self.host.app.push_screen(
            FilePrompt("Load a model from", DEFAULT_MODEL_PATH), self.load_from
        )

    def save_to(self, path: str | None) -> None:
        """Save where the user said, if that is safe; ask before replacing a saved model."""
        if not path:
            return
        host = self.host
        overwrite = host.session.wrote_last(path)  # saving again over our own save: no question
        try:
            check_target(path, MODEL_MARKER, overwrite=overwrite)
        except TargetExists as exists:
            question = f"{exists}. Replace it with this model?"

            def answered(yes: bool | None) -> None:
                if yes:
                    host.submit(Command("save", SaveRequest(path, overwrite=True)))

            host.app.push_screen(ConfirmScreen("Replace the file?", question), answered)
            return
        except TargetRefused as refused:
            host.notify(str(refused), title="Not saved", severity="error", timeout=8)
            return
        host.submit(Command("save", SaveRequest(path, overwrite=overwrite)))

    def load_from(self, path: str | None) -> None:
        host = self.host
        folder = Path.cwd()
        if path and host.app.is_web and not Path(path).resolve().is_relative_to(folder.resolve()):
            host.notify(
                f"{path}: served, this app loads only files inside its folder {folder}",
                title="Not loaded",
                severity="error",
            )
            return
        if path:
            host.pause_training()
            host.submit(Command("load", path))

    def _deliver(self) -> None:
        host, session = self.host, self.host.session
        trainer = session.trainer
        if trainer is None or session.static:
            host.notify("no model to save here", severity="warning")
            return
        if not session.lock.acquire(timeout=2.0):
            host.notify("the model is busy: try again", severity="warning")
            return
        try:
            text, step = trainer_text(trainer), trainer.step_count
        except ModelFileError as error:
            host.notify(f"cannot save: {error}", severity="error")
            return
        finally:
            session.lock.release()
        host.app.deliver_text(
            io.StringIO(text),
            save_filename=Path(DEFAULT_MODEL_PATH).name,
            mime_type="application/json",
        )
        session.saved_step = step
        host.notice = "saved"
        host.notify("Sent the model to your browser as a download", title="Saved")
        host.show_status()
