"""OpenAPI descriptions of the API's query parameters and error responses."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from events.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from events.api.serializers import ErrorSerializer, LikelyDuplicateSerializer
from events.choices import Action, Status, TargetType
from events.selectors.api import GROUPINGS, ORDERINGS
from events.selectors.search import MAX_QUERY_LENGTH

TEXT = {"type": "string", "minLength": 1}
PARTIAL_DATE = {**TEXT, "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}


def _repeatable(
    name: str, description: str, *, enum: list[str] | None = None, pattern: str = ""
) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        type=str,
        many=True,
        explode=True,
        style="form",
        enum=enum,
        pattern=pattern or None,
        description=f"{description} Repeat for any of several (OR).",
    )


def _enum(values: list[str]) -> dict:
    return {"type": "string", "enum": values}


SLUG = "^[-a-zA-Z0-9_]+$"
FILTERS = [
    _repeatable("platform", "Platform slug, e.g. `wechat`.", pattern=SLUG),
    _repeatable(
        "country",
        "Country where it happened, ISO 3166-1 alpha-2 (`CN`, `RU`; any case).",
        pattern="^[A-Za-z]{2}$",
    ),
    _repeatable("authority", "Authority slug; see /api/v1/authorities/.", pattern=SLUG),
    _repeatable("action", "What was done.", enum=Action.values),
    _repeatable("target_type", "What was targeted.", enum=TargetType.values),
    _repeatable(
        "target",
        "Target id (see /api/v1/targets/): the events of its lifecycle.",
        pattern="^[0-9]+$",
    ),
    _repeatable(
        "notice",
        "Notice id (see /api/v1/notices/): the events that showed that notice. "
        "An unknown id is a 400.",
        pattern="^[0-9]+$",
    ),
    _repeatable(
        "status",
        "Only with a token allowed to view drafts (else 400).",
        enum=Status.values,
    ),
    OpenApiParameter(
        "date_after",
        type=PARTIAL_DATE,
        description="Events whose date (a day, month or year) ends on or after the "
        "start of this period: YYYY, YYYY-MM or YYYY-MM-DD. An event dated 2018-08 "
        "matches date_after=2018-08-15 (the periods overlap).",
    ),
    OpenApiParameter(
        "date_before",
        type=PARTIAL_DATE,
        description="Events whose date starts on or before the end of this "
        "period: YYYY, YYYY-MM or YYYY-MM-DD (inclusive: date_before=2018 "
        "includes 2018-12-31).",
    ),
    OpenApiParameter(
        "ongoing", type=bool, description="true: no end date yet; false: ended."
    ),
    OpenApiParameter(
        "has_notice", type=bool, description="true: the notice text users saw is known."
    ),
    OpenApiParameter(
        "q",
        type={**TEXT, "maxLength": MAX_QUERY_LENGTH},
        description="Text search in target, notice text and summary: every term must "
        'occur, ignoring case, as a substring (any script); "quotes" keep a phrase.',
    ),
    OpenApiParameter(
        "updated_after",
        type={"type": "string", "format": "date-time"},
        description="Only events changed after this moment (ISO 8601; UTC when no "
        "offset), for incremental sync with ordering=updated_at.",
    ),
]
ORDERING = OpenApiParameter(
    "ordering",
    type=_enum(list(ORDERINGS)),
    description="`-date` (newest first, the default), `date`, or `updated_at` "
    "(oldest change first, for sync). Ties are broken by a stable id.",
)
PAGINATION = [
    OpenApiParameter(
        "cursor",
        type=TEXT,
        description="Opaque: take it from the `next` or `previous` link.",
    ),
    OpenApiParameter(
        "page_size",
        type={"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        description=f"Events per page, default {DEFAULT_PAGE_SIZE}, at most "
        f"{MAX_PAGE_SIZE}. Ignored by csv and jsonl, which stream every event.",
    ),
]
GROUP_BY = OpenApiParameter(
    "group_by",
    type=_enum(list(GROUPINGS)),
    required=True,
    description="year or month (time order; events known only to the year count "
    "under 'YYYY' in month grouping), or platform, country, authority, action "
    "(largest first; key null for events without an authority).",
)
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Bad parameter or field, named."),
    429: OpenApiResponse(ErrorSerializer, description="Rate limited; see Retry-After."),
}
NOT_FOUND = {
    404: OpenApiResponse(ErrorSerializer, description="Unknown or not visible.")
}
MOVED = {
    301: OpenApiResponse(
        description="The event was merged into another; Location is the "
        "survivor's URL (only when the client may see the survivor)."
    )
}
WRITE_ERRORS = {
    **ERRORS,
    **NOT_FOUND,
    401: OpenApiResponse(ErrorSerializer, description="No or bad token."),
    403: OpenApiResponse(ErrorSerializer, description="Not permitted."),
}
CONFLICT = {
    409: OpenApiResponse(
        ErrorSerializer,
        description="Not from the current status, or the event was taken down.",
    )
}
PUBLISH_CONFLICT = {
    409: OpenApiResponse(
        LikelyDuplicateSerializer,
        description="Not from the current status, the event was taken down "
        "(`detail` only), or likely duplicates and no `confirm_duplicate` "
        "(`code` likely_duplicate, `duplicates`).",
    )
}
PRECONDITIONS = {
    412: OpenApiResponse(
        ErrorSerializer, description="The event changed since the version read."
    ),
    428: OpenApiResponse(ErrorSerializer, description="If-Match is required."),
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description="The ETag of the event as read (GET /api/v1/events/{id}/); "
    "412 when it changed since.",
)
IF_MATCH_REQUIRED = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the event as read (GET /api/v1/events/{id}/): the "
    "transition is made on that version, or refused with 412 (428 without it).",
)


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "events.api.authentication.ApiTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>` (or `Bearer <key>`); reads need none.",
        }
