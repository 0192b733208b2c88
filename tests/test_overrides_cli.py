"""overrides.yml through the real pipeline: build, check, events, and rebuilds.

Event ids come from the extractor, so the tests look them up by a sentence of
the fixture articles (tests/fixtures/overrides) instead of writing them down.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from generator.build import assemble
from generator.cli import main, parser
from generator.config import load_config
from generator.errors import Diagnostics
from generator.models import Event

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "overrides"
ROOT = HERE.parent


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the fixture content folder."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE / "content", target)
    return target


def extracted(folder: Path) -> list[Event]:
    """The events, with overrides.yml applied, as ``build`` would publish them."""
    return assemble(load_config(folder, folder.parent / "site"), Diagnostics()).events


def event_id(folder: Path, fragment: str) -> str:
    """The id of the one event citing the sentence that contains ``fragment``."""
    found = [e.id for e in extracted(folder) if any(fragment in s.sentence for s in e.sources)]
    assert len(found) == 1, (fragment, found)
    return found[0]


def write(folder: Path, text: str) -> None:
    (folder / "overrides.yml").write_text(text, encoding="utf-8")


def build(folder: Path, out: Path, *flags: str) -> int:
    return main(["build", "--content", str(folder), "--output", str(out), "--quiet", *flags])


def records(out: Path) -> dict[str, dict]:
    data = json.loads((out / "events.json").read_text(encoding="utf-8"))
    return {r["id"]: r for r in data["events"]}


def every_kind_of_edit(folder: Path) -> str:
    talks = event_id(folder, "التقى وزير الخارجية الروسي")
    inad = event_id(folder, "جمعة عناد سيزور")
    followup = event_id(folder, "وبحث فؤاد حسين")
    statement = event_id(folder, "أهمية التعاون")
    return f"""\
# Every kind of edit, on the fixture content.
events:
  {talks}:
    date: 2021-03-10
    status: occurred
    title: {{en: "Lavrov and Hussein meet in Moscow"}}
    note: "The articles say **Wednesday**."
  {inad}:
    officials: [juma-inad]
    approximate: true
  {statement}:
    hide: true
merge:
  - into: {talks}
    events: [{followup}]
add:
  - id: 2021-03-09-visit-announced
    date: 2021-03-09
    type: announcement
    title: {{ar: "إعلان الزيارة", en: "The visit is announced"}}
    officials: [fuad-hussein]
    sources:
      - text: "Ministry briefing"
      - article: moscow-talks
        sentence: "وقال لافروف إن وزير الدفاع العراقي جمعة عناد سيزور موسكو قريبا."
officials:
  juma-inad:
    bio: "Iraqi minister of defence."
split:  # applies after the merge: takes the follow-up's sentence back out
  - event: {talks}
    id: 2021-03-12-followup-talks
    sentences: ["وبحث فؤاد حسين"]
    title: {{ar: "متابعة المباحثات", en: "Follow-up talks"}}
    date: 2021-03-12
