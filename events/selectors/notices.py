"""Reads of the notice registry for the public pages and the API.

The registry is public reference data (seeded from public lists, curated by
editors), so every notice can be listed and shown, even one no published
event carried yet. What the public never sees is an unpublished event:
counts, first and last sightings and lists of events are of published events
only, and a wording that came from an event's notice text (a curator
confirmed the match) is shown and searched only while that event is
published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast

from events.choices import NoticeKind, Status
from events.models import Event, EventQuerySet, Notice, NoticeVariant, Platform
from events.selectors.filters import PARSERS, FilterError

NOTICE_FILTERS = ("kind", "platform", "country", "q")
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class NoticeFilters:
    """A selection of the registry; empty fields select everything."""

    kind: str = ""
    platform: Platform | None = None
    country: str = ""
    q: str = ""

    def pairs(self) -> list[tuple[str, str]]:
        """The filters in force as query-string pairs, in a fixed order."""
        values = {
            "kind": self.kind,
            "platform": self.platform.slug if self.platform else "",
            "country": self.country,
            "q": self.q,
        }
        return [(name, values[name]) for name in NOTICE_FILTERS if values[name]]


def _kind(text: str) -> str:
    text = text.strip()
    if text not in NoticeKind.values:
        raise ValueError(f"{text!r} is not one of {', '.join(NoticeKind.values)}")
    return text


def _search(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise ValueError(f"at most {MAX_QUERY_LENGTH} characters")
    return text


def _platform(slug: str) -> Platform:
    """A platform that shows a notice of the registry (others are unknown here,
    whether or not they exist: the registry reveals nothing else)."""
    slug = PARSERS["platform"](slug)
    found = Platform.objects.filter(
        Exists(Notice.objects.filter(platform=OuterRef("pk"))), slug=slug
    ).first()
    if found is None:
        raise ValueError(f"no notice of the registry is shown by {slug!r}")
    return found


PARSE = {"kind": _kind, "platform": _platform, "country": PARSERS["country"]}


def parse_notice_filters(params: Mapping[str, Sequence[str]]) -> NoticeFilters:
    """The notice filters in `params` (name → values; other names are left to
    the caller). Raises FilterError naming each bad one. One query when a
    platform is given."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in NOTICE_FILTERS:
        given = list(params.get(name, []))
        if not given or (len(given) == 1 and not given[0].strip()):
            continue
        try:
            if len(given) > 1:
                raise ValueError("give it at most once")
            if "\x00" in given[0]:
                raise ValueError("contains a NUL character")
            values[name] = PARSE.get(name, _search)(given[0])
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise FilterError(errors)
    return NoticeFilters(**values)


def _published_events() -> EventQuerySet:
    return Event.objects.published()


def public_variants() -> QuerySet[NoticeVariant]:
    """Wordings the public may read: curated ones, and those of events that
    are published now and not masked (a masked person's wording may name
    them: events.masking)."""
    return NoticeVariant.objects.filter(
        Q(event__isnull=True) | Q(event__status=Status.PUBLISHED, event__masked_as="")
    )


def with_public_variants(queryset: QuerySet[Notice]) -> QuerySet[Notice]:
    """`notice.variants.all()` gives the public wordings only (one query)."""
    return queryset.prefetch_related(Prefetch("variants", queryset=public_variants()))


def notices(filters: NoticeFilters) -> QuerySet[Notice]:
    """The notices matching every filter, with their platform. A country
    selects the notices known to be shown there and those a published event
    in that country carried."""
    queryset = Notice.objects.select_related("platform")
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.platform is not None:
        queryset = queryset.filter(platform=filters.platform)
    if filters.country:
        # The codes as JSON text: '["AE", "SA"]' holds '"SA"' (any database).
        listed = Q(countries_text__contains=f'"{filters.country}"')
        seen = Exists(
            _published_events().filter(notice=OuterRef("pk"), country=filters.country)
        )
        queryset = queryset.annotate(
            countries_text=Cast("countries", CharField())
        ).filter(listed | seen)
    for term in filters.q.split():
        variant = public_variants().filter(notice=OuterRef("pk"), text__icontains=term)
        queryset = queryset.filter(
            Q(title__icontains=term)
            | Q(canonical_text__icontains=term)
            | Exists(variant)
        )
    return queryset


def by_last_seen(queryset: QuerySet[Notice]) -> QuerySet[Notice]:
    """Most recently seen first, never-seen notices last, then by title."""
    return queryset.order_by(F("last_seen").desc(nulls_last=True), "title", "id")


def published_counts(notice_ids: Sequence[int]) -> dict[int, int]:
    """Published events that carried each notice, in one query."""
    rows = (
        _published_events()
        .filter(notice_id__in=list(notice_ids))
        .order_by()
        .values_list("notice_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def public_notice(pk: int) -> Notice:
    """The notice with its platform and variants; Notice.DoesNotExist else."""
    return with_public_variants(Notice.objects.select_related("platform")).get(pk=pk)


def notice_events(notice: Notice) -> EventQuerySet:
    """The published events that carried the notice, with what lists show."""
    return (
        _published_events()
        .filter(notice=notice)
        .select_related("platform", "authority")
    )


def seen_notices() -> QuerySet[Notice]:
    """Notices that a published event carried (the sitemap lists them)."""
    return Notice.objects.filter(first_seen__isnull=False)


def registry_changed_at() -> dt.datetime | None:
    """When a notice or a variant was last saved or deleted (two index
    lookups)."""
    stamps = [
        model.history.order_by("-history_id")
        .values_list("history_date", flat=True)
        .first()
        for model in (Notice, NoticeVariant)
    ]
    return max((stamp for stamp in stamps if stamp is not None), default=None)


def notice_page(
    queryset: QuerySet[Notice], *, size: int, after: int | None, before: int | None
) -> tuple[list[Notice], bool]:
    """Up to `size` notices by id after the id `after` (or, going back, before
    `before`), in id order, and whether more lie beyond them. One query."""
    if before is not None:
        rows = list(queryset.filter(pk__lt=before).order_by("-pk")[: size + 1])
        more, rows = len(rows) > size, rows[:size]
        return rows[::-1], more
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    rows = list(queryset.order_by("pk")[: size + 1])
    return rows[:size], len(rows) > size
