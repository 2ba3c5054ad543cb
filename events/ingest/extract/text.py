"""Text primitives of the extractor: folding, tokens with offsets, sentences.

Tokens keep offsets into the original text, so everything found can be cut
back out of it verbatim. Scripts without spaces between words (Han, kana,
Hangul, Thai) become one token per character, so their names match as
substrings; other scripts match on word boundaries.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Letters, digits and the combining marks that \w leaves out (Indic vowel
# signs, Arabic harakat, Latin accents).
_WORD = re.compile(r"[\w\u0300-\u036f\u0900-\u0dff\u064b-\u065f\u0670\u200d]+")
_SPLIT_CHARS = re.compile(
    r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\uac00-\ud7af]"
)
_MARKS = re.compile(r"[\u0307\u064b-\u065f\u0670\u093c]")
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ک": "ك",
        "ة": "ه",
        "ۀ": "ه",
        "ھ": "ه",
        "ـ": None,
    }
)
_RU_ENDING_LIST = (
    "иями ями ами ией иях ого его ому ему ыми ими ая яя ое ее ие ые ий ый ой "
    "ей ом ем ам ям ах ях ую юю ов ев их ых ию ия ии а я о е и ы у ю й ь"
)
_RU_ENDINGS = sorted(
    _RU_ENDING_LIST.split(),
    key=len,
    reverse=True,
)
_SENTENCE_END = re.compile(
    r"(?<=[.!?。！？؟।])[\"'”’»」)]*\s+|[。！？]|\n\s*\n|\n(?=\S)"
)


@dataclass(frozen=True)
class Token:
    key: str  # folded (and for Russian, stemmed) form used for matching
    start: int
    end: int
    script: str  # "latin", "cyrillic", "arabic", "split" (one char each), "other"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


def fold(text: str) -> str:
    """Case-, accent-mark- and spelling-variant-insensitive form of a word."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _MARKS.sub("", text).translate(_ARABIC_FOLD)


def script_of(word: str) -> str:
    for char in word:
        if char.isalpha():
            code = ord(char)
            if 0x0400 <= code <= 0x04FF:
                return "cyrillic"
            if 0x0600 <= code <= 0x06FF:
                return "arabic"
            if code < 0x0250:
                return "latin"
            return "other"
    return "other"


def stem_ru(word: str) -> str:
    """A crude Russian stem: enough to match Россия/России/Россией."""
    for ending in _RU_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _token(raw: str, start: int) -> Token:
    script = script_of(raw)
    key = fold(raw)
    if script == "cyrillic":
        key = stem_ru(key)
    return Token(key, start, start + len(raw), script)


def tokenise(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _WORD.finditer(text):
        word, base, piece_start = match.group(), match.start(), 0
        for char in _SPLIT_CHARS.finditer(word):
            if char.start() > piece_start:
                raw = word[piece_start : char.start()]
                tokens.append(_token(raw, base + piece_start))
            pos = base + char.start()
            tokens.append(Token(fold(char.group()), pos, pos + 1, "split"))
            piece_start = char.end()
        if piece_start < len(word):
            tokens.append(_token(word[piece_start:], base + piece_start))
    return tokens


def alias_key(alias: str) -> tuple[str, ...]:
    return tuple(token.key for token in tokenise(alias))


def sentences(text: str) -> list[Sentence]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if text[start:end].strip():
            spans.append(Sentence(start, end))
        start = end
    if text[start:].strip():
        spans.append(Sentence(start, len(text)))
    return spans


def sentence_index(spans: list[Sentence], offset: int) -> int:
    for index, span in enumerate(spans):
        if span.start <= offset < span.end:
            return index
    return max(len(spans) - 1, 0)
