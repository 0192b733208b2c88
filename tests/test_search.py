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
    meta = json.loads(files[f"search/{lang}/meta.json"])
    terms: dict[str, list[int]] = {}
    for _, name in meta["shards"]:
        terms.update(json.loads(files[f"search/{lang}/{name}"]))
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
    docs = [
        doc
        for name in sorted(files)
        if name.startswith(f"search/{lang}/docs-")
        for doc in json.loads(files[name])
    ]
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
    assert sorted(first) == [
        f"search/{lang}/{name}"
        for lang in ("ar", "en")
        for name in ("docs-000.json", "meta.json", "terms-000.json")
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
        assert re.fullmatch(r"terms-\d{3}\.json", name) and name.isascii()
        tokens = sorted(json.loads(files[f"search/ar/{name}"]))
        assert tokens[0] == start
        seen += tokens
    assert seen == sorted(seen) == sorted(set(seen))
    assert all(name.isascii() for name in files)


def test_documents_are_chunked(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search, "CHUNK", 3)
    files = search.index(*archive(tmp_path, ("ar",)))
    assert json.loads(files["search/ar/meta.json"])["documents"] == 4
    assert len(json.loads(files["search/ar/docs-000.json"])) == 3
    assert len(json.loads(files["search/ar/docs-001.json"])) == 1


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


@pytest.mark.parametrize("shard_bytes", [1, 40, search.SHARD_BYTES])
def test_the_browser_finds_what_the_index_holds(
    tmp_path: Path, monkeypatch, shard_bytes: int
) -> None:
    """search.js's lookup (shards to fetch, matching, ranking) on indexes cut into a
    shard a token, a few tokens a shard, and one shard."""
    monkeypatch.setattr(search, "SHARD_BYTES", shard_bytes)
    files = search.index(*archive(tmp_path))
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
        "  out.push({docs: s.answer(wanted, shards).map(r => r.doc),"
        "            fetched: Object.keys(shards).length});"
        "}"
        "process.stdout.write(JSON.stringify(out));"
    )
    cases = [(lang, query) for lang in ("ar", "en") for query in QUERIES]
    answers = node_json(script, cases, SEARCH_JS, site)
    for (lang, query), got in zip(cases, answers, strict=True):
        assert got["docs"] == ranked(files, lang, query), (lang, query)
    found = {case: got for case, got in zip(cases, answers, strict=True)}
    assert found[("ar", "لافروف موسكو")]["docs"]  # something is found at all
    assert found[("ar", "لافروف موسكو")]["fetched"] <= 2  # whole words: a shard each
    assert found[("ar", "ر")]["fetched"] == 1  # one letter: looked up whole, not as a prefix
    assert found[("ar", "عراقي")]["docs"] == [0, 3, 2]  # whole-word matches first
    if shard_bytes == 1:  # «العراقي» and «العراقيين» are two shards: both are read
        assert found[("ar", "العراقي")] == {"docs": [0, 3, 2], "fetched": 2}


@pytest.mark.parametrize("word", ["والعراق", "بالعراق", "فالعراق", "كالعراق", "وللعراق"])
def test_every_clitic_form_leads_back_to_the_word(word: str) -> None:
    assert {"العراق", "عراق"} <= set(search.variants(word))
