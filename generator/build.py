"""The pipeline, one line a stage:

load content -> (article and official overrides) -> resolve dates -> extract events
-> match officials -> merge across articles -> apply overrides -> render pages
-> index for search -> write site
"""

from __future__ import annotations

import contextlib
import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from generator import cache as cache_module
from generator import history, output, statindex, templates
from generator.cache import digest
from generator.config import Config, settings_key
from generator.errors import Diagnostics, SourceError
from generator.progress import Progress, Silent

if TYPE_CHECKING:  # a build with nothing to do loads none of these
    from generator import officials, render
    from generator.models import Article, Event
    from generator.officials import Registry


@dataclass(frozen=True)
class Summary:
    articles: int
    events: int
    officials: int
    pages: int
    warnings: int


@dataclass(frozen=True)
class Timeline:
    """What the site is made of, once every stage before rendering has run."""

    articles: list[Article]
    registry: Registry
    events: list[Event]
    seen: history.History  # every id this run met, for the next run's overrides check
    unregistered: tuple[officials.Unregistered, ...] = ()  # for the build report


def build(config: Config, diagnostics: Diagnostics, progress: Progress | None = None) -> Summary:
    """Build the site described by ``config``; raises BuildFailed on bad input.

    Only files whose inputs changed since the last build into the same
    output folder are rendered, and only those whose bytes changed are written.
    """
    try:
        return _build(config, diagnostics, progress or Silent())
    finally:
        cache_module.release()  # what it read back and kept out of the collector's way


def _build(config: Config, diagnostics: Diagnostics, progress: Progress) -> Summary:
    output.check_output(config.output, config.content)
    check_cache(config.cache, config.output)
    manifest = site_manifest(config)
    previous = output.Previous.read(manifest, config.output)
    content = content_key(config)
    if previous is not None and content is not None:
        ids = history.fingerprint_of(config.cache)  # the ids are read only if there is work
        done = _unchanged(previous, build_key(config, content.whole, ids), config, diagnostics)
        if done is not None:
            return done
    seen = history.read(config.cache) if content is not None else None
    # Which files of the last build are still as written is found meanwhile
    # (a stat of each); a build with nothing to do has found it already.
    # What the build keeps for the next one is written by a forked process
    # (see _update), which it waits for whatever happens.
    later = cache_module.Later()
    try:
        with previous.checked_meanwhile() if previous else contextlib.nullcontext():
            return _update(config, diagnostics, progress, manifest, previous, content, seen, later)
    finally:
        later.wait()


def _update(
    config: Config,
    diagnostics: Diagnostics,
    progress: Progress,
    manifest: Path | None,
    previous: output.Previous | None,
    content: ContentKey | None,
    seen: history.History | None,
    later: cache_module.Later,
) -> Summary:
    """Every stage after the check that there is work to do, keeping what
    the next build reads back with ``later``."""
    from generator import render  # here: a build with nothing to do never loads it

    timeline = _assemble(config, diagnostics, progress, seen, later.remember, content)
    site = render.Site(config, timeline.articles, timeline.registry, timeline.events)
    archive = render.plan_archive(site, _earlier(config, manifest, previous))
    stamp = None
    if content is not None:
        stamp = build_key(config, content.whole, timeline.seen.fingerprint)
    if stamp is not None and manifest is not None:
        basis = functools.partial(render.basis_of, site)  # made where it is written
        later.remember_made(config.cache, _basis_kind(manifest), stamp, basis)
    if previous is not None:
        # After an edit, what the build keeps (the merged events, the parsed
        # articles, the basis) is written while the pages are made, on a core
        # the build process leaves idle as it waits for the render workers. A
        # first build writes it once its pages are done: the forked process
        # shares its memory, and beside the workers would hold as much again.
        later.start()
    _fail_on_warnings_if_strict(config, diagnostics)
    staging = output.Staging(config.output, previous)
    site.earlier = staging.earlier  # the files of the whole archive are spliced from them
    try:
        # The files of the whole archive take longest: the workers start on
        # them while this process keys every page.
        with render.Renderer(site, staging.write, config.jobs, progress.advance) as renderer:
            search = _search_index(staging, previous, render.plan_search(site))
            renderer.add(_to_make(staging, previous, archive) + search)
            renderer.add(_pages_to_make(staging, previous, site))
            progress.stage("render pages", renderer.count)  # and the search index
            for result in renderer.results():
                staging.record(result)
        for path, data in render.report_pages(timeline.unregistered).items():
            staging.add(path, data)
        progress.stage("write site")
    except BaseException:
        staging.discard()
        raise
    summary = _summary(timeline, staging.count, diagnostics)
    warnings = [(w.path, w.line, w.message) for w in diagnostics.warnings]
    later.start()  # a first build's, written while the site is committed
    staging.commit(manifest, (stamp, summary, warnings))
    history.write(config.cache, timeline.seen)
    return summary


