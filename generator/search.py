"""Events, officials and articles -> a static search index, as more ``{path: bytes}``.

The index is built from the model, not from the rendered HTML: one search
document per event, official and source page, in each language of the site.
It is plain JSON under ``search/<lang>/`` that ``static/search.js`` reads:

- ``meta.json``: the document count, how many document numbers a chunk
  file spans, and the term shards, each listed with the first token it holds;
- ``docs-N.json``: the documents numbered N * :data:`CHUNK` up to the next
  chunk, each under its number (url relative to the site root, title, date
  label, kind, a short excerpt);
- ``terms-<digest>.json``: the inverted index, token -> the numbers of the
  documents holding it, ascending, each but the first written as its
  distance from the one before.

The files stay put under a small edit, so that a rebuild rewrites only the
files holding what it changed: the chunks of its documents, the shards of
their tokens, and ``meta.json``.

- **A document's number comes from the document** (:func:`numbering`), not
  from its rank among all of them: an official, event or source has a
  region of the number line (in that order), a day of it a run of
  :func:`slots` numbers (the newest day first), and a document's home is
  the slot of its day its address hashes to. Documents take their homes in
  the order of (home, address), or the next free number when it is taken,
  so numbers keep that order: sorting by number ranks officials, then
  events and sources, newest first, with no further data, and adding a
  document moves only the few packed right behind it, if any. The numbers
  are large (a region covers :data:`DAYS` days, most of them empty), but a
  term lists the gaps between its documents' numbers, which stay small: at
  10,000 articles of the benchmark the posting lists take 7.5 MB a
  language, 6.1 MB with the documents numbered densely, and took 16.4 MB
  as plain numbers.
- **A chunk holds a span of numbers**, so a new document changes one chunk.
- **Shards are cut where the tokens say** (:func:`_shards`): whether a shard
  ends after a token depends on that token's hash and the size of its
  entry and its neighbour's, not on the bytes accumulated since the last
  cut (but for a rare run that reaches twice :data:`SHARD_BYTES`, cut for
  its size), so a changed posting list moves at most the cut beside it.
  Cuts fall between tokens, so a whole word lies in exactly one shard and
  the tokens that start with a given prefix lie in consecutive shards: a
  query fetches one or two small files, however large the archive. A shard
  is named by a digest of its first token.

The file count grows with the size of the index, not with the number of
pages (an indexer of the HTML would write a file a page), and the index is
built in one pass over the documents.

Tokens are folded as :func:`generator.arabic.normalize` folds text (alef and
hamza forms, ى/ي, ة/ه, diacritics and tatweel, Arabic-Indic digits, lower
case), then split on anything that is not a letter or digit of
:data:`WORD`; ``search.js`` folds and splits a query the same way (a test runs
both on one table). An Arabic word is also indexed without its clitic
prefixes (و ف ب ل ك ال and their combinations), so «والعراق» is found by
«العراق» and by «عراق»; the query itself is never stripped.

Everything here is a pure function of (config, articles, registry, events)
and the output bytes are deterministic, whatever the builds before: sorted
keys, sorted lists, numbers from the documents. The cost is linear in the
text indexed. What an event or an article contributes (its place on the
number line, its tokens and its document in each language) depends on that
record alone, given the code, settings and registry, and what a shard lists
for a token on the token and its documents' numbers alone: a build passes a
:data:`Memo` and :data:`Terms` that keep them between builds, so an edit
folds again only the records it changed, and writes out again only the
lists of the tokens whose documents it changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import operator
import re
import zlib
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, groupby
from typing import Any

from generator import display, i18n
from generator.arabic import normalize
from generator.config import Config
from generator.models import Article, Event, EventDate, Official
from generator.officials import Registry

VERSION = 2
CHUNK = 2048  # document numbers per docs-N.json: 256 to 512 documents, most often
SHARD_BYTES = 24_000  # a term shard holds about this much JSON, twice at most (bar one token)
KINDS = ("official", "event", "source")  # the regions of the number line, in order
LAST_DAY = dt.date(2100, 1, 1).toordinal()  # the day the number line starts from
DAYS = 1 << 17  # days back from LAST_DAY that a region covers (to 1741)
SPREAD = 4  # a day has at least this many numbers for each document of an average day
EXCERPT = 160  # characters of excerpt shown under a result
SHORT = 100  # a text this long or shorter (a name, a label) is folded once a build

#: Every JSON file of the index, and each document in it: compact, keys sorted.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)

#: What a token is made of once folded: ASCII letters and digits, Latin
#: letters with diacritics, Greek, Cyrillic and Arabic letters. The same
#: class is written in static/search.js.
WORD = re.compile(
    "[0-9a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
    "\u0620-\u063f\u0641-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff]+"
)

_ARABIC_LETTER = re.compile("[\u0620-\u06ff]")

#: Clitic prefixes stripped from an Arabic word (already folded): a
#: conjunction (و ف), a preposition (ب ل ك) and the article (ال), in that
#: order, each optional; ل + ال is written لل.
_PREFIXES = tuple(
    sorted(
        {
            conj + prep + art
            for conj in ("", "و", "ف")
            for prep in ("", "ب", "ل", "ك")
            for art in ("", "ال")
            if conj + prep + art and (prep, art) != ("ل", "ال")
        }
        | {conj + "لل" for conj in ("", "و", "ف")}
    )
)
_MIN_STEM = 2  # a stripped word keeps at least this many letters


def fold(text: str) -> str:
    """``text`` folded for matching, exactly as ``fold()`` in search.js does."""
    return normalize(text)


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order (a query is split this way)."""
    return WORD.findall(fold(text))


