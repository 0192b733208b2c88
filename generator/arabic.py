"""Arabic text: normalisation that keeps offsets, and sentence splitting.

News Arabic is written with many equivalent forms of a letter (أ إ آ ا, ى ي,
ة ه), optional diacritics and tatweel, Arabic-Indic digits and invisible bidi
marks. Matching is done on a *folded* copy of the text; :class:`Folded` keeps,
for every folded character, the offset of the character it came from, so a
match can always be cited in the original words.
"""

from __future__ import annotations

import functools
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
_DROP = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


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


_FINAL_SIGMA = "\u03a3"  # str.lower() lowers it by context, fold_char() one by one
# What fold() removes (the marks _DROP matches and tatweel) and what it replaces.
_STRIP = re.compile(_DROP.pattern[:-1] + "\u0640]")
_REPLACEMENTS = tuple(
    (chr(code), value) for code, value in sorted(_LETTERS.items()) if value is not None
)


@functools.lru_cache(maxsize=1024)
def fold(text: str) -> Folded:
    """Normalise ``text`` for matching, keeping offsets into the original.

    Dropped marks (harakat, tatweel, bidi marks) are found with one regular-
    expression pass and letters replaced with ``str.replace``, both in C, so an
    article folds in well under a millisecond even when it is vowelled. Text
    whose lower-casing depends on context (final sigma) or changes its length
    (such as "İ") takes the character-by-character path.

    Remembered: splitting an article into clauses, finding its dates and
    matching its officials fold each text three times on average (14,245
    calls for some 4,600 texts over 400 articles of the benchmark archive).
    """
    if _FINAL_SIGMA in text:
        return _fold_slowly(text)
    drops = [m.start() for m in _STRIP.finditer(text)]
    if drops:
        origin: list[int] = []
        previous = 0
        for index in drops:
            origin.extend(range(previous, index))
            previous = index + 1
        origin.extend(range(previous, len(text) + 1))
        folded = _STRIP.sub("", text)
    else:
        origin = list(range(len(text) + 1))
        folded = text
    for old, new in _REPLACEMENTS:
        if old in folded:
            folded = folded.replace(old, new)
    lowered = folded.lower()
    if len(lowered) != len(folded):
        return _fold_slowly(text)
    return Folded(lowered, tuple(origin))


def _fold_slowly(text: str) -> Folded:
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
    """The folded text alone, for keys and comparisons.

    The same text :func:`fold` makes, without the offsets: building those
    costs more than the folding itself, and an index of a whole archive
    (generator/search.py) folds every article.
    """
    if _FINAL_SIGMA not in text:
        folded = _STRIP.sub("", text)
        for old, new in _REPLACEMENTS:
            if old in folded:
                folded = folded.replace(old, new)
        lowered = folded.lower()
        if len(lowered) == len(folded):
            return lowered
    return fold(text).text


# Quotation marks that open and close a quote: a sentence end inside a quote
# does not end the sentence that carries it.
_QUOTES = {"“": "”", "«": "»", '"': '"', "„": "“"}
_SPECIAL = re.compile("[" + re.escape("".join({*_QUOTES, *_QUOTES.values()})) + r".!?؟\n]")
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
    # Only quotation marks, sentence-ending marks and line breaks change
    # anything: jump from one to the next instead of testing every character.
    for found in _SPECIAL.finditer(text):
        position = found.start()
        if position < index:
            continue
        char = text[position]
        if quote_close is not None:
            if char == quote_close:
                quote_close = None
            elif char == "\n" and text[position + 1 : position + 2] in ("\n", ""):
                quote_close = None  # an unclosed quote ends with its paragraph
            index = position + 1
            continue
        if char in _QUOTES:
            quote_close = _QUOTES[char]
            index = position + 1
            continue
        match = _END.match(text, position)
        if match:
            end = match.end()
            span = _trimmed(text, start, end)
            if span:
                yield span
            start = index = end
            continue
        index = position + 1
    span = _trimmed(text, start, len(text))
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


