"""/api/v1/targets/: the list (filters, blocked now, pages) and one target's
lifecycle; the target of each event in /api/v1/events/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.api.targets import TargetDetailSerializer
from events.choices import Action, DatePrecision, Status, TargetType
from events.services.target_merges import targets_merge
from events.services.targets import events_assign_targets
from tests.api.conftest import publish, uid
from tests.factories import EventFactory, PlatformFactory

pytestmark = pytest.mark.django_db


def linked(**fields):
    event = publish(**fields) if "status" not in fields else EventFactory(**fields)
    events_assign_targets(event_ids=[event.pk])
    event.refresh_from_db()
    return event


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


@pytest.fixture
def record():
    """Telegram: blocked in Iran (open) and in Russia (ended, then restored); an
    account restored; a draft-only target."""
    telegram = PlatformFactory(name="Telegram", slug="telegram")
    whole = {"platform": telegram, "target_type": TargetType.WHOLE_PLATFORM}
    iran = linked(
        **whole,
        target="Telegram",
        country="IR",
        date=dt.date(2018, 4, 1),
        date_precision=DatePrecision.MONTH,
    )
    russia = linked(
        **whole,
        target="Telegram",
        country="RU",
        date=dt.date(2018, 4, 16),
        ended_on=dt.date(2020, 6, 18),
    )
    linked(
        **whole,
        target="Telegram",
        country="RU",
        action=Action.RESTORED,
        date=dt.date(2020, 6, 18),
    )
    account = linked(target="@dissident", country="CN", date=dt.date(2019, 1, 1))
    linked(
        platform=account.platform,
        target="dissident",
        country="CN",
        action=Action.RESTORED,
        date=dt.date(2019, 2, 1),
    )
    draft = linked(target="Hidden draft", status=Status.DRAFT, country="KP")
    return {"iran": iran, "russia": russia, "account": account, "draft": draft}


def test_list_shows_each_public_target_by_latest_event(api, record):
    response = api.get("/api/v1/targets/")
    assert names(response) == ["Telegram in Russia", "@dissident", "Telegram in Iran"]
    first = response.json()["results"][0]
    target = record["russia"].target_ref
    assert first == {
        "id": target.pk,
        "url": f"http://testserver/api/v1/targets/{target.pk}/",
        "web_url": f"http://testserver/targets/{target.pk}/",
        "name": "Telegram in Russia",
        "platform": {"slug": "telegram", "name": "Telegram"},
        "target_type": "whole_platform",
        "target_url": "",
        "state": "restored",
        "since": "2020-06-18",
        "since_precision": "day",
        "countries": ["RU"],
        "event_count": 2,
        "latest_event": first["latest_event"],
    }
    assert first["latest_event"]["url"].startswith("http://testserver/api/v1/events/")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("blocked_now=true", ["Telegram in Iran"]),
        ("blocked_now=false", ["Telegram in Russia", "@dissident"]),
        ("platform=telegram", ["Telegram in Russia", "Telegram in Iran"]),
        ("country=cn", ["@dissident"]),
        ("country=IR&country=RU", ["Telegram in Russia", "Telegram in Iran"]),
        ("target_type=account", ["@dissident"]),
        ("q=DISSIDENT", ["@dissident"]),
        ("q=Hidden", []),
        ("country=KP", []),
    ],
)
def test_list_filters(api, record, query, expected):
    assert names(api.get(f"/api/v1/targets/?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("blocked_now=maybe", "blocked_now"),
        ("blocked_now=true&blocked_now=false", "blocked_now"),
        ("country=XX", "country"),
        ("target_type=planet", "target_type"),
        ("platform=no-such-platform", "platform"),
        ("q=", "q"),
        ("q=" + "x" * 201, "q"),
        ("page_size=0", "page_size"),
        ("cursor=nonsense", "cursor"),
        ("ordering=name", "ordering"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(api, record, query, parameter):
    response = api.get(f"/api/v1/targets/?{query}")
    assert response.status_code == 400
    assert parameter in response.json()


def test_a_platform_known_only_through_a_draft_is_unknown(api, record):
    slug = record["draft"].platform.slug
    response = api.get(f"/api/v1/targets/?platform={slug}")
    assert response.status_code == 400
    assert response.json() == {"platform": [f"no platform has the slug {slug}"]}


def test_pages_follow_next_links_through_every_target(api):
    platform = PlatformFactory()
    for n in range(7):
        linked(platform=platform, target=f"Account {n}", date=dt.date(2020, 1, 1 + n))
    seen, url = [], "/api/v1/targets/?page_size=3"
    while url:
        response = api.get(url)
        seen += names(response)
        url = response.json()["next"]
    assert seen == [f"Account {n}" for n in range(6, -1, -1)]
    back = api.get(response.json()["previous"])
    assert names(back) == ["Account 3", "Account 2", "Account 1"]


def test_list_is_cached_by_etag(api, record):
    first = api.get("/api/v1/targets/")
    again = api.get("/api/v1/targets/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_detail_shows_the_lifecycle(api, record):
    target = record["russia"].target_ref
    response = api.get(f"/api/v1/targets/{target.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert list(body) == list(TargetDetailSerializer().fields)
    period_fields = TargetDetailSerializer().fields["periods"].child.fields
    assert all(list(period) == list(period_fields) for period in body["periods"])
    periods = [
        (p["state"], p["action"], p["start"], p["end"], p["duration_days"])
        for p in body["periods"]
    ]
    assert periods == [
        ("blocked", "blocked", "2018-04-16", "2020-06-18", 794),
        ("restored", "restored", "2020-06-18", None, None),
    ]
    event = body["periods"][0]["event"]
    assert event["id"] == uid(record["russia"])
    assert api.get(event["url"]).status_code == 200


def test_detail_of_a_partial_date_and_an_ended_block(api):
    event = linked(
        target="Site",
        date=dt.date(2019, 1, 1),
        date_precision=DatePrecision.YEAR,
        ended_on=dt.date(2019, 6, 1),
        ended_on_precision=DatePrecision.MONTH,
    )
    body = api.get(f"/api/v1/targets/{event.target_ref_id}/").json()
    assert body["state"] == "ended"
    assert (body["since"], body["since_precision"]) == ("2019-06", "month")
    blocked, ended = body["periods"]
    assert (blocked["start"], blocked["end"], blocked["duration_days"]) == (
        "2019",
        "2019-06",
        None,
    )
    assert (ended["action"], ended["end"], ended["event"]["id"]) == (
        None,
        None,
        uid(event),
    )


@pytest.mark.parametrize("pk", ["0", "999999", "abc", "-1", "9" * 30])
def test_detail_of_an_unknown_target_is_a_404(api, record, pk):
    assert api.get(f"/api/v1/targets/{pk}/").status_code == 404


def test_detail_of_a_target_with_only_unpublished_events_is_a_404(api, record):
    target = record["draft"].target_ref
    response = api.get(f"/api/v1/targets/{target.pk}/")
    assert response.status_code == 404
    assert "Hidden" not in response.content.decode()


def test_a_merged_target_redirects(api, record, editor):
    extra = linked(platform=record["account"].platform, target="Dissident (old)")
    absorbed = extra.target_ref
    survivor = record["account"].target_ref
    targets_merge(survivor=survivor, others=[absorbed], user=editor)

    response = api.get(f"/api/v1/targets/{absorbed.pk}/")

    assert response.status_code == 301
    assert response["Location"] == f"http://testserver/api/v1/targets/{survivor.pk}/"
    body = api.get(f"/api/v1/targets/{survivor.pk}/").json()
    assert body["event_count"] == 3


def test_events_name_their_target_by_id_and_url(api, record):
    event = record["iran"]
    body = api.get(f"/api/v1/events/{uid(event)}/").json()
    assert body["target_ref"] == {
        "id": event.target_ref_id,
        "url": f"http://testserver/api/v1/targets/{event.target_ref_id}/",
    }
    assert body["target"] == "Telegram"  # the text as given, unchanged
    assert api.get(body["target_ref"]["url"]).status_code == 200


def test_event_list_filters_by_target(api, record):
    target = record["russia"].target_ref_id
    response = api.get(f"/api/v1/events/?target={target}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
    assert {e["target_ref"]["id"] for e in response.json()["results"]} == {target}
    for bad in ("abc", "0", "-3"):
        response = api.get(f"/api/v1/events/?target={bad}")
        assert response.status_code == 400
        assert "target" in response.json()


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_list_and_detail_cost_the_same_for_few_or_many(
    api, django_assert_max_num_queries
):
    platform = PlatformFactory(slug="budget")

    def grow(n: int) -> None:
        for i in range(n):
            for name in ("Shared", f"Account {i}"):
                linked(
                    platform=platform, target=name, date=dt.date(2020, 1, 1 + i % 28)
                )

    grow(3)
    shared = linked(platform=platform, target="Shared").target_ref_id
    urls = [
        "/api/v1/targets/?page_size=500",
        "/api/v1/targets/?blocked_now=true&platform=budget&country=CN&q=account",
        f"/api/v1/targets/{shared}/",
    ]
    few = {url: count(api, url) for url in urls}
    grow(25)
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            api.get(url)
    # page, lifecycles, version (+ the platform slug)
    assert few[urls[0]] <= 3
    assert few[urls[1]] <= 4
    assert few[urls[2]] <= 3
