"""The backward walk and the gradient check show the right numbers, in a real terminal.

Stepping back and forth (`.` and `,`) and then finishing (`b`) must leave every grad as
`f b` does; after a training step, `c` must check the grad the panel shows.
"""

from __future__ import annotations

import re

import pytest
from mg_tui.tui.core.numbers import num

PANEL_GRAD = r"data \S+\s+grad [▲▼·]?([-+]?[\d.]+(?:e[-+]?\d+)?)"


def go_to(term, label: str) -> None:
    """Select a node by name through the palette (g), as a user does."""
    term.press("g")
    term.wait_text(r"Search|search|>")
    term.press(label)
    term.pump(0.5)
    term.press("\r")
    term.wait_text(rf"{re.escape(label)}\s+parameter")


def panel_grad(term, label: str) -> float:
    go_to(term, label)
    return float(term.wait_text(PANEL_GRAD).group(1))


def run_keys(spawn, keys: str) -> float:
    term = spawn([], cols=120, rows=40)
    term.wait_ready()
    for key in keys:
        term.press(key)
        term.pump(0.15)
    term.wait_for(lambda _: term.status().get("phase") == "backward", what="the backward phase")
    return panel_grad(term, "L1.N1.w0")


@pytest.mark.parametrize("keys", ["f....,b", "f......,,,..b"])
def test_stepping_back_then_finishing_gives_the_grads_of_f_b(spawn, keys):
    assert run_keys(spawn, keys) == run_keys(spawn, "fb")


def test_c_after_s_checks_the_grad_the_panel_shows(spawn):
    term = spawn([], cols=120, rows=40)
    term.wait_ready()
    term.press("s")
    term.wait_for(lambda _: term.status().get("step") == "1", what="step 1")
    shown = panel_grad(term, "L1.N1.w0")
    term.press("c")
    number = r"([-+]?[\d.]+(?:e[-+]?\d+)?)"
    match = term.wait_text(rf"L1\.N1\.w0\s+{number}\s+{number}\s+\S+\s+agree")
    backprop, numerical = float(match.group(1)), float(match.group(2))
    # The panel shows 4 significant digits (tui/core/numbers.py), the check 8.
    assert backprop == pytest.approx(shown, rel=5e-4)
    assert numerical == pytest.approx(shown, rel=5e-4)
    assert num(backprop) == num(shown)  # the same string as the panel's
    term.wait_text(r"step 1's graph, at the weights it was built with")
