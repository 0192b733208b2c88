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
group) unless one of its keys is *dirty*: a key of a member, then or now, of
a group whose members are not last time's. A candidate that is new, or has a
dirty key, chooses as :func:`events.merge` has it choose; when it chooses
otherwise than last time, the group it left and the group it joined differ
from then, and their members' keys become dirty. The groups of a candidate
gone since last time differ from the start. A candidate with no dirty key
sees only groups holding last time's members, so it chooses as then.

The groups are those :func:`events.merge` makes, in the same order
(tests/test_remerge.py checks it on random archives and edits), for the
work of the candidates an edit reaches. A group of last time's members keeps
the event named for it then (:func:`events.name_group`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator import events
from generator.events import Candidate, MergeKey, MergeSpan, merge_keys, merge_span
from generator.models import Event
from generator.officials import Registry

#: A candidate across builds: the key of its article's candidates (the
#: article's text, the registry and the code: ``analysis.Analysis.extract``)
#: and its position among them.
Ident = tuple[str, int]


@dataclass
class Trace:
    """What a merge chose, for the next build to replay."""

    founders: dict[Ident, Ident] = field(default_factory=dict)  # -> its group's first member
    spans: dict[Ident, MergeSpan] = field(default_factory=dict)  # its keys, compactly
    named: dict[tuple[Ident, ...], Event] = field(default_factory=dict)  # a group's event


class Replay:
    """One merge, replaying ``earlier``'s choices where they must stand."""

    def __init__(self, earlier: Trace | None = None):
        self.earlier = earlier or Trace()
        self.merger = events.Merger()
        self.members: list[list[Ident]] = []  # of each group, in the merger's order
        self.trace = Trace()
        self.chosen = 0  # candidates that chose again, rather than as last time
        self._dirty: set[MergeKey] = set()
        self._differ: set[int] = set()  # groups whose members are not last time's
        self._differed: set[Ident] = set()  # last time's groups, by first member, not so now
        self._number: dict[Ident, int] = {}  # first member -> its group
        self._was: dict[Ident, list[Ident]] = defaultdict(list)  # last time's groups
        for ident, founder in self.earlier.founders.items():
            self._was[founder].append(ident)

    def merge(
        self, candidates: Sequence[Candidate], idents: Sequence[Ident]
    ) -> list[list[Candidate]]:
        """:func:`events.merge` of ``candidates``, known across builds by ``idents``."""
        present = set(idents)
        for ident, founder in self.earlier.founders.items():
            if ident not in present:
                self._earlier_differs(founder)
        before_of, dirty, merger = self.earlier.founders.get, self._dirty, self.merger
        for candidate, ident in zip(candidates, idents, strict=True):
            span = self.trace.spans[ident] = merge_span(candidate)
            keys = merge_keys(span)
            before = before_of(ident)
            if before == ident and dirty.isdisjoint(keys):
                number = None  # it began a group, and no group it sees has changed
            elif before in self._number and dirty.isdisjoint(keys):
                number = self._number[before]
            else:
                self.chosen += 1
                number = merger.choose(candidate, keys)
            number = merger.join(number, candidate, keys)
            if number == len(self.members):
                self.members.append([])
                self._number[ident] = number
            group = self.members[number]
            group.append(ident)
            founder = self.trace.founders[ident] = group[0]
            if founder != before:
                if before is not None:
                    self._earlier_differs(before)
                self._differs(number)
            elif founder in self._differed:
                self._differs(number)
            if number in self._differ:
                dirty.update(keys)
        return merger.groups

    def name(self, registry: Registry) -> list[Event]:
        """:func:`events.name_events` of the groups :meth:`merge` made."""
        named, kept = self.trace.named, self.earlier.named
        for group, members in zip(self.merger.groups, self.members, strict=True):
            key = tuple(members)
            event = kept.get(key)
            named[key] = event if event is not None else events.name_group(group, registry)
        return events.number_events(list(named.values()))

    def _differs(self, number: int) -> None:
        if number in self._differ:
            return
        self._differ.add(number)
        for ident in self.members[number]:
            self._dirty.update(merge_keys(self.trace.spans[ident]))
        self._earlier_differs(self.members[number][0])

    def _earlier_differs(self, founder: Ident) -> None:
        if founder in self._differed:
            return
        self._differed.add(founder)
        for ident in self._was.get(founder, ()):
            self._dirty.update(merge_keys(self.earlier.spans[ident]))
        number = self._number.get(founder)
        if number is not None:
            self._differs(number)
