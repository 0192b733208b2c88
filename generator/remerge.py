"""Merging again after an edit: the last merge replayed, deciding again only
the candidates whose choice could differ.

:func:`events.merge` is one greedy pass in reading order: a candidate joins
the first group it may among those sharing one of its keys
(:func:`events.merge_keys`: type family, status, an official, a month).
Keys chain across the archive (an official is named in every month), so the
merge does not split into parts that could be merged apart. But a candidate
chooses as it did last time when every group it could look at holds the
members it held then, and that can be known without looking.

The replay walks the candidates in order and gives each the group it chose
last time (the :class:`Trace` records the first member of each candidate's
group; a candidate is known across builds by the key of its article's
candidates and its place among them) unless one of its keys is *dirty*: a
key of a member, then or now, of a group whose members are not last
time's. A candidate that is new, or has a dirty key, chooses as
:func:`events.merge` has it choose; when it chooses otherwise than last
time, the group it left and the group it joined differ from then, and
their members' keys become dirty. The groups of a candidate
gone since last time differ from the start. A candidate with no dirty key
sees only groups holding last time's members, so it chooses as then.

The groups are those :func:`events.merge` makes, in the same order
(tests/test_remerge.py checks it on random archives and edits), for the
work of the candidates an edit reaches. A group of last time's members keeps
the event named for it then (:func:`events.name_group`).
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat

from generator import events
from generator.events import Candidate, MergeKey, MergeSpan, Reach, merge_keys, merge_span
from generator.models import Event
from generator.officials import Registry


@dataclass
class Trace:
    """What a merge chose, for the next build to replay; each candidate by
    its position in reading order. Numbers in arrays, not objects: at 10,000
    articles a merge has some 75,000 candidates, and a trace of objects took
    30 MB of memory the whole build long."""

    #: The key of each article's candidates (its text, the registry and the
    #: code: ``analysis.Analysis.extract``), in reading order, and how many
    #: candidates it has.
    articles: tuple[str, ...] = ()
    counts: array = field(default_factory=lambda: array("Q"))
    founders: array = field(default_factory=lambda: array("Q"))  # -> its group's first member
    spans: tuple[MergeSpan, ...] = ()  # the candidates' keys, compactly, each once
    span_of: array = field(default_factory=lambda: array("Q"))  # -> its place in spans
    named: dict[int, Event] = field(default_factory=dict)  # a group's first member -> its event
    #: What each candidate brings to the dates its group admits (events.reach), each once.
    reaches: tuple[Reach, ...] = ()
    reach_of: array = field(default_factory=lambda: array("Q"))  # -> its place in reaches

    def plain(self) -> tuple:
        """The fields as plain values: reading them back loads no module of ours."""
        return (
            self.articles,
            self.counts,
            self.founders,
            self.spans,
            self.span_of,
            self.named,
            self.reaches,
            self.reach_of,
        )


class _Merger(events.Merger):
    """An :class:`events.Merger` whose groups take their members' candidates
    only when a choice looks at them (or a group is named anew): members are
    known by their position, and ``load`` gives the candidate at one. What
    dates a group admits is known without them (``events.reach``, which the
    trace keeps): a group those rule out is passed over unread."""

    def __init__(self, load: Callable[[int], Candidate]):
        super().__init__()
        self.load = load
        self.members: list[list[int]] = []  # of each group, positions in reading order

    def enter(
        self,
        number: int | None,
        position: int,
        keys: list[MergeKey],
        reach: Reach,
        candidate: Candidate | None,
    ) -> int:
        """:meth:`join`, the member known by ``position`` and its ``reach``
        (``candidate``, when it is at hand, is taken at once)."""
        number = self.place(number, keys)
        if number == len(self.members):
            self.members.append([])
        members = self.members[number]
        members.append(position)
        self.bounds[number].add_reach(reach)
        if candidate is not None and len(self.groups[number]) == len(members) - 1:
            self.groups[number].append(candidate)
        return number

    def members_of(self, number: int) -> list[Candidate]:
        """The candidates of group ``number``, every member's."""
        group = self.groups[number]
        for position in self.members[number][len(group) :]:
            group.append(self.load(position))
        return group


