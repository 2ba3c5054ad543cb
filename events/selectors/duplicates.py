"""Likely duplicates of an event, ranked by similarity, for the curators' desk.

Cheap by construction: SQL keeps only events on the same platform, near in time
(or citing one of the same URLs), not merged or rejected, at most
PREFILTER_LIMIT of them; Python then scores each on the target, shared
sources, dates at their precision, country, action and notice text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from events.choices import Status
from events.dates import period_end
from events.models import Event, EventQuerySet, Source, normalise_alias

WINDOW_DAYS = 60
PREFILTER_LIMIT = 200
MIN_SCORE = 50
# The score is out of 100; a shared source is the strongest single signal
# after the target, since two reports rarely cite the same story by chance.
WEIGHTS = {
    "target": 40,
    "sources": 25,
    "date": 15,
    "country": 8,
    "action": 5,
    "notice": 7,
}
# Words that say what kind of target it is, not which one ("OKEx official
# account" and "OKEx" are the same target; "Huobi official account" is not).
GENERIC_WORDS = frozenset(
    {
        *("official", "account", "accounts", "channel", "channels", "page"),
        *("pages", "app", "apps", "website", "site", "group", "groups"),
        *("profile", "the", "of", "on", "in", "s"),
    }
)
# Enough to include a year-precision event whose year overlaps the window.
_COARSEST_PERIOD = dt.timedelta(days=366)
_EXCLUDED = (Status.MERGED, Status.REJECTED)


@dataclass(frozen=True)
class Duplicate:
    event: Event
    score: int
    reasons: tuple[str, ...]


def source_url_key(url: str) -> str:
    """A URL as compared for "the same story": no scheme, no www., no
    fragment, no trailing slash, host in lower case."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def _target_words(event: Event) -> str:
    text = re.sub(r"[^\w]+", " ", normalise_alias(event.target))
    platform_words = {
        word for name in event.platform.match_keys() for word in name.split()
    }
    words = [w for w in text.split() if w not in GENERIC_WORDS | platform_words]
    return " ".join(words) or text.strip()


def _period(event: Event) -> tuple[dt.date, dt.date]:
    return event.date, period_end(event.date, event.date_precision)


def _gap_days(a: Event, b: Event) -> int:
    """Days between the periods the two dates stand for; 0 if they overlap."""
    (start_a, end_a), (start_b, end_b) = _period(a), _period(b)
    return max(0, (max(start_a, start_b) - min(end_a, end_b)).days)


def _candidates(
    event: Event, own_urls: list[str], statuses: Collection[str] | None
) -> list[Event]:
    """At most PREFILTER_LIMIT events worth scoring: the nearest in time on
    each side, and any citing one of the same URLs whatever its date; only
    in `statuses` when given."""
    start, end = _period(event)
    window = dt.timedelta(days=WINDOW_DAYS)
    base: EventQuerySet = (
        Event.objects.filter(platform_id=event.platform_id)
        .exclude(pk=event.pk)
        .exclude(status__in=_EXCLUDED)
        .select_related("platform", "authority")
    )
    if statuses is not None:
        base = base.filter(status__in=list(statuses))
    near = base.filter(date__range=(start - window - _COARSEST_PERIOD, end + window))
    half = PREFILTER_LIMIT // 2
    found: dict[int, Event] = {}
    for queryset in (
        near.filter(date__lte=start).order_by("-date", "-id")[:half],
        near.filter(date__gt=start).order_by("date", "id")[:half],
        base.filter(sources__url__in=own_urls).distinct().order_by("-id")[:half],
    ):
        found.update((candidate.pk, candidate) for candidate in queryset)
    return list(found.values())


def _url_keys(event_ids: Iterable[int]) -> dict[int, set[str]]:
    keys: dict[int, set[str]] = {}
    rows = Source.objects.filter(event_id__in=list(event_ids)).values_list(
        "event_id", "url"
    )
    for event_id, url in rows:
        keys.setdefault(event_id, set()).add(source_url_key(url))
    return keys


def _score(
    event: Event, other: Event, own: set[str], theirs: set[str]
) -> tuple[int, list[str]]:
    reasons: list[str] = []
    target = _target_similarity(event, other)
    total = WEIGHTS["target"] * target / 100
    if target >= 60:
        reasons.append(f"similar target ({target:.0f}%)")
    if shared := own & theirs:
        total += WEIGHTS["sources"]
        reasons.append(f"{len(shared)} shared source(s)")
    gap = _gap_days(event, other)
    if gap <= WINDOW_DAYS:
        total += WEIGHTS["date"] * (1 - gap / WINDOW_DAYS)
        reasons.append("overlapping dates" if gap == 0 else f"{gap} days apart")
    if event.country == other.country:
        total += WEIGHTS["country"]
        reasons.append("same country")
    if event.action == other.action:
        total += WEIGHTS["action"]
        reasons.append("same action")
    if event.notice_text and other.notice_text:
        notice = fuzz.ratio(event.notice_text.casefold(), other.notice_text.casefold())
        total += WEIGHTS["notice"] * notice / 100
        if notice >= 70:
            reasons.append(f"similar notice ({notice:.0f}%)")
    return round(total), reasons


def _target_similarity(event: Event, other: Event) -> float:
    urls = [e.target_url for e in (event, other) if e.target_url]
    if len(urls) == 2 and len({source_url_key(url) for url in urls}) == 1:
        return 100.0
    return fuzz.token_set_ratio(_target_words(event), _target_words(other))


def event_duplicates(
    event: Event,
    *,
    limit: int = 5,
    min_score: int = MIN_SCORE,
    statuses: Collection[str] | None = None,
) -> list[Duplicate]:
    """The events most likely to be duplicates of `event`, best first, each
    with its score (0-100) and the reasons for it; only events in `statuses`
    when given. A few queries, whatever the size of the record."""
    if event.pk is None or event.status in _EXCLUDED:
        return []
    own_urls = list(event.sources.values_list("url", flat=True))
    candidates = _candidates(event, own_urls, statuses)
    keys = _url_keys(candidate.pk for candidate in candidates)
    own = {source_url_key(url) for url in own_urls}
    ranked = []
    for candidate in candidates:
        score, reasons = _score(event, candidate, own, keys.get(candidate.pk, set()))
        if score >= min_score:
            ranked.append(Duplicate(candidate, score, tuple(reasons)))
    ranked.sort(key=lambda d: (-d.score, -d.event.pk))
    return ranked[:limit]


# What publishing an event would duplicate: what is public, or about to be.
CONFIRM_STATUSES = (Status.PUBLISHED, Status.IN_REVIEW)


def event_likely_duplicates(event: Event, *, above: int) -> list[Duplicate]:
    """The published and in-review events that score more than `above` as
    duplicates of `event`, best first: what publishing it must be confirmed
    against (DUPLICATE_CONFIRM_SCORE)."""
    return event_duplicates(
        event, limit=PREFILTER_LIMIT, min_score=above + 1, statuses=CONFIRM_STATUSES
    )


def events_likely_duplicates(
    events: Iterable[Event], *, above: int
) -> dict[int, list[Duplicate]]:
    """event id → its likely duplicates (event_likely_duplicates), for the
    events that have any; a few queries per event."""
    found = {}
    for event in events:
        if duplicates := event_likely_duplicates(event, above=above):
            found[event.pk] = duplicates
    return found
