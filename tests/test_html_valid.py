"""Valid HTML: the Nu validator (npm vnu-jar, run with Java) reports zero errors
on every page, of the committed site and of a build full of hostile payloads.

Locally: ``npm ci && java -jar node_modules/vnu-jar/build/dist/vnu.jar
--errors-only --skip-non-html site/``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tools import ROOT, VNU_JAR, java, node_module

from generator.cli import main

PAYLOADS = Path(__file__).resolve().parent / "fixtures" / "injection"


def validate(*folders: Path) -> list[dict]:
    """Errors the Nu validator finds in every HTML file under ``folders``."""
    result = subprocess.run(
        [java(), "-jar", str(node_module(VNU_JAR)), "--errors-only", "--skip-non-html",
         "--format", "json", *map(str, folders)],
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert result.returncode == (1 if messages else 0), result.stderr[-2000:]
    return messages


def test_every_page_is_valid_html(tmp_path: Path) -> None:
    payload_site = tmp_path / "payloads"
    args = ["--content", str(PAYLOADS), "--output", str(payload_site), "--quiet", "--no-cache"]
    assert main(["build", *args]) == 0
    # A page known to be invalid proves the validator really read the folders.
    canary = tmp_path / "canary"
    canary.mkdir()
    (canary / "index.html").write_text("<!DOCTYPE html><p>no title</p>", encoding="utf-8")
    messages = validate(ROOT / "site", payload_site, canary)
    errors = [m for m in messages if "canary" not in m.get("url", "")]
    assert [m for m in messages if "canary" in m.get("url", "")], "the validator checked nothing"
    assert not errors, "\n".join(
        f"{m.get('url', '').split('/', 3)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in errors
    )
