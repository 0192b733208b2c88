"""site.yml and the command-line flags -> one frozen :class:`Config`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import yamlio
from generator.errors import Diagnostics, SourceError
from generator.files import read_text, shown_path

MONTH_NAMES = ("levant", "egypt", "maghreb")
DIGITS = ("arabic", "latin")
LANGUAGES = ("ar", "en")


@dataclass(frozen=True)
class Config:
    content: Path
    output: Path
    title_ar: str
    title_en: str
    description_ar: str
    description_en: str
    base_url: str  # absolute URL or path, always ending in "/"
    languages: tuple[str, ...]
    month_names: str
    digits: str
    timezone: str
    strict: bool = False
    quiet: bool = False
    cache: Path | None = None  # folder of the build cache; None: no cache
    jobs: int = 1  # worker processes for per-article analysis

    @property
    def base_path(self) -> str:
        """The path part of the base URL: "/" or "/repo/"."""
        match = re.match(r"^[a-z]+://[^/]+(/.*)?$", self.base_url)
        path = (match.group(1) or "/") if match else self.base_url
        return path if path.endswith("/") else path + "/"


def load_config(
    content: Path,
    output: Path,
    base_url: str | None = None,
    strict: bool = False,
    quiet: bool = False,
    cache: Path | None = None,
    jobs: int = 1,
) -> Config:
    """Read ``content/site.yml`` and merge the flags; report every problem at once."""
    path = content / "site.yml"
    shown = shown_path(path)
    diagnostics = Diagnostics()
    data: Any = {}
    if not content.is_dir():
        raise SourceError(str(content), 0, "content folder not found")
    if path.exists():
        data = yamlio.load(read_text(path, shown), shown) or {}
        if not isinstance(data, dict):
            raise SourceError(shown, 1, "site.yml must be a mapping of settings")
    node = data if isinstance(data, yamlio.Node) else yamlio.Node(data)

    def line(key: str) -> int:
        return node.line_of(key) if hasattr(node, "key_lines") else 1

    def text(key: str, lang: str, default: str) -> str:
        value = data.get(key, default)
        if isinstance(value, dict):
            value = value.get(lang, value.get("ar", default))
        if not isinstance(value, str):
            diagnostics.error(shown, line(key), f"{key}: expected text")
            return default
        return value

    def choice(key: str, allowed: tuple[str, ...], default: str) -> str:
        value = data.get(key, default)
        if value not in allowed:
            diagnostics.error(
                shown, line(key), f"{key}: expected one of {', '.join(allowed)}, got {value!r}"
            )
            return default
        return value

    url = base_url if base_url is not None else data.get("base_url", "/")
    if not isinstance(url, str) or not re.match(r"^(https?://[^\s/]+)?/?[^\s]*$", url):
        diagnostics.error(
            shown, line("base_url"), f"base_url: expected an http(s) URL or a path, got {url!r}"
        )
        url = "/"
    if not url.endswith("/"):
        url += "/"
    languages = data.get("languages", ["ar"])
    if (
        not isinstance(languages, list)
        or not languages
        or any(lang not in LANGUAGES for lang in languages)
    ):
        diagnostics.error(
            shown, line("languages"), f"languages: expected a list of {', '.join(LANGUAGES)}"
        )
        languages = ["ar"]
    timezone = data.get("timezone", "UTC")
    if not isinstance(timezone, str):
        diagnostics.error(shown, line("timezone"), "timezone: expected a name such as Asia/Baghdad")
        timezone = "UTC"
    title_ar = text("title", "ar", "الخط الزمني")
    config = Config(
        content=content,
        output=output,
        title_ar=title_ar,
        title_en=text("title", "en", title_ar),
        description_ar=text("description", "ar", ""),
        description_en=text("description", "en", ""),
        base_url=url,
        languages=tuple(languages),
        month_names=choice("month_names", MONTH_NAMES, "levant"),
        digits=choice("digits", DIGITS, "arabic"),
        timezone=timezone,
        strict=strict,
        quiet=quiet,
        cache=cache,
        jobs=jobs,
    )
    diagnostics.raise_if_errors()
    return config


def settings_key(config: Config) -> str:
    """What of the configuration shows in the files (not where they go, nor how fast)."""
    shown = (
        config.title_ar, config.title_en, config.description_ar, config.description_en,
        config.base_url, config.languages, config.month_names, config.digits, config.timezone,
    )  # fmt: skip
    return repr(shown)
