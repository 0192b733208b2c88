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
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import cache, content, officials
from generator.cache import Store, digest, open_store
from generator.errors import Diagnostics, SourceError
from generator.files import read_bytes, recorded_path, shown_path, text_of
from generator.models import Article, Event
from generator.officials import Registry

if TYPE_CHECKING:
    from generator import events

#: Below this many misses a stage runs in this process: starting workers costs more.
POOL_THRESHOLD = 48


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
        self._articles: dict[Path, Article] = {}
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
        files: Mapping[str, str] | None = None,
    ) -> list[Article]:
        """:func:`content.load_articles`, with each file parsed once per change.

        ``whole``: a digest of the articles folder (``build.content_key``).
        Under it the parsed articles are kept together as well, so a build
        in which no article changed (an edit of overrides.yml) reads them back
        in one piece, without reading the files again. ``files``: the digest
        of each article file's bytes, as that key read them; a file parsed
        before is then not read again.
        """
        kept = cache.recall(self.folder, "parsed-articles", whole) if whole else None
        if kept is not None:
            for name, key, article in kept:
                self._remember(folder / "articles" / name, key, article)
        else:
            # The last build's parsed articles (held by serve, or read back
            # whole) give each unchanged file's article, by the file's own key.
            earlier = cache.recall(self.folder, "parsed-articles", None)
            by_key = {key: article for _, key, article in earlier or ()}
            parsed_all = self._prefetch(folder / "articles", files or {}, by_key)
            if whole and parsed_all:
                together = [(p.name, self._keys[p.stem], a) for p, a in self._articles.items()]
                self.keep(self.folder, "parsed-articles", whole, together)
        return content.load_articles(folder, diagnostics, read=self._read)

    def _remember(self, path: Path, key: str, article: Article) -> None:
        self._articles[path] = article
        self._keys[path.stem] = key
        self._parsed[path.stem] = article

    def _read(self, path: Path) -> Article:
        article = self._articles.get(path)
        return article if article is not None else content.read_article(path)

    def _prefetch(
        self, folder: Path, files: Mapping[str, str], earlier: Mapping[str, Article]
    ) -> bool:
        """Take parsed articles from ``earlier`` or the cache (both by each
        file's key), read and parse the rest.

        ``files``: name -> digest of the file's bytes, known already (other
        files are read to key them). Whether every article was parsed, each
        from the bytes ``files`` says: only then may they be kept under the
        digest of the folder those digests were part of.
        """
        if not folder.is_dir():
            return False
        engine = cache.engine_version()
        texts: dict[Path, str] = {}
        paths = sorted(folder.glob("*.md"), key=lambda path: path.name)
        digests = {path: files.get(path.name) or self._read_now(path, texts) for path in paths}
        keys = {
            path: digest("article", engine, recorded_path(path), path.stem, known)
            for path, known in digests.items()
            if known is not None
        }
        cached = self.store.get_many("articles", (k for k in keys.values() if k not in earlier))
        found = cached.keys() | (earlier.keys() & set(keys.values()))
        for path in [path for path in keys if keys[path] not in found and path not in texts]:
            # Parsed under no key yet: read it now, keyed by the bytes read (the
            # file may have changed since the content key was taken).
            digests[path] = known = self._read_now(path, texts)
            if known is None:
                del keys[path]
            else:
                keys[path] = digest("article", engine, recorded_path(path), path.stem, known)
        missing = [path for path in texts if keys[path] not in found]
        jobs = [(texts[path], shown_path(path), path.stem, recorded_path(path)) for path in missing]
        fresh: dict[str, bytes] = {}
        for path, (ok, result) in zip(missing, self.workers.map(_parse_task, jobs), strict=True):
            if ok:
                fresh[keys[path]] = result  # type: ignore[assignment]
        self.store.put_many("articles", fresh)
        with cache.uncollected():
            for path, key in keys.items():
                article = earlier.get(key)
                if article is None:
                    data = cached.get(key) or fresh.get(key)
                    article = pickle.loads(data) if data is not None else None
                if article is not None:
                    self._remember(path, key, article)
        if fresh:
            self.store.keep_only("articles", keys.values())
        return all(
            path in self._articles and digests[path] == files.get(path.name) for path in paths
        )

    @staticmethod
    def _read_now(path: Path, texts: dict[Path, str]) -> str | None:
        """The digest of ``path``'s bytes, its text kept in ``texts``; None when
        it cannot be read as text (content.load_articles reads it again and
        reports it)."""
        shown = shown_path(path)
        try:
            data = read_bytes(path, shown)
            texts[path] = text_of(data, shown)
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
        extracted = replay.name(registry)
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
