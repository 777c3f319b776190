"""`mg-tui serve` in headless Chromium: the page loads, a key makes a training step.

The page is textual-serve's: xterm.js draws the terminal on a canvas, so the test reads
the screen through xterm.js's own buffer API. textual-serve keeps its Terminal object in
a closure; an init script catches it as it is assigned (`this.terminal = new Terminal()`)
with a setter on Object.prototype, before any of the page's scripts run.

Needs Debian's chromium (/usr/bin/chromium) and Python playwright (never `playwright
install`: it downloads browsers); skips with the reason where either is missing.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time

import pytest
from e2e_harness import base_env, mg_tui_executable

CHROMIUM = os.environ.get("MG_TUI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

CATCH_TERMINAL = """
window.__terminals = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    if (value && value.buffer) window.__terminals.push(value);
  },
});
"""

READ_SCREEN = """
() => {
  const term = (window.__terminals || [])[0];
  if (!term) return "";
  const buffer = term.buffer.active;
  const lines = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, process: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"mg-tui serve exited: {process.stdout.read()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("mg-tui serve did not listen in time")


@pytest.fixture
def server(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [mg_tui_executable(), "serve", "--port", str(port), "--host", "127.0.0.1"],
        env=base_env(tmp_path, TERM="xterm-256color"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its visitors' app processes go down with it
    )
    try:
        wait_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield browser
        finally:
            browser.close()


def screen_text(page) -> str:
    return page.evaluate(READ_SCREEN)


def wait_screen(page, pattern: str, timeout: float = 20.0) -> re.Match[str]:
    deadline = time.monotonic() + timeout
    while True:
        text = screen_text(page)
        match = re.search(pattern, text)
        if match:
            return match
        if time.monotonic() > deadline:
            raise AssertionError(f"the page never showed {pattern!r}; screen:\n{text}")
        page.wait_for_timeout(100)


def test_served_page_trains_a_step_on_a_key(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script(CATCH_TERMINAL)
    page.goto(server)
    first = wait_screen(page, r"step 0\s+\w+\s+lr \S+\s+loss (\S+)").group(1)
    page.locator(".textual-terminal").click()
    page.keyboard.press("s")
    wait_screen(page, r"step 1\b")
    page.keyboard.press("s")
    second = wait_screen(page, r"step 2\s+\w+\s+lr \S+\s+loss (\S+)").group(1)
    assert second != first
    assert "Traceback" not in screen_text(page)
    page.close()


def test_serve_listens_on_localhost_by_default():
    from mg_tui.tui import cli

    args = cli.build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)


def test_serve_passes_app_options_to_each_visitors_app():
    import sys

    from mg_tui.tui import cli, serve

    args = cli.build_parser().parse_args(
        ["serve", "--dataset", "moons", "--arch", "8,8", "--lr", "0.05", "--theme", "nord",
         "--schedule", "linear"]
    )  # fmt: skip
    command = serve.command(args, args.serve_parser)
    assert command.startswith(f"{sys.executable} -m mg_tui.tui.cli")
    assert "--dataset moons" in command and "--arch 8,8" in command
    assert "--lr 0.05" in command and "--theme nord" in command
    assert "--schedule linear" in command


def test_serve_bad_option_is_one_line(capsys):
    from mg_tui.tui import cli

    with pytest.raises(SystemExit) as info:
        cli.main(["serve", "--port", "99999"])
    assert info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
