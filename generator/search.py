"""The rendered pages -> a Pagefind search index, as more ``{path: bytes}``.

Pagefind (PyPI ``pagefind[bin]``) ships a static search engine: an index
split into small fragments that the browser fetches as the reader types, with
stemming for Arabic and English. It runs here as a program over a scratch copy
of the HTML pages, and its output joins the other files of the site, so the
site is still written once, atomically. Only elements marked
``data-pagefind-body`` (event, official and source pages) are indexed; each
page's ``<html lang>`` puts it in that language's index.

Pagefind's output is byte-reproducible for identical input except for one
thing: ``pagefind-entry.json`` lists the languages in hash-map order, which
changes from run to run. :func:`_stable_entry` rewrites it with the languages
sorted (same JSON, same meaning), so the whole bundle is reproducible and the
golden-site test covers it like any other file.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from generator.errors import SourceError

BUNDLE = "pagefind"

#: Alternative interfaces Pagefind also writes; the search page uses pagefind-ui.
UNUSED = ("pagefind-component-ui.css", "pagefind-component-ui.js", "pagefind-highlight.js",
          "pagefind-modular-ui.css", "pagefind-modular-ui.js")  # fmt: skip


def executable() -> Path:
    """The Pagefind binary installed with the ``pagefind[bin]`` package."""
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise SourceError(
            "pagefind", 0, "the Pagefind binary is missing: pip install 'pagefind[bin]'"
        )
    return found


def index(pages: Mapping[str, bytes]) -> dict[str, bytes]:
    """The search bundle (``pagefind/…``) for the HTML among ``pages``."""
    with tempfile.TemporaryDirectory(prefix="pagefind-") as scratch:
        site = Path(scratch) / "site"
        out = Path(scratch) / "bundle"
        for path in sorted(pages):
            if path.endswith(".html"):
                target = site / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(pages[path])
        result = subprocess.run(
            [str(executable()), "--site", str(site), "--output-path", str(out), "--silent"],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            message = (result.stderr or result.stdout).strip().splitlines()
            raise SourceError(
                "pagefind", 0, f"indexing failed: {message[-1] if message else result.returncode}"
            )
        bundle = {
            f"{BUNDLE}/{file.relative_to(out).as_posix()}": file.read_bytes()
            for file in sorted(out.rglob("*"))
            if file.is_file() and file.name not in UNUSED
        }
    entry = f"{BUNDLE}/pagefind-entry.json"
    if entry in bundle:
        bundle[entry] = _stable_entry(bundle[entry])
    return bundle


def _stable_entry(data: bytes) -> bytes:
    """pagefind-entry.json with its ``languages`` in sorted order."""
    entry = json.loads(data)
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
