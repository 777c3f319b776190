"""`mg-tui serve` as a browsing laptop needs it: a token, an Origin check, a session cap.

Each test starts the real server (`python -m mg_tui.tui.cli serve`) in a subprocess on
a free port and talks to it with aiohttp's client, as a browser would: the page, then
the websocket with the cookie the page set (or a foreign page's Origin).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

import aiohttp
import pytest

URL = re.compile(r"serving on (http://\S+/\?token=(\S+))")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TEXTUAL_DRIVER", "NO_COLOR")}
    env.update(MG_TUI_STATE_DIR=str(tmp_path / "state"), MG_TUI_EXPORT_DIR=str(tmp_path))
    return env


def serve_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "mg_tui.tui.cli", "serve", *args]


@dataclass
class Served:
    process: subprocess.Popen
    port: int
    url: str
    token: str
    lines: list[str]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        return self.base

    def read_lines(self, timeout: float = 0.0) -> list[str]:
        """Everything printed so far (waiting up to `timeout` for a first new line)."""
        deadline = time.monotonic() + timeout
        stdout = self.process.stdout
        while True:
            left = max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([stdout], [], [], left)
            if not ready:
                return self.lines
            line = stdout.readline()
            if not line:
                return self.lines
            self.lines.append(line.rstrip("\n"))
            deadline = time.monotonic()  # take what is there, then stop


def start_server(tmp_path, *args: str) -> Served:
    port = free_port()
    process = subprocess.Popen(
        serve_argv("--port", str(port), *args),
        env=serve_env(tmp_path),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if match := URL.search(line):
                return Served(process, port, match.group(1), match.group(2), lines)
        elif process.poll() is not None:
            break
    stop_server(process)
    raise AssertionError(f"mg-tui serve never printed its URL: {lines}")


def stop_server(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    served = start_server(tmp_path_factory.mktemp("serve"))
    yield served
    stop_server(served.process)


@pytest.fixture
def one_session(tmp_path):
    served = start_server(tmp_path, "--max-sessions", "1")
    yield served
    stop_server(served.process)


async def first_bytes(ws: aiohttp.ClientWebSocketResponse, timeout: float = 30.0) -> bytes:
    """The first bytes the visitor's app draws (it is running and answering)."""
    async with asyncio.timeout(timeout):
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY and message.data:
                return message.data
    raise AssertionError(f"the websocket closed with no app output ({ws.close_code})")


def browser_session() -> aiohttp.ClientSession:
    """A client that keeps cookies as a browser does (aiohttp's drops an IP's by default)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def handshake_status(url: str, **kwargs) -> int:
    """The HTTP status a websocket handshake to `url` gets (101 when accepted)."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, **kwargs) as ws:
                await ws.close()
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


# --- the token ---------------------------------------------------------------------


def test_url_has_a_fresh_token(served, tmp_path):
    assert served.url == f"{served.base}/?token={served.token}"
    assert len(served.token) >= 32
    other = start_server(tmp_path)
    try:
        assert other.token != served.token
    finally:
        stop_server(other.process)


@pytest.mark.parametrize("query", ["", "?token=", "?token=wrong", "?tok=x"])
async def test_page_without_the_token_is_403(served, query):
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{served.base}/{query}") as response,
    ):
        assert response.status == 403
        assert "token" in await response.text()
        assert "Set-Cookie" not in response.headers


async def test_page_with_the_token_sets_a_strict_httponly_cookie(served):
    async with aiohttp.ClientSession() as session, session.get(served.url) as response:
        assert response.status == 200
        page = await response.text()
        cookie = response.cookies[f"mg_tui_token_{served.port}"]
        header = response.headers["Set-Cookie"]
        assert response.headers["Referrer-Policy"] == "no-referrer"
    assert cookie.value == served.token
    assert "HttpOnly" in header and "SameSite=Strict" in header and "Path=/" in header
    # The page's websocket URL is on the host the page was loaded from, with no token.
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page
    assert served.token not in page


