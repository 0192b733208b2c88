"""Write the site atomically: build beside the output, then swap it in.

A failed build never touches the previous site. The swap replaces the output
folder whole, so the folder must be one a build may own: not the content
folder or anything inside or above it, not the repository root, not ``/``,
not the home folder, and not a non-empty folder that holds no previous
build. Nothing outside the output folder is ever deleted: only the staging
folder and the previous site (moved aside) are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from generator.errors import SourceError

#: A folder holding this file is taken to be a previous build that may be replaced.
SITE_MARKER = "index.html"


def check_output(output: Path, content: Path) -> None:
    """Refuse an output folder whose replacement would destroy something else."""
    target = output.resolve()
    content = content.resolve()
    cwd = Path.cwd().resolve()
    forbidden = {
        Path("/").resolve(): "the file-system root",
        Path.home().resolve(): "the home folder",
        content: "the content folder",
        cwd: "the current folder",
    }
    shown = str(output)
    if target in forbidden:
        raise SourceError(shown, 0, f"refusing to write the site over {forbidden[target]}")
    if target in content.parents:
        raise SourceError(
            shown, 0, "refusing to write the site over a folder that holds the content"
        )
    if content in target.parents:
        raise SourceError(shown, 0, "refusing to write the site inside the content folder")
    if target in cwd.parents:
        raise SourceError(
            shown, 0, "refusing to write the site over a folder that holds the current folder"
        )
    if (target / ".git").exists() or (target / "pyproject.toml").exists():
        raise SourceError(
            shown, 0, "refusing to write the site over a repository or project folder"
        )
    if target.exists() and not target.is_dir():
        raise SourceError(shown, 0, "refusing to replace a file that is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / SITE_MARKER).is_file():
        raise SourceError(
            shown,
            0,
            f"refusing to replace a non-empty folder that holds no previous build ({SITE_MARKER})",
        )


def write_site(pages: dict[str, bytes], output: Path) -> None:
    """Write every page into a fresh folder beside ``output`` and swap it in.

    A symbolic link as ``output`` is followed: the site replaces the folder it
    points to, and the link stays.
    """
    output = output.resolve()
    for path in pages:
        _check_relative(path, output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        for path in sorted(pages):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(pages[path])
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, output: Path) -> None:
    """Move the old site aside, the new one in, then delete the old one."""
    if not output.exists():
        os.replace(staging, output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    os.rmdir(old)
    os.replace(output, old)
    try:
        os.replace(staging, output)
    except BaseException:
        os.replace(old, output)
        raise
    shutil.rmtree(old)


def _check_relative(path: str, output: Path) -> None:
    """A page path must name a file strictly inside the output folder."""
    pure = PurePosixPath(path)
    bad = (
        not path
        or pure.is_absolute()
        or not pure.parts
        or any(part in ("..", ".") for part in pure.parts)
        or "\\" in path
        or "\x00" in path
        or path.endswith("/")
    )
    if bad:
        raise SourceError(
            str(output / path), 0, f"refusing to write outside the output folder: {path!r}"
        )


# --- rebuilding: write only what changed ---------------------------------------
#
# A rebuild after a small edit changes a handful of files among tens of
# thousands; writing them all again (and deleting the old copies) is most of
# its time on a real disk. :func:`update_site` keeps the guarantee of
# :func:`write_site` — nothing in the output changes until every new file is
# safely written — but stages only the files whose bytes differ, then moves
# each into place with one rename. A manifest kept in the build cache (never in
# the output) records the digest, size and modification time of every file
# written, so a file changed behind the build's back (a ``git checkout`` of the
# site) no longer matches and is written again.

#: Above this share of changed files, writing a whole new folder is as cheap.
FULL_SWAP_SHARE = 0.5


def update_site(
    pages: dict[str, bytes],
    output: Path,
    manifest: Path | None,
    known: dict[str, str] | None = None,
) -> int:
    """Make ``output`` hold exactly ``pages``, writing only what changed.

    Without a manifest (no cache, first build, a different output) or when
    most files changed, falls back to :func:`write_site`. ``known`` may give
    :func:`digests` already taken. Returns the number of files written or removed.
    """
    output = output.resolve()
    for path in pages:
        _check_relative(path, output)
    digests = {
        path: known[path] if known and path in known else _digest(data)
        for path, data in pages.items()
    }
    previous = _read_manifest(manifest, output)
    plan = _plan(pages, digests, previous, output) if previous is not None else None
    if plan is None:
        write_site(pages, output)
        _write_manifest(manifest, output, _observe(output, digests))
        return len(pages)
    changed, removed = plan
    if changed or removed:
        _commit(pages, changed, removed, output)
    if manifest is not None and (changed or removed or not manifest.exists()):
        recorded = {p: previous[p] for p in digests if p not in changed}  # type: ignore[index]
        recorded.update(_observe(output, {p: digests[p] for p in changed}))
        _write_manifest(manifest, output, recorded)
    return len(changed) + len(removed)


Entry = tuple[str, int, int]  # digest, size, st_mtime_ns


def digests(pages: dict[str, bytes]) -> dict[str, str]:
    """A digest of each file's bytes, as the manifest records them."""
    return {path: _digest(data) for path, data in pages.items()}


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _plan(
    pages: dict[str, bytes], digests: dict[str, str], previous: dict[str, Entry], output: Path
) -> tuple[list[str], list[str]] | None:
    """Files to write and to remove, or None when a whole new folder is better.

    Every file in the output is listed, so one that no build wrote (a stray)
    is removed as the whole-folder swap would remove it.
    """
    if not (output / SITE_MARKER).is_file():
        return None
    present = _files_under(output)
    if present is None:
        return None
    changed = []
    for path in sorted(pages):
        entry = previous.get(path)
        if (
            entry is None
            or path not in present
            or entry[0] != digests[path]
            or not _unchanged_on_disk(output / path, entry)
        ):
            changed.append(path)
    removed = sorted(present - pages.keys())
    if len(changed) > FULL_SWAP_SHARE * len(pages):
        return None
    for path in changed:  # a file where a folder must go, or the reverse: start afresh
        target = output / path
        if target.is_dir() or any(parent.is_file() for parent in _parents(target, output)):
            return None
    return changed, removed


