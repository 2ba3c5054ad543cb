"""The public pages of the notice registry: /notices/ and /notices/<id>/."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from events.choices import Status
from events.services.notices import events_match_notices
from tests.events.notice_support import (
    WECHAT_EN,
    WECHAT_ZH,
    make_notice,
    saudi_blockpage,
    wechat_notice,
)
from tests.factories import EventFactory, PlatformFactory, SourceFactory
from tests.web.conftest import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(db):
    wechat = PlatformFactory(slug="wechat", name="WeChat")
    notice = wechat_notice(wechat)
    saudi = saudi_blockpage(language="ar", origin="")
    shown = [
        published(
            platform=wechat,
            target="OKEx",
            notice_text=WECHAT_EN,
            date=dt.date(2018, 3, 1),
        ),
        published(
            platform=wechat,
            target="Huobi",
            notice_text=WECHAT_ZH,
            notice_language="zh",
            date=dt.date(2020, 6, 1),
        ),
    ]
    draft = EventFactory(
        platform=wechat, target="Secret draft target", notice_text=WECHAT_EN
    )
    events_match_notices(event_ids=[e.pk for e in [*shown, draft]])
    return notice, saudi, shown


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_every_notice_with_its_published_events(client, registry):
    notice, saudi, _ = registry
    content = html(client.get("/notices/"))
    assert f'href="/notices/{notice.pk}/"' in content
    assert f'href="/notices/{saudi.pk}/"' in content
    assert "2 published events" in content and "0 published events" in content
    # Most recently seen first.
    assert content.index(notice.title) < content.index(saudi.title)


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("kind=blockpage", "Blockpage cl.nat_sa", "WeChat: account blocked"),
        ("platform=wechat", "WeChat: account blocked", "Blockpage cl.nat_sa"),
        ("country=SA", "Blockpage cl.nat_sa", "WeChat: account blocked"),
        ("q=屏蔽", "WeChat: account blocked", "Blockpage cl.nat_sa"),
    ],
)
def test_the_list_filters(client, registry, query, shown, hidden):
    content = html(client.get(f"/notices/?{query}"))
    assert shown in content
    assert hidden not in content.split('id="list-title"')[1]


@pytest.mark.parametrize(
    "query", ["kind=banner", "country=XX", "platform=nosuch", "page=zero", "page=0"]
)
def test_a_bad_filter_is_a_400_that_says_why(client, registry, query):
    response = client.get(f"/notices/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.content.decode()


def test_a_page_past_the_end_is_a_404(client, registry):
    assert client.get("/notices/?page=9").status_code == 404


def test_the_list_pages(client, registry):
    for n in range(55):
        make_notice(f"Extra notice {n}", title=f"Extra {n:02d}")
    first = html(client.get("/notices/"))
    assert "57 notices" in first and 'href="/notices/?page=2"' in first
    assert 'href="/notices/?page=1"' in html(client.get("/notices/?page=2"))


def test_a_notice_page_shows_every_wording_with_its_language(client, registry):
    notice, _, _ = registry
    content = html(client.get(f"/notices/{notice.pk}/"))
    assert re.search(
        r'<blockquote class="notice-text" lang="en" dir="auto">The', content
    )
    assert f'lang="zh" dir="auto">{WECHAT_ZH}</blockquote>' in content
    assert "<code>en</code>, <code>zh</code>" in content


def test_a_notice_page_lists_the_published_events_over_time(client, registry):
    notice, _, shown = registry
    content = html(client.get(f"/notices/{notice.pk}/"))
    for event in shown:
        assert f"/events/{event.public_id}/" in content
    assert "Secret draft target" not in content
    assert '"total-number">2</span> published events showed it' in content
    assert '<th scope="row">2018</th><td class="num">1</td>' in content
    assert '<th scope="row">2019</th><td class="num">0</td>' in content
    assert "1 Mar 2018" in content and "1 Jun 2020" in content


def test_a_right_to_left_wording_is_marked_so(client, registry):
    _, saudi, _ = registry
    content = html(client.get(f"/notices/{saudi.pk}/"))
    assert 'lang="ar" dir="rtl"' in content
    assert "No published event matches." in content


def test_a_notice_with_only_unpublished_events_lists_nothing(client, wechat_draft):
    notice, draft = wechat_draft
    content = html(client.get(f"/notices/{notice.pk}/"))
    assert draft.target not in content and str(draft.public_id) not in content
    assert '"total-number">0</span> published events showed it' in content


@pytest.fixture
def wechat_draft(db):
    wechat = PlatformFactory(slug="wechat", name="WeChat")
    notice = make_notice(WECHAT_ZH, platform=wechat, language="zh")
    draft = EventFactory(
        platform=wechat, notice_text=WECHAT_ZH, status=Status.IN_REVIEW
    )
    SourceFactory(event=draft)
    events_match_notices(event_ids=[draft.pk])
    return notice, draft


def test_an_unknown_notice_is_a_404(client, registry):
    assert client.get("/notices/999999/").status_code == 404


def test_the_pages_are_in_the_navigation_and_use_no_inline_code(client, registry):
    notice, _, _ = registry
    for path in ("/", "/notices/", f"/notices/{notice.pk}/"):
        content = html(client.get(path))
        assert '<a href="/notices/"' in content
        assert "<style" not in content and " style=" not in content
        assert not re.search(r"<script(?![^>]*\bsrc=)", content)
    assert 'aria-current="page">Notices' in html(client.get("/notices/"))


def test_the_sitemap_lists_notices_that_published_events_showed(client, registry):
    notice, saudi, _ = registry
    body = client.get("/sitemap-notices.xml").content.decode()
    assert f"/notices/{notice.pk}/</loc>" in body
    assert f"/notices/{saudi.pk}/</loc>" not in body
    assert "/notices/</loc>" in body


def test_the_event_page_links_its_notice(client, registry):
    notice, _, shown = registry
    content = html(client.get(f"/events/{shown[0].public_id}/"))
    assert f'href="/notices/{notice.pk}/"' in content


def test_query_budgets(client, registry, django_assert_max_num_queries):
    notice, _, _ = registry
    for n in range(30):
        make_notice(f"Extra notice {n}", title=f"Extra {n:02d}")
    # filters, count, page, counts, platforms, countries (+ session, cache)
    with django_assert_max_num_queries(8):
        html(client.get("/notices/?platform=wechat"))
    with django_assert_max_num_queries(8):
        html(client.get("/notices/"))
    # notice, variants, summary, page (+ a look beyond it)
    with django_assert_max_num_queries(6):
        html(client.get(f"/notices/{notice.pk}/"))
