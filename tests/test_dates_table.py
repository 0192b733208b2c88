"""Table-driven tests of the date engine: tests/fixtures/dates/table.yml and holdout.yml.

Every annotated expression is one test (input sentence, publication date,
expected value and precision); every annotated non-date is one test that the
engine returns no date over those words.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from generator.dates import TemporalExpression, find_dates

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dates"
TABLE = yaml.safe_load((FIXTURES / "table.yml").read_text(encoding="utf-8"))
HOLDOUT = yaml.safe_load((FIXTURES / "holdout.yml").read_text(encoding="utf-8"))
ROWS = TABLE + HOLDOUT

DATES = [
    pytest.param(row, expected, id=f"{row['published']}-{expected['text']}")
    for row in ROWS
    for expected in row["dates"]
]
NON_DATES = [
    pytest.param(row, words, id=f"{row['published']}-not-{words}")
    for row in ROWS
    for words in row.get("not_dates", [])
]


def _overlapping(row: dict, words: str) -> list[TemporalExpression]:
    start = row["text"].index(words)
    end = start + len(words)
    return [e for e in find_dates(row["text"], row["published"]) if e.start < end and start < e.end]


def test_table_is_large_and_varied() -> None:
    published = {row["published"] for row in TABLE}
    assert len(TABLE) >= 40
    assert sum(len(row["dates"]) for row in TABLE) >= 150
    assert {day.weekday() for day in published} == set(range(7))
    assert any(day.month == 2 and day.day == 29 for day in published)
    assert any(day.month == 12 and day.day == 31 for day in published)
    assert any((day + dt.timedelta(days=1)).day == 1 for day in published if day.month != 12)


@pytest.mark.parametrize(("row", "expected"), DATES)
def test_expression_resolves_as_annotated(row: dict, expected: dict) -> None:
    found = [e for e in _overlapping(row, expected["text"]) if e.resolved]
    assert found, f"no date found over «{expected['text']}»"
    first = found[0]
    assert (first.value, first.precision) == (expected["value"], expected["precision"])
    assert first.approximate == expected.get("approximate", False)
    if "end" in expected:
        assert first.end_value == expected["end"]
    assert row["text"][first.start : first.end] == first.text


@pytest.mark.parametrize(("row", "words"), NON_DATES)
def test_non_date_is_never_a_date(row: dict, words: str) -> None:
    assert [e.text for e in _overlapping(row, words) if e.resolved] == []
