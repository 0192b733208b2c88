"""Articles -> events: split, type, attribute, date, merge, name.

An article is read the way a news reader reads it, clause by clause, keeping
track of who was named last (for "الوزير الروسي", "نظيره العراقي", "وقال انه"):

1. **Split** the body into paragraphs, quote-aware sentences and clauses
   (:mod:`generator.arabic`).
2. **Trigger**: a clause reports a happening when it holds a trigger word of
   :data:`TRIGGERS` (a closed vocabulary after CAMEO/PLOVER; README, "Event
   types"). A reporting verb ("قال", "أكد", "أشار إلى") opens a *content*
   part; a typed happening inside it ("أن وزير الدفاع سيصل روسيا قريبا")
   becomes its own event, said by the reporting official (``speaker``).
   Nouns become events after "خلال/على هامش" (a frame: "خلال مؤتمر صحافي")
   or "لإجراء" (a purpose), or when nothing else in the clause is typed.
3. **Officials** come from the registry (names, aliases, surnames after the
   full name, titles held on the event's date) and from relative references
   resolved against the context. Officials named as a topic ("لجهود رئيس
   الوزراء", "من قبل الرئيس") are not participants.
4. **Status** is ``planned`` when the clause speaks of the future (سـ, سوف,
   من المقرر, من المتوقع, قريبا …) and not of a past perfect ("كان قد").
5. **Date**: the clause's own temporal expression; else inherited from a
   frame in the sentence, from an earlier event of the same officials, or
   from the day the article reports; else the publication date, approximate.
   :attr:`EventDate.origin` says which, in words.
6. **Merge** candidates that tell the same happening (:func:`same_happening`),
   across sentences and articles, then **name** them with stable ids and
   Arabic and English titles.

Everything here is pure: articles and a registry in, events out.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from generator.arabic import Span, clauses, paragraphs, sentences
from generator.dates import find_dates
from generator.models import Article, Citation, Event, EventDate
from generator.officials import (
    COUNTRY_WORDS,
    Mention,
    Registry,
    is_title_head,
    match_fold,
    nationality,
    office_of,
)


def _f(text: str) -> str:
    """Fold a vocabulary word exactly as texts are folded for matching."""
    return match_fold(text).text


# --- the vocabulary ------------------------------------------------------------

#: Trigger words per event type: (type, verbs, nouns). Verbs report an act
#: ("التقى"); nouns name one ("زيارة") and count only as a frame, a purpose or
#: when the clause has no verb trigger. Written plainly; folded when compiled.
TRIGGERS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "press_conference",
        (),
        ("مؤتمر صحافي", "مؤتمر صحفي", "مؤتمرا صحافيا", "مؤتمرا صحفيا", "المؤتمر الصحافي",
         "المؤتمر الصحفي", "مؤتمر صحافي مشترك", "المؤتمر الصحافي المشترك"),
    ),
    (
        "host",
        ("استقبل", "استقبلت", "يستقبل", "تستقبل", "سيستقبل", "استضاف", "استضافت", "يستضيف"),
        ("استقبال",),
    ),
    (
        "meeting",
        ("التقى", "التقت", "التقيا", "يلتقي", "تلتقي", "سيلتقي", "ستلتقي", "اجتمع", "اجتمعت",
         "اجتمعا", "يجتمع", "سيجتمع", "بحث", "بحثت", "بحثا", "بحثنا", "يبحث", "سيبحث", "ناقش",
         "ناقشت", "ناقشا", "ناقشنا", "يناقش", "تباحث", "تباحثا", "عقد", "عقدا", "يعقد", "سيعقد"),
        ("لقاء", "اللقاء", "لقائه", "اجتماع", "الاجتماع", "اجتماعا", "مباحثات", "المباحثات",
         "محادثات", "المحادثات", "مشاورات", "المشاورات", "قمة", "القمة"),
    ),
    (
        "visit",
        ("زار", "زارت", "يزور", "تزور", "سيزور", "ستزور", "وصل", "وصلت", "يصل", "تصل", "سيصل",
         "ستصل", "توجه", "يتوجه", "سيتوجه", "غادر", "يغادر"),
        ("زيارة", "الزيارة", "زيارة رسمية", "زيارة عمل", "جولة"),
    ),
    (
        "agreement",
        ("وقع", "وقعا", "وقعت", "يوقع", "سيوقع", "ستوقع", "اتفق", "اتفقت", "اتفقا", "يتفق",
         "ابرم", "ابرمت"),
        ("مذكرة تفاهم", "مذكرات تفاهم", "مذكرات التفاهم", "مذكرة التفاهم", "اتفاقية",
         "اتفاقيات", "الاتفاقية", "الاتفاقيات", "اتفاق", "الاتفاق", "توقيع", "التوقيع",
         "توقيعها", "توقيعهما"),
    ),
    (
        "negotiation",
        ("تفاوض", "يتفاوض", "تتفاوض", "نتفاوض", "تفاوضت", "يفاوض", "تفاوضنا"),
        ("مفاوضات", "المفاوضات"),
    ),
    (
        "announcement",
        ("اعلن", "اعلنت", "يعلن", "تعلن", "كشف", "كشفت"),
        ("الاعلان", "اعلان"),
    ),
    (
        "statement",
        ("قال", "قالت", "يقول", "اكد", "اكدت", "يؤكد", "اعرب", "اعربت", "اشار", "اشارت", "اوضح",
         "اوضحت", "اضاف", "اضافت", "شدد", "شددت", "ابدى", "ابدت", "اشاد", "اشادت", "اعتبر",
         "اعتبرت", "ذكر", "ذكرت", "صرح", "صرحت", "لفت", "لفتت", "نوه", "دعا", "دعت", "شكر",
         "شكرت", "تابع", "تابعت", "حذر", "حذرت", "رحب", "رحبت", "ندد", "جدد", "جددت", "استعرض",
         "مشيرا", "مشيرة", "منوها", "مؤكدا", "مؤكدة", "مشددا", "لافتا", "معربا", "مضيفا",
         "موضحا", "معتبرا", "داعيا", "اعتبر", "تحدث", "وصف", "بين"),
        (),
    ),
)  # fmt: skip

#: Types that report words; their content may carry an event of its own.
SPEECH = frozenset({"statement", "announcement"})
#: Types of a single sitting, whose date a statement made there inherits.
SITTINGS = frozenset({"meeting", "host", "press_conference", "negotiation"})
#: Types that may merge with each other (README, "How events are merged").
FAMILY = {
    "meeting": "talks",
    "host": "talks",
    "negotiation": "negotiation",
    "press_conference": "press_conference",
    "visit": "visit",
    "agreement": "agreement",
    "statement": "statement",
    "announcement": "announcement",
    "other": "other",
}

TYPE_TITLES_AR = {
    "meeting": "مباحثات",
    "visit": "زيارة",
    "host": "استقبال",
    "statement": "تصريح",
    "press_conference": "مؤتمر صحافي",
    "agreement": "اتفاق",
    "negotiation": "مفاوضات",
    "announcement": "إعلان",
    "other": "حدث",
}

# English title patterns: (occurred, planned); {who} is "A and B", {loc} " in X".
TYPE_TITLES_EN = {
    "meeting": ("{who} hold talks{loc}", "{who} to hold talks{loc}"),
    "visit": ("{who} visits{dest}", "{who} to visit{dest}"),
    "host": ("{who} hold a meeting{loc}", "{who} to hold a meeting{loc}"),
    "statement": ("Statement by {who}{loc}", "Statement by {who}{loc}"),
    "press_conference": (
        "{who} hold a press conference{loc}",
        "{who} to hold a press conference{loc}",
    ),
    "agreement": ("Agreement: {who}{loc}", "Agreement to be signed: {who}{loc}"),
    "negotiation": ("{who} in negotiations{loc}", "{who} to hold negotiations{loc}"),
    "announcement": ("Announcement by {who}{loc}", "Announcement by {who}{loc}"),
    "other": ("{who}{loc}", "{who}{loc}"),
}

# Titles for events that name no registered official: the type alone.
TYPE_NOUNS_EN = {
    "meeting": "Talks",
    "visit": "Visit",
    "host": "Meeting",
    "statement": "Statement",
    "press_conference": "Press conference",
    "agreement": "Agreement",
    "negotiation": "Negotiations",
    "announcement": "Announcement",
    "other": "Event",
}

#: Places named in articles (folded) -> English, for locations and titles.
PLACES = {
    "موسكو": "Moscow", "بغداد": "Baghdad", "واشنطن": "Washington", "طهران": "Tehran",
    "دمشق": "Damascus", "انقره": "Ankara", "الرياض": "Riyadh", "القاهره": "Cairo",
    "بيروت": "Beirut", "الدوحه": "Doha", "ابوظبي": "Abu Dhabi", "بكين": "Beijing",
    "باريس": "Paris", "لندن": "London", "برلين": "Berlin", "غنيف": "Geneva",
    "نيويورك": "New York", "سوتشي": "Sochi", "اربيل": "Erbil", "البصره": "Basra",
    "اسطنبول": "Istanbul", "فيينا": "Vienna", "بروكسل": "Brussels", "روما": "Rome",
    "مدريد": "Madrid", "طوكيو": "Tokyo", "الرباط": "Rabat", "مسقط": "Muscat",
    "المنامه": "Manama", "الخرطوم": "Khartoum", "كييف": "Kyiv", "مينسك": "Minsk",
    "اسلام اباد": "Islamabad", "نيودلهي": "New Delhi", "سانت بطرسبورغ": "Saint Petersburg",
}  # fmt: skip
COUNTRY_NAMES_EN = {
    "IQ": "Iraq", "RU": "Russia", "US": "the United States", "SY": "Syria", "IR": "Iran",
    "TR": "Turkey", "SA": "Saudi Arabia", "EG": "Egypt", "JO": "Jordan", "KW": "Kuwait",
    "AE": "the United Arab Emirates", "QA": "Qatar", "LB": "Lebanon", "CN": "China",
    "FR": "France", "GB": "the United Kingdom", "DE": "Germany", "UA": "Ukraine",
}  # fmt: skip


def _words_pattern(words: Iterable[str], suffixes: str = "") -> str:
    folded = sorted({_f(w) for w in words}, key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in folded) + suffixes


def _noun_forms(noun: str) -> str:
    """A noun with its plural and possessive forms: زيارة, زيارات, زيارته, لقائه."""
    folded = _f(noun)
    body = r"\s+".join(map(re.escape, folded.split()))
    if folded.endswith("ه"):  # ta marbuta: زياره, زيارات, زيارته
        return body[:-1] + "(?:ه|ات|ت(?:ه|ها|هم|هما))"
    return body + "(?:ات|ه|ها|هم|هما)?"


_NOUNS = frozenset(_f(n) for _, _, nouns in TRIGGERS for n in nouns)
_POSSESSIVE = re.compile(r"(?:ه|ها|هم|هما)$")


def _possessed(word: str) -> bool:
    """ "زيارته", "لقائه": a noun with a possessive suffix (not the noun itself)."""
    word = " ".join(word.split())
    return word not in _NOUNS and bool(_POSSESSIVE.search(word)) and not word.endswith("ات")


def _trigger_pattern() -> re.Pattern[str]:
    groups = []
    for index, (_, verbs, nouns) in enumerate(TRIGGERS):
        if verbs:
            groups.append(f"(?P<v{index}>{_words_pattern(verbs)})")
        if nouns:
            forms = sorted({_noun_forms(n) for n in nouns}, key=lambda f: (-len(f), f))
            groups.append(f"(?P<n{index}>{'|'.join(forms)})")
    return re.compile(r"(?<![\w])(?P<pre>[وف]?(?:ل|ب|ك|لل)?)(?:" + "|".join(groups) + r")(?![\w])")


_TRIGGER = _trigger_pattern()
# Where the content of a reporting verb starts: "أن", "إنه", ":", a quotation,
# "إلى" after "أشار", "عن" after "أعرب".
_CONTENT = re.compile(
    r"(?<![\w])(?:ب?ان(?:ه|ها|هم|هما|نا|ني)?|الي\s+ان(?:ه|ها)?)(?![\w])|:|[“«\"]|(?<![\w])(?:الي|عن)(?![\w])"
)
_CONTENT_PRONOUN = re.compile(r"^(?:ب?ان(?:ه|ها|هم|هما|نا|ني)|الي\s+ان(?:ه|ها))(?![\w])")
_FRAME = re.compile(r"(?:خلال|اثناء|غضون|ختام|مستهل|هامش|عقب|قبيل|بعد|اعقاب)\s+$")
# Words without which a sentence names no exact day (for the article's anchor).
_EXACT_DAY_WORDS = re.compile(
    r"\d|امس|البارحه|اليوم|الاثنين|الثلاثاء|الاربعاء|الخميس|الغمعه|السبت|الاحد|"
    r"يناير|فبراير|مارس|ابريل|ايريل|مايو|ماي|يونيو|يونيه|يوليو|يوليوز|اغسطس|غشت|سبتمبر|شتنبر|"
    r"اكتوبر|نوفمبر|نونبر|ديسمبر|دغنبر|كانون|شباط|اذار|نيسان|ايار|حزيران|تموز|(?<![\w])اب(?![\w])|ايلول|تشرين"
)
_IN = re.compile(r"(?<![\w])في\s+$")
_PURPOSE = re.compile(r"(?:لاغراء|لعقد|بهدف|اغل|لغرض)\s+$")
_DEMONSTRATIVE = re.compile(r"(?:هذه|هذا|تلك|ذلك|نفس)\s+$")
_FUTURE = re.compile(
    r"(?<![\w])[وف]?(?:س[يتن](?!ياس|اس|ناريو|رغي|طر|اد|ار|ول|ده|ين|ن[وه]|وات)\w{2,}|سوف|من\s+المقرر|"
    r"من\s+المتوقع|من\s+المنتظر|من\s+المرتقب|المرتقب\w*|مرتقب\w*|المزمع\w*|يعتزم|تعتزم|يعتزمان|"
    r"قريبا|في\s+وقت\s+قريب|في\s+المستقبل\s+القريب|المقبل\w*|القادم\w*|نتمني|نامل|يتوقع|تتوقع|"
    r"يرتقب|ينتظر|سيتم)(?![\w])"
)
_PLANNED_START = re.compile(r"^\W*(?:علي|على)\s+ان(?![\w])")
_PLUPERFECT = re.compile(r"(?<![\w])[وف]?(?:كان|كانت)\s+(?:\S+\s+){0,6}?قد(?![\w])")
_PAST_PERFECT = re.compile(_PLUPERFECT.pattern + r"|(?<![\w])[وفل]?قد\s+(?![يتن])")
# A title right after these words is part of a longer one ("نائب رئيس الوزراء").
_DEPENDENT = re.compile(
    r"(?<![\w])[وف]?(?:نايب|مساعد|مستشار|وكيل|مبعوث|سكرتير|مدير|مكتب|باسم|مندوب|ممثل)\s*,?\s*$"
)
_BACKGROUND = re.compile(
    r"^\W*(?:[وف]?(?:يشار|يذكر|تذكر|كان|كانت|سبق)|[وف]?في\s+وقت\s+سابق)(?![\w])"
)
_TOPIC_BEFORE = frozenset(
    _f(w)
    for w in str.split(
        "جهود لجهود بجهود قبل دعوة بدعوة بشأن حول سياسة سياسات موقف مواقف إدارة عهد حكومة "
        "قرار قرارات خطة مبادرة اغتيال مقتل وفاة رحيل عن تصريحات انتقادات ضد اتهامات"
    )
)
# After a reporting verb, a word that names who spoke without naming an official:
# the speaker is then not the person last named.
_NOT_A_PERSON = frozenset(
    _f(w)
    for w in str.split(
        "بيان البيان مصدر مصادر وكالة صحيفة وزارة الوزارة سفارة السفارة الحكومة حكومة الكرملين "
        "مكتب المكتب الخارجية البيت الرئاسة المتحدث الناطق"
    )
)
_SELF_SUBJECT = re.compile(
    r"(?<![\w])(?:بلاده|بلادها|بلادنا|البلدين|البلدان|الغانبان|الغانبين)(?![\w])"
)
_RELATIVE = re.compile(
    r"(?<![\w])[وفبل]?(?:(?P<peer>نظير(?:ه|ها|يه|يهما|تها|ته))\s+(?P<peer_nat>\w+)"
    r"|(?P<side>(?:ال)?غانب)\s+(?P<side_nat>\w+)"
    r"|(?P<office>(?:ال)?(?:وزيره|وزير|رييس|سفيره|سفير|مبعوث))(?:\s+(?P<office_nat>\w+))?"
    r"(?:\s+(?P<office_more>\w+))?)"
)
_PLACE = re.compile(
    r"(?<![\w])[وف]?(?:(?:في|الي)\s+|[لب])(?P<place>"
    + _words_pattern(PLACES)
    + r")(?![\w])(?!\s*:)"
)
_DESTINATION = re.compile(
    r"(?<![\w])(?:الي\s+|ل)(?P<country>" + _words_pattern(COUNTRY_WORDS) + r")(?![\w])"
)
_WORD = re.compile(r"\w+")
_STOP = frozenset(
    _f(w)
    for w in str.split(
        "في من على الى إلى عن مع أن ان إن انه انها قد لقد كان كانت هذا هذه ذلك تلك التي الذي "
        "خلال بعد قبل حول بشأن اليوم أمس غدا يوم أو ثم لا لم لن ما بين عبر أثناء تجاه نحو حيث "
        "منذ كما وقال قال أكد أشار أوضح أضاف وأضاف وأكد وأشار هو هي هم نحن العراق روسيا موسكو "
        "بغداد بلاده البلدين الجانب الجانبين الوزير وزير الخارجية الروسي العراقي جميع كل "
        "أيضا مشيرا منوها الأربعاء الاربعاء"
    )
)


# --- records ---------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One happening as one clause tells it, before merging."""

    article: Article
    sentence: Span  # cited
    clause: Span
    paragraph: int
    type: str
    status: str
    date: EventDate
    origin: str  # how the date was found: own, frame, earlier, article, publication
    officials: tuple[str, ...]
    speaker: str | None
    location: str | None
    words: frozenset[str]  # content stems, for "similar wording"
    gist: str = ""  # the first words of what was said, for a statement's title
    role: str = "main"  # main, frame ("خلال مؤتمر صحافي") or purpose ("لإجراء مباحثات")
    order: int = 0  # position in the article


