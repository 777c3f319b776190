"""End-to-end harness: the installed `mg-tui` in a pseudo-terminal, read through pyte.

`Terminal` starts the console script of this Python (the venv's `bin/mg-tui`) under
pexpect with a window size and a TERM, feeds everything it writes to a pyte screen,
and keeps the raw bytes too (to check the escape sequences that restore a terminal).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import pexpect
import pyte
import pytest

LEAVE_ALT_SCREEN = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"


def mg_tui_executable() -> str:
    """The `mg-tui` console script installed beside this Python (never another one)."""
    candidate = Path(sys.prefix) / "bin" / "mg-tui"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("mg-tui", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("mg-tui is not installed in this environment (pip install -e .)")
    return found


def base_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "COLORTERM", "TEXTUAL_DRIVER", "COLUMNS", "LINES", "TERM")
    }
    env.update(MG_TUI_STATE_DIR=str(tmp_path / "state"), MG_TUI_EXPORT_DIR=str(tmp_path))
    env.update(extra)
    return env


class Terminal:
    """A running `mg-tui` in a pty of `cols` x `rows`, and the screen it shows."""

    def __init__(
        self,
        args: list[str],
        env: dict[str, str],
        cols: int = 80,
        rows: int = 24,
        cwd: Path | None = None,
    ) -> None:
        self.cols, self.rows = cols, rows
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.child = pexpect.spawn(
            mg_tui_executable(),
            args,
            env=env,
            dimensions=(rows, cols),
            cwd=str(cwd) if cwd else None,
            encoding=None,
        )

    # -- reading -------------------------------------------------------------------

    def pump(self, seconds: float = 0.05) -> bool:
        """Read what the app wrote for up to `seconds`; False once it has exited."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                data = self.child.read_nonblocking(65536, timeout=0.02)
            except pexpect.TIMEOUT:
                data = b""
            except pexpect.EOF:
                return False
            if data:
                self.raw.extend(data)
                self.stream.feed(data)
            if time.monotonic() >= deadline:
                return True

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    @property
    def top_line(self) -> str:
        return self.screen.display[0]

    def wait_for(self, test: Callable[[str], object], timeout: float = 10.0, what: str = ""):
        """Pump until `test(screen text)` is true; return its value, or fail with the screen."""
        deadline = time.monotonic() + timeout
        while True:
            value = test(self.text)
            if value:
                return value
            if time.monotonic() > deadline or not self.pump(0.05):
                value = test(self.text)
                if value:
                    return value
                raise AssertionError(f"timed out waiting for {what or test}; screen:\n{self.text}")

    def wait_text(self, pattern: str, timeout: float = 10.0) -> re.Match[str]:
        return self.wait_for(lambda t: re.search(pattern, t), timeout, repr(pattern))

    def status(self) -> dict[str, str]:
        """The status line's fields (step, phase, loss…), wherever it wrapped to."""
        text = " ".join(self.screen.display[:3])
        fields = {}
        for name, pattern in (
            ("step", r"(?:step |#)(\d+)"),  # `#12` where the line is narrow
            ("phase", r"(?:step |#)\d+\s+(\w+)"),
            ("loss", r"(?:loss|L) ([-\d.e+]+)"),
        ):
            match = re.search(pattern, text)
            if match:
                fields[name] = match.group(1)
        # Narrow terminals cut the status line short: the tree's root line shows the loss
        # and its grad (0 after a forward pass, 1.0 once backward has started).
        root = re.search(r"loss \S+ ([-\d.e+]+) [▲▼·]?([-+]?[\d.]+)", text + "\n" + self.text)
        if root:
            fields.setdefault("tree_loss", root.group(1))
            fields.setdefault("root_grad", root.group(2))
        return fields

    def wait_ready(self, timeout: float = 15.0) -> None:
        """The model is built: the status line shows a step number."""
        self.wait_for(lambda _: "step" in self.status(), timeout, "the status line's step")

    # -- acting --------------------------------------------------------------------

    def press(self, keys: str | bytes) -> None:
        self.child.send(keys)

    def resize(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.screen.resize(rows, cols)
        self.child.setwinsize(rows, cols)

    def wait_exit(self, timeout: float = 5.0) -> int | None:
        """Read until the process ends; its exit status (None if killed by a signal)."""
        deadline = time.monotonic() + timeout
        while self.pump(0.05):
            if time.monotonic() > deadline:
                raise AssertionError(f"mg-tui did not exit within {timeout} s:\n{self.text}")
        self.child.close()
        return self.child.exitstatus

    def kill(self) -> None:
        with suppress(Exception):  # already gone, or reaped by the test itself
            if self.child.isalive():
                self.child.terminate(force=True)
