"""Matching notice text to the registry: normalisation, scores, and the
compiled matcher kept per process.

A text matches a notice in one of two ways:

- **Fuzzy**, against the notice's wordings: its canonical text (unless it is a
  raw fingerprint pattern from a blocking list, which nobody reads as a
  sentence) and every variant. Texts are compared in their normalised form
  (`normalise`). Scripts written without spaces between words (Chinese,
  Japanese, Thai…) are compared character by character (rapidfuzz's `ratio`);
  others also by sorted words (`token_sort_ratio`), and, when the text is
  longer than a wording of at least MIN_PARTIAL characters, by the best
  aligned part of it (`partial_ratio`: a notice quoted with a line before or
  after it). `token_set_ratio` is not used: it scores any subset 100, so
  "the account is blocked" would match every longer notice that says so.
- **By rule**, when the notice has a pattern: the normalised pattern occurs in
  the normalised text (score 100). `contains` anywhere, `prefix` at the start
  of a word, `full` as whole words (a fingerprint names a complete value: the
  DNS answer 8.7.198.4 is not in 8.7.198.45). Reporters copy notices with
  other quotes, case and spacing, so rules read the normalised text too.
  Patterns shorter than a few words (MIN_RULE_WEIGHT) are too generic to
  identify a notice in free text ("blokeret", "禁止访问") and are not used.

A notice with a platform only matches events on that platform; a notice
without one (a national blockpage) matches events on any platform. The best
match wins: the highest score, then the closest wording (ties between rules
are broken by the fuzzy ratio), then the oldest notice.

The matcher is compiled once per version of the registry (`registry_version`:
one query over the history tables, which every save and delete of a notice or
a variant writes) and remembers the result of each (platform, text) it met, so
an import of a million rows that repeat a few hundred notices pays for each
text once.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from rapidfuzz import fuzz, process

from events.models import Notice, NoticeVariant
from events.selectors.cached import newest_history

# Han, kana, Thai, Lao, Myanmar, Khmer: scripts written without word spaces.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]"
)
MIN_PARTIAL = {False: 30, True: 10}  # characters of a wording, spaced / unspaced
MIN_RULE_WEIGHT = {"contains": 16, "prefix": 16, "full": 7}
GRAM = 4
MEMO_SIZE = 100_000


def normalise(text: str) -> str:
    """NFKC, case-folded, punctuation (quotes included) and symbols turned into
    spaces, runs of white space collapsed: the fingerprint of a wording."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    spaced = "".join(
        " " if unicodedata.category(char)[0] in "PS" else char for char in folded
    )
    return " ".join(spaced.split())


def is_unspaced(fingerprint: str) -> bool:
    """Whether at least half the letters are of a script without word spaces."""
    letters = fingerprint.replace(" ", "")
    return bool(letters) and 2 * len(_UNSPACED.findall(letters)) >= len(letters)


def _weight(pattern: str) -> int:
    """Letters, an unspaced-script character counting twice (it says more)."""
    letters = pattern.replace(" ", "")
    return len(letters) + len(_UNSPACED.findall(letters))


@dataclass(frozen=True)
class NoticeMatch:
    notice_id: int
    score: float


@dataclass(frozen=True)
class _Rule:
    notice_id: int
    platform_id: int | None
    pattern: str
    pattern_type: str
    unspaced: bool

    def hit(self, spaced: str, compact: str) -> bool:
        if self.unspaced:
            return self.pattern in compact
        if self.pattern_type == "contains":
            return self.pattern in spaced
        if self.pattern_type == "prefix":
            return f" {self.pattern}" in f" {spaced}"
        return f" {self.pattern} " in f" {spaced} "


