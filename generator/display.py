"""Dates and numbers as an Arabic reader expects them.

Gregorian months are named as the outlet's region names them (تشرين الثاني in
Iraq and the Levant, نوفمبر in Egypt and the Gulf, نونبر in Morocco), digits
are Arabic-Indic (٢٦) or Latin (26) as the site chooses, and the Hijri date
is given beside the Gregorian one.
"""

from __future__ import annotations

import datetime as dt

from hijridate import Gregorian

from generator.models import EventDate

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
    """"الأربعاء ٢٥ تشرين الثاني ٢٠٢٠", or coarser for coarser precisions."""
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


def hijri_ar(date: EventDate, style: str = "arabic") -> str | None:
    """The Hijri (Umm al-Qura) date, "١٠ ربيع الآخر ١٤٤٢ هـ"; None for a year."""
    if date.precision == "year":
        return None
    try:
        hijri = Gregorian(date.value.year, date.value.month, date.value.day).to_hijri()
    except (OverflowError, ValueError):
        return None  # outside the Umm al-Qura tables (1343-1500 AH)
    month = HIJRI_MONTHS_AR[hijri.month - 1]
    if date.precision in ("month", "week"):
        text = f"{month} {hijri.year} هـ"
    else:
        text = f"{hijri.day} {month} {hijri.year} هـ"
    return digits(text, style)
