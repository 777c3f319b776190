"""The expression explorer: `mg-tui expr` and the in-app form (e)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from mg_tui.tui import cli
from mg_tui.tui.app import MgApp
from mg_tui.tui.core.graphs import GraphSource
from mg_tui.tui.screens.expression_form import ExpressionForm

from tests.tui.conftest import idle


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["a +"], "syntax"),
        (["a*b", "a=1"], "'b' has no value"),
        (["a*b", "a=1", "b=x"], "not a number"),
        (["__import__('os').system('x')", "a=1"], ""),
    ],
)
def test_bad_expressions_are_one_line_and_exit_2(argv, words, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["expr", *argv])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("mg-tui: error: ") and words in err


def test_a_bad_expression_in_a_real_process():
    done = subprocess.run(
        [sys.executable, "-m", "mg_tui.tui.cli", "expr", "a +", "a=1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == "" and len(done.stderr.splitlines()) == 1


async def test_mg_tui_expr_opens_on_the_expression_graph():
    app = MgApp()
    source = cli.explore.expression_source(
        cli.build_parser().parse_args(["expr", "tanh(a*b + c)", "a=2", "b=-3", "c=10"]), None
    )
    app.explorer.start_with_graph(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        root = app.explorer.snapshot.root
        assert root.op == "tanh" and abs(root.data - 0.999329299739067) < 1e-12
        assert "tanh(a*b + c)" in app.explorer.status.text
        assert app.screen.has_class("-static")
        assert not app.query_one("#views").display or not app.query_one("#views").region
        await pilot.press("s", "space", "u")  # training keys do nothing here
        await idle(pilot)
        assert app.explorer.snapshot.phase == "forward" and not app.explorer.playing
        await pilot.press("b")
        await idle(pilot)
        leaves = {v.label: v for v in app.explorer.snapshot.index.users if v.label}
        assert leaves["a"].grad == pytest.approx(-3 * (1 - root.data**2))
        await pilot.press("f", "full_stop", "full_stop")  # node by node works here too
        await idle(pilot)
        assert app.explorer.session.backward.interior_done == 2


async def test_the_form_shows_a_caret_and_keeps_the_input(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ExpressionForm)
        text = form.query_one("#expr-text")
        text.value = "a * (b +"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form and text.value == "a * (b +"
        assert "^" in form.error and form.error.count("\n") == 2
        text.value = "a*a + a"
        form.query_one("#expr-values").value = "a=3"
        await pilot.press("enter")
        await idle(pilot)
        assert app.screen is not form
        assert app.explorer.snapshot.title == "a*a + a" and app.explorer.snapshot.root.data == 12.0
        await pilot.press("escape")  # back to the network
        await idle(pilot)
        assert app.explorer.snapshot.title == "" and app.explorer.snapshot.root.label == "loss"


def test_graph_source_refuses_unknown_names():
    with pytest.raises(ValueError, match="not in the expression"):
        GraphSource.from_expression("a*2", {"a": 1.0, "z": 2.0})


@pytest.mark.parametrize("argv", [["-a*b", "a=1", "b=2"], ["--", "-a*b", "a=1", "b=2"]])
def test_an_expression_may_begin_with_a_minus(argv, monkeypatch):
    """`mg-tui expr "-a*b" a=1 b=2`: not an unknown option, the expression -a*b = -2."""
    seen = {}
    monkeypatch.setattr(cli.explore, "_run", lambda prepare: seen.setdefault("ran", 0))
    real = cli.explore.expression_source

    def capture(args, parser):
        seen["source"] = real(args, parser)
        return seen["source"]

    monkeypatch.setattr(cli.explore, "expression_source", capture)
    assert cli.main(["expr", *argv]) == 0
    root = seen["source"].make()
    assert root.data == -2.0


def test_expr_help_is_still_help(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["expr", "-h"])
    assert info.value.code == 0 and "Explore an expression" in capsys.readouterr().out


async def test_the_form_takes_the_lectures_named_statements(make_app) -> None:
    """`e = a*b; d = e + c; f = -2.0; L = d*f` in the e form: the tree names e, d, f and L."""
    from tests.tui.conftest import idle, press

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await pilot.press("e")
        await pilot.pause()
        text = app.screen.query_one("#expr-text")
        text.value = "e = a*b; d = e + c; f = -2.0; L = d*f"
        app.screen.query_one("#expr-values").value = "a=2 b=-3 c=10"
        await pilot.press("enter")
        await idle(pilot)
        await press(pilot, "b")
        graph = app.explorer.session.trainer.graph
        assert graph.label == "L" and graph.data == -8.0
        from rich.style import Style

        tree = app.explorer.tree
        lines = [tree.render_label(tree.root, Style(), Style()).plain]
        lines += [tree.render_label(child, Style(), Style()).plain for child in tree.root.children]
        assert [line.lstrip("▼▶✓◐○ ").split()[0] for line in lines] == ["L", "d", "f"]
        grads = {}
        stack = [graph]
        while stack:
            v = stack.pop()
            grads[v.label] = v.grad
            stack.extend(v.inputs)
        assert {k: grads[k] for k in "abcdefL"} == {
            "a": 6.0,
            "b": -4.0,
            "c": -2.0,
            "d": -2.0,
            "e": -2.0,
            "f": 4.0,
            "L": 1.0,
        }
