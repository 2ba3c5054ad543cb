"""Merging duplicates and splitting wrong merges from the review desk.

The change page of an event shows its likely duplicates (with links to the
merge confirmation page) or, for a merged event, what it was merged into and
a link to split it off again; the survivor lists the events merged into it,
each with its status changes and a link to its own history. The pages parse
input and call one service each; the services decide who may do what.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from events.admin.forms import ReasonForm
from events.admin.inlines import ReadOnlyInline
from events.exceptions import TrackerError
from events.models import Event, EventMerge, EventQuerySet, Source, StatusChange
from events.selectors.duplicates import event_duplicates
from events.selectors.merges import event_active_merge, merge_source_moves
from events.services.merges import (
    event_split,
    event_split_off,
    events_merge,
    user_may_merge,
)

MAX_MERGED = 20  # events on one merge page
# The fields compared side by side on the merge page, as curators read them.
COMPARED = {
    "platform": _("platform"),
    "target": _("target"),
    "target_type": _("target type"),
    "target_url": _("target URL"),
    "authority": _("authority"),
    "country": _("country"),
    "action": _("action"),
    "date_display": _("date"),
    "ended_on_display": _("ended on"),
    "notice_text": _("notice text"),
    "notice_language": _("notice language"),
    "notice": _("registry notice"),
    "summary": _("summary"),
    "status": _("status"),
}
TEMPLATES = "admin/events/event/"


def _url(name: str, *args: Any) -> str:
    return reverse(f"admin:events_event_{name}", args=args)


def merge_url(events: list[Event], survivor: Event | None = None) -> str:
    query = [("event", event.pk) for event in events]
    if survivor is not None:
        query.append(("survivor", survivor.pk))
    return f"{_url('merge')}?{urlencode(query)}"


def _shown(event: Event, name: str) -> str:
    display = getattr(event, f"get_{name}_display", None)
    value = display() if display else getattr(event, name)
    return "" if value is None else str(value)


def comparison(survivor: Event, others: list[Event]) -> list[dict[str, Any]]:
    """One row per compared field: the survivor's value, the others' values
    and whether they differ (the merge never copies them: curators decide)."""
    rows = []
    for name, label in COMPARED.items():
        values = [_shown(event, name) for event in (survivor, *others)]
        rows.append({"label": label, "values": values, "differs": len(set(values)) > 1})
    return rows


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Event.objects.none(), widget=forms.HiddenInput
    )
    reason = ReasonForm.base_fields["reason"]

    def __init__(self, *args: Any, events: EventQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = events


class SourcesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Source) -> str:
        return f"{obj.url} ({obj.title})" if obj.title else obj.url


class SplitOffForm(forms.Form):
    sources = SourcesField(
        queryset=Source.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("sources about the other event"),
    )
    reason = ReasonForm.base_fields["reason"]

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = event.sources.order_by("id")


class MergedFromInline(ReadOnlyInline):
    """The events merged into this one, with their own status changes and a
    link to their history: the survivor's record of where it came from."""

    model = EventMerge
    fk_name = "survivor"
    fields = readonly_fields = [
        "merged_event",
        "at",
        "user",
        "reason",
        "status_before",
        "their_status_changes",
        "split",
    ]
    verbose_name = _("merged event")
    verbose_name_plural = _("merged from (each keeps its own history)")

    def get_queryset(self, request: HttpRequest) -> Any:
        changes = StatusChange.objects.select_related("user")
        return (
            super()
            .get_queryset(request)
            .select_related("absorbed__platform", "user", "split_by")
            .prefetch_related(Prefetch("absorbed__status_changes", queryset=changes))
        )

    @admin.display(description=_("event"))
    def merged_event(self, obj: EventMerge) -> str:
        event = obj.absorbed
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">history</a>)',
            _url("change", event.pk),
            event,
            _url("history", event.pk),
        )

    @admin.display(description=_("status before"))
    def status_before(self, obj: EventMerge) -> str:
        return str(obj.get_absorbed_status_display())

    @admin.display(description=_("its status changes"))
    def their_status_changes(self, obj: EventMerge) -> str:
        rows = (
            (f"{c.at:%Y-%m-%d %H:%M}", c.from_status or "∅", c.to_status, c.user or "")
            for c in obj.absorbed.status_changes.all()
        )
        items = format_html_join("", "<li>{}: {} → {} {}</li>", rows)
        return format_html("<ul>{}</ul>", items)

    @admin.display(description=_("split"))
    def split(self, obj: EventMerge) -> str:
        if obj.split_at is None:
            return "—"
        return f"{obj.split_at:%Y-%m-%d %H:%M} by {obj.split_by or 'system'}"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.has_perm("events.view_event"))


@admin.action(permissions=["change"], description=_("Merge selected events…"))
def merge_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: EventQuerySet
) -> HttpResponse | None:
    """To the merge page, where the survivor is chosen."""
    events = list(queryset.order_by("pk")[: MAX_MERGED + 1])
    if not 2 <= len(events) <= MAX_MERGED:
        text = _("Select between 2 and %(n)d events to merge.") % {"n": MAX_MERGED}
        modeladmin.message_user(request, text, messages.ERROR)
        return None
    return HttpResponseRedirect(merge_url(events))