def _files_under(output: Path) -> set[str] | None:
    """Every file under ``output``, relative; None if something is not a plain file or folder."""
    found: set[str] = set()
    for folder, folders, names in os.walk(output):
        relative = os.path.relpath(folder, output)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        for name in names:
            if os.path.islink(os.path.join(folder, name)):
                return None
            found.add(prefix + name)
        if any(os.path.islink(os.path.join(folder, name)) for name in folders):
            return None
    return found


def _parents(target: Path, output: Path) -> list[Path]:
    parents = []
    for parent in target.parents:
        if parent == output:
            break
        parents.append(parent)
    return parents


def _unchanged_on_disk(target: Path, entry: Entry) -> bool:
    try:
        status = target.stat()
    except OSError:
        return False
    return status.st_size == entry[1] and status.st_mtime_ns == entry[2]


def _commit(pages: dict[str, bytes], changed: list[str], removed: list[str], output: Path) -> None:
    """Write the changed files beside the output, then move each into place.

    Replaced and removed files are first moved aside into the staging folder,
    so a failure part-way through the moves puts every one of them back.
    """
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    aside = staging / ".previous"
    done: list[tuple[Path, Path]] = []  # (moved from, moved to), to undo in reverse
    try:
        for path in changed:
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(pages[path])
        # Every new file is written; from here on only moves within one file system.
        try:
            for path in [*removed, *changed]:
                if (output / path).exists():
                    (aside / path).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(output / path, aside / path)
                    done.append((output / path, aside / path))
            for path in changed:
                (output / path).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / path, output / path)
                done.append((staging / path, output / path))
        except BaseException:
            for source, moved in reversed(done):
                os.replace(moved, source)
            raise
        for path in removed:
            _prune_empty(output / path, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _prune_empty(removed: Path, output: Path) -> None:
    for parent in _parents(removed, output):
        try:
            parent.rmdir()
        except OSError:
            return


def _observe(output: Path, digests: dict[str, str]) -> dict[str, Entry]:
    observed = {}
    for path, digest in digests.items():
        status = (output / path).stat()
        observed[path] = (digest, status.st_size, status.st_mtime_ns)
    return observed


def _read_manifest(manifest: Path | None, output: Path) -> dict[str, Entry] | None:
    if manifest is None:
        return None
    try:
        recorded_output, entries = pickle.loads(manifest.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
        return None
    return entries if recorded_output == str(output) else None


def _write_manifest(manifest: Path | None, output: Path, entries: dict[str, Entry]) -> None:
    if manifest is None:
        return
    try:
        manifest.parent.mkdir(parents=True, exist_ok=True)
        partial = manifest.with_name(manifest.name + ".partial")
        partial.write_bytes(pickle.dumps((str(output), entries), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, manifest)
    except OSError:
        with contextlib.suppress(OSError):  # no manifest: the next build writes everything
            manifest.unlink(missing_ok=True)
