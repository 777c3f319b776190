"""`mg-tui expr ... --print`: the graph drawn on standard output, for notes and slides."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mg_tui.tui import cli

LECTURE = ["e = a*b; d = e + c; f = -2.0; L = d*f", "a=2", "b=-3", "c=10"]
README = Path(__file__).resolve().parents[2] / "README.md"


def boxes(text: str) -> dict[str, tuple[str, str]]:
    """label -> (data, grad), read from `│ a │ data 2.0 │ grad 6.0 │` in the picture."""
    found = re.findall(r"│ (\w+) │ data (\S+) │ grad (\S+) │", text)
    labels = [label for label, _, _ in found]
    assert len(labels) == len(set(labels)), labels  # each value drawn once
    return {label: (data, grad) for label, data, grad in found}


def test_print_shows_the_lectures_grads_after_backward(capsys):
    assert cli.main(["expr", *LECTURE, "--print"]) == 0
    out = capsys.readouterr().out
    # by hand: L = (a*b + c) * f = -8; dL/da = f * b = -2 * -3 = 6, dL/db = f * a = -4,
    # dL/dc = dL/de = dL/dd = f = -2, dL/df = d = 4
    assert boxes(out) == {
        "a": ("2.0", "6.0"),
        "b": ("-3.0", "-4.0"),
        "c": ("10.0", "-2.0"),
        "e": ("-6.0", "-2.0"),
        "d": ("4.0", "-2.0"),
        "f": ("-2.0", "4.0"),
        "L": ("-8.0", "1.0"),
    }
    assert out.count("(*)") == 2 and out.count("(+)") == 1
    assert "\x1b" not in out  # not a terminal: no colours


def test_no_backward_prints_it_before_backward(capsys):
    assert cli.main(["expr", *LECTURE, "--print", "--no-backward"]) == 0
    drawn = boxes(capsys.readouterr().out)
    assert set(drawn) == set("abcdefL")
    assert {grad for _, grad in drawn.values()} == {"0.0"}
    assert drawn["L"] == ("-8.0", "0.0")


def test_the_flags_may_come_first_even_before_a_leading_minus(capsys):
    assert cli.main(["expr", "--print", "-a*b", "a=3", "b=2"]) == 0
    out = capsys.readouterr().out
    assert "│ a │ data 3.0 │ grad -2.0 │" in out and "(neg)" in out


def test_no_backward_without_print_is_an_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["expr", *LECTURE, "--no-backward"])
    assert exit_.value.code == 2
    assert "--no-backward goes with --print" in capsys.readouterr().err


def test_a_graph_too_large_to_draw_is_one_line_and_exit_2(capsys):
    terms = " + ".join(f"a*{i}" for i in range(1, 32))  # a, 31 numbers, 31 *, 30 +: 93
    assert cli.main(["expr", terms, "a=1", "--print"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "mg-tui: this graph has 93 nodes; --print draws up to 60\n"


def test_print_needs_no_terminal():
    env = {k: v for k, v in os.environ.items() if k not in ("TERM", "COLUMNS", "LINES")}
    result = subprocess.run(
        [sys.executable, "-m", "mg_tui.tui.cli", "expr", "tanh(a*b + c)", "a=2", "b=-3",
         "c=10", "--print"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    drawn = boxes(result.stdout)
    assert drawn["a"] == ("2.0", "-0.004023")  # b * (1 - tanh(4)^2) = -3 * 0.0013409
    assert "(tanh)" in result.stdout


def test_the_readmes_picture_is_what_print_prints(capsys):
    cli.main(["expr", *LECTURE, "--print"])
    printed = capsys.readouterr().out
    assert printed in README.read_text()
