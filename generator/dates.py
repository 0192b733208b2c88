"""Temporal expressions in Arabic news, resolved against the publication date.

:func:`find_dates` returns every expression in a text with its span, value,
precision, whether it is approximate, and which way it points. News is read
the way a reader of the article would: "الأربعاء" in a report published on a
Thursday is the day before, unless the clause speaks of the future.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from generator.arabic import fold

WEEKDAYS = {  # folded spelling -> Python weekday (Monday = 0)
    "الاثنين": 0,
    "الثلاثاء": 1,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعه": 4,
    "السبت": 5,
    "الاحد": 6,
}

MONTHS = {
    "يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "اذار": 3,
    "ابريل": 4, "نيسان": 4, "مايو": 5, "ايار": 5, "يونيو": 6, "حزيران": 6,
    "يوليو": 7, "تموز": 7, "اغسطس": 8, "اب": 8, "سبتمبر": 9, "ايلول": 9,
    "اكتوبر": 10, "تشرين الاول": 10, "نوفمبر": 11, "تشرين الثاني": 11,
    "ديسمبر": 12, "كانون الاول": 12,
}  # fmt: skip

_FUTURE = re.compile(r"(?<!\w)(?:س[يتن]\w+|سوف|من المقرر|من المتوقع|يعتزم|تعتزم|على ان)(?!\w)")


@dataclass(frozen=True)
class TemporalExpression:
    """One expression of time in a text."""

    start: int  # span in the original text
    end: int
    text: str
    value: dt.date | None  # first day of the period; None when unresolved
    precision: str | None  # day, week, month, year
    approximate: bool = False
    direction: str | None = None  # "past", "future" or None
    reason: str | None = None  # why it could not be resolved

    @property
    def resolved(self) -> bool:
        return self.value is not None


def find_dates(text: str, published: dt.date) -> list[TemporalExpression]:
    """Every temporal expression in ``text``, resolved against ``published``."""
    folded = fold(text)
    future = bool(_FUTURE.search(folded.text))
    found: list[TemporalExpression] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], value: dt.date | None, precision: str | None, **kw: object) -> None:
        start, end = match.span("x")
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        o_start, o_end = folded.span(start, end)
        found.append(
            TemporalExpression(o_start, o_end, text[o_start:o_end], value, precision, **kw)  # type: ignore[arg-type]
        )

    for match in _EXPLICIT.finditer(folded.text):
        day, month = int(match["day"]), MONTHS[match["month"]]
        year = int(match["year"]) if match["year"] else _nearest_year(day, month, published)
        try:
            value = dt.date(year, month, day)
        except ValueError:
            add(match, None, None, reason=f"no such day: {day} {match['month']} {year}")
            continue
        add(match, value, "day", direction=_direction(value, published))
    for match in _YEAR.finditer(folded.text):
        value = dt.date(int(match["year"]), 1, 1)
        add(match, value, "year", direction=_direction(value, published, "year"))
    for match in _RELATIVE.finditer(folded.text):
        offset = _RELATIVE_DAYS[match["word"]]
        value = published + dt.timedelta(days=offset)
        add(match, value, "day", direction="past" if offset < 0 else "future" if offset else None)
    for match in _WEEKDAY.finditer(folded.text):
        weekday = WEEKDAYS[match["day"]]
        if future:
            value = published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)
        else:
            value = published - dt.timedelta(days=(published.weekday() - weekday) % 7)
        add(match, value, "day", direction="future" if future else "past")
    for match in _VAGUE.finditer(folded.text):
        direction = "future" if match["word"] in _VAGUE_FUTURE else "past"
        add(match, published, "day", approximate=True, direction=direction)
    found.sort(key=lambda e: (e.start, e.end))
    return found


def _direction(value: dt.date, published: dt.date, precision: str = "day") -> str | None:
    if precision == "year":
        return None if value.year == published.year else "past" if value.year < published.year else "future"
    return None if value == published else "past" if value < published else "future"


def _nearest_year(day: int, month: int, published: dt.date) -> int:
    """The year that puts day/month nearest the publication date."""
    best = published.year
    best_gap = None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            gap = abs((dt.date(year, month, min(day, 28)) - published).days)
        except ValueError:
            continue
        if best_gap is None or gap < best_gap:
            best, best_gap = year, gap
    return best


_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_EXPLICIT = re.compile(
    rf"(?<![\w])(?P<x>(?P<day>[0-3]?\d)\s+(?:من\s+)?(?P<month>{_MONTH_NAMES})"
    rf"(?:\s*/\s*\w+)?(?:\s+(?:عام\s+)?(?P<year>(?:19|20)\d\d))?)(?![\w])"
)
_YEAR = re.compile(r"(?<![\w])(?P<x>(?:في|خلال)\s+(?:عام|العام|سنه)\s+(?P<year>(?:19|20)\d\d))(?![\w])")
_RELATIVE_DAYS = {"اليوم": 0, "امس": -1, "البارحه": -1, "غدا": 1, "غدًا": 1}
_RELATIVE = re.compile(r"(?<![\w])(?P<x>(?P<word>اليوم|امس|البارحه|غدا))(?![\w])")
_WEEKDAY = re.compile(rf"(?<![\w])(?P<x>(?:[وب]?)(?P<day>{'|'.join(WEEKDAYS)}))(?![\w])")
_VAGUE_FUTURE = {"قريبا", "في وقت قريب", "في المستقبل القريب", "لاحقا"}
_VAGUE = re.compile(
    r"(?<![\w])(?P<x>(?P<word>قريبا|في وقت قريب|في المستقبل القريب|لاحقا|مؤخرا|في وقت سابق))(?![\w])"
)
