"""officials.yml -> :class:`Registry`; finding officials named in a text.

A person can be named by full name, by an alias, or by a role title; a title
names whoever held the role on the date of the event, so the same words
("وزير الدفاع العراقي") point at different people in different years.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import yamlio
from generator.arabic import fold, normalize
from generator.errors import Diagnostics, SourceError
from generator.files import read_text, shown_path
from generator.models import Official, Role

OFFICIAL_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# ISO 3166-1 alpha-2 codes (officially assigned), for validating `country`.
COUNTRIES = frozenset(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO
    DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU
    GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW
    KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU
    MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
    PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA
    ZM ZW""".split()
)


@dataclass(frozen=True)
class Mention:
    """An official named in a text, at a span of the original text."""

    official: str
    start: int
    end: int
    how: str  # "name", "alias" or "title"


class Registry:
    """The officials, and the phrases that name them."""

    def __init__(self, officials: Iterable[Official]):
        self.officials = {o.id: o for o in sorted(officials, key=lambda o: o.id)}
        self._names: list[tuple[str, str, str]] = []  # (folded phrase, id, how)
        self._titles: list[tuple[str, Role, str]] = []  # (folded title, role, id)
        for official in self.officials.values():
            self._names.append((normalize(official.name_ar), official.id, "name"))
            for alias in official.aliases:
                self._names.append((normalize(alias), official.id, "alias"))
            for role in official.roles:
                for title in (role.title_ar, *role.extra_titles):
                    self._titles.append((normalize(title), role, official.id))
        # Longest phrases first, so "سيرغي لافروف" wins over "لافروف".
        self._names.sort(key=lambda n: (-len(n[0]), n[0], n[1]))
        self._titles.sort(key=lambda t: (-len(t[0]), t[0], t[2]))

    def __contains__(self, official_id: str) -> bool:
        return official_id in self.officials

    def __getitem__(self, official_id: str) -> Official:
        return self.officials[official_id]

    def holder(self, title: str, on: dt.date) -> str | None:
        """Who held the role called ``title`` on the day ``on``."""
        folded = normalize(title)
        for phrase, role, official_id in self._titles:
            if phrase == folded and role.held_on(on):
                return official_id
        return None

    def find(self, text: str, on: dt.date) -> list[Mention]:
        """Officials named in ``text``, by name, alias or a title held ``on`` that day."""
        folded = fold(text)
        taken = [False] * len(folded.text)
        mentions: list[Mention] = []
        candidates: list[tuple[str, str, str]] = list(self._names)
        candidates += [(p, oid, "title") for p, role, oid in self._titles if role.held_on(on)]
        candidates.sort(key=lambda n: (-len(n[0]), n[0], n[1]))
        for phrase, official_id, how in candidates:
            for match in _phrase_pattern(phrase).finditer(folded.text):
                start, end = match.start("phrase"), match.end("phrase")
                if any(taken[start:end]):
                    continue
                for i in range(start, end):
                    taken[i] = True
                original = folded.span(start, end)
                mentions.append(Mention(official_id, original[0], original[1], how))
        mentions.sort(key=lambda m: (m.start, m.official))
        return mentions


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as a whole word sequence, allowing the clitics و ف ب ل ك before it."""
    pattern = _PATTERNS.get(phrase)
    if pattern is None:
        words = [re.escape(w) for w in phrase.split()]
        if words and words[0].startswith("ال"):
            first = f"(?:{words[0]}|ل{words[0][2:]})"  # ل + ال contracts to لل
        else:
            first = words[0]
        body = r"\s+".join([first, *words[1:]])
        pattern = re.compile(rf"(?<![\w])(?:[وف]?[بلك]?)(?P<phrase>{body})(?![\w])")
        _PATTERNS[phrase] = pattern
    return pattern


def load_registry(content: Path, diagnostics: Diagnostics) -> Registry:
    """Read ``officials.yml``; every problem goes to ``diagnostics``."""
    path = content / "officials.yml"
    shown = shown_path(path)
    if not path.exists():
        diagnostics.warn(shown, 0, "no officials registry; no official will be recognised")
        return Registry([])
    try:
        data = yamlio.load(read_text(path, shown), shown)
    except SourceError as problem:
        diagnostics.errors.append(problem)
        return Registry([])
    if data is None:
        data = []
    if not isinstance(data, list):
        diagnostics.error(shown, 1, "expected a list of officials ('- id: …')")
        return Registry([])
    officials: dict[str, Official] = {}
    for entry in data:
        official = _official(entry, shown, diagnostics)
        if official is None:
            continue
        if official.id in officials:
            diagnostics.error(
                shown,
                official.line,
                f"id: duplicate id {official.id!r} (first at line {officials[official.id].line})",
            )
            continue
        officials[official.id] = official
    return Registry(officials.values())


def _official(entry: Any, shown: str, diagnostics: Diagnostics) -> Official | None:
    if not isinstance(entry, yamlio.Node):
        diagnostics.error(shown, 0, "each official must be a mapping with id, name, country, roles")
        return None
    errors_before = len(diagnostics.errors)
    line = entry.line
    official_id = entry.get("id")
    if official_id is None:
        diagnostics.error(shown, line, "id: required")
    elif not isinstance(official_id, str) or not OFFICIAL_ID.match(official_id):
        diagnostics.error(
            shown, entry.line_of("id"), f"id: expected an ASCII slug such as sergey-lavrov, got {official_id!r}"
        )
    name = entry.get("name")
    if not isinstance(name, dict) or not isinstance(name.get("ar"), str) or not name["ar"].strip():
        diagnostics.error(shown, entry.line_of("name"), "name: expected {ar: …, en: …}")
        name = {}
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        diagnostics.error(shown, entry.line_of("aliases"), "aliases: expected a list of names")
        aliases = []
    country = entry.get("country")
    if not isinstance(country, str) or country not in COUNTRIES:
        diagnostics.error(
            shown, entry.line_of("country"), f"country: expected an ISO 3166-1 alpha-2 code such as IQ, got {country!r}"
        )
    roles = _roles(entry, shown, diagnostics)
    if len(diagnostics.errors) > errors_before:
        return None
    extra = {k: v for k, v in entry.items() if k not in {"id", "name", "aliases", "country", "roles"}}
    return Official(
        id=official_id,
        name_ar=name["ar"].strip(),
        name_en=str(name.get("en") or official_id),
        aliases=tuple(a.strip() for a in aliases),
        country=country,
        roles=roles,
        line=line,
        extra=extra,
    )


def _roles(entry: yamlio.Node, shown: str, diagnostics: Diagnostics) -> tuple[Role, ...]:
    raw = entry.get("roles") or []
    if not isinstance(raw, list):
        diagnostics.error(shown, entry.line_of("roles"), "roles: expected a list")
        return ()
    roles: list[Role] = []
    for item in raw:
        if not isinstance(item, yamlio.Node):
            diagnostics.error(shown, entry.line_of("roles"), "roles: each role must be a mapping")
            continue
        title = item.get("title")
        if not isinstance(title, dict) or not isinstance(title.get("ar"), str):
            diagnostics.error(shown, item.line_of("title"), "title: expected {ar: …, en: …}")
            continue
        start = _day(item, "from", shown, diagnostics)
        end = _day(item, "to", shown, diagnostics)
        if start and end and end < start:
            diagnostics.error(shown, item.line_of("to"), f"to: {end} is before from: {start}")
            continue
        extra_titles = item.get("aliases") or []
        if not isinstance(extra_titles, list) or not all(isinstance(t, str) for t in extra_titles):
            diagnostics.error(shown, item.line_of("aliases"), "aliases: expected a list of titles")
            extra_titles = []
        role = Role(
            title_ar=title["ar"].strip(),
            title_en=str(title.get("en") or ""),
            start=start,
            end=end,
            line=item.line,
            extra_titles=tuple(extra_titles),
        )
        for other in roles:
            if normalize(other.title_ar) == normalize(role.title_ar) and _overlap(other, role):
                diagnostics.error(
                    shown, role.line, f"roles: term overlaps the term of the same role at line {other.line}"
                )
        roles.append(role)
    return tuple(roles)


def _overlap(a: Role, b: Role) -> bool:
    lo = dt.date.min
    hi = dt.date.max
    return (a.start or lo) <= (b.end or hi) and (b.start or lo) <= (a.end or hi)


def _day(item: yamlio.Node, key: str, shown: str, diagnostics: Diagnostics) -> dt.date | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    diagnostics.error(shown, item.line_of(key), f"{key}: expected YYYY-MM-DD or null, got {value!r}")
    return None
