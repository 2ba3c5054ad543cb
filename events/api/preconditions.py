"""Conditional writes: a change carries the version of the event it was made
on (`If-Match`), so that an editor never publishes text that changed after
they read it.

GET /api/v1/events/{id}/ sends an ETag `"v<version>.<digest>"`: the version
is the event's (events.models.event_version), the digest covers the URL and
the format, as for every ETag of the API. `If-Match` with that ETag (from any
URL or format of the event) matches while the event's version is unchanged.
Transitions require it (428 without it); PATCH checks it when it is given.
Every write answers with the event's new ETag, so a client can go on.
"""

from __future__ import annotations

import re

from rest_framework import exceptions, status
from rest_framework.request import Request

_TAG = re.compile(r'(?:W/)?"v(\d+)(?:\.[0-9a-f]*)?"')


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = (
        "send If-Match with the ETag of the event as you read it "
        "(GET /api/v1/events/{id}/): a transition is made on the version you saw"
    )


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


def version_tag(version: str) -> str:
    """The ETag prefix that names an event's version."""
    return f"v{version}."


def versions_given(request: Request) -> list[str] | None:
    """The versions named by If-Match; None when the header is absent. A
    header that names no version of ours (such as `*`) is a 412."""
    header = request.META.get("HTTP_IF_MATCH")
    if header is None:
        return None
    found = _TAG.findall(header)
    if not found:
        raise PreconditionFailed(
            "If-Match names no version of this event; use the ETag of "
            "GET /api/v1/events/{id}/"
        )
    return found


def check_version(request: Request, current: str, *, required: bool) -> str | None:
    """The version the client saw, checked against `current`: 428 when
    `required` and If-Match is absent, 412 when it names another version.
    Returns the version for the service to check again under its lock."""
    given = versions_given(request)
    if given is None:
        if required:
            raise PreconditionRequired()
        return None
    if current not in given:
        raise PreconditionFailed(
            "the event changed since the version you read; read it again"
        )
    return current
