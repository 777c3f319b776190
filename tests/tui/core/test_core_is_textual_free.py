"""tui/core is the explorer without Textual: importing it loads neither textual nor rich."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import mg_tui.tui.core as core

CORE_MODULES = sorted(f"mg_tui.tui.core.{m.name}" for m in pkgutil.iter_modules(core.__path__))


def test_the_core_has_the_explorers_logic():
    names = {name.rsplit(".", 1)[1] for name in CORE_MODULES}
    wanted = {"session", "walk", "graph_index", "gradient_check", "graphs", "lessons"}
    assert wanted | {"collector_policy", "snapshot"} <= names


def test_importing_every_core_module_loads_no_textual_and_no_rich():
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_cores_tests_import_nothing_from_textual():
    for path in Path(__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert not roots & {"textual", "rich"}, (path.name, roots)
