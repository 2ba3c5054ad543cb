"""The `as_of` parameter of the event list and detail: the published record
as it was at a past moment (events.selectors.asof), for reproducible papers."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from events.selectors.asof import parse_as_of

AS_OF = OpenApiParameter(
    "as_of",
    type={"type": "string", "minLength": 1},
    description="The published record as it was at this past moment: an ISO "
    "8601 date-time with its offset (`2024-05-01T12:00:00Z`), or a date "
    "(`2024-05-01`: the end of that day, UTC). Filters, ordering and pages "
    "apply to the record of then, and the answer is byte for byte what was "
    "served then. 400 for a moment in the future or without an offset.",
)


def as_of_param(params: dict[str, list[str]]) -> dt.datetime | None:
    """The moment of the `as_of` parameter, None when absent; a 400 naming
    it when malformed, repeated or in the future."""
    values = params.get("as_of", [])
    if not values:
        return None
    if len(values) > 1:
        raise ValidationError({"as_of": ["give it at most once"]})
    return parse_as_of(values[0], now=timezone.now())