class MergeAdminMixin(admin.ModelAdmin):
    """The merge, split and split-off pages of the event admin (a mixin put
    before its other bases, so that get_urls adds to theirs)."""

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("merge/", wrap(self.merge_view), name="events_event_merge"),
            path(
                "<path:object_id>/split/",
                wrap(self.split_view),
                name="events_event_split",
            ),
            path(
                "<path:object_id>/split-off/",
                wrap(self.split_off_view),
                name="events_event_split_off",
            ),
            *super().get_urls(),
        ]

    def merge_context(self, request: HttpRequest, event: Event) -> dict[str, Any]:
        """What the change page shows about merges of `event`."""
        user = request.user
        merge = event_active_merge(event)
        if merge is not None:
            statuses = (merge.survivor.status, merge.absorbed_status)
            may_split = user_may_merge(user, *statuses)
            return {"merge": merge, "split_url": may_split and _url("split", event.pk)}
        may_merge = user_may_merge(user, event.status)
        duplicates = [
            {
                "duplicate": duplicate,
                "into_this": merge_url([event, duplicate.event], survivor=event),
                "this_into": merge_url([event, duplicate.event], duplicate.event),
            }
            for duplicate in event_duplicates(event)
        ]
        return {
            "duplicates_panel": True,
            "duplicates": duplicates,
            "may_merge": may_merge,
            "split_off_url": may_merge and _url("split_off", event.pk),
        }

    def _render(
        self, request: HttpRequest, template: str, title: str, **context: Any
    ) -> TemplateResponse:
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "media": self.media,
            **context,
        }
        return TemplateResponse(request, TEMPLATES + template, context)

    def _event(self, request: HttpRequest, object_id: str) -> Event:
        event = self.get_object(request, unquote(object_id))
        if event is None:
            raise Http404
        if not self.has_view_permission(request, event):
            raise PermissionDenied
        return event

    def merge_view(self, request: HttpRequest) -> HttpResponse:
        """Choose the survivor, compare, give the reason, merge."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        ids = [value for value in data.getlist("event") if value.isdigit()]
        queryset = Event.objects.filter(pk__in=ids).select_related(
            "platform", "authority", "notice"
        )
        events = list(queryset.order_by("pk")[: MAX_MERGED + 1])
        if not 2 <= len(events) <= MAX_MERGED:
            return HttpResponseBadRequest(
                f"event: give the ids of 2 to {MAX_MERGED} events to merge"
            )
        form = MergeForm(
            request.POST if request.method == "POST" else None,
            events=queryset,
            initial={"survivor": data.get("survivor")},
        )
        survivor = next((e for e in events if str(e.pk) == data.get("survivor")), None)
        if form.is_valid() and (done := self._merge(request, form, events)):
            return done
        return self._merge_page(request, form, events, survivor)

    def _merge(
        self, request: HttpRequest, form: MergeForm, events: list[Event]
    ) -> HttpResponse | None:
        survivor = form.cleaned_data["survivor"]
        others = [event for event in events if event.pk != survivor.pk]
        try:
            events_merge(
                survivor=survivor,
                absorbed=others,
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except TrackerError as exc:
            self.message_user(request, f"Not merged: {exc}.", messages.ERROR)
            return None
        text = _("Merged %(n)d event(s) into '%(survivor)s'.") % {
            "n": len(others),
            "survivor": survivor,
        }
        self.message_user(request, text, messages.SUCCESS)
        return HttpResponseRedirect(_url("change", survivor.pk))

    def _merge_page(
        self,
        request: HttpRequest,
        form: MergeForm,
        events: list[Event],
        survivor: Event | None,
    ) -> TemplateResponse:
        others = [event for event in events if event is not survivor]
        context: dict[str, Any] = {"events": events, "form": form}
        if survivor is not None:
            context |= {
                "survivor": survivor,
                "others": others,
                "rows": comparison(survivor, others),
                "moves": merge_source_moves(survivor, others),
            }
        context["choices"] = [
            {"event": event, "url": merge_url(events, event)} for event in events
        ]
        return self._render(request, "merge_confirm.html", _("Merge events"), **context)

    def split_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Undo the merge that absorbed this event, with a reason."""
        event = self._event(request, object_id)
        merge = event_active_merge(event)
        if merge is None:
            raise Http404
        form = ReasonForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                restored = event_split(
                    merge=merge, user=request.user, reason=form.cleaned_data["reason"]
                )
            except TrackerError as exc:
                self.message_user(request, f"Not split: {exc}.", messages.ERROR)
            else:
                self._report_split(request, restored, merge)
                return HttpResponseRedirect(_url("change", event.pk))
        back = Source.objects.filter(
            pk__in=merge.moved_source_ids, event=merge.survivor
        )
        context = {"event": event, "merge": merge, "back": back, "form": form}
        return self._render(request, "split_confirm.html", _("Split"), **context)

    def _report_split(
        self, request: HttpRequest, event: Event, merge: EventMerge
    ) -> None:
        if event.status == merge.absorbed_status:
            text = _("Split off; the event is %(status)s again.")
            level = messages.SUCCESS
        else:
            text = _(
                "Split off, but the event could not be published again: it is "
                "%(status)s now (see its status changes for why)."
            )
            level = messages.WARNING
        status = event.get_status_display()
        self.message_user(request, text % {"status": status}, level)

    def split_off_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Make a new draft out of some sources of a wrongly combined event."""
        event = self._event(request, object_id)
        form = SplitOffForm(
            request.POST if request.method == "POST" else None, event=event
        )
        if form.is_valid():
            try:
                draft = event_split_off(
                    event=event,
                    source_ids=[s.pk for s in form.cleaned_data["sources"]],
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except TrackerError as exc:
                self.message_user(request, f"Not split: {exc}.", messages.ERROR)
            else:
                text = _("New draft made of the chosen sources; correct its fields.")
                self.message_user(request, text, messages.SUCCESS)
                return HttpResponseRedirect(_url("change", draft.pk))
        context = {"event": event, "form": form}
        title = _("Split off sources")
        return self._render(request, "split_off.html", title, **context)