"""


def test_every_override_survives_an_unrelated_article(folder: Path, tmp_path: Path) -> None:
    write(folder, every_kind_of_edit(folder))
    assert build(folder, tmp_path / "before", "--strict") == 0
    before = records(tmp_path / "before")

    shutil.copy(FIXTURE / "unrelated.md", folder / "articles" / "unrelated.md")
    assert build(folder, tmp_path / "after", "--strict") == 0  # --strict: no stale edit either
    after = records(tmp_path / "after")

    new = set(after) - set(before)
    assert new and all({s["article"] for s in after[i]["sources"]} == {"unrelated"} for i in new), (
        "only the unrelated article's events are new"
    )
    assert {i: after[i] for i in before} == before, "every event, edited or not, is unchanged"
    edited = [i for i, r in before.items() if r["date_origin"].startswith("set by an editor")]
    assert len(edited) == 3  # the talks', the split-off event's and the added event's
    assert "2021-03-12-followup-talks" in after
    assert "2021-03-09-visit-announced" in after


def test_the_edits_reach_the_site(folder: Path, tmp_path: Path) -> None:
    talks = event_id(folder, "التقى وزير الخارجية الروسي")
    inad = event_id(folder, "جمعة عناد سيزور")
    statement = event_id(folder, "أهمية التعاون")
    followup = event_id(folder, "وبحث فؤاد حسين")
    write(folder, every_kind_of_edit(folder))
    out = tmp_path / "out"
    assert build(folder, out) == 0
    events = records(out)
    assert statement not in events and followup not in events
    merged = events[talks]
    assert (merged["date"], merged["status"], merged["title"]["en"]) == (
        "2021-03-10",
        "occurred",
        "Lavrov and Hussein meet in Moscow",
    )
    assert len(merged["sources"]) == 1  # merged with the follow-up, then split again
    split_off = events["2021-03-12-followup-talks"]
    assert [s["sentence"][:14] for s in split_off["sources"]] == ["وبحث فؤاد حسين"]
    assert split_off["date"] == "2021-03-12"
    assert "sergey-lavrov" not in events[inad]["officials"] and events[inad]["approximate"]
    added = events["2021-03-09-visit-announced"]
    assert added["references"] == [{"text": "Ministry briefing", "url": None}]
    assert [s["article"] for s in added["sources"]] == ["moscow-talks"]
    page = (out / "events" / talks / "index.html").read_text(encoding="utf-8")
    assert "<strong>Wednesday</strong>" in page
    assert "<code>date</code>" in page and "<code>note</code>" in page  # the edited fields
    assert "حدّد المحرر هذا التاريخ يدويًا" in page
    added_page = (out / "events" / "2021-03-09-visit-announced" / "index.html").read_text("utf-8")
    assert "Ministry briefing" in added_page
    official = (out / "officials" / "juma-inad" / "index.html").read_text(encoding="utf-8")
    assert "Iraqi minister of defence." in official


def test_a_fixed_publication_date_moves_relative_dates(folder: Path, tmp_path: Path) -> None:
    fragment = "مذكرة تفاهم"  # "… امس …": the day before publication
    before = next(e for e in extracted(folder) if any(fragment in s.sentence for s in e.sources))
    assert before.date.iso == "2021-03-10"
    write(folder, "articles:\n  moscow-talks:\n    published: 2021-03-05\n")
    after = next(e for e in extracted(folder) if any(fragment in s.sentence for s in e.sources))
    assert after.date.iso == "2021-03-04"


def test_a_fixed_publication_date_reaches_a_cached_build(folder: Path, tmp_path: Path) -> None:
    cache = ["--cache", str(tmp_path / "cache")]
    assert build(folder, tmp_path / "first", *cache) == 0  # the cache now holds every article
    write(folder, "articles:\n  moscow-talks:\n    published: 2021-03-05\n")
    assert build(folder, tmp_path / "second", *cache) == 0
    (record,) = [
        r
        for r in records(tmp_path / "second").values()
        if any("مذكرة تفاهم" in s["sentence"] for s in r["sources"])
    ]
    assert record["date"] == "2021-03-04"


def test_an_ignored_article_leaves_the_site(folder: Path, tmp_path: Path) -> None:
    write(folder, "articles:\n  baghdad-followup:\n    ignore: true\n")
    assert build(folder, tmp_path / "out") == 0
    assert not (tmp_path / "out" / "sources" / "baghdad-followup").exists()
    assert all(
        s["article"] == "moscow-talks"
        for r in records(tmp_path / "out").values()
        for s in r["sources"]
    )


def test_a_note_cannot_inject_script(folder: Path, tmp_path: Path) -> None:
    talks = event_id(folder, "التقى وزير الخارجية الروسي")
    write(
        folder,
        f"events:\n  {talks}:\n    note: |\n"
        "      <script>alert(1)</script> [click](javascript:alert(2))\n"
        "      <img src=x onerror=alert(3)> [ok](https://example.org/)\n",
    )
    assert build(folder, tmp_path / "out") == 0
    page = (tmp_path / "out" / "events" / talks / "index.html").read_text(encoding="utf-8")
    note = page[page.index('<section class="note">') : page.index("</section>")]
    assert "<script>" not in note and "&lt;script&gt;" in note
    assert "javascript:" not in note.lower() and "<img" not in note
    assert '<a href="https://example.org/">ok</a>' in note


# --- problems: errors stop, warnings warn -------------------------------------------------


def test_a_wrong_type_stops_the_build_with_its_line(folder: Path, tmp_path: Path, capsys) -> None:
    talks = event_id(folder, "التقى وزير الخارجية الروسي")
    write(folder, f"# comment\nevents:\n  {talks}:\n    date: tomorrow\n")
    assert build(folder, tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert "overrides.yml:4: date: expected YYYY-MM-DD, YYYY-MM or YYYY, got 'tomorrow'" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_a_typo_in_an_id_stops_the_build_with_suggestions(
    folder: Path, tmp_path: Path, capsys
) -> None:
    talks = event_id(folder, "التقى وزير الخارجية الروسي")
    typo = talks.replace("lavrov", "lavrof")
    write(folder, f"events:\n  {typo}:\n    hide: true\n")
    assert build(folder, tmp_path / "out") == 1
    assert (
        f"overrides.yml:2: unknown event id '{typo}'; did you mean {talks}"
        in capsys.readouterr().err
    )


def test_a_stale_edit_warns_and_fails_under_strict(folder: Path, tmp_path: Path, capsys) -> None:
    mou = event_id(folder, "مذكرة تفاهم")
    write(folder, f"events:\n  {mou}:\n    officials: {{add: [fuad-hussein]}}\n")
    assert build(folder, tmp_path / "out") == 0
    err = capsys.readouterr().err
    assert f"overrides.yml:3: officials: fuad-hussein is already an official of '{mou}'" in err
    assert "(warning)" in err
    assert build(folder, tmp_path / "strict", "--strict") == 1
    assert not (tmp_path / "strict").exists()


# --- check ---------------------------------------------------------------------------------


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_check_passes_on_the_shipped_content_and_writes_nothing(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "content", copy / "content")
    monkeypatch.chdir(copy)
    before = _tree(copy)
    assert main(["check", "--strict"]) == 0
    assert _tree(copy) == before
    assert "ok: 2 articles" in capsys.readouterr().err


def test_check_fails_on_a_bad_override_and_writes_nothing(folder: Path, capsys) -> None:
    write(folder, "events:\n  x:\n    type: picnic\n")
    before = _tree(folder.parent)
    assert main(["check", "--content", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "overrides.yml:3: type: expected one of meeting" in err and "check failed" in err
    assert _tree(folder.parent) == before


def test_check_strict_fails_on_warnings(folder: Path, capsys) -> None:
    write(folder, "articles:\n  moscow-talks:\n    published: 2021-03-11\n")
    assert main(["check", "--content", str(folder)]) == 0
    assert main(["check", "--content", str(folder), "--strict"]) == 1
    assert "this edit changes nothing" in capsys.readouterr().err


# --- events --------------------------------------------------------------------------------


def listed(capsys, *args: str) -> list[list[str]]:
    assert main(["events", *args]) == 0
    return [line.split("\t") for line in capsys.readouterr().out.splitlines()]


def test_events_lists_ids_dates_officials_titles(folder: Path, capsys) -> None:
    rows = listed(capsys, "--content", str(folder))
    assert [r[0] for r in rows] == [e.id for e in extracted(folder)]
    for row, event in zip(rows, extracted(folder), strict=True):
        assert row[1].startswith(event.date.iso)
        assert row[3] == ",".join(event.officials)
        assert (row[4], row[5]) == (event.title_en, event.title_ar)


def test_events_filter_by_official(folder: Path, capsys) -> None:
    with_inad = {e.id for e in extracted(folder) if "juma-inad" in e.officials}
    assert with_inad
    for who in ("juma-inad", "عناد", "inad"):
        assert {
            r[0] for r in listed(capsys, "--content", str(folder), "--official", who)
        } == with_inad


def _covers(date, day: dt.date) -> bool:
    """Whether the period of an event date (a day, week, month or year) holds ``day``."""
    first = date.value
    if date.precision == "year":
        return first.year == day.year
    if date.precision == "month":
        return (first.year, first.month) == (day.year, day.month)
    if date.precision == "week":
        return first <= day <= first + dt.timedelta(days=6)
    return first == day


def test_events_filter_by_date(folder: Path, capsys) -> None:
    events = extracted(folder)
    day = next(e.date.iso for e in events if e.date.precision == "day")
    when = dt.date.fromisoformat(day)
    on_day = {e.id for e in events if _covers(e.date, when)}  # a month event covers its days
    assert {r[0] for r in listed(capsys, "--content", str(folder), "--date", day)} == on_day
    assert len(listed(capsys, "--content", str(folder), "--date", "2021-03")) == len(events)
    assert listed(capsys, "--content", str(folder), "--date", "2019-01-01..2019-12-31") == []
    everything = listed(capsys, "--content", str(folder), "--date", f"{day}..")
    later = {e.id for e in events if e.date.value >= when or _covers(e.date, when)}
    assert {r[0] for r in everything} == later


def test_events_shows_edits(folder: Path, capsys) -> None:
    mou = event_id(folder, "مذكرة تفاهم")
    write(folder, f"events:\n  {mou}:\n    title: {{en: Memorandum}}\n")
    row = next(r for r in listed(capsys, "--content", str(folder)) if r[0] == mou)
    assert row[4] == "Memorandum" and row[6] == "edited: title.en"


def test_events_rejects_unknown_official_and_bad_dates(folder: Path, capsys) -> None:
    assert main(["events", "--content", str(folder), "--official", "sergey-lavrof"]) == 2
    assert "did you mean sergey-lavrov" in capsys.readouterr().err
    assert main(["events", "--content", str(folder), "--date", "tomorrow"]) == 2
    assert "--date: 'tomorrow': expected YYYY-MM-DD" in capsys.readouterr().err


def test_every_command_has_help() -> None:
    commands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"build", "check", "events"} <= set(commands)
    for name, command in commands.items():
        assert command.description and command.description.strip(), name


# --- content changes under an edit ---------------------------------------------------------


def test_an_edit_whose_event_went_away_warns_and_fails_under_strict(
    folder: Path, tmp_path: Path, capsys
) -> None:
    followup = event_id(folder, "وبحث فؤاد حسين")
    write(
        folder,
        f"articles:\n  baghdad-followup:\n    ignore: false\n"
        f"events:\n  {followup}:\n    note: Talks by telephone.\n",
    )
    assert build(folder, tmp_path / "first") == 0  # the build remembers the ids it saw
    (folder / "articles" / "baghdad-followup.md").unlink()  # the content changes
    capsys.readouterr()
    assert build(folder, tmp_path / "second") == 0
    err = capsys.readouterr().err
    assert (
        "overrides.yml:2: article 'baghdad-followup' is gone (an earlier build had it; "
        "the content changed); this edit applies to nothing (warning)"
    ) in err
    assert f"overrides.yml:5: event '{followup}' is gone (an earlier build had it" in err
    assert build(folder, tmp_path / "strict", "--strict") == 1
    assert main(["check", "--content", str(folder)]) == 0  # check reads the same memory
    assert main(["check", "--content", str(folder), "--strict"]) == 1
    # A typo is still an error, memory or not.
    write(folder, f"events:\n  {followup}x:\n    note: x\n")
    assert build(folder, tmp_path / "typo") == 1
    assert f"unknown event id '{followup}x'" in capsys.readouterr().err


def test_without_memory_a_vanished_id_is_an_error(folder: Path, tmp_path: Path, capsys) -> None:
    write(folder, "articles:\n  baghdad-followup:\n    ignore: false\n")
    assert build(folder, tmp_path / "first", "--no-cache") == 0  # remembers nothing
    (folder / "articles" / "baghdad-followup.md").unlink()
    assert build(folder, tmp_path / "second", "--no-cache") == 1
    assert "unknown article id 'baghdad-followup'" in capsys.readouterr().err


def test_the_shipped_overrides_survive_an_unrelated_article(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)

    def edited() -> dict[str, Event]:
        config = load_config(content, tmp_path / "site", strict=True)
        diagnostics = Diagnostics()
        events = assemble(config, diagnostics).events
        assert not diagnostics.warnings, diagnostics.warnings
        return {e.id: e for e in events}

    before = edited()
    assert any(e.edited for e in before.values())
    shutil.copy(FIXTURE / "unrelated-seed.md", content / "articles" / "unrelated-seed.md")
    after = edited()
    assert set(after) > set(before), "the new article adds events"
    assert {i: after[i] for i in before} == before, "and changes none of the others"
