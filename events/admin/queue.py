"""The review queue's columns: confidence, origin, likely duplicate and time
waited, read from events.selectors.queue's annotations (no query per row)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html

from events.models import Event
from events.selectors.desk import ORIGIN_LABELS, origin_key
from events.selectors.queue import events_for_queue

QUEUE_COLUMNS = [
    "status_seen",
    "platform",
    "target",
    "country_code",
    "action",
    "date_at_precision",
    "authority",
    "confidence_shown",
    "origin",
    "duplicate_flag",
    "waited",
]


def waited_for(seconds: float) -> str:
    """A short duration: minutes, hours or days."""
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


class QueueColumnsMixin:
    """Columns of the event changelist that need the queue's annotations,
    which get_queryset adds on the changelist (its page and its actions)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        match = request.resolver_match
        if match is not None and (match.url_name or "").endswith("_changelist"):
            return events_for_queue(queryset)
        return queryset

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The queue's columns need the page's width at 1366 px: no navigation
        # sidebar here (the breadcrumbs lead back).
        context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, context)  # type: ignore[misc]

    @admin.display(description="country", ordering="country")
    def country_code(self, obj: Event) -> str:
        if not obj.country:
            return "—"
        return format_html('<abbr title="{}">{}</abbr>', obj.country.name, obj.country)

    # Least sure first; events no extractor made (no confidence) after them.
    @admin.display(
        description="confidence", ordering=F("confidence").asc(nulls_last=True)
    )
    def confidence_shown(self, obj: Any) -> str:
        return "—" if obj.confidence is None else f"{obj.confidence:.2f}"

    @admin.display(description="origin")
    def origin(self, obj: Any) -> str:
        if obj.origin_feed_name:
            return obj.origin_feed_name
        key = origin_key(obj.origin_feed, obj.imported, obj.by_hand)
        return ORIGIN_LABELS.get(key, key).split(" (")[0]

    @admin.display(description="dup?", ordering="likely_duplicate")
    def duplicate_flag(self, obj: Any) -> str:
        if not obj.likely_duplicate:
            return ""
        return format_html(
            '<span class="likely-duplicate" title="{}">dup?</span>',
            "A likely duplicate: see the suggestions on its page",
        )

    @admin.display(description="waited", ordering="waiting_since")
    def waited(self, obj: Any) -> str:
        return waited_for((timezone.now() - obj.waiting_since).total_seconds())
