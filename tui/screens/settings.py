"""The settings form: every run option, made from the one declaration (nn.config.RUN_OPTIONS).

What the form shows is what it applies: an option left to its default says which
("loss  default (mse)") and follows the option it depends on as you change it; each
loss, optimizer and schedule is explained in a line under its select. It returns a
new RunConfig (checked by RunConfig itself, so the form, the command line and saved
files accept exactly the same runs) or None when cancelled. A bad value is one line
naming the field, and nothing changes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from mg_tui.nn.config import (
    CSV,
    RUN_OPTIONS,
    Applied,
    RunConfig,
    RunOption,
    data_only_options,
)
from mg_tui.tui.components.safe_select import SafeSelect
from mg_tui.tui.palette import GUARDED_PAGE_KEYS, page_move
from mg_tui.tui.screens.once import DismissOnceScreen
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Label, Select

OPTIONS = {option.name: option for option in RUN_OPTIONS}
FIELDS = tuple(OPTIONS)  # the fields a caller may focus: settings('arch')
UNSET = "<unset>"  # a select's value for "left to its default"; no choice is named so
MAX_FIELD_LENGTH = 1000  # a number, a list of layer sizes or a path
SWITCH = (("yes", True), ("no", False))  # an on/off option's choices


class SettingsScreen(DismissOnceScreen[RunConfig | None]):
    """A compact form over a RunConfig; enter applies, escape cancels."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "apply", "Apply"),
        *GUARDED_PAGE_KEYS,  # tui/palette.py: a Select's list paged before it has rows
    ]

    def __init__(
        self, config: RunConfig, focus: str = "dataset", data_folder: Path | None = None
    ) -> None:
        super().__init__()
        self.config = config
        # Served (textual-serve), a visitor may name CSV files only inside this folder:
        # the form reads a file to check it, and its errors quote what it holds.
        self.data_folder = data_folder
        self.focus_field = focus if focus in OPTIONS else "dataset"
        # Each select's value as last handled: Select.Changed also comes when a value is
        # set again (on mount, or to show new words); only a new value changes the rest.
        self._handled = {
            o.name: UNSET if o.unset and config.is_unset(o.name) else getattr(config, o.name)
            for o in RUN_OPTIONS
            if o.widget == "select"
        }
        self._mounted = False

    def compose(self) -> ComposeResult:
        # The box scrolls when the terminal is too short for every option (under 80x24).
        with VerticalScroll(id="settings-box") as box:
            box.border_title = "Settings  (enter: apply, esc: cancel)"
            with Grid(id="settings-grid"):
                for option in RUN_OPTIONS:
                    yield Label(option.label)
                    yield self._widget(option)
                    if option.explain:
                        yield Label("")
                        line = option.explanation(
                            _known(Applied(self.config._raw), option.name), self.config
                        )
                        yield Label(
                            line, id=f"explain-{option.name}", classes="settings-explain",
                            markup=False,
                        )  # fmt: skip
            yield Label("", id="settings-error")

    def on_mount(self) -> None:
        # The app may be closing (q typed just before): then there is nothing to focus.
        for field in self.query(f"#field-{self.focus_field}"):
            field.focus()
        self._mounted = True

    # -- what is shown ------------------------------------------------------------------

    def _widget(self, option: RunOption) -> Widget:
        value = getattr(self.config, option.name)
        values = Applied(self.config._raw)  # the run's values, as it applies them
        if option.widget == "select":
            return SafeSelect(
                self._choices(option, values),
                value=self._handled[option.name],
                allow_blank=False,
                id=f"field-{option.name}",
                compact=True,
            )
        unset = option.unset and self.config.is_unset(option.name)
        placeholder = option.unset_text(values) if option.unset else f"e.g. {option.example}"
        return Input(
            value="" if unset else option.text(value),
            placeholder=placeholder,
            id=f"field-{option.name}",
            compact=True,
            max_length=MAX_FIELD_LENGTH,
        )

    @staticmethod
    def _choices(option: RunOption, values: Applied) -> list[tuple[str, Any]]:
        if option.switch:
            return list(SWITCH)
        choices: list[tuple[str, Any]] = [(choice, choice) for choice in option.choices]
        if option.unset:
            choices.insert(0, (option.unset_text(values), UNSET))
        return choices

    def _raw(self, name: str) -> Any:
        """What the form holds for `name` now: a select's value, an input's parsed text;
        None where it is left unset or does not read (yet)."""
        option = OPTIONS.get(name)
        if option is None:  # not an option (decay_steps): the config's
            return getattr(self.config, name)
        if option.widget == "select":
            value = self._handled[name]
            return None if value == UNSET else value
        text = self.query_one(f"#field-{name}", Input).value.strip()
        if not text:
            return None if option.unset else getattr(self.config, name)
        try:
            value = option.parse(text)
        except ValueError:
            return None
        if name == "data" and self._outside(value):
            return None
        return value

    def _outside(self, path: str) -> bool:
        """A CSV file this (served) form may not read: outside its folder, and new."""
        if self.data_folder is None or path == self.config.data:
            return False
        return not Path(path).resolve().is_relative_to(self.data_folder.resolve())

    def on_select_changed(self, event: Select.Changed) -> None:
        """Keep what depends on the changed select true: the defaults it decides (the
        loss on a data set, the output activation on the activation) and the lines."""
        name = (event.select.id or "").removeprefix("field-")
        value = event.select.value
        if name not in self._handled or self._handled[name] == value:
            return
        self._handled[name] = value
        if name == "dataset":
            if value == "tiny":
                self.query_one("#field-samples", Input).value = ""  # tiny has its 4, no other
            for dropped in data_only_options(value):  # what this data set does not take
                self._clear(dropped)
        self._follow_all()

    def on_input_changed(self, event: Input.Changed) -> None:
        """A typed value others follow (a CSV file, the classes): their defaults follow it."""
        name = (event.input.id or "").removeprefix("field-")
        if not self._mounted:
            return
        if name == "data" and event.value.strip():  # as on the command line: a file is csv
            dataset = self.query_one("#field-dataset", Select)
            if dataset.value != CSV:
                dataset.value = CSV  # Select.Changed follows, and with it every default
                return
        if any(name in option.follows for option in RUN_OPTIONS):
            self._follow_all()

    def _clear(self, name: str) -> None:
        widget = self.query_one(f"#field-{name}")
        if isinstance(widget, Input):
            widget.value = ""
        elif self._handled.get(name) != UNSET:
            self._handled[name] = UNSET
            widget.value = UNSET

    def _follow_all(self) -> None:
        """Every default says what it applies now (one change can move several: a data set
        decides the loss, which decides the output activation), and so does each line."""
        values = Applied(self._raw)
        for option in RUN_OPTIONS:
            if option.follows:
                self._follow(option, values)
        for option in RUN_OPTIONS:
            if option.explain:
                line = option.explanation(_known(values, option.name), self.config)
                self.query_one(f"#explain-{option.name}", Label).update(line)

    def _follow(self, option: RunOption, values: Applied) -> None:
        """Say what `option` left unset applies, given the form's values."""
        widget = self.query_one(f"#field-{option.name}")
        if isinstance(widget, Input):
            widget.placeholder = option.unset_text(values)
            return
        value = widget.value
        choices = self._choices(option, values)
        if choices == widget._options:  # the same words: nothing to redraw
            return
        widget.set_options(choices)  # selects the first choice
        widget.value = value
        widget.mutate_reactive(Select.value)  # the same value, shown with its new words

    # -- applying -----------------------------------------------------------------------

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        try:
            config = self.read()
        except ValueError as error:
            line = self.query_one("#settings-error", Label)
            line.update(Text(f"✗ {error}"))  # not markup
            line.scroll_visible()
            return
        self.dismiss(config)

    def action_guarded_page(self, action: str) -> None:
        page_move(self.focused, action)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def read(self) -> RunConfig:
        """The form's values as a RunConfig; ValueError with a one-line message naming the
        field if one is invalid (that field gets the focus)."""
        values = {option.name: self._read(option) for option in RUN_OPTIONS}
        if values["data"] is not None and self._outside(values["data"]):
            self.query_one("#field-data").focus()
            raise ValueError(
                f"CSV file: served, this app reads files only inside its folder {self.data_folder}"
            )
        return replace(self.config, **values)

    def _read(self, option: RunOption) -> Any:
        widget = self.query_one(f"#field-{option.name}")
        if isinstance(widget, Select):
            return None if widget.value == UNSET else widget.value
        text = widget.value.strip()
        if option.unset and not text:
            return None
        assert option.parse is not None  # an input's option parses its text
        try:
            return option.parse(text)
        except ValueError as error:
            widget.focus()
            message = str(error)
            if option.label not in message:  # e.g. "layer sizes must be ...": say where
                message = f"{option.label}: {message}"
            raise ValueError(message) from None


def _known(values: Applied, name: str) -> str:
    """What `name` applies, or "" while it cannot be known (a CSV path being typed)."""
    try:
        return values[name] or ""
    except (ValueError, KeyError, TypeError):
        return ""
