"""Enqueueing never fails the sender: an unreachable broker leaves the work in
the database, where the beat dispatcher finds it again. (Real outages are in
tests/faults/.)"""

from __future__ import annotations

import datetime as dt
import logging
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from events.models import Feed
from events.services.queue import enqueue, enqueue_on_commit
from events.tasks import dispatch_due_feeds, fetch_feed, heartbeat

pytestmark = pytest.mark.django_db

DOWN = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def broker_down(task=fetch_feed):
    return mock.patch.object(task, "delay", side_effect=DOWN)


def broker_up(task=fetch_feed):
    return mock.patch.object(task, "delay")


def test_enqueue_reports_an_unreachable_broker_and_logs_it(caplog):
    with broker_down(heartbeat), caplog.at_level(logging.WARNING):
        assert enqueue(heartbeat, "worker") is False
    assert "events.heartbeat('worker',) left for later" in caplog.text


def test_enqueue_sends_when_the_broker_is_up():
    with broker_up(heartbeat) as delay:
        assert enqueue(heartbeat, "worker") is True
    delay.assert_called_once_with("worker")


def test_enqueue_on_commit_sends_after_commit_and_tolerates_the_broker(
    django_capture_on_commit_callbacks,
):
    with (
        broker_down(heartbeat) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue_on_commit(heartbeat, "worker")
        assert not delay.called
    delay.assert_called_once_with("worker")


def test_a_dispatch_that_cannot_send_leaves_the_feeds_due():
    feeds = [
        Feed.objects.create(name=f"f{n}", url=f"https://e.org/{n}") for n in (1, 2)
    ]
    with broker_down() as delay:
        assert dispatch_due_feeds() == []
    assert delay.call_count == 1  # after one failure the others are not tried
    for feed in feeds:
        feed.refresh_from_db()
        assert feed.next_due_at <= timezone.now()


def test_a_dispatch_that_sends_claims_the_feeds_for_an_interval():
    feed = Feed.objects.create(name="f", url="https://e.org/f", fetch_interval=60)
    with broker_up() as delay:
        assert dispatch_due_feeds() == [feed.pk]
    delay.assert_called_once_with(feed.pk)
    feed.refresh_from_db()
    assert feed.next_due_at > timezone.now() + dt.timedelta(minutes=59)


def fetch_now(client, feed):
    return client.post(
        reverse("admin:events_feed_changelist"),
        {"action": "fetch_now", "_selected_action": [feed.pk], "index": 0},
    )


def test_fetch_now_without_a_broker_warns_and_leaves_the_feed_due(admin_client):
    later = timezone.now() + dt.timedelta(days=1)
    feed = Feed.objects.create(name="f", url="https://e.org/f", next_due_at=later)
    with broker_down():
        response = fetch_now(admin_client, feed)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The task queue is unreachable: 1 feed(s) will be fetched as soon as it "
        "is back."
    ]
    feed.refresh_from_db()
    assert feed.next_due_at <= timezone.now()


def test_fetch_now_queues_a_fetch(admin_client):
    later = timezone.now() + dt.timedelta(days=1)
    feed = Feed.objects.create(name="f", url="https://e.org/f", next_due_at=later)
    with broker_up() as delay:
        response = fetch_now(admin_client, feed)
    delay.assert_called_once_with(feed.pk)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Queued a fetch of 1 feed(s)."
    ]
    feed.refresh_from_db()
    assert feed.next_due_at == later
