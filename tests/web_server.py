"""A real HTTP server on 127.0.0.1 serving invented saved pages and feeds (``tests/web``),
and misbehaving on purpose: slow, 404, 5 MB, a redirect loop, an image, a page robots.txt
disallows, a server that fails twice before it answers. Started by the tests, never the
internet.

Every page carries an ETag and a Last-Modified and answers a matching ``If-None-Match`` with
304; ``hits`` counts what was answered per path and status, so a test can tell a download
(200) from a revalidation (304).
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB = Path(__file__).resolve().parent / "web"
LAST_MODIFIED = "Wed, 04 Mar 2026 11:00:00 GMT"
HUGE_BYTES = 5_000_000
SLOW_SECONDS = 5.0
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"


@dataclass
class WebServer:
    base: str = ""
    hits: Counter[tuple[str, int]] = field(default_factory=Counter)
    agents: list[str] = field(default_factory=list)
    flaky_left: int = 2
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def downloads(self, prefix: str = "/news/") -> int:
        return sum(
            n
            for (path, status), n in self.hits.items()
            if path.startswith(prefix) and status == 200
        )

    def revalidations(self, prefix: str = "/news/") -> int:
        return sum(
            n
            for (path, status), n in self.hits.items()
            if path.startswith(prefix) and status == 304
        )


def _handler(server: WebServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return

        def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
            with server.lock:
                server.hits[(self.path, status)] += 1
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def _page(self, body: bytes, content_type: str) -> None:
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", content_type, ETag=etag)
                return
            self._send(200, body, content_type, ETag=etag, Last_Modified=LAST_MODIFIED)

        def do_GET(self) -> None:
            server.agents.append(self.headers.get("User-Agent", ""))
            path = self.path
            if path == "/robots.txt":
                self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            elif path.startswith(("/news/", "/private/")) and path.endswith(".html"):
                name = path.rsplit("/", 1)[1]
                page = WEB / "news" / name
                if not page.is_file():
                    self._send(404, b"<h1>Not found</h1>", "text/html")
                    return
                self._page(page.read_bytes(), "text/html; charset=utf-8")
            elif path == "/feed.rss":
                text = (WEB / "feed.rss").read_text().replace("{base}", server.base)
                self._page(text.encode(), "application/rss+xml")
            elif path == "/harbour.atom":
                self._page((WEB / "harbour.atom").read_bytes(), "application/atom+xml")
            elif path == "/latin.txt":
                body = "Le port rouvre jeudi, a déclaré la capitainerie.\n".encode("latin-1")
                self._send(200, body, "text/plain; charset=iso-8859-1")
            elif path == "/slow.html":
                server.stop.wait(SLOW_SECONDS)
                self._send(200, b"<html><body><p>Too late.</p></body></html>", "text/html")
            elif path == "/huge.html":
                self._huge()
            elif path in ("/loop/a", "/loop/b"):
                target = "/loop/b" if path == "/loop/a" else "/loop/a"
                self._send(302, b"", "text/plain", Location=target)
            elif path == "/moved.html":
                self._send(301, b"", "text/plain", Location="/news/investigators.html")
            elif path == "/photo.png":
                self._send(200, PNG, "image/png")
            elif path == "/flaky.html":
                with server.lock:
                    server.flaky_left -= 1
                    failing = server.flaky_left >= 0
                if failing:  # first 429 Too Many Requests, then 503
                    status = 429 if server.flaky_left % 2 else 503
                    self._send(status, b"busy", "text/plain", Retry_After="0")
                else:
                    self._page((WEB / "news" / "investigators.html").read_bytes(), "text/html")
            else:
                self._send(404, b"<h1>Not found</h1>", "text/html")

        def _huge(self) -> None:
            """5 MB of page, streamed without a Content-Length (the client must count)."""
            with server.lock:
                server.hits[(self.path, 200)] += 1
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"filler words " * 5000 + b"</p>\n"
            sent = 0
            try:
                self.wfile.write(b"<html><body>")
                while sent < HUGE_BYTES:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except OSError:
                return  # the client stopped reading: what it should do
            self.close_connection = True

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up (a timeout, a page too large) is what the tests want."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def web_server() -> Iterator[WebServer]:
    """A running server on a free port of 127.0.0.1; shut down (slow handlers released) after."""
    state = WebServer()
    httpd = _Server(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
