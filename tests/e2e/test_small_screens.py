"""Small terminals, as a learner meets them: the numbers whole, the panel reachable, a
resize that gives the new size's layout at once, and Escape back from an expression.

The installed `mg-tui` runs in a pty (pexpect) and the screen is read through pyte.
"""

from __future__ import annotations

import re

import pytest
from mg_tui.nn.config import RunConfig, build_trainer
from mg_tui.tui.cli import app_config, build_parser

MOONS_ARGS = ["--dataset", "moons"]


def reference_after(args: list[str], steps: int) -> tuple[float, float]:
    """The loss and accuracy the app must show: the same run, trained here headless."""
    parser = build_parser()
    config: RunConfig = app_config(parser.parse_args(args), parser)
    trainer = build_trainer(config)
    for _ in range(steps):
        trainer.step()
    last = trainer.history[-1]
    return last.loss, last.accuracy


def status_line(term) -> str:
    return term.screen.display[0]


def wait_step(term, step: int) -> None:
    term.wait_for(lambda _: term.status().get("step") == str(step), 30, f"step {step}")


def side_by_side(term) -> bool:
    """The full layout: the graph's and the node panel's titles on one row."""
    return any("graph" in row and "node" in row and "╭" in row for row in term.screen.display)


def compact(term) -> bool:
    """The compact layout: the pane line names the pane shown and how to switch."""
    return "p: next pane" in term.screen.display[1]


@pytest.fixture(scope="module")
def moons_after_30():
    return reference_after(MOONS_ARGS, 30)


@pytest.mark.parametrize(("cols", "rows"), [(80, 24), (60, 20), (40, 12)])
def test_status_shows_loss_and_accuracy_whole_on_moons_after_30_steps(
    spawn, cols, rows, moons_after_30
):
    term = spawn(MOONS_ARGS, cols=cols, rows=rows)
    term.wait_ready(30)
    term.press("s" * 30)
    wait_step(term, 30)
    line = status_line(term)
    loss, accuracy = moons_after_30
    match = re.search(r"(?:loss|L) ([-\d.e+]+)\s+(?:acc )?(\d+)%", line)
    assert match, f"no whole loss and accuracy in {line!r}"
    shown_loss, shown_accuracy = float(match.group(1)), int(match.group(2))
    assert shown_loss == pytest.approx(loss, rel=1e-3), line
    assert shown_accuracy == round(accuracy * 100), line
    assert len(line.rstrip()) <= cols


@pytest.mark.parametrize(("cols", "rows"), [(60, 20), (40, 12)])
def test_the_node_panel_is_one_key_away(spawn, cols, rows):
    term = spawn(cols=cols, rows=rows)
    term.wait_ready()
    term.press("s")
    wait_step(term, 1)
    assert compact(term) and "[graph]" in term.screen.display[1]
    term.press("p")
    term.wait_for(lambda t: "[node]" in term.screen.display[1] and "grad" in t, what="the panel")
    # The panel explains the selected node (the loss): its grad is 1 where backward starts.
    assert re.search(r"grad ▲\+?1\.0", term.text), term.text
    term.press("p")
    term.wait_for(lambda _: "[chart]" in term.screen.display[1], what="the chart pane")
    term.press("p")
    term.wait_for(lambda _: "[graph]" in term.screen.display[1], what="back to the tree")


def test_80x24_shows_the_panel_beside_the_tree(spawn):
    term = spawn(cols=80, rows=24)
    term.wait_ready()
    term.wait_for(lambda _: side_by_side(term), what="tree and panel side by side")
    assert not compact(term)


def test_each_resize_gives_that_sizes_layout_at_once(spawn):
    term = spawn(cols=60, rows=20)
    term.wait_ready()
    for cols, rows in [(100, 30), (80, 24), (120, 40), (60, 20), (40, 12), (120, 40)]:
        term.resize(cols, rows)
        full = cols >= 70 and rows >= 20
        term.wait_for(
            lambda _, full=full: side_by_side(term) if full else compact(term),
            timeout=5,
            what=f"the {'full' if full else 'compact'} layout at {cols}x{rows}",
        )


def test_s_s_e_enter_escape_returns_to_step_2_with_the_same_selection(spawn):
    term = spawn(cols=80, rows=24)
    term.wait_ready()
    term.press("ss")
    wait_step(term, 2)
    term.press("\x1b[B\x1b[C\x1b[B")  # down, open, down: a node below the loss
    term.wait_for(lambda t: "▼ loss" in t and "▶" in t, what="an opened node")
    term.pump(0.5)
    before = term.text
    term.press("e")
    term.wait_text("Explore an expression")
    term.press("\r")
    term.wait_for(lambda _: "expression" in status_line(term), what="the expression")
    term.press("\x1b")
    term.wait_for(lambda _: "network" in status_line(term), what="back to the network")
    term.pump(0.5)
    assert term.status()["step"] == "2"
    assert term.text == before