@dataclass
class _Context:
    """What a reader of one article remembers: who was named, who spoke."""

    introduced: set[str] = field(default_factory=set)
    recent: list[str] = field(default_factory=list)  # most recent last
    subject: str | None = None
    told: set[str] = field(default_factory=set)  # type families already reported

    def saw(self, official_ids: Iterable[str]) -> None:
        for official_id in official_ids:
            if official_id in self.recent:
                self.recent.remove(official_id)
            self.recent.append(official_id)


@dataclass(frozen=True)
class _Trigger:
    type: str
    start: int  # in the folded clause
    end: int
    verb: bool
    role: str  # main, frame, purpose
    definite: bool = False  # "اللقاء", "المؤتمر الصحافي": maybe one already told


# --- extraction ----------------------------------------------------------------------


def extract(articles: Iterable[Article], registry: Registry) -> list[Event]:
    """Every event the articles report, merged across sentences and articles."""
    candidates = [
        c
        for article in sorted(articles, key=lambda a: a.id)
        for c in candidates_of(article, registry)
    ]
    return name_events(merge(candidates), registry)


def candidates_of(article: Article, registry: Registry) -> list[Candidate]:
    """The happenings of one article, clause by clause, in reading order."""
    context = _Context()
    found: list[Candidate] = []
    anchor = _article_anchor(article)
    for number, paragraph in enumerate(paragraphs(article.body)):
        for sentence in sentences(paragraph.text):
            sentence = Span(
                paragraph.start + sentence.start, paragraph.start + sentence.end, sentence.text
            )
            for clause in clauses(sentence):
                found.extend(
                    _read_clause(
                        article, sentence, clause, number, registry, context, found, anchor
                    )
                )
    return [replace(c, order=i) for i, c in enumerate(found)]


