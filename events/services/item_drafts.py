"""A draft made by hand from any feed item: a curator's one click on the
feed-items list, for an item the pipeline called not an event, failed on,
or has not reached yet."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from events.choices import ItemOutcome, Status
from events.exceptions import EventInvalid
from events.ingest.extract import extract
from events.ingest.gazetteer import cached_gazetteer_snapshot
from events.ingest.types import Candidate, Hints, candidate_from_json
from events.models import Event, FeedItem
from events.services.drafts import build_draft, draft_save, incomplete_detail
from events.services.gazetteer import Gazetteer
from events.services.status import User, status_check


@dataclass(frozen=True)
class ItemDraft:
    """The event the item now belongs to; `created` is False when it
    belonged to one already (a draft or a known event it is a source of)."""

    event: Event
    created: bool


def _candidate(item: FeedItem) -> Candidate:
    """What the pipeline found in the item: the candidate a structured format
    gave, else the extractor's, whether or not it calls the item an event."""
    if item.candidate:
        try:
            return candidate_from_json(item.candidate)
        except (ValueError, KeyError, TypeError):
            pass  # unreadable (the item failed for it): read the text instead
    feed = item.feed
    return extract(
        title=item.title,
        text=item.text,
        published_at=item.published_at,
        gazetteer=cached_gazetteer_snapshot(),
        hints=Hints(
            platform=feed.default_platform.name if feed.default_platform else "",
            country=str(feed.default_country or ""),
        ),
    )


def feed_item_draft(*, item: FeedItem, user: User) -> ItemDraft:
    """Make a draft of `item` from whatever the extractor found in it, with
    the item as its source, and link the item to it (outcome draft created;
    the detail keeps what the pipeline had said). A draft lacking a country
    is an incomplete draft. Idempotent: an item that already belongs to an
    event gives that event, `created` False.

    NotPermitted when `user` may not create events; EventInvalid when no
    platform is found in the item and its feed names none."""
    status_check(user=user, previous="", current=Status.DRAFT)
    candidate = _candidate(item)
    with transaction.atomic():
        locked = (
            FeedItem.objects.select_for_update(of=("self",))
            .select_related("feed", "feed__default_platform")
            .get(pk=item.pk)
        )
        if locked.event_id is not None:
            return ItemDraft(Event.objects.get(pk=locked.event_id), created=False)
        try:
            event = build_draft(
                candidate=candidate,
                item=locked,
                feed=locked.feed,
                gazetteer=Gazetteer(),
            )
        except ValidationError as exc:
            raise EventInvalid(_refusal(exc)) from exc
        event.extraction["by_hand"] = True
        draft_save(
            event=event, item=locked, feed=locked.feed, user=user, note=", by hand"
        )
        before = locked.get_outcome_display()
        if locked.outcome_detail:
            before = f"{before}: {locked.outcome_detail}"
        parts = (incomplete_detail(event), f"made by hand (was {before})")
        locked.outcome_detail = "; ".join(part for part in parts if part)
        locked.outcome = ItemOutcome.DRAFT_CREATED
        locked.event = event
        locked.processed_at = timezone.now()
        locked.save(
            update_fields=["outcome", "outcome_detail", "event", "processed_at"]
        )
    return ItemDraft(event, created=True)


def _refusal(exc: ValidationError) -> str:
    if "platform" in exc.message_dict:
        return (
            "no platform was found in the item and its feed has no default "
            "platform: set the feed's default platform, or add the event by hand"
        )
    return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
