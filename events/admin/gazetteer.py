"""Platforms and authorities: the names events refer to."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django_countries.filters import CountryFilter

from events.admin.forms import AuthorityForm, PlatformForm
from events.admin.history import HistoryAdmin
from events.exceptions import NotPermitted
from events.models import Authority, Platform, normalise_alias
from events.services.reference import reference_may_change, reference_save


class AliasSearchMixin:
    """Search aliases too, in Python: the tables hold hundreds of rows, and the
    JSON text of an alias list is not portably searchable in SQL (SQLite
    stores 微信 as \\u5fae\\u4fe1)."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        found, may_have_duplicates = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        key = normalise_alias(search_term)
        if not key:
            return found, may_have_duplicates
        matching = [
            pk
            for pk, aliases in queryset.values_list("pk", "aliases")
            if any(key in normalise_alias(str(alias)) for alias in aliases or [])
        ]
        if matching:
            found = found | queryset.filter(pk__in=matching)
        return found, may_have_duplicates

    @admin.display(description="aliases")
    def aliases_list(self, obj: Platform | Authority) -> str:
        return ", ".join(str(alias) for alias in obj.aliases)


class ReferencePolicyMixin:
    """Public rows are changed by editors only (events.services.reference):
    others see them read-only; every save is one call of reference_save."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        if obj is None or not allowed:
            return allowed
        return reference_may_change(obj=obj, user=request.user)

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        try:
            reference_save(obj=obj, user=request.user, changed_fields=form.changed_data)
        except NotPermitted as exc:
            raise PermissionDenied(str(exc)) from exc


class PlatformAdmin(ReferencePolicyMixin, AliasSearchMixin, HistoryAdmin):
    form = PlatformForm
    list_display = ["name", "slug", "aliases_list", "homepage"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class AuthorityAdmin(ReferencePolicyMixin, AliasSearchMixin, HistoryAdmin):
    form = AuthorityForm
    list_display = ["name", "country", "kind", "slug", "aliases_list"]
    list_filter = ["kind", ("country", CountryFilter)]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name", "country"]}
