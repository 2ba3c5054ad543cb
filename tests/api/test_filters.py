"""Every filter of the event list: what it keeps, OR within a name, AND across."""

from __future__ import annotations

import datetime as dt

import pytest

from events.choices import Action, DatePrecision, Status, TargetType
from tests.api.conftest import ids, publish, uid
from tests.factories import AuthorityFactory, EventFactory, PlatformFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/events/"


def found(api, **params) -> set[str]:
    return set(ids(api.get(URL, params)))


def test_platform_by_slug_and_several_with_or(api):
    wechat = publish(platform=PlatformFactory(slug="wechat"))
    telegram = publish(platform=PlatformFactory(slug="telegram"))
    other = publish()
    assert found(api, platform="wechat") == {uid(wechat)}
    assert found(api, platform=["wechat", "telegram"]) == {uid(wechat), uid(telegram)}
    assert uid(other) not in found(api, platform=["wechat", "telegram"])


def test_country_is_case_insensitive_and_repeatable(api):
    china, russia = publish(country="CN"), publish(country="RU")
    publish(country="IR")
    assert found(api, country="cn") == {uid(china)}
    assert found(api, country=["CN", "RU"]) == {uid(china), uid(russia)}


def test_authority_by_slug(api):
    rkn = AuthorityFactory(name="Roskomnadzor test", slug="rkn-test", country="RU")
    kept = publish(authority=rkn, country="RU")
    publish()
    assert found(api, authority="rkn-test") == {uid(kept)}


def test_action_and_target_type(api):
    removed = publish(action=Action.REMOVED, target_type=TargetType.WEBSITE)
    publish(action=Action.BLOCKED, target_type=TargetType.WEBSITE)
    publish(action=Action.REMOVED, target_type=TargetType.ACCOUNT)
    assert uid(removed) in found(api, action="removed")
    assert found(api, action="removed", target_type="website") == {uid(removed)}


def test_filters_of_different_names_combine_with_and(api):
    both = publish(country="RU", action=Action.THROTTLED)
    publish(country="RU", action=Action.BLOCKED)
    publish(country="CN", action=Action.THROTTLED)
    assert found(api, country="RU", action="throttled") == {uid(both)}


def test_ongoing_and_ended(api):
    ongoing = publish(ended_on=None)
    ended = publish(ended_on=dt.date(2019, 1, 1))
    assert found(api, ongoing="true") == {uid(ongoing)}
    assert found(api, ongoing="false") == {uid(ended)}


def test_has_notice(api):
    with_notice = publish(notice_text="Blocked by order.")
    without = publish(notice_text="")
    assert found(api, has_notice="true") == {uid(with_notice)}
    assert found(api, has_notice="false") == {uid(without)}


def test_updated_after_keeps_later_changes(api):
    old, new = publish(), publish()
    cutoff = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    type(old).objects.filter(pk=old.pk).update(updated_at=cutoff - dt.timedelta(days=1))
    type(new).objects.filter(pk=new.pk).update(updated_at=cutoff + dt.timedelta(days=1))
    assert found(api, updated_after="2024-01-01T00:00:00Z") == {uid(new)}
    assert found(api, updated_after="2024-01-01") == {uid(new)}


@pytest.fixture
def dated(db):
    """Events on a day, in a month and in a year around August 2018."""
    return {
        "day": publish(date=dt.date(2018, 8, 21)),
        "month": publish(date=dt.date(2018, 8, 1), date_precision=DatePrecision.MONTH),
        "year": publish(date=dt.date(2018, 1, 1), date_precision=DatePrecision.YEAR),
        "before": publish(date=dt.date(2017, 12, 31)),
        "after": publish(date=dt.date(2019, 1, 1)),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # The range overlaps the period an event's date stands for.
        ({"date_after": "2018-08-15"}, {"day", "month", "year", "after"}),
        ({"date_after": "2018-08-22"}, {"month", "year", "after"}),
        ({"date_after": "2018-09"}, {"year", "after"}),
        ({"date_after": "2019"}, {"after"}),
        ({"date_before": "2018-08-01"}, {"month", "year", "before"}),
        ({"date_before": "2018-07"}, {"year", "before"}),
        ({"date_before": "2017"}, {"before"}),
        (
            {"date_after": "2018-08-21", "date_before": "2018-08-21"},
            {"day", "month", "year"},
        ),
        ({"date_after": "2018", "date_before": "2018"}, {"day", "month", "year"}),
        ({"date_after": "2018-02", "date_before": "2018-07"}, {"year"}),
    ],
)
def test_date_range_matches_overlapping_periods(api, dated, params, expected):
    assert found(api, **params) == {uid(dated[name]) for name in expected}


def test_status_filter_for_curators(curator_api, published, draft):
    response = curator_api.get(URL, {"status": "draft"})
    assert ids(response) == [uid(draft)]
    both = set(ids(curator_api.get(URL, {"status": ["draft", "published"]})))
    assert both == {uid(draft), uid(published)}


def test_curators_see_every_status_without_a_filter(curator_api, published, draft):
    response = curator_api.get(URL)
    assert {item["status"] for item in response.json()["results"]} == {
        Status.DRAFT,
        Status.PUBLISHED,
    }


def test_anonymous_list_holds_published_events_only(api, published, draft, in_review):
    EventFactory(status=Status.REJECTED)
    assert ids(api.get(URL)) == [uid(published)]


def test_unfiltered_list_is_newest_first(api):
    older = publish(date=dt.date(2015, 1, 1))
    newer = publish(date=dt.date(2020, 1, 1))
    assert ids(api.get(URL)) == [uid(newer), uid(older)]
    assert ids(api.get(URL, {"ordering": "date"})) == [uid(older), uid(newer)]
