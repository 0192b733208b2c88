"""Dates as Arabic readers expect them: regional month names, digits, the Hijri date."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator import display
from generator.cli import main
from generator.models import Article, EventDate

D = dt.date

GREGORIAN = [
    # (date, precision, months, digits, expected)
    (D(2020, 11, 25), "day", "levant", "arabic", "الأربعاء ٢٥ تشرين الثاني ٢٠٢٠"),
    (D(2020, 11, 25), "day", "egypt", "arabic", "الأربعاء ٢٥ نوفمبر ٢٠٢٠"),
    (D(2020, 11, 25), "day", "maghreb", "latin", "الأربعاء 25 نونبر 2020"),
    (D(2021, 5, 3), "day", "maghreb", "latin", "الاثنين 3 ماي 2021"),
    (D(2021, 8, 1), "month", "levant", "latin", "آب 2021"),
    (D(2021, 8, 1), "month", "maghreb", "arabic", "غشت ٢٠٢١"),
    (D(2020, 11, 26), "week", "levant", "latin", "أسبوع 23 تشرين الثاني 2020"),
    (D(2020, 1, 1), "year", "egypt", "arabic", "٢٠٢٠"),
]


@pytest.mark.parametrize(("day", "precision", "months", "style", "expected"), GREGORIAN)
def test_gregorian_ar(day: dt.date, precision: str, months: str, style: str, expected: str) -> None:
    assert display.gregorian_ar(EventDate(day, precision), months, style) == expected


HIJRI = [
    (D(2020, 11, 25), "day", "arabic", "١٠ ربيع الآخر ١٤٤٢ هـ"),
    (D(2020, 11, 25), "day", "latin", "10 ربيع الآخر 1442 هـ"),
    (D(2023, 3, 23), "day", "latin", "1 رمضان 1444 هـ"),
    # A Gregorian month straddles two Hijri months: both are named.
    (D(2020, 11, 1), "month", "latin", "ربيع الأول – ربيع الآخر 1442 هـ"),
    # ... and across a Hijri new year, both years.
    (D(2020, 8, 1), "month", "latin", "ذو الحجة 1441 – محرم 1442 هـ"),
    # A week inside one Hijri month.
    (D(2020, 11, 26), "week", "latin", "ربيع الآخر 1442 هـ"),
    (D(2020, 1, 1), "year", "latin", None),
    (D(1800, 1, 1), "day", "latin", None),  # before the Umm al-Qura tables
]


@pytest.mark.parametrize(("day", "precision", "style", "expected"), HIJRI)
def test_hijri_ar(day: dt.date, precision: str, style: str, expected: str | None) -> None:
    assert display.hijri_ar(EventDate(day, precision), style) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وصل في 10 تشرين الأول/أكتوبر", "levant"),  # the pair is a Levantine habit
        ("الاجتماع في أيلول المقبل", "levant"),
        ("في 3 نونبر الجاري", "maghreb"),
        ("منذ شهر ماي الماضي", "maghreb"),
        ("يوم 5 نوفمبر", "egypt"),
        ("في مايو", "egypt"),
        ("بلا أشهر", None),
        ("مارسيليا", None),  # a word that starts like a month is not one
    ],
)
def test_detect_month_names(text: str, expected: str | None) -> None:
    assert display.detect_month_names(text) == expected


_MONTH_WORDS = display._LEVANT_WORDS + display._MAGHREB_WORDS + display._EGYPT_WORDS


@given(
    st.lists(
        st.sampled_from([*_MONTH_WORDS, "ال", "مار", "س", "ا", "_", "1", " ", "/", "\n", "ٌ"]),
        max_size=12,
    ).map("".join)
)
@example("في الكانون")  # the whole word starts two letters before the month's
@example("سالكانون")
@example("مارسيليا في مارس")
@settings(max_examples=300)
def test_month_words_are_found_as_the_whole_word_pattern_alone_finds_them(text: str) -> None:
    """Searching for the words anywhere first only spares the whole-word
    search where it cannot match: the answer is the same."""
    folded = display.normalize(text)
    alone = next((r for r, _, whole in display._REGION_PATTERNS if whole.search(folded)), None)
    assert display.detect_month_names(text) == alone


def _article(body: str, **extra: str) -> Article:
    return Article("a", "a.md", "t", dt.date(2020, 11, 1), "s", None, "ar", body, 1, extra)


def test_front_matter_month_names_wins_over_the_text() -> None:
    body = "في 10 تشرين الأول"
    assert display.month_names_for(_article(body, month_names="egypt"), "maghreb") == "egypt"
    assert display.month_names_for(_article(body), "maghreb") == "levant"
    assert display.month_names_for(_article("لا شهر"), "maghreb") == "maghreb"


def test_an_article_keeps_the_month_names_it_uses_when_pickled() -> None:
    """Parsed articles are kept in the cache with what their body was found
    to use: the list of sources does not read every body again."""
    article = _article("في 10 تشرين الأول")
    assert article.month_names == "levant"
    kept = pickle.loads(pickle.dumps(article))
    assert kept.__dict__["month_names"] == "levant"
    assert kept == article and kept.fingerprint == article.fingerprint


def test_digits() -> None:
    assert display.digits(1442) == "١٤٤٢"
    assert display.digits("2020-11-25", "latin") == "2020-11-25"


def test_source_page_names_months_as_the_article_does(content_copy: Path, tmp_path: Path) -> None:
    article = content_copy / "articles" / "elaph-2020-11-26.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("lang: ar", "lang: ar\nmonth_names: egypt", 1),
        encoding="utf-8",
    )
    (content_copy / "site.yml").write_text(
        (content_copy / "site.yml")
        .read_text(encoding="utf-8")
        .replace("digits: arabic", "digits: latin"),
        encoding="utf-8",
    )
    assert (
        main(["build", "--content", str(content_copy), "--output", str(tmp_path / "o"), "--quiet"])
        == 0
    )
    elaph = (tmp_path / "o/sources/elaph-2020-11-26/index.html").read_text(encoding="utf-8")
    assert "الخميس 26 نوفمبر 2020" in elaph and "11 ربيع الآخر 1442 هـ" in elaph
    other = (tmp_path / "o/sources/defensearabia-2020-11-26/index.html").read_text(encoding="utf-8")
    assert "الخميس 26 تشرين الثاني 2020" in other  # the site's default, levant


def test_bad_month_names_in_front_matter_is_reported(
    content_copy: Path, tmp_path: Path, capsys
) -> None:
    article = content_copy / "articles" / "elaph-2020-11-26.md"
    text = article.read_text(encoding="utf-8").replace(
        "lang: ar", "lang: ar\nmonth_names: syria", 1
    )
    article.write_text(text, encoding="utf-8")
    line = text.splitlines().index("month_names: syria") + 1
    assert main(["build", "--content", str(content_copy), "--output", str(tmp_path / "o")]) == 1
    assert (
        f"elaph-2020-11-26.md:{line}: month_names: expected levant, egypt or maghreb"
        in capsys.readouterr().err
    )
