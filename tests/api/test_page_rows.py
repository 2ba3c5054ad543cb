"""A page of event_list() (one SELECT compiled once per process, on PostgreSQL)
holds exactly the rows the ORM's event_rows() gives for the same page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from events.choices import Status
from events.models import Event
from events.selectors.api import (
    ORDERINGS,
    event_list,
    event_rows,
    read_list,
    record_version,
)
from events.selectors.filters import EventFilters, filter_events
from tests.api.conftest import publish
from tests.factories import AuthorityFactory, EventFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(db):
    """Events with and without authority, end date and sources, on shared
    dates (ties broken by id), and one draft."""
    authority = AuthorityFactory()
    for n in range(9):
        event = publish(
            date=dt.date(2019, 1 + n % 3, 1),
            authority=authority if n % 2 else None,
            ended_on=dt.date(2020, 1, 1) if n % 3 == 0 else None,
            notice_text="Доступ ограничен" if n % 4 == 0 else "",
        )
        SourceFactory(event=event)
    EventFactory(status=Status.DRAFT)


def page(rows, size=4):
    return list(rows[:size])


def orm(queryset, ordering):
    return event_rows(queryset).order_by(*ORDERINGS[ordering])


@pytest.mark.parametrize("ordering", list(ORDERINGS))
@pytest.mark.parametrize(
    "filters",
    [
        EventFilters(),
        EventFilters(q="доступ"),
        EventFilters(date_after=dt.date(2019, 2, 1), ongoing=True),
        EventFilters(has_notice=False, country=("CN", "RU", "IR")),
    ],
)
def test_a_page_has_the_rows_of_the_orm(record, filters, ordering):
    queryset = filter_events(Event.objects.published(), filters)
    assert page(event_list(queryset, ordering=ordering)) == page(
        orm(queryset, ordering)
    )


def test_a_page_after_a_key_and_backwards_has_the_rows_of_the_orm(record):
    queryset = Event.objects.published()
    newest = page(orm(queryset, "-date"), 1)[0]
    beyond = Q(date__lte=newest.date) & (Q(date__lt=newest.date) | Q(id__lt=newest.id))
    fast = event_list(queryset, ordering="-date").filter(beyond).order_by("date", "id")
    slow = orm(queryset, "-date").filter(beyond).order_by("date", "id")
    assert page(fast, 3) == page(slow, 3)
    assert fast[1] == slow[1]


def test_rows_are_named_like_the_orm_rows(record):
    fast = page(event_list(Event.objects.published(), ordering="-date"))[0]
    slow = page(orm(Event.objects.published(), "-date"))[0]
    assert fast._fields == slow._fields
    assert fast.date == slow.date and fast.public_id == slow.public_id


def test_a_filter_that_matches_nothing_gives_an_empty_page(record):
    queryset = Event.objects.published().filter(pk__in=[])
    assert page(event_list(queryset, ordering="-date")) == []


def test_a_platform_and_authority_filter_page_has_the_rows_of_the_orm(record):
    event = Event.objects.published().exclude(authority=None).first()
    filters = EventFilters(
        platform=(event.platform.slug,), authority=(event.authority.slug,)
    )
    queryset = filter_events(Event.objects.published(), filters)
    fast = page(event_list(queryset, ordering="-date"))
    assert fast == page(orm(queryset, "-date"))
    assert fast


def test_pages_take_the_precompiled_select_on_postgresql_only(record):
    filters = EventFilters(platform=(Event.objects.first().platform.slug,), q="a")
    rows = event_list(
        filter_events(Event.objects.published(), filters), ordering="-date"
    )
    with CaptureQueriesContext(connection) as queries:
        page(rows)
    precompiled = queries[0]["sql"].endswith("LIMIT 4 OFFSET 0")
    assert precompiled == (connection.vendor == "postgresql")


def test_the_record_version_is_read_with_the_page(record, pipelines):
    rows = event_list(Event.objects.published(), ordering="-date")[:4]
    version, read = read_list(rows, all_statuses=False)
    assert version == record_version(all_statuses=False)
    assert read == page(orm(Event.objects.published(), "-date"))
    # On PostgreSQL in one round trip; elsewhere one query after the other.
    assert pipelines == ([2] if connection.vendor == "postgresql" else [])


def test_a_page_the_orm_reads_comes_with_the_version_too(record, pipelines):
    rows = event_list(
        Event.objects.published().filter(platform__name__contains="a"), ordering="-date"
    )[:4]
    version, read = read_list(rows, all_statuses=False)
    assert version == record_version(all_statuses=False)
    assert read == page(
        orm(Event.objects.published().filter(platform__name__contains="a"), "-date")
    )
    assert pipelines == []


def test_the_list_reads_version_and_page_in_one_round_trip(api, record, pipelines):
    response = api.get("/api/v1/events/?page_size=3")
    assert len(response.json()["results"]) == 3
    assert pipelines == ([2] if connection.vendor == "postgresql" else [])
    # A request with validators reads the version first, to answer 304 early.
    pipelines.clear()
    again = api.get("/api/v1/events/?page_size=3", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert pipelines == []
