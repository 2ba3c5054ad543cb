"""Domain exceptions to HTTP answers, in one place for every API view."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from events.exceptions import EventInvalid, NotPermitted, TransitionNotAllowed
from events.selectors.filters import FilterError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, NotPermitted):
        return exceptions.PermissionDenied(str(exc))
    if isinstance(exc, TransitionNotAllowed):
        return Conflict(str(exc))
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
    return exc


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler after mapping NotPermitted → 403, TransitionNotAllowed →
    409, EventInvalid, FilterError and Django's ValidationError → 400 with
    messages by field, DoesNotExist → 404."""
    return exception_handler(_translate(exc), context)
