"""Merging again after an edit (generator/remerge.py) gives the groups and
events that merging from scratch gives, and after a small edit chooses again
only for a few candidates.

Each test writes a random archive of candidates, merges it, then edits it
several times as an editor would (an article added, removed, rewritten, or
keyed anew with the same candidates), replaying each merge from the last.
"""

from __future__ import annotations

import datetime as dt
import pickle
import random
from pathlib import Path

import pytest

from generator import events, remerge
from generator.arabic import Span
from generator.errors import Diagnostics
from generator.events import Candidate
from generator.models import Article, EventDate
from generator.officials import Registry, load_registry

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = ["fuad-hussein", "sergey-lavrov", "yury-borisov", "juma-inad", "leonid-slutsky"]
TYPES = ["meeting", "host", "visit", "statement", "agreement", "press_conference"]
WORDS = ["مذكره", "تفاهم", "14", "زيار", "سلاح", "نفط", "طاقه"]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(ROOT / "content", Diagnostics())


class Archive:
    """Articles, each a version (its key) and its candidates, in reading order."""

    def __init__(self, rng: random.Random, size: int, spread: int):
        self.rng, self.spread, self.made = rng, spread, 0
        self.articles: list[tuple[str, list[Candidate]]] = []
        for _ in range(size):
            self.add()

    def add(self) -> None:
        self.made += 1
        name = f"a{self.made:04d}"
        published = dt.date(2020, 1, 1) + dt.timedelta(days=self.rng.randrange(self.spread))
        article = Article(name, f"{name}.md", "t", published, "s", None, "ar", "نص.", 1)
        where = self.rng.randrange(len(self.articles) + 1)
        self.articles.insert(where, (f"{name}@1", self.candidates(article)))

    def candidates(self, article: Article) -> list[Candidate]:
        return [self.candidate(article, order) for order in range(self.rng.randint(0, 6))]

    def candidate(self, article: Article, order: int) -> Candidate:
        rng = self.rng
        day = EventDate(
            value=article.published - dt.timedelta(days=rng.randint(-10, 20)),
            precision=rng.choice(("day", "day", "week", "month")),
            approximate=rng.random() < 0.25,
        )
        officials = tuple(sorted(rng.sample(PEOPLE, rng.choice((0, 1, 1, 2, 2, 3)))))
        start = rng.randint(0, 3) * 10
        return Candidate(
            article=article,
            sentence=Span(start, start + 9, f"جملة {start}"),
            clause=Span(start, start + 9, f"جملة {start}"),
            paragraph=0,
            type=rng.choice(TYPES),
            status=rng.choice(("occurred", "occurred", "planned")),
            date=day,
            origin="publication" if day.approximate else "own",
            officials=officials,
            speaker=officials[0] if officials and rng.random() < 0.8 else None,
            location=rng.choice((None, "موسكو")),
            words=frozenset(rng.sample(WORDS, rng.randint(0, 4))),
            order=order,
        )

    def edit(self) -> None:
        """One edit, at random: add, remove, rewrite, or touch an article
        (a new key, the same candidates: a change outside any event)."""
        what = self.rng.choice(("add", "remove", "rewrite", "touch"))
        if what == "add" or not self.articles:
            self.add()
            return
        where = self.rng.randrange(len(self.articles))
        key, found = self.articles[where]
        name, _, version = key.partition("@")
        if what == "remove":
            del self.articles[where]
        elif what == "rewrite":
            article = found[0].article if found else None
            if article is not None:
                found = self.candidates(article)
            self.articles[where] = (f"{name}@{int(version) + 1}", found)
        else:
            self.articles[where] = (f"{name}@{int(version) + 1}", found)

    def in_order(self) -> list[Candidate]:
        return [c for _, found in self.articles for c in found]


def _replay(
    archive: Archive, trace: remerge.Trace | None, loaded: list[str] | None = None
) -> remerge.Replay:
    """A merge of ``archive`` replaying ``trace``, which went through a
    pickle as the build keeps it. With ``loaded``, most articles the trace
    holds (two in three) are given without their candidates, and the keys
    of those the replay loads are put there."""
    if trace is not None:
        trace = remerge.Trace(*pickle.loads(pickle.dumps(trace.plain())))
    replay = remerge.Replay(trace)
    if loaded is None or trace is None:
        replay.merge(archive.articles)
        return replay
    then, candidates = set(trace.articles), dict(archive.articles)

    def load(key: str) -> list[Candidate]:
        loaded.append(key)
        return candidates[key]

    given = [
        (key, None if key in then and place % 3 else found)
        for place, (key, found) in enumerate(archive.articles)
    ]
    replay.merge(given, load)
    return replay