def _article_anchor(article: Article) -> tuple[EventDate, bool] | None:
    """The day the article reports: the first exact past day named in its lead,
    or the one exact past day it names. The flag says it came from the lead.

    Read no further than needed: the lead's first such day settles it, and
    so do two different days after a lead that names none.
    """
    later: list[tuple[dt.date, str]] = []
    for number, paragraph in enumerate(paragraphs(article.body)):
        for sentence in sentences(paragraph.text):
            if not _EXACT_DAY_WORDS.search(match_fold(sentence.text).text):
                continue  # nothing that could name an exact day: spare the date engine
            for expression in find_dates(sentence.text, article.published):
                if not (
                    expression.resolved
                    and expression.precision == "day"
                    and not expression.approximate
                    and article.published - dt.timedelta(days=7)
                    <= expression.value  # type: ignore[operator]
                    <= article.published
                ):
                    continue
                if number == 0:
                    return _anchor(article, expression.value, expression.text), True  # type: ignore[arg-type]
                later.append((expression.value, expression.text))  # type: ignore[arg-type]
                if expression.value != later[0][0]:
                    return None  # two days, and none in the lead: no anchor
    if not later:
        return None
    return _anchor(article, *later[0]), False


def _anchor(article: Article, day: dt.date, text: str) -> EventDate:
    origin = (
        f"موروث من «{text}»، اليوم الذي يروي المقال أحداثه (منشور {article.published.isoformat()})"
    )
    return EventDate(day, "day", False, text, origin)


