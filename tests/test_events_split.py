"""Splitting an article into sentences (quote-aware) and sentences into clauses."""

from __future__ import annotations

import pytest

from generator.arabic import Span, clauses, paragraphs, quoted_ranges, sentences


def _sentences(text: str) -> list[str]:
    return [s.text for s in sentences(text)]


def _clauses(text: str) -> list[str]:
    return [c.text for s in sentences(text) for c in clauses(s)]


def test_a_full_stop_inside_a_quotation_does_not_end_the_sentence() -> None:
    text = "وقال الوزير: “نحن مستعدون. والتعاون مستمر”. ثم غادر."
    assert _sentences(text) == ["وقال الوزير: “نحن مستعدون. والتعاون مستمر”.", "ثم غادر."]


@pytest.mark.parametrize("open_, close", [("«", "»"), ('"', '"'), ("“", "”")])
def test_every_kind_of_quotation_mark(open_: str, close: str) -> None:
    text = f"قال {open_}جملة أولى. جملة ثانية{close} وانتهى. بعد ذلك."
    assert len(_sentences(text)) == 2


def test_an_unclosed_quotation_ends_with_its_paragraph() -> None:
    text = "قال “جملة بلا إغلاق.\n\nفقرة ثانية. وجملة أخرى."
    assert _sentences(text) == ["قال “جملة بلا إغلاق.", "فقرة ثانية.", "وجملة أخرى."]


def test_sentences_keep_offsets_into_the_text() -> None:
    text = "  أولى.  ثانية؟ ثالثة!"
    for span in sentences(text):
        assert text[span.start : span.end] == span.text


def test_double_dot_ends_a_sentence_as_news_sites_write_it() -> None:
    assert _sentences("علاقات ودية قديمة.. مشيرا إلى أن هذه العلاقات جيدة.") == [
        "علاقات ودية قديمة..",
        "مشيرا إلى أن هذه العلاقات جيدة.",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "التقى الوزير نظيره، من جهته أكد السفير أهمية الزيارة.",
            ["التقى الوزير نظيره،", "من جهته أكد السفير أهمية الزيارة."],
        ),
        (
            "أشاد رئيس اللجنة بالتزام الحكومة، بدوره قال الوزير إن الزيارة مهمة.",
            ["أشاد رئيس اللجنة بالتزام الحكومة،", "بدوره قال الوزير إن الزيارة مهمة."],
        ),
        (
            "بحث الوزيران التعاون وأضاف الوزير أن العلاقات جيدة.",
            ["بحث الوزيران التعاون", "وأضاف الوزير أن العلاقات جيدة."],
        ),
        (
            "بحث الوزيران التعاون، كما أكد الوزير أن العلاقات جيدة.",
            ["بحث الوزيران التعاون،", "كما أكد الوزير أن العلاقات جيدة."],
        ),
        (
            "وصل الوزير إلى موسكو، على أن يلتقي نظيره غدا.",
            ["وصل الوزير إلى موسكو،", "على أن يلتقي نظيره غدا."],
        ),
        (
            "أبدى الوزير استعداد بلاده للتعاون، مشيرا إلى زيارة سيقوم بها وزير الدفاع.",
            ["أبدى الوزير استعداد بلاده للتعاون،", "مشيرا إلى زيارة سيقوم بها وزير الدفاع."],
        ),
    ],
)
def test_discourse_markers_open_a_clause(text: str, expected: list[str]) -> None:
    assert _clauses(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "تبعث قواتها إلى دول المنطقة كما هو الحال في سوريا.",  # comparison, not a marker
        "وأكد على أن الحكومة تؤيد القرار.",  # "على أن" after a verb means "that"
        "قال: “بحثنا التعاون، كما أكدنا أهمية الزيارة”.",  # inside a quotation
    ],
)
def test_words_that_are_not_markers_here(text: str) -> None:
    assert len(_clauses(text)) == 1


def test_clauses_keep_offsets_into_the_article() -> None:
    body = "مقدمة.\n\nالتقى الوزير نظيره، من جهته أكد السفير أهمية الزيارة."
    for sentence in sentences(body):
        for clause in clauses(sentence):
            assert body[clause.start : clause.end] == clause.text


def test_quoted_ranges_and_paragraphs() -> None:
    assert quoted_ranges("قال «نعم» ثم “لا") == [(4, 9), (13, 16)]
    body = "أولى.\nتتمة.\n\n\nثانية."
    assert [p.text for p in paragraphs(body)] == ["أولى.\nتتمة.", "ثانية."]
    assert isinstance(next(paragraphs(body)), Span)
