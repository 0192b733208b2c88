"""Score event extraction against a gold annotation.

    python3 bench/score_events.py [GOLD.yml ...] [--verbose] [--check]

With no argument, scores the gold annotation of the shipped articles
(tests/fixtures/gold/seed-articles.yml). Each gold file names its content
folder (``content:``, relative to the file) whose articles and officials.yml
are run through the extraction exactly as ``build`` runs them.

The gold file lists every event: type, status (one value, or a list where the
text leaves it open), date, precision, approximate, window (the first and last
day the articles can support; without it, the period of date at its
precision, a week wider each side when approximate), officials (participants,
registry ids) and its sources (article id and the exact sentence).

Figures printed:

- **event recall**: gold events found. A gold event is found when an
  extracted event cites one of its sentences (same article, one sentence
  containing the other), has its type, one of its statuses, and shares an
  official with it (or the gold names none).
- **official attribution precision**: of every (extracted event, official)
  pair, the share that is right: the official takes part in a gold event the
  extracted event matches or, failing a match, in a gold event told in the
  same sentence. Officials of an event citing no gold sentence count as
  wrong.
- **dates outside what the articles support**: extracted events whose period
  does not meet the window of the gold events they match or share a sentence
  with (or, citing no gold sentence, the span of all windows of the article).

``--check`` exits with status 1 when recall < 0.9, precision < 0.95 or any date
is outside.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import events as extraction  # noqa: E402
from generator.content import load_articles  # noqa: E402
from generator.errors import Diagnostics  # noqa: E402
from generator.models import Event, period  # noqa: E402
from generator.officials import load_registry  # noqa: E402

DEFAULT_GOLD = ROOT / "tests" / "fixtures" / "gold" / "seed-articles.yml"
TARGETS = {"recall": 0.9, "precision": 0.95, "outside": 0}


@dataclass(frozen=True)
class Gold:
    label: str
    type: str
    statuses: tuple[str, ...]
    window: tuple[dt.date, dt.date]
    officials: frozenset[str]
    sources: tuple[tuple[str, str], ...]  # (article, sentence)


@dataclass(frozen=True)
class Score:
    gold: int
    extracted: int
    found: int
    pairs: int
    right_pairs: int
    outside: tuple[str, ...]
    missed: tuple[str, ...]
    wrong: tuple[str, ...]
    unmatched: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.right_pairs / self.pairs if self.pairs else 1.0


def _day(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if len(text) == 4:  # YYYY
        return dt.date(int(text), 1, 1)
    if len(text) == 7:  # YYYY-MM
        return dt.date(int(text[:4]), int(text[5:]), 1)
    return dt.date.fromisoformat(text)


def _window(entry: dict) -> tuple[dt.date, dt.date]:
    """The supported days: ``window`` if given, else the period of ``date`` at its
    ``precision``, widened by a week on each side when ``approximate``."""
    if "window" in entry:
        return _day(entry["window"][0]), _day(entry["window"][1])
    start = _day(entry["date"])
    precision = entry.get("precision", "day")
    end = period(start, precision)[1]
    if precision == "week":
        start = period(start, precision)[0]
    if entry.get("approximate"):
        start, end = start - dt.timedelta(days=7), end + dt.timedelta(days=7)
    return start, end


def load_gold(path: Path) -> tuple[Path, list[Gold]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    content = (path.parent / data["content"]).resolve()
    gold = []
    for entry in data["events"]:
        status = entry["status"]
        gold.append(
            Gold(
                label=entry["label"],
                type=entry["type"],
                statuses=tuple(status) if isinstance(status, list) else (status,),
                window=_window(entry),
                officials=frozenset(entry.get("officials") or ()),
                sources=tuple((s["article"], _norm(s["sentence"])) for s in entry["sources"]),
            )
        )
    return content, gold


def _norm(text: str) -> str:
    return " ".join(text.split())


def extract(content: Path) -> list[Event]:
    diagnostics = Diagnostics()
    articles = load_articles(content, diagnostics)
    registry = load_registry(content, diagnostics)
    if diagnostics.errors:
        raise SystemExit("\n".join(str(e) for e in diagnostics.errors))
    return extraction.extract(articles, registry)


def _cites(event: Event, gold: Gold) -> bool:
    for citation in event.sources:
        sentence = _norm(citation.sentence)
        for article, gold_sentence in gold.sources:
            if article == citation.article and (
                gold_sentence in sentence or sentence in gold_sentence
            ):
                return True
    return False


def _matches(event: Event, gold: Gold) -> bool:
    return (
        _cites(event, gold)
        and event.type == gold.type
        and event.status in gold.statuses
        and (not gold.officials or bool(gold.officials & set(event.officials)))
    )


def _period(event: Event) -> tuple[dt.date, dt.date]:
    return event.date.period


def score(gold: list[Gold], extracted: list[Event]) -> Score:
    matched = {g.label: [e for e in extracted if _matches(e, g)] for g in gold}
    missed = tuple(g.label for g in gold if not matched[g.label])
    pairs = right = 0
    wrong: list[str] = []
    outside: list[str] = []
    unmatched: list[str] = []
    spans: dict[str, tuple[dt.date, dt.date]] = {}
    for g in gold:
        for article, _ in g.sources:
            lo, hi = spans.get(article, g.window)
            spans[article] = (min(lo, g.window[0]), max(hi, g.window[1]))
    for event in extracted:
        own = [g for g in gold if event in matched[g.label]]
        near = own or [g for g in gold if _cites(event, g)]
        if not own:
            unmatched.append(event.id)
        allowed = {o for g in near for o in g.officials}
        for official in event.officials:
            pairs += 1
            if official in allowed:
                right += 1
            else:
                wrong.append(f"{event.id}: {official}")
        windows = [g.window for g in near] or [
            spans[c.article] for c in event.sources if c.article in spans
        ]
        lo, hi = _period(event)
        if windows and not any(lo <= w[1] and w[0] <= hi for w in windows):
            outside.append(f"{event.id}: {event.date.iso} ({event.date.precision})")
    return Score(
        gold=len(gold),
        extracted=len(extracted),
        found=len(gold) - len(missed),
        pairs=pairs,
        right_pairs=right,
        outside=tuple(outside),
        missed=missed,
        wrong=tuple(wrong),
        unmatched=tuple(unmatched),
    )


def report(name: str, result: Score, verbose: bool) -> str:
    lines = [
        f"{name}: {result.gold} gold events, {result.extracted} extracted",
        f"  event recall: {result.recall:.2f} ({result.found}/{result.gold})",
        f"  official attribution precision: {result.precision:.2f} "
        f"({result.right_pairs}/{result.pairs})",
        f"  events dated outside what the articles support: {len(result.outside)}",
    ]
    if verbose:
        lines += [f"    missed: {label}" for label in result.missed]
        lines += [f"    wrong official: {pair}" for pair in result.wrong]
        lines += [f"    outside: {item}" for item in result.outside]
        lines += [f"    matches no gold event: {item}" for item in result.unmatched]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="*", type=Path, help="gold annotation files")
    parser.add_argument("--verbose", action="store_true", help="list misses and errors")
    parser.add_argument("--check", action="store_true", help="exit 1 below the targets")
    args = parser.parse_args(argv)
    failed = False
    for path in args.gold or [DEFAULT_GOLD]:
        content, gold = load_gold(path)
        result = score(gold, extract(content))
        print(
            report(
                str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
                result,
                args.verbose,
            )
        )
        failed |= (
            result.recall < TARGETS["recall"]
            or result.precision < TARGETS["precision"]
            or len(result.outside) > TARGETS["outside"]
        )
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
