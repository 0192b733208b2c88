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
the event named for it then (:func:`events.name_group`), and the events keep
last time's numbers but those sharing an id with an event named anew or
gone (:func:`events.number_events`).

A candidate that keeps its choice costs a few lookups in arrays: its keys,
and what its date brings to its group's, are numbered as the trace numbered
them, and the index of the groups by key and what dates each group admits
are made only for the keys and groups a choice looks at, from the
candidates' positions under each key (:class:`_Merger`).
"""

from __future__ import annotations

import bisect
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat

from generator import events
from generator.events import Candidate, MergeKey, MergeSpan, Reach, merge_keys, merge_span
from generator.models import Event
from generator.officials import Registry

#: The spans and reaches of candidates gone since keep their numbers until
#: they outnumber those in use by more than this.
COMPACT_SLACK = 64


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
    #: The candidates' keys, compactly, each once (with those of candidates
    #: gone since, until they are many: see :meth:`Replay.merge`).
    spans: tuple[MergeSpan, ...] = ()
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
    known by their position, and ``load`` gives the candidate at one.

    Nor are the index of the groups by key and what dates each group admits
    kept up as members join, as :func:`events.merge` keeps them: they are
    made when a choice asks, from the positions of the candidates under each
    key (``spans``, ``span_of``: every candidate's, known before the walk)
    and the group each candidate walked so far joined, and from what each
    member's date brings (``reaches``, ``reach_of``, as ``events.reach``
    has it). A group those rule out is passed over unread."""

    def __init__(
        self,
        load: Callable[[int], Candidate],
        spans: list[MergeSpan],
        span_of: array,
        reaches: list[Reach],
        reach_of: array,
    ):
        super().__init__()
        self.load = load
        self.members: list[list[int]] = []  # of each group, positions in reading order
        self.group_of = array("Q")  # each position walked -> its group
        self.position = 0  # of the candidate choosing
        self.spans, self.span_of = spans, span_of
        self.reaches, self.reach_of = reaches, reach_of
        self._by_span: dict[int, list[int]] | None = None  # a span -> positions under it
        self._by_people: dict[tuple[str, str, str], list[int]] | None = None  # -> spans
        self._by_month: dict[tuple[str, str, str], dict[int, list[int]]] = {}  # -> month -> spans
        #: key -> [positions under it, how many were walked, the groups they joined]
        self._under: dict[MergeKey, list] = {}
        self._admit: dict[int, tuple[int, events._Bounds]] = {}  # group -> (members in, bounds)

    def enter(self, number: int | None, position: int, candidate: Candidate | None) -> int:
        """Add the member at ``position`` (the next one in reading order) to
        group ``number``, or to a new group for None; its group's number.
        ``candidate``, when it is at hand, is taken at once."""
        if number is None:
            number = len(self.members)
            self.members.append([])
            self.groups.append([])
        members = self.members[number]
        members.append(position)
        self.group_of.append(number)
        if candidate is not None and len(self.groups[number]) == len(members) - 1:
            self.groups[number].append(candidate)
        return number

    def members_of(self, number: int) -> list[Candidate]:
        """The candidates of group ``number``, every member's."""
        group = self.groups[number]
        for position in self.members[number][len(group) :]:
            group.append(self.load(position))
        return group

    def choices(self, keys: list[MergeKey]) -> list[int]:
        """The groups a candidate walked before :attr:`position` joined under
        any of ``keys``, in the order they were made."""
        found: set[int] = set()
        for key in keys:
            found.update(self._groups_under(key))
        return sorted(found)

    def admits(self, number: int, period: tuple, window: tuple) -> bool:
        members = self.members[number]
        counted, bounds = self._admit.get(number, (0, None))
        if bounds is None:
            bounds = events._Bounds()
        if counted < len(members):
            reaches, reach_of = self.reaches, self.reach_of
            for position in members[counted:]:
                bounds.add_reach(reaches[reach_of[position]])
            self._admit[number] = (len(members), bounds)
        return bounds.admit(period, window)

    def _groups_under(self, key: MergeKey) -> set[int]:
        """The groups joined under ``key`` before :attr:`position`."""
        entry = self._under.get(key)
        if entry is None:
            by_span = self._positions()
            under = (by_span.get(span, ()) for span in self.spans_with(key))
            positions = sorted(chain.from_iterable(under))
            entry = self._under[key] = [positions, 0, set()]
        positions, walked, found = entry
        end = bisect.bisect_left(positions, self.position, walked)
        if end > walked:
            found.update(map(self.group_of.__getitem__, positions[walked:end]))
            entry[1] = end
        return found

    def spans_with(self, key: MergeKey) -> list[int]:
        """The spans (by number) whose keys include ``key``."""
        family, status, person, month = key
        people = (family, status, person)
        by_month = self._by_month.get(people)
        if by_month is None:
            if self._by_people is None:
                self._by_people = defaultdict(list)
                for number, (fam, stat, persons, _, _) in enumerate(self.spans):
                    for one in persons:
                        self._by_people[(fam, stat, one)].append(number)
            by_month = self._by_month[people] = defaultdict(list)
            for number in self._by_people.get(people, ()):
                _, _, _, first, stop = self.spans[number]
                for each in range(first, stop):
                    by_month[each].append(number)
        return by_month.get(month, [])

    def _positions(self) -> dict[int, list[int]]:
        """Each span's candidates, by position (every candidate's, walked or not)."""
        if self._by_span is None:
            self._by_span = defaultdict(list)
            for position, span in enumerate(self.span_of):
                self._by_span[span].append(position)
        return self._by_span


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
        self.trace = Trace()
        self._spans: list[MergeSpan] = list(self.earlier.spans)  # numbered as the trace's
        self._reaches: list[Reach] = list(self.earlier.reaches)
        self.merger = _Merger(
            self._candidate, self._spans, self.trace.span_of, self._reaches, self.trace.reach_of
        )
        self.members = self.merger.members  # of each group, in the merger's order
        self.chosen = 0  # candidates that chose again, rather than as last time
        self.loaded = 0  # articles given without candidates whose candidates were loaded
        self._was = array("q")  # each candidate -> its position last time, or -1
        self._then: dict[int, list[int]] = defaultdict(list)  # last time's groups
        self._dirty: set[MergeKey] = set()
        self._dirty_span = bytearray()  # each span: whether one of its keys is dirty
        self._spent = bytearray()  # each span: whether all its keys are dirty already
        # The groups whose members are not last time's, as far as the walk
        # has come: the keys of their members, then and now, are dirty.
        self._differ: set[int] = set()  # groups a candidate joined otherwise than then
        self._differed: set[int] = set()  # last time's, by first member: lost or gained one
        self._number: dict[int, int] = {}  # last time's position of a first member -> group
        # The groups whose members may not be last time's, to name anew if not.
        self._touched: set[int] = set()  # groups a candidate joined by choosing
        self._touched_then: set[int] = set()  # last time's, by first member: one chose or went
        self._keys: dict[int, list[MergeKey]] = {}  # a span -> its keys, once asked for
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
        gone = self._place(articles)
        self._dirty_span = bytearray(len(self._spans))
        self._spent = bytearray(len(self._spans))
        for position in gone:  # its group lost a member
            founder = earlier.founders[position]
            self._touched_then.add(founder)
            self._earlier_differs(founder)
        was, then_founders, merger = self._was, earlier.founders, self.merger
        dirty_span, span_of, founders = self._dirty_span, trace.span_of, trace.founders
        members, number_of = self.members, self._number
        for position in range(len(was)):
            then = was[position]
            before = then_founders[then] if then >= 0 else -1
            chosen = False
            if then >= 0 and not dirty_span[span_of[position]]:
                if before == then:
                    number = None  # it began a group, and no group it sees has changed
                elif before in number_of:
                    number = number_of[before]
                else:
                    number, chosen = self._choose(position, before), True
            else:
                number, chosen = self._choose(position, before), True
            new = number is None
            number = merger.enter(number, position, None)
            if new and then >= 0:
                number_of[then] = number
            if chosen:
                self._touched.add(number)
            first = members[number][0]
            founders.append(first)
            if then < 0 or was[first] != before:
                if before >= 0:
                    self._earlier_differs(before)
                self._differs(number)
            if number in self._differ:
                self._dirty_keys(span_of[position])
        self._compact()
        trace.spans = tuple(self._spans)
        trace.reaches = tuple(self._reaches)

    def _choose(self, position: int, before: int) -> int | None:
        """The group the candidate at ``position`` joins, chosen anew (None: a
        group of its own); ``before``: the first member of its group last
        time, or -1."""
        self.chosen += 1
        self.merger.position = position
        span = self.trace.span_of[position]
        keys = self._keys.get(span)
        if keys is None:
            keys = self._keys[span] = merge_keys(self._spans[span])
        if before >= 0:
            self._touched_then.add(before)
        return self.merger.choose(self._candidate(position), keys)

    def groups(self) -> list[list[Candidate]]:
        """The groups :meth:`merge` made, every candidate loaded."""
        return [self.merger.members_of(number) for number in range(len(self.members))]

    def name(self, registry: Registry, numbered: Sequence[Event] | None = None) -> list[Event]:
        """:func:`events.name_events` of the groups :meth:`merge` made.

        ``numbered``: the events the earlier trace's merge named, as
        :func:`events.number_events` numbered them; only the events sharing
        an id with one named anew or gone are numbered again."""
        named, kept, was = self.trace.named, self.earlier.named, self._was
        number_of = self._number
        touched = self._touched | {number_of[f] for f in self._touched_then if f in number_of}
        fresh: list[Event] = []
        for number, members in enumerate(self.members):
            first = was[members[0]]
            event = kept.get(first) if first >= 0 else None
            if event is None or (
                number in touched and [was[m] for m in members] != self._then.get(first)
            ):
                event = events.name_group(self.merger.members_of(number), registry)
                fresh.append(event)
            named[members[0]] = event
        if numbered is None or not kept:
            return events.number_events(list(named.values()))
        return _renumbered(numbered, kept, named, fresh)

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

    def _place(self, articles: Sequence[tuple[str, Sequence[Candidate] | None]]) -> list[int]:
        """Each candidate's position last time (-1 for one new since): an
        article under the same key has the same candidates, with the same
        keys and dates; those of the others are numbered here. Returns last
        time's positions of the candidates gone since."""
        earlier, trace = self.earlier, self.trace
        start: dict[str, tuple[int, int]] = {}
        position = 0
        for key, count in zip(earlier.articles, earlier.counts, strict=True):
            start[key] = position, count
            position += count
        position = 0
        numbered: dict[MergeSpan, int] | None = None
        reaching: dict[Reach, int] | None = None
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
            if first is not None:
                self._was.extend(range(first, first + count))
                trace.span_of.extend(earlier.span_of[first : first + count])
                trace.reach_of.extend(earlier.reach_of[first : first + count])
                continue
            self._was.extend(repeat(-1, count))
            if numbered is None or reaching is None:
                numbered = {span: number for number, span in enumerate(self._spans)}
                reaching = {reach: number for number, reach in enumerate(self._reaches)}
            assert found is not None
            for candidate in found:
                span, reach = merge_span(candidate), events.reach(candidate)
                if span not in numbered:
                    numbered[span] = len(self._spans)
                    self._spans.append(span)
                if reach not in reaching:
                    reaching[reach] = len(self._reaches)
                    self._reaches.append(reach)
                trace.span_of.append(numbered[span])
                trace.reach_of.append(reaching[reach])
        trace.articles = tuple(key for key, _ in articles)
        present = set(trace.articles)
        return [
            p for key, (first, count) in start.items() if key not in present
            for p in range(first, first + count)
        ]  # fmt: skip

    def _compact(self) -> None:
        """Number again the spans and reaches in use, once those of candidates
        gone since are as many (each build keeps last time's numbers)."""
        trace = self.trace
        for values, of in ((self._spans, trace.span_of), (self._reaches, trace.reach_of)):
            used = sorted(set(of))
            if len(values) <= 2 * len(used) + COMPACT_SLACK:
                continue
            renumbered = {old: new for new, old in enumerate(used)}
            values[:] = [values[old] for old in used]
            of[:] = array("Q", map(renumbered.__getitem__, of))

    def _dirty_keys(self, span: int) -> None:
        """The keys of ``span`` are dirty, and so is every span sharing one."""
        if self._spent[span]:
            return
        self._spent[span] = 1
        dirty, dirty_span = self._dirty, self._dirty_span
        for key in self._keys.get(span) or merge_keys(self._spans[span]):
            if key not in dirty:
                dirty.add(key)
                for other in self.merger.spans_with(key):
                    dirty_span[other] = 1

    def _differs(self, number: int) -> None:
        if number in self._differ:
            return
        self._differ.add(number)
        span_of = self.trace.span_of
        for position in self.members[number]:
            self._dirty_keys(span_of[position])
        first = self._was[self.members[number][0]]
        if first >= 0:
            self._earlier_differs(first)

    def _earlier_differs(self, founder: int) -> None:
        if founder in self._differed:
            return
        self._differed.add(founder)
        span_of = self.earlier.span_of  # numbered as this merge's, until compacted
        for position in self._then.get(founder, ()):
            self._dirty_keys(span_of[position])
        number = self._number.get(founder)
        if number is not None:
            self._differs(number)


def _renumbered(
    numbered: Sequence[Event],
    then: dict[int, Event],
    now: dict[int, Event],
    fresh: list[Event],
) -> list[Event]:
    """:func:`events.number_events` of the events ``now`` names (in the order
    of their groups), given those it numbered for the events ``then`` named:
    the events of ids none named anew (``fresh``) nor gone keep their number,
    and the others are numbered again."""
    kept = {id(event) for event in now.values()}
    gone = [event for event in then.values() if id(event) not in kept]
    ids = {event.id for event in chain(gone, fresh)}
    if not ids:
        return list(numbered)
    counts = Counter(event.id for event in then.values() if event.id in ids)
    # The ids they were numbered with (an id ends with its type, never with a number).
    dropped = {f"{i}-{n}" if n > 1 else i for i, c in counts.items() for n in range(1, c + 1)}
    again = events.number_events([event for event in now.values() if event.id in ids])
    result = [event for event in numbered if event.id not in dropped]
    for event in again:
        bisect.insort(result, event, key=_sort_key)
    return result


def _sort_key(event: Event) -> tuple[str, str]:
    """How :func:`events.number_events` sorts what it returns."""
    return event.date.iso, event.id