def _read_clause(
    article: Article,
    sentence: Span,
    clause: Span,
    paragraph: int,
    registry: Registry,
    context: _Context,
    earlier: Sequence[Candidate],
    anchor: tuple[EventDate, bool] | None,
) -> list[Candidate]:
    folding = match_fold(clause.text)
    folded = folding.text
    to_folded = _ToFolded(folding.origin)
    triggers = _triggers(folded)
    named = registry.find(clause.text, article.published, context.introduced)
    if not triggers:
        context.introduced.update(m.official for m in named if m.how in ("name", "alias"))
        context.saw(m.official for m in named)
        return []
    parts = _parts(folded, triggers)
    expressions = _expressions(clause.text, named, folding.origin, parts, to_folded, article)
    on = next((e.value for e in expressions if not e.approximate), None) or article.published
    if on != article.published:  # titles name whoever held them on the event's day
        named = registry.find(clause.text, on, context.introduced)  # type: ignore[arg-type]
    mentions = [Mention(m.official, to_folded[m.start], to_folded[m.end], m.how) for m in named]
    mentions = _with_relative(folded, mentions, registry, on, context)  # type: ignore[arg-type]
    context.introduced.update(m.official for m in mentions if m.how in ("name", "alias"))
    made: list[Candidate] = []

    def candidate(
        event_type: str,
        lo: int,
        hi: int,
        officials: Iterable[str],
        speaker: str | None,
        status: str,
        gist_at: int | None = None,
        role: str = "main",
    ) -> Candidate:
        usable = expressions
        if event_type in SPEECH:  # words said now about "soon" are not dated "soon"
            usable = [e for e in expressions if e.direction != "future"]
        date, origin = _own_date(usable, lo, hi, article)
        place = _location(folded, lo, hi, event_type)
        return Candidate(
            article=article,
            sentence=sentence,
            clause=clause,
            paragraph=paragraph,
            type=event_type,
            status=status,
            date=date,
            origin=origin,
            officials=tuple(sorted(set(officials))),
            speaker=speaker,
            location=place,
            words=_stems(
                folded, *((0, len(folded)) if event_type in SPEECH else (lo, hi)), mentions
            ),
            gist=_gist(clause.text, folding.origin[gist_at]) if gist_at is not None else "",
            role=role,
        )

    head, content = parts
    main = head[0] if head else None
    if main is not None and main.type in SPEECH and content is not None:
        speaker = _speaker(folded, main, content[0], mentions, context)
        inner = [t for t in _triggers(folded, content[0]) if t.start >= content[0]]
        inner_events = _events_of(
            folded, inner, content[0], len(folded), mentions, speaker, registry, on, context
        )
        kept = []
        for event_type, lo, hi, officials, status, role in inner_events:
            if event_type in SPEECH:
                speaker = speaker or (officials[0] if officials else None)
                continue
            if officials or any(not e.approximate and lo <= e.start < hi for e in expressions):
                kept.append(candidate(event_type, lo, hi, officials, speaker, status, role=role))
        said_on = next((e for e in expressions if e.start < content[0] and not e.approximate), None)
        if said_on is not None:  # "أعلن حسين امس توقيع مذكرة": done by the day it was told
            words = f"موروث من يوم الإعلان عنه في الجملة نفسها: «{said_on.text}»"
            kept = [
                replace(
                    c,
                    date=EventDate(
                        said_on.value, said_on.precision or "day", False, said_on.text, words
                    ),
                    origin="frame",
                )
                if c.origin == "publication" and c.status == "occurred"
                else c
                for c in kept
            ]
        made.extend(kept)
        frames = _events_of(
            folded,
            [t for t in head if t.role != "main"],
            0,
            content[0],
            mentions,
            speaker,
            registry,
            on,
            context,
        )
        for event_type, lo, hi, officials, status, role in frames:
            if officials:
                made.append(candidate(event_type, lo, hi, officials, None, status, role=role))
        says_self = any(speaker in c.officials for c in kept) or any(c.officials for c in kept)
        told = {
            FAMILY[c.type]
            for c in earlier
            if c.article.id == article.id and c.sentence.start == sentence.start
        }
        if told & _referred(folded, content[0]):
            says_self = True  # "معربا عن قناعته بأن هذه الزيارة …": more on the visit just told
        if speaker and not says_self:
            status = "planned" if _planned(folded[: main.start]) else "occurred"
            made.append(
                candidate(main.type, 0, content[0], (speaker,), speaker, status, content[0])
            )
        if speaker:
            context.subject = speaker
    else:
        events = _events_of(folded, head, 0, len(folded), mentions, None, registry, on, context)
        for event_type, lo, hi, officials, status, role in events:
            if not officials:
                # a happening nobody registered did, told with its own exact
                # date ("وتم الإعلان الأسبوع الماضي عن سحب 500 عنصر"): kept, in
                # the words of the person last speaking
                if event_type == "statement" or not any(
                    not e.approximate and lo <= e.start < hi for e in expressions
                ):
                    continue
                made.append(candidate(event_type, lo, hi, (), context.subject, status, role=role))
                continue
            speaker = officials[0] if event_type in SPEECH else None
            if event_type in SPEECH:
                officials = (officials[0],)
                trigger = next(t for t in head if t.start >= lo)
                status = "planned" if _planned(folded[: trigger.start]) else "occurred"
            made.append(candidate(event_type, lo, hi, officials, speaker, status, role=role))
        if made and made[0].officials:
            context.subject = (
                made[0].speaker
                or _first_official(mentions, 0, len(folded), folded)
                or context.subject
            )
    context.saw(m.official for m in mentions)
    made = [_joint(c, earlier) for c in made]
    context.told.update(FAMILY[c.type] for c in made)
    return [_dated(c, made, earlier, anchor, folded) for c in made]


def _joint(candidate: Candidate, earlier: Sequence[Candidate]) -> Candidate:
    """A joint press conference after talks ("في مؤتمر صحفي مشترك عقب
    المباحثات") has the talks' officials when it names only one."""
    if candidate.type != "press_conference" or len(candidate.officials) > 1:
        return candidate
    if "مشترك" not in match_fold(candidate.clause.text).text:
        return candidate
    for previous in reversed(earlier):
        if (
            previous.article.id == candidate.article.id
            and previous.type in SITTINGS
            and set(candidate.officials) <= set(previous.officials)
        ):
            return replace(candidate, officials=previous.officials)
    return candidate


def _expressions(
    text: str,
    named: list[Mention],
    origin: tuple[int, ...],
    parts: tuple[list[_Trigger], tuple[int, int] | None],
    to_folded: _ToFolded,
    article: Article,
) -> list[Any]:
    """The clause's resolved temporal expressions, in folded offsets. The words
    before a reporting verb's content and the content are read apart: "ستدعم"
    in what was said does not move the day it was said to the future."""
    masked = _masked(text, named)
    cuts = [0, len(text)]
    if parts[1] is not None and parts[0] and parts[0][0].type in SPEECH:
        cuts = [0, origin[parts[1][0]], len(text)]
    found = []
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        # the tense as this module reads it ("سيرغي" is a name, not a future verb)
        future = _planned(match_fold(masked[lo:hi]).text)
        for e in find_dates(masked[lo:hi], article.published, future=future):
            if e.resolved:
                found.append(replace(e, start=to_folded[lo + e.start], end=to_folded[lo + e.end]))
    return found


def _masked(text: str, mentions: list[Mention]) -> str:
    """``text`` with officials' names blanked (same length), so that a name
    is never read as a word of time ("سيرغي" is not a future verb)."""
    if not mentions:
        return text
    chars = list(text)
    for mention in mentions:
        chars[mention.start : mention.end] = " " * (mention.end - mention.start)
    return "".join(chars)


class _ToFolded:
    """The folded offset of an original offset: the first folded character at
    or after it (``origin`` never decreases, so a binary search finds it)."""

    def __init__(self, origin: tuple[int, ...]):
        self.origin = origin

    def __getitem__(self, offset: int) -> int:
        return bisect.bisect_left(self.origin, offset)


_EXPLAINED = re.compile(r"\s+\w+(?:\s+\w+)?\s+ان(?:ه|ها)?(?![\w])")
_BACK = re.compile(r"(?<![\w])(?:هذه|هذا|تلك|ذلك)\s+")


def _referred(folded: str, start: int) -> set[str]:
    """Type families a part refers back to: "هذه الزيارة", "هذا الاتفاق"."""
    families = set()
    for match in _BACK.finditer(folded, start):
        trigger = _TRIGGER.match(folded, match.end())
        if trigger:
            families.add(FAMILY[TRIGGERS[int((trigger.lastgroup or "v0")[1:])][0]])
    return families


def _triggers(folded: str, start: int = 0) -> list[_Trigger]:
    """Trigger words of a clause (from ``start``), each with its role."""
    found: list[_Trigger] = []
    for match in _TRIGGER.finditer(folded, start):
        name = match.lastgroup or ""
        event_type = TRIGGERS[int(name[1:])][0]
        verb = name.startswith("v")
        if match[name] == "بين" and not _EXPLAINED.match(folded, match.end()):
            continue  # "بين" is "between" unless it is "بيّن فلان أن"
        before = folded[max(0, match.start() - 25) : match.start()]
        role = "main"
        if not verb:
            if _FRAME.search(before) or event_type == "press_conference" and _IN.search(before):
                role = "frame"  # "خلال مؤتمر صحافي", "في مؤتمر صحفي مشترك"
            elif _PURPOSE.search(before) or match["pre"] in ("ل", "لل"):
                role = "purpose"
            elif _DEMONSTRATIVE.search(before) or re.match(
                r"\s+(?:هذه|هذا)(?![\w])", folded[match.end() :]
            ):
                continue  # "هذه الزيارة": a happening already told
            elif _possessed(match[name]):
                continue  # "زيارته": his visit, already told
        definite = not verb and match[name].startswith("ال")
        found.append(_Trigger(event_type, match.start(), match.end(), verb, role, definite))
    return found


