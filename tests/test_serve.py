"""The preview server: rebuild on edits, keep the last good site after a bad one, exit on Ctrl-C."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import watchfiles

from generator import serve
from generator.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for_version(url: str, above: int, seconds: float = 30) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        version = int(get(url + serve.VERSION_PATH.lstrip("/"))[1])
        if version > above:
            return version
        time.sleep(0.1)
    raise AssertionError(f"no rebuild after {seconds}s")


@pytest.fixture
def preview(content_copy: Path, tmp_path: Path) -> Iterator[tuple[str, Path, io.StringIO]]:
    """A running preview over a copy of the content, with a real file watcher."""
    log = io.StringIO()
    folder = tmp_path / "preview"
    url = ""
    state = serve.Preview(
        lambda: load_config(content_copy, folder, url, quiet=True, cache=tmp_path / "cache"),
        out=log,
    )
    server = serve.make_server(state, folder, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    assert state.rebuild()
    stop = threading.Event()
    changes = watchfiles.watch(content_copy, stop_event=stop, debounce=100, raise_interrupt=False)
    threads = [
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True),
        threading.Thread(target=serve.watch_loop, args=(state, changes, log), daemon=True),
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # let the watcher start before the test edits anything
    try:
        yield url, content_copy, log
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        for thread in threads:
            thread.join(timeout=5)


def test_edit_rebuilds_bad_edit_keeps_last_good_site_fix_recovers(preview) -> None:
    url, content, log = preview
    status, page = get(url)
    assert status == 200 and serve.VERSION_PATH in page and "preview-error" not in page
    assert 'href="http://127.0.0.1:' in page  # built for the preview's own address
    version = int(get(url + serve.VERSION_PATH.lstrip("/"))[1])

    article = content / "articles" / "elaph-2020-11-26.md"
    good = article.read_text(encoding="utf-8")
    sources = content.parent / "preview" / "sources" / "elaph-2020-11-26" / "index.html"

    # A good edit shows up.
    article.write_text(good.replace("تلعب", "تلعب حقا", 1), encoding="utf-8")
    version = wait_for_version(url, version)
    assert "تلعب حقا" in get(url + "sources/elaph-2020-11-26/")[1]

    # A bad edit: the error in the terminal and on the page; the last good site stays.
    article.write_text(
        good.replace("date: 2020-11-26", 'date: "26/11 <script>"', 1), encoding="utf-8"
    )
    version = wait_for_version(url, version)
    status, page = get(url + "sources/elaph-2020-11-26/")
    assert status == 200 and "تلعب حقا" in page  # the last good build
    assert 'id="preview-error"' in page and "date: expected YYYY-MM-DD" in page
    assert "&lt;script&gt;" in page and '"26/11 <script>"' not in page  # escaped
    assert (
        "elaph-2020-11-26.md:" in log.getvalue()
        and "still serving the last good site" in log.getvalue()
    )
    assert "preview-error" in get(url + "missing/page/")[1]  # the 404 page too
    assert sources.is_file()

    # Fixing it clears the error.
    article.write_text(good, encoding="utf-8")
    wait_for_version(url, version)
    page = get(url + "sources/elaph-2020-11-26/")[1]
    assert "preview-error" not in page and "تلعب حقا" not in page


def test_files_on_disk_are_not_decorated(preview) -> None:
    url, content, _ = preview
    folder = content.parent / "preview"
    assert serve.VERSION_PATH not in (folder / "index.html").read_text(encoding="utf-8")
    status, css = get(url + "static/style.css")
    assert status == 200 and css == (folder / "static/style.css").read_text(encoding="utf-8")


def test_ctrl_c_exits_cleanly(content_copy: Path, tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--content", str(content_copy), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        # faulthandler: a hung process prints every thread's stack on SIGABRT
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONFAULTHANDLER": "1"},
        # Ctrl-C as from a terminal: a test run started in the background
        # (`cmd &` in a script) ignores SIGINT, and Python keeps it ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        lines = []
        for line in process.stderr:
            lines.append(line)
            if line.startswith("serving http://127.0.0.1:"):
                break
        url = lines[-1].split()[1]
        assert get(url)[0] == 200
        process.send_signal(signal.SIGINT)
        try:
            status = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)
            process.wait(timeout=10)
            stacks = process.stderr.read()
            raise AssertionError(f"serve still running 15 s after Ctrl-C:\n{stacks}") from None
        assert status == 0
        rest = process.stderr.read()
        assert "stopped" in rest and "Traceback" not in rest
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
