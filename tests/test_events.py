"""Event extraction: types, status, officials, dates and their origin, merging, ids, titles.

Articles here are short and written for one pattern each; the registry is the
shipped one plus a few officials of other countries.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from generator import events as events_module
from generator.errors import Diagnostics
from generator.events import candidates_of, extract, same_happening, title_en
from generator.models import EVENT_TYPES, Article, Official, Role
from generator.officials import Registry, load_registry

ROOT = Path(__file__).resolve().parent.parent
THU = dt.date(2020, 11, 26)  # a Thursday


def _registry() -> Registry:
    shipped = load_registry(ROOT / "content", Diagnostics())
    extra = [
        Official(
            "mohammad-zarif",
            "محمد جواد ظريف",
            "Mohammad Javad Zarif",
            ("ظريف",),
            "IR",
            (Role("وزير الخارجية الإيراني", "", dt.date(2013, 8, 15), dt.date(2021, 8, 25)),),
        ),
        Official(
            "mohammed-al-sudani",
            "محمد شياع السوداني",
            "Mohammed Shia al-Sudani",
            ("السوداني",),
            "IQ",
            (Role("رئيس الوزراء العراقي", "", dt.date(2022, 10, 27), None),),
        ),
    ]
    return Registry([*shipped.officials.values(), *extra])


REGISTRY = _registry()


def _article(body: str, published: dt.date = THU, article_id: str = "a") -> Article:
    return Article(
        article_id, f"content/articles/{article_id}.md", "t", published, "s", None, "ar", body, 5
    )


def _events(*bodies: str, published: dt.date = THU):
    articles = [_article(b, published, f"a{i}") for i, b in enumerate(bodies)]
    return extract(articles, REGISTRY)


def _one(body: str, published: dt.date = THU):
    found = _events(body, published=published)
    assert len(found) == 1, [(e.type, e.officials, e.sources[0].sentence) for e in found]
    return found[0]


# --- types ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, event_type",
    [
        ("التقى وزير الخارجية الروسي سيرغي لافروف نظيره العراقي فؤاد حسين الأربعاء.", "meeting"),
        ("بحث فؤاد حسين مع سيرغي لافروف الأربعاء التعاون الثنائي.", "meeting"),
        ("استقبل وزير الخارجية الروسي سيرغي لافروف الأربعاء نظيره العراقي فؤاد حسين.", "host"),
        ("وصل وزير الخارجية العراقي فؤاد حسين إلى موسكو الأربعاء.", "visit"),
        ("قال سيرغي لافروف الأربعاء إن العلاقات مع العراق جيدة.", "statement"),
        ("وقع فؤاد حسين وسيرغي لافروف الأربعاء مذكرة تفاهم.", "agreement"),
        ("أعلن فؤاد حسين الأربعاء أن العراق يتفاوض مع سبع دول.", "negotiation"),
        ("عقد فؤاد حسين وسيرغي لافروف مؤتمرا صحافيا مشتركا الأربعاء.", "meeting"),
        ("وأعلن سيرغي لافروف الأربعاء عن تأييد بلاده للحكومة.", "announcement"),
    ],
)
def test_trigger_words_decide_the_type(body: str, event_type: str) -> None:
    assert event_type in EVENT_TYPES
    assert _events(body)[0].type == event_type


def test_a_statement_during_a_press_conference_is_two_events_on_one_day() -> None:
    body = (
        "ايلاف من لندن: أكدت روسيا الاربعاء انها مستعدة للتعاون.\n\n"
        "وأعرب وزير الخارجية الروسي سيرغي لافروف خلال مؤتمر صحافي في موسكو مع نظيره "
        "العراقي فؤاد حسين عن استعداد موسكو لتلبية أي طلب."
    )
    found = {e.type: e for e in _events(body)}
    conference, statement = found["press_conference"], found["statement"]
    assert conference.officials == ("fuad-hussein", "sergey-lavrov")
    assert conference.location == "Moscow"
    assert conference.title_en == "Hussein and Lavrov hold a press conference in Moscow"
    assert statement.officials == ("sergey-lavrov",) and statement.speaker == "sergey-lavrov"
    # neither sentence gives a day: both take the day the article reports (its lead)
    assert conference.date.value == statement.date.value == dt.date(2020, 11, 25)
    assert not statement.date.approximate
    assert "الاربعاء" in statement.date.origin


# --- status ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "وأشار لافروف إلى أن وزير الدفاع العراقي جمعة عناد سيصل روسيا قريبا.",
        "ومن المقرر أن يزور وزير الدفاع العراقي جمعة عناد موسكو.",
        "ومن المتوقع أن يزور وزير الدفاع العراقي جمعة عناد موسكو الشهر المقبل.",
        "وزير الدفاع العراقي جمعة عناد سوف يزور موسكو.",
        "وقال حسين: سيتم توقيع مذكرات التفاهم مع الجانب الروسي قريبا.",
    ],
)
def test_announced_and_expected_events_are_planned(body: str) -> None:
    text = "التقى وزير الخارجية العراقي فؤاد حسين نظيره الروسي سيرغي لافروف.\n\n" + body
    planned = [e for e in _events(text) if e.status == "planned"]
    assert planned, [(e.type, e.status) for e in _events(text)]


def test_a_past_perfect_is_past_even_with_a_future_word() -> None:
    body = "وكان وزير الدفاع العراقي جمعة عناد قد زار موسكو في وقت سابق، وسيعود إليها."
    assert _one(body).status == "occurred"


def test_words_said_today_about_the_future_are_a_statement_that_occurred() -> None:
    body = "قال سيرغي لافروف الأربعاء إن روسيا ستدعم العراق في المستقبل القريب."
    event = _one(body)
    assert (event.type, event.status, event.date.value) == (
        "statement",
        "occurred",
        dt.date(2020, 11, 25),
    )


# --- officials ---------------------------------------------------------------------


def test_a_plan_in_someones_words_belongs_to_who_will_act() -> None:
    body = (
        "التقى وزير الخارجية الروسي سيرغي لافروف نظيره العراقي فؤاد حسين.\n\n"
        "وأشار لافروف إلى أن وزير الدفاع العراقي جمعة عناد سيصل روسيا قريبا."
    )
    visit = next(e for e in _events(body) if e.type == "visit")
    assert visit.officials == ("juma-inad",)
    assert visit.speaker == "sergey-lavrov"
    assert visit.status == "planned" and visit.date.approximate


def test_counterpart_and_relative_titles_are_resolved_from_context() -> None:
    body = (
        "أعرب وزير الخارجية الروسي سيرغي لافروف عن ارتياحه.\n\n"
        "وقال انه ناقش مع نظيره العراقي القضية الفلسطينية.\n\n"
        "وأبدى الوزير الروسي تفاؤله إزاء فرص التعاون."
    )
    found = _events(body)
    talks = next(e for e in found if e.type == "meeting")
    assert talks.officials == ("fuad-hussein", "sergey-lavrov")
    assert all(e.speaker == "sergey-lavrov" for e in found if e.type == "statement")


def test_a_bare_ministers_title_is_the_minister_last_named() -> None:
    body = (
        "التقى وزير الخارجية العراقي فؤاد حسين ليونيد سلوتسكي في موسكو.\n\n"
        "وشدد الوزير، بحسب البيان، على أهمية الدور الروسي.\n\n"
        "وشكر وزير الخارجية الجانب الروسي لمواقفه."
    )
    statements = [e for e in _events(body) if e.type == "statement"]
    assert statements and all(e.officials == ("fuad-hussein",) for e in statements)


def test_an_official_named_as_a_topic_is_not_a_participant() -> None:
    body = (
        "قال سيرغي لافروف الأربعاء إن بلاده تدعم جهود رئيس الوزراء العراقي مصطفى الكاظمي "
        "وترفض الخطوات المتخذة من قبل الرئيس الأمريكي دونالد ترامب."
    )
    assert _one(body).officials == ("sergey-lavrov",)


def test_a_surname_without_the_full_name_names_nobody() -> None:
    assert _events("وقال حسين الأربعاء إن الزيارة ناجحة.") == []


def test_a_title_means_the_holder_on_the_events_date() -> None:
    body = "استقبل رئيس الوزراء العراقي في بغداد الأربعاء وفدا روسيا."
    assert _one(body).officials == ("mustafa-al-kadhimi",)
    later = _one(body, published=dt.date(2023, 3, 2))
    assert later.officials == ("mohammed-al-sudani",)


def test_a_deputy_is_not_the_prime_minister() -> None:
    body = "التقى فؤاد حسين نائب رئيس الوزراء الروسي يوري بوريسوف في موسكو الخميس."
    assert _one(body).officials == ("fuad-hussein", "yury-borisov")


def test_talks_with_two_partners_are_two_sittings() -> None:
    body = (
        "يشار الى ان وزير الخارجية العراقي فؤاد حسين بدأ امس زيارة الى موسكو لاجراء "
        "مباحثات مع نظيره الروسي لافروف ومع نائب رئيس الوزراء يوري بوريسوف."
    )
    talks = sorted(e.officials for e in _events(body) if e.type == "meeting")
    assert talks == [("fuad-hussein", "sergey-lavrov"), ("fuad-hussein", "yury-borisov")]


# --- dates ----------------------------------------------------------------------------


def test_a_date_in_the_clause_wins() -> None:
    event = _one("وصل وزير الخارجية العراقي فؤاد حسين إلى موسكو امس.")
    assert event.date.value == dt.date(2020, 11, 25) and not event.date.approximate
    assert event.sources[0].date_text == "امس"
    assert "امس" in event.date.origin


def test_no_date_anywhere_falls_back_to_publication_marked_approximate() -> None:
    event = _one("التقى وزير الخارجية العراقي فؤاد حسين ليونيد سلوتسكي في موسكو.")
    assert event.date.value == THU and event.date.approximate
    assert event.sources[0].date_text is None
    assert "تاريخ نشر المقال" in event.date.origin


def test_statements_inherit_the_date_of_the_sitting_they_follow() -> None:
    body = (
        "التقى وزير الخارجية العراقي فؤاد حسين نظيره الروسي سيرغي لافروف الأربعاء.\n\n"
        "وقال لافروف إن العلاقات جيدة."
    )
    statement = next(e for e in _events(body) if e.type == "statement")
    assert statement.date.value == dt.date(2020, 11, 25)
    assert "موروث" in statement.date.origin


@pytest.mark.parametrize(
    "paragraphs, reported",
    [
        # the lead's first exact day, whatever follows
        (
            ["قال لافروف الأربعاء إن روسيا مستعدة، وكان قد وصل الثلاثاء.", "ووصل حسين امس."],
            (25, True),
        ),
        # no day in the lead: the one day the article names, however often
        (
            ["قال لافروف إن روسيا مستعدة.", "ووصل حسين الأربعاء.", "والتقى لافروف الأربعاء."],
            (25, False),
        ),
        # no day in the lead and two different days later: none
        (["قال لافروف إن روسيا مستعدة.", "ووصل حسين الثلاثاء.", "والتقى لافروف الأربعاء."], None),
        # a day more than a week old, or to come, is no reported day
        (["قال لافروف إن حسين سيصل الأحد.", "وكان قد التقاه في 2 تشرين الثاني/نوفمبر."], None),
    ],
)
def test_the_day_an_article_reports(paragraphs: list[str], reported) -> None:
    anchor = events_module._article_anchor(_article("\n\n".join(paragraphs)))
    if reported is None:
        assert anchor is None
    else:
        date, from_lead = anchor
        assert (date.value.day, from_lead) == reported and date.value.month == 11
        assert date.precision == "day" and not date.approximate


def test_the_day_an_article_reports_is_found_without_reading_past_what_settles_it(
    monkeypatch,
) -> None:
    read: list[str] = []
    real = events_module.find_dates

    def find_dates(text, published, **options):
        read.append(text)
        return real(text, published, **options)

    monkeypatch.setattr(events_module, "find_dates", find_dates)
    later = [f"والتقى لافروف الأربعاء المسؤول رقم {n}." for n in range(5)]
    events_module._article_anchor(_article("\n\n".join(["وصل حسين امس.", *later])))
    assert read == ["وصل حسين امس."]  # the lead settles it
    read.clear()
    two = ["قال لافروف إن روسيا مستعدة.", "ووصل حسين الثلاثاء.", "والتقى لافروف الأربعاء."]
    events_module._article_anchor(_article("\n\n".join([*two, *later])))
    assert read == two[1:]  # two different days settle it: no anchor


def test_background_does_not_inherit_the_reported_day() -> None:
    body = (
        "قال سيرغي لافروف الأربعاء إن روسيا مستعدة.\n\n"
        "يذكر ان وزير الدفاع العراقي جمعة عناد التقى سيرغي لافروف."
    )
    meeting = next(e for e in _events(body) if e.type == "meeting")
    assert meeting.date.approximate


# --- merging ---------------------------------------------------------------------------


def test_the_same_statement_in_two_outlets_is_one_event() -> None:
    one = (
        "فقد أعرب وزير الخارجية الروسي سيرغي لافروف خلال مؤتمر صحافي الاربعاء عن استعداد "
        "موسكو لتلبية أي طلب من العراق في مجال التسليح."
    )
    two = (
        "وأبدى وزير الخارجية الروسي، سيرغي لافروف، الأربعاء استعداد بلاده لتلبية الحاجات "
        "العسكرية العراقية."
    )
    statements = [e for e in _events(one, two) if e.type == "statement"]
    assert len(statements) == 1
    assert {s.article for s in statements[0].sources} == {"a0", "a1"}


def test_near_miss_two_statements_of_one_day_stay_apart() -> None:
    one = "قال سيرغي لافروف الأربعاء إن روسيا مستعدة لتلبية احتياجات العراق من الأسلحة."
    two = "قال سيرغي لافروف الأربعاء إن التدخل الأمريكي في المنطقة جلب الدمار."
    assert len([e for e in _events(one, two) if e.type == "statement"]) == 2


def test_near_miss_talks_with_different_partners_stay_apart() -> None:
    one = "التقى فؤاد حسين سيرغي لافروف في موسكو الأربعاء."
    two = "التقى فؤاد حسين ليونيد سلوتسكي في موسكو الأربعاء."
    assert len(_events(one, two)) == 2


def test_a_visit_told_with_and_without_its_day_is_one_visit() -> None:
    one = "بدأ وزير الخارجية العراقي فؤاد حسين امس زيارة رسمية الى موسكو."
    two = "اتفق البلدان على 14 مذكرة تفاهم خلال زيارة وزير الخارجية العراقي فؤاد حسين لروسيا."
    visits = [e for e in _events(one, two) if e.type == "visit"]
    assert len(visits) == 1
    assert visits[0].date.value == dt.date(2020, 11, 25) and not visits[0].date.approximate
    assert visits[0].sources[0].date_text == "امس"  # the date's source comes first


def test_planned_and_occurred_never_merge() -> None:
    one = "زار وزير الدفاع العراقي جمعة عناد موسكو امس."
    two = "وأشار لافروف إلى أن وزير الدفاع العراقي جمعة عناد سيصل روسيا قريبا."
    text = "التقى سيرغي لافروف فؤاد حسين.\n\n" + two
    assert len([e for e in _events(one, text) if e.type == "visit"]) == 2


def test_same_happening_is_symmetric_on_the_seed_articles() -> None:
    from generator.content import load_articles

    articles = load_articles(ROOT / "content", Diagnostics())
    candidates = [c for a in articles for c in candidates_of(a, REGISTRY)]
    for a in candidates[:40]:
        for b in candidates[:40]:
            assert same_happening(a, b) == same_happening(b, a)


# --- ids and titles ----------------------------------------------------------------------


def test_ids_read_date_officials_type_with_a_suffix_on_collision() -> None:
    body = (
        "قال سيرغي لافروف الأربعاء إن روسيا مستعدة لتلبية احتياجات العراق.\n\n"
        "وقال سيرغي لافروف الأربعاء إن التدخل الأمريكي جلب الدمار."
    )
    ids = sorted(e.id for e in _events(body))
    assert ids == ["2020-11-25-lavrov-statement", "2020-11-25-lavrov-statement-2"]


def test_ids_do_not_change_when_unrelated_content_is_added() -> None:
    from generator.content import load_articles

    articles = load_articles(ROOT / "content", Diagnostics())
    before = {(e.id, e.sources[0].sentence) for e in extract(articles, REGISTRY)}
    unrelated = _article(
        "استقبل وزير الخارجية الإيراني محمد جواد ظريف في طهران الأحد نظيره العراقي فؤاد حسين.\n\n"
        "وقال ظريف إن البلدين يعملان على تعزيز التعاون.",
        dt.date(2021, 3, 2),
        "zzz-irna-2021-03-02",
    )
    earlier = _article(
        "قال محمد جواد ظريف الاثنين إن إيران مستعدة للحوار.", dt.date(2019, 1, 2), "aaa-first"
    )
    after = {
        (e.id, e.sources[0].sentence) for e in extract([earlier, *articles, unrelated], REGISTRY)
    }
    assert before <= after


def test_english_titles_come_from_type_and_english_names() -> None:
    assert (
        title_en(
            "press_conference", "occurred", ("fuad-hussein", "sergey-lavrov"), "Moscow", REGISTRY
        )
        == "Hussein and Lavrov hold a press conference in Moscow"
    )
    assert (
        title_en("visit", "planned", ("juma-inad",), "Russia", REGISTRY) == "Inad to visit Russia"
    )
    assert (
        title_en("statement", "occurred", ("sergey-lavrov",), None, REGISTRY)
        == "Statement by Lavrov"
    )


def test_an_english_title_without_registered_officials_names_the_type_alone() -> None:
    assert title_en("announcement", "occurred", (), None, REGISTRY) == "Announcement"
    assert title_en("visit", "planned", (), "Moscow", REGISTRY) == "Visit to Moscow (planned)"


def test_a_statements_arabic_title_carries_its_first_words() -> None:
    event = _one("قال سيرغي لافروف الأربعاء إن العلاقات مع العراق قديمة وودية ومتينة جدا وتتطور.")
    assert event.title_ar.startswith("سيرغي لافروف: العلاقات مع العراق")
    assert event.title_ar.endswith("…")


# --- the gold annotation ------------------------------------------------------------------

sys.path.insert(0, str(ROOT / "bench"))


@pytest.mark.parametrize(
    "gold", sorted((ROOT / "tests/fixtures/gold").glob("*.yml")), ids=lambda p: p.stem
)
def test_extraction_meets_its_targets_on_the_gold_annotations(gold: Path) -> None:
    """The figures in README, "Measuring extraction": a regression fails here."""
    import score_events

    content, annotation = score_events.load_gold(gold)
    result = score_events.score(annotation, score_events.extract(content))
    assert result.recall >= 0.9, result.missed
    assert result.precision >= 0.95, result.wrong
    assert set(result.outside) <= KNOWN_DATE_GAPS.get(gold.stem, set()), result.outside


#: Events the site dates outside the days their articles support, and why.
#: None today; an entry here is a known fault shown on the site.
KNOWN_DATE_GAPS: dict[str, set[str]] = {}


def test_the_gold_sentences_are_verbatim_sentences_of_the_articles() -> None:
    """A gold source that quotes no article would match nothing and score nothing."""
    import score_events

    from generator.content import load_articles

    for gold in sorted((ROOT / "tests/fixtures/gold").glob("*.yml")):
        content, annotation = score_events.load_gold(gold)
        bodies = {a.id: " ".join(a.body.split()) for a in load_articles(content, Diagnostics())}
        for event in annotation:
            for article, sentence in event.sources:
                assert sentence in bodies[article], (gold.name, event.label)


def test_a_gold_event_without_a_window_is_supported_by_its_period() -> None:
    import datetime as _dt

    import score_events

    assert score_events._window({"date": "2020-12", "precision": "month"}) == (
        _dt.date(2020, 12, 1),
        _dt.date(2020, 12, 31),
    )
    assert score_events._window({"date": "2020-11-26", "approximate": True}) == (
        _dt.date(2020, 11, 19),
        _dt.date(2020, 12, 3),
    )