@pytest.mark.parametrize("lazily", [False, True], ids=["given", "loaded when needed"])
@pytest.mark.parametrize("seed", range(40))
def test_a_replayed_merge_is_the_merge(seed: int, lazily: bool, registry: Registry) -> None:
    """Whether every article's candidates are given or only those of the
    articles new since, the replay makes the groups and events a merge
    from scratch makes, and numbers them as it does, whether it numbers
    them all or only those sharing an id with an event named anew or gone."""
    rng = random.Random(seed)
    archive = Archive(rng, size=rng.randint(1, 60), spread=rng.choice((20, 90, 400)))
    replay = _replay(archive, None)
    numbered = replay.name(registry)
    for _ in range(6):
        for _ in range(rng.randint(1, 3)):
            archive.edit()
        trace = replay.trace
        replay = _replay(archive, trace, [] if lazily else None)
        again = _replay(archive, trace, [] if lazily else None)
        groups = events.merge(archive.in_order())
        assert replay.groups() == again.groups() == groups
        expected = events.name_events(groups, registry)
        assert again.name(registry) == expected
        numbered = replay.name(registry, numbered)
        assert numbered == expected


@pytest.mark.parametrize("seed", range(12))
def test_many_replays_in_turn_are_the_merge(seed: int, registry: Registry, monkeypatch) -> None:
    """A trace keeps the keys of candidates gone since until they are many
    (here: as soon as they outnumber those in use), then numbers them again;
    edits of several articles at once, one replay after another."""
    monkeypatch.setattr(remerge, "COMPACT_SLACK", seed % 3)
    rng = random.Random(1000 + seed)
    archive = Archive(rng, size=rng.randint(3, 40), spread=rng.choice((10, 60)))
    replay = _replay(archive, None)
    numbered = replay.name(registry)
    for _ in range(25):
        for _ in range(rng.randint(1, 8)):
            archive.edit()
        replay = _replay(archive, replay.trace, [])
        groups = events.merge(archive.in_order())
        assert replay.groups() == groups
        numbered = replay.name(registry, numbered)
        assert numbered == events.name_events(groups, registry)
        spans = replay.trace.spans
        assert len(spans) == len(set(spans))
        assert len(spans) <= 2 * len(set(replay.trace.span_of)) + remerge.COMPACT_SLACK


def test_a_small_edit_chooses_again_for_few_candidates(registry: Registry) -> None:
    """Touching one article of 400 (a new key, the same candidates) makes its
    candidates new: they choose again, and so do those sharing a key with
    a group they are in; the others keep last time's choice."""
    rng = random.Random(1)
    archive = Archive(rng, size=400, spread=720)
    candidates = archive.in_order()
    first = _replay(archive, None)
    assert first.chosen == len(candidates)
    first.name(registry)
    touched = next(i for i in range(200, 400) if len(archive.articles[i][1]) >= 4)
    key, found = archive.articles[touched]
    archive.articles[touched] = (key + "-touched", found)
    loaded: list[str] = []
    again = _replay(archive, first.trace, loaded)
    assert len(found) <= again.chosen < len(candidates) / 10
    assert len(loaded) < len(archive.articles) / 5  # the others' candidates are not read
    named = again.name(registry)
    assert len(loaded) < len(archive.articles) / 5 and len(set(loaded)) == len(loaded)
    assert again.groups() == events.merge(candidates)
    assert named == events.name_events(again.groups(), registry)
    kept = {e.fingerprint for e in first.trace.named.values()}
    assert sum(e.fingerprint in kept for e in again.trace.named.values()) > len(named) * 0.9


def test_a_candidate_joining_a_changed_group_reaches_those_sharing_its_officials() -> None:
    """B's meeting with Hussein is gone, so Hussein's group differs from the
    start; X's new meeting of Hussein and Lavrov joins it; Lavrov's meeting
    that day, alone in a group last time, must now choose again and join
    them, though nothing about Lavrov changed but X's candidate."""
    day = EventDate(dt.date(2020, 11, 10))
    written = {}
    for name in ("a", "b", "x", "c"):
        written[name] = Article(name, f"{name}.md", "t", day.value, "s", None, "ar", "نص.", 1)

    def meeting(article: str, *officials: str) -> Candidate:
        span = Span(0, 9, "جملة")
        return Candidate(
            written[article], span, span, 0, "meeting", "occurred", day, "own", officials, None,
            None, frozenset(),
        )  # fmt: skip

    hussein, lavrov = "fuad-hussein", "sergey-lavrov"
    before = [("a", [meeting("a", hussein)]), ("b", [meeting("b", hussein)])]
    before.append(("c", [meeting("c", lavrov)]))
    first = remerge.Replay()
    first.merge(before)
    assert len(first.groups()) == 2
    after = [before[0], ("x", [meeting("x", hussein, lavrov)]), before[2]]
    again = remerge.Replay(first.trace)
    again.merge(after)
    merged = [c for _, found in after for c in found]
    assert again.groups() == events.merge(merged) == [merged]
