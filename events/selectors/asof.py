"""The published record as it was at a past moment (`?as_of=`), from history.

An event was public at moment T when its latest history row written at or
before T says `published` and is not a deletion, and it was not taken down
since (a redaction removes it from every moment). Its sources are the latest
rows of each source at or before T that belonged to it then; its platform and
authority are their latest rows at or before T. Rows come out with the
attributes of the live rows (events.selectors.api.EVENT_COLUMNS), so
events.api.representation renders them byte for byte as it rendered the live
record at T: the history keeps `updated_at`, and events/services/history_sync.py
keeps it exact after writes that bypass save().

"Latest at or before T" is the largest history id among rows dated at or before
T, per object: one GROUP BY, portable, served by the history tables' indexes.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import namedtuple
from collections.abc import Collection, Iterator, Sequence
from dataclasses import replace
from typing import Any

from django.db.models import Max, Min, Model, QuerySet, Subquery

from events.choices import Status
from events.models import Authority, Event, Platform, Redaction, Source
from events.selectors.api import (
    EVENT_COLUMNS,
    ORDERINGS,
    RELATED,
    SOURCE_COLUMNS,
    ApiEvent,
    event_list,
    utc_timestamp,
    with_sources,
)
from events.selectors.filters import EventFilters, FilterError, filter_events
from events.selectors.masking import live_mask, mask_rows

HistoricalEvent = Event.history.model
# Platform and authority columns come from their histories; any other related
# column is joined as the live rows join it.
REFERENCED = frozenset(
    {
        "platform_slug",
        "platform_name",
        "authority_slug",
        "authority_name",
        "authority_country",
    }
)
# masked_as is the live event's (or its target's), not the history row's: an
# event masked now is masked at every moment (events.masking).
OWN_COLUMNS = tuple(
    name for name in EVENT_COLUMNS if name not in REFERENCED and name != "masked_as"
)
AsOfRow = namedtuple("AsOfRow", EVENT_COLUMNS)  # type: ignore[misc]
REFERENCE_COLUMNS: dict[type[Model], tuple[str, ...]] = {
    Platform: ("slug", "name"),
    Authority: ("slug", "name", "country"),
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def parse_as_of(text: str, *, now: dt.datetime) -> dt.datetime:
    """The moment named by an `as_of` value: an ISO 8601 date-time with its
    UTC offset, or a date (the end of that day, UTC). FilterError naming
    `as_of` for anything else, and for a moment after `now` (its record is
    not known yet)."""

    def bad(reason: str) -> FilterError:
        return FilterError({"as_of": reason})

    text = text.strip()
    if "\x00" in text or len(text) > 64:
        raise bad("not an ISO 8601 date-time")
    try:
        if _DAY.match(text):
            day = dt.date.fromisoformat(text)
            moment = dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
        else:
            moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise bad(
            f"{text!r} is not an ISO 8601 date-time such as 2024-05-01T12:00:00Z "
            "or a date such as 2024-05-01 (write + as %2B in a URL)"
        ) from None
    if moment.tzinfo is None:
        raise bad(f"{text!r} has no UTC offset: add Z for UTC, or +hh:mm")
    moment = moment.astimezone(dt.UTC)
    if moment > now:
        raise bad(f"{text!r} is in the future: the record then is not known yet")
    return moment


def _latest(model: type[Model], moment: dt.datetime, **scope: Any) -> QuerySet:
    """History ids of the latest row of each object at or before `moment`."""
    return (
        model.objects.filter(history_date__lte=moment, **scope)
        .order_by()
        .values("id")
        .annotate(last=Max("history_id"))
        .values("last")
    )


def events_as_of(moment: dt.datetime) -> QuerySet:
    """Historical event rows: each event's version published at `moment`."""
    return (
        HistoricalEvent.objects.filter(
            history_id__in=_latest(HistoricalEvent, moment), status=Status.PUBLISHED
        )
        .exclude(history_type="-")
        .exclude(public_id__in=_redacted())
    )


def _redacted() -> QuerySet:
    """Taken-down events: absent from the record at every moment."""
    return Redaction.objects.values("event_public_id")


def filter_as_of(
    queryset: QuerySet, filters: EventFilters, *, moment: dt.datetime
) -> QuerySet:
    """filter_events over events_as_of rows; platform and authority slugs are
    those of `moment`, and known only through an event published then."""
    for name in ("platform", "authority"):
        slugs = getattr(filters, name)
        if slugs:
            model = Platform if name == "platform" else Authority
            ids = _ids_as_of(model, name, slugs, queryset, moment)
            queryset = queryset.filter(**{f"{name}_id__in": ids})
    rest = replace(filters, platform=(), authority=())
    return filter_events(queryset, rest, public_only=True)  # type: ignore[arg-type]


def _ids_as_of(
    model: type[Model],
    name: str,
    slugs: tuple[str, ...],
    published: QuerySet,
    moment: dt.datetime,
) -> list[int]:
    found = {
        values[0]: pk
        for pk, values in references_as_of(model, moment).items()
        if values[0] in slugs
    }
    used = set(
        published.filter(**{f"{name}_id__in": list(found.values())})
        .order_by()
        .values_list(f"{name}_id", flat=True)
        .distinct()
    )
    unknown = [slug for slug in slugs if found.get(slug) not in used]
    if unknown:
        raise FilterError({name: f"no {name} has the slug {', '.join(unknown)}"})
    return [found[slug] for slug in slugs]


