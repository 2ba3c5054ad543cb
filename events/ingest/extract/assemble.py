"""Putting the choices together into a Candidate, with the is_event decision,
its confidence and a reason in plain words."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from events.choices import Action, TargetType
from events.ingest.extract import cues
from events.ingest.extract.actions import FACTUAL, HYPOTHETICAL, NEGATED, ActionHit
from events.ingest.extract.choose import (
    Layout,
    choose_authority,
    choose_country,
    choose_date,
    choose_platform,
)
from events.ingest.extract.dates import find_dates
from events.ingest.extract.mentions import PLATFORM, Mention
from events.ingest.extract.notice import find_notice, notice_language
from events.ingest.extract.targets import Target, kind_from_words, named_target
from events.ingest.types import Candidate, GazetteerEntry, Guess, Hints

# App stores: removing an app "from" one makes the store the platform.
STORES = frozenset({"Apple App Store", "Google Play"})
_URL = re.compile(r"https?://[^\s<>\"'”»)]+")
NO_VERB = "no blocking verb"
HOW_TO = "a how-to or guide, not a report of a block"
OPINION = "an opinion piece or editorial"


@dataclass
class Found:
    layout: Layout
    body: str
    mentions: list[Mention]
    actions: list[ActionHit]
    hit: ActionHit | None
    domains: list[tuple[str, GazetteerEntry | None, int]]
    published: dt.date | None
    hints: Hints


def candidate_from(found: Found) -> Candidate:
    platform = _platform(found)
    refusal = _refusal(found, platform)
    if refusal:
        return _not_event(found, refusal, platform)
    country = choose_country(found.mentions, found.hit, found.layout)
    authority = choose_authority(
        found.mentions,
        found.actions,
        found.hit,
        found.layout,
        country.value if country else "",
    )
    if country is None and authority is not None and authority[0].country:
        country = Guess(authority[0].country, 0.7)
    elif country is None and found.hints.country:
        country = Guess(found.hints.country, 0.5)
    target = _target(found, platform)
    candidate = Candidate(
        is_event=True,
        confidence=0.0,
        platform=Guess(platform[0], platform[1]),
        target=Guess(target.name, target.confidence),
        target_type=Guess(str(target.kind), target.confidence),
        target_url=Guess(target.url, 0.6) if target.url else None,
        authority=Guess(authority[0].name, authority[1]) if authority else None,
        country=country,
        action=Guess(str(found.hit.action), min(0.95, 0.55 + 0.4 * found.hit.score)),
        date=_date(found),
        summary=_summary(found),
    )
    _add_notice(candidate, found.layout.text)
    candidate.confidence = _event_confidence(found, candidate)
    candidate.reason = _reason(found, candidate)
    return candidate


def _date(found: Found) -> Guess | None:
    """The event's date. Dates are looked for only now, in an event."""
    dates = find_dates(found.layout.text, found.published)
    return choose_date(dates, found.actions, found.hit, found.layout, found.published)


def _platform(found: Found) -> tuple[str, float] | None:
    chosen = choose_platform(found.mentions, found.hit, found.layout)
    if found.hit is not None and found.hit.action == Action.REMOVED:
        store = _store(found)
        if store is not None:
            return store, 0.75
    if chosen is not None:
        return chosen[0].name, chosen[1]
    site = _website(found)
    if site is not None:
        return site, 0.45
    if found.hints.platform:
        return found.hints.platform, 0.4
    return None


def _store(found: Found) -> str | None:
    sentence = found.hit.sentence
    for mention in found.mentions:
        in_sentence = found.layout.sentence(mention.start) == sentence
        if mention.kind == PLATFORM and mention.value.name in STORES and in_sentence:
            return mention.value.name
    return None


def _website(found: Found) -> str | None:
    """An unknown site's host named in the title or where a block is stated,
    the main verb's sentence first."""
    if found.hit is None:
        return None
    acting = {a.sentence for a in found.actions if a.status == FACTUAL}
    hosts = [
        (found.layout.sentence(offset) != found.hit.sentence, offset, host)
        for host, platform, offset in found.domains
        if platform is None
        and (found.layout.in_title(offset) or found.layout.sentence(offset) in acting)
    ]
    return min(hosts)[2] if hosts else None


def _refusal(found: Found, platform) -> str:
    """Why the item is not an event, or "" when it is one."""
    refusal = title_refusal(found.layout.text[: found.layout.title_end])
    if refusal:
        return refusal
    if found.hit is None:
        return _why_no_verb(found.actions)
    if platform is None:
        return "a blocking verb but no platform or site named"
    return ""


