"""Dataset releases in the admin: read-only rows, and a page to cut a new one."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join

from events.choices import ReleaseState
from events.exceptions import TrackerError
from events.models import Release
from events.selectors.releases import release_files
from events.services.release_files import CHANGE_KINDS
from events.services.releases import release_cut, release_withdraw

CUT_PERMISSION = "events.cut_release"
WITHDRAW_PERMISSION = "events.withdraw_release"
FORM_PAGE = "admin/events/form_page.html"
CUT_INTRO = [
    "A release freezes the published record as it stands when the build starts: "
    "CSV and JSON Lines files with SHA-256 checksums, counts, and the events "
    "added, changed and removed since the previous release. It is numbered, "
    "public and citable once built, and never changes."
]
WITHDRAW_INTRO = [
    "Withdrawing deletes the release's files: their links answer 410 Gone with "
    "a pointer to the newest release, and the release list shows the date and "
    "the reason below. Do it when the release holds an event that was taken "
    "down. It cannot be undone; cut a new release to replace it."
]


class WithdrawReleaseForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown to the public on the release list, e.g. “It held an "
        "event taken down on a court order; use release 5.” Name no one at risk.",
    )


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
        ("Withdrawal", {"fields": ["withdrawal"]}),
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
        "withdrawal",
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

    @admin.display(description="withdrawn")
    def withdrawal(self, release: Release) -> str:
        if release.withdrawn_at is not None:
            return format_html(
                "{} by {}: {}",
                f"{release.withdrawn_at:%Y-%m-%d %H:%M}",
                release.withdrawn_by,
                release.withdrawn_reason,
            )
        if release.state != ReleaseState.READY:
            return "—"
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_withdraw"
        url = reverse(name, args=[release.pk])
        return format_html('<a class="button" href="{}">Withdraw…</a>', url)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "may_cut": request.user.has_perm(CUT_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self) -> list[URLPattern]:
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        cut = self.admin_site.admin_view(self.cut_view)
        withdraw = self.admin_site.admin_view(self.withdraw_view)
        return [
            path("cut/", cut, name=f"{prefix}_cut"),
            path("<int:pk>/withdraw/", withdraw, name=f"{prefix}_withdraw"),
            *super().get_urls(),
        ]

    def _form_page(
        self, request: HttpRequest, form: forms.Form, **page: Any
    ) -> TemplateResponse:
        """The one-form page (cut, withdraw): `page` gives its title, intro
        paragraphs, form id, button and body class."""
        context = {**self.admin_site.each_context(request), "opts": self.opts}
        context.update(form=form, **page)
        return TemplateResponse(request, FORM_PAGE, context)

    def _to_release(self, release: Release) -> HttpResponseRedirect:
        change = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
        return HttpResponseRedirect(reverse(change, args=[release.pk]))

    def withdraw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Withdraw a ready release, with the reason the public will read."""
        if not request.user.has_perm(WITHDRAW_PERMISSION):
            raise PermissionDenied
        release = get_object_or_404(Release, pk=pk)
        form = WithdrawReleaseForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                release_withdraw(
                    release=release, user=request.user, **form.cleaned_data
                )
            except TrackerError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Release {release.number} was withdrawn.",
                    messages.SUCCESS,
                )
            return self._to_release(release)
        return self._form_page(
            request,
            form,
            title=f"Withdraw release {release.number}",
            intro=WITHDRAW_INTRO,
            form_id="withdraw_form",
            button="Withdraw the release",
            page_class="withdraw-release",
        )

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
            return self._to_release(release)
        return self._form_page(
            request,
            form,
            title="Cut a new release",
            intro=CUT_INTRO,
            form_id="release_form",
            button="Cut the release",
            page_class="cut-release",
        )