def _parts(folded: str, triggers: list[_Trigger]) -> tuple[list[_Trigger], tuple[int, int] | None]:
    """The head's triggers (main first) and, after a reporting verb, where its content starts."""
    main = next((t for t in triggers if t.role == "main"), None)
    if main is None:
        return [t for t in triggers], None
    if main.type in SPEECH:
        for match in _CONTENT.finditer(folded, main.end):
            if match.group() in ("“", "«", '"') and len(folded[match.end() :].split()) < 3:
                continue
            if match.group() in ("الي", "عن") and not _reaches(main, folded):
                continue
            if match.group() == '"':
                close = folded.find('"', match.end())
                if close != -1 and len(folded[match.end() : close].split()) < 3:
                    continue
            head = [
                main,
                *(
                    t
                    for t in triggers
                    if t is not main and t.end <= match.start() and t.role != "main"
                ),
            ]
            return head, (match.start(), len(folded))
        told = next(
            (t for t in triggers if t.start > main.end and t.type not in SPEECH and not t.verb),
            None,
        )
        if (
            told is not None and told.role == "main"
        ):  # "أعلن حسين امس توقيع مذكرة": what was announced
            head = [
                main,
                *(
                    t
                    for t in triggers
                    if t is not main and t.end <= told.start and t.role != "main"
                ),
            ]
            return head, (told.start, len(folded))
        return [main, *(t for t in triggers if t is not main and t.role != "main")], None
    others = [
        t
        for t in triggers
        if t is not main
        and t.type not in SPEECH
        and (t.role != "main" or t.verb and FAMILY[t.type] != FAMILY[main.type])
    ]
    return [main, *others], None


def _reaches(main: _Trigger, folded: str) -> bool:
    """A reporting verb that takes its content after "إلى" or "عن" (أشار إلى، أعرب عن)."""
    word = folded[main.start : main.end]
    return any(
        w in word
        for w in (
            "اشار",
            "لفت",
            "نوه",
            "دعا",
            "اعرب",
            "كشف",
            "اعلن",
            "مشير",
            "منوه",
            "لافت",
            "معرب",
            "تحدث",
        )
    )


def _events_of(
    folded: str,
    triggers: list[_Trigger],
    lo: int,
    hi: int,
    mentions: list[Mention],
    speaker: str | None,
    registry: Registry,
    on: dt.date,
    context: _Context,
) -> list[tuple[str, int, int, tuple[str, ...], str, str]]:
    """(type, start, end, officials, status, role) for each main, frame and purpose trigger."""
    chosen: list[_Trigger] = []
    for trigger in sorted(triggers, key=lambda t: t.start):
        if trigger.definite and trigger.role == "frame" and FAMILY[trigger.type] in context.told:
            continue  # "خلال اللقاء": the meeting already told
        if trigger.role == "main":
            mains = [t for t in chosen if t.role == "main"]
            if mains and (
                not trigger.verb
                or trigger.type in SPEECH
                or any(FAMILY[t.type] == FAMILY[trigger.type] for t in mains)
            ):
                continue  # one act per family; a second verb ("حيث التقى") is another act
            if not trigger.verb and any(t.verb for t in triggers if t.role == "main"):
                continue
        chosen.append(trigger)
    events = []
    subject = (
        [o for o in _participants(mentions, lo, chosen[0].start if chosen else hi, folded)]
        if chosen
        else []
    )
    main_status = None
    for index, trigger in enumerate(chosen):
        end = chosen[index + 1].start if index + 1 < len(chosen) else hi
        start = lo if index == 0 else trigger.start
        inside = _participants(mentions, trigger.start, end, folded)
        if index == 0:
            inside = subject + [o for o in inside if o not in subject]
        if trigger.type == "visit":
            officials = inside if index == 0 else (inside or subject[:1])
        elif trigger.type in SPEECH:
            officials = inside[:1]
        else:
            officials = subject + [o for o in inside if o not in subject] if index else inside
        officials = list(dict.fromkeys(officials))
        if speaker and _includes_speaker(folded, lo, trigger, officials, speaker, registry, on):
            officials = [speaker, *(o for o in officials if o != speaker)]
        if trigger.role == "purpose" and main_status is not None:
            status = main_status
        else:
            status = (
                "planned"
                if _planned(folded[lo if index == 0 else trigger.start : end], folded, lo)
                else "occurred"
            )
        if index == 0:
            main_status = status
            if not subject and trigger.verb:
                subject = officials[:1]  # verb first, then its subject: "يتوجه بلينكن"
        for group in _partner_groups(folded, trigger, end, officials, mentions):
            events.append((trigger.type, start, end, tuple(group), status, trigger.role))
    return events


def _partner_groups(
    folded: str, trigger: _Trigger, end: int, officials: list[str], mentions: list[Mention]
) -> list[list[str]]:
    """ "مباحثات مع لافروف ومع بوريسوف" is two sittings: one per "ومع" partner."""
    if FAMILY[trigger.type] != "talks" or len(officials) < 3:
        return [officials]
    cuts = [m.start() for m in re.finditer(r"(?<![\w])ومع(?![\w])", folded[trigger.end : end])]
    if not cuts:
        return [officials]
    cuts = [trigger.end + c for c in cuts]
    bounds = [trigger.end, *cuts, end]
    groups: list[list[str]] = []
    in_span = {o for m in mentions if trigger.end <= m.start < end for o in [m.official]}
    base = [o for o in officials if o not in in_span]
    for a, b in zip(bounds, bounds[1:], strict=False):
        partners = [m.official for m in mentions if a <= m.start < b and m.official in officials]
        if partners:
            groups.append(list(dict.fromkeys(base + partners)))
    return groups or [officials]


def _includes_speaker(
    folded: str,
    lo: int,
    trigger: _Trigger,
    officials: list[str],
    speaker: str,
    registry: Registry,
    on: dt.date,
) -> bool:
    """Does a happening told in someone's words involve the speaker?

    Yes when its subject is the speaker: a pronoun ("أنه بحث"), a first-person
    verb ("بحثنا"), "بلاده" or the two sides ("البلدان"), or the speaker's own
    country ("أن العراق يتفاوض"); or when it names nobody and no foreign actor.
    """
    if speaker in officials:
        return False
    before = folded[lo : trigger.start]
    word = folded[trigger.start : trigger.end]
    if word.endswith("نا") or _CONTENT_PRONOUN.match(before.lstrip()) and len(before.split()) <= 3:
        return True
    if not officials and any(
        w.endswith("نا") and len(w) >= 5 and w not in ("لدينا", "علينا", "الينا")
        for w in before.split()
    ):
        return True  # "تطرقنا … ونتمنى أن يتم التوقيع": we
    if _SELF_SUBJECT.search(before):
        return True
    country = registry[speaker].country
    named = [COUNTRY_WORDS.get(w) or nationality(w) for w in _WORD.findall(before)]
    named = [c for c in named if c]
    if named and named[0] == country:
        return True
    return not officials and not named and len(before.split()) <= 2


def _participants(mentions: list[Mention], lo: int, hi: int, folded: str) -> list[str]:
    """Officials named in folded ``[lo, hi)``, in order, leaving out those named as a topic."""
    found = []
    previous_end = -10
    previous_official = None
    for mention in mentions:
        if not lo <= mention.start < hi:
            continue
        if mention.official == previous_official and mention.start - previous_end <= 3:
            previous_end = mention.end
            continue  # title then name of the same person
        previous_official, previous_end = mention.official, mention.end
        words = folded[max(0, mention.start - 30) : mention.start].split()
        if any(w in _TOPIC_BEFORE or w.lstrip("ول") in _TOPIC_BEFORE for w in words[-2:]):
            continue
        found.append(mention.official)
    return list(dict.fromkeys(found))


def _first_official(mentions: list[Mention], lo: int, hi: int, folded: str) -> str | None:
    found = _participants(mentions, lo, hi, folded)
    return found[0] if found else None


def _speaker(
    folded: str, main: _Trigger, content: int, mentions: list[Mention], context: _Context
) -> str | None:
    """Who says the words: an official named before the content, else the person
    last spoken of, unless a non-person ("بيان", "روسيا") follows the verb."""
    named = _participants(mentions, 0, content, folded)
    if named:
        return named[0]
    following = folded[main.end : content].split()
    if following:
        word = following[0]
        if (
            word in _NOT_A_PERSON
            or word.lstrip("وب") in _NOT_A_PERSON
            or word in COUNTRY_WORDS
            or is_title_head(word)  # "وصرح السفير بسام راضي": someone not registered
        ):
            return None
    return context.subject


