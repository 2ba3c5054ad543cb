"""The review queue's columns, sorting and filters (issue #13, "The queue")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.admin.queue import QUEUE_COLUMNS, waited_for
from events.choices import DatePrecision, Status
from events.models import Event, Feed, StatusChange
from tests.events.admin_support import changelist_url
from tests.events.test_admin_actions import messages_of
from tests.events.test_dashboard import feed_draft, manual_draft
from tests.factories import EventFactory, PlatformFactory, SourceFactory

pytestmark = pytest.mark.django_db
HEADER = re.compile(r'<div class="text">(?:<a [^>]*>|<span>)?([^<]+)<')
COLUMN_HEADERS = [
    *("Status", "Platform", "Target", "Country", "Action", "Date", "Authority"),
    *("Confidence", "Origin", "Dup?", "Waited"),
]


def listed(response) -> list:
    return list(response.context["cl"].result_list)


def extracted(event: Event, confidence: float) -> Event:
    event.extraction = {"is_event": confidence, "fields": {}}
    event.save(update_fields=["extraction"])
    return event


def sort_by(column: str, descending: bool = False) -> str:
    # The changelist numbers its columns after the action checkbox.
    index = QUEUE_COLUMNS.index(column) + 1
    return f"{changelist_url()}?o={'-' if descending else ''}{index}"


def cells(response, column: str) -> list[str]:
    changelist = response.context["cl"]
    admin = changelist.model_admin
    return [str(getattr(admin, column)(event)) for event in listed(response)]


@pytest.fixture
def feed():
    return Feed.objects.create(name="OONI blog", url="https://ooni.example/feed")


def test_the_queue_shows_the_desks_columns(client, curator):
    EventFactory()
    client.force_login(curator)

    content = client.get(changelist_url()).content.decode()

    assert HEADER.findall(content) == COLUMN_HEADERS


def test_confidence_and_origin_come_from_extraction_and_the_feed(client, curator, feed):
    draft = extracted(feed_draft(feed, "Feed one"), 0.87)
    by_hand = manual_draft(curator, "By hand")
    client.force_login(curator)

    response = client.get(sort_by("confidence_shown"))

    assert listed(response) == [draft, by_hand]
    assert cells(response, "confidence_shown") == ["0.87", "—"]
    assert cells(response, "origin") == ["OONI blog", "manual"]


def test_sorting_by_confidence_puts_the_least_sure_first(client, curator):
    sure = extracted(EventFactory(), 0.9)
    unsure = extracted(EventFactory(), 0.4)
    middling = extracted(EventFactory(), 0.6)
    client.force_login(curator)

    response = client.get(sort_by("confidence_shown"))

    assert listed(response) == [unsure, middling, sure]


def test_sorting_by_waited_puts_the_longest_waiting_first(client, curator):
    first, second = EventFactory(), EventFactory()
    now = timezone.now()
    StatusChange.objects.create(
        event=first, from_status="", to_status=Status.DRAFT, at=now
    )
    StatusChange.objects.create(
        event=second, from_status="", to_status=Status.DRAFT, at=now
    )
    # The first moved into draft again just now: it has waited least.
    StatusChange.objects.filter(event=second).update(at=now - dt.timedelta(days=3))
    client.force_login(curator)

    response = client.get(sort_by("waited"))

    assert listed(response) == [second, first]
    assert cells(response, "waited") == ["3 d", "0 min"]


def test_waited_is_minutes_hours_or_days():
    assert [waited_for(s) for s in (90, 3 * 3600, 50 * 3600)] == ["1 min", "3 h", "2 d"]


def test_a_likely_duplicate_is_flagged(client, curator):
    platform = PlatformFactory()
    known = EventFactory(platform=platform, target="OKEx", status=Status.PUBLISHED)
    near = EventFactory(
        platform=platform, target="okex", date=known.date + dt.timedelta(days=5)
    )
    years_later = EventFactory(
        platform=platform, target="OKEx", date=known.date + dt.timedelta(days=900)
    )
    other = EventFactory(platform=platform, target="Huobi")
    client.force_login(curator)

    response = client.get(changelist_url())
    flags = {event: event.likely_duplicate for event in listed(response)}

    assert flags == {near: True, years_later: False, other: False}
    assert 'class="likely-duplicate"' in response.content.decode()


def test_a_shared_source_url_flags_a_duplicate(client, curator):
    one, two, alone = EventFactory(), EventFactory(), EventFactory()
    SourceFactory(event=one, url="https://news.example/story")
    SourceFactory(event=two, url="https://news.example/story")
    SourceFactory(event=alone)
    client.force_login(curator)

    response = client.get(changelist_url())

    flags = {event: event.likely_duplicate for event in listed(response)}
    assert flags == {one: True, two: True, alone: False}


@pytest.mark.parametrize(
    ("band", "expected"),
    [("high", ["sure"]), ("medium", ["middling"]), ("low", ["unsure"])],
)
def test_confidence_band_filter(client, curator, band, expected):
    for name, confidence in (("sure", 0.8), ("middling", 0.5), ("unsure", 0.49)):
        extracted(EventFactory(target=name), confidence)
    EventFactory(target="by hand")
    client.force_login(curator)

    response = client.get(f"{changelist_url()}?confidence={band}")

    assert [event.target for event in listed(response)] == expected


def test_no_confidence_band_lists_events_no_extractor_made(client, curator):
    extracted(EventFactory(target="extracted"), 0.7)
    EventFactory(target="by hand")
    client.force_login(curator)

    response = client.get(f"{changelist_url()}?confidence=none")

    assert [event.target for event in listed(response)] == ["by hand"]


def test_an_unknown_band_is_an_error_message_and_no_filter(client, curator):
    EventFactory()
    client.force_login(curator)

    response = client.get(f"{changelist_url()}?confidence=huge", follow=True)

    assert len(listed(response)) == 1
    assert any("Not filtered by confidence" in m for m in messages_of(response))


def test_date_range_uses_the_apis_rule_for_partial_dates(client, curator):
    month = EventFactory(
        target="August", date=dt.date(2018, 8, 1), date_precision=DatePrecision.MONTH
    )
    EventFactory(target="July", date=dt.date(2018, 7, 31))
    EventFactory(target="September", date=dt.date(2018, 9, 1))
    client.force_login(curator)

    response = client.get(
        f"{changelist_url()}?date_after=2018-08-15&date_before=2018-08-20"
    )

    assert listed(response) == [month]


def test_date_range_takes_a_year_and_an_open_end(client, curator):
    EventFactory(target="old", date=dt.date(2017, 12, 31))
    new = EventFactory(target="new", date=dt.date(2018, 1, 1))
    client.force_login(curator)

    response = client.get(f"{changelist_url()}?date_after=2018")

    assert listed(response) == [new]


def test_a_bad_date_is_an_error_message_and_no_filter(client, curator):
    EventFactory()
    client.force_login(curator)

    response = client.get(f"{changelist_url()}?date_before=2018-13", follow=True)

    assert len(listed(response)) == 1
    assert any("Not filtered by date" in m for m in messages_of(response))


def test_the_date_form_keeps_the_other_filters(client, curator):
    client.force_login(curator)

    content = client.get(f"{changelist_url()}?confidence=low").content.decode()

    assert '<input type="hidden" name="confidence" value="low">' in content


def _queue_with(feed: Feed, count: int) -> None:
    for n in range(count):
        event = extracted(feed_draft(feed, f"Item {n}"), 0.5)
        SourceFactory(event=event, url=f"https://news.example/{n % 3}")


def test_the_queue_takes_a_fixed_number_of_queries(
    client, curator, feed, django_assert_num_queries
):
    _queue_with(feed, 3)
    client.force_login(curator)
    url = f"{changelist_url()}?o=-8&confidence=medium&date_after=2018"
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    _queue_with(Feed.objects.create(name="Other", url="https://b.example/"), 27)

    with django_assert_num_queries(len(three.captured_queries)):
        response = client.get(url)

    assert len(listed(response)) == 30
