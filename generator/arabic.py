"""Arabic text: normalisation that keeps offsets, and sentence splitting.

News Arabic is written with many equivalent forms of a letter (أ إ آ ا, ى ي,
ة ه), optional diacritics and tatweel, Arabic-Indic digits and invisible bidi
marks. Matching is done on a *folded* copy of the text; :class:`Folded` keeps,
for every folded character, the offset of the character it came from, so a
match can always be cited in the original words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",
        "ی": "ي",
        "ـ": None,
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
        "،": ",",
        "؛": ";",
        "؟": "?",
    }
)

# Harakat, Quranic marks, superscript alef; bidi and zero-width marks.
_DROP = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class Folded:
    """A normalised copy of a text with the way back to the original."""

    text: str
    origin: tuple[int, ...]  # origin[i]: offset in the original of text[i]; one extra at the end

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span ``text[start:end]``."""
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1


def fold_char(char: str) -> str:
    """Fold one character (returns "" for one that is dropped)."""
    if _DROP.match(char):
        return ""
    return char.translate(_LETTERS).lower()


def fold(text: str) -> Folded:
    """Normalise ``text`` for matching, keeping offsets into the original."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = fold_char(char)
        for piece in folded:
            out.append(piece)
            origin.append(index)
    origin.append(len(text))
    return Folded("".join(out), tuple(origin))


def normalize(text: str) -> str:
    """The folded text alone, for keys and comparisons."""
    return "".join(fold_char(c) for c in text)


# Quotation marks that open and close a quote: a sentence end inside a quote
# does not end the sentence that carries it.
_QUOTES = {"“": "”", "«": "»", '"': '"', "„": "“"}
_END = re.compile(r"(?:\.\.+|[.!?؟])+(?=\s|$|[”»\"])|\n\s*\n|\n")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def sentences(text: str) -> Iterator[Span]:
    """Split ``text`` into sentences, yielding spans into it.

    A sentence ends at ``.``, ``!``, ``?``, ``؟`` or ``..`` followed by space,
    or at a line break; never inside a quotation. Surrounding white space is
    not part of a sentence; empty sentences are skipped.
    """
    start = 0
    quote_close: str | None = None
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if quote_close is not None:
            if char == quote_close:
                quote_close = None
            elif char == "\n" and text[index + 1 : index + 2] in ("\n", ""):
                quote_close = None  # an unclosed quote ends with its paragraph
            index += 1
            continue
        if char in _QUOTES:
            quote_close = _QUOTES[char]
            index += 1
            continue
        match = _END.match(text, index)
        if match:
            end = match.end()
            span = _trimmed(text, start, end)
            if span:
                yield span
            start = index = end
            continue
        index += 1
    span = _trimmed(text, start, length)
    if span:
        yield span


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start or not any(c.isalnum() for c in text[start:end]):
        return None
    return Span(start, end, text[start:end])
