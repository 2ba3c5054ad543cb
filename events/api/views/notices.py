"""The notice registry: the list (filters, pages) and one notice."""

from __future__ import annotations

import json
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

from events.api import schema
from events.api.base import ApiResponse, ApiView
from events.api.notices import (
    NoticeLinks,
    NoticePageSerializer,
    NoticeSerializer,
    decode_cursor,
    encode_cursor,
    notice_dict,
)
from events.api.pagination import page_size
from events.choices import NoticeKind
from events.models import Notice
from events.selectors.api import record_version
from events.selectors.notices import (
    MAX_QUERY_LENGTH,
    NOTICE_FILTERS,
    notice_page,
    notices,
    parse_notice_filters,
    public_notice,
    published_counts,
    registry_changed_at,
    with_public_variants,
)

FILTERS = [
    OpenApiParameter(
        "kind",
        type={"type": "string", "enum": NoticeKind.values},
        description="Platform notice, blockpage, DNS or HTTP header fingerprint.",
    ),
    OpenApiParameter(
        "platform",
        type={"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
        description="Slug of the platform that shows it (400 if it shows none).",
    ),
    OpenApiParameter(
        "country",
        type={"type": "string", "pattern": "^[A-Za-z]{2}$"},
        description="ISO 3166-1 alpha-2: notices known to be shown there, or "
        "carried by a published event there.",
    ),
    OpenApiParameter(
        "q",
        type={"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
        description="Words that must each occur in the title or a wording (any "
        "case, any script).",
    ),
]


class NoticesView(ApiView):
    def respond(self, request: Request, body: dict[str, Any]) -> Any:
        """The body, or a 304 when the client's copy is the same."""
        stamps = [record_version(all_statuses=False), registry_changed_at()]
        version = max((s for s in stamps if s is not None), default=None)
        fingerprint = json.dumps(body, sort_keys=True)
        if response := self.not_modified(request, version, fingerprint):
            return response
        return ApiResponse(body)


def _rows(notice_list: list[Notice], links: NoticeLinks) -> list[dict[str, Any]]:
    counts = published_counts([notice.pk for notice in notice_list])
    return [notice_dict(n, counts.get(n.pk, 0), links) for n in notice_list]


class NoticeListView(NoticesView):
    query_parameters = (*NOTICE_FILTERS, "cursor", "page_size")

    @extend_schema(
        operation_id="notices_list",
        parameters=[*FILTERS, *schema.PAGINATION],
        responses={200: NoticePageSerializer, **schema.ERRORS},
        description="The notice registry, by id, one page at a time: each "
        "notice with its wordings and the number of published events that "
        "showed it (`events_url` lists them).",
    )
    def get(self, request: Request) -> Any:
        params = self.query()
        filters = parse_notice_filters(params)
        size = page_size(params)
        cursors = params.get("cursor", [])
        if len(cursors) > 1:
            raise ValidationError({"cursor": ["give it at most once"]})
        pk, backwards = decode_cursor(cursors[0]) if cursors else (None, False)
        queryset = with_public_variants(notices(filters))
        rows, more = notice_page(
            queryset,
            size=size,
            after=None if backwards else pk,
            before=pk if backwards else None,
        )
        url = request.build_absolute_uri()
        later = rows and (more or backwards)
        earlier = rows and (more if backwards else pk is not None)
        body = {
            "next": _link(url, rows[-1].pk, backwards=False) if later else None,
            "previous": _previous(url, rows[0].pk) if earlier else None,
            "results": _rows(rows, NoticeLinks.for_request(request)),
        }
        return self.respond(request, body)


def _link(url: str, pk: int, *, backwards: bool) -> str:
    return replace_query_param(url, "cursor", encode_cursor(pk, backwards=backwards))


def _previous(url: str, first_pk: int) -> str:
    return _link(url, first_pk, backwards=True)


class NoticeDetailView(NoticesView):
    @extend_schema(
        operation_id="notices_retrieve",
        parameters=[OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: NoticeSerializer, **schema.ERRORS, **schema.NOT_FOUND},
        description="One notice of the registry with its wordings; its "
        "published events are at `events_url`.",
    )
    def get(self, request: Request, pk: str) -> Any:
        self.query()
        # Ids are positive 64-bit integers; anything else is simply not found.
        if not (pk.isascii() and pk.isdigit() and len(pk) <= 18):
            raise NotFound()
        try:
            notice = public_notice(int(pk))
        except Notice.DoesNotExist:
            raise NotFound() from None
        links = NoticeLinks.for_request(request)
        return self.respond(request, _rows([notice], links)[0])
