"""textual-serve's Server, made safe to run on a laptop that also browses the web.

textual-serve alone accepts a websocket from any page the laptop's browser opens (a page
on http://evil.example can connect to ws://127.0.0.1:8000/ws and press keys). This
subclass adds, in one aiohttp middleware in front of every route:

- a token per run (like Jupyter's): every request needs it, as `?token=…` in the URL or
  as the cookie that a page load with the right token sets (HttpOnly, SameSite=Strict,
  named per port). The page's JavaScript connects its websocket to a URL of its own, so
  the cookie is how the token reaches /ws (and /download/…, which the page opens too);
- a Host check when listening on loopback (a DNS-rebinding page has its own Host);
- an Origin check on the websocket: only the page's own origin, http://HOST:PORT;
- at most `max_sessions` app processes at once: the next websocket gets HTTP 503.

Its page is mg-tui's own template (web/app_index.html), which loads nothing from the
internet: textual-serve's loads its font from a public CDN, and a room without a
network would wait on it. Scripts, styles and the font come from textual-serve's
static folder, through this server, and the page's Content-Security-Policy lets the
browser load nothing from anywhere else.

It also listens before it prints the URL (a port in use is an OSError from `serve()`,
not a traceback after a banner) and builds the page's URLs from the request's own Host,
so http://localhost:8000/ works as well as http://127.0.0.1:8000/.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("textual-serve")

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
SERVED_ENV = "MG_TUI_SERVED"  # set to "1" for every visitor's app process
TEMPLATES = Path(__file__).with_name("web")  # app_index.html: the page, with no external URL

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def url_host(host: str) -> str:
    """`host` as it goes in a URL: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def netloc(host: str, port: int) -> str:
    """host:port as a browser writes it in a Host header or an Origin (no :80)."""
    return url_host(host) if port == 80 else f"{url_host(host)}:{port}"


def is_loopback(host: str) -> bool:
    return host.strip("[]").lower() in LOOPBACK_HOSTS


def port_in_use_check(host: str, port: int) -> None:
    """Bind (and let go of) every address the server will listen on; OSError if one fails.

    Binds as asyncio's create_server does (SO_REUSEADDR, IPv6 sockets IPv6-only), so a
    port left in TIME_WAIT by the last run is not "in use" here either.
    """
    infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    for family, kind, proto, _name, address in infos:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6 and hasattr(socket, "IPPROTO_IPV6"):
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)


def page_policy(host: str) -> str:
    """The page's Content-Security-Policy: it may load and connect to this server only.

    The template names nothing outside; this makes the browser refuse anything else a
    later textual.js might fetch, at once, rather than wait on a network the room lacks.
    Inline script and style are the template's own (and xterm.js's injected styles).
    """
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            f"connect-src 'self' ws://{host}",
            "frame-ancestors 'none'",
        )
    )


async def stop_app(service: AppService, timeout: float = 4.0) -> None:
    """Ask a visitor's app to quit (textual-serve's stop) and wait; kill it if it stays."""
    process = getattr(service, "_process", None)
    try:
        await asyncio.wait_for(asyncio.shield(service.stop()), timeout)
        if process is not None:
            await asyncio.wait_for(process.wait(), timeout)
    except (TimeoutError, asyncio.CancelledError):
        pass
    finally:
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()


