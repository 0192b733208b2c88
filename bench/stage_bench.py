"""Where a build's time goes, stage by stage, on the benchmark's synthetic archive.

    python3 bench/stage_bench.py --articles 10000 --edit override

Writes the corpus of bench/build_bench.py (bench/corpus.py), builds it cold,
makes one edit as that benchmark does (``--edit article``, ``override`` or
``none``), and builds again in this process, timing each stage of that
rebuild (the render stage covers the worker processes' work as the build
waits for it) and the cyclic garbage collector of the build process, and
counts the files of the search index the rebuild wrote or removed. It also
times the per-article map on the first 400 articles: parsing the front matter
(through libyaml where the build uses it, and through PyYAML's own parser
throughout) and analysing them; and renders the event and source pages of
those articles, with the templates as the build compiles them and with the
words of each language looked up on every page instead (``constants.Constants``
emptied), to compare; and the pages listing their events, with each event's
entry made once (``render.Entries``) and made on every page listing it.

With ``--workdir DIR`` the archive, site and cache are kept for the next
run, which builds them up to date before its edit; give each run its own
``--round N`` (the edit the benchmark makes N-th), or an override edit
changes nothing the second time.

``--default-gc`` runs the rebuild with CPython's default collector
thresholds instead of the build's (``cli.GC_THRESHOLDS``), to compare.

``--held`` keeps in memory, from the first build to the rebuild, what
``serve`` keeps between its rebuilds: the merged events, the parsed articles
and the manifest (``serve.HELD``, ``cache.hold_in_memory``).

``--jobs N`` rebuilds on N cores; with ``--jobs 1`` the rebuild makes every
file in this process, and the CPU seconds of each file showing the whole
archive (the exports, the feeds, the sitemaps, the search index) are shown
too, the calendars of the officials together.
"""

from __future__ import annotations

import argparse
import functools
import gc
import hashlib
import inspect
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_bench import edit_overrides  # noqa: E402
from corpus import edit_article, write_corpus  # noqa: E402

from generator import (  # noqa: E402
    analysis,
    build,
    cache,
    cli,
    constants,
    content,
    events,
    officials,
    output,
    overrides,
    remerge,
    render,
    serve,
    yamlio,
)
from generator.config import load_config  # noqa: E402
from generator.errors import Diagnostics  # noqa: E402

SAMPLE = 400  # articles timed one by one

#: (module or class, function, the name the table gives it), in build order.
STAGES: list[tuple[Any, str, str]] = [
    (output.Previous, "read", "read the manifest, find strays"),
    (build, "content_key", "digest the content folder"),
    (overrides, "load", "read overrides.yml"),
    (officials, "load_registry", "read officials.yml"),
    (analysis.Analysis, "load_articles", "read the parsed articles"),
    (analysis.Analysis, "extract", "the events: kept ones, or the three rows below"),
    (analysis.Analysis, "candidates", "candidates of the articles new since the last merge"),
    (remerge.Replay, "merge", "merge (replaying the last, reading back what it looks at)"),
    (remerge.Replay, "name", "name the events"),
    (overrides, "apply_to_events", "apply the event edits"),
    (render.Site, "__init__", "index the records"),
    (render, "plan_archive", "key the files of the whole archive"),
    (output.Previous, "reusable", "find the files to keep"),
    (render, "plan_pages", "key every page"),
    (render.Renderer, "results", "render and write (workers)"),
    (output.Staging, "commit", "commit the site"),
    (cache.Later, "start", "keep the events for the next build (fork)"),
    (cache.Later, "wait", "keep the events for the next build (wait for it)"),
]


