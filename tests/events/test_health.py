import datetime as dt
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from kombu.exceptions import OperationalError

from events.health import Check, check_worker_consumes
from events.models import Heartbeat
from events.tasks import heartbeat

pytestmark = pytest.mark.django_db


def beat(name: str, minutes_ago: float) -> None:
    Heartbeat.objects.update_or_create(
        name=name,
        defaults={"seen_at": timezone.now() - dt.timedelta(minutes=minutes_ago)},
    )


def test_healthz_is_ok_when_every_part_is_alive(client):
    beat("beat", 0.5)
    beat("worker", 0.5)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["failed"] == []


def test_healthz_reports_a_stale_beat(client):
    beat("beat", 10)
    beat("worker", 0.5)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["beat"]
    assert "600 s ago" in response.json()["checks"]["beat"]["detail"]


def test_healthz_reports_a_worker_never_seen(client):
    beat("beat", 0)
    response = client.get("/healthz")
    assert response.json()["failed"] == ["worker"]
    assert response.json()["checks"]["worker"]["detail"] == "never seen"


def test_healthz_reports_an_unreachable_broker(client, settings):
    beat("beat", 0)
    beat("worker", 0)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]


def test_livez_needs_only_the_database(client):
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_a_worker_cannot_prove_it_consumes_without_a_broker():
    down = OperationalError("Connection refused.")
    with mock.patch.object(heartbeat, "apply_async", side_effect=down):
        check = check_worker_consumes(node="celery@host", timeout=1)
    assert check == Check(False, "broker unreachable: OperationalError")


def test_a_worker_that_runs_no_task_in_time_fails_its_liveness_check():
    with mock.patch.object(heartbeat, "apply_async") as send:
        check = check_worker_consumes(node="celery@host", timeout=0.3)
    assert check == Check(False, "celery@host ran no task within 0.3 s")
    assert send.call_args.kwargs["queue"].name == "celery@host.dq2"


def test_ping_worker_needs_workers_with_queues_of_their_own(settings):
    settings.CELERY_WORKER_DIRECT = False
    with pytest.raises(CommandError, match="no queue of their own"):
        call_command("ping_worker", "celery@host")
