import datetime as dt

import pytest
from django.utils import timezone

from events.models import Heartbeat

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
