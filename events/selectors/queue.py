"""The review queue's rows: each event with what the desk's columns show and
sort by, read in the changelist's one query (no query per row).

- ``origin_feed``, ``imported``, ``by_hand`` (events.selectors.desk's one
  definition of origin) and ``origin_feed_name``;
- ``confidence``: the extractor's confidence that the item reports an event
  (``extraction["is_event"]``, 0-1), None for an event no extractor made;
- ``waiting_since``: when the event last moved into its status, else its
  creation;
- ``likely_duplicate``: another live event (not merged, not rejected) on the
  same platform, country and action with the same target (ignoring case)
  dated within duplicates.WINDOW_DAYS, or citing a source with the same URL.
  A cheap flag in SQL; the change page's ranked suggestions
  (events.selectors.duplicates) score the candidates fully.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    DateField,
    Exists,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce

from events.choices import Status
from events.models import Event, Feed, Source, StatusChange
from events.selectors.desk import DeskInputError, events_with_origin
from events.selectors.duplicates import WINDOW_DAYS

# Confidence bands of the queue's filter: (label, lowest, below).
BANDS: dict[str, tuple[str, float, float]] = {
    "high": ("high (0.8 or more)", 0.8, 2.0),
    "medium": ("medium (0.5 to 0.8)", 0.5, 0.8),
    "low": ("low (below 0.5)", -1.0, 0.5),
}
NO_CONFIDENCE = "none"
BAND_LABELS = {
    **{key: label for key, (label, _, _) in BANDS.items()},
    NO_CONFIDENCE: "none (not extracted)",
}
_NOT_LIVE = (Status.MERGED, Status.REJECTED)


def _confidence() -> Cast:
    return Cast(KT("extraction__is_event"), FloatField())


def _waiting_since() -> Coalesce:
    moves = StatusChange.objects.filter(
        event=OuterRef("pk"), to_status=OuterRef("status")
    ).order_by("-at")
    return Coalesce(Subquery(moves.values("at")[:1]), "created_at")


def _near(days: int, sign: int) -> Cast:
    return Cast(OuterRef("date") + dt.timedelta(days=sign * days), DateField())


def _likely_duplicate() -> Q:
    others = Event.objects.exclude(pk=OuterRef("pk")).exclude(status__in=_NOT_LIVE)
    same = others.filter(
        platform_id=OuterRef("platform_id"),
        country=OuterRef("country"),
        action=OuterRef("action"),
        target__iexact=OuterRef("target"),
        date__gte=_near(WINDOW_DAYS, -1),
        date__lte=_near(WINDOW_DAYS, 1),
    )
    shared = Source.objects.filter(url=OuterRef("url")).exclude(
        event_id=OuterRef("event_id")
    )
    cited = Source.objects.filter(event_id=OuterRef("pk")).filter(
        Exists(shared.exclude(event__status__in=_NOT_LIVE))
    )
    return Q(Exists(same)) | Q(Exists(cited))


def events_for_queue(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """`queryset` with the queue's annotations (see the module), platform and
    authority joined."""
    feed_name = Feed.objects.filter(pk=OuterRef("origin_feed")).values("name")[:1]
    return (
        events_with_origin(queryset)
        .annotate(
            origin_feed_name=Subquery(feed_name),
            confidence=_confidence(),
            waiting_since=_waiting_since(),
            likely_duplicate=_likely_duplicate(),
        )
        .select_related("platform", "authority")
    )


def events_in_band(queryset: QuerySet[Event], band: str) -> QuerySet[Event]:
    """The events of `queryset` whose confidence is in `band` (a key of BANDS,
    or "none" for events without one); DeskInputError for another value."""
    if band == NO_CONFIDENCE:
        return queryset.alias(_confidence=_confidence()).filter(
            _confidence__isnull=True
        )
    if band not in BANDS:
        raise DeskInputError(f"confidence {band!r} is none of {', '.join(BAND_LABELS)}")
    _, lowest, below = BANDS[band]
    return queryset.alias(_confidence=_confidence()).filter(
        _confidence__gte=lowest, _confidence__lt=below
    )
