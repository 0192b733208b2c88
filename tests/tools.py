"""External tools the checks need (Chromium, Java, node_modules): find them, or
skip with the reason outside CI. Under CI (``CI=true``) a missing tool fails
the test instead: a check skipped in CI is a check that does not exist.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def require(found: object, reason: str) -> None:
    """Skip (locally) or fail (in CI) when ``found`` is falsy."""
    if found:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: this check must run; see .ci/run)")
    pytest.skip(reason)


def chromium() -> str:
    """The system Chromium (Playwright cannot download its own browser here)."""
    explicit = os.environ.get("CHROMIUM")
    found = explicit or next((p for n in CHROMIUM_NAMES if (p := shutil.which(n))), None)
    require(found, "no Chromium found (apt-get install chromium, or set CHROMIUM=/path)")
    return str(found)


def java() -> str:
    found = shutil.which("java")
    require(found, "no java found (apt-get install default-jre-headless)")
    return str(found)


def node_module(path: Path) -> Path:
    require(path.is_file(), f"{path.relative_to(ROOT)} missing (run `npm ci`)")
    return path


def node() -> str:
    """Node.js, to run the site's own JavaScript outside a browser."""
    found = shutil.which("node")
    require(found, "no node found (apt-get install nodejs)")
    return str(found)
