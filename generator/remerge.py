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

Only the candidates that choose again are taken one by one, in reading
order (:class:`Replay`): the others, between two of them, are given last
time's groups a stretch at a time. Their keys, and what their dates bring
to their groups', keep the numbers the trace gave them, and the index of
the groups by key and what dates each group admits are made only for the
keys and groups a choice looks at, from the candidates' positions under
each key (:class:`_Merger`).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import operator
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, repeat

from generator import events
from generator.events import Candidate, MergeKey, MergeSpan, Reach, merge_keys, merge_span
from generator.models import Event
from generator.officials import Registry

#: The spans and reaches of candidates gone since keep their numbers until
#: they outnumber those in use by more than this.
COMPACT_SLACK = 64


#: Later than any position.
_NEVER = 1 << 62


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
    """An :class:`events.Merger` for the candidates that choose again.

    Its groups are known by the position of their first member, and their
    members by position: ``group`` gives a group with its members before a
    position, ``load`` the candidate at one, read back only when a choice
    looks at its group (or it is named anew). Nor are the index of the
    groups by key and what dates each group admits kept up as members join,
    as :func:`events.merge` keeps them: they are made when a choice asks,
    from the positions of the candidates under each key (``spans``,
    ``span_of``: every candidate's, known before the walk) and the group
    each candidate before it joined (``founders``), and from what each
    member's date brings (``reaches``, ``reach_of``, as ``events.reach`` has
    it). A group those rule out is passed over unread."""

    def __init__(
        self,
        load: Callable[[int], Candidate],
        group: Callable[[int, int], _Group],
        founders: Callable[[], array],
        spans: list[MergeSpan],
        span_of: array,
        reaches: list[Reach],
        reach_of: array,
    ):
        super().__init__()
        self.load, self.group, self.founders = load, group, founders
        self.position = 0  # of the candidate choosing
        self.spans, self.span_of = spans, span_of
        self.reaches, self.reach_of = reaches, reach_of
        self._by_span: dict[int, list[int]] | None = None  # a span -> positions under it
        self._by_people: dict[tuple[str, str, str], list[int]] | None = None  # -> spans
        self._by_month: dict[tuple[str, str, str], dict[int, list[int]]] = {}  # -> month -> spans
        #: key -> [positions under it, how many are before the position, their groups]
        self._under: dict[MergeKey, list] = {}

    def members_of(self, number: int) -> list[Candidate]:
        """The candidates of group ``number`` before :attr:`position`."""
        return [self.load(member) for member in self.group(number, self.position).members]

    def choices(self, keys: list[MergeKey]) -> list[int]:
        """The groups the candidates before :attr:`position` joined under any
        of ``keys``, in the order they were made (their first members')."""
        found: set[int] = set()
        for key in keys:
            found.update(self._groups_under(key))
        return sorted(found)

    def admits(self, number: int, period: tuple, window: tuple) -> bool:
        group = self.group(number, self.position)
        if group.counted < len(group.members):
            reaches, reach_of, bounds = self.reaches, self.reach_of, group.bounds
            for position in group.members[group.counted :]:
                bounds.add_reach(reaches[reach_of[position]])
            group.counted = len(group.members)
        return group.bounds.admit(period, window)

    def _groups_under(self, key: MergeKey) -> set[int]:
        """The groups joined under ``key`` before :attr:`position`."""
        entry = self._under.get(key)
        if entry is None:
            by_span = self.positions()
            under = (by_span.get(span, ()) for span in self.spans_with(key))
            positions = sorted(chain.from_iterable(under))
            entry = self._under[key] = [positions, 0, set()]
        positions, walked, found = entry
        end = bisect.bisect_left(positions, self.position, walked)
        if end > walked:
            found.update(map(self.founders().__getitem__, positions[walked:end]))
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

    def positions(self) -> dict[int, list[int]]:
        """Each span's candidates, by position, in order."""
        if self._by_span is None:
            self._by_span = defaultdict(list)
            for position, span in enumerate(self.span_of):
                self._by_span[span].append(position)
        return self._by_span


class _Group:
    """The members of a group, as far as :meth:`Replay._group` has looked,
    and what dates they admit."""

    __slots__ = ("following", "followed", "taken", "members", "due", "counted", "bounds")

    def __init__(self, following: list[int]):
        self.following = following  # last time's members now, by position: who may follow
        self.followed = 0  # how many of them were looked at
        self.taken = 0  # how many of the candidates that chose it were
        self.members: list[int] = []  # those found, in order
        self.due = 0  # no member but those is before this position
        self.counted = 0  # members in bounds
        self.bounds = events._Bounds()


