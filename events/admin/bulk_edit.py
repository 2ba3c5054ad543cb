"""Bulk edit from the review queue: the same platform, authority, country,
action or target type on many selected drafts, through
events.services.editing.events_edit_bulk (history: the curator, the reason)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from events.admin.actions import VERSION_PREFIX, describe_edit, versions_seen
from events.choices import Action, TargetType
from events.models import Authority, EventQuerySet, Platform
from events.services.editing import events_edit_bulk

TEMPLATE = "admin/events/event/bulk_edit.html"
FIELDS = ("platform", "authority", "country", "action", "target_type")


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("(unchanged)")), *choices]


class BulkEditForm(forms.Form):
    """The fields to set (empty ones stay as they are) and why. Prefixed:
    the changelist's own `action` parameter names the admin action."""

    prefix = "edit"

    platform = forms.ModelChoiceField(Platform.objects.order_by("name"), required=False)
    authority = forms.ModelChoiceField(
        Authority.objects.order_by("name"), required=False
    )
    country = CountryField(blank=True).formfield(required=False)
    action = forms.ChoiceField(choices=_blank(Action.choices), required=False)
    target_type = forms.ChoiceField(choices=_blank(TargetType.choices), required=False)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "dir": "auto"}),
        help_text=_("Recorded in each event's history."),
    )

    def changes(self) -> dict[str, Any]:
        return {
            n: v for n in FIELDS if (v := self.cleaned_data.get(n)) not in ("", None)
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors and not self.changes():
            raise forms.ValidationError(_("Choose at least one field to set."))
        return cleaned


@admin.action(permissions=["change"], description=_("Edit selected drafts…"))
def edit_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: EventQuerySet
) -> TemplateResponse | None:
    form = BulkEditForm(request.POST if "post" in request.POST else None)
    events = list(queryset.select_related("platform"))
    if form.is_valid():
        result = events_edit_bulk(
            events=events,
            user=request.user,
            data=form.changes(),
            reason=form.cleaned_data["reason"],
            versions=versions_seen(request),
        )
        modeladmin.message_user(request, *describe_edit(result))
        return None
    request.current_app = modeladmin.admin_site.name
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Edit the selected drafts"),
        "verb": _("Edit"),
        "opts": modeladmin.model._meta,
        "events": events,
        "versions": sorted(versions_seen(request).items()),
        "version_prefix": VERSION_PREFIX,
        "form": form,
        "action": "edit_selected",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, TEMPLATE, context)
