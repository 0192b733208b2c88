"""Command line: flags -> stage -> exit status. No logic lives here."""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from generator import __version__
from generator.build import Summary, assemble, build, check, default_cache, default_jobs
from generator.config import Config, load_config
from generator.errors import BuildFailed, Diagnostics, SourceError
from generator.progress import Progress

CONTENT_HELP = "content folder (default: ./content)"

#: Allocations between collections of the young generation, then young
#: collections between middle ones, and middle between full ones (CPython's
#: defaults are 700, 10, 10).
GC_THRESHOLDS = (50_000, 10, 10)


def cmd_build(args: argparse.Namespace) -> int:
    """Build the site from the content folder into the output folder."""
    started = time.monotonic()
    diagnostics = Diagnostics()
    progress = Progress(enabled=False if args.quiet else None)
    try:
        config = load_config(
            Path(args.content),
            Path(args.output),
            args.base_url,
            args.strict,
            args.quiet,
            cache=None if args.no_cache else Path(args.cache or default_cache(Path(args.content))),
            jobs=args.jobs or default_jobs(),
        )
        summary = build(config, diagnostics, progress)
    except BuildFailed as failure:
        progress.close()
        return _fail(failure.problems, diagnostics)
    except SourceError as problem:
        progress.close()
        return _fail([problem], diagnostics)
    progress.close()
    _report(diagnostics.warnings, "warning")
    if not args.quiet:
        print(summary_line(args.output, summary, time.monotonic() - started), file=sys.stderr)
    return 0


def summary_line(output: str, summary: Summary, seconds: float) -> str:
    """The one line every build ends with; the time goes to the terminal, never the site."""
    return (
        f"built {output}: {summary.articles} articles, {summary.events} events, "
        f"{summary.officials} officials, {summary.warnings} warnings, "
        f"{summary.pages} files in {seconds:.1f} s"
    )


def cmd_serve(args: argparse.Namespace) -> int:
    """Preview the site on 127.0.0.1, rebuilding and reloading the browser on every edit."""
    import tempfile

    from generator import serve
    from generator.templates import templates_dir

    content = Path(args.content)
    with tempfile.TemporaryDirectory(prefix="timeline-preview-") as scratch:
        folder = Path(scratch) / "site"

        def make_config(url: str) -> Config:
            cache = default_cache(content)
            return load_config(content, folder, url, quiet=True, cache=cache, jobs=default_jobs())

        return serve.run(make_config, folder, [content, templates_dir()], args.host, args.port)


def cmd_check(args: argparse.Namespace) -> int:
    """Check the content folder and overrides.yml without writing anything.

    Exit status 1 on any error (and on warnings with --strict): for editors
    before a build, and for CI.
    """
    diagnostics = Diagnostics()
    try:
        config = _editor_config(args, args.strict, args.quiet)
        summary = check(config, diagnostics)
    except BuildFailed as failure:
        return _fail(failure.problems, diagnostics, "check failed")
    except SourceError as problem:
        return _fail([problem], diagnostics, "check failed")
    _report(diagnostics.warnings, "warning")
    if not args.quiet:
        print(
            f"ok: {summary.articles} articles, {summary.events} events, "
            f"{summary.officials} officials, {summary.warnings} warnings",
            file=sys.stderr,
        )
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    """List event ids with dates, officials and titles, to find the id to override.

    One tab-separated line an event; "~" after a date marks it approximate.
    """
    from generator import listing

    diagnostics = Diagnostics()
    try:
        period = listing.parse_period(args.date) if args.date else None
    except ValueError as problem:
        print(f"--date: {problem}", file=sys.stderr)
        return 2
    try:
        timeline = assemble(_editor_config(args, False, True), diagnostics)
    except BuildFailed as failure:
        return _fail(failure.problems, diagnostics, "cannot list events")
    except SourceError as problem:
        return _fail([problem], diagnostics, "cannot list events")
    officials = None
    if args.official:
        officials = listing.officials_matching(args.official, timeline.registry)
        if not officials:
            hint = listing.suggest(args.official, timeline.registry)
            print(f"--official: no official matches {args.official!r}{hint}", file=sys.stderr)
            return 2
    for line in listing.rows(listing.select(timeline.events, officials, period)):
        print(line)
    return 0


