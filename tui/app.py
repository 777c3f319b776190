"""The mg-tui app: the terminal, the theme and the command palette, around one screen.

Everything the explorer does is its main screen's (tui/screens/explorer.py): the keys,
their actions and the training worker. The app owns what is the terminal's: the
semantic colours for the theme, the palette, notifications, and the size.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from mg_tui.nn.config import RunConfig
from mg_tui.tui import colours
from mg_tui.tui.daemon_executor import DaemonThreadExecutor
from mg_tui.tui.palette import GuardedCommandPalette
from mg_tui.tui.screens.explorer import ExplorerScreen
from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen

PALETTE_ID = "--command-palette"  # Textual's own id for its palette screen


class MgApp(App[None]):
    """Train an MLP step by step and explore its live computation graph."""

    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute: subclasses live elsewhere
    TITLE = "mg-tui"
    ENABLE_COMMAND_PALETTE = True
    EXPLORER: ClassVar[type[ExplorerScreen]] = ExplorerScreen  # the presenter's has big digits

    def __init__(self, config: RunConfig | None = None, *, load: str | None = None) -> None:
        super().__init__()
        self.explorer = self.EXPLORER(config, load=load)
        self._palette: GuardedCommandPalette | None = None  # the last palette opened
        self._colours_dark: bool | None = None  # which semantic colours the console has
        self._use_colours()

    def get_default_screen(self) -> Screen:
        return self.explorer

    def on_mount(self) -> None:
        # Thread workers in daemon threads: `q` never waits for an import to finish.
        asyncio.get_running_loop().set_default_executor(DaemonThreadExecutor())
        self.theme_changed_signal.subscribe(self, lambda _theme: self._use_colours())
        self._use_colours()  # --theme was set after __init__

    def on_resize(self, event: events.Resize) -> None:
        """The explorer's layout for the new size at once, even under another screen (the
        event's size: `self.size` may lag behind)."""
        self.explorer.resized(event.size.width, event.size.height)

    def _use_colours(self) -> None:
        """Give the console the semantic colours (tui/colours.py) for the theme's brightness;
        on a change, the explorer draws its texts again with them."""
        dark = self.current_theme.dark
        if dark == self._colours_dark:
            return
        repaint = self._colours_dark is not None
        if repaint:
            self.console.pop_theme()
        self.console.push_theme(colours.rich_theme(dark))
        self._colours_dark = dark
        if repaint and self.explorer.is_mounted:  # not yet composed: it draws with these
            self.explorer.repaint()

    def notify(self, message: str, *, markup: bool = False, **kwargs) -> None:  # type: ignore[override]
        """Textual's notify, but plain text by default: messages quote paths and input,
        and a `[` in a typed path must not be read as markup (a MarkupError crash)."""
        super().notify(message, markup=markup, **kwargs)

    def action_command_palette(self) -> None:
        """Textual's palette, guarded against a page move it cannot draw (tui/palette.py).

        Not a second one while the first is still among the app's screens: just closed, it is
        off the stack but not yet removed, and Textual's `is_open` looks at the top screen
        only; a second palette with the same id raised DuplicateIds and ended the app (the
        soak found it)."""
        if not self.use_command_palette:
            return
        if self._palette is not None and self._palette.is_attached:
            return  # open, or closing and not yet removed
        self._palette = GuardedCommandPalette(id=PALETTE_ID)
        self.push_screen(self._palette)

    def get_system_commands(self, screen: Screen) -> list[SystemCommand]:
        return [*self.explorer.system_commands(), *super().get_system_commands(screen)]
