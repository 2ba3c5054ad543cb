"""The review desk: events, their sources and their status changes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django_countries.filters import CountryFilter

from events.admin import actions, publishing
from events.admin.bulk_edit import edit_selected
from events.admin.completeness import IncompleteFilter
from events.admin.filters import (
    ActivityFilter,
    ConfidenceFilter,
    DateRangeFilter,
    OriginFilter,
    StatusFilter,
    YearFilter,
)
from events.admin.forms import URL_OVERRIDES, EventForm, ReasonForm
from events.admin.history import HistoryAdmin
from events.admin.inlines import ReadOnlyInline
from events.admin.merges import MergeAdminMixin, MergedFromInline, merge_selected
from events.admin.notices import NoticeMatchMixin
from events.admin.queue import QUEUE_COLUMNS, QueueColumnsMixin
from events.exceptions import NotPermitted
from events.languages import text_direction
from events.models import Event, Source, StatusChange
from events.selectors.extraction import event_extraction
from events.selectors.search import SearchQueryError, search_desk
from events.services import event_can_edit
from events.services.editing import (
    event_create_from_form,
    event_save_from_form,
    events_delete,
)
from events.services.record_hooks import events_written
from events.services.workflow import Transition, user_may


def _editable(request: HttpRequest, event: Event | None) -> bool:
    return event is None or event_can_edit(event=event, user=request.user)


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1
    formfield_overrides = URL_OVERRIDES
    fields = ["url", "title", "publisher", "published_at", "archive_url"]

    # Sources are part of the event: editable exactly when the event is.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and _editable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and _editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and _editable(request, obj)


class StatusChangeInline(ReadOnlyInline):
    """The transitions so far; written only by the workflow services."""

    model = StatusChange
    fields = readonly_fields = ["at", "user", "from_status", "to_status", "note"]
    verbose_name_plural = "status changes (who, when, from, to, why)"

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("user")


WHAT = (
    "platform",
    "target",
    "target_type",
    "target_url",
    "authority",
    "country",
    "action",
)
NOTICE = (
    "notice_as_shown",
    "notice_text",
    "notice_language",
    "registry_notice",
    "summary",
)
RECORD = ("status", "published_at", "public_id", "created_at", "updated_at")
EDIT_FIELDSETS = [
    (None, {"fields": WHAT}),
    ("When", {"fields": ("date", "date_precision", "ended_on", "ended_on_precision")}),
    ("Notice", {"fields": NOTICE}),
    ("Record", {"fields": (*RECORD, "change_reason")}),
]
# Without the edit widgets: dates at their precision, the notice once.
READONLY_FIELDSETS = [
    (None, {"fields": WHAT}),
    ("When", {"fields": ("date_at_precision", "ended_on_at_precision")}),
    (
        "Notice",
        {
            "fields": (
                "notice_as_shown",
                "notice_language",
                "registry_notice",
                "summary",
            )
        },
    ),
    ("Record", {"fields": RECORD}),
]


class EventAdmin(QueueColumnsMixin, NoticeMatchMixin, MergeAdminMixin, HistoryAdmin):
    form = EventForm

    class Media:
        css = {"all": ["events/admin.css"]}

    inlines = [SourceInline, StatusChangeInline, MergedFromInline]
    actions = [
        actions.submit_selected,
        publishing.publish_selected,
        actions.reject_selected,
        actions.unpublish_selected,
        actions.revise_selected,
        merge_selected,
        edit_selected,
    ]
    list_display = QUEUE_COLUMNS
    list_select_related = ["platform", "authority"]
    list_filter = [
        StatusFilter,
        "platform",
        ("country", CountryFilter),
        "authority",
        "action",
        YearFilter,
        OriginFilter,
        ActivityFilter,
        IncompleteFilter,
        ConfidenceFilter,
        DateRangeFilter,
    ]
    # Searched by get_search_results (the API's search); the box needs a field.
    search_fields = ["target"]
    search_help_text = (
        "Every word in the target, notice or summary; or a source's whole URL."
    )
    ordering = ["-created_at"]
    autocomplete_fields = ["platform", "authority"]
    readonly_fields = [
        *RECORD,
        "notice_as_shown",
        "registry_notice",
        "date_at_precision",
        "ended_on_at_precision",
    ]
    history_list_display = ["status"]
    view_on_site = False

    @admin.display(description="status", ordering="status")
    def status_seen(self, obj: Event) -> str:
        """The status, and the version this row shows, which bulk actions
        send along: an event changed since the list was loaded is skipped."""
        return format_html(
            '{}<input type="hidden" name="{}{}" value="{}">',
            obj.get_status_display(),
            actions.VERSION_PREFIX,
            obj.pk,
            obj.version,
        )

    @admin.display(description="date", ordering="date")
    def date_at_precision(self, obj: Event) -> str:
        return obj.date_display

    @admin.display(description="ended on")
    def ended_on_at_precision(self, obj: Event) -> str:
        return obj.ended_on_display or "ongoing"

    @admin.display(description="notice as users saw it")
    def notice_as_shown(self, obj: Event) -> str:
        if not obj.notice_text:
            return self.get_empty_value_display()
        return format_html(
            '<blockquote class="notice-as-shown" lang="{}" dir="{}">{}</blockquote>',
            obj.notice_language,
            text_direction(obj.notice_language),
            obj.notice_text,
        )

    def get_search_results(
        self, request: HttpRequest, queryset: Any, search_term: str
    ) -> tuple[Any, bool]:
        try:
            return search_desk(queryset, search_term), False
        except SearchQueryError as exc:
            self.message_user(request, f"Not searched: {exc}.", messages.ERROR)
            return queryset, False

    def save_model(
        self, request: HttpRequest, obj: Event, form: Any, change: bool
    ) -> None:
        try:
            if not change:
                event_create_from_form(event=obj, user=request.user)
                return
            event_save_from_form(event=obj, user=request.user)
        except NotPermitted as exc:
            raise PermissionDenied(str(exc)) from exc

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        # Inside the admin's transaction, after the event and its sources.
        events_written(event_ids=[form.instance.pk])

    # Deleting (superusers) takes published events out of the record: the
    # service logs it in the change feed, in the same transaction.
    def delete_model(self, request: HttpRequest, obj: Event) -> None:
        events_delete(events=[obj], user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        events_delete(events=list(queryset), user=request.user)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and not self.has_change_permission(request, obj):
            return READONLY_FIELDSETS
        return EDIT_FIELDSETS

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return event_can_edit(event=obj, user=request.user)

    # Who may run each action; the services check the same permissions again.
    def has_submit_permission(self, request: HttpRequest) -> bool:
        return user_may(request.user, actions.SUBMIT)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return user_may(request.user, actions.PUBLISH)

    def has_reject_permission(self, request: HttpRequest) -> bool:
        return user_may(request.user, actions.REJECT)

    def has_unpublish_permission(self, request: HttpRequest) -> bool:
        return user_may(request.user, actions.UNPUBLISH)

    def has_revise_permission(self, request: HttpRequest) -> bool:
        return user_may(request.user, actions.REVISE)

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_transition"
        view = self.admin_site.admin_view(self.transition_view)
        route = "<path:object_id>/transition/<str:transition>/"
        return [path(route, view, name=name), *super().get_urls()]

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None:
            context["transitions"] = self._transition_buttons(request, obj)
            if request.user.has_perm("events.redact_event"):
                add = reverse("admin:events_redaction_add")
                context["takedown_url"] = f"{add}?event_public_id={obj.public_id}"
            context.update(self.merge_context(request, obj))
            context["extraction"] = event_extraction(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _transition_buttons(
        self, request: HttpRequest, event: Event
    ) -> list[dict[str, Any]]:
        """The transitions this user may perform on this event as it stands."""
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_transition"
        return [
            {
                "label": actions.LABELS[t.name],
                "url": reverse(name, args=[event.pk, t.name]),
                "needs_reason": t.reason_required,
                "version_field": f"{actions.VERSION_PREFIX}{event.pk}",
                "version": event.version,
            }
            for t in actions.TRANSITIONS.values()
            if event.status in t.sources and user_may(request.user, t)
        ]

    def transition_view(
        self, request: HttpRequest, object_id: str, transition: str
    ) -> HttpResponse:
        """One transition of one event, from the buttons on its change page."""
        chosen: Transition | None = actions.TRANSITIONS.get(transition)
        event = self.get_object(request, unquote(object_id))
        if chosen is None or event is None:
            raise Http404
        if not (
            user_may(request.user, chosen) and self.has_view_permission(request, event)
        ):
            raise PermissionDenied
        reason = ""
        change_url = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
        back = HttpResponseRedirect(reverse(change_url, args=[event.pk]))
        if chosen is actions.PUBLISH and request.method == "POST":
            asked = publishing.publish_or_confirm(self, request, [event])
            return back if asked is None else asked
        if chosen.reason_required:
            form = ReasonForm(request.POST if request.method == "POST" else None)
            if not form.is_valid():
                return actions.render_reason_page(
                    self, request, transition=chosen, events=[event], form=form
                )
            reason = form.cleaned_data["reason"]
        elif request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        actions.apply_transition(self, request, chosen, [event], reason)
        return back
