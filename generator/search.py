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
in a fixed order. The cost is linear in the text indexed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
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
    records: list[tuple[str, Any]] = [
        *(("official", o) for o in sorted(registry.officials.values(), key=lambda o: o.id)),
        *(("event", e) for e in sorted(events, key=lambda e: (e.date.value, e.id), reverse=True)),
        *(("source", a) for a in sorted(articles, key=lambda a: (a.published, a.id), reverse=True)),
    ]
    texts = [_texts(kind, record, registry) for kind, record in records]
    labels = {lang: _date_label(config, lang) for lang in config.languages}
    return {
        lang: [
            _document(config, lang, kind, record, text, labels[lang])
            for (kind, record), text in zip(records, texts, strict=True)
        ]
        for lang in config.languages
    }


def _date_label(config: Config, lang: str) -> Callable[[EventDate, Article | None], str]:
    """Dates as the pages show them (render.environment's ``date`` filter), remembered:
    thousands of events share a few hundred days."""
    known: dict[tuple[dt.date, str, str], str] = {}

    def label(value: EventDate, article: Article | None = None) -> str:
        months = config.month_names
        if article is not None and lang != "en":
            months = display.month_names_for(article.extra, article.body, config.month_names)
        key = (value.value, value.precision, months)
        if key not in known:
            known[key] = (
                display.gregorian_en(value)
                if lang == "en"
                else display.gregorian_ar(value, months, config.digits)
            )
        return known[key]

    return label


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
    config: Config, articles: list[Article], registry: Registry, events: list[Event]
) -> dict[str, bytes]:
    """Every file of the search index, by its path relative to the site root."""
    files: dict[str, bytes] = {}
    shards_of: dict[tuple[tuple[str, ...], ...], list[tuple[str, bytes]]] = {}
    for lang, docs in documents(config, articles, registry, events).items():
        texts = tuple(doc.texts for doc in docs)
        if texts not in shards_of:  # the languages share their texts: index them once
            shards_of[texts] = [(min(shard), _json(shard)) for shard in _shards(postings(texts))]
        files.update(_language_files(f"search/{lang}/", lang, docs, shards_of[texts]))
    return files


def postings(texts: Iterable[tuple[str, ...]]) -> dict[str, array]:
    """Token -> the sorted numbers of the documents (one tuple of texts each) holding it.

    Each list is an array of 32-bit numbers: an archive's index holds
    millions of them, and a Python int apiece would take 36 bytes.
    """
    found: dict[str, array] = defaultdict(lambda: array("I"))
    texts = list(texts)
    # A text several documents hold (a name, a sentence cited by several
    # events) folds once; the others are not kept, to hold less at once.
    shared = {text for text, count in Counter(chain.from_iterable(texts)).items() if count > 1}
    tokens_of: dict[str, frozenset[str]] = {}
    variants_of: dict[str, tuple[str, ...]] = {}
    for number, pieces in enumerate(texts):
        tokens: set[str] = set()
        for text in pieces:
            known = tokens_of.get(text)
            if known is None:
                known = _tokens(text, variants_of)
                if text in shared:
                    tokens_of[text] = known
            tokens |= known
        for token in tokens:
            found[token].append(number)  # numbers ascend: every list comes out sorted
    return found


def _tokens(text: str, variants_of: dict[str, tuple[str, ...]]) -> frozenset[str]:
    unique = set(words(text))
    for word in unique.difference(variants_of):
        variants_of[word] = variants(word)
    return frozenset(chain.from_iterable(map(variants_of.__getitem__, unique)))


def _language_files(
    folder: str, lang: str, docs: list[Document], shards: list[tuple[str, bytes]]
) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for start in range(0, len(docs), CHUNK):
        records = [
            {"date": d.date, "excerpt": d.excerpt, "kind": d.kind, "title": d.title, "url": d.url}
            for d in docs[start : start + CHUNK]
        ]
        files[f"{folder}docs-{start // CHUNK:03d}.json"] = _json(records)
    names = []
    for number, (first, data) in enumerate(shards):
        name = f"terms-{number:03d}.json"
        names.append([first, name])
        files[folder + name] = data
    meta = {
        "chunk": CHUNK,
        "documents": len(docs),
        "lang": lang,
        "shards": names,
        "version": VERSION,
    }
    files[folder + "meta.json"] = _json(meta)
    return files


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
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode(
        "utf-8"
    )