def _with_relative(
    folded: str,
    mentions: list[Mention],
    registry: Registry,
    on: dt.date,
    context: _Context,
) -> list[Mention]:
    """Add officials named by a relative reference: "نظيره الروسي", "الوزير
    الروسي", "الجانب الروسي", "الوزير", "وزير الخارجية" (a title without its
    country). Each is resolved against those named earlier in the clause and
    the article, the most recent first; a reference that fits nobody, that
    is followed by the name itself, or that is part of a longer title ("نائب
    رئيس الوزراء") is left out."""
    if not registry.officials:
        return mentions
    added: list[Mention] = []
    for match in _RELATIVE.finditer(folded):
        start = match.start()
        if any(m.start <= start < m.end or start <= m.start < match.end() for m in mentions):
            continue
        if _DEPENDENT.search(folded, max(0, start - 30), start):
            continue
        before = [m.official for m in mentions if m.start < start]
        recent = [*context.recent, *before]
        resolved, end = _resolve(match, before, recent, registry, on, context)
        if resolved is None:
            continue
        if any(0 <= m.start - end <= 3 for m in mentions) or folded[
            end : end + 6
        ].lstrip().startswith("باسم"):
            continue  # the name follows and says who; or a spokesman "باسم"
        added.append(Mention(resolved, start, end, "reference"))
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda m: (m.start, m.official))


def _resolve(
    match: re.Match[str],
    before: list[str],
    recent: list[str],
    registry: Registry,
    on: dt.date,
    context: _Context,
) -> tuple[str | None, int]:
    if match["peer"]:
        code = nationality(match["peer_nat"])
        anchor = (before[-1] if before else None) or context.subject
        if not code or not anchor:
            return None, 0
        for office in registry.offices(anchor, on):  # the first role listed is the main one
            peers = sorted(set(registry.office_holders(office, code, on)))
            if len(peers) == 1:
                return peers[0], match.end()
        return _latest(recent, registry, code, None), match.end()
    if match["side"]:
        code = nationality(match["side_nat"])
        return (_latest(recent, registry, code, None) if code else None), match.end()
    office, first, second = match["office"], match["office_nat"], match["office_more"]
    bare = office.removeprefix("ال")
    code = nationality(first) if first else None
    if office.startswith("ال") and code:  # "الوزير الروسي"
        return _latest(recent, registry, code, bare), match.end("office_nat")
    if (
        office.startswith("ال")
        and bare in ("وزير", "وزيره", "سفير", "سفيره", "مبعوث")
        and not (first and first.startswith("ال"))
    ):  # "الوزير" alone
        return _latest(recent, registry, None, bare), match.end("office")
    if not office.startswith("ال") and first and first.startswith("ال") and not code:
        if second and (nationality(second) or second in COUNTRY_WORDS):
            return None, 0  # a full title: the registry's business
        return _latest(recent, registry, None, f"{bare} {first}"), match.end("office_nat")
    return None, 0


def _latest(
    recent: list[str], registry: Registry, country: str | None, office: str | None
) -> str | None:
    """The most recently named official of ``country`` whose office starts with ``office``."""
    for official_id in reversed(recent):
        official = registry[official_id]
        if country and official.country != country:
            continue
        if office is None:
            return official_id
        for role in official.roles:
            titles = (role.title_ar, *role.extra_titles)
            if any(office_of(t)[0].removeprefix("ال").startswith(office) for t in titles):
                return official_id
    return None


def _planned(part: str, whole: str | None = None, lo: int = 0) -> bool:
    """Does this part speak of the future, and not of a past perfect?"""
    if _PAST_PERFECT.search(part):
        return False
    if _FUTURE.search(part):
        return True
    return bool(whole is not None and lo == 0 and _PLANNED_START.search(whole))


def _own_date(expressions: list, lo: int, hi: int, article: Article) -> tuple[EventDate, str]:
    """The first temporal expression inside folded ``[lo, hi)`` of the clause (exact ones first)."""
    inside = [e for e in expressions if lo <= e.start < hi]
    inside.sort(key=lambda e: (e.approximate, e.start))
    if inside:
        e = inside[0]
        published = article.published.isoformat()
        origin = f"من «{e.text}» في الجملة، محسوبًا من تاريخ نشر المقال ({published})"
        return EventDate(e.value, e.precision or "day", e.approximate, e.text, origin), "own"
    published = article.published.isoformat()
    origin = f"لا تاريخ في الجملة ولا في سياقها: تاريخ نشر المقال ({published})، تقريبي"
    return EventDate(article.published, "day", True, None, origin), "publication"


def _dated(
    candidate: Candidate,
    siblings: list[Candidate],
    earlier: Sequence[Candidate],
    anchor: tuple[EventDate, bool] | None,
    folded: str,
) -> Candidate:
    """Give a candidate without a date of its own one inherited from its context."""
    if candidate.origin != "publication":
        return _date_status(candidate)
    if candidate.role == "purpose":  # "يتوجه غدا … للقاء": when the act it serves is
        for sibling in siblings:
            if (
                sibling.role == "main"
                and sibling.origin == "own"
                and sibling.clause == candidate.clause
            ):
                # a visit may last days: its purpose is dated with it, approximately
                date = replace(
                    sibling.date, approximate=sibling.date.approximate or sibling.type == "visit"
                )
                what = TYPE_TITLES_AR[sibling.type]
                return _inherit(
                    candidate, date, "frame", f"موروث من الحدث الذي يخدمه في الجملة نفسها ({what})"
                )
    if candidate.status == "planned":
        return candidate
    for sibling in siblings:  # a frame of the same sentence: "خلال المؤتمر الصحافي"
        if (
            sibling is not candidate
            and sibling.role == "frame"
            and sibling.origin == "own"
            and sibling.type in SITTINGS
        ):
            return _inherit(
                candidate,
                sibling.date,
                "frame",
                f"موروث من {TYPE_TITLES_AR[sibling.type]} المذكور في الجملة نفسها",
            )
    background = bool(_BACKGROUND.search(folded) or _PLUPERFECT.search(folded))
    if background:
        return candidate
    speech = candidate.type in SPEECH or candidate.speaker is not None
    people = set(candidate.officials) | ({candidate.speaker} if candidate.speaker else set())
    for previous in reversed(earlier):
        if previous.article.id != candidate.article.id or previous.status != "occurred":
            continue
        shares = people & (
            set(previous.officials) | ({previous.speaker} if previous.speaker else set())
        )
        if not shares:
            continue
        if previous.type in SITTINGS or (
            speech
            and previous.type in SPEECH
            and previous.speaker == candidate.speaker
            and previous.speaker in previous.officials  # the speaker's own words, then
        ):
            if previous.origin == "publication":
                return candidate
            what = TYPE_TITLES_AR[previous.type]
            return _inherit(
                candidate,
                previous.date,
                "earlier",
                f"موروث من حدث سابق في المقال نفسه ({what} للمسؤول نفسه)",
            )
    if anchor is not None and (speech or candidate.type in SITTINGS and anchor[1]):
        return _inherit(candidate, anchor[0], "article", anchor[0].origin)
    return candidate


def _inherit(candidate: Candidate, date: EventDate, origin: str, words: str) -> Candidate:
    if date.text:
        words = f"{words}: «{date.text}»"
    return replace(candidate, date=replace(date, origin=words), origin=origin)


def _date_status(candidate: Candidate) -> Candidate:
    """A date of its own on the far side of publication settles the status."""
    date = candidate.date
    if date.approximate:
        return candidate
    published = candidate.article.published
    if (
        date.period[1] < published
        and candidate.status == "planned"
        and candidate.type not in SPEECH
    ):
        return replace(candidate, status="occurred")
    if date.value > published and candidate.status == "occurred" and candidate.type not in SPEECH:
        return replace(candidate, status="planned")
    return candidate


def _location(folded: str, lo: int, hi: int, event_type: str) -> str | None:
    match = _PLACE.search(folded, lo, hi)
    if match:
        return PLACES[" ".join(match["place"].split())]
    if event_type == "visit":
        match = _DESTINATION.search(folded, lo, hi)
        if match:
            return COUNTRY_NAMES_EN.get(COUNTRY_WORDS[" ".join(match["country"].split())])
    return None


_PREFIX = re.compile(r"^(?:[وف])?(?:ال|لل|بال|كال|[بل])?")
_SUFFIX = re.compile(r"(?:ات|ون|ين|يه|ه|ها|هم|هما|ي)$")