def variants(token: str) -> tuple[str, ...]:
    """``token`` and, for an Arabic word, the word without its clitic prefixes.

    «والعراق» -> والعراق, العراق, عراق; «للعراق» -> للعراق, لعراق, عراق, العراق.
    """
    if not _ARABIC_LETTER.match(token):
        return (token,)
    found = {token}
    for prefix in _PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= _MIN_STEM:
            stem = token[len(prefix) :]
            found.add(stem)
            if prefix.endswith(("ال", "لل")):
                found.add("ال" + stem)
    return tuple(sorted(found))


@dataclass(frozen=True)
class Document:
    """One page as search sees it."""

    url: str  # relative to the site root, e.g. "en/events/x/"
    title: str
    date: str  # a short date label in the page's language ("" when none)
    kind: str  # "event", "official" or "source"
    excerpt: str
    texts: tuple[str, ...]  # what is indexed: the same in every language


#: Where a document goes on the number line (:func:`numbering`): its kind,
#: its address in the first language (the same document in every language),
#: its day as an ordinal (officials have none: the first day of the line)
#: and the hash of its address.
Place = tuple[str, str, int, int]

#: What one record adds to the index: its place, its tokens, and its
#: document's JSON (UTF-8, as written: most of it is Arabic, two bytes a
#: letter either way) in each language of the site, in order.
Entry = tuple[Place, tuple[str, ...], tuple[bytes, ...]]

#: ``memo(record, make)``: the entry of an event or article, made by ``make``
#: unless it was kept; see ``render.Fragments``.
Memo = Callable[[Any, Callable[[Any], Entry]], Entry]


def fresh(record: Any, make: Callable[[Any], Entry]) -> Entry:
    """The :data:`Memo` that keeps nothing."""
    return make(record)


#: ``terms(postings)``: what a term shard lists for each (token, numbers),
#: in order: :func:`entry` of each, unless it was kept (``Site.search_terms``).
Terms = Callable[[list[tuple[str, array]]], list[bytes]]


def fresh_terms(postings: list[tuple[str, array]]) -> list[bytes]:
    """The :data:`Terms` that keeps nothing."""
    return [entry(token, numbers) for token, numbers in postings]


def documents(
    config: Config, articles: list[Article], registry: Registry, events: list[Event]
) -> dict[str, list[Document]]:
    """The search documents of each language of the site, in their ranking order.

    Officials come first (few, and a name most often means the person), then
    events and sources, newest first. The indexed text holds both languages'
    words (titles, names, type and country labels) and is the same in every
    language, so a reader finds a page by its Arabic or its English name from
    either search page, and the index is computed once for all languages.
    """
    records = _records(articles, registry, events)
    texts = [_texts(kind, record, registry) for kind, record in records]
    labels = {lang: _date_label(config, lang) for lang in config.languages}
    return {
        lang: [
            _document(config, lang, kind, record, text, labels[lang])
            for (kind, record), text in zip(records, texts, strict=True)
        ]
        for lang in config.languages
    }


