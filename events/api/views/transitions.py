"""Status transitions through the API: the workflow services, nothing else."""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.serializers import Serializer

from events.api import schema
from events.api.base import ApiResponse
from events.api.preconditions import check_version
from events.api.serializers import (
    EventSerializer,
    PublishSerializer,
    ReasonSerializer,
    TransitionSerializer,
)
from events.api.views.events import EventsView
from events.models import Event
from events.services import (
    event_publish,
    event_reject,
    event_revise,
    event_submit,
    event_unpublish,
)


def _transition_view(
    name: str,
    service: Callable[..., Event],
    serializer: type[Serializer],
    help: str,
    conflict: dict = schema.CONFLICT,
) -> type[EventsView]:
    class TransitionView(EventsView):
        @extend_schema(
            operation_id=f"events_{name}",
            request=serializer,
            parameters=[schema.IF_MATCH_REQUIRED],
            responses={
                200: EventSerializer,
                **conflict,
                **schema.PRECONDITIONS,
                **schema.WRITE_ERRORS,
            },
            description=help,
        )
        def post(self, request: Request, public_id: str) -> ApiResponse:
            event = self.editable(request, public_id)
            version = check_version(request, event.version, required=True)
            given = serializer(data=request.data)
            given.is_valid(raise_exception=True)
            service(
                event=event, user=request.user, version=version, **given.validated_data
            )
            return self.respond_written(request, public_id)

    TransitionView.__name__ = f"Event{name.capitalize()}View"
    TransitionView.__qualname__ = TransitionView.__name__
    return TransitionView


EventSubmitView = _transition_view(
    "submit", event_submit, TransitionSerializer, "Draft → in review (curators)."
)
EventPublishView = _transition_view(
    "publish",
    event_publish,
    PublishSerializer,
    "Draft or in review → published (editors). A 409 names the published or "
    "in-review events that score above DUPLICATE_CONFIRM_SCORE as duplicates; "
    'send `"confirm_duplicate": true` to publish anyway.',
    schema.PUBLISH_CONFLICT,
)
EventRejectView = _transition_view(
    "reject",
    event_reject,
    ReasonSerializer,
    "Draft or in review → rejected (editors); reason required.",
)
EventUnpublishView = _transition_view(
    "unpublish",
    event_unpublish,
    ReasonSerializer,
    "Published → draft (editors); reason required.",
)
EventReviseView = _transition_view(
    "revise",
    event_revise,
    ReasonSerializer,
    "Rejected → draft, to be mended and submitted again (curators); reason required.",
)
