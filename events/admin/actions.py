"""Status transitions from the admin: bulk actions and the reason page.

Each action parses its input, calls one workflow service through
events_apply_bulk and reports what happened; the services decide who may do
what to which event.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.admin.forms import ReasonForm
from events.models import Event, EventQuerySet
from events.services import (
    BulkResult,
    event_publish,
    event_reject,
    event_revise,
    event_submit,
    event_unpublish,
    events_apply_bulk,
)
from events.services.workflow import (
    PUBLISH,
    REJECT,
    REVISE,
    SUBMIT,
    UNPUBLISH,
    Transition,
)

TRANSITIONS: dict[str, Transition] = {
    t.name: t for t in (SUBMIT, PUBLISH, REJECT, UNPUBLISH, REVISE)
}
SERVICES: dict[str, Callable[..., Event]] = {
    SUBMIT.name: event_submit,
    PUBLISH.name: event_publish,
    REJECT.name: event_reject,
    UNPUBLISH.name: event_unpublish,
    REVISE.name: event_revise,
}
LABELS = {
    SUBMIT.name: _("Submit for review"),
    PUBLISH.name: _("Publish"),
    REJECT.name: _("Reject"),
    UNPUBLISH.name: _("Unpublish"),
    REVISE.name: _("Revise"),
}
# "{count}" is "1 event" or "2 events".
DONE = {
    SUBMIT.name: _("Submitted {count} for review."),
    PUBLISH.name: _("Published {count}."),
    REJECT.name: _("Rejected {count}."),
    UNPUBLISH.name: _("Unpublished {count} (back to draft)."),
    REVISE.name: _("Revised {count} (back to draft, to submit again)."),
}
MAX_SKIPS_LISTED = 10
REASON_TEMPLATE = "admin/events/event/transition_reason.html"


def _count(number: int) -> str:
    return ngettext("%(n)d event", "%(n)d events", number) % {"n": number}


def describe(transition: Transition, result: BulkResult) -> tuple[str, int]:
    """The message for a bulk result and its level: what was done, what skipped."""
    text = str(DONE[transition.name]).format(count=_count(len(result.done)))
    if not result.skipped:
        return text, messages.SUCCESS
    listed = [f"'{event}' — {why}" for event, why in result.skipped]
    if len(listed) > MAX_SKIPS_LISTED:
        rest = len(listed) - MAX_SKIPS_LISTED
        listed = [*listed[:MAX_SKIPS_LISTED], f"and {rest} more"]
    skipped = f"Skipped {len(result.skipped)}: {'; '.join(listed)}."
    return f"{text} {skipped}", messages.WARNING


def describe_edit(result: BulkResult) -> tuple[str, int]:
    """The message for a bulk edit and its level."""
    text = f"Edited {_count(len(result.done))}."
    if not result.skipped:
        return text, messages.SUCCESS
    listed = [f"'{event}' — {why}" for event, why in result.skipped]
    return f"{text} Skipped {len(listed)}: {'; '.join(listed)}.", messages.WARNING


VERSION_PREFIX = "version-"


def versions_seen(request: HttpRequest) -> dict[int, str]:
    """The version of each event the page showed the user (fields
    `version-<id>` of the changelist, the change page or the reason page)."""
    data = request.POST if request.method == "POST" else request.GET
    seen = {}
    for name in data:
        pk = name.removeprefix(VERSION_PREFIX)
        if name.startswith(VERSION_PREFIX) and pk.isascii() and pk.isdigit():
            seen[int(pk)] = data[name]
    return seen


def apply_transition(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    transition: Transition,
    events: Iterable[Event],
    reason: str = "",
    confirmed: Collection[int] = (),
) -> None:
    """Run one transition over `events` as the request's user and report it;
    an event that changed since the page the user acted on was shown is
    skipped, with the reason. Events whose ids are in `confirmed` are
    published although they have likely duplicates (the user confirmed)."""
    kwargs = {"reason": reason} if transition.reason_required else {}
    versions = versions_seen(request)
    events = list(events)
    result = BulkResult()
    for confirm in (True, False):
        chosen = [event for event in events if (event.pk in confirmed) is confirm]
        extra = {"confirm_duplicate": True} if confirm else {}
        part = events_apply_bulk(
            SERVICES[transition.name],
            events=chosen,
            versions=versions,
            user=request.user,
            **kwargs,
            **extra,
        )
        result.done += part.done
        result.skipped += part.skipped
    text, level = describe(transition, result)
    modeladmin.message_user(request, text, level)


def render_reason_page(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    transition: Transition,
    events: Iterable[Event],
    form: ReasonForm,
    action: str = "",
) -> TemplateResponse:
    """Ask why before a reject or unpublish; `action` is set for bulk actions."""
    request.current_app = modeladmin.admin_site.name
    context: dict[str, Any] = {
        **modeladmin.admin_site.each_context(request),
        "title": _("%(verb)s: give the reason") % {"verb": LABELS[transition.name]},
        "verb": LABELS[transition.name],
        "opts": modeladmin.model._meta,
        "events": list(events),
        "versions": sorted(versions_seen(request).items()),
        "version_prefix": VERSION_PREFIX,
        "form": form,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, REASON_TEMPLATE, context)


def _with_reason(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: EventQuerySet,
    transition: Transition,
) -> TemplateResponse | None:
    # "post" marks the second step: the reason page submitting, as in
    # Django's delete confirmation.
    form = ReasonForm(request.POST if "post" in request.POST else None)
    events = queryset.select_related("platform")
    if form.is_valid():
        apply_transition(
            modeladmin, request, transition, events, form.cleaned_data["reason"]
        )
        return None
    return render_reason_page(
        modeladmin,
        request,
        transition=transition,
        events=events,
        form=form,
        action=f"{transition.name}_selected",
    )


@admin.action(
    permissions=["submit"], description=_("Submit selected events for review")
)
def submit_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: EventQuerySet
) -> None:
    apply_transition(modeladmin, request, SUBMIT, queryset.select_related("platform"))


@admin.action(permissions=["reject"], description=_("Reject selected events…"))
def reject_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: EventQuerySet
) -> TemplateResponse | None:
    return _with_reason(modeladmin, request, queryset, REJECT)


@admin.action(permissions=["unpublish"], description=_("Unpublish selected events…"))
def unpublish_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: EventQuerySet
) -> TemplateResponse | None:
    return _with_reason(modeladmin, request, queryset, UNPUBLISH)


@admin.action(permissions=["revise"], description=_("Revise selected rejected events…"))
def revise_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: EventQuerySet
) -> TemplateResponse | None:
    return _with_reason(modeladmin, request, queryset, REVISE)
