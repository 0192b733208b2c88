"""Loading and per-article analysis as a pure map: cached, and run on every core.

Extraction is three steps (see :func:`generator.events.extract`)::

    candidates = concat(map(candidates_of(., registry), articles))  # one article at a time
    groups     = merge(candidates)                                  # a group-by
    events     = name_events(groups, registry)                      # sort and name

The map is nearly all the cost of a build and reads nothing but one article,
the registry and the code, so its result is cached under the digest of those
three and the misses run in a process pool. Parsing an article's front matter
is the same kind of map, keyed by the file's text. The merge only ever
compares candidates sharing a type family, a status, an official and a month
(:func:`generator.events.merge_keys`), and after an edit it replays the last
merge, choosing again only where the edit reaches (:mod:`generator.remerge`).

This is also where a larger archive would leave the machine: the map is
embarrassingly parallel and the merge a group-by on those keys, whose parts
chain together (README, "Going past one machine").
"""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import cache, content, officials
from generator.cache import Store, digest, open_store
from generator.errors import Diagnostics, SourceError
from generator.files import read_bytes, recorded_folder, shown_path, text_of
from generator.models import Article, Event
from generator.officials import Registry

if TYPE_CHECKING:
    from generator import events

#: Below this many misses a stage runs in this process: starting workers costs more.
POOL_THRESHOLD = 48

#: The parsed articles kept together (:meth:`Analysis.load_articles`).
PARSED = "parsed-articles"


# --- the map ---------------------------------------------------------------


Analysed = tuple[list["events.Candidate"], list[officials.Unregistered]]


def analyse(article: Article, registry: Registry) -> Analysed:
    """One article's candidate events, and the officials it names whom the
    registry does not know: the pure per-article stage.

    The extractor (and the date engine) is imported by the functions that
    use it: a build whose events all come from the cache, after an edit of
    overrides.yml or a template, never loads it."""
    from generator import events

    return events.candidates_of(article, registry), officials.unregistered([article], registry)


def registry_digest(registry: Registry) -> str:
    """A digest of everything the registry says (names, aliases, roles, terms)."""
    return digest(*(repr(official) for official in registry.officials.values()))


class _Pickler(pickle.Pickler):
    """Pickles candidates without the article they cite: it is stored once, apart."""

    def __init__(self, file: io.BytesIO, article: Article):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.article = article

    def persistent_id(self, obj: Any) -> str | None:
        return "article" if obj is self.article else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, article: Article):
        super().__init__(file)
        self.article = article

    def persistent_load(self, pid: Any) -> Any:
        if pid != "article":
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        return self.article


def dump_candidates(analysed: Analysed, article: Article) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, article).dump(analysed)
    return buffer.getvalue()


def load_candidates(data: bytes, article: Article) -> Analysed:
    """Cached candidates, citing the ``article`` of this build (same text, same id)."""
    return _Unpickler(io.BytesIO(data), article).load()


# --- worker processes --------------------------------------------------------

_registry: Registry | None = None


def _start_worker(registry: bytes) -> None:
    global _registry
    _registry = pickle.loads(registry)


def _parse_task(job: tuple[str, str, str, str]) -> tuple[bool, bytes | tuple[str, int, str]]:
    text, shown, article_id, recorded = job
    try:
        article = content.parse_article(text, shown, article_id, recorded)
    except SourceError as problem:
        return False, (problem.path, problem.line, problem.message)
    article.fingerprint  # noqa: B018 (kept with it: every build keys the site by it)
    article.month_names  # noqa: B018 (and every build lists the sources)
    return True, pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL)


def _analyse_task(article: Article) -> bytes:
    assert _registry is not None
    return dump_candidates(analyse(article, _registry), article)


