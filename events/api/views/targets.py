"""Targets: the list (filters, blocked now, pages) and one target's lifecycle."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponsePermanentRedirect
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request

from events.api import schema
from events.api.base import ApiResponse, ApiView
from events.api.pagination import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    decode_cursor,
    keyset_page,
    page_links,
    page_size,
)
from events.api.targets import (
    TargetDetailSerializer,
    TargetLinks,
    TargetPageSerializer,
    target_detail_dict,
    target_dict,
)
from events.choices import TargetType
from events.models import Target
from events.selectors.api import record_version
from events.selectors.search import MAX_QUERY_LENGTH
from events.selectors.targets import (
    TARGET_FILTER_NAMES,
    filter_targets,
    public_target,
    target_filters_from_params,
    target_lifecycles,
)

# The latest event of each target orders the list: most recent news first.
ORDERING = "-date"
_EVENT_FILTERS = {parameter.name: parameter for parameter in schema.FILTERS}
FILTERS = [
    _EVENT_FILTERS["platform"],
    _EVENT_FILTERS["country"],
    OpenApiParameter(
        "target_type",
        type=str,
        many=True,
        explode=True,
        style="form",
        enum=TargetType.values,
        description="What the target is. Repeat for any of several (OR).",
    ),
    OpenApiParameter(
        "blocked_now",
        type=bool,
        description="true: targets whose latest published event is a block "
        "without an end date; false: the others.",
    ),
    OpenApiParameter(
        "q",
        type={"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
        description="A substring of the target's name (any case, any script).",
    ),
]

PAGINATION = [
    next(p for p in schema.PAGINATION if p.name == "cursor"),
    OpenApiParameter(
        "page_size",
        type={"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        description=f"Targets per page, default {DEFAULT_PAGE_SIZE}, at most "
        f"{MAX_PAGE_SIZE}.",
    ),
]


class TargetsView(ApiView):
    def fingerprinted(self, request: Request, body: dict[str, Any]) -> Any:
        """The body, or a 304 when the client's copy is the same."""
        fingerprint = json.dumps(body, sort_keys=True)
        version = record_version(all_statuses=False)
        if response := self.not_modified(request, version, fingerprint):
            return response
        return ApiResponse(body)


class TargetListView(TargetsView):
    query_parameters = (*TARGET_FILTER_NAMES, "cursor", "page_size")

    @extend_schema(
        operation_id="targets_list",
        parameters=[*FILTERS, *PAGINATION],
        responses={200: TargetPageSerializer, **schema.ERRORS},
        description="Targets with a published event, the most recently "
        "reported first (by their latest published event), one page at a time. "
        "`country`: the target has a published event in that country.",
    )
    def get(self, request: Request) -> Any:
        params = self.query()
        filters = target_filters_from_params(params)
        size = page_size(params)
        cursors = params.get("cursor", [])
        if len(cursors) > 1:
            raise ValidationError({"cursor": ["give it at most once"]})
        cursor = decode_cursor(cursors[0], ORDERING) if cursors else None
        page = keyset_page(
            filter_targets(filters), ordering=ORDERING, size=size, cursor=cursor
        )
        cycles = target_lifecycles([row.target_ref_id for row in page.rows])
        links = TargetLinks.for_request(request)
        results = [
            target_dict(row.target_ref, cycles[row.target_ref_id], links)
            for row in page.rows
        ]
        body = {**page_links(page, request.build_absolute_uri()), "results": results}
        return self.fingerprinted(request, body)


class TargetDetailView(TargetsView):
    @extend_schema(
        operation_id="targets_retrieve",
        parameters=[
            OpenApiParameter(
                "id",
                {"type": "integer", "minimum": 1},
                OpenApiParameter.PATH,
                description="The target's id, as in its `url`.",
            )
        ],
        responses={
            200: TargetDetailSerializer,
            301: OpenApiResponse(description="Merged: Location is the survivor."),
            **schema.ERRORS,
            **schema.NOT_FOUND,
        },
        description="One target with its lifecycle, computed from its published "
        "events; 404 when it has none. A target merged into another answers "
        "with a permanent redirect to it.",
    )
    def get(self, request: Request, pk: str) -> Any:
        self.query()
        # Ids are positive 64-bit integers; anything else is simply not found.
        if not (pk.isascii() and pk.isdigit() and len(pk) <= 18):
            raise NotFound()
        try:
            target = public_target(int(pk))
        except Target.DoesNotExist:
            raise NotFound() from None
        links = TargetLinks.for_request(request)
        if target.merged_into_id is not None:
            return HttpResponsePermanentRedirect(links.api(target.merged_into_id))
        cycle = target_lifecycles([target.pk])[target.pk]
        return self.fingerprinted(request, target_detail_dict(target, cycle, links))