def _stems(folded: str, lo: int, hi: int, mentions: list[Mention]) -> frozenset[str]:
    """Content words of folded ``[lo, hi)``, lightly stemmed, for comparing
    wordings. Officials' names and titles are left out: two sentences about
    the same person are not for that reason about the same thing."""
    chars = list(folded[lo:hi])
    for mention in mentions:
        for index in range(max(mention.start, lo), min(mention.end, hi)):
            chars[index - lo] = " "
    stems = set()
    for word in _WORD.findall("".join(chars)):
        if word.isdigit():
            if len(word) >= 2:
                stems.add(word)
            continue
        stem = _stem(word)
        if len(stem) >= 3 and word not in _STOP and stem not in _STOP_STEMS:
            stems.add(stem)
    return frozenset(stems)


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _SUFFIX.sub("", _PREFIX.sub("", word)) if len(word) > 4 else word


# Words every report of a visit shares: reporting verbs, countries and their
# adjectives, the vocabulary itself. They say nothing about *what* was said.
_STOP_STEMS = frozenset(
    _stem(prefix + w)
    for prefix in ("", "و")
    for w in (
        *_STOP,
        *(_f(v) for _, verbs, nouns in TRIGGERS for v in (*verbs, *nouns) if " " not in v),
        *COUNTRY_WORDS,
        *(
            _f(n)
            for n in (
                [
                    "العراقي",
                    "العراقية",
                    "الروسي",
                    "الروسية",
                    "الأمريكي",
                    "بلاده",
                    "بلادها",
                    "دولة",
                    "دول",
                ]
            )
        ),
    )
)


# --- merging ---------------------------------------------------------------------------


def compatible_dates(a: Candidate, b: Candidate) -> bool:
    """Can two dates be the same happening's? Overlapping periods are; an
    approximate date (a fallback, "قريبا", "مؤخرا") is compatible with any date
    within a week on its side of publication, or anywhere ahead for a plan."""
    if a.date.period[0] <= b.date.period[1] and b.date.period[0] <= a.date.period[1]:
        return True
    for vague, other in ((a, b), (b, a)):
        if vague.date.approximate:
            published = vague.article.published
            if vague.status == "planned":
                return other.date.period[1] >= published
            return published - dt.timedelta(days=7) <= other.date.period[0] <= published
    return False


def similar_wording(a: Candidate, b: Candidate) -> bool:
    """At least two shared content stems, making at least a quarter of the
    shorter wording, or including a shared figure ("14 مذكرة", "500 عنصر";
    years are dates, not figures)."""
    shared = a.words & b.words
    figure = any(w.isdigit() and not 1900 <= int(w) <= 2100 for w in shared)
    return len(shared) >= 2 and (figure or len(shared) >= 0.25 * min(len(a.words), len(b.words)))


def same_happening(a: Candidate, b: Candidate) -> bool:
    """The merge rule (README, "How events are merged"):

    same type family and status; compatible dates; the same officials, or one
    official among the other's (so talks Hussein–Lavrov and Hussein–Borisov
    stay two, and so does a bilateral beside a larger sitting); and evidence:
    both dates exact and equal (not for statements), similar wording, the same
    two or more officials, or one person's visit. Statements also need the
    same speaker. Two clauses of one sentence with the same type and officials
    are one happening.
    """
    if FAMILY[a.type] != FAMILY[b.type] or a.status != b.status:
        return False
    if (
        a.article.id == b.article.id
        and a.sentence.start == b.sentence.start
        and a.officials == b.officials
    ):
        return True
    if not compatible_dates(a, b):
        return False
    one, other = sorted((set(a.officials), set(b.officials)), key=len)
    if not one or not one <= other or (len(one) > 1 and one != other):
        return False  # a pair inside a larger sitting is a sitting of its own
    if a.type in SPEECH:
        return a.speaker == b.speaker and similar_wording(a, b)
    exact = not a.date.approximate and not b.date.approximate
    if exact and a.date.iso == b.date.iso:
        return True
    if a.type == "visit" and a.officials == b.officials:
        return True  # one person's visit, told with a vaguer date elsewhere
    return similar_wording(a, b) or (a.officials == b.officials and len(a.officials) >= 2)


def _reach(candidate: Candidate) -> tuple[dt.date, dt.date]:
    """The days a happening compatible with this candidate could fall on."""
    date = candidate.date
    if date.approximate:
        published = candidate.article.published
        if candidate.status == "planned":
            return min(published, date.value), max(published, date.value) + dt.timedelta(days=366)
        return min(published, date.value) - dt.timedelta(days=7), max(published, date.value)
    return date.period


def _months(reach: tuple[dt.date, dt.date]) -> range:
    lo, hi = reach
    return range(lo.year * 12 + lo.month, hi.year * 12 + hi.month + 1)


def _window(candidate: Candidate) -> tuple[dt.date, dt.date]:
    """Days a date compatible with an approximate one (:func:`compatible_dates`)
    must reach: it ends on or after the first and starts on or before the
    second. An exact date's window is its period."""
    lo, hi = candidate.date.period
    if candidate.date.approximate:
        published = candidate.article.published
        if candidate.status == "planned":
            return min(lo, published), dt.date.max
        return min(lo, published - dt.timedelta(days=7)), max(hi, published)
    return lo, hi


_ANY_DAY = (dt.date.min, dt.date.max)

#: What a member brings to its group's :class:`_Bounds`: its :func:`_window`
#: and whether its date is approximate.
Reach = tuple[dt.date, dt.date, bool]


def reach(candidate: Candidate) -> Reach:
    """What ``candidate`` brings to the dates its group admits (:class:`_Bounds`)."""
    return (*_window(candidate), candidate.date.approximate)


class _Bounds:
    """What a date must reach to be compatible with every member of a group.

    An exact member's period and an approximate member's window narrow them;
    a candidate outside them is incompatible with some member, so its group
    is passed over without comparing members one by one.
    """

    __slots__ = ("exact", "approximate")

    def __init__(self) -> None:
        self.exact = self.approximate = _ANY_DAY  # (latest start, earliest end)

    def add(self, member: Candidate) -> None:
        self.add_reach(reach(member))

    def add_reach(self, reach: Reach) -> None:
        """:meth:`add` of a member whose :func:`reach` this is."""
        lo, hi, approximate = reach
        if approximate:
            self.approximate = (max(self.approximate[0], lo), min(self.approximate[1], hi))
        else:
            self.exact = (max(self.exact[0], lo), min(self.exact[1], hi))

    def admit(self, period: tuple[dt.date, dt.date], window: tuple[dt.date, dt.date]) -> bool:
        """Can a candidate with this period and :func:`_window` join?"""
        if period[0] > self.approximate[1] or period[1] < self.approximate[0]:
            return False  # outside an approximate member's window
        return self.exact[1] >= window[0] and self.exact[0] <= window[1]


MergeKey = tuple[str, str, str, int]  # type family, status, official, month
#: A candidate's merge keys, compactly: type family, status, officials, and
#: the first and past-the-last month of its possible dates (``_months``).
MergeSpan = tuple[str, str, tuple[str, ...], int, int]


def merge_span(candidate: Candidate) -> MergeSpan:
    """What :func:`merge_keys` makes a candidate's keys of."""
    months = _months(_reach(candidate))
    family = FAMILY[candidate.type]
    return family, candidate.status, candidate.officials or ("",), months.start, months.stop


def merge_keys(span: MergeSpan) -> list[MergeKey]:
    """The type family, status, official and month of each day a candidate's
    happening could fall on: a group it may join shares one."""
    family, status, people, first, stop = span
    return [(family, status, o, m) for o in people for m in range(first, stop)]


