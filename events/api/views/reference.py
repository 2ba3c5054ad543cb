"""Counts: platforms, authorities and countries of the published record, and
statistics of any filtered selection."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from events.api import schema
from events.api.base import (
    ALL_FORMATS,
    ApiResponse,
    ApiView,
    single,
    with_slug_checks,
)
from events.api.serializers import (
    AuthorityCountSerializer,
    CountryCountSerializer,
    PlatformCountSerializer,
    StatSerializer,
)
from events.selectors.api import (
    GROUPINGS,
    authority_counts,
    country_counts,
    event_stats,
    platform_counts,
    read_list,
    record_version,
    visible_events,
)
from events.selectors.filters import (
    FILTER_NAMES,
    EventFilters,
    SlugCheck,
    filter_events,
)

# Only a bound on memory: a new version of the record makes old entries
# unreachable anyway.
COUNTS_TIMEOUT = 3600


class CountsView(ApiView):
    """Counts over the whole published record (a scan of every event, some
    hundreds of milliseconds at a million), made once per version of the
    record and kept in the default cache, shared by every worker."""

    renderer_classes = ALL_FORMATS

    def get(self, request: Request) -> Any:
        self.query()
        version = record_version(all_statuses=False)
        if response := self.not_modified(request, version):
            return response
        stamp = version.isoformat() if version else "-"
        key = f"api:{type(self).__name__}:{stamp}"
        return ApiResponse(cache.get_or_set(key, self.rows, COUNTS_TIMEOUT))

    def rows(self) -> list[dict[str, Any]]:
        raise NotImplementedError


class PlatformListView(CountsView):
    csv_columns = ("slug", "name", "count")

    @extend_schema(
        operation_id="platforms_list",
        responses={200: PlatformCountSerializer(many=True), **schema.ERRORS},
        description="Platforms with published events, by name.",
    )
    def get(self, request: Request) -> Any:
        return super().get(request)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"slug": p.slug, "name": p.name, "count": p.event_count}
            for p in platform_counts()
        ]


class AuthorityListView(CountsView):
    csv_columns = ("slug", "name", "country", "count")

    @extend_schema(
        operation_id="authorities_list",
        responses={200: AuthorityCountSerializer(many=True), **schema.ERRORS},
        description="Authorities with published events, by name.",
    )
    def get(self, request: Request) -> Any:
        return super().get(request)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "slug": a.slug,
                "name": a.name,
                "country": str(a.country) or None,
                "count": a.event_count,
            }
            for a in authority_counts()
        ]


class CountryListView(CountsView):
    csv_columns = ("code", "name", "count")

    @extend_schema(
        operation_id="countries_list",
        responses={200: CountryCountSerializer(many=True), **schema.ERRORS},
        description="Countries with published events, by code.",
    )
    def get(self, request: Request) -> Any:
        return super().get(request)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"code": code, "name": name, "count": n}
            for code, name, n in country_counts()
        ]


class StatsView(ApiView):
    renderer_classes = ALL_FORMATS
    csv_columns = ("key", "count")
    query_parameters = (*FILTER_NAMES, "group_by")

    @extend_schema(
        operation_id="stats",
        parameters=[schema.GROUP_BY, *schema.FILTERS],
        responses={200: StatSerializer(many=True), **schema.ERRORS},
        description="Counts of the events matching the filters (published only "
        "without a curator's token), grouped.",
    )
    def get(self, request: Request) -> Any:
        return with_slug_checks(lambda defer: self._stats(request, defer_checks=defer))

    def _stats(self, request: Request, *, defer_checks: bool) -> Any:
        params = self.query()
        everything = self.sees_all_statuses
        filters = EventFilters.from_params(params, allow_status=everything)
        group_by = single(params, "group_by", GROUPINGS, None)
        checks: list[SlugCheck] = []
        queryset = filter_events(
            visible_events(all_statuses=everything),
            filters,
            public_only=not everything,
            checks=checks if defer_checks else None,
        )
        version, _ = read_list(None, all_statuses=everything, checks=checks)
        if response := self.not_modified(request, version):
            return response
        counts = event_stats(queryset, group_by=group_by)
        return ApiResponse([{"key": c.key, "count": c.count} for c in counts])
