"""Benchmark of the date engine against ``dateparser.search_dates``.

Run from the repository root::

    python3 bench/dates_bench.py

It reads the annotated table tests/fixtures/dates/table.yml and prints, for
our engine (generator.dates.find_dates) and for the baseline
(dateparser.search_dates with languages=['ar'] and the publication date as
RELATIVE_BASE):

- accuracy: the share of annotated date expressions for which the engine
  returns an overlapping expression with the annotated value and precision.
  ``search_dates`` has no precision, so it is scored on value alone, and
  counted right when its date is the annotated value or (being the most
  lenient reading) any day of the annotated period;
- non-dates returned as dates: resolved expressions that overlap no annotated
  date (the annotated counts, sums, durations and ages among them);
- speed: milliseconds per 600-word article after warm-up, the table's
  sentences joined into articles of 600 words, each article timed whole.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.dates import find_dates  # noqa: E402

TABLE = ROOT / "tests" / "fixtures" / "dates" / "table.yml"
ARTICLE_WORDS = 600


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    value: dt.date
    precision: str | None


Engine = Callable[[str, dt.date], list[Found]]


def ours(text: str, published: dt.date) -> list[Found]:
    return [
        Found(e.start, e.end, e.value, e.precision)
        for e in find_dates(text, published)
        if e.resolved
    ]


def baseline(text: str, published: dt.date) -> list[Found]:
    from dateparser.search import search_dates

    base = dt.datetime(published.year, published.month, published.day)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = search_dates(text, languages=["ar"], settings={"RELATIVE_BASE": base}) or []
    found, cursor = [], 0
    for fragment, when in results:
        start = text.find(fragment, cursor)
        if start < 0:
            start = text.find(fragment)
        if start < 0:
            continue
        cursor = start + len(fragment)
        found.append(Found(start, start + len(fragment), when.date(), None))
    return found


def last_day(value: dt.date, precision: str) -> dt.date:
    if precision == "week":
        return value + dt.timedelta(days=6)
    if precision == "month":
        following = dt.date(value.year + (value.month == 12), value.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    if precision == "year":
        return dt.date(value.year, 12, 31)
    return value


@dataclass
class Score:
    right: int = 0
    in_period: int = 0
    total: int = 0
    non_dates: int = 0
    misses: list[str] | None = None


def score(engine: Engine, table: list[dict]) -> Score:
    result = Score(misses=[])
    for row in table:
        text, published = row["text"], row["published"]
        found = engine(text, published)
        spans = []
        for expected in row["dates"]:
            start = text.index(expected["text"])
            end = start + len(expected["text"])
            spans.append((start, end))
            result.total += 1
            hits = [f for f in found if f.start < end and start < f.end]
            value, precision = expected["value"], expected["precision"]
            if any(f.value == value and f.precision == precision for f in hits):
                result.right += 1
            else:
                got = ", ".join(f"{f.value}/{f.precision}" for f in hits) or "nothing"
                result.misses.append(
                    f"{published} «{expected['text']}»: want {value}/{precision}, got {got}"
                )
            if any(value <= f.value <= last_day(value, precision) for f in hits):
                result.in_period += 1
        for f in found:
            if not any(f.start < e and s < f.end for s, e in spans):
                result.non_dates += 1
                result.misses.append(
                    f"{published} not a date: «{text[f.start : f.end]}» -> {f.value}"
                )
    return result


def articles(table: list[dict]) -> list[tuple[str, dt.date]]:
    """The table's sentences joined, in order, into articles of 600 words."""
    words_needed = ARTICLE_WORDS
    out, current, count = [], [], 0
    sentences = [(row["text"], row["published"]) for row in table]
    index = 0
    while len(out) < len(table):
        text, published = sentences[index % len(sentences)]
        index += 1
        current.append(text)
        count += len(text.split())
        if count >= words_needed:
            words = " ".join(current).split()[:words_needed]
            out.append((" ".join(words), published))
            current, count = [], 0
    return out


def ms_per_article(engine: Engine, docs: list[tuple[str, dt.date]], rounds: int) -> float:
    for text, published in docs[:3]:
        engine(text, published)  # warm-up: imports, language data, compiled patterns
    timings = []
    for _ in range(rounds):
        for text, published in docs:
            start = time.perf_counter()
            engine(text, published)
            timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def main() -> int:
    table = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    docs = articles(table)
    dates = sum(len(row["dates"]) for row in table)
    non = sum(len(row.get("not_dates", [])) for row in table)
    print(f"table: {len(table)} sentences, {dates} date expressions, {non} annotated non-dates")
    print(
        f"speed: {len(docs)} articles of {ARTICLE_WORDS} words, median ms per article after warm-up"
    )
    verbose = "-v" in sys.argv
    for name, engine, rounds in (("engine", ours, 20), ("search_dates", baseline, 1)):
        result = score(engine, table)
        speed = ms_per_article(engine, docs, rounds)
        strict = f"{result.right / result.total:.3f}" if name == "engine" else "n/a (no precision)"
        print(
            f"{name:>12}: value+precision accuracy {strict}; value in the annotated period"
            f" {result.in_period / result.total:.3f}; non-dates returned as dates"
            f" {result.non_dates}; {speed:.2f} ms per article"
        )
        if verbose:
            for miss in result.misses or []:
                print("    ", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
