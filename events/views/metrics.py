"""/metrics for Prometheus: everything with METRICS_TOKEN as a bearer token,
only the public part without one (where settings allow that at all)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from events.ops.metrics import exposition


def _access(request: HttpRequest) -> str | None:
    """ "full" for the holder of METRICS_TOKEN; "public" for a reader without
    a token where that is allowed (METRICS_PUBLIC, or no token configured,
    which production settings refuse unless METRICS_PUBLIC); None else,
    and for a wrong token."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header:
        given = header.removeprefix("Bearer ").strip()
        return "full" if hmac.compare_digest(given.encode(), token.encode()) else None
    if settings.METRICS_PUBLIC or not token:
        return "public"
    return None


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    if access is None:
        response = HttpResponse(
            "metrics need a bearer token\n", status=401, content_type="text/plain"
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(
        exposition(full=access == "full"), content_type=CONTENT_TYPE_LATEST
    )
