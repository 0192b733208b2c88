"""Search index benchmark: how large and how fast the index is on a synthetic archive.

    python3 bench/search_bench.py --articles 1000

Writes the deterministic corpus of bench/corpus.py, runs the generator's
stages up to rendering (``generator.build.assemble``: dates, events,
officials, overrides), then times ``generator.search.index`` alone, best of
``--repeat`` runs, in wall and CPU seconds. It prints the documents and files
of each language, the bytes written, the largest term shard (what one query
word fetches at most, besides the document chunks) and the seconds. A
measurement, not a test: the exit status is 0.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus  # noqa: E402

from generator import build, search  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.errors import Diagnostics  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is shown")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the analysis")
    parser.add_argument("--cache", type=Path, help="keep the analysis cache here between runs")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="search-bench-") as scratch:
        content = Path(scratch) / "content"
        write_corpus(content, args.articles, registry_from=ROOT / "content")
        config = load_config(
            content,
            Path(scratch) / "site",
            quiet=True,
            cache=args.cache or Path(scratch) / "cache",
            jobs=args.jobs,
        )
        timeline = build.assemble(config, Diagnostics())
        stages = (config, timeline.articles, timeline.registry, timeline.events)
        docs = search.documents(*stages)
        best_wall = best_cpu = float("inf")
        files: dict[str, bytes] = {}
        for _ in range(args.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            files = search.index(*stages)
            best_cpu = min(best_cpu, time.process_time() - cpu)
            best_wall = min(best_wall, time.perf_counter() - wall)

    print(
        f"articles {args.articles}, events {len(timeline.events)}, "
        f"officials {len(timeline.registry.officials)}"
    )
    for lang, documents in docs.items():
        mine = {p: d for p, d in files.items() if p.startswith(f"search/{lang}/")}
        shards = [d for p, d in mine.items() if "/terms-" in p]
        print(
            f"{lang}: {len(documents)} documents, {len(mine)} files, "
            f"{sum(map(len, mine.values())) / 1e6:.1f} MB, "
            f"term shards {len(shards)} (largest {max(map(len, shards), default=0) / 1e3:.0f} kB)"
        )
    print(
        f"index: {sum(len(d) for d in docs.values())} documents, {len(files)} files, "
        f"{sum(map(len, files.values())) / 1e6:.1f} MB, "
        f"{best_wall:.2f} s wall, {best_cpu:.2f} s CPU (best of {args.repeat})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
