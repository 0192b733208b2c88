"""The officials registry: bad input with its line, and finding officials in text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.cli import main
from generator.models import Article, Official, Role
from generator.officials import Registry, office_of, unregistered

NOV_25 = dt.date(2020, 11, 25)


# --- bad input: path:line, exit 1 ---------------------------------------------

ENTRY = """
- id: ali-test
  name: {ar: "علي تجربة", en: "Ali Test"}
  country: IQ
  roles:
    - title: {ar: "وزير التجارة العراقي", en: "Minister of Trade of Iraq"}
      from: 2020-01-01
      to: 2020-12-31
"""

BAD = {
    "duplicate-id": (
        ENTRY.replace("ali-test", "fuad-hussein"),
        "- id",
        "duplicate id 'fuad-hussein'",
    ),
    "to-before-from": (
        ENTRY.replace("to: 2020-12-31", "to: 2019-12-31"),
        "to",
        "to: 2019-12-31 is before",
    ),
    "unknown-country": (
        ENTRY.replace("country: IQ", "country: XX"),
        "country",
        "country: expected an ISO",
    ),
    "lowercase-country": (
        ENTRY.replace("country: IQ", "country: iq"),
        "country",
        "country: expected an ISO",
    ),
    "overlapping-terms": (
        ENTRY
        + """    - title: {ar: "وزير التجارة العراقي", en: "Minister of Trade of Iraq"}
      from: 2020-06-01
      to: null
