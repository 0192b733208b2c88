"""Reading the search index back as search.js does, and what an edit changed in it."""

from __future__ import annotations

import bisect
import itertools
import json
from typing import TypeVar

from generator import search

K = TypeVar("K")


def postings(files: dict[str, bytes], lang: str) -> dict[str, list[int]]:
    """Token -> the numbers of the documents holding it, from the gaps the shards list."""
    meta = json.loads(files[f"search/{lang}/meta.json"])
    terms: dict[str, list[int]] = {}
    for _, name in meta["shards"]:
        for token, gaps in json.loads(files[f"search/{lang}/{name}"]).items():
            terms[token] = list(itertools.accumulate(gaps))
    return terms


def documents(files: dict[str, bytes], lang: str) -> dict[int, dict[str, str]]:
    """Document number -> document, from every chunk of ``lang``."""
    return {
        int(number): doc
        for name in files
        if name.startswith(f"search/{lang}/docs-")
        for number, doc in json.loads(files[name]).items()
    }


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """The files a rebuild writes (new bytes) or removes."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def holding_no_change(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """The files an edit rewrote or removed that hold nothing it changed: a
    chunk none of whose documents it added, removed or changed, a shard
    none of whose tokens it gave other documents, nor its neighbours' (a
    cut beside such a token may move, and with it the cuts made for size
    up to the next cut the tokens chose). A shard is taken to hold every
    token from its first to the next shard's first: a new token before its
    first starts it, and renames it."""
    found = []
    for lang in ("ar", "en"):
        moved = differing(documents(before, lang), documents(after, lang))
        touched = differing(postings(before, lang), postings(after, lang))
        chunks = {n // search.CHUNK for n in moved}
        near: set[str] = set()  # the shards holding or beside a touched token
        for files in (before, after):
            shards = json.loads(files[f"search/{lang}/meta.json"])["shards"]
            firsts = [first for first, _ in shards]
            chosen = cuts_chosen(files, lang)
            for token in touched:
                holder = max(bisect.bisect_right(firsts, token) - 1, 0)
                end = holder
                while not chosen[end]:
                    end += 1
                near.update(name for _, name in shards[max(holder - 1, 0) : end + 2])
        for path in changed(before, after):
            folder, _, name = path.rpartition("/")
            if folder != f"search/{lang}" or name == "meta.json":
                continue
            if name.startswith("docs-") and int(name[5:-5]) in chunks or name in near:
                continue
            found.append(path)
    return found


def differing(before: dict[K, object], after: dict[K, object]) -> set[K]:
    """The keys whose values differ, or that one side lacks."""
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def cuts_chosen(files: dict[str, bytes], lang: str) -> list[bool]:
    """Whether each shard ends where the tokens chose (``search._ends``), not
    for its size; the last one does."""
    shards = json.loads(files[f"search/{lang}/meta.json"])["shards"]
    tokens = [json.loads(files[f"search/{lang}/{name}"]) for _, name in shards]

    def entry(shard: dict[str, list[int]], token: str) -> bytes:
        return b"%s:%s" % (search._json(token), search._json(shard[token]))

    chosen = []
    for here, following in zip(tokens, tokens[1:], strict=False):
        last, first = list(here)[-1], next(iter(following))
        chosen.append(search._ends(last, entry(here, last), entry(following, first)))
    return [*chosen, True]