def _records(
    articles: list[Article], registry: Registry, events: list[Event]
) -> list[tuple[str, Any]]:
    """Every record with a page, in the order of :func:`documents`."""
    return [
        *(("official", o) for o in sorted(registry.officials.values(), key=lambda o: o.id)),
        *(("event", e) for e in sorted(events, key=lambda e: (e.date.value, e.id), reverse=True)),
        *(("source", a) for a in sorted(articles, key=lambda a: (a.published, a.id), reverse=True)),
    ]


def _date_label(config: Config, lang: str) -> Callable[[EventDate, Article | None], str]:
    """Dates as the pages show them (render.environment's ``date`` filter), remembered:
    thousands of events share a few hundred days."""
    label = display.labeller(lang == "en", config.digits)

    def date(value: EventDate, article: Article | None = None) -> str:
        months = config.month_names
        if article is not None and lang != "en":
            months = display.month_names_for(article, config.month_names)
        return label(value, months)

    return date


def _texts(kind: str, record: Any, registry: Registry) -> tuple[str, ...]:
    """What a page is found by, in both languages."""

    def names(official: Official) -> tuple[str, ...]:
        return (official.name_ar, official.name_en, *official.aliases)

    def labels(table: dict[str, dict[str, str]], key: str) -> tuple[str, ...]:
        return tuple(table[lang].get(key, key) for lang in sorted(table))

    if kind == "official":
        return (
            *names(record),
            *labels(i18n.COUNTRIES, record.country),
            *(title for r in record.roles for title in (r.title_ar, r.title_en, *r.extra_titles)),
        )
    if kind == "event":
        return (
            record.title_ar,
            record.title_en,
            *(n for o in record.officials if o in registry.officials for n in names(registry[o])),
            *labels(i18n.TYPES, record.type),
            record.location or "",
            *(c.sentence for c in record.sources),
            *(r.text for r in record.references),
        )
    outlet = str(record.extra.get("source_en") or "")
    return (record.title, record.source, outlet, record.body)


def _document(
    config: Config,
    lang: str,
    kind: str,
    record: Any,
    texts: tuple[str, ...],
    date: Callable[[EventDate, Article | None], str],
) -> Document:
    """The page of ``record`` in ``lang``: its address and what a result shows of it."""
    english = lang == "en"
    prefix = "" if lang == config.languages[0] else f"{lang}/"
    if kind == "official":
        current = [r for r in record.roles if r.end is None] or list(record.roles[-1:])
        return Document(
            url=f"{prefix}officials/{record.id}/",
            title=record.name_en if english else record.name_ar,
            date="",
            kind=kind,
            excerpt=(current[0].title_en if english else current[0].title_ar) if current else "",
            texts=texts,
        )
    if kind == "event":
        return Document(
            url=f"{prefix}events/{record.id}/",
            title=record.title_en if english else record.title_ar,
            date=date(record.date, None),
            kind=kind,
            excerpt=_excerpt(record.sources[0].sentence if record.sources else ""),
            texts=texts,
        )
    return Document(
        url=f"{prefix}sources/{record.id}/",
        title=record.title,
        date=date(EventDate(record.published), record),
        kind=kind,
        excerpt=_excerpt(record.body),
        texts=texts,
    )


def _excerpt(text: str) -> str:
    """The first words of ``text``, whitespace collapsed, cut at a word."""
    flat = " ".join(text[: EXCERPT * 2].split())  # enough to cut, without reading a whole body
    if len(flat) <= EXCERPT and len(text) <= EXCERPT * 2:
        return flat
    cut = flat.rfind(" ", 0, EXCERPT)
    return flat[: cut if cut > 0 else EXCERPT] + "…"


def index(
    config: Config,
    articles: list[Article],
    registry: Registry,
    events: list[Event],
    memo: Memo = fresh,
    terms: Terms = fresh_terms,
) -> dict[str, bytes]:
    """Every file of the search index, by its path relative to the site root."""
    return dict(index_files(config, articles, registry, events, memo, terms))


