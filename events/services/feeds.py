"""Feeds: dispatching due fetches, fetching and storing items, processing them.

Every item is stored once (unique on feed + guid) in the same transaction that
records the fetch state, and processed in a transaction of its own that locks it;
a fetch or a processing run repeated after a crash therefore changes nothing
that was already done.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from events.choices import FetchOutcome, ItemOutcome
from events.ingest.extract import extract
from events.ingest.fetch import Fetched, FetchError, fetch
from events.ingest.gazetteer import gazetteer_snapshot
from events.ingest.parse import parse_document
from events.ingest.types import (
    Candidate,
    GazetteerSnapshot,
    Hints,
    ParseError,
    ParseResult,
    candidate_from_json,
    candidate_to_json,
)
from events.models import Feed, FeedItem, FetchLog, Heartbeat
from events.services.drafts import Outcome, item_to_event
from events.services.gazetteer import Gazetteer


class FeedFetchFailed(Exception):
    """A fetch failed; recorded on the feed and in its log already."""

    def __init__(self, message: str, *, transient: bool, retry_after: float | None):
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


def feeds_claim_due(*, now: dt.datetime | None = None) -> list[int]:
    """Claim the active feeds that are due, moving each one's next_due_at
    forward with a conditional UPDATE, so two dispatchers never both claim a
    feed. Returns the claimed ids; records the beat's heartbeat."""
    now = now or timezone.now()
    Heartbeat.objects.update_or_create(name="beat", defaults={"seen_at": now})
    due = Q(next_due_at__isnull=True) | Q(next_due_at__lte=now)
    claimed = []
    for feed_id, minutes in Feed.objects.filter(due, active=True).values_list(
        "id", "fetch_interval"
    ):
        next_due = now + dt.timedelta(minutes=max(1, minutes))
        if Feed.objects.filter(due, pk=feed_id).update(next_due_at=next_due):
            claimed.append(feed_id)
    return claimed


def _backoff_minutes(feed: Feed) -> int:
    exponent = min(feed.consecutive_failures, 10)
    return min(feed.fetch_interval * 2**exponent, settings.FEED_MAX_BACKOFF_MINUTES)


def _record_failure(feed: Feed, log: FetchLog, message: str, transient: bool) -> None:
    now = timezone.now()
    feed.consecutive_failures += 1
    feed.last_status = FetchOutcome.RETRYING if transient else FetchOutcome.FAILED
    feed.last_error = message
    feed.last_fetched_at = now
    feed.next_due_at = now + dt.timedelta(minutes=_backoff_minutes(feed))
    feed.save(
        update_fields=[
            "consecutive_failures",
            "last_status",
            "last_error",
            "last_fetched_at",
            "next_due_at",
        ]
    )
    log.outcome = feed.last_status
    log.error = message
    log.save()


def _store_items(feed: Feed, result: ParseResult, log: FetchLog) -> None:
    """Insert the items not seen before; duplicates within the document and
    items already stored are counted as seen."""
    unique: dict[str, object] = {}
    for parsed in result.items:
        unique.setdefault(parsed.guid[:1000], parsed)
    known = set(
        FeedItem.objects.filter(feed=feed, guid__in=list(unique)).values_list(
            "guid", flat=True
        )
    )
    new = [
        FeedItem(
            feed=feed,
            guid=guid,
            link=p.link[:2000],
            title=p.title,
            published_at=p.published_at,
            text=p.text,
            raw=p.raw,
            candidate=candidate_to_json(p.candidate) if p.candidate else None,
        )
        for guid, p in unique.items()
        if guid not in known
    ]
    FeedItem.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    log.items_new = len(new)
    log.items_seen = len(result.items) - len(new)
    log.items_failed = len(result.warnings)
    if result.warnings:
        log.error = "; ".join(
            f"item {i}: {m}" if i is not None else m for i, m in result.warnings[:20]
        )


