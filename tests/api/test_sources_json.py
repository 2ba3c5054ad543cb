"""An event's sources in the API follow every way of writing them.

On PostgreSQL the API reads an event's sources from columns that triggers on
events_source keep (migration 0015); elsewhere from the sources themselves.
Either way what the API shows must be the sources as they are now, however
they were written: one by one or in bulk, moved between events, deleted, or
by SQL that knows nothing of the ORM, and by two transactions at once.
"""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.db import connection, transaction

from events.models import Source
from events.selectors.api import SOURCE_COLUMNS, utc_timestamp
from tests.api.conftest import publish
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2018, 5, 3, 10, 20, 30, 123456, tzinfo=dt.UTC)


def expected(event) -> list[dict]:
    """The event's sources as the API must show them, from the table."""
    rows = Source.objects.filter(event=event).order_by("id").values(*SOURCE_COLUMNS)
    return [{**row, "published_at": utc_timestamp(row["published_at"])} for row in rows]


def shown(api, event) -> list[dict]:
    detail = api.get(f"/api/v1/events/{event.public_id}/").json()["sources"]
    listed = {
        item["id"]: item["sources"]
        for item in api.get("/api/v1/events/", {"page_size": 500}).json()["results"]
    }
    assert listed[str(event.public_id)] == detail
    if connection.vendor == "postgresql":
        # The stored texts are the CSV export's `sources` and `source_urls`
        # cells, byte for byte.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sources_json, source_urls FROM events_event WHERE id = %s",
                [event.pk],
            )
            stored, urls = cursor.fetchone()
        assert stored == json.dumps(expected(event), ensure_ascii=False)
        assert urls == " ".join(source["url"] for source in expected(event))
    return detail


def bare_event():
    """A published event without sources (publish() gives it one)."""
    event = publish()
    Source.objects.filter(event=event).delete()
    return event


def test_every_way_of_writing_sources_shows_in_the_api(api):
    event, other = bare_event(), bare_event()
    assert shown(api, event) == []

    first = SourceFactory(
        event=event, title='Quoted "title" — ü, 中文', published_at=WHEN
    )
    assert shown(api, event) == expected(event) != []

    first.publisher = "Reuters\nWire"
    first.save()
    Source.objects.bulk_create(
        [
            Source(event=event, url="https://example.org/a", archive_url=""),
            Source(event=event, url="https://example.org/b", published_at=WHEN),
        ]
    )
    assert len(shown(api, event)) == 3 and shown(api, event) == expected(event)

    Source.objects.filter(event=event).update(title="Same for all")
    assert shown(api, event) == expected(event)

    moved = Source.objects.filter(event=event, url="https://example.org/a")
    moved.update(event=other)
    assert [s["url"] for s in shown(api, other)] == ["https://example.org/a"]
    assert len(shown(api, event)) == 2 and shown(api, event) == expected(event)

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO events_source (event_id, url, title, publisher, "
            "archive_url, published_at) VALUES (%s, %s, %s, %s, %s, %s)",
            [event.pk, "https://example.org/sql", "By SQL", "", "", None],
        )
    assert shown(api, event)[-1]["url"] == "https://example.org/sql"
    assert shown(api, event) == expected(event)

    first.delete()
    Source.objects.filter(event=other).delete()
    assert shown(api, other) == []
    assert [s["url"] for s in shown(api, event)] == [
        "https://example.org/b",
        "https://example.org/sql",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_transactions_adding_sources_to_one_event_both_show(api):
    """The first writer keeps its transaction open after adding a source;
    the second adds one meanwhile and commits after it. Both show."""
    event = bare_event()
    added, second_started = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                SourceFactory(event=event, url="https://example.org/first")
                added.set()
                second_started.wait(timeout=60)
                # Let the second writer reach the event before this commits.
                threading.Event().wait(0.5)
        except Exception as exc:  # noqa: BLE001 (reported by the test)
            errors.append(exc)
        finally:
            added.set()
            connection.close()

    def second() -> None:
        try:
            added.wait(timeout=60)
            second_started.set()
            with transaction.atomic():
                SourceFactory(event=event, url="https://example.org/second")
        except Exception as exc:  # noqa: BLE001 (reported by the test)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors and not any(thread.is_alive() for thread in threads)
    urls = [source["url"] for source in shown(api, event)]
    assert urls == ["https://example.org/first", "https://example.org/second"]
