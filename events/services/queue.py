"""Sending tasks without making the sender depend on the broker.

A request or a task that enqueues work must neither fail nor hang because the
broker is down: what it committed stays committed, and the work it could not
send is still recorded in the database, where the beat dispatcher finds it
again once the broker is back (a feed due now is fetched by the next
`events.dispatch_due_feeds`; a feed's pending items are processed after its
next fetch). The publish timeouts are set in settings
(CELERY_BROKER_TRANSPORT_OPTIONS, CELERY_TASK_PUBLISH_RETRY_POLICY).
"""

from __future__ import annotations

import functools
import logging

import redis.exceptions
from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# kombu reports a broker it cannot reach as its OperationalError; redis-py's
# own errors are listed in case one escapes kombu's wrapping.
BROKER_ERRORS = (
    OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


def enqueue(task: Task, *args: object) -> bool:
    """Send `task(*args)` now. Returns False, and logs a warning, when the
    broker is unreachable; the caller leaves the work for later."""
    try:
        task.delay(*args)
    except BROKER_ERRORS as exc:
        logger.warning(
            "broker unreachable, %s%r left for later: %s", task.name, args, exc
        )
        return False
    return True


def enqueue_on_commit(task: Task, *args: object) -> None:
    """Send `task(*args)` once the current transaction commits (at once
    outside a transaction), tolerating an unreachable broker as enqueue()
    does."""
    transaction.on_commit(functools.partial(enqueue, task, *args))