async def test_static_files_need_the_token_too(served):
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{served.base}/static/js/textual.js") as response:
            assert response.status == 403
        async with session.get(f"{served.base}/static/js/textual.js?token={served.token}") as r:
            assert r.status == 200


async def test_downloads_need_the_token_too(served):
    """/download/KEY is where a served app's deliver_text file is fetched from."""
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{served.base}/download/some-key") as response:
            assert response.status == 403
        async with session.get(f"{served.base}/download/some-key?token={served.token}") as r:
            assert r.status == 404  # through the gate; no such download


@pytest.mark.parametrize("query", ["", "?token=wrong"])
async def test_websocket_without_the_token_is_403(served, query):
    status = await handshake_status(f"ws://127.0.0.1:{served.port}/ws{query}", origin=served.origin)
    assert status == 403


@pytest.mark.parametrize("right", [True, False])
async def test_websocket_with_the_cookie_alone(served, right):
    """The token reaches /ws as the page's cookie: the right one opens it, no other."""
    cookie = f"mg_tui_token_{served.port}={served.token if right else 'wrong'}"
    url = f"ws://127.0.0.1:{served.port}/ws"
    status = await handshake_status(url, origin=served.origin, headers={"Cookie": cookie})
    assert status == (101 if right else 403)


async def test_another_ports_cookie_does_not_count(served):
    cookie = f"mg_tui_token_{served.port + 1}={served.token}"
    url = f"ws://127.0.0.1:{served.port}/ws"
    status = await handshake_status(url, origin=served.origin, headers={"Cookie": cookie})
    assert status == 403


# --- the Origin and the Host -------------------------------------------------------


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "null",
        "http://127.0.0.1",  # another port is another origin
        "http://127.0.0.1:1",
        "https://127.0.0.1:{port}",
        "http://localhost:{port}",  # the page was loaded from 127.0.0.1, not localhost
    ],
)
async def test_websocket_from_a_foreign_origin_is_403_even_with_the_token(served, origin):
    origin = origin.format(port=served.port)
    url = f"ws://127.0.0.1:{served.port}/ws?token={served.token}"
    assert await handshake_status(url, origin=origin) == 403


async def test_foreign_host_header_is_403_even_with_the_token(served):
    """A DNS-rebinding page (evil.example resolving to 127.0.0.1) keeps its own Host."""
    host = f"evil.example:{served.port}"
    async with (
        aiohttp.ClientSession() as session,
        session.get(served.url, headers={"Host": host}) as response,
    ):
        assert response.status == 403
    url = f"ws://127.0.0.1:{served.port}/ws?token={served.token}"
    status = await handshake_status(url, origin=f"http://{host}", headers={"Host": host})
    assert status == 403


async def test_page_cookie_then_websocket_from_the_page_runs_the_app(served):
    """As the browser does it: load the page with the token, then /ws with its cookie."""
    async with browser_session() as session:
        async with session.get(served.url) as response:
            assert response.status == 200
        ws_url = f"ws://127.0.0.1:{served.port}/ws?width=100&height=30"
        async with session.ws_connect(ws_url, origin=served.origin) as ws:
            assert await first_bytes(ws)
            await ws.close()


async def test_localhost_page_gets_a_localhost_websocket(served):
    async with browser_session() as session:
        url = f"http://localhost:{served.port}/?token={served.token}"
        async with session.get(url) as response:
            assert response.status == 200
            page = await response.text()
        assert f'data-session-websocket-url="ws://localhost:{served.port}/ws"' in page
        ws_url = f"ws://localhost:{served.port}/ws"
        async with session.ws_connect(ws_url, origin=f"http://localhost:{served.port}") as ws:
            await ws.close()


