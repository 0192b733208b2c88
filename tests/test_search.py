"""The search index (generator/search.py) and the folding its client shares.

Documents and tokens are checked on a small hand-made archive; the browser
side is in test_search_filters_browser.py. The query folding in
templates/static/search.js must equal Python's, or a word the index holds
would not be found: Node runs the shipped script on a table of words and on
random strings, and the answers are compared.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from searchindex import changed, documents, holding_no_change, postings
from tools import node

from generator import search
from generator.config import load_config
from generator.models import Article, Citation, Event, EventDate, Official, Role
from generator.officials import Registry

ROOT = Path(__file__).resolve().parent.parent
SEARCH_JS = ROOT / "templates" / "static" / "search.js"

BODY = (
    "قال وزير الخارجية العراقي فؤاد حسين إن العلاقات مع روسيا جيدة.\n\n"
    "وأكد لافروف دعم موسكو للعراق والعراقيين، وقال إن التطبيعَ ليس مطروحاً."
)
SENTENCE = "وأكد لافروف دعم موسكو للعراق والعراقيين، وقال إن التطبيعَ ليس مطروحاً."


def archive(tmp_path: Path, languages: tuple[str, ...] = ("ar", "en")):
    config = dataclasses.replace(
        load_config(ROOT / "content", tmp_path / "out", quiet=True), languages=languages
    )
    article = Article(
        id="outlet-2020-11-26",
        path="content/articles/outlet-2020-11-26.md",
        title="لافروف يستقبل حسين في موسكو",
        published=dt.date(2020, 11, 26),
        source="المنفذ",
        url=None,
        lang="ar",
        body=BODY,
        body_line=8,
        extra={"source_en": "The Outlet"},
    )
    officials = [
        Official(
            "sergey-lavrov",
            "سيرغي لافروف",
            "Sergey Lavrov",
            ("لافروف",),
            "RU",
            (Role("وزير الخارجية الروسي", "Foreign Minister of Russia", None, None),),
        ),
        Official(
            "fuad-hussein",
            "فؤاد حسين",
            "Fuad Hussein",
            (),
            "IQ",
            (Role("وزير الخارجية العراقي", "Foreign Minister of Iraq", None, None),),
        ),
    ]
    start = BODY.index(SENTENCE)
    event = Event(
        id="2020-11-25-lavrov-statement",
        date=EventDate(dt.date(2020, 11, 25)),
        status="occurred",
        type="statement",
        title_ar="تصريح لافروف",
        title_en="Statement by Lavrov",
        officials=("sergey-lavrov",),
        location="موسكو",
        sources=(Citation(article.id, SENTENCE, start, start + len(SENTENCE)),),
    )
    return config, [article], Registry(officials), [event]


def ranked(files: dict[str, bytes], lang: str, query: str) -> list[int]:
    """The documents a query finds, best first, by the rule search.js documents:
    every word, the last also as a prefix from three letters; a word matched
    whole scores 2, as a prefix 1; ties in document order."""
    terms = postings(files, lang)
    words = list(dict.fromkeys(search.words(query)))
    scores: dict[int, int] | None = None
    for i, word in enumerate(words):
        last = i == len(words) - 1 and len(word) >= 3
        hits = {n: 1 for t, ns in terms.items() if last and t.startswith(word) for n in ns}
        hits.update({n: 2 for n in terms.get(word, [])})
        scores = (
            hits if scores is None else {n: scores[n] + v for n, v in hits.items() if n in scores}
        )
    return sorted(scores or {}, key=lambda n: (-(scores or {})[n], n))


def find(files: dict[str, bytes], lang: str, query: str) -> list[str]:
    """The URLs a query finds, in document order."""
    docs = documents(files, lang)
    return [docs[n]["url"] for n in sorted(ranked(files, lang, query))]


def test_one_document_per_page_and_language(tmp_path: Path) -> None:
    docs = search.documents(*archive(tmp_path))
    assert [d.url for d in docs["ar"]] == [
        "officials/fuad-hussein/",
        "officials/sergey-lavrov/",
        "events/2020-11-25-lavrov-statement/",
        "sources/outlet-2020-11-26/",
    ]
    assert [d.url for d in docs["en"]] == ["en/" + d.url for d in docs["ar"]]
    event_ar, event_en = docs["ar"][2], docs["en"][2]
    assert (event_ar.title, event_en.title) == ("تصريح لافروف", "Statement by Lavrov")
    assert event_ar.date == "الأربعاء ٢٥ تشرين الثاني ٢٠٢٠"  # site.yml: Levantine, Arabic digits
    assert event_en.date == "Wednesday 25 November 2020"
    assert event_ar.excerpt == SENTENCE
    assert docs["en"][0].excerpt == "Foreign Minister of Iraq"
    assert [d.kind for d in docs["ar"]] == ["official", "official", "event", "source"]


def test_a_clitic_prefixed_word_is_found_by_its_bare_form(tmp_path: Path) -> None:
    files = search.index(*archive(tmp_path))
    event, source = "events/2020-11-25-lavrov-statement/", "sources/outlet-2020-11-26/"
    iraqi = "officials/fuad-hussein/"  # «وزير الخارجية العراقي»: the last word is a prefix
    for query in ("العراق", "عراق"):
        assert find(files, "ar", query) == [iraqi, event, source], query
    # «للعراق» and «والعراقيين» in the sentence; a first word matches whole
    for query in ("للعراق", "العراقيين", "عراقيين", "عراق موسكو"):
        assert find(files, "ar", query) == [event, source], query
    assert search.variants("والعراق") == ("العراق", "عراق", "والعراق")
    assert search.variants("للعراق") == ("العراق", "عراق", "لعراق", "للعراق")


def test_a_folded_spelling_variant_matches(tmp_path: Path) -> None:
    files = search.index(*archive(tmp_path))
    event, source = "events/2020-11-25-lavrov-statement/", "sources/outlet-2020-11-26/"
    # vowelled and plain, hamza and bare alef, taa marbuta and haa, tatweel
    assert find(files, "ar", "التطبيع") == [event, source]
    assert find(files, "ar", "تـطـبـيـع") == [event, source]
    assert find(files, "ar", "مطروحا") == [event, source]
    assert find(files, "ar", "فواد حسين") == ["officials/fuad-hussein/", source]
    assert find(files, "en", "LAVROV statement") == ["en/events/2020-11-25-lavrov-statement/"]
    # the English index holds the Arabic text too (the event names Lavrov in both)
    assert find(files, "en", "lavr") == [
        "en/officials/sergey-lavrov/",
        "en/events/2020-11-25-lavrov-statement/",
    ]
    assert find(files, "en", "لافروف") == [
        "en/officials/sergey-lavrov/",
        "en/events/2020-11-25-lavrov-statement/",
        "en/sources/outlet-2020-11-26/",
    ]
    assert find(files, "ar", "باريس") == []


def test_the_index_is_the_same_bytes_in_every_build(tmp_path: Path) -> None:
    first = search.index(*archive(tmp_path))
    second = search.index(*archive(tmp_path))
    assert first == second
    for lang in ("ar", "en"):
        mine = sorted(
            path.rsplit("/", 1)[1] for path in first if path.startswith(f"search/{lang}/")
        )
        assert [name for name in mine if not name.startswith("docs-")] == [
            "meta.json",
            json.loads(first[f"search/{lang}/meta.json"])["shards"][0][1],
        ]
    # the terms are the same in every language, and so are the file names
    assert [p.replace("/en/", "/ar/") for p in sorted(first) if "/en/" in p] == [
        p for p in sorted(first) if "/ar/" in p
    ]


def test_shards_are_ascii_names_cut_between_tokens(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search, "SHARD_BYTES", 100)  # force many shards
    files = search.index(*archive(tmp_path, ("ar",)))
    meta = json.loads(files["search/ar/meta.json"])
    assert len(meta["shards"]) > 5
    starts = [start for start, _ in meta["shards"]]
    assert starts == sorted(starts)
    seen: list[str] = []
    for start, name in meta["shards"]:
        assert re.fullmatch(r"terms-[0-9a-f]{12}\.json", name) and name.isascii()
        tokens = sorted(json.loads(files[f"search/ar/{name}"]))
        assert tokens[0] == start
        seen += tokens
    assert seen == sorted(seen) == sorted(set(seen))
    assert all(name.isascii() for name in files)
    assert len(files) == len(meta["shards"]) + 1 + len(
        [name for name in files if "/docs-" in name]
    )  # nothing else


def test_documents_are_chunked_by_number(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search, "CHUNK", 3)
    files = search.index(*archive(tmp_path, ("ar",)))
    assert json.loads(files["search/ar/meta.json"])["documents"] == 4
    assert json.loads(files["search/ar/meta.json"])["chunk"] == 3
    chunks = {path: json.loads(data) for path, data in files.items() if "/docs-" in path}
    assert sum(map(len, chunks.values())) == 4
    for path, docs in chunks.items():
        numbers = [int(number) for number in docs]
        assert numbers == sorted(numbers)
        assert {f"search/ar/docs-{n // 3}.json" for n in numbers} == {path}


def test_documents_are_numbered_officials_then_events_and_sources_newest_first(
    tmp_path: Path,
) -> None:
    config, articles, registry, events = archive(tmp_path, ("ar",))
    newer = dataclasses.replace(
        events[0], id="2021-01-02-later", date=EventDate(dt.date(2021, 1, 2))
    )
    older = dataclasses.replace(
        events[0], id="1999-05-06-earlier", date=EventDate(dt.date(1999, 5, 6))
    )
    files = search.index(config, articles, registry, [older, *events, newer])
    docs = documents(files, "ar")
    assert [docs[n]["url"] for n in sorted(docs)] == [
        *sorted(docs[n]["url"] for n in docs if docs[n]["kind"] == "official"),
        "events/2021-01-02-later/",
        "events/2020-11-25-lavrov-statement/",
        "events/1999-05-06-earlier/",
        "sources/outlet-2020-11-26/",
    ]


FOLDING_TABLE = [
    "تطبيع", "التَّطْبِيعُ", "تـطـبـيـع", "أحمد", "إيران", "آذار", "ٱلله", "مستشفى", "مدرسة",
    "مؤتمر", "رئيس", "کتاب", "فارسی", "٢٠٢٠", "۱۳۹۹", "والعراق،روسيا؛لماذا؟", "Slutsky",
    "LAVROV", "Élysée", "STRASSE Straße", "ΣΟΦΟΣ σοφός", "İstanbul", "МОСКВА", "a_b-c.d",
    "\u200fلافروف\u200e", "\ufeffnote", "x05</script><script>alert(1)", "ﻻ", "ڤيينا",
]  # fmt: skip

ALPHABET = (
    "اأإآٱىيةهؤئکیـًٌٍَُِّْٰ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹،؛؟ابتثجحخدذرزسشصضطظعغفقكلمنوڤگ"
    "AaZzÉéÀßΣσςΑДдİı0123456789 \t\n.,-_'\"<>\u200b\u200f\u202a\u2066\ufeff«»"
)


def run_js(texts: list[str]) -> list[dict[str, object]]:
    script = (
        "const s = require(process.argv[1]);"
        "let input = '';"
        "process.stdin.on('data', d => input += d);"
        "process.stdin.on('end', () => process.stdout.write(JSON.stringify("
        "JSON.parse(input).map(t => ({fold: s.fold(t), words: s.words(t)})))));"
    )
    return node_json(script, texts, SEARCH_JS)


def node_json(script: str, payload: object, *args: Path) -> Any:
    """What ``node -e script args…`` writes as JSON, given ``payload`` as JSON on stdin."""
    result = subprocess.run(
        [node(), "-e", script, *map(str, args)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def test_the_browser_folds_a_query_as_python_does() -> None:
    rng = random.Random(8)
    texts = FOLDING_TABLE + ["".join(rng.choices(ALPHABET, k=24)) for _ in range(300)]
    expected = [{"fold": search.fold(t), "words": search.words(t)} for t in texts]
    assert run_js(texts) == expected
    assert search.words("التَّطْبِيعُ") == ["التطبيع"]
    assert search.words("٢٠٢٠ ΣΟΦΟΣ") == ["2020", "σοφοσ"]


QUERIES = [
    "العراق", "عراق", "العراقي", "عراقي", "لافروف موسكو", "فؤاد حسين", "lavr",
    "LAVROV statement", "التطبيع", "موس", "مو", "ر", "وزير الخارجيه", "2020",
    "Foreign Minister", "nothing here", "", "،؛",
]  # fmt: skip


def browser_answers(
    tmp_path: Path, files: dict[str, bytes], cases: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """What search.js finds for each (language, query) in ``files``: the
    document numbers, best first, their addresses, from the chunks it
    names, and how many shards it read. Checked against :func:`ranked`."""
    site = tmp_path / "site"
    for path, data in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    script = (
        "const fs = require('fs'), path = require('path');"
        "const s = require(process.argv[1]), site = process.argv[2];"
        "const read = (lang, name) => JSON.parse(fs.readFileSync("
        "path.join(site, 'search', lang, name), 'utf8'));"
        "const out = [];"
        "for (const [lang, query] of JSON.parse(fs.readFileSync(0, 'utf8'))) {"
        "  const meta = read(lang, 'meta.json');"
        "  const wanted = s.plan(meta, query);"
        "  const shards = {};"
        "  for (const name of s.shardNames(wanted)) shards[name] = read(lang, name);"
        "  const docs = s.answer(wanted, shards).map(r => r.doc);"
        "  const urls = docs.map(doc => read(lang, s.chunkOf(meta, doc))[doc].url);"
        "  out.push({docs: docs, urls: urls, fetched: Object.keys(shards).length});"
        "}"
        "process.stdout.write(JSON.stringify(out));"
    )
    answers = node_json(script, cases, SEARCH_JS, site)
    for (lang, query), got in zip(cases, answers, strict=True):
        assert got["docs"] == ranked(files, lang, query), (lang, query)
        listed = documents(files, lang)
        assert got["urls"] == [listed[n]["url"] for n in got["docs"]], (lang, query)
    return answers


@pytest.mark.parametrize("shard_bytes", [1, 40, search.SHARD_BYTES])
def test_the_browser_finds_what_the_index_holds(
    tmp_path: Path, monkeypatch, shard_bytes: int
) -> None:
    """search.js's lookup (shards to fetch, matching, ranking) on indexes cut into a
    shard a token, a few tokens a shard, and one shard."""
    monkeypatch.setattr(search, "SHARD_BYTES", shard_bytes)
    files = search.index(*archive(tmp_path))
    cases = [(lang, query) for lang in ("ar", "en") for query in QUERIES]
    answers = browser_answers(tmp_path, files, cases)
    found = {case: got for case, got in zip(cases, answers, strict=True)}
    assert found[("ar", "لافروف موسكو")]["docs"]  # something is found at all
    assert found[("ar", "لافروف موسكو")]["fetched"] <= 2  # whole words: a shard each
    assert found[("ar", "ر")]["fetched"] == 1  # one letter: looked up whole, not as a prefix
    iraqi = [  # whole-word matches first («العراقي»), then in document order
        "officials/fuad-hussein/",
        "sources/outlet-2020-11-26/",
        "events/2020-11-25-lavrov-statement/",
    ]
    urls = {number: doc["url"] for number, doc in documents(files, "ar").items()}
    assert [urls[n] for n in found[("ar", "عراقي")]["docs"]] == iraqi
    if shard_bytes == 1:  # «العراقي» and «العراقيين» are two shards: both are read
        assert [urls[n] for n in found[("ar", "العراقي")]["docs"]] == iraqi
        assert found[("ar", "العراقي")]["fetched"] == 2


@pytest.mark.parametrize("word", ["والعراق", "بالعراق", "فالعراق", "كالعراق", "وللعراق"])
def test_every_clitic_form_leads_back_to_the_word(word: str) -> None:
    assert {"العراق", "عراق"} <= set(search.variants(word))


# --- the files an edit changes ------------------------------------------------

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def generated(tmp_path: Path, rng: random.Random, sources: int = 120, events: int = 400):
    """An archive of random words: many tokens, most of them in few documents."""
    config, _, registry, _ = archive(tmp_path)
    vocabulary = ["".join(rng.choices(LETTERS, k=rng.randint(3, 7))) for _ in range(1500)]

    def text(count: int) -> str:
        return " ".join(rng.choices(vocabulary, k=count))

    def day() -> dt.date:
        return dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(120))

    def article(number: int) -> Article:
        body = text(rng.randint(40, 120))
        return Article(
            f"outlet-{number:04d}", f"content/articles/outlet-{number:04d}.md", text(5), day(),
            "المنفذ", None, "ar", body, 8,
        )  # fmt: skip

    def event(number: int, cited: Article) -> Event:
        when = day()
        sentence = text(rng.randint(8, 20))
        return Event(
            f"{when.isoformat()}-event-{number:04d}", EventDate(when), "occurred",
            rng.choice(("meeting", "visit", "statement")), text(4), f"Event {number}",
            tuple(sorted(rng.sample(sorted(registry.officials), rng.randint(0, 2)))), None,
            (Citation(cited.id, sentence, 0, len(sentence)),),
        )  # fmt: skip

    articles = [article(n) for n in range(sources)]
    found = [event(n, rng.choice(articles)) for n in range(events)]
    return config, articles, registry, found, article, event, text


def kept_between_builds() -> search.Memo:
    """A memo like the build's: each record's entry kept under its fingerprint."""
    kept: dict[str, search.Entry] = {}

    def memo(record: Any, make: Any) -> search.Entry:
        if record.fingerprint not in kept:
            kept[record.fingerprint] = make(record)
        return kept[record.fingerprint]

    return memo


@pytest.mark.parametrize("seed", range(3))
def test_a_small_edit_rewrites_only_the_files_holding_it(
    tmp_path: Path, monkeypatch, seed: int
) -> None:
    """An event added, removed or retitled, an article added: the index is
    the one a cold build makes, and the files whose bytes changed are the
    chunks and shards of what changed, and meta.json. Numbered in order and
    cut by size (the layout before), an event added or removed rewrote 90 %
    of the files of this archive and more; an article added, 70 %."""
    monkeypatch.setattr(search, "CHUNK", 64)  # about 20 documents a chunk
    monkeypatch.setattr(search, "SHARD_BYTES", 1000)  # about 15 tokens a shard
    rng = random.Random(seed)
    config, articles, registry, events, article, event, text = generated(tmp_path, rng)
    memo = kept_between_builds()
    files = search.index(config, articles, registry, events, memo)
    assert len(files) > 200  # enough files for a share to mean something
    shares: dict[str, list[float]] = {}
    for round_ in range(10):
        edit = ("add event", "remove event", "retitle event", "add article")[round_ % 4]
        target = rng.randrange(len(events))
        if edit == "add event":
            events = [*events, event(1000 + round_, rng.choice(articles))]
        elif edit == "remove event":
            events = [*events[:target], *events[target + 1 :]]
        elif edit == "retitle event":
            retitled = dataclasses.replace(events[target], title_ar=text(4))
            events = [*events[:target], retitled, *events[target + 1 :]]
        else:
            articles = [*articles, article(1000 + round_)]
        edited = search.index(config, articles, registry, events, memo)
        assert edited == search.index(config, articles, registry, events), edit
        assert holding_no_change(files, edited) == [], edit
        shares.setdefault(edit, []).append(len(changed(files, edited)) / len(edited))
        files = edited
    assert max(shares["add event"] + shares["remove event"]) < 0.4, shares
    assert max(shares["retitle event"]) < 0.1, shares
    assert max(shares["add article"]) < 0.6, shares  # its every word: in many shards


def test_the_browser_finds_what_the_index_holds_in_a_larger_archive(
    tmp_path: Path, monkeypatch
) -> None:
    """search.js on an archive of some 600 documents a language, in many
    chunks and shards: whole words, prefixes running over several shards,
    words found together, numbers decoded from long lists of gaps."""
    monkeypatch.setattr(search, "CHUNK", 64)
    monkeypatch.setattr(search, "SHARD_BYTES", 1000)
    rng = random.Random(3)
    config, articles, registry, events, *_ = generated(tmp_path, rng)
    files = search.index(config, articles, registry, events)
    tokens = sorted(postings(files, "ar"))
    words = rng.sample(tokens, 30)
    queries = [
        *words,
        *(word[:3] for word in words[:10]),  # prefixes: often over several shards
        *(f"{a} {b[:4]}" for a, b in zip(words[10:20], words[20:30], strict=True)),
        "event", "even", "Lavrov", "وزير الخارجيه",
    ]  # fmt: skip
    cases = [(lang, query) for lang in ("ar", "en") for query in queries]
    answers = browser_answers(tmp_path, files, cases)
    assert sum(1 for got in answers if got["docs"]) > len(answers) * 0.7
    assert max(got["fetched"] for got in answers) > 1
    assert max(len(got["docs"]) for got in answers) > 100  # "even": every event


@pytest.mark.parametrize("spread", [None, 4])
def test_a_document_added_moves_only_the_documents_packed_behind_it(spread: int | None) -> None:
    """Each document added moves none, or the few right behind it one on;
    with hashes forced into four slots a day, long runs of them."""
    rng = random.Random(5)

    def place(name: str) -> search.Place:
        address = f"events/{name}/"
        spreading = search._hash(address) if spread is None else rng.randrange(spread)
        return "event", address, 737_000 + rng.randrange(30), spreading

    places = [place(f"e{n}") for n in range(300)]
    numbers, order = search.numbering(places)
    assert [numbers[p] for p in order] == sorted(set(numbers))  # one number each
    days = [places[p][2] for p in order]
    assert days == sorted(days, reverse=True)  # the newest first
    counts = []
    for k in range(30):
        after, _ = search.numbering([*places, place(f"new-{k}")])
        moved = sorted(
            (p for p, was in enumerate(numbers) if after[p] != was), key=after.__getitem__
        )
        assert [after[p] for p in moved] == list(range(after[-1] + 1, after[-1] + 1 + len(moved)))
        assert all(after[p] == numbers[p] + 1 for p in moved)
        counts.append(len(moved))
    assert max(counts) <= 2 if spread is None else max(counts) > 5
