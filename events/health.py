"""Health checks of the tracker's parts, for /healthz and monitoring."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from events.models import Heartbeat

# Beat dispatches every minute; the worker runs a heartbeat task every minute.
STALE_AFTER = dt.timedelta(minutes=3)


@dataclass
class Check:
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return Check(False, f"unreachable: {exc.__class__.__name__}")
    return Check(True, connection.vendor)


def check_broker() -> Check:
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
            ).ping()
        except redis.RedisError as exc:
            return Check(False, f"redis unreachable: {exc.__class__.__name__}")
        return Check(True, "redis")
    folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
    if not folder.is_dir():
        return Check(False, f"broker folder missing: {folder}")
    return Check(True, "filesystem")


def check_heartbeat(name: str, beats: dict[str, dt.datetime]) -> Check:
    seen = beats.get(name)
    if seen is None:
        return Check(False, "never seen")
    age = timezone.now() - seen
    detail = f"last seen {int(age.total_seconds())} s ago"
    return Check(age <= STALE_AFTER, detail)


def health() -> dict[str, Check]:
    checks = {"database": check_database(), "broker": check_broker()}
    if checks["database"].ok:
        beats = dict(Heartbeat.objects.values_list("name", "seen_at"))
        checks["beat"] = check_heartbeat("beat", beats)
        checks["worker"] = check_heartbeat("worker", beats)
    return checks