async def test_token_in_the_websocket_query_without_origin_is_accepted(served):
    """A script (no Origin header) with the token: the token is the key."""
    url = f"ws://127.0.0.1:{served.port}/ws?token={served.token}"
    assert await handshake_status(url) == 101


# --- sessions ----------------------------------------------------------------------


async def test_max_sessions_refuses_the_next_websocket_with_503(one_session):
    served = one_session
    url = f"ws://127.0.0.1:{served.port}/ws?token={served.token}"
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url, origin=served.origin) as first:
            assert await first_bytes(first)
            assert await handshake_status(url, origin=served.origin) == 503
            lines = served.read_lines(timeout=5)
            refused = [line for line in lines if "refused a visitor" in line]
            assert refused == ["mg-tui: refused a visitor: 1 sessions running (--max-sessions 1)"]
            await first.close()
        # Once the first visitor's app has stopped, there is room again.
        deadline = time.monotonic() + 20
        while (status := await handshake_status(url, origin=served.origin)) != 101:
            assert status == 503 and time.monotonic() < deadline
            await asyncio.sleep(0.2)


async def test_stopping_the_server_stops_the_visitors_apps(tmp_path):
    served = start_server(tmp_path)
    pgid = served.process.pid  # the server leads its own process group, its apps in it
    try:
        url = f"ws://127.0.0.1:{served.port}/ws?token={served.token}"
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(url, origin=served.origin)
            assert await first_bytes(ws)
            started = time.monotonic()
            served.process.send_signal(signal.SIGTERM)
            async with asyncio.timeout(15):
                message = await ws.receive()
                while message.type not in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    message = await ws.receive()
            assert ws.close_code == aiohttp.WSCloseCode.GOING_AWAY
            rc = await asyncio.to_thread(served.process.wait, 15)
        assert rc == 0 and time.monotonic() - started < 10
        output = served.process.stdout.read()
        assert "Traceback" not in output
        deadline = time.monotonic() + 5
        while True:  # every process of the group, the visitor's app too, has gone
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                break
            assert time.monotonic() < deadline, "a visitor's app outlived the server"
            await asyncio.sleep(0.1)
    finally:
        stop_server(served.process)


