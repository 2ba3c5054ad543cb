"""What every API view shares: formats, authentication, rate limits, strict
parameters, conditional requests (ETag / Last-Modified) and response headers."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from events.api.authentication import ApiTokenAuthentication
from events.api.negotiation import FormatNegotiation
from events.api.renderers import CSVRenderer, JSONLinesRenderer, JSONRenderer
from events.api.throttling import (
    AnonymousThrottle,
    TokenThrottle,
    refused_token_counted,
)
from events.selectors.filters import StaleSlugIds

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Retry-After, Content-Disposition"
    ),
    "Access-Control-Max-Age": "86400",
}
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)
ALL_FORMATS = [JSONRenderer, CSVRenderer, JSONLinesRenderer]


class ApiResponse(Response):
    """DRF's Response, except that an empty body (a JSON Lines or CSV list
    with no rows) keeps its Content-Type: zero lines is a valid document."""

    @property
    def rendered_content(self) -> Any:
        content = super().rendered_content
        if not content and self.status_code == 200 and "Content-Type" not in self:
            renderer = self.accepted_renderer
            self["Content-Type"] = f"{renderer.media_type}; charset={renderer.charset}"
        return content


class ApiView(APIView):
    authentication_classes = [ApiTokenAuthentication]
    throttle_classes = [AnonymousThrottle, TokenThrottle]
    content_negotiation_class = FormatNegotiation
    renderer_classes = [JSONRenderer]
    # Query parameters a GET accepts besides `format`; any other is a 400.
    query_parameters: tuple[str, ...] = ()
    _validators: tuple[str, dt.datetime | None] | None = None

    def perform_authentication(self, request: Request) -> None:
        """A refused token stays a 401, counted first against the anonymous
        rate of the client's address (a 429 once that is spent)."""
        try:
            request.user  # noqa: B018 (authenticates)
        except AuthenticationFailed:
            refused_token_counted(request, self)
            raise

    @property
    def sees_all_statuses(self) -> bool:
        """Whether the client may see drafts, events in review and rejected ones."""
        user = self.request.user
        return bool(user and user.is_active and user.has_perm("events.view_event"))

    def query(self) -> dict[str, list[str]]:
        """The query parameters by name; a 400 for a name this view does not take."""
        params = dict(self.request.query_params.lists())
        unknown = sorted(set(params) - set(self.query_parameters) - {"format"})
        if unknown:
            raise ValidationError(
                {
                    name[:100]: ["unknown parameter; see /api/v1/docs/"]
                    for name in unknown
                }
            )
        return params

    @staticmethod
    def conditional(request: Request) -> bool:
        """Whether the request carries validators to compare (a 304 or 412)."""
        return any(name in request.META for name in CONDITIONAL_HEADERS)

    def not_modified(
        self,
        request: Request,
        version: dt.datetime | None,
        *identity: Any,
        tag: str = "",
    ) -> HttpResponseBase | None:
        """A 304 when the client's copy is current; else None, and the ETag and
        Last-Modified to send are remembered. The ETag covers the version of
        the visible record, the URL, the format and what the client may see;
        `tag` goes before it (an event's version, events.api.preconditions)."""
        parts = [
            version.isoformat() if version else "-",
            request.get_full_path(),
            request.accepted_renderer.format,
            self.sees_all_statuses,
            *identity,
        ]
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
        self._validators = (f'"{tag}{digest}"', version)
        last_modified = int(version.timestamp()) if version else None
        return get_conditional_response(
            request._request, etag=self._validators[0], last_modified=last_modified
        )

    def finalize_response(
        self, request: Request, response: Any, *args: Any, **kwargs: Any
    ) -> Any:
        if getattr(response, "status_code", 200) >= 400 and hasattr(response, "data"):
            # Errors are JSON whatever format was asked for.
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        self._headers(request, response)
        return response

    def _headers(self, request: Request, response: HttpResponseBase) -> None:
        patch_vary_headers(response, ["Accept", "Authorization"])
        if request.method in SAFE_METHODS:
            for name, value in CORS_HEADERS.items():
                response.headers.setdefault(name, value)
        status = response.status_code
        if request.method not in ("GET", "HEAD") or status >= 400:
            response.headers["Cache-Control"] = "no-store"
            return
        if self._validators and status in (200, 304):
            etag, version = self._validators
            response.headers["ETag"] = etag
            if version is not None:
                response.headers["Last-Modified"] = http_date(version.timestamp())
        private = "HTTP_AUTHORIZATION" in request.META
        max_age = settings.API_CACHE_MAX_AGE
        response.headers["Cache-Control"] = (
            "private, no-cache" if private else f"public, max-age={max_age}"
        )


def single(
    params: dict[str, list[str]], name: str, choices: Iterable[str], default: str | None
) -> str:
    """The one value of parameter `name`, one of `choices`; a 400 naming it else."""
    values = params.get(name, [])
    options = list(choices)
    if not values and default is not None:
        return default
    if len(values) != 1 or values[0] not in options:
        given = (
            "missing"
            if not values
            else "given twice"
            if len(values) > 1
            else repr(values[0][:50])
        )
        raise ValidationError({name: [f"{given}; use one of {', '.join(options)}"]})
    return values[0]


def with_slug_checks(read: Callable[[bool], Any]) -> Any:
    """`read(True)`: a response whose filters check their platform and
    authority slugs in the round trip of its other reads (filter_events'
    `checks`); `read(False)` when a slug changed meanwhile (StaleSlugIds)."""
    try:
        return read(True)
    except StaleSlugIds:  # renamed or taken by another row since remembered
        return read(False)
