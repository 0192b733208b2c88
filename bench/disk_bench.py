"""What writing a site's many small files costs on this disk, by layout.

The site gives every page a folder of its own (``events/<id>/index.html``,
published as ``events/<id>/``). This writes the same number of files of the
same size as a folder each, then flat in one folder (``events/<id>.html``),
and removes each tree, so the cost of the folders can be told from the cost
of the files:

    python3 bench/disk_bench.py --files 14000 --size 20000

The files go into a temporary folder beside ``--dir`` (default: the system's
temporary folder), removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path


def write(root: Path, count: int, data: bytes, folders: bool) -> float:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=14_000)
    parser.add_argument("--size", type=int, default=20_000, help="bytes a file")
    parser.add_argument("--dir", type=Path, default=None, help="where to write")
    args = parser.parse_args()
    data = b"x" * args.size
    print(f"{args.files:,} files of {args.size:,} bytes\n")
    print("| layout | write s | files/s | remove s |")
    print("|---|---:|---:|---:|")
    for name, folders in (("a folder a page", True), ("flat", False)):
        with tempfile.TemporaryDirectory(dir=args.dir) as folder:
            root = Path(folder)
            written = write(root, args.files, data, folders)
            removed = remove(root)
        print(f"| {name} | {written:.2f} | {args.files / written:,.0f} | {removed:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
