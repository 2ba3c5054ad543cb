"""Published events shaped for the public pages: filters, one event, its kin.

Nothing here ever returns an event, a platform or an authority that the public
could not already find through a published event.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import (
    Exists,
    OuterRef,
    QuerySet,
)
from django_countries import countries

from events.models import Authority, Event, EventQuerySet, Platform
from events.selectors.masking import PublicEventIterable, mask_prefetched_sources
from events.selectors.search import search_events


@dataclass(frozen=True)
class EventFilters:
    """A selection of the published record; empty fields select everything."""

    platform: Platform | None = None
    country: str = ""
    authority: Authority | None = None
    action: str = ""
    year: int | None = None
    q: str = ""


def published_events() -> EventQuerySet:
    """Published events, masked ones as the public sees them
    (events.selectors.masking)."""
    events = Event.objects.published()
    events._iterable_class = PublicEventIterable
    return events


def filtered_events(filters: EventFilters) -> EventQuerySet:
    """Published events matching every given filter, with platform and
    authority joined (no sources: lists do not show them)."""
    queryset = published_events().select_related("platform", "authority")
    if filters.platform is not None:
        queryset = queryset.filter(platform=filters.platform)
    if filters.country:
        queryset = queryset.filter(country=filters.country)
    if filters.authority is not None:
        queryset = queryset.filter(authority=filters.authority)
    if filters.action:
        queryset = queryset.filter(action=filters.action)
    if filters.year is not None:
        # A range, not __year, so the (status, date, id) index serves it.
        queryset = queryset.filter(
            date__gte=dt.date(filters.year, 1, 1),
            date__lt=dt.date(filters.year + 1, 1, 1),
        )
    if filters.q:
        queryset = search_events(queryset, filters.q, public=True)
    return queryset


def _has_published(field: str) -> Exists:
    return Exists(published_events().filter(**{field: OuterRef("pk")}))


def public_platforms() -> QuerySet[Platform]:
    """Platforms with at least one published event, by name."""
    return Platform.objects.filter(_has_published("platform"))


def public_authorities() -> QuerySet[Authority]:
    """Authorities with at least one published event, by name."""
    return Authority.objects.filter(_has_published("authority"))


def public_platform(slug: str) -> Platform:
    """The platform, if it has a published event; else Platform.DoesNotExist."""
    return public_platforms().get(slug=slug)


def public_authority(slug: str) -> Authority:
    """The authority, if it has a published event; else Authority.DoesNotExist."""
    return public_authorities().get(slug=slug)


def is_country_code(code: str) -> bool:
    return len(code) == 2 and code in countries


def public_countries() -> list[str]:
    """Codes of the countries with at least one published event."""
    codes = published_events().order_by().values_list("country", flat=True).distinct()
    return sorted(codes)


def public_event(public_id: uuid.UUID) -> Event:
    """A published event with everything its page shows; Event.DoesNotExist for
    an unknown id and for drafts, events in review and rejected events."""
    event = published_events().with_related().get(public_id=public_id)
    return mask_prefetched_sources(event)


def related_events(event: Event, *, limit: int = 5) -> list[Event]:
    """Published events about the same target, or on the same platform in the
    same country; same-target events first, then newest first. Two queries,
    each an index range read newest first (by target through its key; by
    platform and country along the published events' dates): one query with
    OR read every event of the record to find them."""
    newest = (
        published_events()
        .exclude(pk=event.pk)
        .select_related("platform", "authority")
        .order_by("-date", "-id")
    )
    kin = list(newest.filter(target=event.target)[:limit])
    if len(kin) < limit:
        same_place = newest.filter(
            platform_id=event.platform_id, country=event.country
        ).exclude(pk__in=[other.pk for other in kin])
        kin += list(same_place[: limit - len(kin)])
    return kin


def published_years() -> list[int]:
    """Every year from the first published event to the last, newest first.
    Two index lookups however large the record (SQLite only optimises a lone
    MIN or MAX, hence no aggregate)."""
    dates = published_events().values_list("date", flat=True)
    last = dates.order_by("-date").first()
    first = dates.order_by("date").first()
    if first is None or last is None:
        return []
    return list(range(last.year, first.year - 1, -1))


@dataclass(frozen=True)
class FilterChoices:
    """What the filter form offers: only values found in the published record."""

    platforms: list[Platform]
    authorities: list[Authority]
    countries: list[str]
    years: list[int]


def filter_choices() -> FilterChoices:
    """Four queries; the countries one reads every published event's country."""
    return FilterChoices(
        platforms=list(public_platforms().order_by("name")),
        authorities=list(public_authorities().order_by("name")),
        countries=public_countries(),
        years=published_years(),
    )
