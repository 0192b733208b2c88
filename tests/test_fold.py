"""The one-pass fold used for speed is exactly the character-by-character fold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.arabic import _fold_slowly, fold, fold_char, normalize

ARABIC_AND_MARKS = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.sampled_from("abcXYZ 0123.\n\u03a3\u0130\u00df\u200f\u2066\ufeff\u0640"),
    ),
    max_size=60,
)


@given(ARABIC_AND_MARKS)
def test_fold_is_the_slow_fold(text: str) -> None:
    assert fold(text) == _fold_slowly(text)
    assert normalize(text) == "".join(fold_char(c) for c in text)


@given(st.text(max_size=40))
def test_fold_is_the_slow_fold_on_any_text(text: str) -> None:
    assert fold(text) == _fold_slowly(text)
    assert normalize(text) == fold(text).text


def test_fold_keeps_offsets_when_marks_are_dropped() -> None:
    folded = fold("مُحَمَّد أحمد")
    assert folded.text == "محمد احمد"
    start = folded.text.index("احمد")
    assert folded.span(start, start + 4) == (9, 13)
