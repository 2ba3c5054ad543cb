"""Changelist filters of the review desk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from events.choices import Status
from events.models import EventQuerySet


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