def test_max_sessions_must_be_positive():
    result = subprocess.run(
        serve_argv("--max-sessions", "0"), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "--max-sessions" in result.stderr and "at least 1" in result.stderr


def test_max_sessions_defaults_to_8():
    from mg_tui.tui import cli

    assert cli.build_parser().parse_args(["serve"]).max_sessions == 8


# --- listening ---------------------------------------------------------------------


def test_port_in_use_is_one_line_and_status_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            serve_argv("--port", str(port)),
            env=serve_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr == f"mg-tui: port {port} is in use (try --port N)\n"
    assert result.stdout == ""


def test_port_in_use_at_start_is_caught_too(monkeypatch, capsys):
    """The port can be taken between the check and the server's own bind."""
    from mg_tui.tui import cli, serve_server

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setattr(serve_server, "port_in_use_check", lambda host, port: None)
        monkeypatch.setattr(serve_server.SafeServer, "initialize_logging", lambda self: None)
        monkeypatch.setenv(serve_server.SERVED_ENV, "")
        assert cli.main(["serve", "--port", str(port)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"mg-tui: port {port} is in use (try --port N)\n"
    assert "serving on" not in captured.out


def test_a_host_beyond_this_machine_warns_on_stderr(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        serve_argv("--host", "0.0.0.0", "--port", str(port)),
        env=serve_env(tmp_path),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        warning = process.stderr.readline()
        serving = process.stdout.readline()
    finally:
        stop_server(process)
    assert warning.startswith("mg-tui: warning: --host 0.0.0.0 ")
    assert "token" in warning
    assert URL.search(serving)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1"])
def test_local_hosts_do_not_warn(host, monkeypatch, capsys):
    from mg_tui.tui import cli, serve_server

    ran: list[serve_server.SafeServer] = []
    monkeypatch.setattr(serve_server, "port_in_use_check", lambda host, port: None)
    monkeypatch.setattr(serve_server.SafeServer, "serve", lambda self: ran.append(self))
    assert cli.main(["serve", "--host", host, "--max-sessions", "3"]) == 0
    assert capsys.readouterr().err == ""
    assert ran[0].max_sessions == 3 and ran[0].host == host


def test_visitors_apps_are_told_they_are_served():
    """MG_TUI_SERVED=1 is in the server's environment, so in every visitor's app's."""
    from mg_tui.tui import serve_server

    assert serve_server.SERVED_ENV == "MG_TUI_SERVED"
    code = (
        "import os, mg_tui.tui.serve_server as s\n"
        "class T(s.SafeServer):\n"
        "    async def _serve(self): print(os.environ.get(s.SERVED_ENV))\n"
        "T('true', host='127.0.0.1', port=1, token='t').serve()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "MG_TUI_SERVED"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "1", result.stderr


# --- offline: a room with no internet --------------------------------------------------

# Any URL with a host in it: scheme://… and the scheme-less //host/… a page may also use.
URL_WITH_HOST = re.compile(r"(?:\b[a-z][a-z0-9+.-]*:)?//[^\s\"'<>()]+", re.IGNORECASE)
RESOURCE = re.compile(r"""(?:\bsrc|\bhref)\s*=\s*["']([^"']+)|url\(\s*["']?([^"')]+)""")


@pytest.fixture
async def page_client():
    """The page's server in this process (no visitor's app is started): a client, its port."""
    from aiohttp.test_utils import TestClient, TestServer
    from mg_tui.tui.serve_server import SafeServer

    port = free_port()
    safe = SafeServer("true", host="127.0.0.1", port=port, token="the-token")
    client = TestClient(TestServer(await safe._make_app(), host="127.0.0.1", port=port))
    await client.start_server()
    try:
        yield client, port
    finally:
        await client.close()


async def test_the_page_has_no_url_but_the_servers_own(page_client):
    client, port = page_client
    response = await client.get("/?token=the-token")
    assert response.status == 200
    page = await response.text()
    urls = URL_WITH_HOST.findall(page)
    own = (f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/")
    assert f"ws://127.0.0.1:{port}/ws" in urls  # the pattern does find the page's own URLs
    assert [url for url in urls if not url.startswith(own)] == []


async def test_every_resource_the_page_names_is_served_here(page_client):
    """The scripts, styles, images and fonts it loads: all on this server, all there.

    The font and the scripts are textual-serve's files; a textual-serve that moved one
    would show here as a 404 rather than as a page that silently falls back.
    """
    client, port = page_client
    page = await (await client.get("/?token=the-token")).text()
    resources = sorted({a or b for a, b in RESOURCE.findall(page)})
    names = [url.rsplit("/", 1)[-1] for url in resources]
    assert "textual.js" in names and "xterm.css" in names
    assert "RobotoMono-VariableFont_wght.ttf" in names
    for url in resources:
        assert url.startswith(f"http://127.0.0.1:{port}/static/"), url
        response = await client.get(url.split(str(port), 1)[1] + "?token=the-token")
        assert response.status == 200, url
        assert len(await response.read()) > 0, url


async def test_the_pages_policy_lets_it_load_from_this_server_only(page_client):
    """The browser itself refuses any other source, so nothing can wait on a network."""
    client, port = page_client
    response = await client.get("/?token=the-token")
    policy = dict(
        rule.strip().split(" ", 1)
        for rule in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"  # fonts, frames, media… fall back to it
    for directive in ("script-src", "style-src", "img-src", "connect-src"):
        sources = policy[directive].split()
        assert "'self'" in sources
        assert set(sources) <= {"'self'", "'unsafe-inline'", "data:", f"ws://127.0.0.1:{port}"}
    assert "font-src" not in policy  # only 'self', the default
