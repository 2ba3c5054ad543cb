"""Dataset releases: the ready ones, newest first, and one by number."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from events.api import schema
from events.api.base import ApiResponse, ApiView
from events.api.releases import ReleaseSerializer, release_dict
from events.models import Release
from events.selectors.releases import ready_release, ready_releases

NUMBER = OpenApiParameter(
    "number",
    type={"type": "integer", "minimum": 1},
    location=OpenApiParameter.PATH,
    description="The release's number.",
)


class ReleaseListView(ApiView):
    @extend_schema(
        operation_id="releases_list",
        responses={200: ReleaseSerializer(many=True), **schema.ERRORS},
        description="Ready releases, newest first: counts, changes since the "
        "previous release, files with SHA-256 checksums, and a citation. A "
        "withdrawn release stays listed with why, and without files.",
    )
    def get(self, request: Request) -> Any:
        self.query()
        releases = ready_releases()
        stamps = releases.aggregate(at=Max("published_at"), gone=Max("withdrawn_at"))
        newest = max((t for t in stamps.values() if t is not None), default=None)
        if response := self.not_modified(request, newest):
            return response
        return ApiResponse([release_dict(release, request) for release in releases])


class ReleaseDetailView(ApiView):
    @extend_schema(
        operation_id="releases_retrieve",
        parameters=[NUMBER],
        responses={200: ReleaseSerializer, **schema.ERRORS, **schema.NOT_FOUND},
        description="One ready release; 404 for an unknown number and for a "
        "release still being built or that failed.",
    )
    def get(self, request: Request, number: str) -> Any:
        self.query()
        # Digits only: int() would also take "1_0", " 1" or other scripts' digits.
        if not number.isascii() or not number.isdigit():
            raise NotFound()
        try:
            release = ready_release(int(number))
        except Release.DoesNotExist:
            raise NotFound() from None
        changed = release.withdrawn_at or release.published_at
        if response := self.not_modified(request, changed):
            return response
        return ApiResponse(release_dict(release, request))
