"""The date engine's contract: spans, conflicts, ranges, errors and bounds."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.dates import DateError, find_dates

THURSDAY = dt.date(2020, 11, 26)


def only(text: str, published: dt.date = THURSDAY, **kw: object):
    found = find_dates(text, published, **kw)
    assert len(found) == 1, found
    return found[0]


def test_span_is_in_the_original_text_with_diacritics_and_tatweel() -> None:
    text = "وصل الوزيرُ أمـــس الثُّلاثاء إلى موسكو"
    found = only(text)
    assert text[found.start : found.end] == found.text == "أمـــس الثُّلاثاء"
    assert found.value == dt.date(2020, 11, 24)


def test_weekday_that_contradicts_the_relative_day_is_reported() -> None:
    found = only("أمس الثلاثاء")  # published Thursday: yesterday was Wednesday
    assert found.value == dt.date(2020, 11, 24)
    assert found.conflict and "Tuesday" in found.conflict
    assert only("أمس الأربعاء").conflict is None


def test_explicit_date_with_the_wrong_weekday_is_reported() -> None:
    found = only("الخميس 25 نوفمبر 2020")
    assert found.value == dt.date(2020, 11, 25)
    assert "Wednesday" in (found.conflict or "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("التقى الوزيران الأربعاء", dt.date(2020, 11, 25)),
        ("سيلتقي الوزيران الأربعاء", dt.date(2020, 12, 2)),
        ("من المقرر أن يلتقي الوزيران الأربعاء", dt.date(2020, 12, 2)),
        ("يعتزم الوزير زيارة بغداد الأحد", dt.date(2020, 11, 29)),
        ("على أن يلتقي الوزيران السبت", dt.date(2020, 11, 28)),
        ("الأربعاء المقبل", dt.date(2020, 12, 2)),
        ("الأربعاء القادم", dt.date(2020, 12, 2)),
        ("الخميس المقبل", dt.date(2020, 12, 3)),
        ("الخميس الماضي", dt.date(2020, 11, 19)),
        ("الخميس", THURSDAY),
        ("صباح الأربعاء", dt.date(2020, 11, 25)),
        ("ظهر الاثنين", dt.date(2020, 11, 23)),
        ("كانت السياسة الخارجية محور لقاء الأربعاء", dt.date(2020, 11, 25)),
    ],
)
def test_weekdays(text: str, expected: dt.date) -> None:
    assert only(text).value == expected


def test_future_can_be_given_by_the_caller() -> None:
    assert only("الأربعاء", future=True).value == dt.date(2020, 12, 2)
    assert only("الأربعاء", future=False).value == dt.date(2020, 11, 25)


def test_tense_is_read_per_sentence() -> None:
    found = find_dates("سيزور الوزير بغداد قريبا. والتقى السفير الأربعاء.", THURSDAY)
    assert [e.value for e in found][-1] == dt.date(2020, 11, 25)


def test_anchors_choose_the_year_of_a_date_without_one() -> None:
    assert only("5 فبراير", dt.date(2020, 7, 10)).value == dt.date(2020, 2, 5)
    anchored = only("5 فبراير", dt.date(2020, 7, 10), anchors=[dt.date(2020, 12, 30)])
    assert anchored.value == dt.date(2021, 2, 5)


def test_impossible_day_is_unresolved_with_a_reason() -> None:
    found = only("31 نوفمبر 2020")
    assert not found.resolved and found.precision is None
    assert "no such day" in (found.reason or "")
    assert not only("30 شباط").resolved


def test_range_has_an_end() -> None:
    found = only("من 25 إلى 26 تشرين الثاني")
    assert (found.value, found.end_value) == (dt.date(2020, 11, 25), dt.date(2020, 11, 26))
    assert not only("من 26 إلى 25 تشرين الثاني").resolved


def test_hijri_date_has_its_gregorian_value() -> None:
    found = only("١١ ربيع الآخر ١٤٤٢هـ")
    assert found.hijri and found.value == THURSDAY
    out_of_table = only("11 رمضان 1200هـ")
    assert not out_of_table.resolved and "Hijri" in (out_of_table.reason or "")


def test_month_names_conflict_in_a_dual_form() -> None:
    found = only("10 تشرين الأول/نوفمبر")
    assert found.value == dt.date(2020, 10, 10) and found.conflict


def test_vague_words_are_the_publication_month_approximate() -> None:
    soon, recently = find_dates("سيزور موسكو قريبا بعد أن التقاه مؤخرا", THURSDAY)
    assert (soon.value, soon.precision, soon.approximate, soon.direction) == (
        dt.date(2020, 11, 1), "month", True, "future",
    )  # fmt: skip
    assert (recently.approximate, recently.direction) == (True, "past")


@pytest.mark.parametrize(
    "text",
    [
        "كان هناك 5200 عنصر اميركي والان وصل العدد الى 2500 عنصر",
        "الاستثمارات تزيد على 13 مليار دولار حتى الآن",
        "زيارة تستغرق يومين",
        "لمدة ثلاثة أيام",
        "يبلغ من العمر 76 عاما",
        "في الذكرى الـ76 لتأسيس",
        "للمرة الثانية",
        "4000 طالب",
        "في اليوم التالي",
        "مارس الضغط على الحكومة",
        "السياسة الخارجية",
        "ذكرت صحيفة المصري اليوم",
        "قالت قناة روسيا اليوم",
        "الخلاف بين الاثنين",
        "اللاعبون الأحد عشر",
    ],
)
def test_never_dates(text: str) -> None:
    assert [e for e in find_dates(text, THURSDAY) if e.resolved] == []


def test_dateline_prefers_the_past() -> None:
    found = only("موسكو - 13 - 2 (كونا) -- قال", dt.date(2021, 2, 13))
    assert found.value == dt.date(2021, 2, 13) and found.kind == "dateline"
    assert only("موسكو - 14 - 2 (كونا) -- قال", dt.date(2021, 2, 13)).value == dt.date(2020, 2, 14)


@pytest.mark.parametrize("bad", [None, b"bytes", 5])
def test_text_must_be_a_string(bad: object) -> None:
    with pytest.raises(DateError):
        find_dates(bad, THURSDAY)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [None, "2020-11-26", dt.datetime(2020, 11, 26)])
def test_published_must_be_a_date(bad: object) -> None:
    with pytest.raises(DateError):
        find_dates("الأربعاء", bad)  # type: ignore[arg-type]


WORDS = [
    "الأربعاء", "أمس", "اليوم", "غدا", "بعد غد", "أول أمس", "المقبل", "الماضي", "الجاري",
    "الأسبوع", "الشهر", "العام", "السنة", "عام", "في", "من", "إلى", "و", "يوم", "صباح",
    "نوفمبر", "تشرين الثاني", "شباط", "فيفري", "نونبر", "/", "(", ")", "-", "هـ", "ربيع الآخر",
    "رمضان", "قريبا", "مؤخرا", "سيزور", "كان", "قد", "الثالث", "(كونا)", "\n", ".", "،",
    "29", "31", "0", "99", "1442", "1500", "2020", "1800", "2199", "9999", "٢٦", "١٤٤٢",
    "25/11/2020", "31/02/2021", "13 - 2",
]  # fmt: skip


def _years_from(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` away (29 February falls back to the 28th), clamped to the calendar."""
    year = day.year + years
    if year < dt.MINYEAR:
        return dt.date.min
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, day.month, 28 if (day.month, day.day) == (2, 29) else day.day)


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS) | st.text(max_size=4), max_size=14),
    published=st.dates(),
)
def test_any_text_any_date_resolves_within_bounds(words: list[str], published: dt.date) -> None:
    text = " ".join(words)
    for expression in find_dates(text, published):
        assert text[expression.start : expression.end] == expression.text
        if expression.resolved:
            assert _years_from(published, -100) <= expression.value <= _years_from(published, 10)
            assert expression.precision in {"day", "week", "month", "year"}
            assert expression.reason is None
        else:
            assert expression.reason


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=60), published=st.dates())
def test_arbitrary_unicode_never_raises(text: str, published: dt.date) -> None:
    find_dates(text, published)
