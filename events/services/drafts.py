"""Turning a feed item's candidate into a draft, or into a source of a known event.

Deduplication: an item whose link is already a source of an event belongs to that
event; an item about the same platform, the same target (after normalisation) and
the same action within FEED_DEDUP_WINDOW_DAYS of a recorded event becomes one more
source of it. Only otherwise is a draft created.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from events.choices import Action, DatePrecision, ItemOutcome, Status, TargetType
from events.ingest.types import Candidate, Guess
from events.models import (
    Event,
    Feed,
    FeedItem,
    Source,
    history_reason,
    normalise_alias,
)
from events.services.derive import event_derive
from events.services.gazetteer import Gazetteer
from events.services.record_hooks import events_written
from events.services.status import StatusMove, User, statuses_record

LOW = 0.3  # confidence of a value that was filled in by default, not found


@dataclass
class Outcome:
    outcome: str  # an ItemOutcome value
    detail: str = ""
    event: Event | None = None


def _value(guess: Guess | None, default: object = "") -> object:
    return default if guess is None else guess.value


def _lock(key: str) -> None:
    """Serialise drafts about the same platform, target and action. SQLite
    already serialises writers (IMMEDIATE transactions); PostgreSQL needs a
    transaction-level advisory lock."""
    if connection.vendor == "postgresql":
        number = int.from_bytes(
            hashlib.sha256(key.encode()).digest()[:8], "big", signed=True
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def _event_date(candidate: Candidate, item: FeedItem) -> tuple[dt.date, str, float]:
    if candidate.date is not None:
        date, precision = candidate.date.value
        return date, precision, candidate.date.confidence
    when = item.published_at or item.created_at or timezone.now()
    # No date in the report and none from the feed: the month it was seen in,
    # never a day the source did not give.
    precision = DatePrecision.DAY if item.published_at else DatePrecision.MONTH
    day = when.date() if item.published_at else when.date().replace(day=1)
    return day, precision, LOW


def _build_event(
    candidate: Candidate, item: FeedItem, feed: Feed, gaz: Gazetteer
) -> Event:
    platform_name = str(_value(candidate.platform, ""))
    if not platform_name and feed.default_platform_id:
        platform_name = feed.default_platform.name
    if not platform_name:
        raise ValidationError({"platform": "no platform was found in the item"})
    # No country found: an incomplete draft (Event.missing_fields), which a
    # curator completes before it can be submitted.
    country = str(_value(candidate.country, "") or feed.default_country or "")
    platform = gaz.platform(platform_name)
    date, precision, date_confidence = _event_date(candidate, item)
    ended = (
        candidate.ended_on.value if candidate.ended_on else (None, DatePrecision.DAY)
    )
    event = Event(
        platform=platform,
        target=str(_value(candidate.target, "") or platform.name)[:500],
        target_type=str(_value(candidate.target_type, TargetType.WHOLE_PLATFORM)),
        target_url=str(_value(candidate.target_url, ""))[:2000],
        authority=gaz.authority(
            str(_value(candidate.authority, "")), country, create=False
        ),
        country=country,
        action=str(_value(candidate.action, Action.BLOCKED)),
        date=date,
        date_precision=precision,
        ended_on=ended[0],
        ended_on_precision=ended[1],
        notice_text=str(_value(candidate.notice_text, "")),
        notice_language=str(_value(candidate.notice_language, "")),
        summary=str(_value(candidate.summary, "") or item.title),
        status=Status.DRAFT,
    )
    event.extraction = _confidences(candidate, date_confidence, item, feed)
    if missing := event.missing_fields:
        event.extraction["missing"] = missing
    event.full_clean(validate_unique=False, validate_constraints=False)
    return event


def build_draft(
    *, candidate: Candidate, item: FeedItem, feed: Feed, gazetteer: Gazetteer
) -> Event:
    """An unsaved draft of the candidate's fields (ValidationError when no
    platform was found and the feed names none); its extraction lists the
    fields it still lacks under "missing"."""
    return _build_event(candidate, item, feed, gazetteer)


def _confidences(
    candidate: Candidate, date_confidence: float, item: FeedItem, feed: Feed
) -> dict:
    fields = {
        name: round(getattr(candidate, name).confidence, 2)
        for name in (
            "platform",
            "target",
            "target_type",
            "authority",
            "country",
            "action",
        )
        + ("notice_text", "notice_language")
        if getattr(candidate, name) is not None
    }
    fields["date"] = round(date_confidence, 2)
    return {
        "is_event": round(candidate.confidence, 2),
        "fields": fields,
        "reason": candidate.reason,
        "authority_text": str(_value(candidate.authority, "")),
        "feed": feed.name,
        "feed_item": item.pk,
    }


def _find_duplicate(event: Event) -> Event | None:
    window = dt.timedelta(days=settings.FEED_DEDUP_WINDOW_DAYS)
    target = normalise_alias(event.target)
    nearby = Event.objects.filter(
        platform=event.platform,
        action=event.action,
        country=event.country,
        date__range=(event.date - window, event.date + window),
    ).order_by("created_at")
    return next((e for e in nearby if normalise_alias(e.target) == target), None)


def _add_source(event: Event, item: FeedItem, feed: Feed) -> None:
    if not item.link:
        return
    _, created = Source.objects.get_or_create(
        event=event,
        url=item.link[:2000],
        defaults={
            "title": item.title[:500],
            "publisher": feed.name[:200],
            "published_at": item.published_at,
        },
    )
    if created:
        # The event as readers see it changed: API clients syncing by
        # updated_at must get it again.
        Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())
        events_written(event_ids=[event.pk])


def item_to_event(
    *, item: FeedItem, candidate: Candidate, feed: Feed, gazetteer: Gazetteer
) -> Outcome:
    """Attach the item to a known event or create a draft; call inside a
    transaction that has locked the item."""
    if not candidate.is_event:
        return Outcome(ItemOutcome.NOT_EVENT, candidate.reason or "not an event")
    if item.link:
        known = Source.objects.filter(url=item.link).select_related("event").first()
        if known is not None:
            return Outcome(
                ItemOutcome.ATTACHED, "same story as a known source", known.event
            )
    try:
        event = _build_event(candidate, item, feed, gazetteer)
    except ValidationError as exc:
        return Outcome(ItemOutcome.FAILED, f"cannot make a valid event: {_say(exc)}")
    _lock(f"{event.platform_id}|{normalise_alias(event.target)}|{event.action}")
    # Without a country, "the same event" cannot be told from a block of the
    # same target elsewhere: an incomplete draft is never merged by fields.
    duplicate = None if event.missing_fields else _find_duplicate(event)
    if duplicate is not None:
        _add_source(duplicate, item, feed)
        return Outcome(
            ItemOutcome.ATTACHED, "same platform, target and action", duplicate
        )
    draft_save(event=event, item=item, feed=feed, user=None, note="")
    return Outcome(ItemOutcome.DRAFT_CREATED, incomplete_detail(event), event)


def _say(exc: ValidationError) -> str:
    return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())


def incomplete_detail(event: Event) -> str:
    """What an item's outcome says of an incomplete draft, else ""."""
    if not event.missing_fields:
        return ""
    missing = ", ".join(event.missing_fields)
    return f"incomplete draft: no {missing} found in the item; a curator must set it"


def draft_save(
    *, event: Event, item: FeedItem, feed: Feed, user: User | None, note: str
) -> None:
    """Save a new draft built from `item`, with the item's link as its
    source, and record its creation (by `user`, None for ingestion) through
    the one status recorder. Call inside a transaction."""
    # simple-history's reason column holds 100 characters; feed names 200.
    event._change_reason = history_reason(  # type: ignore[attr-defined]
        f"draft from feed {feed.name}"
    )
    if user is not None:
        event._history_user = user  # type: ignore[attr-defined]
    event_derive(event)
    event.save()
    _add_source(event, item, feed)
    statuses_record(
        moves=[StatusMove(event, "", Status.DRAFT)],
        user=user,
        note=f"from feed {feed.name}{note}",
    )
    events_written(event_ids=[event.pk])
