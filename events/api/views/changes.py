"""The change feed: every change of the published record, in commit order, for
mirrors that must stay exactly in sync (docs/api.md, "Change feed and
mirroring")."""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from events.api import schema
from events.api.base import ApiResponse, ApiView
from events.api.representation import Links, event_dict, timestamp
from events.api.serializers import EventSerializer
from events.choices import ChangeKind
from events.models import EventChange
from events.selectors.api import ApiEvent
from events.selectors.changes import (
    DEFAULT_CHANGES_PAGE,
    MAX_CHANGES_PAGE,
    MAX_CURSOR,
    changes_page,
    log_version,
)


class ChangeSerializer(serializers.Serializer):
    cursor = serializers.IntegerField(help_text="This change's position in the log.")
    at = serializers.DateTimeField(help_text="When it was logged (UTC).")
    kind = serializers.ChoiceField(ChangeKind.choices)
    event_id = serializers.UUIDField()
    merged_into = serializers.UUIDField(
        allow_null=True,
        help_text="The surviving event, for `merged`, while it is published.",
    )
    event = EventSerializer(
        allow_null=True,
        help_text="The event as it is NOW (as GET /events/{id}/ shows it) if "
        "it is published now, else null.",
    )


class ChangePageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    next_cursor = serializers.IntegerField(
        help_text="Pass as `since` next time: the last cursor returned, or "
        "`since` itself when nothing is new."
    )
    has_more = serializers.BooleanField(help_text="More changes follow at once.")


PARAMETERS = [
    OpenApiParameter(
        "since",
        type={"type": "integer", "minimum": 0, "maximum": MAX_CURSOR},
        description="Changes after this cursor; 0 (the default) is the start.",
    ),
    OpenApiParameter(
        "limit",
        type={"type": "integer", "minimum": 1, "maximum": MAX_CHANGES_PAGE},
        description=f"At most this many changes, default {DEFAULT_CHANGES_PAGE}.",
    ),
]


def whole_number(
    params: dict[str, list[str]], name: str, *, default: int, lowest: int, highest: int
) -> int:
    """The one whole-number value of parameter `name`; a 400 naming it else."""
    values = params.get(name, [])
    if not values:
        return default
    text = values[0]
    reason = f"must be a whole number from {lowest} to {highest}"
    if len(values) > 1:
        raise ValidationError({name: ["give it at most once"]})
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(highest)):
        raise ValidationError({name: [reason]})
    if not lowest <= int(text) <= highest:
        raise ValidationError({name: [f"{reason}, not {int(text)}"]})
    return int(text)


def change_dict(
    change: EventChange, published: dict[uuid.UUID, ApiEvent], links: Links
) -> dict[str, Any]:
    """One entry; a survivor is named only while it is published (a merge
    into an event that was later unpublished no longer names it)."""
    event = published.get(change.event_public_id)
    survivor = change.merged_into if change.merged_into in published else None
    return {
        "cursor": change.id,
        "at": timestamp(change.at),
        "kind": change.kind,
        "event_id": str(change.event_public_id),
        "merged_into": None if survivor is None else str(survivor),
        "event": None if event is None else event_dict(event, links),
    }


class ChangeListView(ApiView):
    query_parameters = ("since", "limit")

    @extend_schema(
        operation_id="changes_list",
        parameters=PARAMETERS,
        responses={200: ChangePageSerializer, **schema.ERRORS},
        description="Every change of the published record after cursor `since`, "
        "in commit order: an event published, updated, unpublished, merged, "
        "deleted or redacted (taken down: drop it and any copy of it). Apply "
        "them in order (event present: store it; null: drop it) and a mirror "
        "equals the live record. The embedded event is its current state: "
        "intermediate versions are not replayed (use as_of).",
    )
    def get(self, request: Request) -> Any:
        params = self.query()
        since = whole_number(params, "since", default=0, lowest=0, highest=MAX_CURSOR)
        limit = whole_number(
            params,
            "limit",
            default=DEFAULT_CHANGES_PAGE,
            lowest=1,
            highest=MAX_CHANGES_PAGE,
        )
        newest, logged_at = log_version()
        if response := self.not_modified(request, logged_at, newest):
            return response
        page = changes_page(since=since, limit=limit)
        links = Links.for_request(request)
        results = [change_dict(change, page.events, links) for change in page.changes]
        return ApiResponse(
            {
                "results": results,
                "next_cursor": page.changes[-1].id if page.changes else since,
                "has_more": page.has_more,
            }
        )
