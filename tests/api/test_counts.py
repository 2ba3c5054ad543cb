"""Platforms, authorities, countries and stats: published events only."""

from __future__ import annotations

import datetime as dt

import pytest

from events.choices import Action, DatePrecision, Status
from events.models import Event
from events.services import event_unpublish
from tests.api.conftest import publish
from tests.factories import AuthorityFactory, EventFactory, PlatformFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(db):
    wechat = PlatformFactory(slug="wechat")
    hidden_platform = PlatformFactory(slug="only-in-drafts")
    cac = AuthorityFactory(name="CAC test", slug="cac-test", country="CN")
    publish(platform=wechat, authority=cac, date=dt.date(2018, 8, 21))
    publish(
        platform=wechat,
        authority=cac,
        date=dt.date(2018, 8, 1),
        date_precision=DatePrecision.MONTH,
        action=Action.REMOVED,
    )
    publish(
        platform=wechat,
        authority=None,
        country="RU",
        date=dt.date(2018, 1, 1),
        date_precision=DatePrecision.YEAR,
    )
    publish(country="IR", date=dt.date(2019, 3, 5))
    EventFactory(platform=hidden_platform, status=Status.DRAFT, country="KP")
    EventFactory(platform=wechat, status=Status.REJECTED, country="CN")


def stats(api, **params) -> list[dict]:
    response = api.get("/api/v1/stats/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_platforms_with_published_counts(api, record):
    rows = {row["slug"]: row["count"] for row in api.get("/api/v1/platforms/").json()}
    assert rows["wechat"] == 3
    assert "only-in-drafts" not in rows


def test_authorities_with_published_counts(api, record):
    rows = api.get("/api/v1/authorities/").json()
    assert {"slug": "cac-test", "name": "CAC test", "country": "CN", "count": 2} in rows


def test_countries_with_published_counts(api, record):
    rows = api.get("/api/v1/countries/").json()
    assert {row["code"]: row["count"] for row in rows} == {"CN": 2, "RU": 1, "IR": 1}
    assert rows[0]["name"] == "China"


@pytest.mark.parametrize(
    "url", ["/api/v1/platforms/", "/api/v1/authorities/", "/api/v1/countries/"]
)
def test_counts_are_made_once_per_version_of_the_record(
    api, record, url, editor, django_assert_num_queries
):
    first = api.get(url).json()
    with django_assert_num_queries(1):  # the record's version, not the counts
        assert api.get(url).json() == first
    event = Event.objects.filter(status=Status.PUBLISHED).first()
    event_unpublish(event=event, user=editor, reason="wrong")
    assert api.get(url).json() != first


def test_stats_by_year(api, record):
    assert stats(api, group_by="year") == [
        {"key": "2018", "count": 3},
        {"key": "2019", "count": 1},
    ]


def test_stats_by_month_never_invents_a_month(api, record):
    assert stats(api, group_by="month") == [
        {"key": "2018", "count": 1},
        {"key": "2018-08", "count": 2},
        {"key": "2019-03", "count": 1},
    ]


@pytest.mark.parametrize(
    ("group_by", "expected"),
    [
        ("platform", {"wechat": 3}),
        ("country", {"CN": 2, "RU": 1, "IR": 1}),
        ("authority", {"cac-test": 2, None: 1}),
        ("action", {"blocked": 3, "removed": 1}),
    ],
)
def test_stats_by_category(api, record, group_by, expected):
    counts = {row["key"]: row["count"] for row in stats(api, group_by=group_by)}
    assert {k: v for k, v in counts.items() if k in expected} == expected
    assert sum(counts.values()) == 4


def test_stats_are_largest_first(api, record):
    assert [row["key"] for row in stats(api, group_by="country")] == ["CN", "IR", "RU"]


def test_stats_take_the_event_filters(api, record):
    # The year-precision 2018 event overlaps June 2018 onwards.
    assert stats(api, group_by="country", platform="wechat", date_after="2018-06") == [
        {"key": "CN", "count": 2},
        {"key": "RU", "count": 1},
    ]
    assert stats(api, group_by="country", platform="wechat", date_after="2019") == []


def test_curators_stats_can_count_drafts(curator_api, record):
    rows = curator_api.get("/api/v1/stats/", {"group_by": "country", "status": "draft"})
    assert rows.json() == [{"key": "KP", "count": 1}]
