"""The README's Python examples run, and print what their comments say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_the_readme_has_python_examples() -> None:
    assert len(python_blocks()) >= 2


def test_every_python_example_runs_and_prints_its_comments() -> None:
    for block in python_blocks():
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, str(README), "exec"), {})
        printed = out.getvalue().splitlines()
        # Each `print(...)  # a b c` line: the leading numbers of its comment must match
        # the start of what it printed (to the digits the comment shows).
        claims = [line.split("#", 1)[1] for line in block.splitlines() if "print(" in line]
        assert len(claims) == len(printed)
        for claim, got in zip(claims, printed):
            for number in re.findall(r"-?\d+\.\d+", claim.split(":")[0].split("->")[0]):
                digits = len(number.split(".")[1])
                values = [float(v) for v in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", got)]
                assert any(round(v, digits) == float(number) for v in values), (claim, got)


def key_table() -> list[str]:
    """The README's key table as the app declares its keys: every binding, in order."""
    from mg_tui.tui.app import MgApp
    from mg_tui.tui.components.graph_tree import GraphTree
    from mg_tui.tui.keys import MAIN_KEYS, keys_text

    app = MgApp()
    rows, seen = [], set()
    for binding in [*MAIN_KEYS, *GraphTree.BINDINGS]:
        keys = keys_text(binding, app.get_key_display)
        if keys not in seen:
            seen.add(keys)
            rows.append(f"| `{keys}` | {binding.tooltip or binding.description} |")
    return [*rows, "| `up, down` | Move in the tree |", "| `enter` | Open or close the node |"]


def test_the_readme_lists_every_key_as_the_app_declares_it() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Keys", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("| `")]
    assert table == key_table(), "regenerate: python -c 'from tests.test_readme import key_table'"
