"""Publishing from the admin, with the duplicate guard: when a published or
in-review event is a likely duplicate (above DUPLICATE_CONFIRM_SCORE), the
editor first sees a page naming it, and publishes only with "Publish anyway".

The page carries the versions of the events as the page before showed them
(as the reason page does) and marks each event it showed duplicates for as
confirmed; the workflow service checks the duplicates again under its lock,
so an event that gained a duplicate since is skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from events.admin.actions import (
    VERSION_PREFIX,
    apply_transition,
    versions_seen,
)
from events.models import Event, EventQuerySet
from events.selectors.duplicates import Duplicate, events_likely_duplicates
from events.services.workflow import PUBLISH

CONFIRM_TEMPLATE = "admin/events/event/publish_confirm.html"
# The field of the confirmation page: one value per confirmed event id.
CONFIRM_FIELD = "confirm_duplicate"


def confirmed_ids(request: HttpRequest) -> set[int] | None:
    """The events the user confirmed on the confirmation page; None when the
    request does not come from that page."""
    if CONFIRM_FIELD not in request.POST:
        return None
    values = request.POST.getlist(CONFIRM_FIELD)
    return {int(v) for v in values if v.isascii() and v.isdigit()}


def publish_or_confirm(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    events: Iterable[Event],
    *,
    action: str = "",
) -> TemplateResponse | None:
    """Publish `events`, or first ask: None once published (the message says
    what was done), the confirmation page while a likely duplicate is not
    confirmed. `action` is set for the bulk action."""
    events = list(events)
    confirmed = confirmed_ids(request)
    if confirmed is not None:
        apply_transition(modeladmin, request, PUBLISH, events, confirmed=confirmed)
        return None
    publishable = [event for event in events if event.status in PUBLISH.sources]
    found = events_likely_duplicates(
        publishable, above=settings.DUPLICATE_CONFIRM_SCORE
    )
    if not found:
        apply_transition(modeladmin, request, PUBLISH, events)
        return None
    return render_confirm_page(
        modeladmin, request, events=events, found=found, action=action
    )


def render_confirm_page(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    events: list[Event],
    found: dict[int, list[Duplicate]],
    action: str,
) -> TemplateResponse:
    """The events about to be published, each with its likely duplicates."""
    request.current_app = modeladmin.admin_site.name
    context: dict[str, Any] = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Publish: likely duplicates"),
        "opts": modeladmin.model._meta,
        "rows": [(event, found.get(event.pk, [])) for event in events],
        "confirm_field": CONFIRM_FIELD,
        "threshold": settings.DUPLICATE_CONFIRM_SCORE,
        "versions": sorted(versions_seen(request).items()),
        "version_prefix": VERSION_PREFIX,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, CONFIRM_TEMPLATE, context)


@admin.action(permissions=["publish"], description=_("Publish selected events"))
def publish_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: EventQuerySet
) -> TemplateResponse | None:
    return publish_or_confirm(
        modeladmin,
        request,
        queryset.select_related("platform"),
        action="publish_selected",
    )