""",
        "- title",
        "term overlaps the term of the same role at line",
    ),
    "bad-day": (
        ENTRY.replace("from: 2020-01-01", 'from: "January"'),
        "from",
        "from: expected YYYY-MM-DD",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_registry_entry_is_reported_with_its_line(
    case: str, content_copy: Path, tmp_path: Path, capsys
) -> None:
    entry, key, message = BAD[case]
    registry = content_copy / "officials.yml"
    before = registry.read_text(encoding="utf-8")
    registry.write_text(before + entry, encoding="utf-8")
    lines = (before + entry).splitlines()
    start = len(before.splitlines())
    # the line the problem is on: the last line of the new entry starting with `key`
    expected = max(i for i in range(start, len(lines)) if lines[i].strip().startswith(key)) + 1
    status = main(["build", "--content", str(content_copy), "--output", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 1
    assert f"officials.yml:{expected}: " in err, err
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_every_registry_problem_is_listed_at_once(
    content_copy: Path, tmp_path: Path, capsys
) -> None:
    registry = content_copy / "officials.yml"
    bad = ENTRY.replace("country: IQ", "country: XX") + ENTRY.replace("ali-test", "fuad-hussein")
    registry.write_text(registry.read_text(encoding="utf-8") + bad, encoding="utf-8")
    assert main(["build", "--content", str(content_copy), "--output", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "country: expected" in err and "duplicate id" in err


# --- finding officials ----------------------------------------------------------


def _role(title: str, start: str | None, end: str | None, *aliases: str) -> Role:
    day = dt.date.fromisoformat
    return Role(title, "", day(start) if start else None, day(end) if end else None, 0, aliases)


REGISTRY = Registry(
    [
        Official(
            "sergey-lavrov",
            "سيرغي لافروف",
            "Sergey Lavrov",
            ("لافروف",),
            "RU",
            (_role("وزير الخارجية الروسي", "2004-03-09", None),),
        ),
        Official(
            "fuad-hussein",
            "فؤاد حسين",
            "Fuad Hussein",
            (),
            "IQ",
            (_role("وزير الخارجية العراقي", "2020-06-06", None, "وزير خارجية العراق"),),
        ),
        Official(
            "mustafa-al-kadhimi",
            "مصطفى الكاظمي",
            "Mustafa al-Kadhimi",
            (),
            "IQ",
            (_role("رئيس الوزراء العراقي", "2020-05-07", "2022-10-27"),),
        ),
        Official(
            "mohammed-al-sudani",
            "محمد شياع السوداني",
            "Mohammed Shia al-Sudani",
            (),
            "IQ",
            (_role("رئيس الوزراء العراقي", "2022-10-27", None),),
        ),
        Official(
            "donald-trump",
            "دونالد ترامب",
            "Donald Trump",
            (),
            "US",
            (_role("الرئيس الأمريكي", "2017-01-20", "2021-01-20"),),
        ),
    ]
)


def _found(
    text: str, on: dt.date = NOV_25, introduced: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    return [(m.official, text[m.start : m.end]) for m in REGISTRY.find(text, on, introduced)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("التقى سيرجي لافروف", "سيرجي لافروف"),  # ج/غ in a transliterated name
        ("التقى سيرغي لافروف", "سيرغي لافروف"),
        ("وسيرغى لافروف", "سيرغى لافروف"),  # ى/ي, with the clitic و
        ("بسيرغي لافروف", "سيرغي لافروف"),  # clitic ب
        ("لِسيرغي لافروفَ", "سيرغي لافروف"),  # diacritics, clitic ل
        ("قال فواد حسين", "فواد حسين"),  # hamza dropped
        ("قال فؤاد حسين", "فؤاد حسين"),
    ],
)
def test_names_are_found_in_their_spelling_variants(text: str, expected: str) -> None:
    assert [name for _, name in _found(text)] == [expected]


@pytest.mark.parametrize(
    "spelling", ["الرئيس الأمريكي", "الرئيس الاميركي", "الرئيس الأميركي", "للرئيس الامريكي"]
)
def test_american_is_spelled_many_ways(spelling: str) -> None:
    assert [o for o, _ in _found(f"وقال {spelling} ان")] == ["donald-trump"]


def test_a_surname_alone_needs_the_full_name_first() -> None:
    assert _found("وقال حسين ان الزيارة مهمة") == []  # a common word and name
    assert _found("وقال لافروف ان الزيارة مهمة") == []  # a single-word alias is a surname too
    text = "التقى فؤاد حسين نظيره، وقال حسين ان الزيارة مهمة"
    assert _found(text) == [("fuad-hussein", "فؤاد حسين"), ("fuad-hussein", "حسين")]
    # earlier in the article counts as well
    assert _found("وقال حسين", introduced=("fuad-hussein",)) == [("fuad-hussein", "حسين")]
    assert REGISTRY.find("وقال حسين", NOV_25, ("fuad-hussein",))[0].how == "surname"


def test_a_surname_before_the_full_name_is_not_taken() -> None:
    assert _found("قال حسين ان فؤاد حسين سيزور") == [("fuad-hussein", "فؤاد حسين")]


def test_a_title_names_whoever_held_the_role_that_day() -> None:
    text = "استقبل رئيس الوزراء العراقي الوفد"
    assert _found(text, dt.date(2020, 11, 25)) == [("mustafa-al-kadhimi", "رئيس الوزراء العراقي")]
    assert _found(text, dt.date(2023, 3, 1)) == [("mohammed-al-sudani", "رئيس الوزراء العراقي")]
    assert _found("وقال الرئيس الأمريكي", dt.date(2022, 1, 1)) == []  # nobody held it then
    assert REGISTRY.holder("رئيس الوزراء العراقي", dt.date(2023, 3, 1)) == "mohammed-al-sudani"


def test_title_aliases_and_longest_match() -> None:
    assert _found("وقال وزير خارجية العراق فؤاد حسين") == [
        ("fuad-hussein", "وزير خارجية العراق"),
        ("fuad-hussein", "فؤاد حسين"),
    ]


@pytest.mark.parametrize(
    "title, office, country",
    [
        ("وزير الخارجية الروسي", "وزير الخارغيه", "RU"),
        ("وزير خارجية روسيا", "وزير الخارغيه", "RU"),
        ("وزيرة الخارجية الروسية", "وزيره الخارغيه", "RU"),
        ("السفير الروسي لدى العراق", "السفير لدي العراق", "RU"),
        ("الرئيس الأميركي", "الرييس", "US"),
        ("رئيس لجنة العلاقات بمجلس الدوما", "رييس لغنه العلاقات بمغلس الدوما", None),
    ],
)
def test_a_title_is_an_office_and_a_country(title: str, office: str, country: str | None) -> None:
    assert office_of(title) == (office, country)


def test_office_holders_follow_the_terms() -> None:
    assert REGISTRY.office_holders("وزير الخارغيه", "IQ", NOV_25) == ["fuad-hussein"]
    assert REGISTRY.office_holders("رييس الوزراء", "IQ", dt.date(2023, 1, 1)) == [
        "mohammed-al-sudani"
    ]


# --- officials the registry does not know ----------------------------------------


def _article(body: str) -> Article:
    return Article("a", "content/articles/a.md", "t", NOV_25, "s", None, "ar", body, 7)


def test_a_title_followed_by_an_unknown_name_is_reported() -> None:
    body = "مقدمة.\n\nوقالت المتحدثة باسم وزارة الخارجية الروسية ماريا زاخاروفا إن الزيارة مهمة."
    [found] = unregistered([_article(body)], REGISTRY)
    assert (found.name, found.title, found.country) == (
        "ماريا زاخاروفا",
        "المتحدثة باسم وزارة الخارجية الروسية",
        "RU",
    )
    assert (found.path, found.line) == ("content/articles/a.md", 9)
    entry = found.yaml_entry()
    assert 'name: {ar: "ماريا زاخاروفا"' in entry and "country: RU" in entry


def test_the_suggested_entry_is_valid_registry_yaml(tmp_path: Path) -> None:
    from generator.errors import Diagnostics
    from generator.officials import load_registry

    body = "والتقى السفير الأمريكي لدى العراق ماثيو تولر بالوزير."
    [found] = unregistered([_article(body)], REGISTRY)
    (tmp_path / "officials.yml").write_text(found.yaml_entry(), encoding="utf-8")
    diagnostics = Diagnostics()
    registry = load_registry(tmp_path, diagnostics)
    assert not diagnostics.errors
    assert [o.country for o in registry.officials.values()] == ["US"]
    # once registered, the person is found and no longer reported
    assert registry.find(body, NOV_25)
    assert unregistered([_article(body)], registry) == []


@pytest.mark.parametrize(
    "text",
    [
        "وقال وزير الخارجية العراقي فؤاد حسين ان الزيارة مهمة.",  # registered
        "وأبدى الوزير الروسي تفاؤله إزاء فرص التعاون.",  # a noun with a suffix, not a name
        "ستكون هناك زيارة لوزير الدفاع العراقي لموسكو قريبا.",  # a place, a time word
        "وتابع البيان أن الوزير استعرض رؤية العراق.",  # a verb
        "التقى رئيس لجنة العلاقات الخارجية في مجلس الدوما في روسيا، وبحث الجانبان.",
        "واستقبل وزير الخارجية العراقي في موسكو وبحث معه سبل التعاون.",  # a verb with و
        "وصل وزير الدفاع العراقي أربيل لبحث التعاون.",  # a place, a verb with ل
        "ويعتزم وزير الدفاع العراقي لقاء نائب رئيس الوزراء الروسي.",  # a verbal noun, a title
        "وينوي وزير الخارجية العراقي زيارة مسؤولين في موسكو.",  # a verbal noun
        "وبحث وزير الدفاع العراقي ونائب رئيس الوزراء الروسي التعاون.",  # a second title
        "التقى وزير الدفاع العراقي في أربيل نائب رئيس الوزراء.",  # a title after a place
    ],
)
def test_no_report_without_a_name(text: str) -> None:
    assert unregistered([_article(text)], REGISTRY) == []


def test_unregistered_officials_are_build_warnings_and_a_report(
    content_copy: Path, tmp_path: Path, capsys
) -> None:
    import json

    article = content_copy / "articles" / "rt-2020-11-19.md"
    article.write_text(
        '---\ntitle: "زيارة"\ndate: 2020-11-19\nsource: "RT"\n---\n'
        "مقدمة.\n\n"
        "أعلنت المتحدثة باسم وزارة الخارجية الروسية ماريا زاخاروفا أن وزير الخارجية "
        "العراقي فؤاد حسين سيزور موسكو يومي 25 و26 نوفمبر.\n",
        encoding="utf-8",
    )
    out = tmp_path / "site"
    assert main(["build", "--content", str(content_copy), "--output", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "articles/rt-2020-11-19.md:8: المتحدثة باسم وزارة الخارجية الروسية ماريا زاخاروفا" in err
    report = json.loads((out / "report/unregistered.json").read_text(encoding="utf-8"))
    [person] = report["unregistered"]
    assert person["name"] == "ماريا زاخاروفا" and person["line"] == 8
    assert "country: RU" in person["officials_yml"]
    pasted = (out / "report/unregistered.yml").read_text(encoding="utf-8")
    assert "articles/rt-2020-11-19.md:8" in pasted and 'ar: "ماريا زاخاروفا"' in pasted
    # a warning fails a strict build
    strict = ["build", "--content", str(content_copy), "--output", str(tmp_path / "s"), "--strict"]
    assert main(strict) == 1


def test_the_report_follows_each_article_through_edits_of_others(
    content_copy: Path, tmp_path: Path, capsys
) -> None:
    """An article edit replays the last merge and reads back only the
    candidates it needs; the officials each other article names whom the
    registry does not know are kept with the merge, so the report still
    lists them, and drops them when their article no longer names them."""
    import json

    named, other = sorted((content_copy / "articles").glob("*.md"))
    text = named.read_text(encoding="utf-8")
    named.write_text(
        text + "\nأعلنت المتحدثة باسم وزارة الخارجية الروسية ماريا زاخاروفا أن الزيارة مهمة.\n",
        encoding="utf-8",
    )
    out, cache_dir = tmp_path / "site", tmp_path / "cache"
    command = ["build", "--content", str(content_copy), "--output", str(out)]
    command += ["--cache", str(cache_dir), "--quiet"]

    def reported() -> list[str]:
        report = out / "report" / "unregistered.json"
        if not report.exists():
            return []
        return [p["name"] for p in json.loads(report.read_text(encoding="utf-8"))["unregistered"]]

    assert main(command) == 0 and reported() == ["ماريا زاخاروفا"]
    other.write_text(other.read_text(encoding="utf-8") + "\nوقال مصدر إن المحادثات مستمرة.\n")
    capsys.readouterr()
    assert main(command) == 0 and reported() == ["ماريا زاخاروفا"]
    assert "ماريا زاخاروفا" in capsys.readouterr().err
    named.write_text(text, encoding="utf-8")
    assert main(command) == 0 and reported() == []
    assert "ماريا زاخاروفا" not in capsys.readouterr().err


def test_the_report_is_the_same_from_any_directory(
    content_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    """The report names each article from the folder holding the content
    folder, wherever the build runs, so the published site does not depend
    on it; and the cache it fills serves a build run from elsewhere."""
    article = content_copy / "articles" / "rt-2020-11-19.md"
    article.write_text(
        '---\ntitle: "زيارة"\ndate: 2020-11-19\nsource: "RT"\n---\n'
        "مقدمة.\n\nأعلنت المتحدثة باسم وزارة الخارجية الروسية ماريا زاخاروفا أن الزيارة مهمة.\n",
        encoding="utf-8",
    )
    reports = []
    for where in (tmp_path / "elsewhere", content_copy.parent):
        where.mkdir(exist_ok=True)
        monkeypatch.chdir(where)
        out = tmp_path / f"site-{where.name}"
        flags = ["--cache", str(tmp_path / "cache"), "--quiet"]
        assert main(["build", "--content", str(content_copy), "--output", str(out), *flags]) == 0
        reports.append((out / "report/unregistered.yml").read_text(encoding="utf-8"))
    assert reports[0] == reports[1]
    assert "# content/articles/rt-2020-11-19.md:8" in reports[0]


def test_the_shipped_articles_name_nobody_unregistered() -> None:
    from generator.content import load_articles
    from generator.errors import Diagnostics
    from generator.officials import load_registry

    content = Path(__file__).resolve().parent.parent / "content"
    registry = load_registry(content, Diagnostics())
    assert unregistered(load_articles(content, Diagnostics()), registry) == []