def title_refusal(title: str) -> str:
    """Why the title alone shows the item is not an event, or ""."""
    if cues.HOW_TO.search(title):
        return HOW_TO
    if cues.OPINION.search(title):
        return OPINION
    return ""


def _why_no_verb(actions: list[ActionHit]) -> str:
    statuses = {hit.status for hit in actions}
    if HYPOTHETICAL in statuses:
        return "blocking only proposed, threatened or expected, not done"
    if NEGATED in statuses:
        return "blocking denied or negated"
    if statuses:
        return "blocking mentioned only in passing (no verb stating it happened)"
    return NO_VERB


def _not_event(found: Found, reason: str, platform) -> Candidate:
    confidence = {NO_VERB: 0.9, HOW_TO: 0.85, OPINION: 0.8}.get(reason, 0.7)
    return Candidate(
        is_event=False,
        confidence=confidence,
        platform=Guess(platform[0], platform[1]) if platform else None,
        summary=_summary(found),
        reason=reason,
    )


def _target(found: Found, platform: tuple[str, float]) -> Target:
    name = platform[0]
    if name in STORES:
        other = _other_platform(found, name)
        if other:
            return Target(f"{other} app", TargetType.APP, 0.7)
    if "." in name and " " not in name:
        return Target(name, TargetType.WEBSITE, 0.6, _url_for(found, name))
    known = _known_names(found)
    text, layout = found.layout.text, found.layout
    hit_span = layout.spans[found.hit.sentence]
    for span in (hit_span, *layout.spans):
        named = named_target(text[span.start : span.end], known)
        if named is not None:
            return named
    kind = kind_from_words(text[hit_span.start : hit_span.end])
    if kind == TargetType.APP:
        return Target(f"{name} app", TargetType.APP, 0.55, _url_for(found, name))
    return Target(name, TargetType.WHOLE_PLATFORM, 0.6, _url_for(found, name))


def _other_platform(found: Found, store: str) -> str:
    for mention in found.mentions:
        if (
            mention.kind == PLATFORM
            and mention.value.name not in STORES | {store}
            and found.layout.sentence(mention.start) == found.hit.sentence
        ):
            return mention.value.name
    return ""


def _known_names(found: Found) -> set[str]:
    text = found.layout.text
    return {text[m.start : m.end].casefold() for m in found.mentions}


def _url_for(found: Found, name: str) -> str:
    """A URL of the target given in the text: a full URL, else its bare host."""
    hosts = [
        host
        for host, entry, _ in found.domains
        if host == name or (entry is not None and entry.name == name)
    ]
    for url in _URL.findall(found.layout.text):
        if any(host in url for host in hosts):
            return url.rstrip(".,;")
    return f"https://{hosts[0]}/" if hosts else ""


def _add_notice(candidate: Candidate, text: str) -> None:
    notice = find_notice(text)
    if notice is not None:
        candidate.notice_text = Guess(notice.text, notice.confidence)
        candidate.notice_language = notice_language(notice.text)


def _summary(found: Found) -> Guess | None:
    """The first sentence or two of the body (of the title when no body)."""
    start = found.layout.title_end if found.body else 0
    spans = [s for s in found.layout.spans if s.start >= start]
    if not spans:
        return None
    end = spans[min(1, len(spans) - 1)].end
    if end - spans[0].start > 400:
        end = spans[0].end
    summary = " ".join(found.layout.text[spans[0].start : end].split())
    return Guess(summary[:600], 0.6) if summary else None


def _event_confidence(found: Found, candidate: Candidate) -> float:
    confidence = 0.45 + 0.25 * found.hit.score + 0.1 * candidate.platform.confidence
    confidence += 0.05 if candidate.country else -0.05
    if candidate.authority:
        confidence += 0.05
    elif _generic_authority(found):
        # "a court", "the regulator": someone acted, but who is unknown here.
        confidence -= 0.05
    confidence += 0.05 if found.layout.in_title(found.hit.start) else 0.0
    return round(min(confidence, 0.97), 2)


def _reason(found: Found, candidate: Candidate) -> str:
    parts = [f"platform {candidate.platform.value}", f"action {candidate.action.value}"]
    if candidate.country:
        parts.append(f"country {candidate.country.value}")
    if candidate.authority:
        parts.append(f"authority {candidate.authority.value}")
    elif _generic_authority(found):
        parts.append("authority named only generically, not in the gazetteer")
    return " + ".join(parts)


def _generic_authority(found: Found) -> bool:
    span = found.layout.spans[found.hit.sentence]
    return bool(cues.GENERIC_AUTHORITY.search(found.layout.text[span.start : span.end]))