def index_files(
    config: Config,
    articles: list[Article],
    registry: Registry,
    events: list[Event],
    memo: Memo = fresh,
    terms: Terms = fresh_terms,
) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of every file of the search index, made as they are
    asked for; ``memo`` keeps the entries of events and articles between
    builds, ``terms`` the JSON of each token's documents."""
    labels = {lang: _date_label(config, lang) for lang in config.languages}
    folding = _Folding()

    def entry(kind: str, record: Any) -> Entry:
        texts = _texts(kind, record, registry)
        rows = tuple(
            _row(_document(config, lang, kind, record, texts, labels[lang]))
            for lang in config.languages
        )
        return _place(kind, record), folding.tokens(texts), rows

    records = _records(articles, registry, events)
    entries = [
        entry(kind, record)
        if kind == "official"
        else memo(record, lambda record, kind=kind: entry(kind, record))
        for kind, record in records
    ]
    numbers, order = numbering([place for place, _, _ in entries])
    # Token -> the numbers of the documents holding it, as machine integers:
    # an archive's index holds millions of them, and an int apiece takes 32 bytes.
    found: dict[str, array] = defaultdict(lambda: array("q"))
    for position in order:
        number = numbers[position]
        for token in entries[position][1]:
            found[token].append(number)  # numbers ascend: every list comes out sorted
    shards = _shards(found, terms)
    del found
    chunks = [
        (chunk, [(b'"%d":' % numbers[position], position) for position in members])
        for chunk, members in groupby(order, key=lambda position: numbers[position] // CHUNK)
    ]
    for column, lang in enumerate(config.languages):  # they share their tokens: indexed once
        folder = f"search/{lang}/"
        for chunk, members in chunks:
            listed = b",".join([key + entries[position][2][column] for key, position in members])
            yield f"{folder}docs-{chunk}.json", b"{%s}" % listed
        for _, name, data in shards:
            yield folder + name, data
        yield folder + "meta.json", _meta(lang, len(records), shards)


def _place(kind: str, record: Any) -> Place:
    """Where the document of ``record`` goes on the number line."""
    if kind == "official":
        address, day = f"officials/{record.id}/", LAST_DAY
    elif kind == "event":
        address, day = f"events/{record.id}/", record.date.value.toordinal()
    else:
        address, day = f"sources/{record.id}/", record.published.toordinal()
    return kind, address, day, _hash(address)


def numbering(places: list[Place]) -> tuple[list[int], list[int]]:
    """The number of each document, given its :data:`Place`, and the
    positions of the documents in the order of their numbers.

    A kind has a region of the line, in the order of :data:`KINDS`; in it,
    a day has :func:`slots` numbers, the newest day first, and a document's
    home is the slot its address hashes to on its day. Documents take their
    homes in the order of (home, address), each the next free number from
    its home on: so numbers keep that order, and a document added or removed
    moves only the documents packed right behind it, if any.
    """
    days: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for kind, _, day, _ in places:
        days[kind].append(day)
    width = {kind: slots(days[kind]) for kind in KINDS}
    base, start = {}, 0
    for kind in KINDS:
        base[kind] = start
        start += width[kind] * (1 if kind == "official" else DAYS)
    homes = sorted(
        (
            base[kind]
            + min(max(LAST_DAY - day, 0), DAYS - 1) * width[kind]  # past either end: the end
            + spread % width[kind],
            address,
            position,
        )
        for position, (kind, address, day, spread) in enumerate(places)
    )
    numbers = [0] * len(places)
    last = -1
    for home, _, position in homes:
        last = numbers[position] = home if home > last else last + 1
    return numbers, [position for _, _, position in homes]


def slots(days: list[int]) -> int:
    """Numbers a day of one kind has: the least power of two at least
    :data:`SPREAD` times its documents on an average day (of the days
    holding one), so that most documents take their home and few are packed
    behind another: at 10,000 articles of the benchmark an event added
    moved 0.07 others on average, 0.45 with twice the documents a number.
    It changes only when that average crosses a power of two, and every
    number with it."""
    count, distinct = len(days), len(set(days))
    width = 1
    while width * distinct < SPREAD * count:
        width *= 2
    return width


def _hash(text: str) -> int:
    """A number spread evenly by ``text``, the same in every run (32 bits)."""
    return zlib.crc32(text.encode("utf-8"))


class _Folding:
    """Texts folded into tokens, the short ones once a build: a name or a
    label is in many documents, a sentence or a body in few."""

    def __init__(self) -> None:
        self.variants_of: dict[str, tuple[str, ...]] = {}
        self.tokens_of: dict[str, frozenset[str]] = {}

    def tokens(self, texts: Iterable[str]) -> tuple[str, ...]:
        """The tokens of a document made of ``texts``."""
        found: set[str] = set()
        for text in texts:
            known = self.tokens_of.get(text)
            if known is None:
                known = _tokens(text, self.variants_of)
                if len(text) <= SHORT:
                    self.tokens_of[text] = known
            found |= known
        return tuple(sorted(found))  # the same in every run, pickled or not


def _tokens(text: str, variants_of: dict[str, tuple[str, ...]]) -> frozenset[str]:
    unique = set(words(text))
    for word in unique.difference(variants_of):
        variants_of[word] = variants(word)
    return frozenset(chain.from_iterable(map(variants_of.__getitem__, unique)))


def _row(doc: Document) -> bytes:
    """A document as ``docs-N.json`` lists it, under its number."""
    fields = ("date", "excerpt", "kind", "title", "url")
    return _ENCODER.encode({name: getattr(doc, name) for name in fields}).encode("utf-8")


def _meta(lang: str, documents: int, shards: list[tuple[str, str, bytes]]) -> bytes:
    meta = {
        "chunk": CHUNK,
        "documents": documents,
        "lang": lang,
        "shards": [[first, name] for first, name, _ in shards],
        "version": VERSION,
    }
    return _json(meta)


def _shards(postings: dict[str, array], terms: Terms) -> list[tuple[str, str, bytes]]:
    """The index cut into shards between tokens, in token order: (first token,
    file name, JSON) of each.

    A shard ends where the tokens choose (:func:`_ends`), or once it holds
    twice SHARD_BYTES: whether a cut falls after a token depends on that
    token and the next alone, and on the bytes since the last cut only in
    the rare run that long, so an edit moves the cuts next to the tokens
    whose postings it changed, and those of their run up to the next cut
    the tokens chose.
    """
    tokens = sorted(postings)
    listed = terms([(token, postings[token]) for token in tokens])
    shards: list[tuple[str, str, bytes]] = []
    names: set[str] = set()
    first = size = 0
    for last, (token, data) in enumerate(zip(tokens, listed, strict=True)):
        after, size = last + 1, size + len(data)
        if after < len(tokens) and size < 2 * SHARD_BYTES and not _ends(token, data, listed[after]):
            continue
        name = _shard_name(tokens[first], names)
        shards.append((tokens[first], name, b"{%s}" % b",".join(listed[first:after])))
        first, size = after, 0
    return shards


def entry(token: str, numbers: array) -> bytes:
    """What a term shard lists for ``token``, found in the documents ``numbers``."""
    return b"%s:%s" % (_json(token), _gaps(numbers))


def _ends(token: str, data: bytes, following: bytes) -> bool:
    """Whether the tokens end a shard after ``token``, whose entry is ``data``
    and the next token's ``following``: with the chance of the share of
    SHARD_BYTES its entry takes (decided by the token's hash, so always the
    same: shards hold about SHARD_BYTES on average), and before an entry of
    SHARD_BYTES or more, which is a shard alone."""
    return _hash(token) % SHARD_BYTES < len(data) or len(following) >= SHARD_BYTES


def _gaps(numbers: array) -> bytes:
    """Sorted numbers as JSON, each but the first as its distance from the one before."""
    return _json(list(map(operator.sub, numbers, chain((0,), numbers))))


def _shard_name(first: str, taken: set[str]) -> str:
    """A term shard's file name, from a digest of its first token (ASCII,
    and the same as long as the shard starts there); a longer one in the
    unlikely case that another shard has it."""
    for size in (6, 20):
        name = f"terms-{hashlib.blake2b(first.encode('utf-8'), digest_size=size).hexdigest()}.json"
        if name not in taken:
            break
    taken.add(name)
    return name


def _json(value: object) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")
