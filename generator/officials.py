"""officials.yml -> :class:`Registry`; finding officials named in a text.

A person can be named by full name, by an alias, or by a role title; a title
names whoever held the role on the date of the event, so the same words
("وزير الدفاع العراقي") point at different people in different years.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import yamlio
from generator.arabic import Folded, fold, normalize
from generator.errors import Diagnostics, SourceError
from generator.files import read_text, shown_path
from generator.models import Official, Role

OFFICIAL_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# ISO 3166-1 alpha-2 codes (officially assigned), for validating `country`.
COUNTRIES = frozenset(
    str.split(
        """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO
    DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU
    GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW
    KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU
    MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
    PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA
    ZM ZW"""
    )
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
            self._names.append((_key(official.name_ar), official.id, "name"))
            for alias in official.aliases:
                self._names.append((_key(alias), official.id, "alias"))
            surname = _key(official.name_ar).split()[-1]
            if " " in _key(official.name_ar) and len(surname) > 2:
                self._names.append((surname, official.id, "alias"))  # "حسين", "الكاظمي"
            for role in official.roles:
                for title in (role.title_ar, *role.extra_titles):
                    self._titles.append((_key(title), role, official.id))
        # Longest phrases first, so "سيرغي لافروف" wins over "لافروف".
        self._names = sorted(set(self._names), key=lambda n: (-len(n[0]), n[0], n[1], n[2]))
        self._titles.sort(key=lambda t: (-len(t[0]), t[0], t[2]))
        # One pattern for every phrase, compiled once: a text is scanned once,
        # however large the registry.
        self._by_phrase: dict[str, list[tuple[str, str, Role | None]]] = {}
        for phrase, official_id, how in self._names:
            self._by_phrase.setdefault(phrase, []).append((official_id, how, None))
        for phrase, role, official_id in self._titles:
            self._by_phrase.setdefault(phrase, []).append((official_id, "title", role))
        phrases = sorted(self._by_phrase, key=lambda p: (-len(p), p))
        self._pattern = _phrases_pattern(phrases) if phrases else None

    def __contains__(self, official_id: str) -> bool:
        return official_id in self.officials

    def __getitem__(self, official_id: str) -> Official:
        return self.officials[official_id]

    def holder(self, title: str, on: dt.date) -> str | None:
        """Who held the role called ``title`` on the day ``on``."""
        folded = _key(title)
        for phrase, role, official_id in self._titles:
            if phrase == folded and role.held_on(on):
                return official_id
        return None

    def find(self, text: str, on: dt.date, introduced: Collection[str] = ()) -> list[Mention]:
        """Officials named in ``text``, by name, alias or a title held ``on`` that day.

        A single-word name ("حسين", "لافروف") is a surname: it names the
        official only when the full name was met before, earlier in ``text``
        or in the article so far (``introduced``), since it is also a common
        word or another person's name. A title names the one person who held
        it that day; a title held by several (deputy prime ministers) names
        nobody unless one of them was introduced. A title inside a longer one
        ("نائب رئيس الوزراء") is not that title.
        """
        if self._pattern is None:
            return []
        folded = match_fold(text)
        mentions: list[Mention] = []
        full_at: dict[str, int] = {}
        for match in self._pattern.finditer(folded.text):
            start, end = match.span("phrase")
            phrase = " ".join(match["phrase"].split())
            entries = self._by_phrase.get(phrase) or self._by_phrase.get("ا" + phrase, [])
            if _DEPENDENT.search(folded.text, max(0, start - 40), start):
                entries = [e for e in entries if e[1] != "title"]
            names = [(oid, how) for oid, how, role in entries if role is None]
            titled = sorted({oid for oid, how, role in entries if role and role.held_on(on)})
            chosen: list[tuple[str, str]] = []
            for official_id, how in names:
                if " " in phrase:
                    chosen.append((official_id, how))
                    full_at.setdefault(official_id, start)
                elif official_id in introduced or full_at.get(official_id, end) < start:
                    chosen.append((official_id, "surname"))
            if not chosen and titled:
                if len(titled) > 1:
                    titled = [o for o in titled if o in introduced or o in full_at]
                if len(titled) == 1:
                    chosen.append((titled[0], "title"))
            unique: dict[str, str] = {}
            for official_id, how in chosen:  # a name listed again as an alias is one person
                unique.setdefault(official_id, how)
            chosen = list(unique.items())
            if len(chosen) > 1:  # one phrase, several people: only someone already met
                known = [c for c in chosen if c[0] in introduced or c[0] in full_at]
                chosen = known if len(known) == 1 else []
            for official_id, how in chosen:
                original = folded.span(start, end)
                mentions.append(Mention(official_id, original[0], original[1], how))
        mentions.sort(key=lambda m: (m.start, m.official))
        return mentions

    def office_holders(self, office: str, country: str | None, on: dt.date) -> list[str]:
        """Officials holding, on ``on``, a role whose office (title without its
        nationality, see :func:`office_of`) starts with ``office``."""
        found = []
        for official in self.officials.values():
            if country is not None and official.country != country:
                continue
            for role in official.roles:
                if role.held_on(on) and any(
                    office_of(t)[0].startswith(office) for t in (role.title_ar, *role.extra_titles)
                ):
                    found.append(official.id)
                    break
        return found

    def offices(self, official_id: str, on: dt.date) -> list[str]:
        """The offices (titles without nationality) ``official_id`` held on ``on``."""
        official = self.officials[official_id]
        return [office_of(r.title_ar)[0] for r in official.roles if r.held_on(on)]


# Nationality adjectives and country names (folded) -> ISO code. Used to read
# "نظيره العراقي" and to take a title apart into office and country.
NATIONALITIES = {
    "العراقي": "IQ", "الروسي": "RU", "الامريكي": "US", "السوري": "SY", "الايراني": "IR",
    "التركي": "TR", "السعودي": "SA", "المصري": "EG", "الاردني": "JO", "الكويتي": "KW",
    "الاماراتي": "AE", "القطري": "QA", "اللبناني": "LB", "الصيني": "CN", "الفرنسي": "FR",
    "البريطاني": "GB", "الالماني": "DE", "الاسرائيلي": "IL", "الفلسطيني": "PS",
    "الاوكراني": "UA", "العماني": "OM", "البحريني": "BH", "اليمني": "YE", "الليبي": "LY",
    "الجزائري": "DZ", "المغربي": "MA", "التونسي": "TN", "السوداني": "SD", "الهندي": "IN",
    "الياباني": "JP", "الايطالي": "IT", "الاسباني": "ES", "الباكستاني": "PK",
}  # fmt: skip
COUNTRY_WORDS = {
    "العراق": "IQ", "روسيا": "RU", "امريكا": "US", "الولايات المتحده": "US", "سوريا": "SY",
    "ايران": "IR", "تركيا": "TR", "السعوديه": "SA", "مصر": "EG", "الاردن": "JO",
    "الكويت": "KW", "الامارات": "AE", "قطر": "QA", "لبنان": "LB", "الصين": "CN",
    "فرنسا": "FR", "بريطانيا": "GB", "المانيا": "DE", "اسرائيل": "IL", "فلسطين": "PS",
    "اوكرانيا": "UA", "بغداد": "IQ", "موسكو": "RU", "واشنطن": "US", "دمشق": "SY", "طهران": "IR",
    "روسيا الاتحاديه": "RU",
}  # fmt: skip


def nationality(word: str) -> str | None:
    """The country of a folded nationality adjective, in any gender or number."""
    word = word.strip()
    if word.startswith("ل") and not word.startswith("ال"):
        word = "ا" + word  # لل contraction after ل
    for ending in ("يه", "ين", "يون"):
        if word.endswith(ending) and word[: -len(ending)] + "ي" in NATIONALITIES:
            return NATIONALITIES[word[: -len(ending)] + "ي"]
    return NATIONALITIES.get(word)


def office_of(title: str) -> tuple[str, str | None]:
    """Split a title into its office and country: "وزير الخارجية الروسي" ->
    ("وزير الخارغيه", "RU"); "وزير خارجية روسيا" -> the same; "السفير الروسي
    لدى العراق" -> ("السفير لدي العراق", "RU"). A nationality adjective names
    the country; failing one, a country name at the end does (construct state).
    """
    words = match_fold(title).text.split()
    for index, word in enumerate(words):
        code = nationality(word)
        if code is not None and index > 0:
            return " ".join(words[:index] + words[index + 1 :]), code
    for size in (2, 1):
        if len(words) > size:
            code = COUNTRY_WORDS.get(" ".join(words[-size:]))
            if code is not None:
                rest = words[:-size]
                if rest and rest[-1] in ("لدي", "في"):
                    rest = rest[:-1]
                elif len(rest) > 1 and not rest[-1].startswith("ال"):
                    rest[-1] = "ال" + rest[-1]
                return " ".join(rest), code
    return " ".join(words), None


@functools.lru_cache(maxsize=1024)
def match_fold(text: str) -> Folded:
    """:func:`~generator.arabic.fold`, then the spelling variants of names and
    adjectives borrowed from other languages: ج/غ (سيرجي/سيرغي) and
    اميركي/امريكي. Both keep the length, so offsets stay valid.

    Remembered: the stages of extraction fold the same clause four times over.
    """
    folded = fold(text)
    value = folded.text.translate(_NAME_LETTERS).replace("اميرك", "امريك")
    return Folded(value, folded.origin)


_NAME_LETTERS = str.maketrans({"ج": "غ", "گ": "غ", "ڤ": "ف", "پ": "ب"})


def _key(phrase: str) -> str:
    """A registry phrase folded as texts are folded for matching."""
    return " ".join(match_fold(phrase).text.split())


def _phrases_pattern(phrases: list[str]) -> re.Pattern[str]:
    """Every phrase as a whole word sequence, allowing the clitics و ف ب ل ك before it."""
    bodies = []
    for phrase in phrases:
        words = [re.escape(w) for w in phrase.split()]
        if words[0].startswith("ال"):
            words[0] = f"(?:{words[0]}|ل{words[0][2:]})"  # ل + ال contracts to لل
        bodies.append(r"\s+".join(words))
    return re.compile(rf"(?<![\w])(?:[وف]?[بلك]?)(?P<phrase>{'|'.join(bodies)})(?![\w])")


# A title right after one of these words is part of a longer title: "نائب رئيس
# الوزراء" is not the prime minister, "مستشار الرئيس" is not the president.
_DEPENDENT = re.compile(
    r"(?<![\w])[وف]?(?:نايب|مساعد|مستشار|وكيل|مبعوث|سكرتير|مدير|مكتب|باسم|زوغه|زوغ|ابن|نغل|"
    r"شقيق|مندوب|ممثل)\s*,?\s*$"
)


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
            shown,
            entry.line_of("id"),
            f"id: expected an ASCII slug such as sergey-lavrov, got {official_id!r}",
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
            shown,
            entry.line_of("country"),
            f"country: expected an ISO 3166-1 alpha-2 code such as IQ, got {country!r}",
        )
    roles = _roles(entry, shown, diagnostics)
    if len(diagnostics.errors) > errors_before:
        return None
    extra = {
        k: v for k, v in entry.items() if k not in {"id", "name", "aliases", "country", "roles"}
    }
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


def roles_of(entry: yamlio.Node, shown: str, diagnostics: Diagnostics) -> tuple[Role, ...]:
    """The ``roles`` list of a mapping, checked as here (``overrides.yml`` reuses it)."""
    return _roles(entry, shown, diagnostics)


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
                    shown,
                    role.line,
                    f"roles: term overlaps the term of the same role at line {other.line}",
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
    diagnostics.error(
        shown, item.line_of(key), f"{key}: expected YYYY-MM-DD or null, got {value!r}"
    )
    return None


# --- Officials the registry does not know -----------------------------------

# Words that open an official's title, and the words a title may continue
# with before the person's name ("المتحدثة باسم وزارة الخارجية الروسية").
_TITLE_HEADS = (
    "وزير", "وزيره", "نائب", "رئيس", "رئيسه", "سفير", "سفيره", "المتحدث", "المتحدثه",
    "الناطق", "الناطقه", "مستشار", "مستشاره", "المبعوث", "مبعوث", "مساعد", "مساعده",
    "الامين", "امين", "السفير", "السفيره", "الوزير", "الوزيره", "الرئيس", "الرئيسه",
    "المستشار", "المستشاره", "المندوب", "مندوب", "قائد", "رئيسا", "عضو", "النائب",
    "ملك", "الملك", "امير", "الامير", "ولي", "السيناتور", "الجنرال", "العميد", "اللواء",
)  # fmt: skip
_TITLE_LINKS = frozenset(
    str.split(
        "باسم وزاره لدي في ب عام العام الاول الثاني مجلس لجنه الشؤون شؤون هيئه الامن "
        "الخارجيه الدفاع الداخليه الوزراء الجمهوريه الدولي الدوليه الخاص العهد "
        "وزير الوزير رئيس نائب لشؤون للشؤون الحكومه حكومه"
    )
)
# Words that cannot start a personal name: particles, pronouns, common verbs of reporting.
_NOT_A_NAME = frozenset(
    str.split(
        "في على علي الى الي من عن مع ان انه انها قد لقد كان كانت هذا هذه ذلك تلك التي الذي "
        "خلال بعد قبل حول بشان اليوم امس غدا يوم او و ثم لا لم لن ما قال قالت اكد اكدت "
        "اشار اشارت اوضح اوضحت اعرب اعربت اعلن اعلنت ابدي شدد يزور زار التقي استقبل بحث "
        "ناقش وصل يصل سيصل لدي بين عبر اثناء تجاه نحو حيث منذ بلاده بلادها نظيره نظيرته "
        "الاسبق السابق الحالي الجديد المكلف وكاله ازاء قريبا موخرا لاحقا حاليا رسميا ايضا "
        "بالفعل بدوره كذلك هناك هنا عندما بينما فيما معه معها معهم "
        # verbal nouns that follow a title as what the official does ("يعتزم الوزير لقاء …")
        "لقاء زياره اجتماع مباحثات محادثات توقيع استقبال"
    )
)
_WORD = re.compile(r"[\u0621-\u064a\w]+|[,;:.!?\"“”«»()]")
_TITLE_HEAD_SET = frozenset(_TITLE_HEADS)
_ANY_HEAD = re.compile(
    r"(?<![\w])[وفبل]?(?:" + "|".join(sorted(_TITLE_HEADS, key=len, reverse=True)) + r")(?![\w])"
)


def is_title_head(word: str) -> bool:
    """Does a (folded) word open an official's title: "وزير", "المتحدثة", "السفير"?"""
    return word in _TITLE_HEAD_SET


