"""Dataset releases in the admin: read-only rows, and a page to cut a new one."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join

from events.models import Release
from events.selectors.releases import release_files
from events.services.release_files import CHANGE_KINDS
from events.services.releases import release_cut

CUT_PERMISSION = "events.cut_release"


class CutReleaseForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="Optional, e.g. “Spring 2025”. The release is numbered.",
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="What is new in it, shown with the release.",
    )


def changelog_summary(release: Release) -> str:
    if not release.changelog:
        return "—"
    return ", ".join(
        f"{release.changelog[kind]['count']} {kind}" for kind in CHANGE_KINDS
    )


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "title",
        "state",
        "event_count",
        "changes",
        "created_by",
        "as_of",
        "published_at",
    ]
    list_filter = ["state"]
    list_select_related = ["created_by"]
    fieldsets = [
        (None, {"fields": ["number", "title", "notes", "state", "error"]}),
        ("Snapshot", {"fields": ["as_of", "change_cursor", "event_count", "totals"]}),
        ("Since the previous release", {"fields": ["changes", "changed_ids"]}),
        ("Files", {"fields": ["file_table"]}),
        ("Made", {"fields": ["created_by", "created_at", "published_at"]}),
    ]
    readonly_fields = [
        "number",
        "title",
        "notes",
        "state",
        "error",
        "as_of",
        "change_cursor",
        "event_count",
        "totals",
        "changes",
        "changed_ids",
        "file_table",
        "created_by",
        "created_at",
        "published_at",
    ]

    # Releases are cited: cut through the page below, never edited or deleted.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="changes")
    def changes(self, release: Release) -> str:
        return changelog_summary(release)

    @admin.display(description="counts")
    def totals(self, release: Release) -> str:
        if not release.counts:
            return "—"
        return format_html("<pre>{}</pre>", json.dumps(release.counts, indent=1))

    @admin.display(description="ids (first 1,000 of each kind)")
    def changed_ids(self, release: Release) -> str:
        if not release.changelog:
            return "—"
        return format_html_join(
            "",
            "<p><strong>{}</strong>: {}</p>",
            (
                (kind, " ".join(release.changelog[kind]["ids"]) or "—")
                for kind in CHANGE_KINDS
            ),
        )

    @admin.display(description="files")
    def file_table(self, release: Release) -> str:
        if not release.csv_sha256:
            return "—"
        return format_html_join(
            "",
            "<p><code>{}</code> · {} bytes · SHA-256 <code>{}</code></p>",
            ((f.name, f.bytes, f.sha256) for f in release_files(release)),
        )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "may_cut": request.user.has_perm(CUT_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_cut"
        view = self.admin_site.admin_view(self.cut_view)
        return [path("cut/", view, name=name), *super().get_urls()]

    def cut_view(self, request: HttpRequest) -> HttpResponse:
        """Cut a new release: a title and notes; the number comes next."""
        if not request.user.has_perm(CUT_PERMISSION):
            raise PermissionDenied
        form = CutReleaseForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            release = release_cut(user=request.user, **form.cleaned_data)
            self.message_user(
                request,
                f"Release {release.number} is being built; its state shows here.",
                messages.SUCCESS,
            )
            change = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
            return HttpResponseRedirect(reverse(change, args=[release.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": "Cut a new release",
        }
        return TemplateResponse(request, "admin/events/release/cut.html", context)
