"""Build benchmark: our generator against Hugo on the same synthetic archive.

    python3 bench/build_bench.py --articles 1000 10000

For each size it writes a deterministic corpus (bench/corpus.py), then times,
each as a separate process the way an editor runs it:

- a cold build (no output, no cache),
- a rebuild with nothing changed,
- a rebuild after editing one article,
- a rebuild after editing overrides.yml (when the generator has overrides) or
  else officials.yml (which every article's analysis depends on),

and reports wall time, CPU time (and how much of it the kernel spent, mostly
making files and folders), peak memory (the largest single process, and the
sum over the build's process tree sampled every 20 ms), files written and pages
per second. The disk's own pace is taken before and after each size's builds
(writing 2,000 files of 15 kB, a folder each, as the site does): on a shared
machine it can change tenfold within the hour, and the figures with it.

The same articles are built by Hugo (Debian package ``hugo``) as plain
Markdown pages with a term page per source, and our time is given as a ratio
to Hugo's, which holds on a busy machine better than seconds do.

Nothing is deleted while builds are timed: an output or scratch folder in
the way is moved into ``.trash/`` in the work folder, emptied at the very
end. On ext4 without a journal (this machine's disk) the kernel passes over
every inode freed in the last half minute or more each time it makes a
file, one by one, so a build that follows the deletion of a large tree
spends seconds more in the kernel, whichever generator it is. The targets
of issue 8 are checked at the end; the exit status is 0 either way (this is a
measurement, not a test), unless ``--check`` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import edit_article, write_corpus  # noqa: E402
from disk_bench import write  # noqa: E402

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Run:
    articles: int
    what: str
    seconds: float
    cpu_seconds: float  # user + system, the build and its workers: steadier on a busy machine
    kernel_seconds: float  # the system part of cpu_seconds
    max_rss_mb: float  # the largest single process (ru_maxrss)
    tree_mb: float  # the build's processes together, sampled
    files: int

    @property
    def pages_per_second(self) -> float:
        return self.files / self.seconds if self.seconds else 0.0


# --- measuring one process tree ----------------------------------------------


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants, now."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as statm:
                total += int(statm.read().split()[1]) * PAGE_SIZE
            with open(f"/proc/{current}/task/{current}/children") as children:
                stack += [int(c) for c in children.read().split()]
        except (OSError, ValueError):
            continue
    return total


class Timed(NamedTuple):
    seconds: float
    cpu: float
    kernel: float
    rss_mb: float  # the largest process
    tree_mb: float  # all of them


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Timed:
    """Wall and CPU seconds (and the kernel's), peak RSS of the largest
    process and of the tree (MB)."""
    peak = [0]
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after the child ends
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    errors.seek(0)
    error = errors.read().decode("utf-8", "replace")
    errors.close()
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{error}")
    # ru_maxrss covers the process and its reaped children, in kilobytes on Linux.
    cpu = usage.ru_utime + usage.ru_stime  # includes the workers it waited for
    return Timed(seconds, cpu, usage.ru_stime, usage.ru_maxrss / 1024, peak[0] / 2**20)


class Trash:
    """Where the benchmark puts what it would delete, until its very end
    (see the module's docstring)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def set_aside(self, path: Path) -> None:
        if path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            path.rename(Path(tempfile.mkdtemp(dir=self.folder)) / path.name)

    def scratch(self) -> Path:
        """A new folder to write into, inside the trash."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(dir=self.folder))

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def disk_pace(trash: Trash, files: int = 2000) -> float:
    """Milliseconds to write a 15 kB file in a folder of its own, here, now."""
    seconds = write(trash.scratch(), files, b"x" * 15_000, folders=True)
    return seconds / files * 1000


def write_alone(count: int, site: Path, trash: Trash) -> Run:
    """The same files as ``site``, each written as the build writes a page
    (``output._write_file``: open, make the folder if missing, write) into a
    new folder, with nothing else done: what writing this site's files costs
    on this disk, which no build of it can go under. Each file is read
    before its write starts; only the writes are timed."""
    sys.path.insert(0, str(ROOT))
    from generator.output import _write_file

    target, seconds, files = trash.scratch(), 0.0, 0
    for folder, _, names in os.walk(site):
        relative = os.path.relpath(folder, site)
        for name in names:
            data = Path(folder, name).read_bytes()
            start = time.perf_counter()
            _write_file(os.path.join(target, relative, name), data)
            seconds += time.perf_counter() - start
            files += 1
    return Run(count, "writing its files alone", seconds, 0.0, 0.0, 0.0, 0.0, files)


def count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


# --- our generator -----------------------------------------------------------


def ours(content: Path, site: Path, cache: Path, jobs: int | None) -> list[str]:
    command = [sys.executable, "-m", "generator", "build", "--quiet"]
    command += ["--content", str(content), "--output", str(site), "--cache", str(cache)]
    return command + (["--jobs", str(jobs)] if jobs else [])


def environment() -> dict[str, str]:
    """The builds' environment: this checkout's generator, which may keep
    its compiled bytecode (``__pycache__``) as an installed one does (pip
    compiles it on install), even where the machine turns that off."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def edit_registry(content: Path, round_: int) -> None:
    """Give one official one more alias: every article's analysis depends on it."""
    path = content / "officials.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        'aliases: ["سيرجي لافروف"', f'aliases: ["لافروف{round_}", "سيرجي لافروف"', 1
    )
    path.write_text(text, encoding="utf-8")


def has_overrides() -> bool:
    return (ROOT / "generator" / "overrides.py").is_file()


def edit_overrides(content: Path, site: Path, round_: int) -> None:
    """Retitle one event in overrides.yml, as an editor would."""
    events = json.loads((site / "events.json").read_text(encoding="utf-8"))["events"]
    target = events[len(events) // 2]["id"]
    title = f'{{ar: "عنوان معدل {round_}", en: "Edited title {round_}"}}'
    (content / "overrides.yml").write_text(
        f"events:\n  {target}:\n    title: {title}\n", encoding="utf-8"
    )


# --- Hugo ----------------------------------------------------------------------

HUGO_CONFIG = """baseURL = "https://example.org/"
languageCode = "ar"
title = "bench"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
[taxonomies]
  source = "sources"
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        '<title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>\n'
    ),
    "_default/single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1>'
        '<time>{{ .Date.Format "2006-01-02" }}</time>'
        "{{ range .Params.sources }}<p>{{ . }}</p>{{ end }}{{ .Content }}</article>{{ end }}\n"
    ),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n'
    ),
}


def write_hugo_site(corpus_articles: list[Path], site: Path, trash: Trash) -> None:
    """The same articles as a minimal Hugo site: a page each, a term page per source."""
    trash.set_aside(site)
    (site / "content" / "posts").mkdir(parents=True)
    (site / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    for path in corpus_articles:
        text = path.read_text(encoding="utf-8")
        source = re.search(r'^source: "(.*)"$', text, re.M)
        assert source is not None
        text = text.replace("lang: ar\n", f'sources: ["{source.group(1)}"]\n', 1)
        text = re.sub(
            r"^url: ", "source_url: ", text, count=1, flags=re.M
        )  # Hugo's url is a permalink
        (site / "content" / "posts" / path.name).write_text(text, encoding="utf-8")


def hugo(site: Path) -> list[str]:
    return ["hugo", "--quiet", "--source", str(site), "--destination", str(site / "public")]


# --- the benchmark -------------------------------------------------------------


def bench_size(
    count: int,
    work: Path,
    args: argparse.Namespace,
    every: list[Run],
    pace: dict[int, list[float]],
    trash: Trash,
) -> list[Run]:
    """Every run of one size; ``pace`` gets the disk's pace before and after them."""
    folder = work / str(count)
    content, site, cache = folder / "content", folder / "site", folder / ".cache"
    print(f"\n{count} articles: writing the corpus …", file=sys.stderr)
    for leftover in (content, site, cache):
        trash.set_aside(leftover)
    corpus = write_corpus(content, count, seed=args.seed, registry_from=ROOT / "content")
    runs: list[Run] = []
    env = environment()
    command = ours(content, site, cache, args.jobs)

    def measure(what: str) -> None:
        note(run_of(count, what, timed(command, folder, env), count_files(site)))

    def note(run: Run) -> None:
        print(
            f"  {run.what:<22} {run.seconds:8.2f} s  {run.cpu_seconds:8.2f} s CPU"
            f" ({run.kernel_seconds:.2f} s kernel)  {run.tree_mb:7.0f} MB",
            file=sys.stderr,
        )
        runs.append(run)
        if args.json:
            args.json.write_text(json.dumps([asdict(r) for r in every + runs], indent=2) + "\n")

    pace[count] = [disk_pace(trash)]
    print(f"  disk: {pace[count][0]:.2f} ms a file and its folder", file=sys.stderr)
    measure("cold")
    note(write_alone(count, site, trash))
    measure("no change")
    for round_ in range(args.edits):
        edit_article(corpus.articles[(round_ * 7919) % count], round_)
        measure("one article edited")
    for round_ in range(args.edits):
        if has_overrides():
            edit_overrides(content, site, round_)
            measure("one override edited")
        else:
            edit_registry(content, round_)
            measure("officials.yml edited")
    if not args.no_hugo:
        hugo_site = folder / "hugo"
        write_hugo_site(list(corpus.articles), hugo_site, trash)
        for _ in range(args.hugo_runs):
            trash.set_aside(hugo_site / "public")
            trash.set_aside(hugo_site / "resources")
            done = timed(hugo(hugo_site), folder)
            note(run_of(count, "hugo cold", done, count_files(hugo_site / "public")))
    pace[count].append(disk_pace(trash))
    print(f"  disk: {pace[count][1]:.2f} ms a file and its folder", file=sys.stderr)
    return runs


def run_of(count: int, what: str, done: Timed, files: int) -> Run:
    return Run(count, what, done.seconds, done.cpu, done.kernel, done.rss_mb, done.tree_mb, files)


def summarise(runs: list[Run]) -> dict[tuple[int, str], Run]:
    """One line per (size, kind of build): the median run of its repetitions."""
    grouped: dict[tuple[int, str], list[Run]] = {}
    for run in runs:
        grouped.setdefault((run.articles, run.what), []).append(run)
    table = {}
    for key, group in grouped.items():
        median = statistics.median_low(r.seconds for r in group)
        table[key] = next(r for r in group if r.seconds == median)
    return table


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, {platform.system()}"
    )


def report(
    table: dict[tuple[int, str], Run], sizes: list[int], pace: dict[int, list[float]]
) -> list[tuple[str, bool | None]]:
    """Print the figures as a Markdown table and return the targets checked."""
    print(f"\nMachine: {machine()}")
    print(f"Command: python3 bench/build_bench.py --articles {' '.join(map(str, sizes))}\n")
    print(
        "| articles | build | seconds | × Hugo cold | CPU seconds | of it, kernel "
        "| peak MB (largest process) | peak MB (all processes) | files | files/s |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (count, what), run in sorted(table.items(), key=lambda kv: (kv[0][0], _order(kv[0][1]))):
        hugo = table.get((count, "hugo cold"))
        ratio = f"{run.seconds / hugo.seconds:.1f}" if hugo and what != "hugo cold" else ""
        print(
            f"| {count:,} | {what} | {run.seconds:.2f} | {ratio} | {run.cpu_seconds:.2f} "
            f"| {run.kernel_seconds:.2f} | {run.max_rss_mb:.0f} "
            f"| {run.tree_mb:.0f} | {run.files:,} | {run.pages_per_second:,.0f} |"
        )
    print()
    for count in sizes:
        if len(pace.get(count, ())) == 2:
            before, after = pace[count]
            print(
                f"Disk, {count:,} articles: {before:.2f} ms a 15 kB file in a folder of its own"
                f" before the first build, {after:.2f} ms after the last."
            )
    return targets(table, sizes)


def _order(what: str) -> int:
    kinds = [
        "cold",
        "writing its files alone",
        "no change",
        "one article edited",
        "one override edited",
        "officials.yml edited",
    ]
    return kinds.index(what) if what in kinds else len(kinds)


def targets(table: dict[tuple[int, str], Run], sizes: list[int]) -> list[tuple[str, bool | None]]:
    def get(count: int, what: str) -> Run | None:
        return table.get((count, what))

    checks: list[tuple[str, bool | None]] = []
    small, large = (
        (1000 if 1000 in sizes else min(sizes)),
        (10000 if 10000 in sizes else max(sizes)),
    )
    cold, hugo = get(small, "cold"), get(small, "hugo cold")
    if cold and hugo:
        checks.append(
            (
                f"cold {small:,} ≤ 4 × Hugo ({cold.seconds / hugo.seconds:.1f} ×)",
                cold.seconds <= 4 * hugo.seconds,
            )
        )
    alone = get(small, "writing its files alone")
    if alone and hugo:
        checks.append(
            (
                f"of it, writing the {alone.files:,} files of the site alone: "
                f"{alone.seconds:.2f} s ({alone.seconds / hugo.seconds:.1f} × Hugo)",
                None,
            )
        )
    warm = get(small, "no change")
    if warm and hugo:
        checks.append(
            (
                f"no-change rebuild of {small:,} ≤ Hugo cold "
                f"({warm.seconds:.2f} s vs {hugo.seconds:.2f} s)",
                warm.seconds <= hugo.seconds,
            )
        )
    big = get(large, "cold")
    if big and large != small:
        checks.append((f"cold {large:,} ≤ 60 s ({big.seconds:.1f} s)", big.seconds <= 60))
        checks.append(
            (
                f"peak memory at {large:,} ≤ 1.5 GB ({big.tree_mb:.0f} MB, all processes)",
                big.tree_mb <= 1536,
            )
        )
        if cold:
            growth = big.seconds / cold.seconds
            factor = large / small
            checks.append(
                (
                    f"{factor:.0f}× articles ≤ {factor * 1.1:.0f}× time ({growth:.1f}×)",
                    growth <= factor * 1.1,
                )
            )
    for what in ("one article edited", "one override edited", "officials.yml edited"):
        run = get(large, what)
        if run:
            bound = what != "officials.yml edited"
            checks.append(
                (
                    f"{what} at {large:,} ≤ 1 s ({run.seconds:.2f} s)",
                    run.seconds <= 1 if bound else None,
                )
            )
    print("\nTargets (issue 8):")
    for text, ok in checks:
        mark = "PASS" if ok else "FAIL" if ok is not None else "info"
        print(f"  [{mark}] {text}")
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000], metavar="N")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument(
        "--jobs", type=int, default=None, help="passed to build --jobs (default: all cores)"
    )
    parser.add_argument(
        "--edits", type=int, default=3, help="edit rebuilds of each kind; the median is shown"
    )
    parser.add_argument(
        "--hugo-runs", type=int, default=3, help="Hugo cold builds; the median is shown"
    )
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where corpora and sites go (default: a temporary folder, removed)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write every run to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if not args.no_hugo and shutil.which("hugo") is None:
        parser.error("hugo not found: apt-get install -y hugo (or pass --no-hugo)")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="build-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    trash = Trash(work / ".trash")
    try:
        runs: list[Run] = []
        pace: dict[int, list[float]] = {}
        for count in args.articles:
            runs += bench_size(count, work, args, runs, pace, trash)
    finally:
        trash.empty()
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(
            json.dumps([asdict(r) for r in runs], indent=2) + "\n", encoding="utf-8"
        )
    checks = report(summarise(runs), args.articles, pace)
    return 1 if args.check and any(ok is False for _, ok in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
