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
from typing import Any

from mg_tui.nn.config import RUN_OPTIONS, RunConfig, RunOption
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
MAX_FIELD_LENGTH = 100  # a number or a list of layer sizes


class SettingsScreen(DismissOnceScreen[RunConfig | None]):
    """A compact form over a RunConfig; enter applies, escape cancels."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "apply", "Apply"),
        *GUARDED_PAGE_KEYS,  # tui/palette.py: a Select's list paged before it has rows
    ]

    def __init__(self, config: RunConfig, focus: str = "dataset") -> None:
        super().__init__()
        self.config = config
        self.focus_field = focus if focus in OPTIONS else "dataset"
        # Each select's value as last handled: Select.Changed also comes when a value is
        # set again (on mount, or to show new words); only a new value changes the rest.
        self._handled = {
            o.name: UNSET if o.unset and config.is_unset(o.name) else getattr(config, o.name)
            for o in RUN_OPTIONS
            if o.widget == "select"
        }

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
                        line = option.explanation(self._applied(option.name), self.config)
                        yield Label(
                            line, id=f"explain-{option.name}", classes="settings-explain",
                            markup=False,
                        )  # fmt: skip
            yield Label("", id="settings-error")

    def on_mount(self) -> None:
        # The app may be closing (q typed just before): then there is nothing to focus.
        for field in self.query(f"#field-{self.focus_field}"):
            field.focus()

    # -- what is shown ------------------------------------------------------------------

    def _widget(self, option: RunOption) -> Widget:
        value = getattr(self.config, option.name)
        followed = getattr(self.config, option.follows) if option.follows else None
        if option.widget == "select":
            return Select(
                self._choices(option, followed),
                value=self._handled[option.name],
                allow_blank=False,
                id=f"field-{option.name}",
                compact=True,
            )
        placeholder = option.unset_text(followed) if option.unset else f"e.g. {option.example}"
        return Input(
            value=option.text(value),
            placeholder=placeholder,
            id=f"field-{option.name}",
            compact=True,
            max_length=MAX_FIELD_LENGTH,
        )

    @staticmethod
    def _choices(option: RunOption, followed: Any) -> list[tuple[str, str]]:
        choices = [(choice, choice) for choice in option.choices]
        if option.unset:
            choices.insert(0, (option.unset_text(followed), UNSET))
        return choices

    def _applied(self, name: str) -> Any:
        """What a select applies (its default resolved: "mse", not UNSET)."""
        value = self._handled[name]
        if value == UNSET:
            option = OPTIONS[name]
            return option.resolve(self._applied(option.follows))
        return value

    def on_select_changed(self, event: Select.Changed) -> None:
        """Keep what depends on the changed select true: the defaults it decides (the
        loss on a data set, the output activation on the activation) and the lines."""
        name = (event.select.id or "").removeprefix("field-")
        value = event.select.value
        if name not in self._handled or self._handled[name] == value:
            return
        self._handled[name] = value
        for option in RUN_OPTIONS:
            if option.follows == name:
                self._follow(option, self._applied(name))
        if name == "dataset" and value == "tiny":
            self.query_one("#field-samples", Input).value = ""  # tiny has its 4, no other
        for option in RUN_OPTIONS:
            if option.explain:
                line = option.explanation(self._applied(option.name), self.config)
                self.query_one(f"#explain-{option.name}", Label).update(line)

    def _follow(self, option: RunOption, followed: Any) -> None:
        """Say what `option` left unset applies now that the option it follows is `followed`."""
        widget = self.query_one(f"#field-{option.name}")
        if isinstance(widget, Input):
            widget.placeholder = option.unset_text(followed)
            return
        value = widget.value
        widget.set_options(self._choices(option, followed))  # selects the first choice
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