def _title_word(word: str) -> bool:
    return (
        word in _TITLE_LINKS
        or word.startswith(("ال", "لل"))
        or nationality(word) is not None
        or word in COUNTRY_WORDS
    )


@functools.cache
def _folded_heads() -> frozenset[str]:
    return frozenset(match_fold(head).text for head in _TITLE_HEADS)


def _name_word(word: str, original: str) -> bool:
    """Could ``word`` (folded) be part of a personal name? Rules out particles,
    titles, places with a clitic ("لموسكو"), verbs of the istaf'ala form and
    words carrying a possessive suffix ("تفاوله"), which names rarely are."""
    if word[:1] in "لبوف" and (word[1:] in COUNTRY_WORDS or "ال" + word[1:] in COUNTRY_WORDS):
        return False
    if word[:1] in "لوف" and word[1:] in _NOT_A_NAME:
        return False  # a particle or verb with a clitic: "وبحث", "لبحث"
    heads = _folded_heads()  # as the text is folded: "نائب" reads "نايب"
    if word in heads or (word[:1] in "وفل" and word[1:] in heads):
        return False  # another title begins: "وزير الدفاع ونائب رئيس الوزراء"
    if word.startswith(("است", "يست", "تست")) or (
        original.endswith(("ه", "ها", "هم", "هما")) and not word.endswith("الله") and len(word) > 3
    ):
        return False
    return (
        len(word) >= 2
        and word.isalpha()
        and "\u0621" <= word[0] <= "\u064a"
        and word not in _NOT_A_NAME
        and not _title_word(word)
    )