class Replay:
    """One merge, replaying ``earlier``'s choices where they must stand.

    A candidate that chooses as last time needs nothing but its keys, which
    the trace holds: an article whose key the trace holds may be given
    without its candidates, which are loaded only if a choice looks at its
    groups (after a one-article edit at 10,000 articles, a tenth of the
    articles, for 2 % of the candidates).
    """

    def __init__(self, earlier: Trace | None = None):
        self.earlier = earlier or Trace()
        self.merger = _Merger(self._candidate)
        self.members = self.merger.members  # of each group, in the merger's order
        self.trace = Trace()
        self.chosen = 0  # candidates that chose again, rather than as last time
        self.loaded = 0  # articles given without candidates whose candidates were loaded
        self._was = array("q")  # each candidate -> its position last time, or -1
        self._then: dict[int, list[int]] = defaultdict(list)  # last time's groups
        self._dirty: set[MergeKey] = set()
        # The groups whose members are not last time's, as far as the walk
        # has come: the keys of their members, then and now, are dirty.
        self._differ: set[int] = set()  # groups a candidate joined otherwise than then
        self._differed: set[int] = set()  # last time's, by first member: lost or gained one
        self._number: dict[int, int] = {}  # last time's position of a first member -> group
        self._spans: list[MergeSpan] = []  # this merge's, in trace.span_of's order
        self._keys: list[list[MergeKey]] = []  # the keys of each of them
        self._articles: Sequence[tuple[str, Sequence[Candidate] | None]] = ()
        self._load: Callable[[str], Sequence[Candidate]] | None = None
        self._article_of = array("Q")  # each candidate -> its article's place in _articles
        self._starts: list[int] = []  # each article's first candidate
        self._loaded: dict[int, Sequence[Candidate]] = {}  # articles loaded, by place

    def merge(
        self,
        articles: Sequence[tuple[str, Sequence[Candidate] | None]],
        load: Callable[[str], Sequence[Candidate]] | None = None,
    ) -> None:
        """:func:`events.merge` of the candidates of ``articles``, each given
        with the key of its candidates, in reading order (:meth:`groups`).
        The candidates of an article whose key the earlier trace holds may
        be None: ``load(key)`` gives them if they are needed."""
        earlier, trace = self.earlier, self.trace
        self._articles, self._load = articles, load
        for position, founder in enumerate(earlier.founders):
            self._then[founder].append(position)
        present = self._place(articles)
        for position, founder in enumerate(earlier.founders):
            if not present[position]:  # gone since: its group lost a member
                self._earlier_differs(founder)
        was, dirty, merger = self._was, self._dirty, self.merger
        numbered: dict[MergeSpan, int] = {}
        reaching: dict[Reach, int] = {}
        given = (
            c
            for (_, found), count in zip(articles, trace.counts, strict=True)
            for c in (found if found is not None else repeat(None, count))
        )
        for position, candidate in enumerate(given):
            then = was[position]
            if candidate is not None:
                span, reach = merge_span(candidate), events.reach(candidate)
            else:
                span = earlier.spans[earlier.span_of[then]]
                reach = earlier.reaches[earlier.reach_of[then]]
            if span not in numbered:
                numbered[span] = len(self._spans)
                self._spans.append(span)
                self._keys.append(merge_keys(span))
            trace.span_of.append(numbered[span])
            keys = self._keys[numbered[span]]
            if reach not in reaching:
                reaching[reach] = len(reaching)
            trace.reach_of.append(reaching[reach])
            before = earlier.founders[then] if then >= 0 else -1
            if then >= 0 and before == then and dirty.isdisjoint(keys):
                number = None  # it began a group, and no group it sees has changed
            elif before in self._number and dirty.isdisjoint(keys):
                number = self._number[before]
            else:
                self.chosen += 1
                if candidate is None:
                    candidate = self._candidate(position)
                number = merger.choose(candidate, keys)
            new = number is None
            number = merger.enter(number, position, keys, reach, candidate)
            if new and then >= 0:
                self._number[then] = number
            group = self.members[number]
            trace.founders.append(group[0])
            if then < 0 or was[group[0]] != before:
                if before >= 0:
                    self._earlier_differs(before)
                self._differs(number)
            if number in self._differ:
                dirty.update(keys)  # (last time's members' keys are dirty already)
        trace.spans = tuple(self._spans)
        trace.reaches = tuple(reaching)

    def groups(self) -> list[list[Candidate]]:
        """The groups :meth:`merge` made, every candidate loaded."""
        return [self.merger.members_of(number) for number in range(len(self.members))]

    def name(self, registry: Registry) -> list[Event]:
        """:func:`events.name_events` of the groups :meth:`merge` made."""
        named, kept, was = self.trace.named, self.earlier.named, self._was
        for number, members in enumerate(self.members):
            first = was[members[0]]
            event = kept.get(first) if first >= 0 else None
            if event is None or [was[m] for m in members] != self._then.get(first):
                event = events.name_group(self.merger.members_of(number), registry)
            named[members[0]] = event
        return events.number_events(list(named.values()))

    def _candidate(self, position: int) -> Candidate:
        """The candidate at ``position``, its article's candidates loaded if need be."""
        place = self._article_of[position]
        found = self._loaded.get(place)
        if found is None:
            key, found = self._articles[place]
            if found is None:
                assert self._load is not None, "an article given without candidates or load"
                found = self._load(key)
                self.loaded += 1
            self._loaded[place] = found
        return found[position - self._starts[place]]

    def _place(self, articles: Sequence[tuple[str, Sequence[Candidate] | None]]) -> bytearray:
        """Each candidate's position last time (-1 for one new since): an
        article under the same key has the same candidates. Returns, for
        each of last time's positions, whether a candidate is still there."""
        earlier, trace = self.earlier, self.trace
        start: dict[str, tuple[int, int]] = {}
        position = 0
        for key, count in zip(earlier.articles, earlier.counts, strict=True):
            start[key] = position, count
            position += count
        present = bytearray(position)
        position = 0
        for place, (key, found) in enumerate(articles):
            first, count = start.get(key, (None, 0))
            if found is not None:
                count = len(found)
            elif first is None:
                raise ValueError(f"no candidates given for {key}, which the trace does not hold")
            trace.counts.append(count)
            self._starts.append(position)
            self._article_of.extend(repeat(place, count))
            position += count
            if first is None:
                self._was.extend(repeat(-1, count))
            else:
                self._was.extend(range(first, first + count))
                present[first : first + count] = b"\x01" * count
        trace.articles = tuple(key for key, _ in articles)
        return present

    def _differs(self, number: int) -> None:
        if number in self._differ:
            return
        self._differ.add(number)
        for position in self.members[number]:
            self._dirty.update(self._keys[self.trace.span_of[position]])
        first = self._was[self.members[number][0]]
        if first >= 0:
            self._earlier_differs(first)

    def _earlier_differs(self, founder: int) -> None:
        if founder in self._differed:
            return
        self._differed.add(founder)
        earlier = self.earlier
        for position in self._then.get(founder, ()):
            self._dirty.update(merge_keys(earlier.spans[earlier.span_of[position]]))
        number = self._number.get(founder)
        if number is not None:
            self._differs(number)
