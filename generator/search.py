"""Events, officials and articles -> a static search index, as more ``{path: bytes}``.

The index is built from the model, not from the rendered HTML: one search
document per event, official and source page, in each language of the site.
It is plain JSON under ``search/<lang>/`` that ``static/search.js`` reads:

- ``meta.json``: the document count, the size of a document chunk and the
  term shards, each listed with the first token it holds;
- ``docs-NNN.json``: the documents in chunks of :data:`CHUNK` (url relative to
  the site root, title, date label, kind, a short excerpt);
- ``terms-NNN.json``: the inverted index, token -> sorted document numbers.

Shards cut the sorted token list into runs of about :data:`SHARD_BYTES`, always
between tokens, so a whole word lies in exactly one shard and the tokens that
start with a given prefix lie in consecutive shards: a query fetches one or
two small files, however large the archive. The file count grows with the
size of the index, not with the number of pages (an indexer of the HTML would
write a file a page), and the index is built in one pass over the documents.

Tokens are folded as :func:`generator.arabic.normalize` folds text (alef and
hamza forms, ى/ي, ة/ه, diacritics and tatweel, Arabic-Indic digits, lower
case), then split on anything that is not a letter or digit of
:data:`WORD`; ``search.js`` folds and splits a query the same way (a test runs
both on one table). An Arabic word is also indexed without its clitic
prefixes (و ف ب ل ك ال and their combinations), so «والعراق» is found by
«العراق» and by «عراق»; the query itself is never stripped.

Everything here is a pure function of (config, articles, registry, events)
and the output bytes are deterministic: sorted keys, sorted lists, documents
in a fixed order. The cost is linear in the text indexed. What an event or an
article contributes (its tokens and its document in each language) depends
on that record alone, given the code, settings and registry: a build passes
a :data:`Memo` that keeps it between builds, so an edit folds again only the
records it changed.
"""

from __future__ import annotations

import json
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

from generator import display, i18n
from generator.arabic import normalize
from generator.config import Config
from generator.models import Article, Event, EventDate, Official
from generator.officials import Registry

VERSION = 1
CHUNK = 500  # documents per docs-NNN.json
SHARD_BYTES = 24_000  # a term shard is cut once it holds about this much JSON
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


#: What one record adds to the index: its tokens, and its document's JSON
#: (UTF-8, as written: most of it is Arabic, two bytes a letter either way)
#: in each language of the site, in order.
Entry = tuple[tuple[str, ...], tuple[bytes, ...]]

#: ``memo(record, make)``: the entry of an event or article, made by ``make``
#: unless it was kept; see ``render.Fragments``.
Memo = Callable[[Any, Callable[[Any], Entry]], Entry]


def fresh(record: Any, make: Callable[[Any], Entry]) -> Entry:
    """The :data:`Memo` that keeps nothing."""
    return make(record)


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
) -> dict[str, bytes]:
    """Every file of the search index, by its path relative to the site root."""
    return dict(index_files(config, articles, registry, events, memo))


def index_files(
    config: Config,
    articles: list[Article],
    registry: Registry,
    events: list[Event],
    memo: Memo = fresh,
) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of every file of the search index, made as they are
    asked for; ``memo`` keeps the entries of events and articles between builds."""
    labels = {lang: _date_label(config, lang) for lang in config.languages}
    folding = _Folding()

    def entry(kind: str, record: Any) -> Entry:
        texts = _texts(kind, record, registry)
        rows = tuple(
            _row(_document(config, lang, kind, record, texts, labels[lang]))
            for lang in config.languages
        )
        return folding.tokens(texts), rows

    entries = [
        entry(kind, record)
        if kind == "official"
        else memo(record, lambda record, kind=kind: entry(kind, record))
        for kind, record in _records(articles, registry, events)
    ]
    # Token -> the numbers of the documents holding it, as 32-bit numbers: an
    # archive's index holds millions of them, and an int apiece takes 36 bytes.
    found: dict[str, array] = defaultdict(lambda: array("I"))
    for number, (tokens, _) in enumerate(entries):
        for token in tokens:
            found[token].append(number)  # numbers ascend: every list comes out sorted
    shards = [(min(shard), _json(shard)) for shard in _shards(found)]
    del found
    for number, lang in enumerate(config.languages):  # they share their tokens: indexed once
        shown = [rows[number] for _, rows in entries]
        yield from _language_files(f"search/{lang}/", lang, shown, shards)


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
    """A document as ``docs-NNN.json`` lists it."""
    fields = ("date", "excerpt", "kind", "title", "url")
    return _ENCODER.encode({name: getattr(doc, name) for name in fields}).encode("utf-8")


def _language_files(
    folder: str, lang: str, rows: list[bytes], shards: list[tuple[str, bytes]]
) -> Iterator[tuple[str, bytes]]:
    for start in range(0, len(rows), CHUNK):
        yield (
            f"{folder}docs-{start // CHUNK:03d}.json",
            b"[%s]" % b",".join(rows[start : start + CHUNK]),
        )
    names = []
    for number, (first, data) in enumerate(shards):
        name = f"terms-{number:03d}.json"
        names.append([first, name])
        yield folder + name, data
    meta = {
        "chunk": CHUNK,
        "documents": len(rows),
        "lang": lang,
        "shards": names,
        "version": VERSION,
    }
    yield folder + "meta.json", _json(meta)


def _shards(postings: dict[str, array]) -> Iterable[dict[str, list[int]]]:
    """The index cut, in token order, into shards of about SHARD_BYTES of JSON."""
    shard: dict[str, list[int]] = {}
    size = 0
    for token in sorted(postings):
        numbers = postings[token]
        shard[token] = numbers.tolist()
        size += len(token.encode("utf-8")) + 6 + len(numbers) * (len(str(numbers[-1])) + 1)
        if size >= SHARD_BYTES:
            yield shard
            shard, size = {}, 0
    if shard:
        yield shard


def _json(value: object) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")
