"""Health endpoints: /healthz for monitoring, /livez for load balancers."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from events.health import check_database, health


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Every part: database, broker, beat and worker heartbeats. 503 names the
    parts that failed."""
    checks = health()
    failed = sorted(name for name, check in checks.items() if not check.ok)
    return JsonResponse(
        {
            "status": "error" if failed else "ok",
            "failed": failed,
            "checks": {
                name: {"ok": c.ok, "detail": c.detail} for name, c in checks.items()
            },
        },
        status=503 if failed else 200,
    )


@never_cache
def livez(request: HttpRequest) -> JsonResponse:
    """This web process and its database: what a load balancer should watch
    (a stopped worker must not take the web tier out of rotation)."""
    check = check_database()
    return JsonResponse(
        {"status": "ok" if check.ok else "error", "database": check.detail},
        status=200 if check.ok else 503,
    )