class Timer:
    """Seconds spent in each wrapped function, and in the collector."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.collector = [0.0, 0.0, 0.0]  # by generation
        self._started = 0.0

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def wrap(self, owner: Any, attribute: str, name: str) -> Callable[[], None]:
        """Time ``owner.attribute`` under ``name``; returns what undoes it."""
        original = getattr(owner, attribute)
        timer = self

        if inspect.isgeneratorfunction(original):  # timed until it is used up

            @functools.wraps(original)
            def timed_iterator(*args: Any, **kwargs: Any) -> Iterator[Any]:
                start = time.perf_counter()
                yield from original(*args, **kwargs)
                timer.add(name, time.perf_counter() - start)

            setattr(owner, attribute, timed_iterator)
        else:

            @functools.wraps(original)
            def timed(*args: Any, **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    timer.add(name, time.perf_counter() - start)

            setattr(owner, attribute, timed)
        return lambda: setattr(owner, attribute, original)

    def on_collection(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.collector[info["generation"]] += time.perf_counter() - self._started


def per_article(content_folder: Path) -> dict[str, float]:
    """Milliseconds an article: parsing (both ways) and analysing."""
    files = sorted((content_folder / "articles").glob("*.md"))[:SAMPLE]
    texts = [(path.read_text(encoding="utf-8"), path.name, path.stem) for path in files]
    registry = officials.load_registry(content_folder, Diagnostics())

    def parse_all() -> list[Any]:
        return [content.parse_article(*text) for text in texts]

    start = time.perf_counter()
    articles = parse_all()
    fast = time.perf_counter() - start
    plain = yamlio._plain
    yamlio._plain = lambda text: False  # every document through PyYAML's parser
    try:
        start = time.perf_counter()
        parse_all()
        slow = time.perf_counter() - start
    finally:
        yamlio._plain = plain
    start = time.perf_counter()
    for article in articles:
        analysis.analyse(article, registry)
    analysed = time.perf_counter() - start
    count = len(texts) or 1
    return {
        "parse the front matter (libyaml where plain)": 1000 * fast / count,
        "parse the front matter (PyYAML's parser only)": 1000 * slow / count,
        "analyse": 1000 * analysed / count,
        **per_page(content_folder, articles, registry),
    }


def per_page(content_folder: Path, articles: list[Any], registry: Any) -> dict[str, float]:
    """Milliseconds of CPU a page, for the event and source pages of ``articles``:
    as the build renders them, and with the words looked up on every page
    (the best of five rounds each, taken in turn)."""
    config = load_config(content_folder, content_folder.parent / "unused-site", cache=None)
    found = events.extract(articles, registry)
    compiled = render.Site(config, articles, registry, found)
    looked_up = render.Site(config, articles, registry, found)
    for lang in config.languages:
        env = render.environment(config, lang)
        for extension in env.iter_extensions():
            if isinstance(extension, constants.Constants):
                extension._inlined = {}  # nothing compiled in
        looked_up._environments[lang] = env
    plan = render.plan_site(compiled)
    rates: dict[str, float] = {}
    for template, name in (("event.html", "an event page"), ("source.html", "a source page")):
        pages = [item for item in plan if item.template == template]
        best = {compiled: float("inf"), looked_up: float("inf")}
        for _ in range(5):
            for site in best:
                start = time.process_time()
                for item in pages:
                    render.render_file(site, item)
                best[site] = min(best[site], time.process_time() - start)
        count = len(pages) or 1
        rates[f"render {name}"] = 1000 * best[compiled] / count
        rates[f"render {name}, the words looked up"] = 1000 * best[looked_up] / count
    return {**rates, **per_list(compiled, plan)}


def per_list(site: render.Site, plan: list[render.Planned]) -> dict[str, float]:
    """Milliseconds of CPU for all the pages listing events (the home page, the
    months, the officials' pages and years), in the order the build renders
    them: with each event's entry made once (``render.Entries``, new for each
    round) and made on every page listing it (the best of five rounds each)."""
    lists = sorted((item for item in plan if item.template in render._LISTS), key=render._turn)
    languages = {item.lang for item in lists}

    def once() -> None:
        for lang in languages:
            site.environment(lang).filters["entry"] = render.Entries()

    def each() -> None:
        for lang in languages:
            site.environment(lang).filters["entry"] = lambda e, macro, *rest: macro(e, *rest)

    best = {once: float("inf"), each: float("inf")}
    for _ in range(5):
        for entries in best:
            entries()
            start = time.process_time()
            for item in lists:
                render.render_file(site, item)
            best[entries] = min(best[entries], time.process_time() - start)
    once()
    pages = f"render the {len(lists)} pages listing events"
    return {
        f"{pages}, in all": 1000 * best[once],
        f"{pages}, each entry made on each page": 1000 * best[each],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--edit", choices=("article", "override", "none"), default="override")
    parser.add_argument(
        "--round", type=int, default=1, help="which edit: another on each run with --workdir"
    )
    parser.add_argument("--default-gc", action="store_true", help="CPython's thresholds")
    parser.add_argument("--held", action="store_true", help="hold results in memory, as serve")
    parser.add_argument("--workdir", type=Path, default=None, help="kept if given")
    parser.add_argument("--jobs", type=int, default=None, help="cores for the rebuild")
    args = parser.parse_args(argv)

    folder = args.workdir or Path(tempfile.mkdtemp(prefix="stage-bench-"))
    try:
        corpus, site = folder / "content", folder / "site"
        if not corpus.is_dir():
            print(f"writing {args.articles:,} articles …", file=sys.stderr)
            write_corpus(corpus, args.articles, seed=args.seed, registry_from=ROOT / "content")
        rates = per_article(corpus)
        flags = ["--content", str(corpus), "--output", str(site), "--cache", str(folder / "cache")]
        if args.held:
            cache.hold_in_memory(serve.HELD)
        print("cold build …", file=sys.stderr)
        assert cli.main(["build", "--quiet", *flags]) == 0
        index_before = search_index(site)
        if args.edit == "article":
            edit_article(sorted((corpus / "articles").glob("*.md"))[0], args.round)
        elif args.edit == "override":
            edit_overrides(corpus, site, args.round)
        if args.default_gc:
            cli.GC_THRESHOLDS = (700, 10, 10)
        timer = Timer()
        choices: list[tuple[int, int, int, int]] = []
        files: dict[str, float] = {}
        undo = [count_choices(choices), time_archive_files(files)]
        undo += [timer.wrap(owner, attribute, name) for owner, attribute, name in STAGES]
        gc.callbacks.append(timer.on_collection)
        print(f"rebuild after the edit: {args.edit} …", file=sys.stderr)
        start = time.perf_counter()
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        try:
            assert cli.main(["build", "--quiet", *flags, *jobs]) == 0
        finally:
            total = time.perf_counter() - start
            gc.callbacks.remove(timer.on_collection)
            for restore in undo:
                restore()
        report(args, rates, timer, total, choices, files)
        report_index(index_before, search_index(site))
    finally:
        if args.workdir is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def time_archive_files(seconds: dict[str, float]) -> Callable[[], None]:
    """Record the CPU seconds of this process making each file showing the
    whole archive (all of them with ``--jobs 1``), the calendars of the
    officials together; returns what undoes it."""
    make = render._render_item

    def timed(site: render.Site, item: render.Planned, sink: Any) -> Any:
        start = time.process_time()
        try:
            return make(site, item, sink)
        finally:
            if item.kind not in ("page", "static"):
                official = item.path.startswith("officials/")
                name = "officials/*/events.ics" if official else item.path
                seconds[name] = seconds.get(name, 0.0) + time.process_time() - start

    render._render_item = timed
    return lambda: setattr(render, "_render_item", make)


def count_choices(found: list[tuple[int, int, int, int]]) -> Callable[[], None]:
    """Record, for each merge, how many candidates chose again and how many
    there were, and how many articles' candidates were read back of how
    many; returns what undoes it."""
    merge = remerge.Replay.merge

    def counted(self: remerge.Replay, articles: Any, *rest: Any) -> Any:
        merge(self, articles, *rest)
        given = sum(1 for _, candidates in articles if candidates is not None)
        counts = (self.chosen, len(self.trace.span_of), given + self.loaded, len(articles))
        found.append(counts)

    remerge.Replay.merge = counted  # type: ignore[method-assign]
    return lambda: setattr(remerge.Replay, "merge", merge)


def search_index(site: Path) -> dict[str, tuple[str, int]]:
    """Path -> (digest, size) of every file of the site's search index."""
    found = {}
    for path in sorted((site / "search").rglob("*.json")):
        data = path.read_bytes()
        found[str(path.relative_to(site))] = (hashlib.blake2b(data).hexdigest(), len(data))
    return found


