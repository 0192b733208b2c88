"""content/articles/*.md -> ``list[Article]``: front matter checked, lines kept."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator import yamlio
from generator.errors import Diagnostics, SourceError
from generator.files import read_text, recorded_path, shown_path
from generator.models import Article

REQUIRED = ("title", "date", "source")
KNOWN = {*REQUIRED, "url", "lang"}
ARTICLE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
#: http(s) with a host; no space or character a URL may not hold (" < > \ ^ ` { | }).
URL = re.compile(r"^https?://[^\s/?#\"<>\\^`{|}]+(?:[/?#][^\s\"<>\\^`{|}]*)?$")


def load_articles(
    content: Path,
    diagnostics: Diagnostics,
    listing: Mapping[str, bool] | None = None,
    parsed: Mapping[str, Article] | None = None,
) -> list[Article]:
    """Every ``articles/*.md`` in name order; problems go to ``diagnostics``.

    ``listing``: the entries of the articles folder, each name with whether
    it is a file, when the caller has just listed it (the build does, to
    digest the content folder); ``parsed``: articles parsed already, by file
    name (the build's cache). Other files are read with :func:`read_article`.
    """
    folder = content / "articles"
    if listing is None:
        if not folder.is_dir():
            diagnostics.error(shown_path(folder), 0, "articles folder not found")
            return []
        with os.scandir(folder) as entries:
            listing = {entry.name: entry.is_file() for entry in entries}
    elif not listing and not folder.is_dir():
        diagnostics.error(shown_path(folder), 0, "articles folder not found")
        return []
    parsed = parsed or {}
    names = sorted(name for name in listing if not name.startswith("."))
    found = [name for name in names if name.endswith(".md") and listing[name]]
    if len(found) < len(names):
        strays = set(names).difference(found)
        for stray in (name for name in names if name in strays):
            diagnostics.warn(shown_path(folder / stray), 0, "not an article (*.md file); ignored")
    if not found:
        diagnostics.error(shown_path(folder), 0, "no articles (*.md) in the articles folder")
    articles = []
    first_of: dict[str, str] = {}
    for name in found:
        # Ids become URLs and folder names; on case-insensitive file systems and
        # servers "A" and "a" are one page, so ids that differ only in case collide.
        key = name[:-3].casefold()
        if key in first_of:
            diagnostics.error(
                shown_path(folder / name),
                1,
                f"duplicate article id: same as {shown_path(folder / first_of[key])}",
            )
            continue
        first_of[key] = name
        article = parsed.get(name)
        if article is not None:
            articles.append(article)
            continue
        try:
            articles.append(read_article(folder / name))
        except SourceError as problem:
            diagnostics.errors.append(problem)
    return articles


def read_article(path: Path) -> Article:
    shown = shown_path(path)
    return parse_article(read_text(path, shown), shown, path.stem, recorded_path(path))


def parse_article(text: str, shown: str, article_id: str, recorded: str | None = None) -> Article:
    """Parse one article; raises :class:`SourceError` naming the first bad line
    as ``shown``. The article keeps ``recorded`` as its path (see
    :func:`generator.files.recorded_path`), or ``shown``."""
    if not ARTICLE_ID.match(article_id):
        raise SourceError(
            shown,
            1,
            f"file name {article_id!r}: use lower-case ASCII letters, digits, '-', '.', '_'",
        )
    meta, body, body_line = split_front_matter(text, shown)
    problems = []
    for key in REQUIRED:
        if key not in meta or meta[key] in (None, ""):
            problems.append(SourceError(shown, meta.line if meta else 1, f"{key}: required"))
    if problems:
        raise problems[0]
    title = _text(meta, "title", shown)
    source = _text(meta, "source", shown)
    published = _date(meta, shown)
    url = meta.get("url")
    if url is not None and (not isinstance(url, str) or not URL.match(url)):
        raise SourceError(shown, meta.line_of("url"), f"url: expected an http(s) URL, got {url!r}")
    lang = meta.get("lang", "ar")
    if not isinstance(lang, str) or not re.match(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$", lang):
        raise SourceError(
            shown, meta.line_of("lang"), f"lang: expected a language code such as ar, got {lang!r}"
        )
    months = meta.get("month_names")
    if months is not None and months not in ("levant", "egypt", "maghreb"):
        expected = "month_names: expected levant, egypt or maghreb"
        raise SourceError(shown, meta.line_of("month_names"), f"{expected}, got {months!r}")
    extra = {k: v for k, v in meta.items() if k not in KNOWN}
    return Article(
        id=article_id,
        path=recorded or shown,
        title=title,
        published=published,
        source=source,
        url=url,
        lang=lang,
        body=body,
        body_line=body_line,
        extra=extra,
    )


def split_front_matter(text: str, shown: str) -> tuple[yamlio.Node, str, int]:
    """Front matter (between ``---`` lines) and body, and the body's first line."""
    if not text.strip():
        raise SourceError(shown, 1, "empty file: expected front matter between '---' lines")
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise SourceError(shown, 1, "expected front matter: the file must start with a '---' line")
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            break
    else:
        raise SourceError(shown, 1, "front matter is not closed by a '---' line")
    meta: Any = yamlio.load("\n".join(lines[1:index]), shown, first_line=2)
    if meta is None:
        meta = yamlio.Node()
        meta.line, meta.key_lines = 2, {}
    if not isinstance(meta, dict):
        raise SourceError(shown, 2, "front matter must be a mapping of keys to values")
    body = "\n".join(lines[index + 1 :])
    return meta, body, index + 2


def _text(meta: yamlio.Node, key: str, shown: str) -> str:
    value = meta[key]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise SourceError(shown, meta.line_of(key), f"{key}: expected text, got {value!r}")
    return value.strip()


def _date(meta: yamlio.Node, shown: str) -> dt.date:
    value = meta["date"]
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return parsed.date()
    raise SourceError(
        shown,
        meta.line_of("date"),
        f"date: expected YYYY-MM-DD (or an ISO datetime), got {value!r}",
    )
