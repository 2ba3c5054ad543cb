"""The notice users saw, when a report quotes it, and its language.

A notice is a quotation introduced (or, in Turkish and Persian style,
followed) by a cue such as "reads:", "message", "显示", "сообщение",
"ifadelerine". It is cut out of the text exactly: only the enclosing quotation
marks are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from events.ingest.types import Guess

_QUOTES = [
    re.compile(r"“([^”“]{12,700})”"),
    re.compile(r'"([^"\n]{12,700})"'),
    re.compile(r"«([^»«]{12,700})»"),
    re.compile(r"„([^“„]{12,700})“"),
    re.compile(r"「([^」]{4,700})」"),
    re.compile(r"『([^』]{4,700})』"),
]
_CUE_BEFORE = re.compile(
    r"\b(?:reads?|reading|message|messages|notice|notification|shows?|showed|shown|"
    r"displays?|displayed|banner|error|warning|page said|screen|states|stating|"
    r"сообщени\w*|надпис\w*|уведомлени\w*|гласит|появля\w*|отобража\w*|"
    r"показыва\w*|mesaj\w*|uyarı\w*|açıklama\w*|پیام|نوشته|هشدار|رسالة|عبارة|"
    r"تظهر|يظهر|संदेश|मैसेज|लिखा)\b|显示|顯示|提示|写着|寫著|页面|頁面",
    re.IGNORECASE,
)
_CUE_AFTER = re.compile(
    r"^\W{0,3}\s*(?:ifade\w*|yazısı|mesajı|uyarısı|açıklaması|پیام|نوشته|عبارة|"
    r"के साथ|लिखा)",
    re.IGNORECASE,
)
_SPEECH = re.compile(
    r"\b(?:said|says|told|tweeted|wrote|added|according to|statement|quoted)\b",
    re.IGNORECASE,
)
_PERSIAN_LETTERS = re.compile("[پچژگکی]")
_URDU_LETTERS = re.compile("[ٹڈڑںے]")
_LATIN_WORDS = {
    "tr": {
        "ve",
        "bir",
        "bu",
        "için",
        "ile",
        "erişime",
        "kararıyla",
        "tarihli",
        "sayılı",
    },
    "es": {"el", "la", "los", "las", "de", "que", "en", "por", "está", "cuenta"},
    "pt": {"o", "a", "os", "de", "que", "em", "não", "está", "conta", "por"},
    "fr": {"le", "la", "les", "de", "des", "est", "votre", "compte", "en", "pas"},
    "de": {"der", "die", "das", "ist", "nicht", "und", "ihr", "konto", "wurde"},
    "id": {"yang", "dan", "di", "tidak", "ini", "akun", "situs", "diblokir"},
    "en": {
        "the",
        "is",
        "has",
        "been",
        "and",
        "of",
        "to",
        "in",
        "this",
        "your",
        "account",
    },
}


@dataclass(frozen=True)
class Notice:
    text: str
    start: int
    confidence: float


def find_notice(text: str) -> Notice | None:
    best: Notice | None = None
    for regex in _QUOTES:
        for match in regex.finditer(text):
            score = _cue_score(text, match.start(), match.end())
            if score and (best is None or score > best.confidence):
                best = Notice(match.group(1), match.start(1), score)
    return best


def _cue_score(text: str, start: int, end: int) -> float:
    before = text[max(0, start - 90) : start]
    after = text[end : end + 40]
    if _CUE_AFTER.search(after):
        return 0.8
    cues = list(_CUE_BEFORE.finditer(before))
    if not cues:
        return 0.0
    cue = cues[-1]
    gap = before[cue.end() :]
    if _SPEECH.search(gap):
        return 0.0
    return 0.9 if len(gap.strip(" :,\n\t")) <= 2 else 0.7


def notice_language(notice: str) -> Guess:
    """A BCP 47 tag from the script; for Latin, from common words."""
    counts: dict[str, int] = {}
    for char in notice:
        script = _script(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return Guess("und", 0.2)
    script = max(counts, key=counts.__getitem__)
    if script == "arab":
        if _URDU_LETTERS.search(notice):
            return Guess("ur", 0.8)
        return Guess("fa" if _PERSIAN_LETTERS.search(notice) else "ar", 0.85)
    if script == "latin":
        return _latin_language(notice)
    return Guess(script, 0.9)


def _script(char: str) -> str | None:
    code = ord(char)
    ranges = (
        (0x0041, 0x024F, "latin"), (0x0400, 0x04FF, "ru"), (0x0600, 0x06FF, "arab"),
        (0x0900, 0x097F, "hi"), (0x0980, 0x09FF, "bn"), (0x0E00, 0x0E7F, "th"),
        (0x3040, 0x30FF, "ja"), (0x4E00, 0x9FFF, "zh"), (0xAC00, 0xD7AF, "ko"),
        (0x0590, 0x05FF, "he"), (0x0370, 0x03FF, "el"),
    )  # fmt: skip
    if not char.isalpha():
        return None
    for low, high, name in ranges:
        if low <= code <= high:
            return name
    return None


def _latin_language(notice: str) -> Guess:
    words = re.findall(r"[^\W\d_]+", notice.casefold())
    if re.search(r"[ğşı]", notice.casefold()):
        return Guess("tr", 0.85)
    scores = {
        lang: sum(w in vocab for w in words) for lang, vocab in _LATIN_WORDS.items()
    }
    lang = max(scores, key=scores.__getitem__)
    if scores[lang] == 0:
        return Guess("en", 0.4)
    return Guess(lang, 0.8 if scores[lang] >= 2 else 0.6)
