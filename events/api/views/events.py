"""Events: the list (with filters, pages and exports), one event, drafts."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request

from events.api import schema
from events.api.asof import AS_OF, as_of_param
from events.api.base import (
    ALL_FORMATS,
    ApiResponse,
    ApiView,
    single,
    with_slug_checks,
)
from events.api.exports import export_response
from events.api.pagination import (
    decode_cursor,
    keyset_query,
    keyset_result,
    page_links,
    page_size,
)
from events.api.preconditions import check_version, version_tag
from events.api.representation import CSV_COLUMNS, Links, csv_row, event_dict
from events.api.serializers import (
    EventPageSerializer,
    EventSerializer,
    EventWriteSerializer,
)
from events.choices import Status
from events.models import Event, event_version
from events.selectors.api import (
    DEFAULT_ORDERING,
    ORDERINGS,
    ApiEvent,
    event_get,
    read_list,
    visible_events,
)
from events.selectors.asof import (
    event_as_of,
    events_as_of,
    filter_as_of,
    list_rows,
    shape_rows,
)
from events.selectors.filters import (
    FILTER_NAMES,
    EventFilters,
    SlugCheck,
    filter_events,
)
from events.selectors.merges import event_resolve_merged
from events.services import event_create, event_update

STREAMED = ("csv", "jsonl")


class EventsView(ApiView):
    renderer_classes = ALL_FORMATS
    csv_columns = CSV_COLUMNS

    def get_permissions(self) -> list[BasePermission]:
        writing = self.request.method not in ("GET", "HEAD", "OPTIONS")
        return [IsAuthenticated()] if writing else [AllowAny()]

    def visible(
        self, request: Request, public_id: str, as_of: dt.datetime | None = None
    ) -> ApiEvent:
        """The event if this client may see it (as published at `as_of`, if
        given); a 404 otherwise, malformed ids included, so that nobody
        learns which unpublished ids exist."""
        try:
            parsed = uuid.UUID(public_id)
        except ValueError:
            raise NotFound() from None
        if as_of is not None:
            return event_as_of(parsed, moment=as_of)
        return event_get(parsed, all_statuses=self.sees_all_statuses)

    def editable(self, request: Request, public_id: str) -> Event:
        """The model instance of a visible event, for a service to change."""
        return Event.objects.get(
            public_id=self.visible(request, public_id).row.public_id
        )

    def respond(
        self, request: Request, event: ApiEvent, item: dict[str, Any] | None = None
    ) -> ApiResponse:
        """One event in the negotiated format (`item`: its dict, if made)."""
        item = item or event_dict(event, Links.for_request(request))
        if request.accepted_renderer.format == "csv":
            return ApiResponse([dict(zip(CSV_COLUMNS, csv_row(item), strict=True))])
        return ApiResponse(item)

    def respond_written(self, request: Request, public_id: str) -> ApiResponse:
        """The event after a write, with its new ETag for the next write."""
        event = self.visible(request, public_id)
        response = self.respond(request, event)
        version = event_version(event.row.updated_at)
        response.headers["ETag"] = f'"{version_tag(version)}"'
        return response


class EventListView(EventsView):
    query_parameters = (*FILTER_NAMES, "ordering", "cursor", "page_size", "as_of")

    @extend_schema(
        operation_id="events_list",
        parameters=[*schema.FILTERS, schema.ORDERING, *schema.PAGINATION, AS_OF],
        responses={200: EventPageSerializer, **schema.ERRORS},
        description="Events, newest first, one page at a time (keyset cursors). "
        "With format=csv or jsonl, every matching event is streamed instead.",
    )
    def get(self, request: Request) -> Any:
        return with_slug_checks(lambda defer: self._list(request, defer_checks=defer))

    def _list(self, request: Request, *, defer_checks: bool) -> Any:
        """The list. With `defer_checks`, the filters' slugs are checked in
        the round trip that reads the record version and the page."""
        params = self.query()
        everything = self.sees_all_statuses
        filters = EventFilters.from_params(params, allow_status=everything)
        ordering = single(params, "ordering", ORDERINGS, DEFAULT_ORDERING)
        fmt = request.accepted_renderer.format
        size, cursor = self._page_parameters(params, ordering, streamed=fmt in STREAMED)
        checks: list[SlugCheck] = []
        if (as_of := as_of_param(params)) is not None:
            queryset = filter_as_of(events_as_of(as_of), filters, moment=as_of)
        else:
            queryset = filter_events(
                visible_events(all_statuses=everything),
                filters,
                public_only=not everything,
                checks=checks if defer_checks else None,
            )
        rows = (
            None
            if fmt in STREAMED
            else keyset_query(
                list_rows(queryset, ordering=ordering, as_of=as_of),
                ordering=ordering,
                size=size,
                cursor=cursor,
            )
        )
        # With validators to compare, the page is read only if they differ;
        # without, it is read with the version, in the same round trip.
        early = rows is None or self.conditional(request)
        version, read = read_list(
            None if early else rows, all_statuses=everything, checks=checks
        )
        if response := self.not_modified(request, version):
            return response
        links = Links.for_request(request)
        if fmt in STREAMED:
            return export_response(
                queryset,
                ordering=ordering,
                fmt=fmt,
                links=links,
                head=request.method == "HEAD",
                as_of=as_of,
                reveal=everything,
            )
        assert rows is not None  # a page, not an export
        page = keyset_result(
            list(rows) if read is None else read,
            ordering=ordering,
            size=size,
            cursor=cursor,
        )
        results = [
            event_dict(event, links)
            for event in shape_rows(page.rows, as_of=as_of, reveal=everything)
        ]
        return ApiResponse(
            {**page_links(page, request.build_absolute_uri()), "results": results}
        )

    @staticmethod
    def _page_parameters(
        params: dict[str, list[str]], ordering: str, *, streamed: bool
    ) -> tuple[int, Any]:
        if streamed:
            given = [name for name in ("cursor", "page_size") if name in params]
            if given:
                raise ValidationError(
                    {
                        name: ["csv and jsonl return every event, in one response"]
                        for name in given
                    }
                )
            return 0, None
        cursors = params.get("cursor", [])
        if len(cursors) > 1:
            raise ValidationError({"cursor": ["give it at most once"]})
        cursor = decode_cursor(cursors[0], ordering) if cursors else None
        return page_size(params), cursor

    @extend_schema(
        operation_id="events_create",
        request=EventWriteSerializer,
        responses={201: EventSerializer, **schema.WRITE_ERRORS},
        description="Create a draft (needs a curator's token). Sources may be given.",
    )
    def post(self, request: Request) -> ApiResponse:
        serializer = EventWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        sources = data.pop("sources", [])
        event = event_create(user=request.user, data=data, sources=sources)
        response = self.respond_written(request, str(event.public_id))
        response.status_code = 201
        return response


class EventDetailView(EventsView):
    query_parameters = ("as_of",)

    @extend_schema(
        operation_id="events_retrieve",
        parameters=[AS_OF],
        responses={
            200: EventSerializer,
            **schema.MOVED,
            **schema.ERRORS,
            **schema.NOT_FOUND,
        },
        description="One event; 404 for an unknown id and, without a curator's "
        "token, for any event that is not published (with as_of: that was not "
        "published at that moment).",
    )
    def get(self, request: Request, public_id: str) -> Any:
        as_of = as_of_param(self.query())
        try:
            event = self.visible(request, public_id, as_of)
        except Event.DoesNotExist:
            if as_of is not None:  # not in the record of then, merged or not
                raise NotFound() from None
            return self.merged_redirect(request, uuid.UUID(public_id))
        if event.row.status == Status.MERGED:  # curators see it; it redirects
            return self.merged_redirect(request, event.row.public_id)
        item = event_dict(event, Links.for_request(request))
        fingerprint = json.dumps(item, sort_keys=True)
        tag = version_tag(event_version(event.row.updated_at))
        if response := self.not_modified(
            request, event.row.updated_at, fingerprint, tag=tag
        ):
            return response
        return self.respond(request, event, item)

    def merged_redirect(
        self, request: Request, public_id: uuid.UUID
    ) -> HttpResponsePermanentRedirect:
        """A merged event's id leads to its survivor (query kept) when this
        client may see the survivor; a 404 as for any unknown id otherwise."""
        survivor = event_resolve_merged(public_id, all_statuses=self.sees_all_statuses)
        if survivor is None:
            raise NotFound()
        url = reverse("api:event-detail", args=[survivor])
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    @extend_schema(
        operation_id="events_partial_update",
        request=EventWriteSerializer,
        parameters=[schema.IF_MATCH],
        responses={200: EventSerializer, **schema.PRECONDITIONS, **schema.WRITE_ERRORS},
        description="Edit a draft or an event in review (curators), or any event "
        "(editors). `sources`, when given, replaces the list. With If-Match "
        "(the event's ETag), a 412 when the event changed since.",
    )
    def patch(self, request: Request, public_id: str) -> ApiResponse:
        event = self.editable(request, public_id)
        version = check_version(request, event.version, required=False)
        serializer = EventWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        sources = data.pop("sources", None)
        event_update(
            event=event, user=request.user, data=data, sources=sources, version=version
        )
        return self.respond_written(request, public_id)
