"""Benchmark of the date engine against ``dateparser.search_dates``.

Run from the repository root::

    python3 bench/dates_bench.py

It reads the annotated table tests/fixtures/dates/table.yml (and the smaller
holdout.yml, written after the engine was tuned) and prints, for
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
- speed: milliseconds per 600-word article after warm-up, CPU time and wall
  time, the mean over articles of each article's best run. "News-like"
  articles put the table's sentences between the shipped articles' sentences
  (about twice the date density of the shipped articles); "dense" articles are
  the table's sentences alone.
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
from generator.models import period  # noqa: E402

TABLE = ROOT / "tests" / "fixtures" / "dates" / "table.yml"
HOLDOUT = ROOT / "tests" / "fixtures" / "dates" / "holdout.yml"
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
            if any(value <= f.value <= period(value, precision)[1] for f in hits):
                result.in_period += 1
        for f in found:
            if not any(f.start < e and s < f.end for s, e in spans):
                result.non_dates += 1
                result.misses.append(
                    f"{published} not a date: «{text[f.start : f.end]}» -> {f.value}"
                )
    return result


def shipped_sentences() -> list[str]:
    """The sentences of the shipped articles: real news prose around the dates."""
    from generator.arabic import sentences

    out = []
    for path in sorted((ROOT / "content" / "articles").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        out.extend(span.text for span in sentences(body))
    return out


def articles(table: list[dict], filler: list[str]) -> list[tuple[str, dt.date]]:
    """Articles of 600 words: each table sentence in turn, with ``filler`` sentences between.

    With the shipped articles' sentences as filler the date density is about
    twice that of the shipped articles themselves; with no filler every
    sentence carries dates.
    """
    out = []
    rows = [(row["text"], row["published"]) for row in table]
    index = 0
    for start in range(len(rows)):
        words: list[str] = []
        published = rows[start][1]
        position = start
        while len(words) < ARTICLE_WORDS:
            words.extend(rows[position % len(rows)][0].split())
            position += 1
            if filler:
                words.extend(filler[index % len(filler)].split())
                index += 1
        out.append((" ".join(words[:ARTICLE_WORDS]), published))
    return out


def ms_per_article(
    engine: Engine, docs: list[tuple[str, dt.date]], runs: int
) -> tuple[float, float]:
    """CPU and wall milliseconds per article: the mean over articles of each one's best run.

    CPU time (``time.process_time``) is the figure that other work on a shared
    machine disturbs least; the best of several runs disturbs it less still.
    The warm-up first loads the engine's data.
    """
    for text, published in docs[:3]:
        engine(text, published)  # warm-up: imports, language data, compiled patterns
    cpu, wall = [], []
    for text, published in docs:
        cpu_runs, wall_runs = [], []
        for _ in range(runs):
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            engine(text, published)
            cpu_runs.append(time.process_time() - start_cpu)
            wall_runs.append(time.perf_counter() - start_wall)
        cpu.append(min(cpu_runs))
        wall.append(min(wall_runs))
    return statistics.mean(cpu) * 1000, statistics.mean(wall) * 1000


def main() -> int:
    table = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    news = articles(table, shipped_sentences())
    dense = articles(table, [])
    dates = sum(len(row["dates"]) for row in table)
    non = sum(len(row.get("not_dates", [])) for row in table)
    print(f"table: {len(table)} sentences, {dates} date expressions, {non} annotated non-dates")
    print(
        f"speed: ms per {ARTICLE_WORDS}-word article after warm-up, CPU time (wall time beside it),"
        " mean of each article's best run;"
        " news-like = table sentences between the shipped articles' sentences,"
        " dense = table sentences only"
    )
    verbose = "-v" in sys.argv
    for name, engine, runs, sample in (
        ("engine", ours, 10, None),
        ("search_dates", baseline, 2, 8),
    ):
        result = score(engine, table)
        news_cpu, news_wall = ms_per_article(engine, news[:sample], runs)
        dense_cpu, dense_wall = ms_per_article(engine, dense[:sample], runs)
        strict = f"{result.right / result.total:.3f}" if name == "engine" else "n/a (no precision)"
        print(
            f"{name:>12}: value+precision accuracy {strict}; value in the annotated period"
            f" {result.in_period / result.total:.3f}; non-dates returned as dates"
            f" {result.non_dates}; CPU ms per article {news_cpu:.2f} news-like,"
            f" {dense_cpu:.2f} dense (wall {news_wall:.2f}, {dense_wall:.2f})"
        )
        if verbose:
            for miss in result.misses or []:
                print("    ", miss)
    holdout = yaml.safe_load(HOLDOUT.read_text(encoding="utf-8"))
    print(
        f"holdout: {len(holdout)} sentences,"
        f" {sum(len(r['dates']) for r in holdout)} date expressions"
    )
    for name, engine in (("engine", ours), ("search_dates", baseline)):
        result = score(engine, holdout)
        strict = f"{result.right / result.total:.3f}" if name == "engine" else "n/a"
        print(
            f"{name:>12}: value+precision accuracy {strict}; value in the annotated period"
            f" {result.in_period / result.total:.3f}; non-dates returned as dates"
            f" {result.non_dates}"
        )
        if verbose:
            for miss in result.misses or []:
                print("    ", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
