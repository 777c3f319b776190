"""The result of a gradient check: analytic beside numerical, worst first."""

from __future__ import annotations

from mg_tui.engine import GradientReport
from mg_tui.tui.colours import styled
from mg_tui.tui.core.gradient_check import AGREE, EPS, verdict
from mg_tui.tui.core.graph_index import name
from mg_tui.tui.format import num
from mg_tui.tui.screens.once import DismissOnceScreen
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

MAX_ROWS = 12


def summary(report: GradientReport, what: str) -> str:
    """One line: how many were checked and the worst relative error."""
    worst = report.worst
    if worst is None:
        return f"nothing to check in {what}"
    error = report.max_relative_error
    return (
        f"{len(report.checks)} {what} checked: worst relative error {error:.2g} "
        f"({name(worst.value)}): {verdict(error)}"
    )


class GradCheckScreen(DismissOnceScreen[None]):
    """A table of the checks (worst relative error first) under a one-line verdict."""

    BINDINGS = [Binding("escape,q,enter,c,C", "dismiss", "Close")]  # noqa: RUF012

    def __init__(self, report: GradientReport, what: str, checked: str = "") -> None:
        super().__init__()
        self.report = report
        self.what = what
        self.checked = checked  # which graph, at which weights (core.gradient_check)

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 1))
        for column in ("", "backprop", "numerical", "rel. error", ""):
            table.add_column(column, justify="right" if column else "left", no_wrap=True)
        table.add_row(
            *(styled(h, "muted") for h in ("node", "backprop", "numerical", "rel err", ""))
        )
        checks = sorted(self.report.checks, key=lambda c: -c.relative_error)
        for c in checks[:MAX_ROWS]:
            table.add_row(
                name(c.value),
                num(c.analytic, 8),
                num(c.numerical, 8),
                f"{c.relative_error:.1e}",
                verdict(c.relative_error),
            )
        if len(checks) > MAX_ROWS:
            table.add_row(styled(f"… {len(checks) - MAX_ROWS} more, all better", "muted"))
        with VerticalScroll(id="gradcheck-box") as box:
            box.border_title = "Gradient check  (esc to close)"
            yield Static(
                Text(summary(self.report, self.what), style="bold"), id="gradcheck-summary"
            )
            if self.checked:
                yield Static(f"checked: {self.checked}", id="gradcheck-checked", markup=False)
            yield Static(
                f"numerical: central difference (f(x+h) - f(x-h)) / 2h, h = {EPS:g}, the loss "
                f"recomputed from scratch each time; agree below {AGREE:g} relative",
                id="gradcheck-how",
            )
            yield Static(table, id="gradcheck-table")

    @property
    def text(self) -> str:
        return summary(self.report, self.what)
