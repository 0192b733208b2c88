"""The records that flow through the pipeline. Frozen, typed, no I/O."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PRECISIONS = ("day", "week", "month", "year")


def fingerprint(record: object) -> str:
    """A digest of a record's ``repr``: every field, nested records included."""
    data = repr(record).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=20).hexdigest()


#: The closed vocabulary of event types (see README, "Event types").
EVENT_TYPES = (
    "meeting",
    "visit",
    "host",
    "statement",
    "press_conference",
    "agreement",
    "negotiation",
    "announcement",
    "other",
)

STATUSES = ("occurred", "planned")


@dataclass(frozen=True)
class Article:
    """One news article from ``content/articles/<id>.md``."""

    id: str
    path: str  # from the folder holding the content folder: content/articles/x.md
    title: str
    published: dt.date
    source: str
    url: str | None
    lang: str
    body: str  # the Markdown body, as written
    body_line: int  # 1-based line of the file on which the body starts
    extra: Mapping[str, Any] = field(default_factory=dict)  # unknown front-matter keys

    @functools.cached_property
    def fingerprint(self) -> str:
        """A digest of every field, body included (see :attr:`Event.fingerprint`).

        The build cache keeps parsed articles with theirs.
        """
        return fingerprint(self)

    @functools.cached_property
    def month_names(self) -> str | None:
        """The month names the body itself uses (``display.detect_month_names``),
        or None: worked out once, like :attr:`fingerprint`, and kept with it,
        since the list of sources and the search index ask it of every article."""
        from generator import display  # display imports this module

        return display.detect_month_names(self.body)


@dataclass(frozen=True)
class Role:
    title_ar: str
    title_en: str
    start: dt.date | None  # inclusive; None: unknown start
    end: dt.date | None  # inclusive; None: still in office
    line: int = 0
    extra_titles: tuple[str, ...] = ()  # other wordings of the title ("aliases")

    def held_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Official:
    id: str
    name_ar: str
    name_en: str
    aliases: tuple[str, ...]
    country: str  # ISO 3166-1 alpha-2
    roles: tuple[Role, ...]
    line: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)


def period(value: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the week, month or year ``value`` lies in."""
    if precision == "week":
        monday = value - dt.timedelta(days=value.weekday())
        return monday, monday + dt.timedelta(days=6)
    if precision == "month":
        following = dt.date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return value.replace(day=1), following - dt.timedelta(days=1)
    if precision == "year":
        return dt.date(value.year, 1, 1), dt.date(value.year, 12, 31)
    return value, value


@dataclass(frozen=True)
class EventDate:
    """A resolved date: the first day of the period, its precision, how sure.

    ``text`` is the wording that gave the date (None for a fallback) and
    ``origin`` says how it was obtained, in words a reader can check.
    """

    value: dt.date
    precision: str = "day"
    approximate: bool = False
    text: str | None = None
    origin: str = ""

    @functools.cached_property
    def period(self) -> tuple[dt.date, dt.date]:
        """The first and last day the date covers, as its precision says.

        Worked out once per date: the merge compares dates millions of times
        on a large archive. (Kept in the instance's ``__dict__``, outside the
        fields, so equality, hashing and ``repr`` are unchanged.)
        """
        return period(self.value, self.precision)

    @functools.cached_property
    def iso(self) -> str:
        """The date as ISO 8601 shows its precision: ``2020``, ``2020-11``, or a day
        (a week's Monday). Worked out once, like :attr:`period`: naming the
        events and every export sort by it."""
        if self.precision == "year":
            return f"{self.value.year:04d}"
        if self.precision == "month":
            return f"{self.value.year:04d}-{self.value.month:02d}"
        if self.precision == "week":
            monday = self.value - dt.timedelta(days=self.value.weekday())
            return monday.isoformat()
        return self.value.isoformat()


@dataclass(frozen=True)
class Citation:
    """The exact sentence of an article an event was taken from."""

    article: str  # article id
    sentence: str  # verbatim slice of the article body
    start: int  # offset of the sentence in Article.body
    end: int
    date_text: str | None = None


@dataclass(frozen=True)
class Reference:
    """A source that is not an article of the content folder, cited by an editor."""

    text: str  # e.g. "Russian Foreign Ministry briefing, 19 November 2020"
    url: str | None = None


@dataclass(frozen=True)
class Event:
    id: str
    date: EventDate
    status: str  # one of STATUSES
    type: str  # one of EVENT_TYPES
    title_ar: str
    title_en: str
    officials: tuple[str, ...]  # registry ids, sorted
    location: str | None
    sources: tuple[Citation, ...]
    speaker: str | None = None  # official id whose words the sentence reports
    notes: str | None = None  # editor's note (Markdown)
    edited: tuple[str, ...] = ()  # fields an editor set in overrides.yml
    references: tuple[Reference, ...] = ()  # free-text sources an editor cited

    @functools.cached_property
    def fingerprint(self) -> str:
        """A digest of every field: what the pages showing the event are keyed by.

        Worked out once per event, like :attr:`EventDate.period`, and pickled
        with it: the events kept between builds come back with theirs, and
        an event an edit changes is a new object, with a new fingerprint.
        """
        return fingerprint(self)