def report_index(before: dict[str, tuple[str, int]], after: dict[str, tuple[str, int]]) -> None:
    """How many files of the search index the rebuild wrote or removed."""
    written = [path for path, known in after.items() if before.get(path) != known]
    removed = [path for path in before if path not in after]
    size = sum(size for _, size in after.values())
    print(
        f"\nThe search index: {len(written):,} of {len(after):,} files written "
        f"({sum(after[path][1] for path in written) / 1e6:.2f} MB of {size / 1e6:.2f} MB), "
        f"{len(removed):,} removed."
    )


def report(
    args: argparse.Namespace,
    rates: dict[str, float],
    timer: Timer,
    total: float,
    choices: list[tuple[int, int, int, int]],
    files: dict[str, float],
) -> None:
    thresholds = "CPython's default" if args.default_gc else f"{cli.GC_THRESHOLDS}"
    print(f"\n{args.articles:,} articles; the first {SAMPLE}, and their pages:\n")
    print("| per article or page | ms |\n|---|---:|")
    for name, milliseconds in rates.items():
        print(f"| {name} | {milliseconds:.2f} |")
    held = ", holding what serve holds" if args.held else ""
    print(f"\nRebuild after the edit ({args.edit}), collector thresholds {thresholds}{held}:\n")
    print("| stage | seconds |\n|---|---:|")
    for _, _, name in STAGES:
        if name in timer.seconds:
            print(f"| {name} | {timer.seconds[name]:.2f} |")
    print(f"| (of these, in the collector of the build process) | {sum(timer.collector):.2f} |")
    print(f"| the whole rebuild | {total:.2f} |")
    if files:
        print("\nThe files showing the whole archive, made in this process (CPU seconds):\n")
        print("| file | CPU seconds |\n|---|---:|")
        for name, seconds in sorted(files.items(), key=lambda item: -item[1]):
            print(f"| {name} | {seconds:.3f} |")
        print(f"| (all of them) | {sum(files.values()):.3f} |")
    for chosen, count, read, articles in choices:
        print(f"\nThe merge chose again for {chosen:,} of {count:,} candidates; the others")
        print("kept the choice of the last build (generator/remerge.py). It read the")
        print(f"candidates of {read:,} of {articles:,} articles.")
    young, middle, full = timer.collector
    print(
        f"\nCollector by generation: {young:.2f} s young, {middle:.2f} s middle, {full:.2f} s full"
    )


if __name__ == "__main__":
    raise SystemExit(main())