class Workers:
    """A process pool started on first use and shared by the stages of one build."""

    def __init__(self, jobs: int, registry: Registry):
        self.jobs = max(1, jobs)
        self.registry = registry
        self._pool: Any = None

    def map(self, task: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        """``[task(item) for item in items]``, on every core when it pays."""
        if self.jobs == 1 or len(items) < POOL_THRESHOLD:
            if task is _analyse_task:
                _start_worker(pickle.dumps(self.registry))
            return [task(item) for item in items]
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = context.Pool(
                self.jobs, initializer=_start_worker, initargs=(pickle.dumps(self.registry),)
            )
        chunk = max(1, min(64, len(items) // (self.jobs * 8)))
        return self._pool.map(task, items, chunksize=chunk)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None


# --- the stages --------------------------------------------------------------


class Analysis:
    """Loading and extraction for one build, backed by ``store`` and ``workers``."""

    def __init__(
        self,
        store: Store,
        workers: Workers,
        folder: Path | None = None,
        keep: cache.Keep = cache.remember,
    ):
        self.store = store
        self.workers = workers
        self.folder = folder  # of the cache, for the events and parsed articles kept whole
        self.keep = keep  # cache.remember, or a cache.Later's
        self._articles: dict[str, Article] = {}  # file name -> its article
        self._digests: dict[str, str] = {}  # file name -> digest of the bytes it was parsed from
        self._keys: dict[str, str] = {}  # article id -> digest of its text and place
        self._parsed: dict[str, Article] = {}  # article id -> the Article that digest gave
        self.unregistered: list[officials.Unregistered] = []  # found by the last extract()

    @classmethod
    @contextmanager
    def open(
        cls,
        folder: Path | None,
        jobs: int,
        registry: Registry,
        diagnostics: Diagnostics,
        keep: cache.Keep = cache.remember,
    ) -> Iterator[Analysis]:
        """The stages for one build, caching in ``folder``; the pool and store close at the end."""
        store = open_store(folder)
        workers = Workers(jobs, registry)
        try:
            yield cls(store, workers, folder, keep)
        finally:
            workers.close()
            store.close()
            if store.problem:
                diagnostics.warn(str(folder), 0, f"build cache not used: {store.problem}")

    def load_articles(
        self,
        folder: Path,
        diagnostics: Diagnostics,
        whole: str | None = None,
        listing: Mapping[str, str | None] | None = None,
    ) -> list[Article]:
        """:func:`content.load_articles`, with each file parsed once per change.

        ``listing``: every entry of the articles folder with the digest of
        its bytes (None for a folder), as ``build.content_key`` found them;
        a file parsed before from those bytes is not read again. ``whole``:
        the digest of that listing, under which the parsed articles are kept
        together as well, so a build in which no article changed (an edit of
        overrides.yml) reads them back in one piece. After an article edit,
        the last build's are read back (held by serve, or whole), and each
        file whose digest is the one it was parsed from keeps its article.
        """
        where = folder / "articles"
        made = (cache.engine_version(), recorded_folder(where))  # what the keys are made of
        kept = cache.recall(self.folder, PARSED, whole) if whole else None
        if kept is not None and kept[0] == made:
            for entry in kept[1]:
                self._remember(*entry)
        else:
            earlier = cache.recall(self.folder, PARSED, None)
            usable = isinstance(earlier, tuple) and len(earlier) == 2 and earlier[0] == made
            by_name = {entry[0]: entry for entry in earlier[1]} if usable else {}
            parsed_all = self._prefetch(where, made, listing, by_name)
            if whole and parsed_all:
                together = [
                    (name, self._digests[name], self._keys[name[:-3]], article)
                    for name, article in self._articles.items()
                ]
                self.keep(self.folder, PARSED, whole, (made, together))
        entries = {name: known is not None for name, known in listing.items()} if listing else None
        return content.load_articles(folder, diagnostics, entries, self._articles)

    def _remember(self, name: str, known: str, key: str, article: Article) -> None:
        """The article of the file ``name``, parsed from bytes of digest
        ``known``, under the cache's ``key``."""
        self._articles[name] = article
        self._digests[name] = known
        self._keys[name[:-3]] = key
        self._parsed[name[:-3]] = article

    def _prefetch(
        self,
        folder: Path,
        made: tuple[str, str],
        listing: Mapping[str, str | None] | None,
        earlier: Mapping[str, tuple[str, str, str, Article]],
    ) -> bool:
        """Take parsed articles from ``earlier`` (by file name, if parsed from
        the bytes of the digest ``listing`` gives) or the cache (by each
        file's key), read and parse the rest.

        ``listing``: name -> digest of the file's bytes, known already (without
        it, every file is read to key it). Whether every article was parsed,
        each from the bytes ``listing`` says: only then may they be kept
        under the digest of the folder those digests were part of.
        """
        if listing is None:
            if not folder.is_dir():
                return False
            with os.scandir(folder) as found:
                listing = {entry.name: "" if entry.is_file() else None for entry in found}
        names = [n for n, known in listing.items() if known is not None and _article_file(n)]
        engine, recorded = made
        texts: dict[str, str] = {}
        digests = {name: listing[name] or self._read_now(folder / name, texts) for name in names}
        keys: dict[str, str] = {}
        for name, known in digests.items():
            entry = earlier.get(name)
            if entry is not None and entry[1] == known:
                self._remember(*entry)  # parsed before from these very bytes
            elif known is not None:
                keys[name] = digest("article", engine, f"{recorded}/{name}", name[:-3], known)
        cached = self.store.get_many("articles", keys.values())
        for name in [name for name in keys if keys[name] not in cached and name not in texts]:
            # Parsed under no key yet: read it now, keyed by the bytes read (the
            # file may have changed since the content key was taken).
            digests[name] = known = self._read_now(folder / name, texts)
            if known is None:
                del keys[name]
            else:
                keys[name] = digest("article", engine, f"{recorded}/{name}", name[:-3], known)
        missing = [name for name in texts if name in keys and keys[name] not in cached]
        jobs = [
            (texts[name], shown_path(folder / name), name[:-3], f"{recorded}/{name}")
            for name in missing
        ]
        fresh: dict[str, bytes] = {}
        for name, (ok, result) in zip(missing, self.workers.map(_parse_task, jobs), strict=True):
            if ok:
                fresh[keys[name]] = result  # type: ignore[assignment]
        self.store.put_many("articles", fresh)
        with cache.uncollected():
            for name, key in keys.items():
                data = cached.get(key) or fresh.get(key)
                if data is not None:
                    self._remember(name, digests[name], key, pickle.loads(data))
        if fresh:
            self.store.keep_only("articles", self._keys.values())
        return all(name in self._articles and digests[name] == listing[name] for name in names)

    @staticmethod
    def _read_now(path: Path, texts: dict[str, str]) -> str | None:
        """The digest of ``path``'s bytes, its text kept in ``texts`` by file
        name; None when it cannot be read as text (content.load_articles
        reads it again and reports it)."""
        shown = shown_path(path)
        try:
            data = read_bytes(path, shown)
            texts[path.name] = text_of(data, shown)
        except SourceError:
            return None
        return digest(data)

    def extract(self, articles: list[Article], registry: Registry) -> list[Event]:
        """:func:`events.extract`, with each article analysed once per change.

        The events are kept too, with what the merge chose: an edit of
        overrides.yml that touches only events, the most common edit, reads
        them back under the keys of every article in order, and an article
        edit replays the last merge (:mod:`generator.remerge`) instead of
        merging tens of thousands again, reading back only the candidates of
        the articles new since and of those whose groups a choice looks at.
        """
        engine, registry_key = cache.engine_version(), registry_digest(registry)
        keys = [digest("candidates", engine, registry_key, self._text_key(a)) for a in articles]
        whole = digest("events", engine, registry_key, *keys)
        kept = cache.recall(self.folder, "events", engine)
        if kept is not None and kept[0] == whole:
            _, extracted, unknown, _ = kept
            self.unregistered = [u for key in keys for u in unknown.get(key, ())]
            return extracted
        from generator import remerge  # here: a build reading the events back never loads it

        trace = remerge.Trace(*kept[3]) if kept is not None else None
        then = set(trace.articles) if trace is not None else set()
        unknown = {key: found for key, found in kept[2].items() if key in then} if kept else {}
        by_key = dict(zip(keys, articles, strict=True))
        new = [key for key in keys if key not in then]
        found = self.candidates([by_key[key] for key in new], new, keys, unknown)
        replay = remerge.Replay(trace)
        given = [(key, found.get(key)) for key in keys]
        replay.merge(given, lambda key: self._load(by_key[key], key))
        extracted = replay.name(registry, kept[1] if kept is not None else None)
        traced = replay.trace.plain()  # plain values: reading them back loads no module of ours
        unknown = {key: unknown[key] for key in keys if unknown.get(key)}
        self.unregistered = [u for found in unknown.values() for u in found]
        self.keep(self.folder, "events", engine, (whole, extracted, unknown, traced))
        return extracted

    def candidates(
        self,
        articles: list[Article],
        keys: list[str],
        every: list[str],
        unknown: dict[str, list[officials.Unregistered]],
    ) -> dict[str, list[Any]]:
        """The candidates of ``articles``, by ``keys``: the key of each
        article's candidates (its text, the registry, the code); the officials
        each names whom the registry does not know go into ``unknown``.
        ``every``: the keys of every article, whose candidates are kept."""
        cached = self.store.get_many("candidates", keys)
        missing = [a for a, k in zip(articles, keys, strict=True) if k not in cached]
        fresh = dict(
            zip(
                (k for k in keys if k not in cached),
                self.workers.map(_analyse_task, missing),
                strict=True,
            )
        )
        self.store.put_many("candidates", fresh)
        if fresh:
            self.store.keep_only("candidates", every)
        found: dict[str, list[Any]] = {}
        with cache.uncollected():
            for article, key in zip(articles, keys, strict=True):
                found[key], unknown[key] = load_candidates(cached.get(key) or fresh[key], article)
        return found

    def _load(self, article: Article, key: str) -> list[Any]:
        """The candidates of an article the last merge had, when the replay
        needs them; analysed again if the store no longer has them."""
        data = self.store.get_many("candidates", [key]).get(key)
        if data is None:
            data = dump_candidates(analyse(article, self.workers.registry), article)
            self.store.put_many("candidates", {key: data})
        with cache.uncollected():
            return load_candidates(data, article)[0]

    def _text_key(self, article: Article) -> str:
        # An article changed after parsing (overrides.yml fixed its publication
        # date) is not what its file's digest stands for: key it by its value.
        known = self._keys.get(article.id)
        if known is not None and self._parsed.get(article.id) is article:
            return known
        return digest("parsed", article.fingerprint)


def _article_file(name: str) -> bool:
    """Whether a file of this name is an article (as :func:`content.load_articles` has it)."""
    return name.endswith(".md") and not name.startswith(".")
