"""Serve a built site over HTTP on 127.0.0.1, as GitHub Pages would.

The folder is served at ``/<prefix>`` (``/repo/`` for a project site); a missing
path answers 404 with the site's own ``404.html``. The server runs in a daemon
thread and stops when the ``with`` block ends.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, and the site's 404.html with status 404 for anything missing."""

    not_found_page: Path

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404 or not self.not_found_page.is_file():
            super().send_error(code, message, explain)
            return
        body = self.not_found_page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        """Keep the test output free of one access-log line per request."""


@contextmanager
def serve(root: Path, site: Path) -> Iterator[str]:
    """Serve ``root`` (which holds the built ``site`` folder); yields the site's URL."""
    handler = type("Handler", (PagesHandler,), {"not_found_page": site / "404.html"})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    prefix = site.relative_to(root).as_posix()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/" + (
            f"{prefix}/" if prefix != "." else ""
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
