"""Takedowns in the admin: editors redact an event by its public id (present
or deleted), and see the releases that still hold it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html_join

from events.exceptions import NotPermitted, TrackerError
from events.models import Redaction
from events.selectors.releases import releases_containing
from events.services.redactions import event_redact


class RedactionForm(forms.ModelForm):
    class Meta:
        model = Redaction
        fields = ["event_public_id", "ground", "reason"]
        labels = {"event_public_id": "Event id"}
        help_texts = {
            "event_public_id": "The event's public id (a UUID, as in its URL); "
            "an event deleted meanwhile can be taken down too.",
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        """Take the event down here, so that what the service refuses is a
        form error on this page; the admin's save then has nothing to do."""
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.instance = event_redact(
                public_id=cleaned["event_public_id"],
                user=self.user,
                **{name: cleaned[name] for name in ("ground", "reason")},
            )
        except NotPermitted as exc:
            raise PermissionDenied(str(exc)) from exc
        except TrackerError as exc:
            raise ValidationError(str(exc)) from exc
        return cleaned


@admin.register(Redaction)
class RedactionAdmin(admin.ModelAdmin):
    list_display = ["event_public_id", "ground", "user", "at"]
    list_filter = ["ground"]
    list_select_related = ["user"]
    search_fields = ["event_public_id"]
    readonly_fields = ["event_public_id", "ground", "reason", "user", "at", "releases"]
    form = RedactionForm

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)

        class WithUser(form):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **inner: Any) -> None:
                super().__init__(*args, user=request.user, **inner)

        return WithUser

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["event_public_id", "ground", "reason"]
        return self.readonly_fields

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        """Done in the form's clean (one call of event_redact)."""

    # The audit trail: written once, never changed or deleted.
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("events.redact_event"))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.has_perm("events.redact_event"))

    @admin.display(description="releases that hold it")
    def releases(self, obj: Redaction) -> str:
        found = releases_containing(obj.event_public_id)
        if not found:
            return "None: no downloadable release holds this event."
        return format_html_join(
            " ",
            '<a class="button" href="{}">Withdraw release {}…</a>',
            (
                (reverse("admin:events_release_withdraw", args=[r.pk]), r.number)
                for r in found
            ),
        )
