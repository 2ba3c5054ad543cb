"""Choosing among the things found: the main blocking verb, the platform, the
country, the authority and the date, each with a confidence."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from events.choices import Action
from events.ingest.extract.actions import FACTUAL, HYPOTHETICAL, ActionHit
from events.ingest.extract.dates import DAY, MONTH, YEAR, DateHit
from events.ingest.extract.mentions import (
    AUTHORITY,
    COUNTRY,
    PLATFORM,
    WHOLE_NETWORK,
    Mention,
)
from events.ingest.extract.text import Sentence, sentence_index
from events.ingest.types import GazetteerEntry, Guess

# A country adjective right before one of these describes the thing, not the
# place ("Chinese apps banned in India").
_DESCRIBES = re.compile(
    r"^[\s-]*(?:[\w-]+\s+)?(?:apps?|applications?|company|companies|firms?|owners?|owned|-owned|"
    r"giants?|tech|startups?|rivals?|messengers?|platforms?|social)\b",
    re.IGNORECASE,
)
_NOT_THE_NETWORK = re.compile(
    r"^(?:-|\s+(?:service|provider|compan|firm|user|monitor|watchdog|observator|"
    r"freedom|censor|regulator|platform|giant|sites?\b|websites?\b))",
    re.IGNORECASE,
)
_SINCE = re.compile(r"(?:\bsince|\bс|منذ|از|từ|自|從|从)\s+(?:\S+\s+){0,3}$", re.I)
_SINCE_START = re.compile(r"(?:since|с|منذ|از|自|從|从)\b", re.IGNORECASE)
_PLACE_BEFORE = re.compile(
    r"(?:\bin|\bacross|\bthroughout|\bwithin|\bв|\bна территории|\bво)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Layout:
    """Where things are: the sentences and where the title ends."""

    text: str
    spans: list[Sentence]
    title_end: int

    def sentence(self, offset: int) -> int:
        return sentence_index(self.spans, offset)

    def in_title(self, offset: int) -> bool:
        return offset < self.title_end


def main_action(actions: list[ActionHit], mentions: list[Mention], layout: Layout):
    """The factual verb the report is about: title first, then verbs whose
    sentence names a platform, then the surest and earliest."""
    platform_sentences = {
        layout.sentence(m.start) for m in mentions if m.kind == PLATFORM
    }
    best, best_rank = None, None
    for hit in actions:
        if hit.status != FACTUAL:
            continue
        rank = (
            layout.in_title(hit.start),
            hit.sentence in platform_sentences,
            hit.score,
            -hit.start,
        )
        if best_rank is None or rank > best_rank:
            best, best_rank = hit, rank
    return best


def choose_platform(
    mentions: list[Mention], hit: ActionHit | None, layout: Layout
) -> tuple[GazetteerEntry, float] | None:
    scores: dict[str, float] = {}
    entries: dict[str, GazetteerEntry] = {}
    for mention in mentions:
        if mention.kind != PLATFORM:
            continue
        name = mention.value.name
        entries[name] = mention.value
        scores[name] = scores.get(name, 0.0) + _weight(mention, hit, layout)
    if not scores:
        return None
    others = {n: s for n, s in scores.items() if n != WHOLE_NETWORK}
    network_near = WHOLE_NETWORK in scores and _network_near(mentions, hit, layout)
    pool = scores if network_near or not others else others
    name = max(pool, key=lambda n: (pool[n], -_first(mentions, n)))
    confident = pool[name] >= 3 and len(pool) == 1 or pool[name] >= 5
    return entries[name], 0.9 if confident else 0.7


def _weight(mention: Mention, hit: ActionHit | None, layout: Layout) -> float:
    weight = 1.0 + (2.0 if layout.in_title(mention.start) else 0.0)
    if hit is not None:
        if layout.sentence(mention.start) == hit.sentence:
            weight += 2.0
        distance = min(abs(mention.start - hit.end), abs(hit.start - mention.end))
        weight += 1.5 * max(0.0, 1.0 - distance / 80)
    return weight


def _first(mentions: list[Mention], name: str) -> int:
    return min(m.start for m in mentions if m.kind == PLATFORM and m.value.name == name)


def _network_near(
    mentions: list[Mention], hit: ActionHit | None, layout: Layout
) -> bool:
    """The internet itself is what was cut, not "internet service providers"."""
    if hit is None:
        return False
    return any(
        m.kind == PLATFORM
        and m.value.name == WHOLE_NETWORK
        and min(abs(m.start - hit.end), abs(hit.start - m.end)) < 30
        and not _NOT_THE_NETWORK.match(layout.text[m.end : m.end + 30])
        for m in mentions
    )


def choose_country(mentions: list[Mention], hit: ActionHit | None, layout: Layout):
    scores: dict[str, float] = {}
    for mention in mentions:
        if mention.kind != COUNTRY:
            continue
        if _DESCRIBES.match(layout.text[mention.end : mention.end + 15]):
            continue
        weight = _weight(mention, hit, layout)
        if _PLACE_BEFORE.search(
            layout.text[max(0, mention.start - 20) : mention.start]
        ):
            weight += 2.0
        scores[mention.value] = scores.get(mention.value, 0.0) + weight
    if not scores:
        return None
    code = max(scores, key=scores.__getitem__)
    ranked = sorted(scores.values(), reverse=True)
    clear = len(ranked) == 1 or ranked[0] >= 2 * ranked[1]
    return Guess(code, 0.9 if clear and ranked[0] >= 3 else 0.7 if clear else 0.55)


def choose_authority(
    mentions: list[Mention],
    actions: list[ActionHit],
    hit: ActionHit | None,
    layout: Layout,
    country: str,
) -> tuple[GazetteerEntry, float] | None:
    """The authority named nearest the blocking: in the title or the sentences
    stating it first, then anywhere; none of another country."""
    acting = {a.sentence for a in actions if a.status == FACTUAL}
    best, best_rank = None, None
    for mention in mentions:
        if mention.kind != AUTHORITY:
            continue
        entry = mention.value
        if country and entry.country and entry.country != country:
            continue
        acts = layout.sentence(mention.start) in acting
        rank = (_weight(mention, hit, layout) + (1.0 if acts else 0.0), -mention.start)
        if best_rank is None or rank > best_rank:
            best, best_rank = entry, rank
    if best is None:
        return None
    return best, 0.85 if best_rank[0] >= 3 else 0.65


def choose_date(
    dates: list[DateHit],
    actions: list[ActionHit],
    hit: ActionHit | None,
    layout: Layout,
    published: dt.date | None,
) -> Guess | None:
    factual = {a.sentence for a in actions if a.status == FACTUAL}
    planned = {a.sentence for a in actions if a.status == HYPOTHETICAL} - factual
    best, best_score = None, 0.0
    restored = hit is not None and hit.action == Action.RESTORED
    for date in dates:
        sentence = layout.sentence(date.start)
        since = _since(layout.text, date.start)
        if sentence in planned or (restored and since):
            continue
        # "blocked since Saturday" dates the start of the block itself.
        score = _date_score(date, sentence, factual, hit, layout) + 0.5 * since
        if score > best_score:
            best, best_score = date, score
    if best is not None and best_score >= 2:
        return Guess((best.value, best.precision), _date_confidence(best))
    if published is not None:
        return Guess((published, DAY), 0.5)
    if best is not None:
        return Guess((best.value, best.precision), 0.4)
    return None


def _since(text: str, start: int) -> bool:
    """A date the state began ("blocked since April")."""
    if _SINCE_START.match(text[start : start + 12]):
        return True
    return bool(_SINCE.search(text[max(0, start - 25) : start]))


def _date_score(date, sentence, factual, hit, layout) -> float:
    score = 3.0 if sentence in factual else 0.5
    if hit is not None and sentence == hit.sentence:
        score += 1.0
    if layout.in_title(date.start):
        score += 0.5
    score -= {DAY: 0.0, MONTH: 0.3, YEAR: 0.8}[date.precision]
    return score - (0.6 if date.relative else 0.0) - date.start * 1e-6


def _date_confidence(date: DateHit) -> float:
    if date.relative:
        return 0.6 if date.precision == DAY else 0.4
    return {DAY: 0.85, MONTH: 0.8, YEAR: 0.65}[date.precision]
