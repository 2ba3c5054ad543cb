"""API tokens in the admin: see who holds which, revoke them. Keys are issued
by `manage.py create_api_token` (only their digest is stored)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from events.models import ApiToken
from events.services import api_token_revoke


@admin.action(description="Revoke selected tokens", permissions=["change"])
def revoke_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[ApiToken]
) -> None:
    tokens = list(queryset)
    for token in tokens:
        api_token_revoke(token=token)
    modeladmin.message_user(
        request, f"Revoked {len(tokens)} token(s).", messages.SUCCESS
    )


class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "user",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = [
        "user",
        "prefix",
        "created_at",
        "revoked_at",
        "last_used_at",
    ]
    fields = ["name", *readonly_fields, "expires_at"]
    actions = [revoke_selected]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a key is shown once, by the command that makes it
