"""Blocking verbs in a text, each classified as factual, weak, hypothetical or
negated by its form and by the cue words before it in the same clause."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from events.ingest.extract import cues, verbs
from events.ingest.extract.alternation import finditer_at
from events.ingest.extract.prefilter import verb_starts
from events.ingest.extract.text import Sentence, Tokens, fold, sentence_index

FACTUAL, WEAK_ONLY, HYPOTHETICAL, NEGATED = "factual", "weak", "hypothetical", "negated"
WINDOW = 15  # tokens looked at before a verb, back to the clause start
_CLAUSE_MARKS = re.compile(r"[,;:()\[\]—–،؛，、；：]")
_HYP = frozenset(fold(word) for word in cues.HYPOTHETICAL)
_NEG = frozenset(fold(word) for word in cues.NEGATION)
_FACT = frozenset(fold(word) for word in cues.FACTUAL)
_BREAKS = frozenset(fold(word) for word in cues.CLAUSE_BREAKS)
_ORDERS = frozenset(fold(word) for word in cues.ORDERS)
_QUESTION = ("mı", "mi", "mu", "mü")
_FACT_AFTER = frozenset(fold(word) for word in cues.FACTUAL_AFTER)


@dataclass(frozen=True)
class ActionHit:
    action: str
    start: int
    end: int
    status: str  # FACTUAL, WEAK_ONLY, HYPOTHETICAL or NEGATED
    score: float  # how surely it says the action happened, 0 to 1
    sentence: int


def find_actions(text: str, tokens: Tokens, spans: list[Sentence]) -> list[ActionHit]:
    hits = []
    for start, end, pattern in _matches(text):
        sentence = sentence_index(spans, start)
        span = spans[sentence] if spans else Sentence(0, len(text))
        if pattern.needs_context and not _has_context(text, span, start, end):
            continue
        window = _window(text, tokens, start, span)
        status, score = _classify(text, pattern, window, start, end, span)
        hits.append(ActionHit(pattern.action, start, end, status, score, sentence))
    return hits


def _matches(text: str):
    """Non-overlapping verb matches: the longest wins, then the surest form."""
    found = []
    starts = verb_starts(text)
    if not starts:
        return []
    for order, pattern in enumerate(verbs.VERB_PATTERNS):
        for match in finditer_at(pattern.regex, text, starts):
            rank = (-(match.end() - match.start()), _form_rank(pattern.strength), order)
            found.append((rank, match.start(), match.end(), pattern))
    found.sort(key=lambda item: item[0])
    taken: list[tuple[int, int]] = []
    chosen = []
    for _, start, end, pattern in found:
        if all(end <= a or start >= b for a, b in taken):
            taken.append((start, end))
            chosen.append((start, end, pattern))
    return sorted(chosen, key=lambda item: item[0])


def _form_rank(strength: float) -> int:
    if strength == verbs.FUTURE:
        return 0
    return 1 if strength == verbs.STRONG else 2


def _has_context(text: str, span: Sentence, start: int, end: int) -> bool:
    sentence = text[span.start : start] + " " + text[end : span.end]
    return bool(cues.BAN_CONTEXT.search(sentence))


def _window(text: str, tokens: Tokens, start: int, span: Sentence):
    """The tokens of the same clause before the verb, nearest first: back to a
    comma, a colon, a bracket or a word such as "and", "after", "which"."""
    position = bisect.bisect_left(tokens.starts, start)
    window, following = [], start
    for token in reversed(tokens[max(0, position - WINDOW) : position]):
        gap = text[token.end : following]
        if token.start < span.start or token.key in _BREAKS:
            break
        if _CLAUSE_MARKS.search(gap):
            break
        window.append(token)
        following = token.start
    return window


def _classify(text, pattern, window, start, end, span) -> tuple[str, float]:
    keys = _without_pluperfect([token.key for token in window])
    if pattern.strength == verbs.FUTURE:
        # "ordered that it be blocked" (دستور داد ... مسدود شود) was done.
        ordered = any(key in _ORDERS for key in keys)
        return (FACTUAL, 0.8) if ordered else (HYPOTHETICAL, 0.0)
    before = text[max(span.start, start - 8) : start]
    if _any_cue(keys, before, _NEG, cues.NEGATION_RU, cues.NEGATION_ZH):
        return NEGATED, 0.0
    if _any_cue(keys, before, _HYP, cues.HYPOTHETICAL_RU, cues.HYPOTHETICAL_ZH):
        return HYPOTHETICAL, 0.0
    if _is_question(text, end):
        return HYPOTHETICAL, 0.0
    if keys[:1] == ["to"] and pattern.strength != verbs.STRONG:
        factual = any(key in _ORDERS for key in keys[1:])
        return (FACTUAL, 0.85) if factual else (HYPOTHETICAL, 0.0)
    if pattern.strength == verbs.STRONG:
        return FACTUAL, 1.0
    if _any_cue(keys, before, _FACT, cues.FACTUAL_RU, cues.FACTUAL_ZH):
        return FACTUAL, 0.85
    if _fact_follows(text, end, span):
        return FACTUAL, 0.8
    return WEAK_ONLY, 0.45


def _without_pluperfect(keys: list[str]) -> list[str]:
    """Arabic قد after كان is "had", not "may": drop it from the cues."""
    if "قد" in keys:
        position = keys.index("قد")
        if any(
            key.lstrip("وف") in ("كان", "كانت", "كانوا") for key in keys[position + 1 :]
        ):
            return keys[:position] + keys[position + 1 :]
    return keys


def _any_cue(keys, before: str, words, stems, cjk) -> bool:
    # Arabic joins "and"/"so" (و, ف) to the next word: وكان is و + كان.
    if any(key in words or (key[:1] in "وف" and key[1:] in words) for key in keys):
        return True
    if any(key.startswith(stem) for key in keys for stem in stems if len(key) > 1):
        return True
    return any(word in before for word in cjk)


def _fact_follows(text: str, end: int, span: Sentence) -> bool:
    """A noun stated as fact by what follows: "the block began", "the ban
    took effect", "блокировка началась"."""
    following = [fold(word) for word in text[end : min(span.end, end + 40)].split()[:3]]
    return any(word.strip(".,;:") in _FACT_AFTER for word in following)


def _is_question(text: str, end: int) -> bool:
    following = text[end : end + 4].split()
    return bool(following) and following[0].strip("?") in _QUESTION
