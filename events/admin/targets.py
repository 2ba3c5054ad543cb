"""Targets in the review desk: find them, see their events, merge duplicates.

Targets are made by the events (events.services.targets); curators rename
them, fix their URL and merge the ones that are the same thing under two keys.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from events.admin.gazetteer import ReferencePolicyMixin
from events.admin.history import HistoryAdmin
from events.admin.inlines import ReadOnlyInline
from events.exceptions import NotPermitted
from events.models import Event, Target
from events.services.target_merges import targets_merge

MERGE_TEMPLATE = "admin/events/target/merge.html"


class MergedFilter(admin.SimpleListFilter):
    title = _("merged")
    parameter_name = "merged"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("Not merged")), ("yes", _("Merged into another"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(merged_into__isnull=self.value() == "no")
        return queryset


class TargetEventInline(ReadOnlyInline):
    """The target's events, every status: read only, each linked."""

    model = Event
    fk_name = "target_ref"
    fields = readonly_fields = [
        "event_link",
        "country",
        "action",
        "date_display",
        "ended_on_display",
        "status",
    ]
    ordering = ["date", "id"]
    verbose_name_plural = _("events (all statuses, oldest first)")

    @admin.display(description=_("event"))
    def event_link(self, event: Event) -> str:
        url = reverse("admin:events_event_change", args=[event.pk])
        return format_html('<a href="{}">{}</a>', url, event.target)


class SurvivorForm(forms.Form):
    survivor = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label=_("Keep this target; merge the others into it"),
    )

    def __init__(self, *args: Any, targets: list[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["survivor"]
        field.choices = [(t.pk, f"{t} — {t.event_count} events") for t in targets]  # type: ignore[attr-defined]


@admin.action(permissions=["change"], description=_("Merge selected targets…"))
def merge_selected(
    modeladmin: TargetAdmin, request: HttpRequest, queryset: QuerySet[Target]
) -> TemplateResponse | None:
    targets = list(queryset.select_related("platform"))
    form = SurvivorForm(
        request.POST if "post" in request.POST else None, targets=targets
    )
    if form.is_valid():
        survivor = next(t for t in targets if t.pk == form.cleaned_data["survivor"])
        others = [t for t in targets if t.pk != survivor.pk]
        try:
            moved = targets_merge(survivor=survivor, others=others, user=request.user)
        except (NotPermitted, ValidationError) as exc:
            text = "; ".join(getattr(exc, "messages", [str(exc)]))
            modeladmin.message_user(request, text, messages.ERROR)
            return None
        modeladmin.message_user(
            request,
            f"Merged {len(others)} target(s) into “{survivor.name}”; "
            f"moved {len(moved)} event(s).",
            messages.SUCCESS,
        )
        return None
    request.current_app = modeladmin.admin_site.name
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Merge targets: choose the one to keep"),
        "opts": modeladmin.model._meta,
        "targets": targets,
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, MERGE_TEMPLATE, context)


def _event_count() -> Coalesce:
    # A correlated count: computed for the rows of the page only.
    counts = (
        Event.objects.filter(target_ref=OuterRef("pk"))
        .order_by()
        .values("target_ref")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


@admin.register(Target)
class TargetAdmin(ReferencePolicyMixin, HistoryAdmin):
    list_display = [
        "name",
        "platform",
        "target_type",
        "key",
        "event_count",
        "merged_into",
        "created_at",
    ]
    list_select_related = ["platform", "merged_into", "merged_into__platform"]
    list_filter = ["target_type", MergedFilter, "platform"]
    search_fields = ["name", "key"]
    ordering = ["name", "id"]
    actions = [merge_selected]
    inlines = [TargetEventInline]
    fields = [
        "name",
        "url",
        "platform",
        "target_type",
        "key",
        "merged_into",
        "created_at",
    ]
    readonly_fields = ["platform", "target_type", "key", "merged_into", "created_at"]
    view_on_site = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Target]:
        return super().get_queryset(request).annotate(event_count=_event_count())

    @admin.display(description=_("events"), ordering="event_count")
    def event_count(self, target: Target) -> int:
        return target.event_count  # type: ignore[attr-defined]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Targets come from events; a curator fixes them, never invents one.
        return False