def _record_success(feed: Feed, fetched: Fetched, log: FetchLog) -> None:
    now = timezone.now()
    feed.consecutive_failures = 0
    feed.last_status = log.outcome
    feed.last_error = ""
    feed.last_fetched_at = now
    feed.etag = fetched.etag[:500] or feed.etag
    feed.last_modified = fetched.last_modified[:100] or feed.last_modified
    feed.next_due_at = now + dt.timedelta(minutes=max(1, feed.fetch_interval))
    feed.save()
    log.http_status = fetched.status
    log.save()


def feed_fetch(
    *, feed_id: int, loader: Callable[[Feed], Fetched] | None = None
) -> FetchLog:
    """Fetch one feed, parse it and store its new items, recording the outcome
    on the feed and in a FetchLog row. Raises FeedFetchFailed on failure."""
    feed = Feed.objects.get(pk=feed_id)
    started = time.monotonic()
    log = FetchLog(feed=feed, started_at=timezone.now(), outcome=FetchOutcome.OK)
    try:
        if loader is not None:
            fetched = loader(feed)
        else:
            fetched = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        result = None
        if fetched.status != 304:
            result = parse_document(
                fetched.body,
                declared_format=feed.format,
                content_type=fetched.content_type,
                url=fetched.url,
            )
    except (FetchError, ParseError) as exc:
        transient = isinstance(exc, FetchError) and exc.transient
        log.http_status = getattr(exc, "status", None)
        log.duration_ms = int((time.monotonic() - started) * 1000)
        _record_failure(feed, log, str(exc), transient)
        raise FeedFetchFailed(
            str(exc), transient=transient, retry_after=getattr(exc, "retry_after", None)
        ) from exc
    with transaction.atomic():
        if result is None:
            log.outcome = FetchOutcome.NOT_MODIFIED
        else:
            _store_items(feed, result, log)
        log.duration_ms = int((time.monotonic() - started) * 1000)
        _record_success(feed, fetched, log)
    return log


def _candidate(item: FeedItem, snapshot: GazetteerSnapshot, hints: Hints) -> Candidate:
    if item.candidate:
        return candidate_from_json(item.candidate)
    return extract(
        title=item.title,
        text=item.text,
        published_at=item.published_at,
        gazetteer=snapshot,
        hints=hints,
    )


def feed_items_process(*, feed_id: int, limit: int | None = None) -> dict[str, int]:
    """Process the feed's pending items, each in its own transaction; returns
    how many ended in each outcome."""
    feed = Feed.objects.select_related("default_platform").get(pk=feed_id)
    hints = Hints(
        platform=feed.default_platform.name if feed.default_platform else "",
        country=str(feed.default_country or ""),
    )
    snapshot = gazetteer_snapshot()
    gazetteer = Gazetteer()
    pending = FeedItem.objects.filter(feed=feed, outcome=ItemOutcome.PENDING)
    ids = list(pending.order_by("id").values_list("id", flat=True)[:limit])
    counts: dict[str, int] = {}
    for item_id in ids:
        outcome = feed_item_process(
            item_id=item_id,
            feed=feed,
            snapshot=snapshot,
            hints=hints,
            gazetteer=gazetteer,
        )
        if outcome is not None:
            counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
    return counts


def feed_item_process(
    *,
    item_id: int,
    feed: Feed,
    snapshot: GazetteerSnapshot,
    hints: Hints,
    gazetteer: Gazetteer,
) -> Outcome | None:
    """Process one item if it is still pending (None if it was done already)."""
    with transaction.atomic():
        item = FeedItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None or item.outcome != ItemOutcome.PENDING:
            return None
        try:
            candidate = _candidate(item, snapshot, hints)
            outcome = item_to_event(
                item=item, candidate=candidate, feed=feed, gazetteer=gazetteer
            )
        except (ValueError, KeyError, TypeError) as exc:
            outcome = Outcome(ItemOutcome.FAILED, f"{exc.__class__.__name__}: {exc}")
        item.outcome = outcome.outcome
        item.outcome_detail = outcome.detail
        item.event = outcome.event
        item.processed_at = timezone.now()
        item.save(update_fields=["outcome", "outcome_detail", "event", "processed_at"])
        return outcome