class SafeServer(Server):
    """A textual-serve Server with a token, an Origin check and a cap on sessions."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        token: str,
        title: str | None = None,
        max_sessions: int = 8,
        out: TextIO | None = None,
    ) -> None:
        # exec: the shell textual-serve starts becomes the app, so a kill reaches the app
        super().__init__(
            f"exec {command}",
            host=host,
            port=port,
            title=title or command,
            templates_path=TEMPLATES,
        )
        self.token = token
        self.max_sessions = max_sessions
        self.live: dict[web.WebSocketResponse, AppService | None] = {}
        self.cookie_name = f"mg_tui_token_{port}"
        self.out = out
        if host.strip("[]") in WILDCARD_HOSTS:
            self.allowed_hosts: frozenset[str] | None = None  # any name for this machine
        elif is_loopback(host):
            self.allowed_hosts = frozenset(netloc(name, port) for name in LOOPBACK_HOSTS)
        else:
            self.allowed_hosts = frozenset({netloc(host.lower(), port)})

    @property
    def url(self) -> str:
        """The URL to open, token included."""
        host = "127.0.0.1" if self.host.strip("[]") in WILDCARD_HOSTS else self.host
        return f"http://{netloc(host, self.port)}/?token={self.token}"

    def say(self, line: str) -> None:
        print(line, file=self.out or sys.stdout, flush=True)

    # --- the gate -------------------------------------------------------------------

    def _token_from_query(self, request: web.Request) -> bool:
        given = request.query.get("token", "")
        return hmac.compare_digest(given.encode(), self.token.encode())

    def _token_ok(self, request: web.Request) -> bool:
        if self._token_from_query(request):
            return True
        cookie = request.cookies.get(self.cookie_name, "")
        return hmac.compare_digest(cookie.encode(), self.token.encode())

    def refusal(self, request: web.Request) -> str | None:
        """Why `request` is refused (403), or None to let it through."""
        if self.allowed_hosts is not None and request.host.lower() not in self.allowed_hosts:
            return "this server answers only to its own address"
        if not self._token_ok(request):
            return "open the URL with ?token=… that `mg-tui serve` printed"
        if request.path == "/ws":
            origin = request.headers.get("Origin")
            # A browser always sends Origin on a websocket; a script without one has the
            # token already, and could write any Origin it liked.
            if origin is not None and origin.lower() != f"http://{request.host}".lower():
                return f"websocket from a foreign page ({origin})"
        return None

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        reason = self.refusal(request)
        if reason is not None:
            return web.Response(status=403, text=f"403 Forbidden: {reason}\n")
        response = await handler(request)
        if request.path == "/":
            if self._token_from_query(request):
                response.set_cookie(
                    self.cookie_name, self.token, httponly=True, samesite="Strict", path="/"
                )
            response.headers["Cache-Control"] = "no-store"
            response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Content-Security-Policy"] = page_policy(request.host)
        return response

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        return app

    # --- textual-serve's handlers, adjusted ----------------------------------------

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, with its websocket and static URLs on the Host it was loaded from."""
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"ws://{request.host}/ws",
            "config": {"static": {"url": f"http://{request.host}/static/"}},
            "application": {"name": self.title},
        }

    @property
    def sessions(self) -> int:
        """Visitors' sessions running (or starting) now."""
        return len(self.live)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's handler, with the cap, and each session's app kept in `live`.

        Written out rather than wrapped so that stopping the server can close every
        websocket and stop (or at last kill) every app: textual-serve's own shutdown
        leaves the visitors' app processes running.
        """
        if self.sessions >= self.max_sessions:
            self.say(
                f"mg-tui: refused a visitor: {self.sessions} sessions running "
                f"(--max-sessions {self.max_sessions})"
            )
            return web.Response(
                status=503, text=f"503: {self.max_sessions} sessions already running\n"
            )
        websocket = web.WebSocketResponse(heartbeat=15)
        self.live[websocket] = None  # no await since the check: the place is taken
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        try:
            await websocket.prepare(request)
            app_service = AppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            self.live[websocket] = app_service
            await app_service.start(width, height)
            await self._process_messages(websocket, app_service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            try:
                if (service := self.live.get(websocket)) is not None:
                    await stop_app(service)
            finally:
                del self.live[websocket]  # its place is free once its app has gone
        return websocket

    async def close_sessions(self, timeout: float = 10.0) -> None:
        """Close every visitor's websocket and stop their apps; kill what is left."""
        sessions = list(self.live.items())
        await asyncio.gather(
            *(
                ws.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")
                for ws, _ in sessions
            ),
            return_exceptions=True,
        )
        deadline = asyncio.get_running_loop().time() + timeout
        while self.live and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)  # each handler stops its own app
        for _ws, service in sessions:
            process = getattr(service, "_process", None)
            if process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve prints its banner here, before the port is bound."""

    # --- running -------------------------------------------------------------------

    def serve(self, debug: bool = False) -> None:
        """Listen, print the URL, serve until SIGINT/SIGTERM. OSError if it cannot listen."""
        self.debug = debug
        self.initialize_logging()
        os.environ[SERVED_ENV] = "1"  # inherited by every visitor's app process
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        app = await self._make_app()
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except BaseException:
            await runner.cleanup()
            raise
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        self.say(f"mg-tui: serving on {self.url} (ctrl+c to stop)")
        try:
            await stop.wait()
        finally:
            await self.close_sessions()
            await runner.cleanup()
