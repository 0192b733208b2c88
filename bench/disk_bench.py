"""What writing a site's many small files costs on this disk, by layout.

The site gives every page a folder of its own (``events/<id>/index.html``,
published as ``events/<id>/``). This writes the same number of files of the
same size as a folder each, then flat in one folder (``events/<id>.html``),
so the cost of the folders can be told from the cost of the files; then it
removes the first tree and writes it again at once, kernel time and all:

    python3 bench/disk_bench.py --files 14000 --size 20000

On ext4 without a journal, the kernel passes over every inode freed in the
last half minute or more (longer while their inode table is not yet
written back) each time it makes a file or folder, checking them one by
one, so writing right after a large removal costs the kernel several times
more. Nothing is removed before the first two rows, so they are told apart
from that; a layout measured right after another one's removal would not be.

The files go into a temporary folder in ``--dir`` (default: the system's
temporary folder), removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path


def write(root: Path, count: int, data: bytes, folders: bool) -> float:
    """Seconds to write ``count`` files under ``root/events``."""
    start = time.perf_counter()
    pages = root / "events"
    pages.mkdir()
    for number in range(count):
        if folders:
            folder = pages / f"page-{number}"
            os.mkdir(folder)
            target = folder / "index.html"
        else:
            target = pages / f"page-{number}.html"
        with open(target, "wb") as file:
            file.write(data)
    return time.perf_counter() - start


def remove(root: Path) -> float:
    start = time.perf_counter()
    shutil.rmtree(root / "events")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=14_000)
    parser.add_argument("--size", type=int, default=20_000, help="bytes a file")
    parser.add_argument("--dir", type=Path, default=None, help="where to write")
    args = parser.parse_args(argv)
    data = b"x" * args.size
    print(f"{args.files:,} files of {args.size:,} bytes\n")
    print("| layout | write s | of it, kernel | files/s |")
    print("|---|---:|---:|---:|")

    def row(name: str, root: Path, folders: bool) -> None:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_stime
        written = write(root, args.files, data, folders)
        kernel = resource.getrusage(resource.RUSAGE_SELF).ru_stime - before
        print(f"| {name} | {written:.2f} | {kernel:.2f} | {args.files / written:,.0f} |")

    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        first, flat, again = (Path(folder) / name for name in ("first", "flat", "again"))
        for root in (first, flat, again):
            root.mkdir()
        row("a folder a page", first, True)
        row("flat", flat, False)
        removed = remove(first)
        row("a folder a page, right after removing the first", again, True)
    print(f"\nRemoving the first took {removed:.2f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
