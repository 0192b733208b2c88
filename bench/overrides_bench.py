"""What hand corrections cost a build: parse and apply N edits to a synthetic archive.

    python3 bench/overrides_bench.py --articles 300 --edits 200

Writes a deterministic corpus (bench/corpus.py), extracts its events once,
writes an overrides.yml retitling and annotating ``--edits`` of them, and
times reading that file and applying it (median of ``--runs``). Prints the
figures; a measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_corpus  # noqa: E402

from generator import overrides  # noqa: E402
from generator.build import assemble  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.errors import Diagnostics  # noqa: E402


def main() -> int:
    flags = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    flags.add_argument("--articles", type=int, default=300)
    flags.add_argument("--edits", type=int, default=200)
    flags.add_argument("--runs", type=int, default=5)
    args = flags.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        content = Path(scratch) / "content"
        write_corpus(content, args.articles, registry_from=ROOT / "content")
        config = load_config(content, Path(scratch) / "site")
        timeline = assemble(config, Diagnostics())
        targets = [e.id for e in timeline.events][: args.edits]
        (content / "overrides.yml").write_text(
            "events:\n"
            + "".join(
                f'  {i}:\n    title: {{en: "Edited"}}\n    note: "Checked by hand."\n'
                for i in targets
            ),
            encoding="utf-8",
        )
        parse, apply = [], []
        for _ in range(args.runs):
            diagnostics = Diagnostics()
            started = time.perf_counter()
            edits = overrides.load(content, diagnostics)
            parsed = time.perf_counter()
            overrides.apply_to_events(
                timeline.events, edits, timeline.articles, timeline.registry, diagnostics
            )
            parse.append(parsed - started)
            apply.append(time.perf_counter() - parsed)
            assert not diagnostics.errors and not diagnostics.warnings
    print(f"{args.articles} articles, {len(timeline.events)} events, {len(targets)} edits")
    print(f"  read overrides.yml   {statistics.median(parse) * 1000:8.1f} ms")
    print(f"  apply to the events  {statistics.median(apply) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
