"""The page of one published event."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from events.models import Event
from events.selectors.merges import event_resolve_merged
from events.selectors.public import public_event, related_events
from events.templatetags.public import partial_date
from events.views import SITE_NAME

MERGED_REDIRECT_MAX_AGE = 3600  # seconds


def api_url(event: Event) -> str:
    """The event's JSON in the API (a path, not reversed: the API is built on
    its own schedule)."""
    return f"/api/v1/events/{event.public_id}/"


def citation(event: Event, permalink: str) -> str:
    """A ready citation: what happened, where and when, the record and the day
    it was read."""
    return _(
        "%(platform)s %(action)s %(target)s (%(country)s, %(date)s). "
        "%(site)s, event %(id)s. %(url)s. Accessed %(today)s."
    ) % {
        "platform": event.platform.name,
        "action": event.get_action_display(),
        "target": event.target,
        "country": event.country.name,
        "date": partial_date(event.date, event.date_precision),
        "site": SITE_NAME,
        "id": event.public_id,
        "url": permalink,
        "today": partial_date(timezone.localdate(), "day"),
    }


def event_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    try:
        event = public_event(public_id)
    except Event.DoesNotExist as exc:
        # A merged event's address leads to the published event it became;
        # browsers keep a 301 forever unless told, and a merge can be split.
        if survivor := event_resolve_merged(public_id):
            response = redirect("public:event", survivor, permanent=True)
            patch_cache_control(response, max_age=MERGED_REDIRECT_MAX_AGE)
            return response
        raise Http404(_("No published event has this identifier.")) from exc
    permalink = request.build_absolute_uri(
        reverse("public:event", args=[event.public_id])
    )
    context = {
        "event": event,
        "sources": list(event.sources.all()),
        "related": related_events(event),
        "permalink": permalink,
        "citation": citation(event, permalink),
        "api_url": api_url(event),
    }
    return render(request, "public/event.html", context)
