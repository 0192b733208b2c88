"""models.period: the one definition of the days a week, month or year covers."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.models import EventDate, period

D = dt.date

CASES = [
    (D(2020, 11, 25), "day", D(2020, 11, 25), D(2020, 11, 25)),
    (D(2020, 11, 25), "week", D(2020, 11, 23), D(2020, 11, 29)),
    (D(2020, 12, 31), "week", D(2020, 12, 28), D(2021, 1, 3)),
    (D(2020, 2, 10), "month", D(2020, 2, 1), D(2020, 2, 29)),
    (D(2021, 2, 10), "month", D(2021, 2, 1), D(2021, 2, 28)),
    (D(2020, 12, 5), "month", D(2020, 12, 1), D(2020, 12, 31)),
    (D(2021, 6, 15), "year", D(2021, 1, 1), D(2021, 12, 31)),
]


@pytest.mark.parametrize(("value", "precision", "first", "last"), CASES)
def test_period_covers_the_days_of_its_precision(value, precision, first, last) -> None:
    assert period(value, precision) == (first, last)
    assert EventDate(value, precision).period == (first, last)