class Merger:
    """The state of :func:`merge`: the groups so far, in the order they were
    made, with what dates each admits (:class:`_Bounds`) and an index of them
    by :func:`merge_keys`. :mod:`generator.remerge` replays a merge on one."""

    def __init__(self) -> None:
        self.groups: list[list[Candidate]] = []
        self.bounds: list[_Bounds] = []
        self.index: dict[MergeKey, list[int]] = {}

    def choose(self, candidate: Candidate, keys: list[MergeKey]) -> int | None:
        """The first group ``candidate`` joins (see :func:`merge`), or None."""
        period, window = candidate.date.period, _window(candidate)
        for number in self.choices(keys):
            if not self.admits(number, period, window):
                continue  # its members' dates rule it out, without looking at them
            group = self.members_of(number)
            if any(same_happening(member, candidate) for member in group) and all(
                compatible_dates(member, candidate) for member in group
            ):
                return number
        return None

    def choices(self, keys: list[MergeKey]) -> list[int]:
        """The groups found under any of ``keys``, in the order they were made."""
        index = self.index
        return sorted({g for key in keys for g in index.get(key, ())})

    def admits(
        self, number: int, period: tuple[dt.date, dt.date], window: tuple[dt.date, dt.date]
    ) -> bool:
        """Whether the dates of group ``number``'s members let a candidate
        with this period and :func:`_window` join (:class:`_Bounds`)."""
        return self.bounds[number].admit(period, window)

    def members_of(self, number: int) -> list[Candidate]:
        """The candidates of group ``number``."""
        return self.groups[number]

    def join(self, number: int | None, candidate: Candidate, keys: list[MergeKey]) -> int:
        """Add ``candidate`` to group ``number``, or to a new group for None;
        the number of its group."""
        number = self.place(number, keys)
        self.add(number, candidate)
        return number

    def place(self, number: int | None, keys: list[MergeKey]) -> int:
        """:meth:`join` but for the member itself: the group ``number`` (a new
        one for None) is found under ``keys`` from now on."""
        if number is None:
            number = len(self.groups)
            self.groups.append([])
            self.bounds.append(_Bounds())
        for key in keys:
            bucket = self.index.setdefault(key, [])
            if not bucket or bucket[-1] != number:
                bucket.append(number)
        return number

    def add(self, number: int, candidate: Candidate) -> None:
        """``candidate`` among the members of group ``number``."""
        self.groups[number].append(candidate)
        self.bounds[number].add(candidate)


def merge(candidates: list[Candidate]) -> list[list[Candidate]]:
    """Group candidates that tell the same happening, in reading order.

    A candidate joins the first group holding a member it is the same
    happening as (:func:`same_happening`) and compatible in date with every
    member. Only groups sharing the type family, the status, an official and
    a month of possible dates are compared, so the work grows with the
    archive, not with its square.
    """
    merger = Merger()
    for candidate in candidates:
        keys = merge_keys(merge_span(candidate))
        merger.join(merger.choose(candidate, keys), candidate, keys)
    return merger.groups


# --- naming ------------------------------------------------------------------------------

_ORIGIN_RANK = {"own": 0, "frame": 1, "earlier": 2, "article": 3, "publication": 4}
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def _best_date(group: list[Candidate]) -> Candidate:
    """The member whose date is surest: exact first, then its own, then the finest."""
    return min(
        group,
        key=lambda c: (
            c.date.approximate,
            _ORIGIN_RANK[c.origin],
            _PRECISION_RANK.get(c.date.precision, 9),
            c.order,
        ),
    )


def name_events(groups: list[list[Candidate]], registry: Registry) -> list[Event]:
    """Events with stable ids (date, officials, type; "-2" … on collision, in
    the order of their first source) and Arabic and English titles."""
    return number_events([name_group(group, registry) for group in groups])


def name_group(group: list[Candidate], registry: Registry) -> Event:
    """The event a group of candidates tells, its id without the number
    :func:`number_events` gives on a collision."""
    group = sorted(group, key=lambda c: (c.article.id, c.sentence.start, c.clause.start))
    dated = _best_date(group)
    officials = tuple(sorted({o for c in group for o in c.officials}))
    event_type = "host" if any(c.type == "host" for c in group) else group[0].type
    location = next((c.location for c in group if c.location), None)
    sources: list[Citation] = []
    for c in [dated, *(c for c in group if c is not dated)]:  # the date's source first
        citation = Citation(
            c.article.id, c.sentence.text, c.sentence.start, c.sentence.end, c.date.text
        )
        if all((s.article, s.start) != (citation.article, citation.start) for s in sources):
            sources.append(citation)
    status = group[0].status
    gist = next((c.gist for c in group if c.gist), "")
    return Event(
        id=_slug(dated.date.iso, officials, event_type, registry),
        date=dated.date,
        status=status,
        type=event_type,
        title_ar=title_ar(event_type, status, officials, location, registry, gist),
        title_en=title_en(event_type, status, officials, location, registry),
        officials=officials,
        location=location,
        sources=tuple(sources),
        speaker=_most_told(c.speaker for c in group if c.speaker),
    )


def number_events(named: list[Event]) -> list[Event]:
    """Events named by :func:`name_group`, the second and later of one id
    numbered ("-2" …) in the order of their date and first source; sorted by
    date and id."""
    named = sorted(
        named, key=lambda e: (e.date.iso, e.id, e.sources[0].article, e.sources[0].start)
    )
    used: dict[str, int] = {}
    events = []
    for event in named:
        used[event.id] = used.get(event.id, 0) + 1
        if used[event.id] > 1:
            event = replace(event, id=f"{event.id}-{used[event.id]}")
        events.append(event)
    return sorted(events, key=lambda e: (e.date.iso, e.id))


def _most_told(values: Iterable[str]) -> str | None:
    """The value told most often, the first told on a tie; None for none."""
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def _slug(date_iso: str, officials: tuple[str, ...], event_type: str, registry: Registry) -> str:
    surnames = [registry[o].id.split("-")[-1] for o in officials[:3]]
    return "-".join([date_iso, *surnames, event_type.replace("_", "-")])


def _join_ar(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return "، ".join(names[:-1]) + " و" + names[-1]


def _join_en(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


_GIST_SKIP = re.compile(
    r"^[\s:،,\"“”«»]*(?:(?:إلى|الى|إلي|الي)\s+)?(?:(?:بأن|بان|أن|ان|إن|أنه|انه|إنه|أنها|انها|عن)\s+)?[\s\"“”«»]*"
)


def _gist(text: str, start: int, words: int = 7) -> str:
    """The first words of what was said, from ``start`` of the clause."""
    said = _GIST_SKIP.sub("", text[start:]).split()
    if not said:
        return ""
    gist = " ".join(said[:words]).strip(' .،,:؛"“”«»()')
    return gist + ("…" if len(said) > words else "")


def title_ar(
    event_type: str,
    status: str,
    officials: tuple[str, ...],
    location: str | None,
    registry: Registry,
    gist: str = "",
) -> str:
    """A short Arabic title: the type and the officials ("مباحثات فؤاد حسين
    وسيرغي لافروف"); for a statement, the first words of what was said."""
    names = _join_ar([registry[o].name_ar for o in officials])
    word = TYPE_TITLES_AR[event_type]
    if event_type in ("statement", "announcement") and gist and names:
        title = f"{names}: {gist}"
    elif event_type in ("statement", "announcement"):
        title = f"{word} {names}" if names else word
    elif event_type == "press_conference":
        title = f"{word} {'مشترك ' if len(officials) > 1 else ''}لـ{names}" if names else word
    else:
        title = f"{word} {names}" if names else word
    if status == "planned":
        title = f"{title} (مرتقب)"
    return title


def title_en(
    event_type: str,
    status: str,
    officials: tuple[str, ...],
    location: str | None,
    registry: Registry,
) -> str:
    """An English title from the type and the officials' English names:
    "Lavrov and Hussein hold a press conference in Moscow"."""
    loc = f" in {location}" if location else ""
    if not officials:
        where = f" to {location}" if location and event_type == "visit" else loc
        planned_word = " (planned)" if status == "planned" else ""
        return f"{TYPE_NOUNS_EN[event_type]}{where}{planned_word}"
    who = _join_en([registry[o].name_en.split()[-1] for o in officials])
    occurred, planned = TYPE_TITLES_EN[event_type]
    pattern = planned if status == "planned" else occurred
    if (
        event_type in ("meeting", "press_conference", "host")
        and len(officials) == 1
        and status != "planned"
    ):
        pattern = pattern.replace("{who} hold", "{who} holds")
    dest = f" {location}" if location else ""
    return pattern.format(who=who, loc=loc, dest=dest)


def with_date(event: Event, day: dt.date) -> Event:
    return replace(event, date=replace(event.date, value=day))
