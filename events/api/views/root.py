"""The API's front door: what it serves and where its guide is."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request

from events.api import schema
from events.api.base import ApiResponse, ApiView

# Name shown → URL name of each resource (and an example query where the
# resource needs one), in the order the guide presents them.
RESOURCES = {
    "events": "api:event-list",
    "changes": "api:change-list",
    "stats": "api:stats?group_by=year",
    "platforms": "api:platform-list",
    "authorities": "api:authority-list",
    "countries": "api:country-list",
    "targets": "api:target-list",
    "notices": "api:notice-list",
    "releases": "api:release-list",
    "schema": "api:schema",
    "docs": "api:docs",
}
GUIDE = "docs/api.md in the source repository"


class RootSerializer(serializers.Serializer):
    version = serializers.CharField()
    resources = serializers.DictField(child=serializers.URLField())
    guide = serializers.CharField()


class ApiRootView(ApiView):
    @extend_schema(
        operation_id="api_root",
        responses={200: RootSerializer, **schema.ERRORS},
        description="The resources of the API with their URLs, the OpenAPI "
        "schema and the interactive documentation.",
    )
    def get(self, request: Request) -> Any:
        self.query()
        resources = {}
        for name, target in RESOURCES.items():
            url_name, _, query = target.partition("?")
            url = reverse(url_name) + (f"?{query}" if query else "")
            resources[name] = request.build_absolute_uri(url)
        return ApiResponse({"version": "v1", "resources": resources, "guide": GUIDE})
