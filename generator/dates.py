"""Temporal expressions in Arabic news, resolved against the publication date.

:func:`find_dates` returns every expression of time in a text with its span in
the original words, its value (the first day of the period it names), a
precision (``day``, ``week``, ``month``, ``year``), whether it is approximate,
which way it points from the publication date, and, when it cannot be
resolved, why. News is read the way a reader of the article reads it:
"الأربعاء" in a report published on a Thursday is the day before, unless the
clause speaks of the future.

Rules (regular expressions over the folded text of :mod:`generator.arabic`)
find the expressions and resolve the forms whose meaning depends on the
newsroom's conventions (weekdays, "الأسبوع الماضي", month names of every
Arabic-speaking region, the nearest-year rule, Hijri dates). ``dateparser``
is used for the purely numeric fragments the rules find ("25/11/2020",
datelines such as "موسكو - 13 - 2 (كونا)"), where its handling of orders and
two-digit years is right; it is always given the publication date as its base
and never falls back on today. This is the only module that imports it.

The README section "Dates" lists every form and how it is resolved.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import hijridate

from generator.arabic import fold, normalize
from generator.models import period

if TYPE_CHECKING:
    from dateparser.date import DateDataParser


class DateError(ValueError):
    """The only error :func:`find_dates` raises: its arguments are not a text and a date."""


@dataclass(frozen=True)
class TemporalExpression:
    """One expression of time in a text.

    ``value`` is the first day of the period (a week's Monday, a month's 1st,
    a year's 1 January) or None, with ``reason`` saying why, when the words
    cannot be resolved. ``end_value`` is the last day of an explicit range
    ("من 25 إلى 26 تشرين الثاني"); ``conflict`` notes words that disagree
    ("اليوم الأربعاء" in an article published on a Thursday).
    """

    start: int  # span in the original text
    end: int
    text: str
    value: dt.date | None
    precision: str | None  # day, week, month, year
    approximate: bool = False
    direction: str | None = None  # "past", "future" or None (the period holds the publication date)
    reason: str | None = None
    end_value: dt.date | None = None
    hijri: bool = False
    conflict: str | None = None
    kind: str = ""  # the rule that found it: weekday, relative, period, explicit, …

    @property
    def resolved(self) -> bool:
        return self.value is not None


# --------------------------------------------------------------------------
# Vocabulary (folded spellings: see generator.arabic.fold)

WEEKDAYS = {  # Python weekday, Monday = 0
    "الاثنين": 0,
    "الاتنين": 0,
    "الثلاثاء": 1,
    "الثلثاء": 1,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعه": 4,
    "السبت": 5,
    "الاحد": 6,
}

# Month names by region. Names that are also common words ("مارس" practised,
# "اب" father, "ماي") are month names only beside a day, a year or "شهر".
MONTHS: dict[str, int] = {
    # Egypt and the Gulf (from the European names), with common spellings
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "ابريول": 4, "مايو": 5, "يونيو": 6,
    "يونيه": 6, "يوليو": 7, "يوليه": 7, "اغسطس": 8, "اغسطوس": 8, "سبتمبر": 9,
    "سيبتمبر": 9, "اكتوبر": 10, "اوكتوبر": 10, "نوفمبر": 11, "نوفمير": 11,
    "ديسمبر": 12, "دیسمبر": 12, "دسمبر": 12,
    # The Levant and Iraq (Syriac names)
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6,
    "تموز": 7, "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11,
    "كانون الاول": 12,
    # Morocco and Mauritania (from the French names, Moroccan spelling)
    "ماي": 5, "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
    # Algeria and Tunisia (French names)
    "جانفي": 1, "فيفري": 2, "افريل": 4, "جوان": 6, "جويليه": 7, "جويلیه": 7, "اوت": 8,
}  # fmt: skip
_AMBIGUOUS_MONTHS = {"مارس", "اب", "ماي", "اوت"}
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

HIJRI_MONTHS: dict[str, int] = {
    "محرم": 1, "صفر": 2, "ربيع الاول": 3, "ربيع الثاني": 4, "ربيع الاخر": 4,
    "جمادي الاولي": 5, "جمادي الاول": 5, "جمادي الاخره": 6, "جمادي الثانيه": 6,
    "جمادي الاخر": 6, "جمادي الثاني": 6, "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10,
    "ذو القعده": 11, "ذي القعده": 11, "ذو الحجه": 12, "ذي الحجه": 12,
}  # fmt: skip

_PAST_WORDS = ("الماضي", "الماضيه", "المنصرم", "المنصرمه", "الفائت", "الفائته", "السابق", "السابقه")
_NEXT_WORDS = ("المقبل", "المقبله", "القادم", "القادمه", "التالي")
_THIS_WORDS = ("الجاري", "الجاريه", "الحالي", "الحاليه")

_NUMBER_WORDS = {
    "يوم": 1, "يوما": 1, "يومين": 2, "ثلاثه": 3, "اربعه": 4, "خمسه": 5, "سته": 6,
    "سبعه": 7, "ثمانيه": 8, "تسعه": 9, "عشره": 10, "اسبوع": 7, "اسبوعين": 14,
}  # fmt: skip

# Vague words: (direction). Their value is the publication month, approximate.
VAGUE = {
    "قريبا": "future",
    "في وقت قريب": "future",
    "في القريب العاجل": "future",
    "في المستقبل القريب": "future",
    "خلال الايام المقبله": "future",
    "خلال الايام القادمه": "future",
    "في الايام المقبله": "future",
    "في الايام القادمه": "future",
    "خلال الفتره المقبله": "future",
    "في الفتره المقبله": "future",
    "لاحقا": "future",
    "في وقت لاحق": "future",
    "مؤخرا": "past",
    "في وقت سابق": "past",
    "الامس القريب": "past",
    "قبل ايام": "past",
    "منذ ايام": "past",
    "قبل اسابيع": "past",
    "خلال الايام الماضيه": "past",
    "في الايام الماضيه": "past",
    "في الفتره الماضيه": "past",
    "خلال الفتره الماضيه": "past",
}

VAGUE = {normalize(k): v for k, v in VAGUE.items()}

# Whether a clause speaks of the future is decided by the nearest cue before
# the expression in its sentence: a mark of the future (سـ/سوف on a verb,
# من المقرر, على أن, يعتزم, غدا, المقبل …), or a mark of the past (كان, قد +
# past, تم, verbs of reporting, منذ), or the start of a new clause (بعد أن,
# فيما, الذي …), which resets to the past. The future prefix س is only taken
# on a verb: nouns that begin with سي/ست/سن (سياسة, سيارة, ستة, سنة) are not cues.
_FUTURE_WORDS = frozenset(
    ["سوف", "المقرر", "المقرره", "المرتقب", "المرتقبه", "مرتقب", "مرتقبه", "يرتقب", "يتوقع",
     "ينوي", "تنوي", "غدا", "قريبا", "المقبل", "المقبله", "القادم", "القادمه"]
)  # fmt: skip
_FUTURE_PREFIXES = ("يعتزم", "تعتزم")
_FUTURE_PAIRS = frozenset(
    [
        ("من", "المقرر"),
        ("من", "المتوقع"),
        ("من", "المنتظر"),
        ("من", "المزمع"),
        ("علي", "ان"),
        ("بعد", "غد"),
    ]
)
_NOT_VERBS = (
    "سياس",
    "سيار",
    "سياد",
    "سيطر",
    "سيد",
    "سين",
    "سته",
    "ستين",
    "ستون",
    "ستار",
    "سنه",
    "سنو",
    "سنغ",
    "سنت",
)
_PAST_WORDS_CUE = frozenset(["كان", "كانت", "كانوا", "تم", "جري", "جرى", "التقي", "منذ", "امس"])
_PAST_PREFIXES = ("عقد", "قال", "اعلن", "اكد", "اجتمع", "زار", "وصل", "بدا", "ذكر", "الماضي")
_OPENER_WORDS = frozenset(
    ["بعدما", "فيما", "بينما", "حيث", "عندما", "حين", "الذي", "التي", "الذين", "اللذين", "اللتين"]
)
_OPENER_PAIRS = frozenset([("بعد", "ان"), ("قبل", "ان"), ("في", "حين")])
# "أن"/"إن" open a reported clause, except right after a future cue ("من المقرر أن").
_GOVERNING = frozenset(["المقرر", "المتوقع", "المنتظر", "المزمع", "يتوقع", "يرتقب", "ينتظر", "علي"])
_THAT = frozenset(["ان", "وان", "بان", "وبان", "انه", "انها", "وانه", "وانها", "بانه", "بانها"])


def _tense_of(token: str, previous: str) -> str | None:
    """ "future", "past" (a past cue or a new clause) or None for a word that says nothing."""
    before = previous[1:] if len(previous) > 2 and previous[0] in "وف" else previous
    if (before, token) in _FUTURE_PAIRS:
        return "future"
    if (before, token) in _OPENER_PAIRS:
        return "past"
    if token == "قد":
        return "maybe"  # قد + past is past; قد + present ("قد يرتفع") is not
    if token in _THAT:
        return None if before in _GOVERNING else "past"
    word = token[1:] if len(token) > 3 and token[0] in "وف" else token
    if word in _FUTURE_WORDS or word.startswith(_FUTURE_PREFIXES):
        return "future"
    if word in _PAST_WORDS_CUE or word in _OPENER_WORDS or word.startswith(_PAST_PREFIXES):
        return "past"
    if len(word) >= 4 and word[0] == "س" and word[1] in "يتن" and not word.startswith(_NOT_VERBS):
        return "future"
    return None


# --------------------------------------------------------------------------
# Patterns (over folded text)


def _key(words: str) -> str:
    """Words with single spaces, as the vocabularies spell them."""
    return " ".join(words.split())


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


_B = r"(?<!\w)"  # a word starts
_E = r"(?!\w)"  # a word ends
_CLITIC = r"(?:[وف]?(?:ب|ل)?)"  # و ف ب ل before a word
_WD = _alternatives(WEEKDAYS)
_ALL_MONTHS = _alternatives(MONTHS)
_SAFE_MONTHS = _alternatives(m for m in MONTHS if m not in _AMBIGUOUS_MONTHS)
_HIJRI = _alternatives(HIJRI_MONTHS)
_PAST = _alternatives(_PAST_WORDS)
_NEXT = _alternatives(_NEXT_WORDS)
_THIS = _alternatives(_THIS_WORDS)
_TOD = r"(?:صباح|مساء|ظهر|ظهيره|فجر|ليل|ليله|عصر|ضحي|منتصف\s+ليل|نهار)"
_TOD_AFTER = r"(?:\s+(?:صباحا|مساء|ظهرا|عصرا|ليلا|فجرا))?"
_ORDINAL_UNITS = (
    "الاول",
    "الثاني",
    "الثالث",
    "الرابع",
    "الخامس",
    "السادس",
    "السابع",
    "الثامن",
    "التاسع",
)
# "الثالث من ديسمبر", "الحادي والعشرين من الشهر الجاري": ordinal days, only before "من".
ORDINAL_DAYS = {
    **{word: n for n, word in enumerate(_ORDINAL_UNITS, 1)},
    "العاشر": 10, "الحادي عشر": 11, "العشرين": 20, "الثلاثين": 30,
    **{f"{word} عشر": 10 + n for n, word in enumerate(_ORDINAL_UNITS, 1) if n > 1},
    **{f"{w if n > 1 else 'الحادي'} والعشرين": 20 + n for n, w in enumerate(_ORDINAL_UNITS, 1)},
    "الحادي والثلاثين": 31,
}  # fmt: skip
# "الأربعاء الخامس من …": an ordinal day may follow a weekday (one lookbehind per spelling).
_WEEKDAY_BEHIND = "|".join(f"(?<={re.escape(day)}\\s)" for day in WEEKDAYS)
_DAY = (
    rf"(?:(?:ال)?(?P<d>[0-3]?\d)|(?:(?<=في\s)|(?<=يوم\s)|(?<=منذ\s)|(?<=حتي\s)|(?<=تاريخ\s)|(?<=من\s)"
    rf"|{_WEEKDAY_BEHIND})"
    rf"(?P<od>{_alternatives(ORDINAL_DAYS)})(?=\s+من\s))"
)
_DAY_RANGE = r"(?:\s*(?:-|و|الي|حتي)\s*(?:ال)?(?P<d2>[0-3]?\d))?"
_RANGE_START = r"(?:(?:من|بين)\s+(?=(?:ال)?\d{1,2}\s*(?:-|و|الي|حتي)))?"
_YEAR_TAIL = (
    r"(?:\s*[,،]?\s*(?:من\s+)?(?:عام|العام|سنه)?\s*(?P<y>1[89]\d\d|2[01]\d\d)(?:\s*م(?!\w))?)"
)
_MONTH = rf"(?P<m>{_ALL_MONTHS})(?:\s*(?:/|\(|-)\s*(?P<m2>{_ALL_MONTHS})\s*\)?)?"

# "12 يناير من العام الماضي", "5 مايو من هذا العام"
_RELATIVE_YEAR = (
    rf"(?:\s+(?:من\s+)?(?:(?P<this_year>هذا|هذه)\s+(?:ال)?(?:عام|سنه)"
    rf"|(?:ال)?(?:عام|سنه)\s+(?P<yrel>{_PAST}|{_NEXT}|{_THIS})))"
)

# A weekday, optionally after a time of day and "يوم", optionally before an
# explicit date: "مساء الأربعاء"، "يوم الأربعاء الموافق 25 نوفمبر".
_LEAD_WEEKDAY = (
    rf"(?:(?:{_TOD}\s+)?(?:[وف]?يوم\s+)?[وف]?(?P<wd>{_WD})\s*[,،(]?\s*(?:الموافق\s+(?:ل\s*)?)?)"
)

_EXPLICIT = re.compile(
    rf"{_B}(?P<x>{_LEAD_WEEKDAY}?{_RANGE_START}{_DAY}{_DAY_RANGE}"
    rf"\s*(?:من\s+)?(?:شهر\s+)?{_MONTH}(?:{_YEAR_TAIL}|{_RELATIVE_YEAR}|\s+(?P<rel>{_PAST}|{_NEXT}|{_THIS}))?){_E}"
)
_MONTH_ONLY = re.compile(
    rf"{_B}(?P<x>(?:(?P<shahr>{_CLITIC}شهر\s+)|(?P<prep>[وف]?(?:في|خلال|منذ|حتي|مطلع|اوائل|اواخر|منتصف|اواسط"
    rf"|نهايه|بدايه)\s+)|{_CLITIC}){_MONTH}(?:{_YEAR_TAIL}|\s+(?P<rel>{_PAST}|{_NEXT}|{_THIS}))?){_E}"
)
_DAY_OF_PERIOD = re.compile(
    rf"{_B}(?P<x>{_RANGE_START}{_DAY}{_DAY_RANGE}\s+(?:من\s+)?(?:هذا\s+)?(?:ال)?شهر"
    rf"(?:\s+(?P<rel>{_PAST}|{_NEXT}|{_THIS}))?){_E}"
)
_HIJRI_DATE = re.compile(
    rf"{_B}(?P<x>{_DAY}\s+(?:من\s+)?(?:شهر\s+)?(?P<hm>{_HIJRI})(?:\s+(?:الحرام|المبارك|الخير))?"
    rf"(?:\s*[,،]?\s*(?:عام\s+|سنه\s+)?(?P<y>1\d{{3}})(?:\s*(?:ه|هجري|هجريه|للهجره)(?!\w))?)?){_E}"
)
_YEAR = re.compile(
    rf"{_B}(?P<x>(?:(?:[وف]?(?:في|خلال|منذ|حتي|قبل|بعد|مطلع|اوائل|اواخر|منتصف|نهايه|بدايه)\s+)?"
    rf"{_CLITIC}(?:عام|العام|سنه|السنه|للعام|للسنه)\s+(?P<y>1[89]\d\d|2[01]\d\d)(?:\s*م(?!\w))?"
    rf"|[وف]?(?:في|خلال|منذ|حتي|مطلع|نهايه)\s+(?P<y2>19\d\d|20\d\d)(?:\s*م(?!\w))?(?=\s*(?:$|[.,،;:!?)\"”»]|و\s)))){_E}"
)
_PERIOD = re.compile(
    rf"{_B}(?P<x>(?:[وف]?(?:هذا|هذه)\s+(?P<unit0>الاسبوع|الشهر|العام|السنه))"
    rf"|{_CLITIC}(?:ال|ل)(?P<unit>اسبوع|شهر|عام|سنه)\s+(?P<rel>{_PAST}|{_NEXT}|{_THIS})){_E}"
)
_RELATIVE_WORDS = {
    "اليوم": 0, "امس": -1, "الامس": -1, "بالامس": -1, "البارحه": -1, "غدا": 1, "غد": 1,
    "الغد": 1, "اول امس": -2, "اول من امس": -2, "بعد غد": 2, "بعد الغد": 2,
}  # fmt: skip
_RELATIVE = re.compile(
    rf"{_B}(?P<x>(?P<tod>{_TOD}\s+|[وف]?يوم\s+)?[وف]?(?P<word>اول\s+(?:من\s+)?امس|بعد\s+(?:ال)?غد|بالامس|الامس|امس"
    rf"|البارحه|غدا|(?<!المصري\s)(?<!قناه\sروسيا\s)(?<!موقع\sروسيا\s)(?<!شبكه\sروسيا\s)"
    rf"اليوم(?!\s+(?:التالي|السابق|الاول|الثاني|الثالث|الوطني|العالمي|الدولي|الذي|نفسه|ذاته))"
    rf"|(?<=يوم\s)(?:ال)?غد|(?<=[حرلء]\s)(?:ال)?غد)"
    rf"(?:\s+(?:[وف]?يوم\s+)?(?P<wd>{_WD}))?{_TOD_AFTER}){_E}"
)
_WEEKDAY = re.compile(
    rf"{_B}(?P<x>(?:{_TOD}\s+)?(?:[وف]?يوم\s+)?[وفب]?(?P<wd>{_WD})(?:\s+(?P<rel>{_PAST}|{_NEXT}))?{_TOD_AFTER}){_E}"
)
_AGO = re.compile(
    rf"{_B}(?P<x>[وف]?قبل\s+(?:(?P<n>\d{{1,2}}|ثلاثه|اربعه|خمسه|سته|سبعه|ثمانيه|تسعه|عشره)\s+)?"
    rf"(?P<unit>يومين|يوم|ايام|يوما|اسبوعين|اسبوع|اسابيع)){_E}"
)
_VAGUE = re.compile(rf"{_B}(?P<x>[وف]?(?P<word>{_alternatives(VAGUE)})){_E}")
_NUMERIC = re.compile(
    r"(?<![\w/.-])(?P<x>(?:\d{4}(?P<s1>[/.-])\d{1,2}(?P=s1)\d{1,2}|\d{1,2}(?P<s2>[/.-])\d{1,2}(?P=s2)\d{4}"
    r"|\d{1,2}/\d{1,2}/\d{2}))(?![\w/.-]|\.\d)"
)
_DATELINE = re.compile(
    r"(?<![^\n])[^\n\d]{2,40}?\s[-–]\s*(?P<x>(?P<d>[0-3]?\d)\s*[-–/]\s*(?P<m>[01]?\d)(?:\s*[-–/]\s*(?P<y>\d{4}))?)"
    r"\s*[-–]?\s*\(\s*[^()\n\d]{2,20}\)"
)


# --------------------------------------------------------------------------
# The engine


@dataclass(frozen=True)
class _Found:
    start: int  # folded offsets
    end: int
    value: dt.date | None
    precision: str | None
    approximate: bool = False
    direction: str | None = None
    reason: str | None = None
    end_value: dt.date | None = None
    hijri: bool = False
    conflict: str | None = None
    kind: str = ""


@dataclass(frozen=True)
class _Context:
    text: str  # folded
    published: dt.date
    future: bool | None
    anchors: tuple[dt.date, ...]

    @functools.cached_property
    def breaks(self) -> list[int]:
        """Where sentences start (0, then one past each break); no expression crosses a break."""
        text = self.text
        starts = [0]
        for brk in _SEGMENT_BREAK.finditer(text):
            at = brk.start()
            if (
                text[at] == "."
                and 0 < at < len(text) - 1
                and text[at - 1].isdigit()
                and text[at + 1].isdigit()
            ):
                continue  # a decimal point or a date's separator: "1.5", "25.11.2020"
            starts.append(at + 1)
        return starts


def find_dates(
    text: str,
    published: dt.date,
    *,
    future: bool | None = None,
    anchors: Iterable[dt.date] = (),
) -> list[TemporalExpression]:
    """Every temporal expression in ``text``, resolved against ``published``.

    ``future`` overrides the engine's own reading of the clause (True: the
    clause speaks of what will happen). ``anchors`` are dates the same article
    already resolved: a day and month without a year take the year that puts
    them nearest to the publication date or to one of these.

    Raises :class:`DateError` (and nothing else) when ``text`` is not a string
    or ``published`` not a date. Values outside [publication - 100 years,
    publication + 10 years] are returned unresolved, with the reason.
    """
    if not isinstance(text, str):
        raise DateError(f"text must be a str, got {type(text).__name__}")
    if isinstance(published, dt.datetime) or not isinstance(published, dt.date):
        raise DateError(f"published must be a datetime.date, got {type(published).__name__}")
    anchors = tuple(a for a in anchors if isinstance(a, dt.date) and not isinstance(a, dt.datetime))
    folded = fold(text)
    context = _Context(folded.text, published, future, anchors)
    candidates: list[_Found] = []
    triggered: dict[int, list[tuple[int, int]]] = {}
    for word in _WORD.finditer(folded.text):
        for index in _TRIGGERS.get(word.group(), ()):
            triggered.setdefault(index, []).append(word.span())
    for index, rule in enumerate(_RULES):
        if rule.words is not None and index not in triggered:
            continue
        for start, end in _stretches(context, rule, triggered.get(index, [])):
            candidates.extend(rule.find(context, start, end))
    chosen = _non_overlapping(candidates)
    low, high = _window(published)
    out = []
    for found in chosen:
        if found.value is not None and not (low <= found.value <= high):
            reason = f"{found.value.isoformat()} is outside {low.isoformat()}..{high.isoformat()}"
            found = _Found(found.start, found.end, None, None, kind=found.kind, reason=reason)
        start, end = folded.span(found.start, found.end)
        out.append(
            TemporalExpression(
                start,
                end,
                text[start:end],
                found.value,
                found.precision,
                found.approximate,
                found.direction,
                found.reason,
                found.end_value,
                found.hijri,
                found.conflict,
                found.kind,
            )  # fmt: skip
        )
    return out


def _non_overlapping(candidates: list[_Found]) -> list[_Found]:
    """The longest expressions win; "أمس الثلاثاء" is one expression, not two."""
    taken: list[_Found] = []
    used = bytearray(max((f.end for f in candidates), default=0))
    for found in sorted(candidates, key=lambda f: (f.start - f.end, f.start)):
        if used.find(1, found.start, found.end) < 0:
            used[found.start : found.end] = b"\x01" * (found.end - found.start)
            taken.append(found)
    return sorted(taken, key=lambda f: (f.start, f.end))


def _window(published: dt.date) -> tuple[dt.date, dt.date]:
    low = _add_years(published, -100) or dt.date.min
    high = _add_years(published, 10) or dt.date.max
    return low, high


def _add_years(day: dt.date, years: int) -> dt.date | None:
    year = day.year + years
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    if day.month == 2 and day.day == 29 and not _is_leap(year):
        return dt.date(year, 2, 28)
    return day.replace(year=year)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _shift(day: dt.date, days: int) -> dt.date | None:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def _direction(first: dt.date, last: dt.date, published: dt.date) -> str | None:
    if last < published:
        return "past"
    if first > published:
        return "future"
    return None


def _last_day(value: dt.date, precision: str) -> dt.date:
    try:
        return period(value, precision)[1]
    except (OverflowError, ValueError):
        return dt.date.max


def _resolved(
    match: re.Match[str],
    value: dt.date | None,
    precision: str,
    published: dt.date,
    kind: str,
    **kw: object,
) -> _Found:
    start, end = match.span("x")
    if value is None:
        reason = kw.pop("reason", None) or "outside the calendar"
        return _Found(start, end, None, None, reason=reason, kind=kind)  # type: ignore[arg-type]
    kw.pop("reason", None)
    if "direction" not in kw:
        last = kw.get("end_value") or _last_day(value, precision)
        kw["direction"] = _direction(value, last, published)  # type: ignore[arg-type]
    return _Found(start, end, value, precision, kind=kind, **kw)  # type: ignore[arg-type]


def _is_future(context: _Context, position: int) -> bool:
    """Whether the clause that holds ``position`` speaks of the future.

    The words of the sentence before ``position`` are read backwards; the
    first cue met decides (see _tense_of).
    """
    if context.future is not None:
        return context.future
    breaks = context.breaks
    start = breaks[bisect.bisect_right(breaks, position) - 1]
    tokens = _WORD.findall(context.text, start, position)
    for index in range(len(tokens) - 1, -1, -1):
        cue = _tense_of(tokens[index], tokens[index - 1] if index else "")
        if cue == "maybe":  # قد + past verb is past; "قد يرتفع" says nothing
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if following and following[0] not in "يتن":
                return False
        elif cue is not None:
            return cue == "future"
    return False


# ---- weekdays and relative days


def _weekday_near(weekday: int, published: dt.date, mode: str) -> dt.date | None:
    """The given weekday: latest on/before, next on/after, strictly before or after publication."""
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    offset = {
        "on_or_before": -back,
        "on_or_after": ahead,
        "before": -(back or 7),
        "after": ahead or 7,
    }[mode]
    return _shift(published, offset)


def _not_a_weekday(text: str, match: re.Match[str]) -> bool:
    """ "بين الاثنين" and "كلا الاثنين" are "the two"; "الأحد عشر" is eleven."""
    if match["wd"] == "الاحد" and text.startswith(" عشر", match.end("wd")):
        return True
    if match["wd"] in ("الاثنين", "الاتنين") and not match["rel"]:
        before = text[max(0, match.start("x") - 6) : match.start("x")].split()
        return bool(before) and before[-1] in ("بين", "كلا", "هذين")
    return False


def _weekdays(context: _Context, start: int, end: int) -> Iterable[_Found]:
    text = context.text
    for match in _WEEKDAY.finditer(text, start, end):
        if _not_a_weekday(text, match):
            continue
        weekday = WEEKDAYS[match["wd"]]
        rel = match["rel"]
        if rel in _PAST_WORDS:
            value, direction = _weekday_near(weekday, context.published, "before"), "past"
        elif rel in _NEXT_WORDS:
            value, direction = _weekday_near(weekday, context.published, "after"), "future"
        elif _is_future(context, match.start("x")):
            value, direction = _weekday_near(weekday, context.published, "on_or_after"), "future"
        else:
            value, direction = _weekday_near(weekday, context.published, "on_or_before"), "past"
        if value == context.published:
            direction = None
        yield _resolved(match, value, "day", context.published, "weekday", direction=direction)


def _relatives(context: _Context, start: int, end: int) -> Iterable[_Found]:
    for match in _RELATIVE.finditer(context.text, start, end):
        word = _key(match["word"])
        offset = _RELATIVE_WORDS[word]
        value = _shift(context.published, offset)
        conflict = None
        if value is not None and match["wd"]:
            weekday = WEEKDAYS[match["wd"]]
            if weekday != value.weekday():
                named = _shift(value, (weekday - value.weekday() + 3) % 7 - 3)
                conflict = (
                    f"«{word}» is {value.isoformat()}, a {_DAY_NAMES[value.weekday()]},"
                    f" but the text says {_DAY_NAMES[weekday]}; the weekday is kept: {named or '?'}"
                )
                value = named
        yield _resolved(match, value, "day", context.published, "relative", conflict=conflict)


def _ago(context: _Context, start: int, end: int) -> Iterable[_Found]:
    for match in _AGO.finditer(context.text, start, end):
        unit, n = match["unit"], match["n"]
        if unit in ("يومين", "اسبوعين"):
            if n:
                continue  # "قبل 3 يومين" is not Arabic
            days, approximate = _NUMBER_WORDS[unit], unit == "اسبوعين"
        elif unit in ("يوم", "اسبوع"):
            if n:
                continue
            days, approximate = _NUMBER_WORDS[unit], unit == "اسبوع"
        else:  # ايام, يوما, اسابيع need a count; "قبل ايام" is vague
            if not n:
                continue
            count = int(n) if n.isdigit() else _NUMBER_WORDS[n]
            days = count * (7 if unit == "اسابيع" else 1)
            approximate = unit == "اسابيع"
        yield _resolved(
            match, _shift(context.published, -days), "day", context.published, "relative",
            approximate=approximate, direction="past",
        )  # fmt: skip


# ---- periods


def _monday(day: dt.date) -> dt.date | None:
    return _shift(day, -day.weekday())


def _month_shift(year: int, month: int, delta: int) -> dt.date | None:
    index = year * 12 + month - 1 + delta
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    return dt.date(year, month + 1, 1)


def _year_start(year: int) -> dt.date | None:
    return dt.date(year, 1, 1) if dt.MINYEAR <= year <= dt.MAXYEAR else None


def _period(unit: str, rel: str | None, published: dt.date) -> tuple[dt.date | None, str]:
    delta = -1 if rel in _PAST_WORDS else 1 if rel in _NEXT_WORDS else 0
    if unit == "اسبوع":
        monday = _monday(published)
        return (_shift(monday, 7 * delta) if monday else None), "week"
    if unit == "شهر":
        return _month_shift(published.year, published.month, delta), "month"
    return _year_start(published.year + delta), "year"


def _periods(context: _Context, start: int, end: int) -> Iterable[_Found]:
    for match in _PERIOD.finditer(context.text, start, end):
        unit = match["unit"] or match["unit0"][2:]
        unit = "عام" if unit == "سنه" else unit
        value, precision = _period(unit, match["rel"], context.published)
        yield _resolved(match, value, precision, context.published, "period")


def _years(context: _Context, start: int, end: int) -> Iterable[_Found]:
    for match in _YEAR.finditer(context.text, start, end):
        year = int(match["y"] or match["y2"])
        yield _resolved(match, _year_start(year), "year", context.published, "year")


# ---- explicit dates


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest(candidates: Iterable[dt.date], targets: tuple[dt.date, ...]) -> dt.date | None:
    scored = sorted((min(abs((c - t).days) for t in targets), c.toordinal(), c) for c in candidates)
    return scored[0][2] if scored else None


def _day_month(
    context: _Context, position: int, day: int, month: int, rel: str | None
) -> tuple[dt.date | None, str | None]:
    """A day and month without a year: the nearest such date, or the next/last one.

    "الماضي" takes the latest before publication, "المقبل" the first after; a
    future clause the first on or after; otherwise the date nearest the
    publication date (or a date the article already resolved).
    """
    published = context.published
    options = [
        d
        for y in (published.year - 1, published.year, published.year + 1)
        if (d := _date(y, month, day))
    ]
    if not options:
        return None, f"no such day: {day}/{month} in the years around {published.year}"
    if rel in _THIS_WORDS:  # "20 كانون الثاني الجاري": of the current year
        return _date(published.year, month, day), f"no such day: {day}/{month}/{published.year}"
    if rel in _PAST_WORDS:
        return max((d for d in options if d < published), default=None), "no such day before"
    if rel in _NEXT_WORDS:
        return min((d for d in options if d > published), default=None), "no such day after"
    if _is_future(context, position):
        after = [d for d in options if d >= published]
        if after:
            return min(after), None
    return _nearest(options, (published, *context.anchors)), None


def _month_number(match: re.Match[str]) -> tuple[int, str | None]:
    first = MONTHS[_key(match["m"])]
    second = match["m2"]
    conflict = None
    if second is not None and MONTHS[_key(second)] != first:
        conflict = f"the two month names disagree ({match['m']} / {second}); the first is kept"
    return first, conflict


def _day_of(match: re.Match[str]) -> int:
    if match["d"]:
        return int(match["d"])
    return ORDINAL_DAYS[_key(match["od"])]


def _with_range(
    match: re.Match[str], value: dt.date | None, day: int
) -> tuple[dt.date | None, str | None]:
    """The last day of "من 25 إلى 26 …" (None when it is a single day), or why not."""
    if value is None or not match["d2"]:
        return None, None
    last = int(match["d2"])
    if last <= day:
        return None, "a range that ends before it starts"
    end_value = _date(value.year, value.month, last)
    return end_value, (None if end_value else f"no such day: {last}/{value.month}")


def _explicit(context: _Context, start: int, end: int) -> Iterable[_Found]:
    published = context.published
    for match in _EXPLICIT.finditer(context.text, start, end):
        month, conflict = _month_number(match)
        day = _day_of(match)
        if match["y"]:
            value = _date(int(match["y"]), month, day)
            reason = f"no such day: {day}/{month}/{match['y']}"
        elif match["this_year"] or match["yrel"]:
            year = _period("عام", match["yrel"], published)[0]
            value = _date(year.year, month, day) if year else None
            reason = f"no such day: {day}/{month} of that year"
        else:
            value, reason = _day_month(context, match.start("x"), day, month, match["rel"])
        end_value, range_error = _with_range(match, value, day)
        if range_error:
            yield _resolved(match, None, "day", published, "range", reason=range_error)
            continue
        if value is not None and match["wd"] and WEEKDAYS[match["wd"]] != value.weekday():
            named = _DAY_NAMES[WEEKDAYS[match["wd"]]]
            conflict = (
                f"{value.isoformat()} is a {_DAY_NAMES[value.weekday()]}, the text says {named}"
            )
        yield _resolved(
            match, value, "day", published, "range" if end_value else "explicit",
            reason=reason, end_value=end_value, conflict=conflict,
        )  # fmt: skip


def _months(context: _Context, start: int, end: int) -> Iterable[_Found]:
    published = context.published
    this_month = published.replace(day=1)
    for match in _MONTH_ONLY.finditer(context.text, start, end):
        anchored = match["shahr"] or match["y"] or match["rel"] or match["m2"]
        if not anchored and not (match["prep"] and match["m"] not in _AMBIGUOUS_MONTHS):
            continue  # a bare month name: "مارس" is also "he practised"
        month, conflict = _month_number(match)
        rel = match["rel"]
        if match["y"]:
            value = _date(int(match["y"]), month, 1)
        elif rel in _THIS_WORDS:
            value = _date(published.year, month, 1)
        else:
            options = [
                d
                for y in (published.year - 1, published.year, published.year + 1)
                if (d := _date(y, month, 1))
            ]
            if rel in _PAST_WORDS:
                value = max((d for d in options if d < this_month), default=None)
            elif rel in _NEXT_WORDS:
                value = min((d for d in options if d > this_month), default=None)
            elif _is_future(context, match.start("x")):
                value = min((d for d in options if d >= this_month), default=None)
            else:
                value = _nearest(options, (this_month,))
        yield _resolved(match, value, "month", published, "month", conflict=conflict)


def _days_of_period(context: _Context, start: int, end: int) -> Iterable[_Found]:
    for match in _DAY_OF_PERIOD.finditer(context.text, start, end):
        day = _day_of(match)
        month_start = _period("شهر", match["rel"], context.published)[0]
        value = _date(month_start.year, month_start.month, day) if month_start else None
        end_value, range_error = _with_range(match, value, day)
        yield _resolved(
            match, None if range_error else value, "day", context.published, "explicit",
            reason=range_error or f"no such day: {day} of that month", end_value=end_value,
        )  # fmt: skip


def _hijri_dates(context: _Context, start: int, end: int) -> Iterable[_Found]:
    for match in _HIJRI_DATE.finditer(context.text, start, end):
        day, month = _day_of(match), HIJRI_MONTHS[_key(match["hm"])]
        if not match["y"] and match["hm"] == "صفر":
            continue  # "10 صفر" without a year is more often a count than a date
        try:
            if match["y"]:
                value: dt.date | None = _gregorian(hijridate.Hijri(int(match["y"]), month, day))
            else:
                year = hijridate.Gregorian.fromdate(context.published).to_hijri().year
                options = [
                    d for y in (year - 1, year, year + 1) if (d := _hijri_or_none(y, month, day))
                ]
                value = _nearest(options, (context.published,))
        except (ValueError, OverflowError) as error:
            yield _resolved(
                match, None, "day", context.published, "hijri", reason=f"Hijri date: {error}"
            )
            continue
        yield _resolved(
            match, value, "day", context.published, "hijri", hijri=True, reason="no such Hijri day"
        )


def _hijri_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return _gregorian(hijridate.Hijri(year, month, day))
    except (ValueError, OverflowError):
        return None


def _gregorian(day: hijridate.Hijri) -> dt.date:
    g = day.to_gregorian()
    return dt.date(g.year, g.month, g.day)


def _vague(context: _Context, start: int, end: int) -> Iterable[_Found]:
    """Vague words: the publication month, approximate, with the direction.

    "قريبا" and "مؤخرا" say only that the happening is near the publication
    date; a day would be invented, so the value is the month of publication
    at month precision, marked approximate.
    """
    published = context.published
    for match in _VAGUE.finditer(context.text, start, end):
        direction = VAGUE[_key(match["word"])]
        yield _resolved(
            match,
            published.replace(day=1),
            "month",
            published,
            "vague",
            approximate=True,
            direction=direction,
        )


# ---- numeric dates, through dateparser


@functools.lru_cache(maxsize=64)
def _parser(published: dt.date, prefer: str) -> DateDataParser:
    """One parser per publication date: its base is that date, never today.

    dateparser is imported here, on first use: a build whose every article is
    cached never loads it.
    """
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["ar"],
        settings={
            "RELATIVE_BASE": dt.datetime(published.year, published.month, published.day),
            "PREFER_DATES_FROM": prefer,
            "DATE_ORDER": "DMY",  # Arabic news writes the day first
            "REQUIRE_PARTS": ["day", "month"],
        },
    )


@functools.lru_cache(maxsize=1024)
def _parse_numeric(fragment: str, published: dt.date, prefer: str) -> dt.date | None:
    try:
        data = _parser(published, prefer).get_date_data(fragment)
    except (ValueError, OverflowError, TypeError):
        return None
    return data.date_obj.date() if data.date_obj is not None else None


def _numeric(context: _Context, start: int, end: int) -> Iterable[_Found]:
    for match in _NUMERIC.finditer(context.text, start, end):
        fragment = match["x"]
        # "current_period": a full date has no missing part for the preference to fill.
        value = _parse_numeric(fragment, context.published, "current_period")
        yield _resolved(
            match, value, "day", context.published, "explicit", reason=f"no such day: {fragment}"
        )


def _datelines(context: _Context, start: int, end: int) -> Iterable[_Found]:
    for match in _DATELINE.finditer(context.text, start, end):
        fragment = f"{int(match['d'])}/{int(match['m'])}" + (f"/{match['y']}" if match["y"] else "")
        # A dispatch is dated on or before its publication: prefer the past.
        value = _parse_numeric(fragment, context.published, "past")
        yield _resolved(
            match, value, "day", context.published, "dateline", reason=f"no such day: {fragment}"
        )


@dataclass(frozen=True)
class _Rule:
    """A rule and where in a text it can match (a cheap filter before the costly patterns).

    A rule runs only around its trigger ``words`` (with their clitics) or
    around the matches of its ``trigger`` pattern, reaching ``reach`` characters
    before and after them, and never across a sentence break; a rule with
    neither runs over the whole text.
    """

    find: Callable[[_Context, int, int], Iterable[_Found]]
    words: frozenset[str] | None = None
    trigger: re.Pattern[str] | None = None
    reach: tuple[int, int] = (0, 0)


def _stretches(
    context: _Context, rule: _Rule, words: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Where ``rule`` may match in the text: merged stretches around its triggers.

    ``words`` are the spans of the rule's trigger words in the text.
    Each stretch is widened by the rule's reach, kept within its sentence and
    carried to the end of a word, so no match is cut short.
    """
    text = context.text
    if rule.words is None and rule.trigger is None:
        return [(0, len(text))]
    pattern = rule.trigger
    hits = words if pattern is None else [m.span() for m in pattern.finditer(text)]
    if not hits:
        return []
    breaks = context.breaks
    back, ahead = rule.reach
    merged: list[tuple[int, int]] = []
    for first, last in sorted(hits):
        index = bisect.bisect_right(breaks, first) - 1
        sentence_start = breaks[index]
        sentence_end = breaks[index + 1] - 1 if index + 1 < len(breaks) else len(text)
        start = max(sentence_start, first - back)
        end = min(sentence_end, last + ahead)
        space = text.find(" ", end, sentence_end)
        end = sentence_end if space < 0 else space
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _with_clitics(words: Iterable[str]) -> frozenset[str]:
    """Every first word of ``words`` as it may be written with و ف ب ل before it."""
    out: set[str] = set()
    for phrase in words:
        word = phrase.split()[0]
        bare = [word] + ([f"ل{word[2:]}"] if word.startswith("ال") else [])
        for form in bare:
            for clitic in ("", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"):
                out.add(clitic + form)
    return frozenset(out)


_SEGMENT_BREAK = re.compile(r"[!?;\n.]")
_WORD = re.compile(r"\w+")


_MONTH_WORDS = _with_clitics(MONTHS)
_PERIOD_WORDS = _with_clitics(["الاسبوع", "الشهر", "العام", "السنه", "اسبوع", "شهر", "عام", "سنه"])
_RELATIVE_TRIGGERS = _with_clitics(["اليوم", "امس", "الامس", "البارحه", "غدا", "غد", "الغد"])
_VAGUE_TRIGGERS = _with_clitics(phrase.split()[-1] for phrase in VAGUE)
_RULES: tuple[_Rule, ...] = (
    _Rule(_explicit, _MONTH_WORDS, reach=(80, 50)),
    _Rule(_months, _MONTH_WORDS, reach=(30, 45)),
    _Rule(_days_of_period, _PERIOD_WORDS, reach=(40, 25)),
    _Rule(_hijri_dates, _with_clitics(HIJRI_MONTHS), reach=(12, 45)),
    _Rule(_numeric, trigger=re.compile(r"\d[/.-]\d"), reach=(5, 10)),
    _Rule(_datelines, trigger=re.compile(r"\d\s*[-–/]\s*\d"), reach=(50, 30)),
    _Rule(_years, trigger=re.compile(r"\d{4}"), reach=(30, 5)),
    _Rule(_periods, _PERIOD_WORDS, reach=(15, 20)),
    _Rule(_relatives, _RELATIVE_TRIGGERS, reach=(25, 35)),
    _Rule(_weekdays, _with_clitics(WEEKDAYS), reach=(25, 25)),
    _Rule(_ago, _with_clitics(["قبل"]), reach=(5, 30)),
    _Rule(_vague, _VAGUE_TRIGGERS, reach=(35, 5)),
)
# Trigger word -> the rules it triggers, so a text's words are looked up once.
_TRIGGERS: dict[str, tuple[int, ...]] = {}
for _index, _rule in enumerate(_RULES):
    for _word in _rule.words or ():
        _TRIGGERS[_word] = (*_TRIGGERS.get(_word, ()), _index)
