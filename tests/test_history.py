"""The ids earlier builds saw (generator/history.py): kept, read back with a
fingerprint of the record read, and written only when a build saw more."""

from __future__ import annotations

import os
from pathlib import Path

from generator import history
from generator.history import History


def test_a_history_reads_back_as_written_with_its_fingerprint(tmp_path: Path) -> None:
    seen = History(frozenset({"b-event", "a-event"}), frozenset({"x"}), frozenset({"lavrov"}))
    history.write(tmp_path, seen)
    again = history.read(tmp_path)
    assert again == seen and again.source == tmp_path
    assert again.fingerprint == seen.fingerprint == history.fingerprint_of(tmp_path)
    assert again.record == (tmp_path / history.FILE_NAME).read_bytes() == seen.record
    assert history.read(tmp_path / "missing") == History()
    assert history.fingerprint_of(tmp_path / "missing") == History().fingerprint


def test_a_history_holding_every_id_already_is_not_written_again(
    tmp_path: Path, monkeypatch
) -> None:
    history.write(tmp_path, History(frozenset({"e1", "e2"}), frozenset({"a"})))
    seen = history.read(tmp_path)
    same = seen.plus(["e2"], ["a"], [])
    assert same is seen
    written: list[str] = []
    replace = os.replace
    monkeypatch.setattr(os, "replace", lambda *paths: written.append(paths) or replace(*paths))
    history.write(tmp_path, same)
    assert written == []
    more = seen.plus(["e3"], [], ["hussein"])
    assert more != seen and more.source is None
    assert more.fingerprint != seen.fingerprint
    history.write(tmp_path, more)
    assert len(written) == 1
    assert history.read(tmp_path) == more
    assert (
        history.read(tmp_path).fingerprint == more.fingerprint == history.fingerprint_of(tmp_path)
    )


def test_an_unreadable_record_is_no_memory(tmp_path: Path) -> None:
    (tmp_path / history.FILE_NAME).write_bytes(b"\xff not json")
    assert history.read(tmp_path) == History()
    assert history.fingerprint_of(tmp_path) != History().fingerprint  # read, then built
    (tmp_path / history.FILE_NAME).write_text("[1, 2]", encoding="utf-8")
    assert history.read(tmp_path) == History()
