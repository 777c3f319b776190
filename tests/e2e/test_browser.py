"""`mg-tui serve` in headless Chromium: the tokened page loads, a key makes a step.

The server prints its URL with this run's token (http://127.0.0.1:PORT/?token=…); the
page's load sets the token's cookie, which carries it to the websocket. Without the
token the page is refused, and a page on another origin cannot open the websocket.

The page is mg-tui's template (tui/web/app_index.html) over textual-serve's scripts; it
must load nothing from off this machine. xterm.js draws the terminal on a canvas, so the
test reads the screen through xterm.js's own buffer API. textual-serve keeps its Terminal in
a closure; an init script catches it as it is assigned (`this.terminal = new Terminal()`)
with a setter on Object.prototype, before any of the page's scripts run.

Needs Debian's chromium (/usr/bin/chromium) and Python playwright (never `playwright
install`: it downloads browsers); skips with the reason where either is missing.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import re
import select
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

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
    if (value && value.buffer) {
      window.__terminals.push(value);
      window.__fontsAtTerminal = [...document.fonts]  // as xterm.js is about to measure
        .filter(face => face.status === "loaded")
        .map(face => `${face.family.replaceAll('"', "")} ${face.style}`);
    }
  },
});
"""

CATCH_REFUSALS = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", event => {
  window.__refused.push(`${event.violatedDirective} ${event.blockedURI}`);
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


def wait_url(process: subprocess.Popen, timeout: float = 20.0) -> str:
    """The tokened URL the server prints once it listens."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            line = process.stdout.readline()
            seen.append(line)
            if match := re.search(r"serving on (http://\S+/\?token=\S+)", line):
                return match.group(1)
        if process.poll() is not None:
            raise AssertionError(f"mg-tui serve exited: {''.join(seen)}{process.stdout.read()}")
    raise AssertionError(f"mg-tui serve did not listen in time: {''.join(seen)}")


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
        yield wait_url(process)
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
    page.goto(server)  # the URL with ?token=
    first = wait_screen(page, r"step 0\s+\w+\s+lr \S+\s+loss (\S+)").group(1)
    page.locator(".textual-terminal").click()
    page.keyboard.press("s")
    wait_screen(page, r"step 1\b")
    page.keyboard.press("s")
    second = wait_screen(page, r"step 2\s+\w+\s+lr \S+\s+loss (\S+)").group(1)
    assert second != first
    assert "Traceback" not in screen_text(page)
    page.close()


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
NOT_FETCHED = frozenset({"data", "blob", "about"})  # made in the page, never a network request


def off_this_machine(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in NOT_FETCHED and parts.hostname not in LOOPBACK


def test_served_page_needs_nothing_from_the_internet(server, browser):
    """A room with no network: every request off this machine fails, and the app works.

    Each request the page makes (and its websocket) is recorded; those for another host
    are aborted as a disconnected network would. The page must draw, step on a key, show
    in its own font, and have asked for nothing outside.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    outside: list[str] = []
    local: list[str] = []

    def gate(route) -> None:
        url = route.request.url
        if off_this_machine(url):
            outside.append(url)
            route.abort("internetdisconnected")
        else:
            local.append(url)
            route.continue_()

    context.route("**/*", gate)
    page = context.new_page()
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.add_init_script(CATCH_TERMINAL)
    page.add_init_script(CATCH_REFUSALS)
    page.goto(server)
    wait_screen(page, r"step 0\b")
    page.locator(".textual-terminal").click()
    page.keyboard.press("s")
    wait_screen(page, r"step 1\b")
    assert "Traceback" not in screen_text(page)
    assert outside == []
    assert page.evaluate("window.__refused") == []  # its own policy refused nothing either
    assert [url for url in sockets if off_this_machine(url)] == []
    assert len(sockets) == 1
    fetched = {urlsplit(url).path for url in local}
    assert {"/", "/static/js/textual.js", "/static/css/xterm.css"} <= fetched
    assert "/static/fonts/RobotoMono-VariableFont_wght.ttf" in fetched
    # The served font had loaded when the terminal was made, so its cells are measured in it.
    assert "Roboto Mono normal" in page.evaluate("window.__fontsAtTerminal")
    context.close()


def test_served_page_without_the_token_is_refused(server, browser):
    context = browser.new_context()  # no cookie from another test's page
    page = context.new_page()
    untokened = server.split("?", 1)[0]
    response = page.goto(untokened)
    assert response.status == 403
    assert "token" in page.content()
    response = page.goto(untokened + "?token=wrong")
    assert response.status == 403
    context.close()


@pytest.fixture
def other_site():
    """Another web server on this laptop (http://127.0.0.1:OTHER/): a foreign origin.

    A page on the public web would do as well, but Chromium's own rules for public pages
    reaching loopback would refuse it before the server's Origin check were tested.
    """
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), QuietPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class QuietPage(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<!doctype html><p>another site</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


OPEN_WEBSOCKET = """url => new Promise(done => {
  const ws = new WebSocket(url);
  ws.onopen = () => { ws.close(); done("open"); };
  ws.onerror = () => done("refused");
})"""


def test_a_foreign_page_cannot_open_the_websocket(server, browser, other_site):
    """A page on another origin, even one that knows the token, gets no session."""
    port = int(re.search(r":(\d+)/", server).group(1))
    token = server.split("token=", 1)[1]
    context = browser.new_context()
    page = context.new_page()
    page.goto(server)  # the visitor's cookie is in this browser now
    assert page.evaluate(OPEN_WEBSOCKET, f"ws://127.0.0.1:{port}/ws") == "open"
    page.goto(other_site)
    for url in (f"ws://127.0.0.1:{port}/ws", f"ws://127.0.0.1:{port}/ws?token={token}"):
        assert page.evaluate(OPEN_WEBSOCKET, url) == "refused", url
    context.close()


DELIVERING_APP = """
import io, os
from textual.app import App
from textual.widgets import Static

class Deliver(App):
    BINDINGS = [("d", "deliver", "deliver")]

    def compose(self):
        yield Static(f"ready served={os.environ.get('MG_TUI_SERVED')}", id="line")

    def action_deliver(self):
        self.deliver_text(io.StringIO("the model\\n"), save_filename="model.json")
        self.query_one("#line", Static).update("delivered")

Deliver().run()
"""


def test_a_served_apps_deliver_text_downloads_through_the_token(tmp_path, browser):
    """The way a served ctrl+s can hand its file to the browser: App.deliver_text.

    textual-serve's page opens /download/KEY in a new tab; the token's cookie lets it
    through. A tiny app stands in for mg-tui here (its save does not deliver, yet).
    """
    import sys

    script = tmp_path / "deliver.py"
    script.write_text(DELIVERING_APP)
    port = free_port()
    serve = (
        "from mg_tui.tui.serve_server import SafeServer\n"
        f"SafeServer({f'{sys.executable} {script}'!r}, host='127.0.0.1', port={port},"
        " token='the-token').serve()\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", serve],
        env=base_env(tmp_path, TERM="xterm-256color"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        url = wait_url(process)
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        page.add_init_script(CATCH_TERMINAL)
        page.goto(url)
        wait_screen(page, r"ready served=1")
        page.locator(".textual-terminal").click()
        with page.expect_download() as download:
            page.keyboard.press("d")
        assert download.value.url.startswith(f"http://127.0.0.1:{port}/download/")
        assert download.value.suggested_filename == "model.json"
        assert Path(download.value.path()).read_text() == "the model\n"
        context.close()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        process.wait(timeout=10)


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
