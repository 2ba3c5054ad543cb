"""Redis restarted under a running worker: the worker reconnects and consumes
again, which its liveness check (`manage.py ping_worker`, the guard against
Celery's silent stall after a reconnect) proves end to end."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
import redis

from tests.faults.stack import QUEUE, celery_client, manage
from tests.worker import celery_worker, wait_for

pytestmark = pytest.mark.faults


def seen_at(database, name: str) -> dt.datetime | None:
    rows = database.rows("SELECT seen_at FROM events_heartbeat WHERE name = %s", name)
    return rows[0][0] if rows else None


def queue_bound(broker) -> bool:
    """The worker has (re)declared its queue: a restarted Redis without
    persistence forgot the binding, and a message sent before the worker
    declares it again would have nowhere to go."""
    client = redis.Redis(port=broker.port, socket_timeout=1)
    try:
        return bool(client.exists(f"_kombu.binding.{QUEUE}"))
    except redis.RedisError:
        return False
    finally:
        client.close()


def test_a_worker_consumes_again_after_redis_restarts(env, broker, database, tmp_path):
    log = tmp_path / "worker.log"
    node = f"celery@{socket.gethostname()}"
    with celery_worker(log, queue=QUEUE, env=env), celery_client(broker.url) as app:
        app.send_task("events.heartbeat", args=["worker"])
        wait_for(lambda: seen_at(database, "worker"), seconds=30, log_path=log)
        first = seen_at(database, "worker")

        broker.stop()
        wait_for(
            lambda: "Connection to broker lost" in log.read_text(),
            seconds=30,
            log_path=log,
        )
        broker.start()
        wait_for(lambda: queue_bound(broker), seconds=30, log_path=log)

        app.send_task("events.heartbeat", args=["worker"])
        wait_for(lambda: seen_at(database, "worker") > first, seconds=30, log_path=log)
        assert "ran a task" in manage(env, "ping_worker", node, "--timeout", "20")
