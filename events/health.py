"""Health checks of the tracker's parts, for /healthz and monitoring."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from events.models import Heartbeat
from events.services.queue import BROKER_ERRORS

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


def check_worker_consumes(*, node: str, timeout: float) -> Check:
    """Send a heartbeat task to the worker `node`'s own queue (needs
    CELERY_WORKER_DIRECT) and wait up to `timeout` seconds for it to be
    recorded: proof that this worker still consumes, which a worker stalled
    after reconnecting to the broker does not."""
    from celery.utils.nodenames import worker_direct

    from events.tasks import heartbeat

    name = f"ping:{uuid.uuid4().hex}"
    try:
        heartbeat.apply_async(args=[name], queue=worker_direct(node), expires=timeout)
    except BROKER_ERRORS as exc:
        return Check(False, f"broker unreachable: {exc.__class__.__name__}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Heartbeat.objects.filter(name=name).delete()[0]:
            return Check(True, f"{node} ran a task")
        time.sleep(0.2)
    return Check(False, f"{node} ran no task within {timeout:g} s")
