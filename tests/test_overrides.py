"""overrides.yml: every operation, and every validation error with its line.

The edits are applied to events built here from the fixture articles' own
sentences (tests/fixtures/overrides/content), so these tests do not depend on
what the extractor makes of them; tests/test_overrides_cli.py runs the real
pipeline.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from generator import content, officials, overrides, yamlio
from generator.errors import Diagnostics, SourceError
from generator.history import History
from generator.models import Article, Citation, Event, EventDate, Reference

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "overrides" / "content"
PATH = "content/overrides.yml"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    diagnostics = Diagnostics()
    loaded = content.load_articles(FIXTURE, diagnostics)
    assert not diagnostics.errors
    return loaded


@pytest.fixture(scope="module")
def registry() -> officials.Registry:
    diagnostics = Diagnostics()
    loaded = officials.load_registry(FIXTURE, diagnostics)
    assert not diagnostics.errors
    return loaded


def cite(articles: list[Article], fragment: str) -> Citation:
    """The fixture sentence (one a line) that contains ``fragment``."""
    for article in articles:
        for line in article.body.split("\n"):
            if fragment in line:
                start = article.body.index(line)
                return Citation(article.id, line, start, start + len(line))
    raise AssertionError(f"no fixture sentence contains {fragment!r}")


@pytest.fixture
def timeline(articles: list[Article]) -> list[Event]:
    """Three events, one of them (talks) wrongly holding the Inad sentence too."""
    talks = cite(articles, "التقى وزير الخارجية الروسي")
    inad = cite(articles, "جمعة عناد سيزور")
    followup = cite(articles, "وبحث فؤاد حسين")
    mou = cite(articles, "مذكرة تفاهم")
    return [
        Event(
            id="talks",
            date=EventDate(dt.date(2021, 3, 17), "day", False, "الأربعاء", "«الأربعاء» in …"),
            status="planned",
            type="meeting",
            title_ar="لقاء",
            title_en="meet",
            officials=("fuad-hussein", "juma-inad", "sergey-lavrov"),
            location="Moscow",
            sources=(talks, inad),
        ),
        Event(
            id="followup",
            date=EventDate(dt.date(2021, 3, 12), "day", True, None, "publication date"),
            status="occurred",
            type="meeting",
            title_ar="بحث",
            title_en="talks",
            officials=("fuad-hussein", "sergey-lavrov"),
            location=None,
            sources=(followup,),
        ),
        Event(
            id="mou",
            date=EventDate(dt.date(2021, 3, 10), "day", False, "امس", "«امس» in …"),
            status="occurred",
            type="agreement",
            title_ar="مذكرة",
            title_en="memorandum",
            officials=("fuad-hussein",),
            location=None,
            sources=(mou,),
        ),
    ]


def parse(text: str, diagnostics: Diagnostics | None = None) -> overrides.Overrides:
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    return overrides.parse(yamlio.load(textwrap.dedent(text), PATH), PATH, diagnostics)


def apply(text, timeline, articles, registry) -> tuple[dict[str, Event], Diagnostics]:
    diagnostics = Diagnostics()
    edits = parse(text, diagnostics)
    assert not diagnostics.errors, diagnostics.errors
    kept = overrides.apply_to_articles(articles, edits, diagnostics)
    result = overrides.apply_to_events(timeline, edits, kept, registry, diagnostics)
    return {e.id: e for e in result}, diagnostics


def messages(problems: list[SourceError]) -> list[str]:
    return [str(p) for p in problems]


# --- per-event edits ---------------------------------------------------------------------


def test_set_date_precision_and_approximate(timeline, articles, registry) -> None:
    events, diagnostics = apply(
        """\
        events:
          talks:
            date: 2021-03-10
          followup:
            date: "2021-03"
          mou:
            precision: week
            approximate: true
        """,
        timeline,
        articles,
        registry,
    )
    assert not diagnostics.errors and not diagnostics.warnings
    talks, followup, mou = events["talks"], events["followup"], events["mou"]
    assert (talks.date.value, talks.date.precision, talks.date.approximate) == (
        dt.date(2021, 3, 10),
        "day",
        False,
    )
    assert talks.date.origin == overrides.EDITOR_DATE and talks.date.text is None
    assert (followup.date.iso, followup.date.precision) == ("2021-03", "month")
    assert (mou.date.iso, mou.date.precision, mou.date.approximate) == ("2021-03-08", "week", True)
    assert mou.date.text == "امس"  # only the precision changed: the wording that gave it stays
    assert talks.edited == ("date",)
    assert mou.edited == ("precision", "approximate")


def test_a_year_alone_is_a_year(timeline, articles, registry) -> None:
    events, _ = apply("events:\n  mou:\n    date: 2021\n", timeline, articles, registry)
    assert (events["mou"].date.iso, events["mou"].date.precision) == ("2021", "year")


def test_set_status_type_titles_location(timeline, articles, registry) -> None:
    events, diagnostics = apply(
        """\
        events:
          talks:
            status: occurred
            type: press_conference
            title: {ar: "لافروف وحسين في مؤتمر صحافي", en: "Lavrov and Hussein meet the press"}
            location: Moscow, Russia
          followup:
            title:
              en: "Hussein and Lavrov discuss relations"
            location: null
        """,
        timeline,
        articles,
        registry,
    )
    talks, followup = events["talks"], events["followup"]
    assert (talks.status, talks.type, talks.location) == (
        "occurred",
        "press_conference",
        "Moscow, Russia",
    )
    assert (talks.title_ar, talks.title_en) == (
        "لافروف وحسين في مؤتمر صحافي",
        "Lavrov and Hussein meet the press",
    )
    assert talks.edited == ("status", "type", "title.ar", "title.en", "location")
    assert followup.title_ar == "بحث"  # the Arabic title is left as extracted
    assert followup.title_en == "Hussein and Lavrov discuss relations"
    assert followup.edited == ("title.en", "location")  # set, even to what it was


def test_location_null_clears_it(timeline, articles, registry) -> None:
    events, _ = apply("events:\n  talks:\n    location: null\n", timeline, articles, registry)
    assert events["talks"].location is None
    assert events["talks"].edited == ("location",)


def test_officials_set_add_remove(timeline, articles, registry) -> None:
    events, diagnostics = apply(
        """\
        events:
          talks:
            officials: {remove: [juma-inad]}
          followup:
            officials: [fuad-hussein]
          mou:
            officials:
              add: [sergey-lavrov]
        """,
        timeline,
        articles,
        registry,
    )
    assert not diagnostics.warnings
    assert events["talks"].officials == ("fuad-hussein", "sergey-lavrov")
    assert events["followup"].officials == ("fuad-hussein",)
    assert events["mou"].officials == ("fuad-hussein", "sergey-lavrov")
    assert all(events[i].edited == ("officials",) for i in ("talks", "followup", "mou"))


def test_note_is_kept_as_markdown(timeline, articles, registry) -> None:
    events, _ = apply(
        'events:\n  followup:\n    note: "The day is **not** in the article."\n',
        timeline,
        articles,
        registry,
    )
    assert events["followup"].notes == "The day is **not** in the article."
    assert events["followup"].edited == ("note",)


def test_hide_removes_the_event(timeline, articles, registry) -> None:
    events, diagnostics = apply("events:\n  mou:\n    hide: true\n", timeline, articles, registry)
    assert "mou" not in events and set(events) == {"talks", "followup"}
    assert not diagnostics.warnings


def test_hide_false_keeps_the_event(timeline, articles, registry) -> None:
    events, _ = apply("events:\n  mou:\n    hide: false\n", timeline, articles, registry)
    assert "mou" in events


# --- merge, split, add -------------------------------------------------------------------


def test_merge_combines_sources_into_the_first(timeline, articles, registry) -> None:
    events, diagnostics = apply(
        """\
        merge:
          - into: followup
            events: [talks]
        """,
        timeline,
        articles,
        registry,
    )
    assert not diagnostics.errors
    assert "talks" not in events
    merged = events["followup"]
    talks = next(e for e in timeline if e.id == "talks")
    assert merged.sources == timeline[1].sources + talks.sources
    assert merged.officials == ("fuad-hussein", "juma-inad", "sergey-lavrov")
    assert merged.date == timeline[1].date  # the surviving event keeps its own date
    assert merged.edited == ("officials", "sources")


def test_edits_to_a_merged_away_event_are_errors(timeline, articles, registry) -> None:
    diagnostics = Diagnostics()
    edits = parse(
        """\
        merge:
          - into: followup
            events: [talks]
        events:
          talks:
            type: visit
        """,
        diagnostics,
    )
    overrides.apply_to_events(timeline, edits, articles, registry, diagnostics)
    assert messages(diagnostics.errors) == [
        f"{PATH}:5: event 'talks' was merged into followup (line 2); this edit applies to nothing"
    ]


def test_split_moves_sentences_to_a_new_event(timeline, articles, registry) -> None:
    events, diagnostics = apply(
        """\
        split:
          - event: talks
            id: inad-visit-announced
            sentences:
              - "جمعة عناد سيزور موسكو"    # a unique part of the sentence is enough
            type: statement
            title: {ar: "لافروف يعلن زيارة عناد", en: "Lavrov announces Inad's visit"}
        """,
        timeline,
        articles,
        registry,
    )
    assert not diagnostics.errors and not diagnostics.warnings
    talks, new = events["talks"], events["inad-visit-announced"]
    assert [s.sentence for s in talks.sources] == [cite(articles, "التقى").sentence]
    assert [s.sentence for s in new.sources] == [cite(articles, "جمعة عناد سيزور").sentence]

    # Officials follow the sentences: Inad leaves the talks, and is in the new event.
    def named(event: Event) -> tuple[str, ...]:
        found = registry.find(event.sources[0].sentence, on=event.date.value)
        return tuple(sorted({m.official for m in found}))

    assert talks.officials == named(talks) == ("fuad-hussein", "sergey-lavrov")
    assert new.officials == named(new) and "juma-inad" in new.officials
    assert (new.type, new.title_en, new.date) == (
        "statement",
        "Lavrov announces Inad's visit",
        talks.date,
    )
    assert talks.edited == ("officials", "sources") or talks.edited == ("sources",)
    assert "sources" in new.edited and "type" in new.edited


def test_split_tolerates_different_white_space(timeline, articles, registry) -> None:
    events, diagnostics = apply(
        """\
        split:
          - event: talks
            id: inad
            sentences: ["جمعة   عناد\\nسيزور"]
            title: {ar: "عناد"}
        """,
        timeline,
        articles,
        registry,
    )
    assert "inad" in events and not diagnostics.warnings


def test_add_an_event_with_an_article_sentence_and_free_text(timeline, articles, registry) -> None:
    events, diagnostics = apply(
        """\
        add:
          - id: 2021-03-09-visit-announced
            date: 2021-03-09
            type: announcement
            title: {ar: "إعلان الزيارة", en: "The visit is announced"}
            officials: [fuad-hussein, sergey-lavrov]
            location: Moscow
            sources:
              - article: moscow-talks
                sentence: "وقال لافروف إن وزير الدفاع العراقي جمعة عناد سيزور موسكو قريبا."
              - text: "Ministry briefing, 9 March 2021"
                url: "https://example.org/briefing"
            note: "Added by hand."
        """,
        timeline,
        articles,
        registry,
    )
    assert not diagnostics.errors
    added = events["2021-03-09-visit-announced"]
    body = next(a.body for a in articles if a.id == "moscow-talks")
    (citation,) = added.sources
    assert body[citation.start : citation.end] == citation.sentence
    assert citation.article == "moscow-talks"
    assert added.references == (
        Reference("Ministry briefing, 9 March 2021", "https://example.org/briefing"),
    )
    assert (added.date.iso, added.type, added.status, added.location) == (
        "2021-03-09",
        "announcement",
        "occurred",
        "Moscow",
    )
    assert added.officials == ("fuad-hussein", "sergey-lavrov")
    assert added.notes == "Added by hand."
    assert "sources" in added.edited and "date" in added.edited


def test_add_with_free_text_only(timeline, articles, registry) -> None:
    events, _ = apply(
        """\
        add:
          - id: briefing
            date: 2021-03-01
            type: statement
            title: {ar: "إحاطة"}
            sources: [{text: "A briefing"}]
        """,
        timeline,
        articles,
        registry,
    )
    assert events["briefing"].sources == () and events["briefing"].title_en == "إحاطة"


# --- articles and officials --------------------------------------------------------------


def test_ignore_an_article(articles) -> None:
    diagnostics = Diagnostics()
    edits = parse("articles:\n  baghdad-followup:\n    ignore: true\n", diagnostics)
    kept = overrides.apply_to_articles(articles, edits, diagnostics)
    assert [a.id for a in kept] == ["moscow-talks"]


def test_fix_a_publication_date(articles) -> None:
    diagnostics = Diagnostics()
    edits = parse("articles:\n  moscow-talks:\n    published: 2021-03-04\n", diagnostics)
    kept = overrides.apply_to_articles(articles, edits, diagnostics)
    assert {a.id: a.published for a in kept}["moscow-talks"] == dt.date(2021, 3, 4)
    assert not diagnostics.warnings


def test_official_names_roles_photo_bio_links(registry) -> None:
    diagnostics = Diagnostics()
    edits = parse(
        """\
        officials:
          juma-inad:
            name: {en: "Jumaa Inad Saadoun"}
            aliases: ["جمعة عناد سعدون"]
            roles:
              - title: {ar: "وزير الدفاع العراقي", en: "Minister of Defence"}
                from: 2020-05-06
                to: 2022-10-27
              - title: {ar: "رئيس أركان", en: "Chief of Staff"}
                from: 2019-01-01
                to: 2020-05-05
            photo: "https://example.org/inad.jpg"
            bio: "Iraqi **general**."
            links:
              - {title: "Wikipedia", url: "https://en.wikipedia.org/wiki/Juma_Inad"}
        """,
        diagnostics,
    )
    edited = overrides.apply_to_registry(registry, edits, diagnostics)
    assert not diagnostics.errors
    inad = edited["juma-inad"]
    assert (inad.name_ar, inad.name_en) == ("جمعة عناد", "Jumaa Inad Saadoun")
    assert inad.aliases == ("جمعة عناد سعدون",)
    assert [r.title_en for r in inad.roles] == ["Minister of Defence", "Chief of Staff"]
    assert inad.extra["photo"] == "https://example.org/inad.jpg"
    assert inad.extra["bio"] == "Iraqi **general**."
    assert inad.extra["links"] == (
        {"title": "Wikipedia", "url": "https://en.wikipedia.org/wiki/Juma_Inad"},
    )
    # The new alias is a way the extractor now finds him.
    assert [m.official for m in edited.find("قال جمعة عناد سعدون", dt.date(2021, 3, 1))] == [
        "juma-inad"
    ]
    assert registry["juma-inad"].name_en == "Juma Inad"  # the input registry is untouched


# --- validation: types, with the line ----------------------------------------------------

TYPE_ERRORS = {
    "date-tomorrow": (
        "events:\n  talks:\n    date: tomorrow\n",
        "3: date: expected YYYY-MM-DD, YYYY-MM or YYYY, got 'tomorrow'",
    ),
    "date-no-such-month": ("events:\n  talks:\n    date: 2021-13\n", "3: date: expected"),
    "precision": (
        "events:\n  talks:\n    precision: hour\n",
        "3: precision: expected one of day, week",
    ),
    "status": (
        "events:\n  talks:\n    status: maybe\n",
        "3: status: expected one of occurred, planned",
    ),
    "type": ("events:\n  talks:\n    type: picnic\n", "3: type: expected one of meeting"),
    "approximate-text": (
        "events:\n  talks:\n    approximate: yes please\n",
        "3: approximate: expected true or false",
    ),
    "hide-text": ("events:\n  talks:\n    hide: please\n", "3: hide: expected true or false"),
    "title-text": (
        "events:\n  talks:\n    title: just text\n",
        "3: title: expected {ar: …, en: …}",
    ),
    "title-fr": (
        "events:\n  talks:\n    title: {fr: Bonjour}\n",
        "3: title: expected {ar: …, en: …}",
    ),
    "title-empty": ('events:\n  talks:\n    title: {en: ""}\n', "3: title.en: expected text"),
    "location-number": (
        "events:\n  talks:\n    location: 12\n",
        "3: location: expected a place name or null",
    ),
    "officials-text": (
        "events:\n  talks:\n    officials: lavrov\n",
        "3: officials: expected a list of official ids",
    ),
    "officials-bad-add": (
        "events:\n  talks:\n    officials: {add: lavrov}\n",
        "3: officials.add: expected a list",
    ),
    "note-number": ("events:\n  talks:\n    note: 5\n", "3: note: expected text"),
    "edit-not-mapping": ("events:\n  talks: hide\n", "2: talks: expected a mapping of edits"),
    "events-list": ("events:\n  - talks\n", "1: events: expected a mapping of ids to edits"),
    "unknown-key": (
        "events:\n  talks:\n    titel: {en: x}\n",
        "3: titel: unknown event edit; did you mean title?",
    ),
    "unknown-section": (
        "event:\n  talks:\n    hide: true\n",
        "1: event: unknown section; did you mean events?",
    ),
    "not-a-mapping": ("- talks\n", "1: expected a mapping with sections"),
    "published-text": (
        "articles:\n  a:\n    published: 26/11\n",
        "3: published: expected a date YYYY-MM-DD",
    ),
    "ignore-text": (
        "articles:\n  a:\n    ignore: yes please\n",
        "3: ignore: expected true or false",
    ),
    "photo-javascript": (
        'officials:\n  x:\n    photo: "javascript:alert(1)"\n',
        "3: photo: expected an http(s) URL",
    ),
    "link-not-http": (
        "officials:\n  x:\n    links:\n      - {title: a, url: 'ftp://x'}\n",
        "4: links.url: expected an http(s) URL",
    ),
    "link-shape": (
        "officials:\n  x:\n    links: [https://x.org]\n",
        "3: links: each link is {title: …, url: https://…}",
    ),
    "name-shape": ("officials:\n  x:\n    name: Someone\n", "3: name: expected {ar: …, en: …}"),
    "aliases-shape": (
        "officials:\n  x:\n    aliases: Someone\n",
        "3: aliases: expected a list of names",
    ),
    "roles-bad-term": (
        "officials:\n  x:\n    roles:\n      - title: {ar: وزير}\n"
        "        from: 2021-01-02\n        to: 2020-01-01\n",
        "6: to: 2020-01-01 is before from: 2021-01-02",
    ),
    "merge-no-events": ("merge:\n  - into: talks\n", "2: events: expected a list of the event ids"),
    "merge-not-list": ("merge:\n  into: talks\n", "1: merge: expected a list of entries"),
    "split-no-title": (
        "split:\n  - event: talks\n    id: new\n    sentences: [x]\n",
        "2: title: required for the new event",
    ),
    "split-bad-id": (
        "split:\n  - event: talks\n    id: New Event\n    sentences: [x]\n    title: {ar: x}\n",
        "3: id: expected a new event id",
    ),
    "split-no-sentences": (
        "split:\n  - event: talks\n    id: new\n    title: {ar: x}\n",
        "2: sentences: expected a list of the source sentences",
    ),
    "add-missing-date": (
        "add:\n  - id: new\n    type: visit\n    title: {ar: x}\n    sources: [{text: x}]\n",
        "2: date: required for an added event",
    ),
    "add-no-sources": (
        "add:\n  - id: new\n    date: 2021-01-01\n    type: visit\n    title: {ar: x}\n",
        "2: sources: required",
    ),
    "add-source-shape": (
        "add:\n  - id: new\n    date: 2021-01-01\n    type: visit\n    title: {ar: x}\n"
        "    sources:\n      - {article: a}\n",
        "7: sources: an article source needs article: <id> and sentence",
    ),
    "link-empty-title": (
        "officials:\n  x:\n    links:\n      - {title: '', url: 'https://x.org'}\n",
        "4: links.title: expected text",
    ),
    "bio-number": ("officials:\n  x:\n    bio: 5\n", "3: bio: expected text"),
    "unknown-official-key": ("officials:\n  x:\n    portrait: a.jpg\n", "3: portrait: unknown"),
    "unknown-article-key": ("articles:\n  a:\n    date: 2020-01-01\n", "3: date: unknown article"),
    "officials-bad-remove": (
        "events:\n  talks:\n    officials: {remove: 3}\n",
        "3: officials.remove: expected a list",
    ),
    "officials-unknown-how": (
        "events:\n  talks:\n    officials: {replace: [a]}\n",
        "3: officials: expected a list of official ids, or {add",
    ),
    "merge-into-missing": ("merge:\n  - events: [a]\n", "2: into: expected an event id"),
    "merge-unknown-key": (
        "merge:\n  - into: a\n    events: [b]\n    reason: dup\n",
        "4: reason: unknown merge key",
    ),
    "split-unknown-key": (
        "split:\n  - event: a\n    id: b\n    sentences: [x]\n    title: {ar: x}\n    hide: true\n",
        "6: hide: unknown split key",
    ),
    "add-source-not-mapping": (
        "add:\n  - id: new\n    date: 2021-01-01\n    type: visit\n    title: {ar: x}\n"
        "    sources: [just text]\n",
        "6: sources: each source must be a mapping",
    ),
    "add-source-unknown-key": (
        "add:\n  - id: new\n    date: 2021-01-01\n    type: visit\n    title: {ar: x}\n"
        "    sources:\n      - {text: x, page: 3}\n",
        "7: page: unknown source key",
    ),
    "add-source-neither": (
        "add:\n  - id: new\n    date: 2021-01-01\n    type: visit\n    title: {ar: x}\n"
        "    sources:\n      - {url: 'https://x.org'}\n",
        "7: sources: give article + sentence, or text",
    ),
    "add-source-bad-url": (
        "add:\n  - id: new\n    date: 2021-01-01\n    type: visit\n    title: {ar: x}\n"
        "    sources:\n      - {text: x, url: 'javascript:alert(1)'}\n",
        "7: url: expected an http(s) URL",
    ),
    "add-missing-type": (
        "add:\n  - id: new\n    date: 2021-01-01\n    title: {ar: x}\n    sources: [{text: x}]\n",
        "2: type: required for an added event",
    ),
    "add-hide": (
        "add:\n  - id: new\n    date: 2021-01-01\n    type: visit\n    title: {ar: x}\n"
        "    sources: [{text: x}]\n    hide: true\n",
        "7: hide: unknown key of an added event",
    ),
    "add-english-title-only": (
        "add:\n  - id: new\n    date: 2021-01-01\n    type: visit\n    title: {en: x}\n"
        "    sources: [{text: x}]\n",
        "5: title: an added event needs at least its Arabic title",
    ),
}


@pytest.mark.parametrize("name", sorted(TYPE_ERRORS))
def test_type_errors_name_the_line(name: str) -> None:
    text, expected = TYPE_ERRORS[name]
    diagnostics = Diagnostics()
    overrides.parse(yamlio.load(text, PATH), PATH, diagnostics)
    found = messages(diagnostics.errors)
    assert any(m.startswith(f"{PATH}:{expected}") for m in found), found


def test_a_key_given_twice_is_an_error() -> None:
    with pytest.raises(SourceError) as raised:
        yamlio.load("events:\n  talks:\n    hide: true\n  talks:\n    type: visit\n", PATH)
    assert str(raised.value) == f"{PATH}:4: invalid YAML: duplicate key 'talks'"


def test_precision_finer_than_the_date_is_an_error(timeline, articles, registry) -> None:
    diagnostics = Diagnostics()
    edits = parse('events:\n  talks:\n    date: "2021-03"\n    precision: day\n', diagnostics)
    overrides.apply_to_events(timeline, edits, articles, registry, diagnostics)
    assert messages(diagnostics.errors) == [
        f"{PATH}:4: precision: day needs a full date; date gives only the month"
    ]


# --- validation: ids, with suggestions ---------------------------------------------------


def run_ids(text, timeline, articles, registry) -> Diagnostics:
    diagnostics = Diagnostics()
    edits = parse(text, diagnostics)
    kept = overrides.apply_to_articles(articles, edits, diagnostics)
    edited_registry = overrides.apply_to_registry(registry, edits, diagnostics)
    overrides.apply_to_events(timeline, edits, kept, edited_registry, diagnostics)
    return diagnostics


def test_unknown_event_id_suggests_the_closest(timeline, articles, registry) -> None:
    diagnostics = run_ids("events:\n  folowup:\n    hide: true\n", timeline, articles, registry)
    assert messages(diagnostics.errors) == [
        f"{PATH}:2: unknown event id 'folowup'; did you mean followup?"
    ]


def test_unknown_event_id_without_a_close_one_says_how_to_list(
    timeline, articles, registry
) -> None:
    diagnostics = run_ids("events:\n  zzzz:\n    hide: true\n", timeline, articles, registry)
    assert messages(diagnostics.errors) == [
        f"{PATH}:2: unknown event id 'zzzz'; list the ids with `timeline events`"
    ]


def test_unknown_official_id_suggests(timeline, articles, registry) -> None:
    diagnostics = run_ids(
        "officials:\n  sergei-lavrov:\n    bio: x\n", timeline, articles, registry
    )
    assert messages(diagnostics.errors) == [
        f"{PATH}:2: unknown official id 'sergei-lavrov'; did you mean sergey-lavrov?"
    ]


def test_unknown_official_in_an_event_suggests(timeline, articles, registry) -> None:
    diagnostics = run_ids(
        "events:\n  talks:\n    officials: {add: [fuad-husein]}\n", timeline, articles, registry
    )
    assert messages(diagnostics.errors) == [
        f"{PATH}:3: unknown official id 'fuad-husein'; did you mean fuad-hussein?"
    ]


def test_unknown_article_id_suggests(timeline, articles, registry) -> None:
    diagnostics = run_ids(
        "articles:\n  moscow-talk:\n    ignore: true\n", timeline, articles, registry
    )
    assert messages(diagnostics.errors) == [
        f"{PATH}:2: unknown article id 'moscow-talk'; did you mean moscow-talks?"
    ]


def test_unknown_ids_in_merge_split_and_add(timeline, articles, registry) -> None:
    diagnostics = run_ids(
        """\
        merge:
          - into: talk
            events: [mou]
        split:
          - event: folowup
            id: other
            sentences: [x]
            title: {ar: x}
        add:
          - id: new
            date: 2021-03-01
            type: visit
            title: {ar: x}
            sources:
              - article: baghdad-folowup
                sentence: "x"
        """,
        timeline,
        articles,
        registry,
    )
    assert messages(diagnostics.errors) == [
        f"{PATH}:2: unknown event id 'talk'; did you mean talks?",
        f"{PATH}:5: unknown event id 'folowup'; did you mean followup?",
        f"{PATH}:15: unknown article id 'baghdad-folowup'; did you mean baghdad-followup?",
    ]


def test_new_ids_must_be_new(timeline, articles, registry) -> None:
    diagnostics = run_ids(
        "add:\n  - id: mou\n    date: 2021-03-01\n    type: visit\n    title: {ar: x}\n"
        "    sources: [{text: x}]\n",
        timeline,
        articles,
        registry,
    )
    assert messages(diagnostics.errors) == [f"{PATH}:2: id: 'mou' is already the id of an event"]


def test_added_sentence_must_be_verbatim(timeline, articles, registry) -> None:
    diagnostics = run_ids(
        "add:\n  - id: new\n    date: 2021-03-01\n    type: visit\n    title: {ar: x}\n"
        "    sources:\n      - article: moscow-talks\n        sentence: لافروف يزور بغداد\n",
        timeline,
        articles,
        registry,
    )
    assert messages(diagnostics.errors) == [
        f"{PATH}:7: sentence: not in article 'moscow-talks' verbatim: 'لافروف يزور بغداد'"
    ]


def test_citing_an_ignored_article_is_an_error(timeline, articles, registry) -> None:
    diagnostics = run_ids(
        "articles:\n  moscow-talks:\n    ignore: true\n"
        "add:\n  - id: new\n    date: 2021-03-01\n    type: visit\n    title: {ar: x}\n"
        "    sources:\n      - article: moscow-talks\n        sentence: وقال لافروف\n",
        timeline,
        articles,
        registry,
    )
    assert messages(diagnostics.errors) == [f"{PATH}:10: article 'moscow-talks' is ignored above"]


def test_an_unknown_event_to_merge_in_is_an_error(timeline, articles, registry) -> None:
    diagnostics = run_ids(
        "merge:\n  - into: talks\n    events: [mou, folowup]\n", timeline, articles, registry
    )
    assert messages(diagnostics.errors) == [
        f"{PATH}:3: unknown event id 'folowup'; did you mean followup?"
    ]


def test_merge_into_itself_is_an_error(timeline, articles, registry) -> None:
    diagnostics = run_ids(
        "merge:\n  - into: mou\n    events: [mou]\n", timeline, articles, registry
    )
    assert messages(diagnostics.errors) == [f"{PATH}:3: merge: 'mou' cannot be merged into itself"]


def test_an_ambiguous_split_sentence_is_an_error(timeline, articles, registry) -> None:
    diagnostics = run_ids(
        "split:\n  - event: talks\n    id: new\n    sentences: [لافروف]\n    title: {ar: x}\n",
        timeline,
        articles,
        registry,
    )
    assert messages(diagnostics.errors) == [
        f"{PATH}:4: split: 'لافروف' is in 2 source sentences of 'talks'; "
        "quote more of the one to move"
    ]


def test_a_split_that_would_empty_the_event_is_an_error(timeline, articles, registry) -> None:
    diagnostics = run_ids(
        "split:\n  - event: mou\n    id: new\n    sentences: [مذكرة تفاهم]\n    title: {ar: x}\n",
        timeline,
        articles,
        registry,
    )
    assert messages(diagnostics.errors) == [
        f"{PATH}:2: split: every source of 'mou' would move; edit the event instead"
    ]


# --- stale edits: warnings, never dropped in silence -------------------------------------


def test_adding_an_official_already_there_warns(timeline, articles, registry) -> None:
    diagnostics = run_ids(
        "events:\n  mou:\n    officials: {add: [fuad-hussein]}\n", timeline, articles, registry
    )
    assert not diagnostics.errors
    assert messages(diagnostics.warnings) == [
        f"{PATH}:3: officials: fuad-hussein is already an official of 'mou'; "
        "this edit changes nothing (remove it)"
    ]


def test_removing_an_official_no_longer_there_warns(timeline, articles, registry) -> None:
    diagnostics = run_ids(
        "events:\n  mou:\n    officials: {remove: [juma-inad]}\n", timeline, articles, registry
    )
    assert messages(diagnostics.warnings) == [
        f"{PATH}:3: officials: juma-inad is no longer an official of 'mou'; "
        "this edit changes nothing (remove it)"
    ]


def test_a_split_sentence_that_left_the_event_warns(timeline, articles, registry) -> None:
    diagnostics = run_ids(
        """\
        split:
          - event: followup
            id: new
            sentences: ["جمعة عناد سيزور"]
            title: {ar: x}
        events:
          new:
            type: visit
        """,
        timeline,
        articles,
        registry,
    )
    assert not diagnostics.errors
    assert messages(diagnostics.warnings) == [
        f"{PATH}:4: split: no source sentence of 'followup' has 'جمعة عناد سيزور' any more",
        f"{PATH}:7: event 'new' was not split off (line 2): no sentence moved; "
        "this edit applies to nothing",
    ]


def test_a_publication_date_the_article_now_gives_warns(articles) -> None:
    diagnostics = Diagnostics()
    edits = parse("articles:\n  moscow-talks:\n    published: 2021-03-11\n", diagnostics)
    overrides.apply_to_articles(articles, edits, diagnostics)
    assert messages(diagnostics.warnings) == [
        f"{PATH}:2: moscow-talks: published: the article already says 2021-03-11; "
        "this edit changes nothing (remove it)"
    ]


def test_no_file_means_no_edits(tmp_path) -> None:
    diagnostics = Diagnostics()
    assert overrides.load(tmp_path, diagnostics) == overrides.Overrides(
        str(tmp_path / "overrides.yml")
    )
    assert not diagnostics.errors


def test_an_empty_file_means_no_edits(tmp_path) -> None:
    (tmp_path / "overrides.yml").write_text("# nothing yet\n", encoding="utf-8")
    diagnostics = Diagnostics()
    edits = overrides.load(tmp_path, diagnostics)
    assert not diagnostics.errors and not edits.events and not edits.additions


def test_the_commented_examples_of_the_shipped_file_are_valid() -> None:
    """The examples an editor copies from content/overrides.yml must parse."""
    shipped = Path(__file__).resolve().parent.parent / "content" / "overrides.yml"
    lines = shipped.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("# More operations"))
    examples = "\n".join(
        line[2:] for line in lines[start + 1 :] if line.startswith("# ") or line == "#"
    )
    diagnostics = Diagnostics()
    edits = overrides.parse(yamlio.load(examples, PATH), PATH, diagnostics)
    assert not diagnostics.errors, messages(diagnostics.errors)
    assert edits.articles and edits.events and edits.merges and edits.splits


def test_an_id_an_earlier_build_saw_is_a_warning_not_an_error(timeline, articles, registry) -> None:
    """The content changed under the edit: it no longer applies, and says so."""
    seen = History(events=frozenset({"talks-2"}), articles=frozenset({"gone-article"}))
    diagnostics = Diagnostics()
    edits = parse(
        "articles:\n  gone-article:\n    ignore: true\nevents:\n  talks-2:\n    hide: true\n",
        diagnostics,
    )
    kept = overrides.apply_to_articles(articles, edits, diagnostics, seen)
    result = overrides.apply_to_events(timeline, edits, kept, registry, diagnostics, seen)
    assert not diagnostics.errors
    assert {e.id for e in result} == {e.id for e in timeline}
    assert messages(diagnostics.warnings) == [
        f"{PATH}:2: article 'gone-article' is gone (an earlier build had it; the content "
        "changed); this edit applies to nothing",
        f"{PATH}:5: event 'talks-2' is gone (an earlier build had it; the content changed); "
        "this edit applies to nothing; closest now: talks",
    ]
