"""The ``events`` command's filters and table: how an editor finds the id to override.

Pure: takes events and the registry, returns lines of text. One line an event,
tab-separated (id, date, status, officials, English title, Arabic title,
edited fields) so the output also works with ``grep`` and ``cut``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from generator.arabic import normalize
from generator.models import Event, EventDate, period
from generator.officials import Registry


@dataclass(frozen=True)
class Period:
    """Inclusive range of days."""

    start: dt.date
    end: dt.date

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end


def parse_period(text: str) -> Period:
    """``2020-11-26``, ``2020-11``, ``2020``, or a range ``FROM..TO`` (either end may be left open).

    Raises ValueError with a message fit for the user.
    """
    if ".." in text:
        low, high = text.split("..", 1)
        start = _one(low).start if low.strip() else dt.date.min
        end = _one(high).end if high.strip() else dt.date.max
        if end < start:
            raise ValueError(f"{text!r}: the range ends before it starts")
        return Period(start, end)
    return _one(text)


def _one(text: str) -> Period:
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r}: no such day") from None
        return Period(day, day)
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r}: no such month")
        return Period(*period(dt.date(year, month, 1), "month"))
    if re.fullmatch(r"\d{4}", text):
        return Period(dt.date(int(text), 1, 1), dt.date(int(text), 12, 31))
    raise ValueError(f"{text!r}: expected YYYY-MM-DD, YYYY-MM, YYYY or FROM..TO")


def period_of(date: EventDate) -> Period:
    """The days an event's date covers, as its precision says."""
    return Period(*date.period)


def officials_matching(query: str, registry: Registry) -> list[str]:
    """Official ids named by ``query``: an id, or part of a name or alias (any script)."""
    if query in registry:
        return [query]
    wanted = normalize(query).lower()
    found = []
    for official in registry.officials.values():
        names = (official.id, official.name_ar, official.name_en, *official.aliases)
        if any(wanted in normalize(name).lower() for name in names):
            found.append(official.id)
    return found


def suggest(query: str, registry: Registry) -> str:
    close = difflib.get_close_matches(query, list(registry.officials), n=3, cutoff=0.5)
    return f"; did you mean {', '.join(close)}?" if close else ""


def select(
    events: Iterable[Event], officials: Iterable[str] | None = None, period: Period | None = None
) -> list[Event]:
    """The events with any of ``officials`` whose date overlaps ``period``."""
    wanted = set(officials) if officials is not None else None
    return [
        e
        for e in events
        if (wanted is None or wanted & set(e.officials))
        and (period is None or period.overlaps(period_of(e.date)))
    ]


def rows(events: Iterable[Event]) -> list[str]:
    """One tab-separated line an event; ``~`` after the date marks it approximate."""
    lines = []
    for event in events:
        date = event.date.iso + ("~" if event.date.approximate else "")
        if event.date.precision == "week":
            date += " (week)"
        cells = (
            event.id,
            date,
            event.status,
            ",".join(event.officials) or "-",
            event.title_en,
            event.title_ar,
            "edited: " + ",".join(event.edited) if event.edited else "-",
        )
        lines.append("\t".join(cells))
    return lines
