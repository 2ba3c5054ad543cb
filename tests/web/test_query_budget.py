"""Every public page runs the same number of queries for 3 events as for 30."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.selectors.keyset import Cursor
from tests.factories import AuthorityFactory, PlatformFactory, SourceFactory
from tests.web.conftest import published

pytestmark = pytest.mark.django_db

# Generous but fixed: a page that needs more has a lazy load somewhere.
MOST_QUERIES = 12


@pytest.fixture
def grow(db):
    platform = PlatformFactory(name="Budget", slug="budget")
    authority = AuthorityFactory(name="Budget Office", slug="budget-office")
    events = []

    def add(count: int) -> list:
        for _ in range(count):
            n = len(events)
            event = published(
                platform=platform if n % 2 else PlatformFactory(),
                authority=authority if n % 2 else AuthorityFactory(),
                target="Shared target",
                country="CN",
                date=dt.date(2010, 1, 1) + dt.timedelta(days=40 * n),
            )
            SourceFactory(event=event)
            SourceFactory(event=event, archive_url="https://archive.example.org/x")
            events.append(event)
        return events

    return add


PATHS = [
    "/",
    "/?platform=budget&country=CN&action=blocked&q=Shared",
    "/?before={second}",
    "/?after={last}",
    "/events/{first_id}/",
    "/platforms/budget/",
    "/authorities/budget-office/",
    "/countries/CN/",
    "/feed/",
    "/feed/?platform=budget",
    "/sitemap.xml",
    "/sitemap-events.xml",
    "/sitemap-platforms.xml",
    "/sitemap-countries.xml",
]


def resolve(path: str, events: list) -> str:
    """The path for the record as it stands; the first event stays the same."""
    newest_first = sorted(events, key=lambda e: (e.date, e.pk), reverse=True)
    return path.format(
        first_id=events[0].public_id,
        second=Cursor.of(newest_first[1]),
        last=Cursor.of(newest_first[-1]),
    )


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("path", PATHS)
def test_page_queries_do_not_grow_with_the_record(
    client, grow, django_assert_max_num_queries, path
):
    with_three = count_queries(client, resolve(path, grow(3)))
    events = grow(27)

    with django_assert_max_num_queries(with_three):
        response = client.get(resolve(path, events))

    assert response.status_code == 200
    assert with_three <= MOST_QUERIES
