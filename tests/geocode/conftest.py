"""A real HTTP server on 127.0.0.1 that plays recorded answers of geocoding services.

Each test queues what the server answers next (status, headers, body, delay); the
server records every request it receives. Providers talk to it through their normal
HTTP stack (geopy's adapter): nothing inside addrkit or geopy is patched.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

RESPONSES = Path(__file__).parent / "responses"


def recorded(name: str) -> bytes:
    """A recorded answer body from tests/geocode/responses/."""
    return (RESPONSES / name).read_bytes()


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"{}"
    headers: dict = field(default_factory=lambda: {"Content-Type": "application/json"})
    delay: float = 0.0
    # Never answer (until the test ends): the client times out whatever its timeout and
    # however slow the machine, where a fixed delay races the client's clock.
    hang: bool = False


class RecordingServer:
    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.default: Reply | None = None
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self.released = threading.Event()  # set when the test ends: hanging replies go
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                parts = urlsplit(self.path)
                with owner._lock:
                    owner.requests.append(
                        {"path": parts.path, "params": parse_qs(parts.query),
                         "headers": dict(self.headers)}
                    )  # fmt: skip
                    reply = owner.replies.pop(0) if owner.replies else owner.default
                if reply is None:
                    reply = Reply(404, b'{"error": "nothing queued"}')
                if reply.hang:
                    owner.released.wait(60)
                    return
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def url(self) -> str:
        return f"http://{self.domain}"

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)

    def queue_json(self, body, status: int = 200, **headers) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.queue(Reply(status, data, {"Content-Type": "application/json", **headers}))


@pytest.fixture
def server():
    s = RecordingServer()
    s.thread.start()
    try:
        yield s
    finally:
        s.released.set()
        s.httpd.shutdown()
        s.httpd.server_close()


class FakeClock:
    """Time that passes only when slept through: back-off waits cost no real seconds."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
