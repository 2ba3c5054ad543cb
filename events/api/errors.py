"""Domain exceptions to HTTP answers, in one place for every API view; and
JSON answers for paths under /api/ that no view serves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from events.api.preconditions import PreconditionFailed
from events.exceptions import (
    EventInvalid,
    LikelyDuplicate,
    NotPermitted,
    Redacted,
    StaleVersion,
    TransitionNotAllowed,
)
from events.selectors.filters import FilterError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


def _too_large() -> PayloadTooLarge:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return PayloadTooLarge(
        f"The request body is too large: the API accepts at most {limit} bytes."
    )


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, NotPermitted):
        return exceptions.PermissionDenied(str(exc))
    if isinstance(exc, TransitionNotAllowed | Redacted):
        return Conflict(str(exc))
    if isinstance(exc, StaleVersion):
        return PreconditionFailed(str(exc))
    if isinstance(exc, EventInvalid):
        return exceptions.ValidationError({"detail": [str(exc)]})
    if isinstance(exc, FilterError):
        return exceptions.ValidationError({k: [v] for k, v in exc.errors.items()})
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"detail": exc.messages})
    if isinstance(exc, ObjectDoesNotExist):
        return exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig):  # over DATA_UPLOAD_MAX_MEMORY_SIZE
        return _too_large()
    return exc


def _duplicates_body(exc: LikelyDuplicate, request: HttpRequest) -> dict[str, Any]:
    """The 409 of an unconfirmed publish: it names the duplicates, so the
    client can decide and send confirm_duplicate."""
    return {
        "detail": str(exc),
        "code": "likely_duplicate",
        "threshold": settings.DUPLICATE_CONFIRM_SCORE,
        "duplicates": [
            {
                "id": ref.public_id,
                "title": ref.title,
                "status": ref.status,
                "score": ref.score,
                "url": request.build_absolute_uri(
                    reverse("api:event-detail", args=[ref.public_id])
                ),
            }
            for ref in exc.duplicates
        ],
    }


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler after mapping NotPermitted → 403, TransitionNotAllowed,
    Redacted and LikelyDuplicate (with the duplicates) → 409, StaleVersion →
    412, EventInvalid, FilterError and Django's ValidationError → 400 with
    messages by field, DoesNotExist → 404, a body over the upload limit →
    413."""
    if isinstance(exc, LikelyDuplicate):
        response = exception_handler(Conflict(str(exc)), context)
        if response is not None:
            response.data = _duplicates_body(exc, context["request"])
        return response
    return exception_handler(_translate(exc), context)


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class ApiNotFoundMiddleware:
    """A 404 under /api/ that no API view answered (an unknown version or
    endpoint, a path with too many parts) is JSON like every other API error,
    not the site's HTML page. Placed before CommonMiddleware, so its slash
    redirects (/api/v1/events → /api/v1/events/) still happen."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and is_api_path(request.path_info)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            answer = JsonResponse(
                {"detail": "No such API endpoint; see /api/v1/docs/ for them all."},
                status=404,
            )
            answer["Cache-Control"] = "no-store"
            return answer
        return response