def _earlier(
    config: Config, manifest: Path | None, previous: output.Previous | None
) -> render.Earlier | None:
    """The last build of this output, as :func:`render.plan_archive` reads it:
    what it keyed its pages from, kept under the stamp its manifest holds,
    and the key it recorded for each file."""
    from generator import render

    if manifest is None or previous is None or not isinstance(previous.stamp, tuple):
        return None
    basis = cache_module.recall(config.cache, _basis_kind(manifest), previous.stamp[0])
    if not isinstance(basis, render.Basis):
        return None
    entries = previous.entries

    def key_of(path: str) -> str | None:
        entry = entries.get(path)
        return entry[3] if entry is not None else None

    return render.Earlier(basis, key_of)


def _basis_kind(manifest: Path) -> str:
    """Where the cache keeps the basis of the build recorded in ``manifest``."""
    return f"basis-{manifest.stem[:16]}"


def build_key(config: Config, content: str, ids: str) -> str:
    """A digest of everything a build reads: the content and the code
    (``content``, see :func:`content_key`), the ids earlier builds saw (their
    fingerprint, ``ids``: see :mod:`generator.history`), the templates and
    the settings (the command line may change some)."""
    return digest(content, ids, templates.templates_digest(), settings_key(config))


def _unchanged(
    previous: output.Previous, stamp: str, config: Config, diagnostics: Diagnostics
) -> Summary | None:
    """The last build's summary, if it read the very same inputs and every file
    it wrote is still there as it wrote it: then there is nothing to do."""
    if not (isinstance(previous.stamp, tuple) and previous.stamp[0] == stamp):
        return None
    if not previous.all_intact():
        return None
    _, summary, warnings = previous.stamp
    for warning in warnings:
        diagnostics.warn(*warning)
    _fail_on_warnings_if_strict(config, diagnostics)
    return summary


def check(config: Config, diagnostics: Diagnostics) -> Summary:
    """Everything ``build`` does except writing: for editors and CI."""
    from generator import render

    timeline = assemble(config, diagnostics)
    site = render.Site(config, timeline.articles, timeline.registry, timeline.events)
    plan = render.plan_site(site)
    for _ in render.render_into(site, plan, lambda path, data, key: None, config.jobs):
        pass
    _fail_on_warnings_if_strict(config, diagnostics)
    return _summary(timeline, len(plan), diagnostics)


def _to_make(
    staging: output.Staging, previous: output.Previous | None, plan: list[render.Planned]
) -> list[render.Planned]:
    """The files of ``plan`` to make; the others, made from the same inputs
    by the last build and still intact, are kept as they are."""
    kept = previous.reusable({item.path: item.key for item in plan}) if previous else set()
    staging.keep(sorted(kept))
    return [item for item in plan if item.path not in kept]


def _pages_to_make(
    staging: output.Staging, previous: output.Previous | None, site: render.Site
) -> list[render.Planned]:
    """The pages to make, as :func:`_to_make` finds them; the pages whose
    key is the one the last build recorded need only be found intact, and
    after an edit they are most of the pages of a large archive."""
    from generator import render

    if previous is None:
        return render.plan_pages(site)

    def keep(recorded: list[str]) -> set[str]:
        kept = previous.intact_among(recorded)
        staging.keep(kept)
        return kept

    return _to_make(staging, previous, render.plan_pages(site, keep))


def _search_index(
    staging: output.Staging, previous: output.Previous | None, planned: render.Planned
) -> list[render.Planned]:
    """The search index (many files, one key) to make again, unless every
    file of it is kept from the last build."""
    kept = previous.group(planned.key) if previous else None
    if kept is not None:
        staging.keep(sorted(kept))
        return []
    return [planned]


def assemble(
    config: Config, diagnostics: Diagnostics, progress: Progress | None = None
) -> Timeline:
    """Every stage up to rendering; ``check`` and ``events`` stop here."""
    try:
        return _assemble(config, diagnostics, progress)
    finally:
        cache_module.release()


class ContentKey(NamedTuple):
    """Digests of what :func:`assemble` reads, with the code (see :func:`content_key`)."""

    whole: str  # everything but the ids earlier builds saw
    articles: str  # the articles folder alone: the parsed articles depend on nothing else
    #: every entry of the articles folder -> the digest of its bytes (None for a folder)
    listing: dict[str, str | None]


