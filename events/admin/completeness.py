"""The review desk's filter of incomplete drafts (drafts made from a feed item
that lacked a field the review needs; see Event.missing_fields)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from events.models import EventQuerySet
from events.models.record import INCOMPLETE


class IncompleteFilter(admin.SimpleListFilter):
    """Incomplete drafts, which a curator completes before submitting them."""

    title = _("completeness")
    parameter_name = "incomplete"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("incomplete")), ("no", _("complete"))]

    def queryset(self, request: HttpRequest, queryset: EventQuerySet) -> EventQuerySet:
        if self.value() == "yes":
            return queryset.filter(INCOMPLETE)
        if self.value() == "no":
            return queryset.exclude(INCOMPLETE)
        return queryset