def _editor_config(args: argparse.Namespace, strict: bool, quiet: bool) -> Config:
    """``check`` and ``events`` write nothing: no output folder, no cache."""
    return load_config(Path(args.content), Path("site"), None, strict, quiet, jobs=default_jobs())


def _fail(problems: list[SourceError], diagnostics: Diagnostics, what: str = "") -> int:
    _report([p for p in diagnostics.warnings if p not in problems], "warning")
    for problem in problems:
        print(f"{problem}", file=sys.stderr)
    if what:
        print(f"{what}: {len(problems)} problem(s)", file=sys.stderr)
    else:
        print(
            f"build failed: {len(problems)} problem(s); the previous site is untouched",
            file=sys.stderr,
        )
    return 1


def _report(problems: list[SourceError], kind: str) -> None:
    for problem in problems:
        print(f"{problem} ({kind})", file=sys.stderr)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="timeline", description="Timelines of diplomatic events from Arabic news."
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_parser = commands.add_parser(
        "build", help=cmd_build.__doc__, description=cmd_build.__doc__
    )
    _build_flags(build_parser)
    build_parser.set_defaults(run=cmd_build)
    serve_parser = commands.add_parser(
        "serve", help=cmd_serve.__doc__, description=cmd_serve.__doc__
    )
    _serve_flags(serve_parser)
    serve_parser.set_defaults(run=cmd_serve)
    check_parser = commands.add_parser(
        "check", help=_first_line(cmd_check), description=cmd_check.__doc__
    )
    check_parser.add_argument("--content", default="content", metavar="DIR", help=CONTENT_HELP)
    check_parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    check_parser.add_argument("--quiet", action="store_true", help="print problems only")
    check_parser.set_defaults(run=cmd_check)
    events_parser = commands.add_parser(
        "events", help=_first_line(cmd_events), description=cmd_events.__doc__
    )
    events_parser.add_argument("--content", default="content", metavar="DIR", help=CONTENT_HELP)
    events_parser.add_argument(
        "--official", metavar="WHO", help="only events with this official (id or part of a name)"
    )
    events_parser.add_argument(
        "--date", metavar="WHEN", help="only events on YYYY-MM-DD, in YYYY-MM or YYYY, or FROM..TO"
    )
    events_parser.set_defaults(run=cmd_events)
    return top


def _first_line(command: object) -> str:
    return (command.__doc__ or "").strip().splitlines()[0]


def _build_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--content", default="content", metavar="DIR", help="content folder (default: ./content)"
    )
    p.add_argument(
        "--output", default="site", metavar="DIR", help="output folder (default: ./site)"
    )
    p.add_argument(
        "--base-url", default=None, metavar="URL", help="URL or path the site is published at"
    )
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--quiet", action="store_true", help="print problems only")
    p.add_argument(
        "--cache",
        default=None,
        metavar="DIR",
        help="build cache folder (default: .cache beside the content folder)",
    )
    p.add_argument("--no-cache", action="store_true", help="keep no cache; analyse every article")
    p.add_argument(
        "--jobs",
        type=_positive,
        default=0,
        metavar="N",
        help="worker processes (default: one a core)",
    )


def _serve_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", default="content", metavar="DIR", help="content folder")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any free one)")


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return int(value)


def main(argv: list[str] | None = None) -> int:
    """``python -m generator COMMAND …``"""
    # A build keeps millions of small objects until it ends, and a full
    # collection walks every one of them. With CPython's default thresholds a
    # one-article rebuild at 10,000 articles spent 3.5 s in the collector, 2.8 s
    # of it in full collections that freed nothing; 1.1 s with these
    # (bench/stage_bench.py --articles 10000 --edit article [--default-gc]).
    gc.set_threshold(*GC_THRESHOLDS)
    args = parser().parse_args(argv)
    return args.run(args)


def build_main() -> int:
    """The ``build`` console script: ``build [--content DIR] [--output DIR] …``."""
    return main(["build", *sys.argv[1:]])
