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
from events.exceptions import NotPermitted, TrackerError
from events.models import Event, Target
from events.services.masking import target_mask, target_unmask
from events.services.target_merges import targets_merge

MERGE_TEMPLATE = "admin/events/target/merge.html"
MASK_TEMPLATE = "admin/events/target/mask.html"


class MergedFilter(admin.SimpleListFilter):
    title = _("merged")
    parameter_name = "merged"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("Not merged")), ("yes", _("Merged into another"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(merged_into__isnull=self.value() == "no")
        return queryset


class MaskedFilter(admin.SimpleListFilter):
    title = _("masked")
    parameter_name = "masked"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Masked")), ("no", _("Not masked"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(masked=self.value() == "yes")
        return queryset


class PseudonymForm(forms.Form):
    text = forms.CharField(
        label=_("Pseudonym the public sees"),
        max_length=100,
        required=False,
        help_text=_(
            "For example “Account A (masked)”. It must not name the person; "
            "left empty, one is made from the target's id."
        ),
    )


class UnmaskReasonForm(forms.Form):
    text = forms.CharField(
        label=_("Why the real name may be public again"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _mask_step(
    modeladmin: TargetAdmin,
    request: HttpRequest,
    queryset: QuerySet[Target],
    *,
    unmask: bool,
) -> TemplateResponse | None:
    """The page asking for the pseudonym (or the reason), then the service
    for each selected target."""
    targets = list(queryset.select_related("platform"))
    form_class = UnmaskReasonForm if unmask else PseudonymForm
    form = form_class(request.POST if "post" in request.POST else None)
    if form.is_valid():
        text = form.cleaned_data["text"]
        for target in targets:
            try:
                if unmask:
                    target_unmask(target=target, user=request.user, reason=text)
                else:
                    target_mask(target=target, user=request.user, pseudonym=text)
            except (TrackerError, ValidationError) as exc:
                message = "; ".join(getattr(exc, "messages", [str(exc)]))
                modeladmin.message_user(
                    request, f"“{target.name}”: {message}", messages.ERROR
                )
            else:
                done = _("Unmasked") if unmask else _("Masked")
                modeladmin.message_user(
                    request, f"{done} “{target.name}”.", messages.SUCCESS
                )
        return None
    title = _("Unmask targets") if unmask else _("Mask targets")
    return _action_page(
        modeladmin,
        request,
        MASK_TEMPLATE,
        targets=targets,
        form=form,
        title=title,
        verb=title,
        unmask=unmask,
        action="unmask_selected" if unmask else "mask_selected",
        form_id="mask-form",
        page_class="mask-targets",
    )


def _action_page(
    modeladmin: Any,
    request: HttpRequest,
    template: str,
    **page: Any,
) -> TemplateResponse:
    """A confirmation page of a target action (action_base.html): `page`
    gives the targets, form, title, verb, action name, form id, body class."""
    request.current_app = modeladmin.admin_site.name
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        **page,
    }
    return TemplateResponse(request, template, context)


@admin.action(permissions=["change"], description=_("Mask selected targets…"))
def mask_selected(
    modeladmin: TargetAdmin, request: HttpRequest, queryset: QuerySet[Target]
) -> TemplateResponse | None:
    return _mask_step(modeladmin, request, queryset, unmask=False)


@admin.action(permissions=["unmask"], description=_("Unmask selected targets…"))
def unmask_selected(
    modeladmin: TargetAdmin, request: HttpRequest, queryset: QuerySet[Target]
) -> TemplateResponse | None:
    return _mask_step(modeladmin, request, queryset, unmask=True)


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
    return _action_page(
        modeladmin,
        request,
        MERGE_TEMPLATE,
        targets=targets,
        form=form,
        title=_("Merge targets: choose the one to keep"),
        verb=_("Merge"),
        action="merge_selected",
        form_id="merge-form",
        page_class="merge-targets",
    )


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
        "masking",
        "merged_into",
        "created_at",
    ]
    list_select_related = ["platform", "merged_into", "merged_into__platform"]
    list_filter = ["target_type", MaskedFilter, MergedFilter, "category", "platform"]
    search_fields = ["name", "key"]
    ordering = ["name", "id"]
    actions = [merge_selected, mask_selected, unmask_selected]
    inlines = [TargetEventInline]
    fields = [
        "name",
        "url",
        "platform",
        "target_type",
        "key",
        "masking",
        "category",
        "category_description",
        "merged_into",
        "created_at",
    ]
    readonly_fields = [
        "platform",
        "target_type",
        "key",
        "masking",
        # From a Citizen Lab test list (manage.py import_test_list).
        "category",
        "category_description",
        "merged_into",
        "created_at",
    ]
    view_on_site = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Target]:
        return super().get_queryset(request).annotate(event_count=_event_count())

    @admin.display(description=_("events"), ordering="event_count")
    def event_count(self, target: Target) -> int:
        return target.event_count  # type: ignore[attr-defined]

    @admin.display(description=_("masked"), ordering="masked")
    def masking(self, target: Target) -> str:
        """“Masked as …” or a dash: the admin shows the real name beside."""
        return f"Masked as “{target.pseudonym}”" if target.masked else "—"

    def has_unmask_permission(self, request: HttpRequest) -> bool:
        # Unmasking makes more public: an editor's decision.
        return request.user.has_perm("events.publish_event")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Targets come from events; a curator fixes them, never invents one.
        return False
