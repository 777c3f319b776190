"""The settings form: data set, architecture, activation, loss, optimizer, lr, schedule, L2, seed.

It returns a new RunConfig (checked by RunConfig itself, so the form, the command
line and saved files accept exactly the same runs) or None when cancelled.
"""

from __future__ import annotations

from dataclasses import replace

from mg_tui.nn import ACTIVATIONS, DATASETS, LOSSES, OPTIMIZERS
from mg_tui.nn.config import SCHEDULES, RunConfig, default_loss, parse_arch
from mg_tui.tui.palette import GUARDED_PAGE_KEYS, page_move
from mg_tui.tui.screens.once import DismissOnceScreen
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Select

FIELDS = (
    "dataset",
    "samples",
    "arch",
    "activation",
    "output",
    "loss",
    "optimizer",
    "lr",
    "schedule",
    "l2",
    "seed",
)


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
        self.focus_field = focus if focus in FIELDS else "dataset"

    def compose(self) -> ComposeResult:
        c = self.config
        with Vertical(id="settings-box") as box:
            box.border_title = "Settings  (enter: apply, esc: cancel)"
            with Grid(id="settings-grid"):
                yield Label("data set")
                yield _select("dataset", DATASETS, c.dataset)
                yield Label("samples")
                yield _input("samples", "" if c.samples is None else str(c.samples), "default")
                yield Label("hidden layers")
                yield _input("arch", ",".join(map(str, c.arch)), "e.g. 16,16")
                yield Label("activation")
                yield _select("activation", ACTIVATIONS, c.activation)
                yield Label("output activation")
                yield _select("output", ("same", *ACTIVATIONS), c.output_activation or "same")
                yield Label("loss")
                yield _select("loss", tuple(LOSSES), c.loss)
                yield Label("optimizer")
                yield _select("optimizer", OPTIMIZERS, c.optimizer)
                yield Label("learning rate")
                yield _input("lr", repr(c.lr), "e.g. 0.05")
                yield Label("lr schedule")
                yield _select("schedule", SCHEDULES, c.schedule)
                yield Label("L2 penalty")
                yield _input("l2", repr(c.l2), "0, or e.g. 1e-4")
                yield Label("seed")
                yield _input("seed", str(c.seed), "0")
            yield Label("", id="settings-error")

    def on_mount(self) -> None:
        # The app may be closing (q typed just before): then there is nothing to focus.
        for field in self.query(f"#field-{self.focus_field}"):
            field.focus()

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        try:
            config = self.read()
        except ValueError as error:
            self.query_one("#settings-error", Label).update(Text(f"✗ {error}"))  # not markup
            return
        self.dismiss(config)

    def action_guarded_page(self, action: str) -> None:
        page_move(self.focused, action)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def read(self) -> RunConfig:
        """The form's values as a RunConfig; ValueError with a one-line message if invalid."""

        def text(field: str) -> str:
            return self.query_one(f"#field-{field}", Input).value.strip()

        def choice(field: str) -> str:
            value = self.query_one(f"#field-{field}", Select).value
            return str(value)

        samples = text("samples")
        output = choice("output")
        try:
            lr = float(text("lr"))
        except ValueError:
            raise ValueError(f"learning rate {text('lr')!r} is not a number") from None
        try:
            seed = int(text("seed") or "0")
        except ValueError:
            raise ValueError(f"seed {text('seed')!r} is not a whole number") from None
        try:
            n = int(samples) if samples else None
        except ValueError:
            raise ValueError(f"samples {samples!r} is not a whole number") from None
        try:
            l2 = float(text("l2") or "0")
        except ValueError:
            raise ValueError(f"L2 penalty {text('l2')!r} is not a number") from None
        dataset = choice("dataset")
        loss: str | None = choice("loss")
        if dataset != self.config.dataset and loss == default_loss(self.config.dataset):
            loss = None  # an untouched default follows the data set (sse on tiny, mse else)
        return replace(
            self.config,
            dataset=dataset,
            samples=None if dataset == "tiny" else n,
            arch=parse_arch(text("arch")),
            activation=choice("activation"),
            output_activation=None if output == "same" else output,
            loss=loss,
            optimizer=choice("optimizer"),
            lr=lr,
            schedule=choice("schedule"),
            l2=l2,
            seed=seed,
        )


def _select(field: str, options: tuple[str, ...], value: str) -> Select[str]:
    return Select(
        [(o, o) for o in options], value=value, allow_blank=False, id=f"field-{field}", compact=True
    )


def _input(field: str, value: str, placeholder: str) -> Input:
    return Input(
        value=value,
        placeholder=placeholder,
        id=f"field-{field}",
        compact=True,
        max_length=MAX_FIELD_LENGTH,
    )