class _RuleIndex:
    """Rules by their rarest 4-character piece: a text is checked only against
    the rules whose piece it contains, not against every pattern of the lists."""

    def __init__(self, rules: list[_Rule]) -> None:
        frequency: Counter[str] = Counter()
        for rule in rules:
            frequency.update(set(_grams(rule.pattern)))
        self._by_gram: dict[str, list[_Rule]] = {}
        for rule in rules:
            anchor = min(_grams(rule.pattern), key=lambda g: (frequency[g], g))
            self._by_gram.setdefault(anchor, []).append(rule)

    def hits(self, spaced: str, compact: str, platform_id: int | None) -> set[int]:
        grams = set(_grams(spaced)) | set(_grams(compact))
        return {
            rule.notice_id
            for gram in self._by_gram.keys() & grams
            for rule in self._by_gram[gram]
            if rule.platform_id in (None, platform_id) and rule.hit(spaced, compact)
        }


def _grams(text: str) -> list[str]:
    return [text[i : i + GRAM] for i in range(len(text) - GRAM + 1)]


@dataclass(frozen=True)
class _Wordings:
    """The wordings one platform's events are compared with, in both forms."""

    ids: list[int]
    spaced: list[str]
    compact: list[str]


@dataclass(frozen=True)
class NoticeEntry:
    """What the matcher needs of one notice (normalised texts)."""

    id: int
    platform_id: int | None
    canonical: str
    wordings: tuple[str, ...]
    pattern: str = ""
    pattern_type: str = ""


class Matcher:
    """The registry compiled for matching; `match` is pure and remembered."""

    def __init__(self, entries: Iterable[NoticeEntry], *, threshold: float) -> None:
        self.threshold = threshold
        self._entries = {entry.id: entry for entry in entries}
        self._wordings: dict[int | None, _Wordings] = {}
        self._memo: dict[tuple[int | None, str], NoticeMatch | None] = {}
        self._rules = _RuleIndex(
            [
                _Rule(e.id, e.platform_id, p, e.pattern_type, is_unspaced(p))
                for e in self._entries.values()
                if (p := _rule_form(e.pattern))
                and e.pattern_type in MIN_RULE_WEIGHT
                and _weight(p) >= MIN_RULE_WEIGHT[e.pattern_type]
            ]
        )

    def __bool__(self) -> bool:
        return bool(self._entries)

    def match(self, platform_id: int | None, text: str) -> NoticeMatch | None:
        key = (platform_id, text)
        if key not in self._memo:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = self._match(platform_id, normalise(text))
        return self._memo[key]

    def similarity(self, notice_id: int, text: str) -> float | None:
        """How close `text` is to the notice's closest wording (100 when its
        rule matches), whatever the threshold; None if there is nothing to
        compare."""
        entry = self._entries.get(notice_id)
        fingerprint = normalise(text)
        if entry is None or not fingerprint:
            return None
        spaced, compact = fingerprint, fingerprint.replace(" ", "")
        if notice_id in self._rules.hits(spaced, compact, entry.platform_id):
            return 100.0
        wordings = _Wordings(
            [entry.id] * len(entry.wordings),
            list(entry.wordings),
            [wording.replace(" ", "") for wording in entry.wordings],
        )
        best = _fuzzy(wordings, fingerprint, cutoff=0)
        return round(best[1], 1) if best else None

    def _match(self, platform_id: int | None, fingerprint: str) -> NoticeMatch | None:
        if not fingerprint:
            return None
        compact = fingerprint.replace(" ", "")
        fuzzy = _fuzzy(self._for(platform_id), fingerprint, cutoff=self.threshold)
        ranked = [
            (100.0, self._closeness(notice_id, fingerprint), -notice_id)
            for notice_id in self._rules.hits(fingerprint, compact, platform_id)
        ]
        if fuzzy is not None:
            ranked.append((fuzzy[1], fuzzy[1], -fuzzy[0]))
        if not ranked:
            return None
        score, _closeness, negative_id = max(ranked)
        return NoticeMatch(-negative_id, round(score, 1))

    def _closeness(self, notice_id: int, fingerprint: str) -> float:
        entry = self._entries[notice_id]
        return max(
            (fuzz.ratio(fingerprint, w) for w in (entry.canonical, *entry.wordings)),
            default=0.0,
        )

    def _for(self, platform_id: int | None) -> _Wordings:
        if platform_id not in self._wordings:
            chosen = _Wordings([], [], [])
            for entry in self._entries.values():
                if entry.platform_id not in (None, platform_id):
                    continue
                for wording in entry.wordings:
                    chosen.ids.append(entry.id)
                    chosen.spaced.append(wording)
                    chosen.compact.append(wording.replace(" ", ""))
            self._wordings[platform_id] = chosen
        return self._wordings[platform_id]


