"""Dates and numbers as an Arabic reader expects them.

Gregorian months are named as the outlet's region names them (تشرين الثاني in
Iraq and the Levant, نوفمبر in Egypt and the Gulf, نونبر in Morocco), digits
are Arabic-Indic (٢٦) or Latin (26) as the site chooses, and the Hijri date
is given beside the Gregorian one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from hijridate import Gregorian

from generator.arabic import normalize
from generator.models import Article, EventDate

WEEKDAYS_AR = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")

MONTHS_AR = {
    "levant": (
        "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
        "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
    ),
    "egypt": (
        "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
        "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
    ),
    "maghreb": (
        "يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو",
        "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر",
    ),
}  # fmt: skip

HIJRI_MONTHS_AR = (
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
    "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
)  # fmt: skip

HIJRI_MONTHS_EN = (
    "Muharram", "Safar", "Rabi' al-Awwal", "Rabi' al-Thani", "Jumada al-Ula", "Jumada al-Akhira",
    "Rajab", "Sha'ban", "Ramadan", "Shawwal", "Dhu al-Qa'da", "Dhu al-Hijja",
)  # fmt: skip

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def digits(value: object, style: str = "arabic") -> str:
    """``value`` as text, with Arabic-Indic digits when ``style`` is "arabic"."""
    text = str(value)
    return text.translate(_ARABIC_DIGITS) if style == "arabic" else text


def gregorian_ar(date: EventDate, months: str = "levant", style: str = "arabic") -> str:
    """ "الأربعاء ٢٥ تشرين الثاني ٢٠٢٠", or coarser for coarser precisions."""
    day = date.value
    month = MONTHS_AR[months][day.month - 1]
    if date.precision == "year":
        text = f"{day.year}"
    elif date.precision == "month":
        text = f"{month} {day.year}"
    elif date.precision == "week":
        monday = day - dt.timedelta(days=day.weekday())
        text = f"أسبوع {monday.day} {MONTHS_AR[months][monday.month - 1]} {monday.year}"
    else:
        text = f"{WEEKDAYS_AR[day.weekday()]} {day.day} {month} {day.year}"
    return digits(text, style)


def gregorian_en(date: EventDate) -> str:
    day = date.value
    if date.precision == "year":
        return str(day.year)
    if date.precision == "month":
        return f"{MONTHS_EN[day.month - 1]} {day.year}"
    if date.precision == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return f"week of {monday.day} {MONTHS_EN[monday.month - 1]} {monday.year}"
    return f"{day.strftime('%A')} {day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def labeller(english: bool, style: str = "arabic") -> Callable[[EventDate, str], str]:
    """``label(date, months)``: :func:`gregorian_en` or :func:`gregorian_ar`,
    remembered. A label depends on the day, the precision and the month names
    alone: an archive has a few thousand, shown on tens of thousands of pages."""
    known: dict[tuple[dt.date, str, str], str] = {}

    def label(date: EventDate, months: str) -> str:
        key = (date.value, date.precision, months)
        if key not in known:
            known[key] = gregorian_en(date) if english else gregorian_ar(date, months, style)
        return known[key]

    return label


def hijri_en(date: EventDate) -> str | None:
    """The Hijri date for English pages: "10 Rabi' al-Thani 1442 AH"."""
    return hijri_ar(date, "latin", months=HIJRI_MONTHS_EN, era="AH")


def hijri_ar(
    date: EventDate,
    style: str = "arabic",
    months: tuple[str, ...] = HIJRI_MONTHS_AR,
    era: str = "هـ",
) -> str | None:
    """The Hijri (Umm al-Qura) date, "١٠ ربيع الآخر ١٤٤٢ هـ"; None for a year.

    A Gregorian month or week usually straddles two Hijri months, so for those
    precisions both are named ("ربيع الأول – ربيع الآخر ١٤٤٢ هـ") rather than
    pretending the period fits in one.
    """
    if date.precision == "year":
        return None
    first, last = _period(date)
    try:
        start = Gregorian(first.year, first.month, first.day).to_hijri()
        end = Gregorian(last.year, last.month, last.day).to_hijri()
    except (OverflowError, ValueError):
        return None  # outside the Umm al-Qura tables (1343-1500 AH)
    if date.precision == "day":
        text = f"{start.day} {months[start.month - 1]} {start.year} {era}"
    elif (start.year, start.month) == (end.year, end.month):
        text = f"{months[start.month - 1]} {start.year} {era}"
    elif start.year == end.year:
        text = f"{months[start.month - 1]} – {months[end.month - 1]} {end.year} {era}"
    else:
        text = f"{months[start.month - 1]} {start.year} – {months[end.month - 1]} {end.year} {era}"
    return digits(text, style)


def _period(date: EventDate) -> tuple[dt.date, dt.date]:
    """First and last day of the period a date stands for."""
    day = date.value
    if date.precision == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if date.precision == "month":
        first = day.replace(day=1)
        return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    if date.precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    return day, day


# --- the article's region -----------------------------------------------------

#: Month words that only one naming tradition uses, folded as arabic.normalize
#: folds them. The Egyptian/Gulf names are shared with the Maghreb except these.
_LEVANT_WORDS = ("كانون", "شباط", "اذار", "نيسان", "ايار", "حزيران", "تموز", "ايلول", "تشرين")
_MAGHREB_WORDS = ("ماي", "يوليوز", "غشت", "شتنبر", "نونبر", "دجنبر")
_EGYPT_WORDS = ("يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيو", "يوليو", "اغسطس",
                "سبتمبر", "اكتوبر", "نوفمبر", "ديسمبر")  # fmt: skip


def _words(words: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The words anywhere, and as whole words (with or without "ال"). The
    first is searched first: it scans a text in a third of the time, and where
    it finds nothing the second cannot either."""
    alternatives = "|".join(re.escape(normalize(w)) for w in words)
    return re.compile(alternatives), re.compile(rf"(?<![\w])(?:ال)?(?:{alternatives})(?![\w])")


_REGION_PATTERNS = (
    ("levant", *_words(_LEVANT_WORDS)),
    ("maghreb", *_words(_MAGHREB_WORDS)),
    ("egypt", *_words(_EGYPT_WORDS)),
)


def detect_month_names(text: str) -> str | None:
    """The month names an article itself uses, or None if it names no month.

    Levantine and Iraqi outlets often pair both names ("تشرين الثاني/نوفمبر"):
    a Levantine name anywhere decides, then a Maghrebi-only one, then the
    Egyptian/Gulf names. Each article keeps its answer
    (:attr:`models.Article.month_names`).
    """
    folded = normalize(text)
    for region, anywhere, whole in _REGION_PATTERNS:
        first = anywhere.search(folded)
        # A whole word starts where its first occurrence does, or at "ال" before it.
        if first is not None and whole.search(folded, max(0, first.start() - 2)):
            return region
    return None


def month_names_for(article: Article, default: str) -> str:
    """The month names of an article: front matter, else its own words, else the site's."""
    explicit = article.extra.get("month_names")
    if explicit in MONTHS_AR:
        return str(explicit)
    return article.month_names or default
