from unittest import mock

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.db import InterfaceError, OperationalError

from events.models import Heartbeat
from events.tasks import DB_MAX_RETRIES, fetch_feed, heartbeat, process_feed_items
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


@pytest.mark.parametrize(
    ("task", "service"),
    [
        (process_feed_items, "events.tasks.feed_items_process"),
        (fetch_feed, "events.tasks.feed_fetch"),
    ],
)
@pytest.mark.parametrize(
    "error", [OperationalError("terminating connection"), InterfaceError("closed")]
)
def test_feed_tasks_retry_transient_database_errors(task, service, error):
    with (
        mock.patch(service, side_effect=error),
        mock.patch.object(task, "retry", side_effect=Retry()) as retry,
        pytest.raises(Retry),
    ):
        task(1)
    assert retry.call_args.kwargs == {
        "exc": error,
        "countdown": 1,
        "max_retries": DB_MAX_RETRIES,
    }


@pytest.mark.parametrize(("retries", "countdown"), [(1, 2), (3, 8), (5, 30), (9, 30)])
def test_database_retries_back_off_up_to_half_a_minute(retries, countdown):
    process_feed_items.push_request(retries=retries)
    try:
        with (
            mock.patch(
                "events.tasks.feed_items_process", side_effect=OperationalError()
            ),
            mock.patch.object(
                process_feed_items, "retry", side_effect=Retry()
            ) as retry,
            pytest.raises(Retry),
        ):
            process_feed_items.run(1)
    finally:
        process_feed_items.pop_request()
    assert retry.call_args.kwargs["countdown"] == countdown