def _rule_form(pattern: str) -> str:
    fingerprint = normalise(pattern)
    return fingerprint.replace(" ", "") if is_unspaced(fingerprint) else fingerprint


def _fuzzy(
    wordings: _Wordings, fingerprint: str, *, cutoff: float
) -> tuple[int, float] | None:
    """(notice id, score) of the closest wording scoring at least `cutoff`."""
    if not wordings.ids:
        return None
    unspaced = is_unspaced(fingerprint)
    query = fingerprint.replace(" ", "") if unspaced else fingerprint
    choices = wordings.compact if unspaced else wordings.spaced
    scorers = [fuzz.ratio] if unspaced else [fuzz.ratio, fuzz.token_sort_ratio]
    best: tuple[int, float] | None = None
    for scorer in scorers:
        found = process.extractOne(query, choices, scorer=scorer, score_cutoff=cutoff)
        if found and (best is None or found[1] > best[1]):
            best, cutoff = (wordings.ids[found[2]], found[1]), found[1]
    longest = len(query) - 1
    shorter = [
        i
        for i, choice in enumerate(choices)
        if MIN_PARTIAL[unspaced] <= len(choice) <= longest
    ]
    if shorter:
        part = [choices[i] for i in shorter]
        found = process.extractOne(
            query, part, scorer=fuzz.partial_ratio, score_cutoff=cutoff
        )
        if found and (best is None or found[1] > best[1]):
            best = (wordings.ids[shorter[found[2]]], found[1])
    return best


def registry_version() -> tuple[object, ...]:
    """Changes whenever a notice or a variant is saved or deleted: the newest
    history row of each (id and time, so that ids handed out again after a
    rollback or a restore still make a new version) and the number of notices.
    One query of index lookups."""
    quote = connection.ops.quote_name
    notices = quote(Notice._meta.db_table)
    parts = [f"(SELECT COUNT(*) FROM {notices})"]  # noqa: S608
    parts += newest_history(Notice, NoticeVariant)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        return tuple(cursor.fetchone())


def _load(threshold: float) -> Matcher:
    """Compile the registry: two queries."""
    variants: dict[int, list[str]] = {}
    for notice_id, text in NoticeVariant.objects.values_list("notice_id", "text"):
        if fingerprint := normalise(text):
            variants.setdefault(notice_id, []).append(fingerprint)
    entries = []
    rows = Notice.objects.values_list(
        "id", "platform_id", "canonical_text", "pattern", "pattern_type", "location"
    )
    for notice_id, platform_id, canonical, pattern, pattern_type, location in rows:
        canonical = normalise(canonical)
        # A fingerprint's canonical text is its raw pattern, not a sentence.
        own = [] if location or not canonical else [canonical]
        wordings = tuple(dict.fromkeys([*own, *variants.get(notice_id, [])]))
        entries.append(
            NoticeEntry(
                notice_id, platform_id, canonical, wordings, pattern, pattern_type
            )
        )
    return Matcher(entries, threshold=threshold)


_lock = threading.Lock()
_cached: dict[str, object] = {}


def current_matcher() -> Matcher:
    """The matcher of the registry as it is now: compiled again only when the
    registry or the threshold changed since this process last compiled it."""
    threshold = float(settings.NOTICE_MATCH_THRESHOLD)
    key = (registry_version(), threshold)
    with _lock:
        if _cached.get("key") != key:
            # An empty registry (the first count) needs no loading.
            empty = key[0][0] == 0
            _cached["matcher"] = (
                Matcher([], threshold=threshold) if empty else _load(threshold)
            )
            _cached["key"] = key
        matcher = _cached["matcher"]
    assert isinstance(matcher, Matcher)
    return matcher
