"""Articles -> events: split, type, date, attribute, merge, name.

Each sentence of an article that reports something an official did, said or
will do becomes a candidate event; candidates that tell the same happening
(same date, same type family, shared officials) are merged into one event
that cites every sentence. See README, "How events are extracted".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from generator.arabic import Span, fold, sentences
from generator.dates import find_dates
from generator.models import Article, Citation, Event, EventDate
from generator.officials import Registry

# Trigger words (folded) that decide an event's type, in order of priority.
TRIGGERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("press_conference", ("مؤتمر صحافي", "مؤتمر صحفي", "المؤتمر الصحافي", "المؤتمر الصحفي")),
    ("agreement", ("مذكره تفاهم", "مذكرات التفاهم", "مذكرات تفاهم", "اتفاقيه", "اتفقت", "اتفق", "توقيع")),
    ("visit", ("زياره", "يصل", "سيصل", "وصل", "يزور", "زار")),
    ("meeting", ("التقي", "لقاء", "اجتمع", "اجتماع", "استقبل", "مباحثات", "محادثات", "بحث", "ناقش")),
    ("negotiation", ("يتفاوض", "تفاوض", "نتفاوض", "مفاوضات")),
    ("announcement", ("اعلن", "اعلنت", "الاعلان")),
    (
        "statement",
        ("قال", "اكد", "اكدت", "اعرب", "اشار", "اوضح", "اضاف", "شدد", "ابدي", "اشاد", "اعتبر", "ذكر", "اعلن", "شكر"),
    ),
)

TYPE_TITLES_AR = {
    "meeting": "لقاء",
    "visit": "زيارة",
    "host": "استقبال",
    "statement": "تصريح",
    "press_conference": "مؤتمر صحافي",
    "agreement": "اتفاق",
    "negotiation": "مفاوضات",
    "announcement": "إعلان",
    "other": "حدث",
}

TYPE_TITLES_EN = {
    "meeting": "meet",
    "visit": "visit",
    "host": "host",
    "statement": "statement",
    "press_conference": "press conference",
    "agreement": "agreement",
    "negotiation": "negotiations",
    "announcement": "announcement",
    "other": "event",
}

_FUTURE = re.compile(r"(?<!\w)(?:س[يتن]\w+|سوف|من المقرر|من المتوقع|يعتزم|تعتزم|على ان|قريبا|سيتم)(?!\w)")
_PAST_PERFECT = re.compile(r"(?<!\w)(?:كان|وكان)\s+(?:\w+\s+){0,4}قد(?!\w)")
_PLACES = {"موسكو": "Moscow", "بغداد": "Baghdad"}


@dataclass(frozen=True)
class Candidate:
    article: Article
    span: Span
    type: str
    status: str
    date: EventDate
    officials: tuple[str, ...]
    location: str | None


def extract(articles: Iterable[Article], registry: Registry) -> list[Event]:
    """Every event the articles report, merged across sentences and articles."""
    candidates = [c for article in articles for c in candidates_of(article, registry)]
    return name_events(merge(candidates), registry)


def candidates_of(article: Article, registry: Registry) -> list[Candidate]:
    found = []
    for span in sentences(article.body):
        candidate = _candidate(article, span, registry)
        if candidate is not None:
            found.append(candidate)
    return found


def _candidate(article: Article, span: Span, registry: Registry) -> Candidate | None:
    folded = fold(span.text).text
    event_type = _type_of(folded)
    if event_type is None:
        return None
    date = _date_of(span.text, article)
    mentions = registry.find(span.text, on=date.value)
    officials = tuple(sorted({m.official for m in mentions}))
    if not officials:
        return None
    status = "planned" if _FUTURE.search(folded) and not _PAST_PERFECT.search(folded) else "occurred"
    location = next((en for ar, en in _PLACES.items() if ar in folded), None)
    return Candidate(article, span, event_type, status, date, officials, location)


def _type_of(folded: str) -> str | None:
    for event_type, words in TRIGGERS:
        for word in words:
            if re.search(rf"(?<!\w)[وف]?{re.escape(word)}(?!\w)", folded):
                return event_type
    return None


def _date_of(text: str, article: Article) -> EventDate:
    for expression in find_dates(text, article.published):
        if expression.resolved:
            return EventDate(
                value=expression.value,  # type: ignore[arg-type]
                precision=expression.precision or "day",
                approximate=expression.approximate,
                text=expression.text,
                origin=f"«{expression.text}» in {article.id}, published {article.published.isoformat()}",
            )
    return EventDate(
        value=article.published,
        precision="day",
        approximate=True,
        text=None,
        origin=f"no date in the sentence: publication date of {article.id}",
    )


def merge(candidates: list[Candidate]) -> list[list[Candidate]]:
    """Group candidates telling the same happening: same date and type, shared officials."""
    groups: list[list[Candidate]] = []
    for candidate in candidates:
        for group in groups:
            head = group[0]
            if (
                head.type == candidate.type
                and head.date.iso == candidate.date.iso
                and head.status == candidate.status
                and set(head.officials) & set(candidate.officials)
            ):
                group.append(candidate)
                break
        else:
            groups.append([candidate])
    return groups


def name_events(groups: list[list[Candidate]], registry: Registry) -> list[Event]:
    events = []
    used: dict[str, int] = {}
    for group in sorted(groups, key=lambda g: (g[0].date.iso, g[0].article.id, g[0].span.start)):
        head = group[0]
        officials = tuple(sorted({o for c in group for o in c.officials}))
        base = _slug(head.date.iso, officials, head.type, registry)
        used[base] = used.get(base, 0) + 1
        event_id = base if used[base] == 1 else f"{base}-{used[base]}"
        sources = tuple(
            Citation(c.article.id, c.span.text, c.span.start, c.span.end, c.date.text) for c in group
        )
        names_ar = [registry[o].name_ar for o in officials]
        names_en = [registry[o].name_en for o in officials]
        events.append(
            Event(
                id=event_id,
                date=head.date,
                status=head.status,
                type=head.type,
                title_ar=f"{TYPE_TITLES_AR[head.type]}: {' و'.join(names_ar)}",
                title_en=f"{' and '.join(names_en)}: {TYPE_TITLES_EN[head.type]}",
                officials=officials,
                location=head.location,
                sources=sources,
            )
        )
    return sorted(events, key=lambda e: (e.date.iso, e.id))


def _slug(date_iso: str, officials: tuple[str, ...], event_type: str, registry: Registry) -> str:
    surnames = [registry[o].id.split("-")[-1] for o in officials[:3]]
    return "-".join([date_iso, *surnames, event_type.replace("_", "-")])


def with_date(event: Event, day: dt.date) -> Event:
    return replace(event, date=replace(event.date, value=day))