@dataclass(frozen=True)
class Unregistered:
    """A title followed by a name the registry does not know."""

    name: str  # as written in the article
    title: str  # as written in the article
    country: str | None
    path: str  # the article's path, for path:line messages
    line: int
    article: str  # article id
    sentence: str

    @property
    def suggested_id(self) -> str:
        return transliterate(self.name)

    def yaml_entry(self) -> str:
        """A ready-to-paste ``officials.yml`` entry; the editor checks the English and the term."""
        english = " ".join(w.capitalize() for w in self.suggested_id.split("-"))
        country = self.country or "XX  # ISO 3166-1 alpha-2 code: fill in"
        name, title = _quoted(self.name), _quoted(self.title)  # JSON strings are YAML strings
        return (
            f"- id: {self.suggested_id}\n"
            f'  name: {{ar: {name}, en: "{english}"}}\n'
            f"  aliases: []\n"
            f"  country: {country}\n"
            f"  roles:\n"
            f'    - title: {{ar: {title}, en: ""}}\n'
            f"      from: null\n"
            f"      to: null\n"
        )


def _quoted(text: str) -> str:
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def unregistered(articles: Iterable[Any], registry: Registry) -> list[Unregistered]:
    """Persons named after an official's title whom the registry does not know.

    Only a title followed directly by two name-like words counts, and only
    when neither word belongs to a registered name: so the report lists people
    to add, not every noun after "رئيس".
    """
    from generator.arabic import sentences  # local: arabic imports nothing from here

    found: dict[tuple[str, str], Unregistered] = {}
    for article in articles:
        for span in sentences(article.body):
            folded = match_fold(span.text)
            if not _ANY_HEAD.search(folded.text):
                continue
            registered: list[Mention] | None = None
            words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(folded.text)]
            for index, (head, _, _) in enumerate(words):
                bare = head[1:] if head[:1] in "وفبل" and head[1:] in _TITLE_HEAD_SET else head
                if bare not in _TITLE_HEAD_SET:
                    continue
                end = index + 1
                while end < len(words) and end - index <= 8 and _title_word(words[end][0]):
                    end += 1
                if end == index + 1:
                    continue  # a bare head ("الوزير", "السفير") is too vague to file
                name_at = end + 1 if end < len(words) and words[end][0] == "," else end
                pair = words[name_at : name_at + 2]
                if len(pair) < 2 or not all(
                    _name_word(w, span.text[slice(*folded.span(a, b))]) for w, a, b in pair
                ):
                    continue
                o_start, o_end = folded.span(pair[0][1], pair[1][2])
                if registered is None:  # only where a title is followed by a name
                    registered = registry.find(span.text, article.published, registry.officials)
                if any(m.start < o_end and o_start < m.end for m in registered):
                    continue
                t_start, t_end = folded.span(
                    words[index][1] + len(head) - len(bare), words[end - 1][2]
                )
                name = span.text[o_start:o_end]
                title = span.text[t_start:t_end]
                country = office_of(title)[1]
                key = (article.id, normalize(name))
                if key in found:
                    continue
                offset = span.start + o_start
                line = article.body_line + article.body.count("\n", 0, offset)
                found[key] = Unregistered(
                    name, title, country, article.path, line, article.id, span.text
                )
    return sorted(found.values(), key=lambda u: (u.path, u.line, u.name))


_LATIN = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h",
    "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s",
    "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l",
    "م": "m", "ن": "n", "ه": "h", "ة": "a", "و": "u", "ي": "i", "ى": "a", "ء": "", "ئ": "i",
    "ؤ": "u", "ڤ": "v", "پ": "p", "گ": "g",
}  # fmt: skip


def transliterate(name: str) -> str:
    """A rough ASCII slug for an Arabic name, a starting point for the editor."""
    words = []
    for word in name.split():
        latin = "".join(_LATIN.get(c, "") for c in word)
        latin = re.sub(r"([aiu])\1+", r"\1", latin)
        if latin:
            words.append(latin)
    return "-".join(words) or "unknown"


def warn_unregistered(found: Iterable[Unregistered], diagnostics: Diagnostics) -> None:
    """One build warning per unknown official, at the line that names them."""
    for person in found:
        diagnostics.warn(
            person.path,
            person.line,
            f"{person.title} {person.name}: not in officials.yml "
            f"(a ready-to-paste entry is in report/unregistered.yml)",
        )
