"""A real HTTP server on 127.0.0.1 for fetch and feed tests, with routes each test defines.

Every request is recorded (path and headers) so tests can count retries and check conditional GETs.
Slow, stalled and never-ending responses wait on a stop event, so closing the server ends them at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """What a route answers: status, headers and body, optionally delayed or trickled forever."""

    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before sending anything
    trickle: float | None = None  # send one byte every `trickle` seconds, forever


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]


Route = Reply | Callable[[Seen], Reply]


class LocalServer:
    """A threaded HTTP server with a routes table; use `serve()` as a context manager."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[Seen] = []
        self.stop = threading.Event()
        # How many requests were being answered at once, at most: checks a client's parallel limit.
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[Seen]:
        """Requests received for `path` (query string included in the match)."""
        return [r for r in self.requests if r.path == path]

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def serve(routes: dict[str, Route] | None = None) -> Iterator[LocalServer]:
    """Run a `LocalServer` for the duration of a with-block."""
    server = LocalServer(routes)
    server.start()
    try:
        yield server
    finally:
        server.close()


def refused_url() -> str:
    """A URL on a local port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            with server.lock:
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                self._answer()
            finally:
                with server.lock:
                    server.in_flight -= 1

        def _answer(self) -> None:
            seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
            server.requests.append(seen)
            route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
            reply = (
                Reply("not found", 404)
                if route is None
                else route
                if isinstance(route, Reply)
                else route(seen)
            )
            if reply.delay and server.stop.wait(reply.delay):
                return
            body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.trickle is None:
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                while not server.stop.is_set():
                    time.sleep(reply.trickle)
                    self.wfile.write(b" ")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
                return

    return Handler