# Discourse markers that open a new clause reporting a new happening: a change
# of speaker ("من جهته", "بدوره"), an added statement ("وأضاف", "وتابع"), an
# added fact ("كما", "فيما"). They are matched on folded text, outside quotes.
# "كما" is a marker only when it does not compare ("كما هو الحال"); "على أن"
# only after punctuation, where it means "however", not "that".
_STRONG_MARKERS = (
    "من جهته",
    "من جهتها",
    "من جهتهم",
    "من جانبه",
    "من جانبها",
    "من جانبهم",
    "بدوره",
    "بدورها",
    "بدورهم",
    "في المقابل",
    "في حين",
    r"فيما(?!\s+(?:يخص|يتعلق|بينها|بينهم|بعد))",
    "واضاف",
    "واضافت",
    "وتابع",
    "وتابعت",
    "ولفت",
    "ولفتت",
    "واكد",
    "واكدت",
    "وشدد",
    "وشددت",
    "واشار",
    "واشارت",
    "واعرب",
    "واعربت",
    "واوضح",
    "واوضحت",
    "وبين",
    "وقال",
    "وقالت",
    "واعلن",
    "واعلنت",
    "وتم",
    # circumstantial participles that add a statement to the same speaker
    "مشيرا",
    "مشيره",
    "منوها",
    "منوهه",
    "موكدا",
    "موكده",
    "مشددا",
    "مشدده",
    "لافتا",
    "لافته",
    "معربا",
    "معربه",
    "مضيفا",
    "مضيفه",
    "موضحا",
    "موضحه",
    "معتبرا",
    "معتبره",
    "داعيا",
    "داعيه",
)


def _marker(marker: str) -> str:
    """A marker as a pattern: plain words are escaped, a lookahead is kept."""
    word, _, rest = marker.partition("(?")
    return re.escape(word) + ("(?" + rest if rest else "")


_SOFT_MARKERS = ("كما", "وكما", "على ان", "علي ان", "الا ان", "غير ان", "لكن", "ولكن")
_NOT_AFTER_KAMA = ("هو", "هي", "هم", "في", "لو", "يلي", "سبق", "جاء", "ذكر", "يقال", "كان", "قال")
_CLAUSE_MARKER = re.compile(
    r"(?:(?<=[,;:\-–—])|(?<=\.\.)|(?<=\s))\s*(?P<m>"
    + "|".join(sorted((_marker(m) for m in _STRONG_MARKERS), key=len, reverse=True))
    + r")(?=[\s,]|$)"
    + r"|(?:(?<=[,;:\-–—])|(?<=\.\.))\s*(?P<s>"
    + "|".join(sorted((re.escape(m) for m in _SOFT_MARKERS), key=len, reverse=True))
    + r")(?=[\s,]|$)"
    + r"|(?<=\s)(?P<k>و?كما)\s+(?!(?:"
    + "|".join(_NOT_AFTER_KAMA)
    + r")(?!\w))(?=[اتين]\w)"
)


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that lie inside quotation marks (an unclosed quote runs to the end)."""
    ranges: list[tuple[int, int]] = []
    close: str | None = None
    start = 0
    for index, char in enumerate(text):
        if close is not None:
            if char == close:
                ranges.append((start, index + 1))
                close = None
        elif char in _QUOTES:
            close = _QUOTES[char]
            start = index
    if close is not None:
        ranges.append((start, len(text)))
    return ranges


def clauses(sentence: Span) -> list[Span]:
    """Split one sentence into clauses at discourse markers, outside quotations.

    The spans keep offsets into the text the sentence was taken from, so a
    clause can be cited and located like a sentence. A sentence with no
    marker is one clause.
    """
    folded = fold(sentence.text)
    quoted = quoted_ranges(folded.text)
    cuts: list[int] = []
    for match in _CLAUSE_MARKER.finditer(folded.text):
        name = match.lastgroup or "m"
        at = match.start(name)
        if at == 0 or any(s < at < e for s, e in quoted):
            continue
        cuts.append(folded.span(at, at + 1)[0])
    pieces: list[Span] = []
    bounds = [0, *cuts, len(sentence.text)]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        piece = _trimmed(sentence.text, lo, hi)
        if piece is not None:
            pieces.append(
                Span(sentence.start + piece.start, sentence.start + piece.end, piece.text)
            )
    return pieces or [sentence]


def paragraphs(text: str) -> Iterator[Span]:
    """Blocks of ``text`` separated by blank lines, as spans into it."""
    for match in re.finditer(r"(?:[^\n]|\n(?!\s*\n))+", text):
        span = _trimmed(text, match.start(), match.end())
        if span:
            yield span
