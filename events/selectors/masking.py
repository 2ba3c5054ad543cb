"""Public reads of masked events and targets (the rule: events.masking).

Public pages read model instances, the API reads rows (events.selectors.api):
both pass through here, so the rule is applied in one place per shape. The
real names a masked event's texts are cleaned of are read in one query, and
only when a masked event is among those read: an unmasked record costs
nothing more.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import (
    CharField,
    Expression,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable

from events.masking import (
    WITHHELD_SOURCE_FIELDS,
    mask_source,
    masked_fields,
    real_names,
)
from events.models import Event, Target

# Withheld from a masked target as the public sees it.
_TARGET_WITHHELD = {"url": "", "key": ""}
_TEXTS = frozenset({"target", "target_url", "summary", "notice_text"})


def target_names(public_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The real names of the live events with these ids (their `target`, their
    target's name and key), one query."""
    rows = Event.objects.filter(public_id__in=list(public_ids)).values_list(
        "public_id", "target", "target_ref__name", "target_ref__key"
    )
    return {public_id: [*names] for public_id, *names in rows}


def mask_target(target: Target) -> Target:
    """`target` as the public sees it, changed in memory (never saved): a
    masked one is named by its pseudonym and has no URL or key."""
    if target.masked and not getattr(target, "_masked_view", False):
        target.name = target.pseudonym
        for name, value in _TARGET_WITHHELD.items():
            setattr(target, name, value)
        target._masked_view = True  # type: ignore[attr-defined]
    return target


def mask_instances(events: Sequence[Event]) -> Sequence[Event]:
    """The events as the public sees them, changed in memory (never saved):
    fields, prefetched sources and the joined target of the masked ones."""
    masked = [e for e in events if _masked(e) and not hasattr(e, "_masked_view")]
    if not masked:
        return events
    names = target_names(e.public_id for e in masked)
    for event in masked:
        found = real_names([event.target, *names.get(event.public_id, [])])
        shown = masked_fields(
            pseudonym=event.masked_as,
            names=found,
            summary=event.summary,
            notice_text=event.notice_text,
        )
        for name, value in shown.items():
            setattr(event, name, value)
        mask_prefetched_sources(event)
        if Event.target_ref.is_cached(event) and event.target_ref is not None:
            mask_target(event.target_ref)
        event._masked_view = True  # type: ignore[attr-defined]
    return events


def mask_prefetched_sources(event: Event) -> Event:
    """The prefetched sources of a masked event (an instance from
    PublicEventIterable), withheld as events.masking says; call after the
    prefetch, which Django runs after the iterable."""
    if getattr(event, "_masked_view", False) or _masked(event):
        cache = getattr(event, "_prefetched_objects_cache", {})
        for source in cache.get("sources", []):
            for name in WITHHELD_SOURCE_FIELDS:
                setattr(source, name, "")
    return event


def _masked(event: Event) -> bool:
    """Whether the event is masked; an instance that loaded none of the
    texts masking hides (a sitemap's ids) is not asked, which would query."""
    deferred = event.get_deferred_fields()
    if "masked_as" in deferred and deferred >= _TEXTS:
        return False
    return bool(event.masked_as)


class PublicEventIterable(ModelIterable):
    """Model instances as the public sees them (mask_instances), for the
    querysets of the public pages."""

    def __iter__(self) -> Iterator[Event]:
        yield from mask_instances(list(super().__iter__()))


def mask_rows(events: Sequence[Any]) -> list[Any]:
    """API events (selectors.api.ApiEvent: a named row with `masked_as`, and
    its sources) as the public sees them. The real names are the row's
    `target` and the live event's (an as-of row may be older)."""
    masked = [event for event in events if event.row.masked_as]
    if not masked:
        return list(events)
    names = target_names(event.row.public_id for event in masked)
    shown = []
    for event in events:
        row = event.row
        if not row.masked_as:
            shown.append(event)
            continue
        found = real_names([row.target, *names.get(row.public_id, [])])
        fields = masked_fields(
            pseudonym=row.masked_as,
            names=found,
            summary=row.summary,
            notice_text=row.notice_text,
        )
        shown.append(
            type(event)(row._replace(**fields), [mask_source(s) for s in event.sources])
        )
    return shown


def live_mask(queryset: QuerySet) -> Expression:
    """The mask of each event of `queryset` now. For live events their
    `masked_as`; for history rows (`?as_of=`) the live event's, by public id
    (one index lookup), or, for an event deleted since, its target's
    pseudonym if that target is masked: an event masked now is masked at
    every moment."""
    if queryset.model is Event:
        return F("masked_as")
    live = Event.objects.filter(public_id=OuterRef("public_id")).values("masked_as")
    target = Target.objects.filter(pk=OuterRef("target_ref_id"), masked=True)
    return Coalesce(
        Subquery(live[:1]),
        Subquery(target.values("pseudonym")[:1]),
        Value(""),
        output_field=CharField(),
    )
