"""The review desk's changelist and change page, through the real admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.choices import DatePrecision, Status
from events.services import event_reject
from tests.events.admin_support import (
    change_url,
    changelist_url,
    form_data,
    history_url,
)
from tests.events.test_admin_actions import messages_of
from tests.factories import EventFactory, PlatformFactory, SourceFactory

pytestmark = pytest.mark.django_db


def listed(response) -> list:
    return list(response.context["cl"].result_list)


def test_queue_shows_only_events_awaiting_review(
    client, curator, draft, in_review, published
):
    rejected = EventFactory(status=Status.REJECTED)
    client.force_login(curator)

    response = client.get(changelist_url())

    assert response.status_code == 200
    assert set(listed(response)) == {draft, in_review}
    assert published not in listed(response)
    assert rejected not in listed(response)


def test_queue_lists_newest_first(client, curator):
    older, newer = EventFactory(), EventFactory()
    client.force_login(curator)

    response = client.get(changelist_url())

    assert listed(response) == [newer, older]


def test_queue_is_the_default_entry_of_the_status_filter(client, curator, draft):
    client.force_login(curator)

    content = client.get(changelist_url()).content.decode()

    assert "Awaiting review" in content


def test_status_filter_all_shows_every_status(client, curator, draft, published):
    client.force_login(curator)

    response = client.get(changelist_url(), {"status": "all"})

    assert set(listed(response)) == {draft, published}


def test_status_filter_picks_one_status(client, curator, draft, published):
    client.force_login(curator)

    response = client.get(changelist_url(), {"status": Status.PUBLISHED})

    assert listed(response) == [published]


def test_year_filter_offers_the_years_in_the_data(client, curator):
    EventFactory(date=dt.date(2016, 3, 1))
    in_2019 = EventFactory(date=dt.date(2019, 1, 1), date_precision=DatePrecision.YEAR)
    client.force_login(curator)

    response = client.get(changelist_url(), {"year": "2019"})

    assert listed(response) == [in_2019]
    assert "?year=2016" in response.content.decode()


def test_platform_filter(client, curator):
    telegram = PlatformFactory(name="Telegram", slug="telegram")
    on_telegram = EventFactory(platform=telegram)
    EventFactory()
    client.force_login(curator)

    response = client.get(changelist_url(), {"platform__id__exact": telegram.pk})

    assert listed(response) == [on_telegram]


def test_country_filter_lists_countries_in_use(client, curator):
    in_iran = EventFactory(country="IR")
    EventFactory(country="CN")
    client.force_login(curator)

    response = client.get(changelist_url(), {"country": "IR"})

    assert listed(response) == [in_iran]
    assert "Iran" in response.content.decode()
    assert "Zimbabwe" not in response.content.decode()


def test_search_finds_chinese_notice_text(client, curator):
    wanted = EventFactory(notice_text="该账号因违反相关法律法规已被封禁")
    EventFactory(notice_text="The account is withheld in your country.")
    client.force_login(curator)

    response = client.get(changelist_url(), {"q": "账号"})

    assert listed(response) == [wanted]


def test_search_finds_events_by_a_whole_source_url(client, curator):
    event = EventFactory()
    SourceFactory(event=event, url="https://rferl.example/telegram-ban")
    SourceFactory(event=event, url="https://rferl.example/telegram-ban-2")
    other = EventFactory()
    SourceFactory(event=other, url="https://rferl.example/telegram")
    client.force_login(curator)

    response = client.get(
        changelist_url(), {"q": " https://rferl.example/telegram-ban "}
    )

    assert listed(response) == [event]


def test_search_is_the_apis_search_every_word_anywhere(client, curator):
    wanted = EventFactory(target="Telegram channel", summary="Blocked in Moscow")
    EventFactory(target="Telegram channel", summary="Blocked in Minsk")
    client.force_login(curator)

    response = client.get(changelist_url(), {"q": "telegram moscow"})

    assert listed(response) == [wanted]


def test_search_calls_the_apis_search(client, curator, monkeypatch):
    searched = []

    def search_events(queryset, q, **kwargs):
        searched.append((q, kwargs))
        return queryset.none()

    monkeypatch.setattr("events.selectors.search.search_events", search_events)
    EventFactory(target="Telegram")
    client.force_login(curator)

    response = client.get(changelist_url(), {"q": "Telegram"})

    assert listed(response) == []
    assert searched == [("Telegram", {})]


def test_a_search_the_api_refuses_is_an_error_message(client, curator):
    EventFactory()
    client.force_login(curator)

    response = client.get(changelist_url(), {"q": "x" * 201}, follow=True)

    assert len(listed(response)) == 1
    assert any("Not searched" in m for m in messages_of(response))


def test_search_does_not_reach_past_the_queue(client, curator, published):
    client.force_login(curator)

    response = client.get(changelist_url(), {"q": published.target})

    assert listed(response) == []


def test_changelist_shows_dates_at_their_precision(client, curator):
    EventFactory(date=dt.date(2018, 8, 1), date_precision=DatePrecision.MONTH)
    client.force_login(curator)

    content = client.get(changelist_url()).content.decode()

    assert "2018-08" in content
    assert "2018-08-01" not in content


def _count_changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(changelist_url()).status_code == 200
    return len(queries)


def test_changelist_query_count_does_not_grow_with_events(
    client, curator, django_assert_max_num_queries
):
    for _ in range(3):
        SourceFactory(event=EventFactory())
    client.force_login(curator)
    with_three = _count_changelist_queries(client)
    for _ in range(27):
        SourceFactory(event=EventFactory())

    with django_assert_max_num_queries(with_three):
        response = client.get(changelist_url())

    assert len(listed(response)) == 30


def test_change_page_renders_notice_escaped_with_language_and_direction(
    client, curator
):
    event = EventFactory(
        notice_text="<b>این حساب</b>\n  مسدود شده است", notice_language="fa"
    )
    client.force_login(curator)

    content = client.get(change_url(event)).content.decode()

    assert '<blockquote class="notice-as-shown" lang="fa" dir="rtl">' in content
    assert "&lt;b&gt;این حساب&lt;/b&gt;\n  مسدود شده است</blockquote>" in content
    assert "<b>این حساب</b>" not in content


def test_change_page_leaves_direction_to_the_browser_for_other_languages(
    client, curator
):
    event = EventFactory(notice_text="该账号已被封禁", notice_language="zh")
    client.force_login(curator)

    content = client.get(change_url(event)).content.decode()

    assert '<blockquote class="notice-as-shown" lang="zh" dir="auto"' in content


def test_change_page_lists_status_changes(client, curator, editor, draft):
    event_reject(event=draft, user=editor, reason="Duplicate of an earlier report")
    client.force_login(curator)

    content = client.get(change_url(draft)).content.decode()

    assert "Duplicate of an earlier report" in content
    assert "editor" in content


def test_history_page_shows_who_changed_the_event(client, curator, draft):
    client.force_login(curator)
    data = form_data(client.get(change_url(draft)))
    data.update(summary="Confirmed by two outlets.", change_reason="add summary")
    assert client.post(change_url(draft), data).status_code == 302

    history = client.get(history_url(draft))

    content = history.content.decode()
    assert history.status_code == 200
    assert "curator" in content
    assert "add summary" in content