class Replay:
    """One merge, replaying ``earlier``'s choices where they must stand.

    A candidate that chooses as last time needs nothing but its keys, which
    the trace holds: an article whose key the trace holds may be given
    without its candidates, which are loaded only if a choice looks at its
    groups (after a one-article edit at 10,000 articles, a tenth of the
    articles, for 2 % of the candidates).

    Nor is such a candidate walked: the candidates that choose again (those
    new since, and those a dirty key reaches, found by their keys as keys
    become dirty) are taken in reading order, and between two of them every
    candidate joins the group its first member of last time began again
    (which it did: had it chosen otherwise, or gone, the candidate's keys
    would be dirty), set for a stretch at a time. A group is known by the
    position of its first member.
    """

    def __init__(self, earlier: Trace | None = None):
        self.earlier = earlier or Trace()
        self.trace = Trace()
        self._spans: list[MergeSpan] = list(self.earlier.spans)  # numbered as the trace's
        self._reaches: list[Reach] = list(self.earlier.reaches)
        self.merger = _Merger(
            self._candidate,
            self._group,
            lambda: self.trace.founders,
            self._spans,
            self.trace.span_of,
            self._reaches,
            self.trace.reach_of,
        )
        self.chosen = 0  # candidates that chose again, rather than as last time
        self.loaded = 0  # articles given without candidates whose candidates were loaded
        self._was = array("q")  # each candidate -> its position last time, or -1
        self._now = array("q")  # each candidate of last time -> its position now, or -1
        #: last time's groups of more than one member: first member -> the others
        self._then: dict[int, list[int]] = defaultdict(list)
        self._decided = bytearray()  # each candidate: whether it chose again
        self._joined: dict[int, list[int]] = defaultdict(list)  # group -> who chose it
        self._groups: dict[int, _Group] = {}  # the members found so far, of groups looked at
        self._at = -1  # the candidate choosing, or the last that did
        self._waiting: list[int] = []  # a heap: the candidates to choose again
        self._dirty: set[MergeKey] = set()
        self._dirty_span = bytearray()  # each span: whether one of its keys is dirty
        self._spent = bytearray()  # each span: whether all its keys are dirty already
        # The groups whose members are not last time's, as far as the walk
        # has come: the keys of their members, then and now, are dirty.
        self._differ: set[int] = set()  # groups a candidate joined otherwise than then
        self._differed: set[int] = set()  # last time's, by first member: lost or gained one
        # The groups whose members may not be last time's, to name anew if not.
        self._touched: set[int] = set()  # groups a candidate joined by choosing
        self._touched_then: set[int] = set()  # last time's, by first member: one chose or went
        self._keys: dict[int, list[MergeKey]] = {}  # a span -> its keys, once asked for
        self._articles: Sequence[tuple[str, Sequence[Candidate] | None]] = ()
        self._load: Callable[[str], Sequence[Candidate]] | None = None
        self._article_of = array("Q")  # each candidate -> its article's place in _articles
        self._starts: list[int] = []  # each article's first candidate
        self._loaded: dict[int, Sequence[Candidate]] = {}  # articles loaded, by place
        # When most candidates are new, the merge from scratch: its groups,
        # and the first member of each.
        self._anew: list[list[Candidate]] | None = None
        self._firsts_anew: list[int] = []

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
        gone = self._place(articles)
        whole = len(self._was)
        trace.founders = array("Q", [0]) * whole
        if len(self._waiting) * 2 > whole:
            self._merge_anew()
            return
        founders = earlier.founders
        for position in compress(itertools.count(), map(operator.ne, founders, itertools.count())):
            self._then[founders[position]].append(position)
        self._decided = bytearray(whole)
        self._dirty_span = bytearray(len(self._spans))
        self._spent = bytearray(len(self._spans))
        for position in gone:  # its group lost a member
            founder = earlier.founders[position]
            self._touched_then.add(founder)
            self._earlier_differs(founder)
        waiting, walked = self._waiting, 0
        while waiting:
            position = heapq.heappop(waiting)
            if position < walked:
                continue  # waiting twice
            self._follow(walked, position)
            self._choose(position)
            walked = position + 1
        self._follow(walked, whole)
        self._compact()
        trace.spans = tuple(self._spans)
        trace.reaches = tuple(self._reaches)

    def _merge_anew(self) -> None:
        """:func:`events.merge` itself, every candidate choosing: when most
        are new since the earlier trace (all of them, without one)."""
        merger, trace, firsts = events.Merger(), self.trace, self._firsts_anew
        spans, span_of = self._spans, trace.span_of
        for position in range(len(self._was)):
            candidate, keys = self._candidate(position), merge_keys(spans[span_of[position]])
            number = merger.join(merger.choose(candidate, keys), candidate, keys)
            if number == len(firsts):
                firsts.append(position)
            trace.founders[position] = firsts[number]
        self.chosen = len(self._was)
        self._anew = merger.groups
        self._waiting.clear()
        self._compact()
        trace.spans = tuple(self._spans)
        trace.reaches = tuple(self._reaches)

    def _follow(self, start: int, stop: int) -> None:
        """The candidates from ``start`` to ``stop`` join the groups their
        first members of last time began again."""
        if start < stop:
            followed = map(self.earlier.founders.__getitem__, self._was[start:stop])
            self.trace.founders[start:stop] = array("Q", map(self._now.__getitem__, followed))

    def _choose(self, position: int) -> None:
        """The candidate at ``position`` chooses its group again."""
        self.chosen += 1
        self._at = self.merger.position = position
        then, was = self._was[position], self._was
        before = self.earlier.founders[then] if then >= 0 else -1
        span = self.trace.span_of[position]
        keys = self._keys.get(span)
        if keys is None:
            keys = self._keys[span] = merge_keys(self._spans[span])
        group = self.merger.choose(self._candidate(position), keys)
        if group is None:
            group = position  # a group of its own
        self.trace.founders[position] = group
        self._decided[position] = 1
        self._joined[group].append(position)
        known = self._groups.get(group)
        if known is not None and position < known.due:
            known.due = position
        self._touched.add(group)
        if before >= 0:
            self._touched_then.add(before)
        if then < 0 or was[group] != before:
            if before >= 0:
                self._earlier_differs(before)
            self._differs(group)
        if group in self._differ:
            self._dirty_keys(span)

    def _group(self, group: int, limit: int) -> _Group:
        """``group`` (known by its first member), its members found up to
        position ``limit``: last time's members of its first member's group
        that followed it, and those that chose it."""
        found = self._groups.get(group)
        if found is None:
            following = sorted(self._now[m] for m in self._members_then(self._was[group]))
            found = self._groups[group] = _Group(following)
        if limit > found.due:
            fresh = []
            following, followed = found.following, found.followed
            while followed < len(following) and following[followed] < limit:
                if following[followed] >= 0 and not self._decided[following[followed]]:
                    fresh.append(following[followed])
                followed += 1
            found.followed = followed
            joined, taken = self._joined.get(group, ()), found.taken
            while taken < len(joined) and joined[taken] < limit:
                fresh.append(joined[taken])
                taken += 1
            found.taken = taken
            found.members.extend(sorted(fresh))
            found.due = min(
                following[followed] if followed < len(following) else _NEVER,
                joined[taken] if taken < len(joined) else _NEVER,
            )
        return found

    def _members(self, group: int, limit: int) -> list[int]:
        """The members of ``group`` before position ``limit`` (:meth:`_group`)."""
        return self._group(group, limit).members

    def _members_then(self, first: int) -> list[int]:
        """The members of the group ``first`` began last time, in order (none
        if it began none, or is -1)."""
        if first < 0 or self.earlier.founders[first] != first:
            return []
        return [first, *self._then.get(first, ())]

    def _firsts(self) -> list[int]:
        """The first member of each group, in the order they were made."""
        founders = self.trace.founders
        return list(compress(range(len(founders)), map(operator.eq, founders, itertools.count())))

    def groups(self) -> list[list[Candidate]]:
        """The groups :meth:`merge` made, every candidate loaded."""
        if self._anew is not None:
            return self._anew
        whole = len(self._was)
        return [
            [self._candidate(m) for m in self._members(first, whole)] for first in self._firsts()
        ]

    def name(self, registry: Registry, numbered: Sequence[Event] | None = None) -> list[Event]:
        """:func:`events.name_events` of the groups :meth:`merge` made.

        ``numbered``: the events the earlier trace's merge named, as
        :func:`events.number_events` numbered them; only the events sharing
        an id with one named anew or gone are numbered again."""
        named, kept, was, now = self.trace.named, self.earlier.named, self._was, self._now
        founders, whole = self.trace.founders, len(self._was)
        if self._anew is not None:
            named.update(
                (first, events.name_group(group, registry))
                for first, group in zip(self._firsts_anew, self._anew, strict=True)
            )
            return events.number_events(list(named.values()))
        firsts = self._firsts()
        found = list(map(kept.get, map(was.__getitem__, firsts)))  # last time's
        named.update(zip(firsts, found, strict=True))
        began = {now[f] for f in self._touched_then if now[f] >= 0 and founders[now[f]] == now[f]}
        unnamed = set(compress(firsts, map(operator.is_, found, repeat(None))))
        fresh: list[Event] = []
        for first in sorted(self._touched | began | unnamed):
            members = self._members(first, whole)
            if first in unnamed or [was[m] for m in members] != self._members_then(was[first]):
                event = events.name_group([self._candidate(m) for m in members], registry)
                fresh.append(event)
                named[first] = event
        if numbered is None or not kept:
            return events.number_events(list(named.values()))
        # Last time's events not named again: those of the groups a candidate
        # left or joined by choosing, or which lost one that went.
        left = self._touched_then | {was[first] for first in self._touched if was[first] >= 0}
        gone = [kept[f] for f in left if f in kept and named.get(now[f]) is not kept[f]]
        return _renumbered(numbered, named, gone, fresh)

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
        """Each candidate's position last time (-1 for one new since, which
        waits to choose): an article under the same key has the same
        candidates, with the same keys and dates; those of the others are
        numbered here. Returns last time's positions of the candidates gone
        since."""
        earlier, trace = self.earlier, self.trace
        start: dict[str, tuple[int, int]] = {}
        position = 0
        for key, count in zip(earlier.articles, earlier.counts, strict=True):
            start[key] = position, count
            position += count
        self._now = array("q", [-1]) * position
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
            if first is not None:
                self._was.extend(range(first, first + count))
                self._now[first : first + count] = array("q", range(position, position + count))
                trace.span_of.extend(earlier.span_of[first : first + count])
                trace.reach_of.extend(earlier.reach_of[first : first + count])
                position += count
                continue
            self._was.extend(repeat(-1, count))
            self._waiting.extend(range(position, position + count))  # in order: a heap
            position += count
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
        """The keys of ``span`` are dirty, and so is every span sharing one:
        the candidates after the one choosing under those wait to choose."""
        if self._spent[span]:
            return
        self._spent[span] = 1
        dirty, dirty_span = self._dirty, self._dirty_span
        for key in self._keys.get(span) or merge_keys(self._spans[span]):
            if key in dirty:
                continue
            dirty.add(key)
            for other in self.merger.spans_with(key):
                if not dirty_span[other]:
                    dirty_span[other] = 1
                    under = self.merger.positions().get(other, [])
                    for position in under[bisect.bisect_right(under, self._at) :]:
                        heapq.heappush(self._waiting, position)

    def _differs(self, group: int) -> None:
        if group in self._differ:
            return
        self._differ.add(group)
        span_of = self.trace.span_of
        for position in self._members(group, self._at + 1):
            self._dirty_keys(span_of[position])
        first = self._was[group]
        if first >= 0:
            self._earlier_differs(first)

    def _earlier_differs(self, founder: int) -> None:
        if founder in self._differed:
            return
        self._differed.add(founder)
        span_of = self.earlier.span_of  # numbered as this merge's, until compacted
        for position in self._members_then(founder):
            self._dirty_keys(span_of[position])
        group = self._now[founder]  # the group it began again, if it has
        if 0 <= group <= self._at and self.trace.founders[group] == group:
            self._differs(group)


def _renumbered(
    numbered: Sequence[Event], named: dict[int, Event], gone: list[Event], fresh: list[Event]
) -> list[Event]:
    """:func:`events.number_events` of the events ``named`` (in the order of
    their groups), given ``numbered``, what it gave for the events named
    last time: of those, ``gone`` are no longer named, and ``fresh`` are
    named anew. The events of the other ids keep their numbers."""
    ids = {event.id for event in chain(gone, fresh)}
    if not ids:
        return list(numbered)
    again = [event for event in named.values() if event.id in ids]
    counts = Counter(event.id for event in chain(again, gone))
    counts.subtract(event.id for event in fresh)  # how many had each id last time
    # The ids they were numbered with (an id ends with its type, never with a number).
    dropped = {f"{i}-{n}" if n > 1 else i for i, c in counts.items() for n in range(1, c + 1)}
    result = [event for event in numbered if event.id not in dropped]
    for event in events.number_events(again):
        bisect.insort(result, event, key=_sort_key)
    return result


def _sort_key(event: Event) -> tuple[str, str]:
    """How :func:`events.number_events` sorts what it returns."""
    return event.date.iso, event.id
