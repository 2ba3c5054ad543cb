"""Feeds: dispatching due fetches, fetching and storing items, processing them.

Every item is stored once (unique on feed + guid) in the same transaction that
records the fetch state. Its outcome is recorded only while it is pending: by a
conditional UPDATE when it is not an event, else in a transaction of its own
that locks it while its draft is made; a fetch or a processing run repeated
after a crash therefore changes nothing that was already done.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from events.choices import FetchOutcome, ItemOutcome
from events.ingest.extract import extract, no_verb_reason
from events.ingest.fetch import Fetched, FetchError, fetch
from events.ingest.gazetteer import cached_gazetteer_snapshot
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

_BATCH = 200  # items read and screened at once: bounds the texts held


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


def feeds_mark_due(*, feed_ids: list[int], now: dt.datetime | None = None) -> int:
    """Make the feeds due now, so that the next dispatch claims them again:
    for a fetch that could not be enqueued (the broker was unreachable)."""
    return Feed.objects.filter(pk__in=feed_ids).update(
        next_due_at=now or timezone.now()
    )


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
    if not result.items:
        log.outcome = FetchOutcome.EMPTY
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
    if log.outcome == FetchOutcome.EMPTY:
        feed.consecutive_empty += 1
    elif log.outcome == FetchOutcome.OK:
        feed.consecutive_empty = 0  # a 304 says nothing new either way
    feed.last_status = log.outcome
    feed.last_error = ""
    feed.last_fetched_at = now
    feed.etag = fetched.etag[:500] or feed.etag
    feed.last_modified = fetched.last_modified[:100] or feed.last_modified
    feed.next_due_at = now + dt.timedelta(minutes=max(1, feed.fetch_interval))
    # Only the fetch state: an edit of the feed made meanwhile is kept.
    feed.save(
        update_fields=[
            "consecutive_failures",
            "consecutive_empty",
            "last_status",
            "last_error",
            "last_fetched_at",
            "etag",
            "last_modified",
            "next_due_at",
        ]
    )
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


def feed_items_process(*, feed_id: int, limit: int | None = None) -> dict[str, int]:
    """Process the feed's pending items; returns how many ended in each outcome.

    A batch at a time: candidates are made outside any transaction (see
    _screen), the items that are not events (or whose candidate cannot be
    made) are recorded by conditional UPDATEs (see _record_settled), and each
    event candidate is stored in a transaction of its own that locks its item.
    """
    feed = Feed.objects.select_related("default_platform").get(pk=feed_id)
    hints = Hints(
        platform=feed.default_platform.name if feed.default_platform else "",
        country=str(feed.default_country or ""),
    )
    counts: dict[str, int] = {}
    gazetteer = Gazetteer()
    for rows in _pending_batches(feed, limit):
        settled, events = _screen(rows, hints)
        _record_settled(settled, counts)
        for item_id, candidate in events:
            outcome = feed_item_process(
                item_id=item_id, feed=feed, candidate=candidate, gazetteer=gazetteer
            )
            if outcome is not None:
                counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
    return counts


def _pending_batches(feed: Feed, limit: int | None) -> Iterator[list[tuple]]:
    """The feed's pending items, at most `limit`, in batches of (id, title,
    text, published_at, candidate) rows in id order, one query each."""
    pending = FeedItem.objects.filter(feed=feed, outcome=ItemOutcome.PENDING)
    columns = ("id", "title", "text", "published_at", "candidate")
    last, left = 0, limit
    while left is None or left > 0:
        size = _BATCH if left is None else min(_BATCH, left)
        batch = list(
            pending.filter(id__gt=last).order_by("id").values_list(*columns)[:size]
        )
        if batch:
            yield batch
        if len(batch) < size:
            return
        last = batch[-1][0]
        left = None if left is None else left - len(batch)


def _screen(
    rows: list[tuple], hints: Hints
) -> tuple[dict[tuple[str, str], list[int]], list[tuple[int, Candidate]]]:
    """Of the items in `rows`, those that are not events (or whose candidate
    cannot be made), as ids by (outcome, detail), and the event candidates by
    id."""
    snapshot = functools.cache(cached_gazetteer_snapshot)  # taken once, if at all
    settled: dict[tuple[str, str], list[int]] = {}
    events = []
    for item_id, *row in rows:
        found = _candidate_or_outcome(*row, hints=hints, snapshot=snapshot)
        if isinstance(found, Candidate):
            events.append((item_id, found))
        else:
            settled.setdefault(found, []).append(item_id)
    return settled, events


def _candidate_or_outcome(
    title: str,
    text: str,
    published_at: dt.datetime | None,
    stored: dict | None,
    *,
    hints: Hints,
    snapshot: Callable[[], GazetteerSnapshot],
) -> Candidate | tuple[str, str]:
    """An item's event candidate, else the (outcome, detail) to record. A news
    item in which no blocking verb occurs is settled by the cheap screen
    alone; the others are extracted against the process's cached gazetteer
    snapshot (events.ingest.gazetteer)."""
    try:
        if stored:
            candidate = candidate_from_json(stored)
        elif reason := no_verb_reason(title=title, text=text):
            return ItemOutcome.NOT_EVENT, reason
        else:
            candidate = extract(
                title=title,
                text=text,
                published_at=published_at,
                gazetteer=snapshot(),
                hints=hints,
            )
    except (ValueError, KeyError, TypeError) as exc:
        return ItemOutcome.FAILED, f"{exc.__class__.__name__}: {exc}"
    if not candidate.is_event:
        return ItemOutcome.NOT_EVENT, candidate.reason or "not an event"
    return candidate


def _record_settled(
    settled: dict[tuple[str, str], list[int]], counts: dict[str, int]
) -> None:
    """Record the outcomes by one conditional UPDATE per outcome (the detail
    chosen by id), which leaves alone an item processed meanwhile, so a
    replay changes nothing; count what was recorded."""
    now = timezone.now()
    by_outcome: dict[str, list[tuple[str, list[int]]]] = {}
    for (outcome, detail), ids in settled.items():
        by_outcome.setdefault(outcome, []).append((detail, ids))
    for outcome, details in by_outcome.items():
        ids = [item_id for _, group in details for item_id in group]
        detail = Value(details[0][0])
        if len(details) > 1:
            detail = Case(
                *(When(pk__in=group, then=Value(text)) for text, group in details),
                default=Value(""),
            )
        done = FeedItem.objects.filter(pk__in=ids, outcome=ItemOutcome.PENDING).update(
            outcome=outcome, outcome_detail=detail, event=None, processed_at=now
        )
        if done:
            counts[outcome] = counts.get(outcome, 0) + done


def feed_item_process(
    *, item_id: int, feed: Feed, candidate: Candidate, gazetteer: Gazetteer
) -> Outcome | None:
    """Store one item's event candidate if the item is still pending (None if
    it was done already)."""
    with transaction.atomic():
        item = FeedItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None or item.outcome != ItemOutcome.PENDING:
            return None
        try:
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