def references_as_of(
    model: type[Model], moment: dt.datetime, ids: Collection[int] | None = None
) -> dict[int, tuple]:
    """{id: (slug, name[, country])} of platforms or authorities (`ids`, or
    all) at `moment`. One query when each has a row by then; else their
    first version, else their current one (rows older than their history)."""
    history = model.history.model  # type: ignore[attr-defined]
    columns = ("id", *REFERENCE_COLUMNS[model])
    scope = {} if ids is None else {"id__in": list(ids)}
    found = {
        row[0]: row[1:]
        for row in history.objects.filter(
            history_id__in=_latest(history, moment, **scope)
        ).values_list(*columns)
    }
    if ids is not None and not set(ids) - set(found):
        return found
    later = (
        history.objects.filter(history_date__gt=moment, **scope)
        .order_by()
        .values("id")
        .annotate(first=Min("history_id"))
        .values("first")
    )
    for row in history.objects.filter(history_id__in=later).values_list(*columns):
        found.setdefault(row[0], row[1:])
    if ids is not None and set(ids) - set(found):
        missing = list(set(ids) - set(found))
        for row in model._default_manager.filter(pk__in=missing).values_list(*columns):
            found[row[0]] = row[1:]
    return found


def as_of_rows(queryset: QuerySet, *, ordering: str) -> QuerySet:
    """Named rows of historical events, in the order named by `ordering`."""
    joined = {name: RELATED[name] for name in OWN_COLUMNS if name in RELATED}
    return (
        queryset.annotate(**joined, live_mask=live_mask(queryset))
        .values_list(
            *OWN_COLUMNS, "platform_id", "authority_id", "live_mask", named=True
        )
        .order_by(*ORDERINGS[ordering])
    )


def sources_as_of(
    event_ids: Collection[int], moment: dt.datetime
) -> dict[int, list[dict[str, Any]]]:
    """The sources each event had at `moment`, in the order they were given.
    A source that moved to another event is that event's. One query."""
    history = Source.history.model  # type: ignore[attr-defined]
    ever = history.objects.filter(
        event_id__in=list(event_ids), history_date__lte=moment
    ).values("id")
    rows = (
        history.objects.filter(
            history_id__in=_latest(history, moment, id__in=Subquery(ever)),
            event_id__in=list(event_ids),
        )
        .exclude(history_type="-")
        .order_by("id")
        .values_list("event_id", *SOURCE_COLUMNS)
    )
    by_event: dict[int, list[dict[str, Any]]] = {}
    for event_id, *values in rows:
        source = dict(zip(SOURCE_COLUMNS, values, strict=True))
        source["published_at"] = utc_timestamp(source["published_at"])
        by_event.setdefault(event_id, []).append(source)
    return by_event


def as_of_events(rows: Sequence[Any], *, moment: dt.datetime) -> list[ApiEvent]:
    """The rows (as_of_rows) as events with their platform, authority and
    sources at `moment`: three queries for any number of rows, none for none."""
    if not rows:
        return []
    platforms = references_as_of(Platform, moment, {row.platform_id for row in rows})
    authority_ids = {row.authority_id for row in rows if row.authority_id}
    authorities = references_as_of(Authority, moment, authority_ids)
    sources = sources_as_of([row.id for row in rows], moment)
    events = []
    for row in rows:
        slug, name = platforms.get(row.platform_id, (None, None))
        authority = authorities.get(row.authority_id, (None, None, None))
        full = AsOfRow(
            **{column: getattr(row, column) for column in OWN_COLUMNS},
            platform_slug=slug,
            platform_name=name,
            authority_slug=authority[0],
            authority_name=authority[1],
            authority_country=authority[2],
            masked_as=row.live_mask,
        )
        events.append(ApiEvent(full, sources.get(row.id, [])))
    return mask_rows(events)


def iterate_as_of(
    rows: QuerySet, *, moment: dt.datetime, chunk_size: int
) -> Iterator[ApiEvent]:
    """Every row of `rows` (as_of_rows) as an event, read in chunks from a
    server-side cursor: memory holds one chunk, whatever the number of rows."""
    chunk: list[Any] = []
    for row in rows.iterator(chunk_size=chunk_size):
        chunk.append(row)
        if len(chunk) >= chunk_size:
            yield from as_of_events(chunk, moment=moment)
            chunk = []
    yield from as_of_events(chunk, moment=moment)


def event_as_of(public_id: uuid.UUID, *, moment: dt.datetime) -> ApiEvent:
    """The event as published at `moment`; Event.DoesNotExist when it was not
    published then (or did not exist yet)."""
    latest = (
        HistoricalEvent.objects.filter(public_id=public_id, history_date__lte=moment)
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    rows = list(
        as_of_rows(
            HistoricalEvent.objects.filter(
                history_id=Subquery(latest), status=Status.PUBLISHED
            )
            .exclude(history_type="-")
            .exclude(public_id__in=_redacted()),
            ordering="-date",
        )
    )
    if not rows:
        raise Event.DoesNotExist(public_id)
    return as_of_events(rows, moment=moment)[0]


def list_rows(
    queryset: QuerySet, *, ordering: str, as_of: dt.datetime | None
) -> QuerySet:
    """Named rows of a list, live (event_list) or at `as_of` (as_of_rows)."""
    if as_of is None:
        return event_list(queryset, ordering=ordering)
    return as_of_rows(queryset, ordering=ordering)


def shape_rows(
    rows: Sequence[Any], *, as_of: dt.datetime | None, reveal: bool = False
) -> list[ApiEvent]:
    """Rows of list_rows as events with their sources (and, at `as_of`, their
    platform and authority of then); masked events as the public sees them,
    unless `reveal` (live rows for curators: the past record is public)."""
    if as_of is None:
        return with_sources(rows, reveal=reveal)
    return as_of_events(rows, moment=as_of)