def content_key(config: Config) -> ContentKey | None:
    """A digest of everything :func:`assemble` reads but the ids earlier builds
    saw (the content folder and the code), and one of the articles folder
    alone; None without a cache.

    Each file's digest comes from the stat index kept in the cache, and only
    the files it cannot vouch for are read (:mod:`generator.statindex`)."""
    if config.cache is None:
        return None
    code = [cache_module.engine_version()]
    index = statindex.StatIndex.open(config.cache, config.content)
    top, articles = index.listing(), index.listing("articles")
    if top is None or articles is None:
        return None  # let the stages report it
    index.save()
    where = str((config.content / "articles").absolute())
    folder = cache_module.digest_many("articles", *code, where, *_parts(articles))
    whole = digest(*code, str(config.content.absolute()), *_parts(top), folder)
    return ContentKey(whole, folder, articles)


def _parts(listing: dict[str, str | None]) -> list[str]:
    """A folder's listing (:meth:`statindex.StatIndex.listing`) as the parts
    of a digest: each name, then its file's digest or "/" for a folder (a
    digest is hexadecimal: never "/")."""
    return [part for name, known in listing.items() for part in (name, known or "/")]


def _assemble(
    config: Config,
    diagnostics: Diagnostics,
    progress: Progress | None = None,
    seen: history.History | None = None,
    keep: cache_module.Keep = cache_module.remember,
    listed: ContentKey | None = None,
) -> Timeline:
    """The stages of :func:`assemble`.

    Extraction and overrides are imported here: a rebuild with nothing to do
    never loads them (nor dateparser).

    Official and article edits apply before extraction (a corrected name is
    what the extractor looks for; a fixed publication date anchors "امس"),
    event edits after it. ``listed``: the content key :func:`build` took, whose
    digests of the article files spare reading them again.
    """
    from generator import analysis, officials, overrides

    progress = progress or Silent()
    progress.stage("read officials and overrides")
    if seen is None:  # build() read it already when there is a cache
        seen = history.read(config.cache or default_cache(config.content))
    edits = overrides.load(config.content, diagnostics)
    loaded = officials.load_registry(config.content, diagnostics)
    registry = overrides.apply_to_registry(loaded, edits, diagnostics, seen)
    with analysis.Analysis.open(config.cache, config.jobs, registry, diagnostics, keep) as stages:
        progress.stage("read articles")
        found = stages.load_articles(
            config.content,
            diagnostics,
            listed.articles if listed else None,
            listed.listing if listed else None,
        )
        diagnostics.raise_if_errors()
        articles = overrides.apply_to_articles(found, edits, diagnostics, seen)
        progress.stage(f"extract events from {len(articles)} articles")
        extracted = stages.extract(articles, registry)
        unknown = tuple(stages.unregistered)
    timeline = overrides.apply_to_events(extracted, edits, articles, registry, diagnostics, seen)
    diagnostics.raise_if_errors()
    seen = seen.plus(
        [e.id for e in (*extracted, *timeline)], [a.id for a in found], loaded.officials
    )
    officials.warn_unregistered(unknown, diagnostics)
    return Timeline(articles, registry, timeline, seen, unknown)


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_cache(content: Path) -> Path:
    """``.cache/`` beside the content folder: kept between builds, never published."""
    return content.absolute().parent / ".cache"


def site_manifest(config: Config) -> Path | None:
    """Where the cache records what was written to this output folder, if anywhere."""
    if config.cache is None:
        return None
    return config.cache / "sites" / f"{digest(str(config.output.resolve()))}.manifest"


def check_cache(cache: Path | None, site: Path) -> None:
    """The cache must not be published, nor the site be written over it."""
    if cache is None:
        return
    cache, site = cache.resolve(), site.resolve()
    if cache == site or site in cache.parents:
        raise SourceError(str(cache), 0, "the cache folder must be apart from the output folder")


def _fail_on_warnings_if_strict(config: Config, diagnostics: Diagnostics) -> None:
    if config.strict and diagnostics.warnings:
        diagnostics.errors.extend(diagnostics.warnings)
        diagnostics.raise_if_errors()


def _summary(timeline: Timeline, files: int, diagnostics: Diagnostics) -> Summary:
    return Summary(
        len(timeline.articles),
        len(timeline.events),
        len(timeline.registry.officials),
        files,
        len(diagnostics.warnings),
    )
