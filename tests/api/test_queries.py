"""Query budgets: a constant number of queries whatever the page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import publish
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(db):
    events = [publish(country="CN" if n % 2 else "RU") for n in range(30)]
    for event in events[:10]:
        SourceFactory(event=event)
    return events


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def test_list_costs_the_same_for_5_or_200_events(api, many):
    assert count(api, "/api/v1/events/?page_size=5") == count(
        api, "/api/v1/events/?page_size=200"
    )


def test_list_budget(api, many, django_assert_max_num_queries):
    # record version, page, sources
    with django_assert_max_num_queries(3):
        api.get("/api/v1/events/?page_size=200")
    # + one to check the platform slug
    slug = many[0].platform.slug
    with django_assert_max_num_queries(4):
        api.get(f"/api/v1/events/?page_size=200&platform={slug}&q=blocked")


def test_token_list_budget(curator_api, many, django_assert_max_num_queries):
    # + token and user, permissions (user and groups), last use
    with django_assert_max_num_queries(7):
        curator_api.get("/api/v1/events/?page_size=200")


def test_detail_budget(api, many, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        api.get(f"/api/v1/events/{many[0].public_id}/")


@pytest.mark.parametrize(
    "group_by", ["year", "month", "platform", "country", "authority", "action"]
)
def test_stats_budget(api, many, group_by, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        api.get(f"/api/v1/stats/?group_by={group_by}")


@pytest.mark.parametrize(
    "url", ["/api/v1/platforms/", "/api/v1/authorities/", "/api/v1/countries/"]
)
def test_counts_budget(api, many, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        api.get(url)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_budget_does_not_grow_with_rows(api, many, fmt):
    small = count(api, f"/api/v1/events/?format={fmt}&country=RU")
    for _ in range(20):
        publish(country="RU")
    assert count(api, f"/api/v1/events/?format={fmt}&country=RU") == small
    # version, rows, sources per chunk (+ a savepoint pair around the
    # server-side cursor on PostgreSQL)
    assert small <= 6


def test_304_skips_the_page(api, many, django_assert_max_num_queries):
    etag = api.get("/api/v1/events/")["ETag"]
    with django_assert_max_num_queries(1):
        response = api.get("/api/v1/events/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
