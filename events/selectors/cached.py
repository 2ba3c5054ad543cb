"""Aggregates of the published record, cached per version of the record.

Counting a million events on every page view is what makes a page slow, not
the page of events itself. The version names the newest history row of events,
platforms and authorities, by id and time: every save, import, publication,
unpublication and deletion writes one (django-simple-history), so a changed
record has a new version and never meets an old count. The time keeps a
database restored or recreated under a live cache (ids handed out again) from
meeting the old record's entries. Six primary-key lookups in one query.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import Model

from events.models import Authority, Event, Platform
from events.selectors.public import (
    EventFilters,
    FilterChoices,
    filter_choices,
    filtered_events,
)
from events.selectors.stats import Summary, summarise

T = TypeVar("T")
# Only a bound on memory: a new version makes old entries unreachable anyway.
TIMEOUT = 3600


def newest_history(*models: type[Model]) -> list[str]:
    """SQL expressions of the newest history row (id, then time) of each
    model: index lookups that change with every save or delete."""
    quote = connection.ops.quote_name
    newest = []
    for model in models:
        table = quote(model.history.model._meta.db_table)  # type: ignore[attr-defined]
        for column in ("history_id", "history_date"):
            # Table and column names come from the models, never from input.
            newest.append(
                f"(SELECT {column} FROM {table} "  # noqa: S608
                "ORDER BY history_id DESC LIMIT 1)"
            )
    return newest


def record_version() -> str:
    """A token that changes whenever an event, platform or authority does."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(newest_history(Event, Platform, Authority))}"
        )
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:24]


def _cached(version: str, name: str, compute: Callable[[], T]) -> T:
    return cache.get_or_set(f"public:{version}:{name}", compute, TIMEOUT)


def _filters_key(filters: EventFilters) -> str:
    parts = (
        filters.platform.pk if filters.platform else "",
        filters.country,
        filters.authority.pk if filters.authority else "",
        filters.action,
        filters.year or "",
        filters.q,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _cacheable(filters: EventFilters) -> bool:
    """The whole record, or one platform, country, authority, action or year:
    a few hundred entries per version at most. Searches and combinations are
    counted afresh, so no visitor can fill the cache (which may share its Redis
    with the task queue) with keys of their making."""
    given = [filters.platform, filters.country, filters.authority, filters.action]
    return not filters.q and sum(map(bool, [*given, filters.year])) <= 1


def summary_of(filters: EventFilters, *, version: str) -> Summary:
    """summarise() of the filtered published events; once per record version
    for the selections that _cacheable() allows."""
    if not _cacheable(filters):
        return summarise(filtered_events(filters))
    return _cached(
        version,
        f"summary:{_filters_key(filters)}",
        lambda: summarise(filtered_events(filters)),
    )


def choices(*, version: str) -> FilterChoices:
    """filter_choices(), once per record version."""
    return _cached(version, "choices", filter_choices)
