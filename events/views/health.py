"""HTML and plain HTTP views."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse

from events.models import Heartbeat


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness of the database and the age of the last worker heartbeat."""
    checks: dict[str, object] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
        healthy = False
    if healthy:
        beat = Heartbeat.objects.filter(name="worker").first()
        checks["worker_heartbeat"] = beat.seen_at.isoformat() if beat else None
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
    )
