"""The record as the fault tests set it up and check it: through manage.py
shell in the stack's environment, and by SQL on the test's private database."""

from __future__ import annotations

import json

from tests.faults.stack import shell
from tests.worker import wait_for

FEED = """
import datetime as dt, json
from django.utils import timezone
from events.models import Feed
later = timezone.now() + dt.timedelta(days=1)
feed = Feed.objects.create(name="Test feed", url="{url}", next_due_at=later)
print(json.dumps(feed.pk))
"""


def create_feed(env: dict[str, str], url: str) -> int:
    """A feed of `url`, not due for a day (only what a test does fetches it)."""
    return json.loads(shell(env, FEED.format(url=url)))


def progress(database, feed_id: int) -> tuple[int, int]:
    """(items stored, items still pending) of the feed."""
    return database.rows(
        "SELECT count(*), count(*) FILTER (WHERE outcome = 'pending') "
        "FROM events_feeditem WHERE feed_id = %s",
        feed_id,
    )[0]


def duplicates(database) -> list[tuple]:
    """Items stored twice, events drafted twice from one item, and sources
    recorded twice for one event."""
    return database.rows(
        "SELECT 'item', guid FROM events_feeditem GROUP BY feed_id, guid "
        "HAVING count(*) > 1 "
        "UNION ALL SELECT 'event', extraction->>'feed_item' FROM events_event "
        "GROUP BY extraction->>'feed_item' HAVING count(*) > 1 "
        "UNION ALL SELECT 'source', url FROM events_source "
        "GROUP BY event_id, url HAVING count(*) > 1"
    )


def drafts_match_items(database) -> bool:
    """One draft for each item that created one, and no other."""
    events = database.scalar("SELECT count(*) FROM events_event")
    drafted = database.scalar(
        "SELECT count(*) FROM events_feeditem WHERE outcome = 'draft_created'"
    )
    return events == drafted


def waiting_on_a_lock(database) -> bool:
    """Some session of the database waits for a row another one holds."""
    return bool(
        database.scalar(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = %s AND wait_event_type = 'Lock'",
            database.name,
        )
    )


def fetches(database, feed_id: int) -> int:
    return database.scalar(
        "SELECT count(*) FROM events_fetchlog WHERE feed_id = %s", feed_id
    )


def store_items(env: dict[str, str], feed_id: int) -> None:
    """Fetch the feed and store its items, processing none of them."""
    shell(
        env,
        f"from events.services.feeds import feed_fetch; feed_fetch(feed_id={feed_id})",
    )


def process_half_way(app, database, feed_id: int, *, held, log_path) -> None:
    """Have the worker process the feed's stored items, and return once it is
    half-way through them: `held` (a connection of the test's) locks the last
    item first, so a worker taking the items in order waits for it inside a
    transaction."""
    held.autocommit = False
    held.execute(
        "SELECT id FROM events_feeditem WHERE feed_id = %s "
        "ORDER BY id DESC LIMIT 1 FOR UPDATE",
        [feed_id],
    )
    app.send_task("events.process_feed_items", args=[feed_id])
    wait_for(lambda: waiting_on_a_lock(database), seconds=30, log_path=log_path)
    stored, pending = progress(database, feed_id)
    assert 0 < pending < stored
