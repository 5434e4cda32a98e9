"""A geocoding service on 127.0.0.1 that fails the way real networks do.

It answers Nominatim-shaped requests (``/search?q=…``) with a recorded real answer,
except where the test's ``fault`` function says otherwise for a request:

- ``"ok"``: the recorded answer;
- ``"drop"``: the status line, the headers and half the body, then the socket is closed
  (a connection dropped mid-response);
- ``"reset"``: the socket is reset (TCP RST) before any byte of the answer;
- ``"garbage"``: 200 with a body that is not JSON (a captive portal, a proxy's page);
- ``"500"``: an internal server error;
- ``"slow"``: the answer after ``slow_seconds`` (the client's timeout fires first).

Every request is recorded (its query and the fault it got), so a test can check that a
rerun asked only for what the first run had not finished. Nothing inside addrkit or
geopy is patched: the client talks HTTP to this server through its normal stack.

Examples
--------
>>> with FaultServer(lambda n, q, attempt: "ok") as server:
...     server.url.startswith("http://127.0.0.1:")
True
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

__all__ = ["FaultServer", "Request", "FOUND", "FAULTS"]

FOUND = (
    Path(__file__).resolve().parents[1] / "tests" / "geocode" / "responses" / "nominatim_found.json"
).read_bytes()
FAULTS = ("drop", "reset", "garbage", "500", "slow")
_GARBAGE = b"<html><body>Gateway \xe7\xbd\x91\xe5\x85\xb3 login</body></html>\x00\xff"

Fault = Callable[[int, str, int], str]  # (request number, query, attempt of this query) → mode


@dataclass(frozen=True)
class Request:
    number: int
    query: str
    attempt: int
    fault: str


class FaultServer:
    """A threaded HTTP server; ``fault(n, query, attempt)`` picks each answer."""

    def __init__(self, fault: Fault, *, slow_seconds: float = 5.0, delay: float = 0.0) -> None:
        self.fault = fault
        self.delay = delay  # before every answer: a service some way off
        self.slow_seconds = slow_seconds
        self.requests: list[Request] = []
        self._attempts: dict[str, int] = {}
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real services: a drop hits a live pool

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                query = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
                with owner._lock:
                    attempt = owner._attempts.get(query, 0)
                    owner._attempts[query] = attempt + 1
                    number = len(owner.requests)
                    mode = owner.fault(number, query, attempt)
                    owner.requests.append(Request(number, query, attempt, mode))
                try:
                    owner._answer(self, mode)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first (a timeout)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def _answer(self, handler: BaseHTTPRequestHandler, mode: str) -> None:
        if mode == "reset":
            # SO_LINGER 0: close() sends RST instead of FIN, as a crashed proxy does.
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            handler.close_connection = True
            handler.connection.close()
            return
        time.sleep(self.slow_seconds if mode == "slow" else self.delay)
        status, body = {"garbage": (200, _GARBAGE), "500": (500, b'{"error":"internal"}')}.get(
            mode, (200, FOUND)
        )
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if mode == "drop":
            handler.wfile.write(body[: len(body) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        handler.wfile.write(body)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def asked(self) -> list[str]:
        """Queries in the order they were first asked (retries not repeated)."""
        with self._lock:
            return [r.query for r in self.requests if r.attempt == 0]

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()
            self._attempts.clear()

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
