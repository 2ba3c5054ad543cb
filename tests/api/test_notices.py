"""/api/v1/notices/ and the notice of each event: shape, filters, pages,
conditional requests, bad input and query budgets."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from events.api.notices import NoticeSerializer
from events.choices import Status
from events.services.notices import events_match_notices
from tests.api.conftest import ids, publish, uid
from tests.events.notice_support import (
    WECHAT_EN,
    WECHAT_ZH,
    make_notice,
    saudi_blockpage,
    wechat_notice,
)
from tests.factories import EventFactory, PlatformFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(db):
    """A WeChat notice carried by two published events and a draft, and a
    Saudi blockpage fingerprint carried by none."""
    wechat = PlatformFactory(slug="wechat", name="WeChat")
    notice = wechat_notice(wechat)
    saudi = saudi_blockpage()
    events = [
        publish(platform=wechat, notice_text=WECHAT_EN, date=dt.date(2018, 3, 1)),
        publish(
            platform=wechat,
            notice_text=WECHAT_ZH,
            notice_language="zh",
            date=dt.date(2020, 6, 1),
            country="HK",
        ),
        EventFactory(platform=wechat, notice_text=WECHAT_EN, status=Status.DRAFT),
    ]
    events_match_notices(event_ids=[event.pk for event in events])
    return notice, saudi, events


def test_a_notice_has_exactly_the_documented_fields(api, registry):
    notice, _, _ = registry
    item = api.get(f"/api/v1/notices/{notice.pk}/").json()
    assert list(item) == list(NoticeSerializer().fields)
    assert item["id"] == notice.pk
    assert item["url"] == f"http://testserver/api/v1/notices/{notice.pk}/"
    assert item["web_url"] == f"http://testserver/notices/{notice.pk}/"
    assert item["platform"] == {"slug": "wechat", "name": "WeChat"}
    assert item["variants"] == [
        {
            "language": "zh",
            "text": WECHAT_ZH,
            "fingerprint": "此账号已被屏蔽 内容无法查看",
        }
    ]
    # Only the published events count, and give the first and last sighting.
    assert item["event_count"] == 2
    assert (item["first_seen"], item["last_seen"]) == ("2018-03-01", "2020-06-01")
    assert item["events_url"] == f"http://testserver/api/v1/events/?notice={notice.pk}"


def test_the_events_url_lists_the_published_events_in_every_language(api, registry):
    notice, _, events = registry
    response = api.get(f"/api/v1/events/?notice={notice.pk}")
    assert set(ids(response)) == {uid(events[0]), uid(events[1])}
    assert {item["notice_language"] for item in response.json()["results"]} == {
        "en",
        "zh",
    }


def test_an_event_names_its_notice_by_id_and_url(api, registry):
    notice, _, events = registry
    item = api.get(f"/api/v1/events/{uid(events[0])}/").json()
    assert item["notice"] == {
        "id": notice.pk,
        "url": f"http://testserver/api/v1/notices/{notice.pk}/",
    }
    other = publish(notice_text="")
    assert api.get(f"/api/v1/events/{uid(other)}/").json()["notice"] is None


def test_a_notice_without_published_events_lists_nothing_unpublished(api, registry):
    _, saudi, _ = registry
    item = api.get(f"/api/v1/notices/{saudi.pk}/").json()
    assert (item["event_count"], item["first_seen"], item["variants"]) == (0, None, [])
    assert ids(api.get(f"/api/v1/events/?notice={saudi.pk}")) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"WeChat: account blocked", "Blockpage cl.nat_sa (SA, national)"}),
        ("kind=blockpage", {"Blockpage cl.nat_sa (SA, national)"}),
        ("platform=wechat", {"WeChat: account blocked"}),
        ("country=sa", {"Blockpage cl.nat_sa (SA, national)"}),
        # Carried by a published event in Hong Kong, though not listed there.
        ("country=HK", {"WeChat: account blocked"}),
        ("q=屏蔽", {"WeChat: account blocked"}),
        ("q=NAT_SA+national", {"Blockpage cl.nat_sa (SA, national)"}),
        ("q=nothing+like+this", set()),
    ],
)
def test_filters(api, registry, query, expected):
    response = api.get(f"/api/v1/notices/?{query}")
    assert response.status_code == 200
    assert {item["title"] for item in response.json()["results"]} == expected


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("kind=banner", "kind"),
        ("platform=telegram", "platform"),
        ("platform=no%20slug", "platform"),
        ("country=XX", "country"),
        ("country=CN&country=RU", "country"),
        (f"q={'a' * 201}", "q"),
        ("cursor=bm90LWEtY3Vyc29y", "cursor"),
        ("cursor=a&cursor=b", "cursor"),
        ("page_size=0", "page_size"),
        ("ordering=title", "ordering"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(api, registry, query, name):
    response = api.get(f"/api/v1/notices/?{query}")
    assert response.status_code == 400
    assert name in response.json()


def test_an_unknown_notice_is_a_404(api, registry):
    for path in ("999999", "0", "abc", "1.5", "9" * 30):
        assert api.get(f"/api/v1/notices/{path}/").status_code == 404


@pytest.mark.parametrize("value", ["999999", "0", "x"])
def test_the_event_list_refuses_an_unknown_notice(api, registry, value):
    response = api.get(f"/api/v1/events/?notice={value}")
    assert response.status_code == 400
    assert "notice" in response.json()


def test_pages_go_forwards_and_back(api, registry):
    for n in range(5):
        make_notice(f"Extra notice number {n} with some words.", title=f"Extra {n}")
    first = api.get("/api/v1/notices/?page_size=3").json()
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()
    assert first["previous"] is None and third["next"] is None
    seen = [item["id"] for page in (first, second, third) for item in page["results"]]
    assert seen == sorted(seen) and len(seen) == 7
    back = api.get(third["previous"]).json()
    assert back["results"] == second["results"]


def test_a_second_request_is_not_modified(api, registry):
    notice, _, _ = registry
    first = api.get(f"/api/v1/notices/{notice.pk}/")
    again = api.get(f"/api/v1/notices/{notice.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    make_notice("Another notice, another version of the registry.")
    notice.title = "WeChat: account blocked after complaints"
    notice.save()
    changed = api.get(f"/api/v1/notices/{notice.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200


def test_the_list_costs_the_same_for_5_or_100_notices(
    api, registry, django_assert_max_num_queries
):
    for n in range(100):
        make_notice(f"Notice {n}", title=f"N{n}", variants=(("en", f"Wording {n}"),))
    # record version, registry version (2), page, variants, counts
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/notices/?page_size=5").status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/notices/?page_size=100").status_code == 200
    # + the platform check
    with django_assert_max_num_queries(7):
        assert api.get("/api/v1/notices/?platform=wechat").status_code == 200


def test_the_detail_budget(api, registry, django_assert_max_num_queries):
    notice, _, _ = registry
    with django_assert_max_num_queries(6):
        assert api.get(f"/api/v1/notices/{notice.pk}/").status_code == 200


def test_the_schema_describes_the_registry(api):
    schema = yaml.safe_load(api.get("/api/v1/schema/").content)
    listed = schema["paths"]["/api/v1/notices/"]["get"]
    names = {p["name"] for p in listed["parameters"]}
    assert {"kind", "platform", "country", "q", "cursor", "page_size"} <= names
    assert "/api/v1/notices/{id}/" in schema["paths"]
    events = schema["paths"]["/api/v1/events/"]["get"]["parameters"]
    assert "notice" in {p["name"] for p in events}
    event = schema["components"]["schemas"]["Event"]["properties"]
    assert "notice" in event
