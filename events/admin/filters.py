"""Changelist filters of the review desk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from events.choices import Status
from events.models import EventQuerySet
from events.selectors.desk import (
    ACTIVITY_LABELS,
    DeskInputError,
    events_of_origin,
    events_with_activity,
    origin_choices,
    parse_week,
)
from events.selectors.filters import EventFilters, FilterError, events_in_period
from events.selectors.queue import BAND_LABELS, events_in_band


class StatusFilter(admin.SimpleListFilter):
    """Status, defaulting to the review queue (draft and in review) when unset."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(self.ALL, _("All")), *Status.choices]

    def queryset(self, request: HttpRequest, queryset: EventQuerySet) -> EventQuerySet:
        value = self.value()
        if value == self.ALL:
            return queryset
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset.awaiting_review()

    def choices(self, changelist: Any) -> Iterator[dict[str, Any]]:
        items = super().choices(changelist)
        # The no-parameter entry is the queue, not "All" (which has its own value).
        yield {**next(items), "display": _("Awaiting review")}
        yield from items


class YearFilter(admin.SimpleListFilter):
    """The year of the event's (start) date; the years come from the data."""

    title = _("year")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request: HttpRequest, queryset: EventQuerySet) -> EventQuerySet:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


class OriginFilter(admin.SimpleListFilter):
    """Where the event came from: a feed, an import, or by hand (see
    events.selectors.desk); a value that names no origin is an error message
    and no filter."""

    title = _("origin")
    parameter_name = "origin"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return origin_choices()

    def queryset(self, request: HttpRequest, queryset: EventQuerySet) -> EventQuerySet:
        value = self.value()
        if not value:
            return queryset
        try:
            return events_of_origin(queryset, value)
        except DeskInputError as exc:
            messages.error(request, f"Not filtered by origin: {exc}.")
            return queryset


class ActivityFilter(admin.SimpleListFilter):
    """Events that came in, were published or were rejected (`activity`), in
    the week of `week` (YYYY-MM-DD, any day of it) and by the user `by`, when
    given: what the dashboard's weekly numbers count. A value that means
    nothing is an error message and no filter."""

    title = _("activity")
    parameter_name = "activity"
    WEEK, BY = "week", "by"

    def __init__(self, request: HttpRequest, params: Any, *args: Any) -> None:
        # Before super(), which would leave `week` and `by` to the changelist
        # as field lookups.
        self.extra = {
            name: params.pop(name)[-1]
            for name in (self.WEEK, self.BY)
            if name in params
        }
        super().__init__(request, params, *args)
        self.used_parameters.update(self.extra)

    def expected_parameters(self) -> list[str]:
        return [self.parameter_name, self.WEEK, self.BY]

    def has_output(self) -> bool:
        return True

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(kind, label) for kind, label in ACTIVITY_LABELS.items()]

    def choices(self, changelist: Any) -> Iterator[dict[str, Any]]:
        items = super().choices(changelist)
        everything = next(items)
        remove = self.expected_parameters()
        yield {**everything, "query_string": changelist.get_query_string(remove=remove)}
        yield from items

    def queryset(self, request: HttpRequest, queryset: EventQuerySet) -> EventQuerySet:
        kind = self.value()
        if not kind and not self.extra:
            return queryset
        try:
            return self._filtered(queryset, kind)
        except DeskInputError as exc:
            messages.error(request, f"Not filtered by activity: {exc}.")
            return queryset

    def _filtered(self, queryset: EventQuerySet, kind: str | None) -> EventQuerySet:
        if not kind:
            raise DeskInputError("give activity= with week= or by=")
        week = self.extra.get(self.WEEK)
        by = self.extra.get(self.BY)
        if by is not None and not _user_id(by):
            raise DeskInputError(f"by {by!r} names no user")
        return events_with_activity(
            queryset,
            kind,
            week=parse_week(week) if week is not None else None,
            user_id=int(by) if by is not None else None,
        )


def _user_id(value: str) -> bool:
    if not (value.isascii() and value.isdigit() and len(value) < 12):
        return False
    return get_user_model().objects.filter(pk=int(value)).exists()


class ConfidenceFilter(admin.SimpleListFilter):
    """The extractor's confidence band (events.selectors.queue); a value that
    names no band is an error message and no filter."""

    title = _("confidence")
    parameter_name = "confidence"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(BAND_LABELS.items())

    def queryset(self, request: HttpRequest, queryset: EventQuerySet) -> EventQuerySet:
        value = self.value()
        if not value:
            return queryset
        try:
            return events_in_band(queryset, value)
        except DeskInputError as exc:
            messages.error(request, f"Not filtered by confidence: {exc}.")
            return queryset


class DateRangeFilter(admin.SimpleListFilter):
    """Events whose date, at its precision, overlaps `date_after` to
    `date_before` (YYYY, YYYY-MM or YYYY-MM-DD, either may be left out): the
    API's rule (events.selectors.filters), so a month-precision event
    overlaps a range if any of its days does. Bad values are an error message
    and no filter."""

    title = _("date range")
    parameter_name = "date_after"
    BEFORE = "date_before"
    template = "admin/events/event/date_range_filter.html"

    def __init__(self, request: HttpRequest, params: Any, *args: Any) -> None:
        # Before super(), which would leave date_before to the changelist.
        before = params.pop(self.BEFORE, None)
        super().__init__(request, params, *args)
        if before:
            self.used_parameters[self.BEFORE] = before[-1]

    def expected_parameters(self) -> list[str]:
        return [self.parameter_name, self.BEFORE]

    def has_output(self) -> bool:
        return True

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return []

    def choices(self, changelist: Any) -> Iterator[dict[str, Any]]:
        names = self.expected_parameters()
        kept = {n: v for n, v in changelist.params.items() if n not in names}
        yield {
            "selected": not any(self.used_parameters.get(n) for n in names),
            "query_string": changelist.get_query_string(remove=names),
            "display": _("All"),
            "kept": sorted(kept.items()),
            "after": self.used_parameters.get(self.parameter_name, ""),
            "before": self.used_parameters.get(self.BEFORE, ""),
        }

    def queryset(self, request: HttpRequest, queryset: EventQuerySet) -> EventQuerySet:
        given = {
            name: [value]
            for name in self.expected_parameters()
            if (value := self.used_parameters.get(name))
        }
        if not given:
            return queryset
        try:
            period = EventFilters.from_params(given)
        except FilterError as exc:
            messages.error(request, f"Not filtered by date: {exc}.")
            return queryset
        return events_in_period(
            queryset, after=period.date_after, before=period.date_before
        )
