import pytest
from django.conf import settings

from events.models import Heartbeat
from events.tasks import heartbeat
from tests.worker import celery_worker, wait_for


def test_heartbeat_task_records_the_time(db):
    heartbeat("worker")
    first = Heartbeat.objects.get(name="worker").seen_at
    heartbeat("worker")
    assert Heartbeat.objects.count() == 1
    assert Heartbeat.objects.get(name="worker").seen_at >= first


def test_broker_is_redis_when_redis_url_is_set():
    if settings.REDIS_URL:
        assert settings.CELERY_BROKER_URL.startswith("redis://")
    else:
        assert settings.CELERY_BROKER_URL == "filesystem://"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_executes_a_task_sent_through_the_broker(tmp_path):
    log = tmp_path / "worker.log"
    with celery_worker(log) as worker:
        heartbeat.apply_async(args=["integration-test"], queue=worker.queue)
        wait_for(
            lambda: Heartbeat.objects.filter(name="integration-test").exists(),
            seconds=90,
            log_path=log,
        )
    assert "events.heartbeat" in log.read_text()
