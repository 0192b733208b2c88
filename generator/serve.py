"""Local preview: build, serve on 127.0.0.1, rebuild on every edit, reload the browser.

The preview builds into a folder of its own (never over ``site/``), with the
base URL set to the preview's address so links, the 404 page and search work
there. A watcher (watchfiles) rebuilds when anything under the content folder
(articles, officials.yml, overrides.yml, site.yml) or the templates changes. A
build that fails leaves the last good site in place: the server keeps serving
it, the terminal prints the problems, and every page shows them in a banner
until the next good build. Pages poll a tiny version endpoint and reload when
a build finishes, so nothing extra is needed in the browser.

The preview additions (script and banner) are injected into HTML responses on
the way out; the files on disk are exactly what ``build`` writes.
"""

from __future__ import annotations

import html
import http.server
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from generator import cache
from generator.build import build
from generator.config import Config
from generator.errors import BuildFailed, Diagnostics, SourceError

VERSION_PATH = "/__preview/version"

#: What the preview keeps in memory between rebuilds (see cache.hold_in_memory):
#: the merged events, the parsed articles and the manifest of the last build,
#: which every build reads back.
HELD = ("events", "parsed-articles", "manifest")
RELOAD_SCRIPT = """<script>
(function () {
  var seen = null;
  function poll() {
    fetch("VERSION_PATH", {cache: "no-store"}).then(function (r) {
      return r.text();
    }).then(function (v) {
      if (seen !== null && v !== seen) { location.reload(); }
      seen = v;
    }).catch(function () {}).then(function () { setTimeout(poll, 700); });
  }
  poll();
}());
</script>
""".replace("VERSION_PATH", VERSION_PATH)


@dataclass
class Preview:
    """The state shared by the watcher and the server: the last build's outcome."""

    make_config: Callable[[], Config]
    out: TextIO = sys.stderr
    version: int = 0
    problems: list[str] = field(default_factory=list)
    built_once: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self) -> bool:
        """Build once; on failure keep the last good site and remember why."""
        diagnostics = Diagnostics()
        try:
            summary = build(self.make_config(), diagnostics)
        except BuildFailed as failure:
            problems = [str(p) for p in failure.problems]
        except SourceError as problem:
            problems = [str(problem)]
        except Exception as error:  # a template bug must not stop the preview
            problems = [f"{type(error).__name__}: {error}"]
        else:
            problems = []
            warnings = [f"{w} (warning)" for w in diagnostics.warnings]
            for line in warnings:
                print(line, file=self.out)
            print(
                f"rebuilt: {summary.articles} articles, {summary.events} events, "
                f"{len(warnings)} warnings",
                file=self.out,
            )
        if problems:
            for line in problems:
                print(line, file=self.out)
            print("build failed; still serving the last good site", file=self.out)
        with self.lock:
            self.problems = problems
            self.built_once = self.built_once or not problems
            self.version += 1
        return not problems

    def decorate(self, page: bytes) -> bytes:
        """An HTML page with the reload script and, after a failed build, the problems."""
        with self.lock:
            problems = list(self.problems)
        addition = RELOAD_SCRIPT
        if problems:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
            addition = (
                '<aside id="preview-error" role="alert" dir="ltr" lang="en" style="position:fixed;'
                "inset-inline:0;bottom:0;max-height:50vh;overflow:auto;margin:0;padding:1rem;"
                "background:#fff0f0;color:#7a0000;border-top:3px solid #b00000;z-index:99;"
                'font:14px/1.5 monospace;white-space:pre-wrap">'
                "<strong>Build failed; this is the last good site.</strong>"
                f"<ul>{items}</ul></aside>\n" + addition
            )
        marker = b"</body>"
        at = page.rfind(marker)
        encoded = addition.encode("utf-8")
        return page[:at] + encoded + page[at:] if at >= 0 else page + encoded


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Files of the last good build, decorated HTML, the version, and the site's 404."""

    preview: Preview

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        if self.path.split("?")[0] == VERSION_PATH:
            with self.preview.lock:
                body = str(self.preview.version).encode()
            self._send(200, "text/plain; charset=utf-8", body)
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                super().do_GET()  # the base class redirects to the slash form
                return
            path = path / "index.html"
        if path.is_file() and path.suffix == ".html":
            self._send(200, "text/html; charset=utf-8", self.preview.decorate(path.read_bytes()))
            return
        super().do_GET()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            self._send(404, "text/html; charset=utf-8", self.preview.decorate(page.read_bytes()))
            return
        super().send_error(code, message, explain)

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass


def make_server(
    preview: Preview, folder: Path, host: str, port: int
) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (PreviewHandler,), {"preview": preview})
    server = http.server.ThreadingHTTPServer((host, port), partial(handler, directory=str(folder)))
    server.daemon_threads = True
    return server


def watch_loop(
    preview: Preview, changes: Iterable[set[tuple[Any, str]]], out: TextIO = sys.stderr
) -> None:
    """Rebuild after each batch of changes (``changes`` is watchfiles.watch(...) in use)."""
    for batch in changes:
        paths = sorted({Path(p).name for _, p in batch})
        print(f"changed: {', '.join(paths)}", file=out)
        preview.rebuild()


def run(
    make_config: Callable[[str], Config], folder: Path, watch: list[Path], host: str, port: int
) -> int:
    """Serve ``folder`` on ``host:port`` until Ctrl-C, rebuilding on changes under ``watch``.

    ``make_config(url)`` reads site.yml afresh for every build (so edits to it
    count too) with the preview's URL as base.
    """
    import watchfiles

    cache.hold_in_memory(HELD)
    url = ""
    preview = Preview(lambda: make_config(url))
    server = make_server(preview, folder, host, port)
    url = f"http://{host}:{server.server_address[1]}/"
    preview.rebuild()
    stop = threading.Event()
    changes = watchfiles.watch(*watch, stop_event=stop, debounce=300, raise_interrupt=False)
    watcher = threading.Thread(target=watch_loop, args=(preview, changes), daemon=True)
    watcher.start()
    print(f"serving {url} (Ctrl-C to stop)", file=sys.stderr)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        stop.set()
        server.server_close()
        watcher.join(timeout=2)
    return 0
