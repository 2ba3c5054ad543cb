"""Platforms and authorities: the names events refer to."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django_countries.filters import CountryFilter

from events.admin.forms import AuthorityForm, PlatformForm
from events.admin.history import HistoryAdmin
from events.models import Authority, Platform, normalise_alias
from events.services.changes import changes_record_reference_edited


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


class ShownInEventsMixin:
    """Platforms and authorities appear in every event's JSON by name, slug
    (and country): an edit of those is a change of their published events."""

    def save_model(
        self, request: HttpRequest, obj: Platform | Authority, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        if change:
            changes_record_reference_edited(
                instance=obj, changed_fields=form.changed_data
            )


class PlatformAdmin(ShownInEventsMixin, AliasSearchMixin, HistoryAdmin):
    form = PlatformForm
    list_display = ["name", "slug", "aliases_list", "homepage"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class AuthorityAdmin(ShownInEventsMixin, AliasSearchMixin, HistoryAdmin):
    form = AuthorityForm
    list_display = ["name", "country", "kind", "slug", "aliases_list"]
    list_filter = ["kind", ("country", CountryFilter)]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name", "country"]}
