"""Text primitives of the extractor: folding, tokens with offsets, sentences.

Tokens keep offsets into the original text, so everything found can be cut
back out of it verbatim. Scripts without spaces between words (Han, kana,
Hangul, Thai) become one token per character, so their names match as
substrings; other scripts match on word boundaries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple, overload

# Letters, digits and the combining marks that \w leaves out (Indic vowel
# signs, Arabic harakat, Latin accents).
_MARKS_TOO = r"\u0300-\u036f\u0900-\u0dff\u064b-\u065f\u0670\u200d"
_WORD = re.compile(rf"[\w{_MARKS_TOO}]+")
_SPLIT = (
    r"\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\uac00-\ud7af"
)
_SPLIT_CHARS = re.compile(f"[{_SPLIT}]")
# re.split() with these keeps what lies between the words, so a token's offset
# is a running sum: faster than a match object per word. With split chars: a
# split char that is a word character, or a run of the other ones.
_WORD_PIECES = re.compile(f"({_WORD.pattern})")
_SPLIT_PIECES = re.compile(rf"((?=\w)[{_SPLIT}])|((?:[^\W{_SPLIT}]|[{_MARKS_TOO}])+)")
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


_KEYS: dict[str, str] = {}  # word -> its matching key
_SCRIPTS: dict[str, str] = {}  # word -> its script
_REMEMBERED = 1 << 16


class Token(NamedTuple):
    key: str  # folded (and for Russian, stemmed) form used for matching
    start: int
    end: int
    script: str  # "latin", "cyrillic", "arabic", "split" (one char each), "other"


class Tokens(Sequence[Token]):
    """A text's tokens, held as one list per field: a text has thousands, and
    an object for each would cost more to make (and to garbage-collect) than
    the rest of tokenising. Indexing makes Token tuples on demand."""

    __slots__ = ("ends", "keys", "scripts", "starts")

    def __init__(
        self, keys: list[str], starts: list[int], ends: list[int], scripts: list[str]
    ) -> None:
        self.keys, self.starts, self.ends, self.scripts = keys, starts, ends, scripts

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, index: int) -> Token: ...

    @overload
    def __getitem__(self, index: slice) -> list[Token]: ...

    def __getitem__(self, index: int | slice) -> Token | list[Token]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return Token(
            self.keys[index], self.starts[index], self.ends[index], self.scripts[index]
        )


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


def _keys_and_scripts(words: list[str]) -> tuple[list[str], list[str]]:
    """The words' matching keys and scripts. Words recur, so each is folded
    once and remembered, in plain dicts of strings: that leaves the garbage
    collector nothing to track. Past _REMEMBERED words all are forgotten (new
    dicts: a thread still reading the old ones is unaffected)."""
    global _KEYS, _SCRIPTS
    if len(_KEYS) > _REMEMBERED:
        _KEYS, _SCRIPTS = {}, {}
    keys, scripts = _KEYS, _SCRIPTS
    for word in set(words).difference(keys):
        script = script_of(word)
        key = fold(word)
        scripts[word] = script  # before the key, which says both are there
        keys[word] = stem_ru(key) if script == "cyrillic" else key
    return [keys[word] for word in words], [scripts[word] for word in words]


def tokenise(text: str) -> Tokens:
    if _SPLIT_CHARS.search(text):
        parts = _SPLIT_PIECES.split(text)  # between, split char, other run, ...
        chars, runs = parts[1::3], parts[2::3]
        words = [c if c is not None else r for c, r in zip(chars, runs, strict=True)]
        pieces: list[str] = [""] * (2 * len(words) + 1)  # between, word, ...
        pieces[0::2] = parts[0::3]
        pieces[1::2] = words
        keys, scripts = _keys_and_scripts(words)
        scripts = [
            "split" if c is not None else script
            for c, script in zip(chars, scripts, strict=True)
        ]
    else:
        pieces = _WORD_PIECES.split(text)  # between, word, between, ..., between
        words = pieces[1::2]
        keys, scripts = _keys_and_scripts(words)
    offsets = list(accumulate(map(len, pieces), initial=0))  # where each begins
    return Tokens(keys, offsets[1::2][: len(words)], offsets[2::2], scripts)


def alias_key(alias: str) -> tuple[str, ...]:
    return tuple(tokenise(alias).keys)


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
