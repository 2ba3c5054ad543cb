import re
import uuid

import pytest
from django.urls import reverse

from events.choices import Status
from tests.factories import EventFactory
from tests.web.conftest import CHINESE_NOTICE, PERSIAN_NOTICE, published

pytestmark = pytest.mark.django_db


def url(event) -> str:
    return reverse("public:event", args=[event.public_id])


def page(client, event) -> str:
    response = client.get(url(event))
    assert response.status_code == 200
    return response.content.decode()


def test_event_page_shows_the_event(client, record):
    html = page(client, record.okex)

    assert '<h1 id="page-title">WeChat blocked OKEx official account</h1>' in html
    assert "Cyberspace Administration of China" in html
    assert '>China</a> <span class="muted">(CN)</span>' in html
    assert "WeChat blocked the account of an offshore exchange." in html
    assert "(known to the month)" in html
    assert "Ongoing, as far as the record knows" in html


def test_event_page_shows_the_date_at_its_precision(client, record):
    html = page(client, record.okex)

    assert '<time datetime="2018-08">Aug 2018</time>' in html
    assert ">1 Aug 2018" not in html


def test_notice_is_a_block_quote_in_its_language(client, record):
    html = page(client, record.okex)

    assert (
        f'<blockquote class="notice-text" lang="zh" dir="auto">{CHINESE_NOTICE}'
        "</blockquote>"
    ) in html


def test_persian_notice_is_right_to_left(client, record):
    html = page(client, record.persian)

    assert (
        f'<blockquote class="notice-text" lang="fa" dir="rtl">{PERSIAN_NOTICE}'
        "</blockquote>"
    ) in html


def test_sources_show_publisher_date_and_archive(client, record):
    html = page(client, record.okex)

    assert 'href="https://www.coindesk.com/okex"' in html
    assert "China Blocking Crypto Exchanges on Social Media" in html
    assert '<span class="source-publisher">CoinDesk</span>' in html
    assert ">6 Aug 2018</time>" in html
    assert (
        'href="https://web.archive.org/web/2018/https://www.coindesk.com/okex"' in html
    )


def test_event_page_shows_published_and_updated_dates(client, record):
    html = page(client, record.okex)

    published_on = record.okex.published_at.strftime("%Y-%m-%d")
    assert re.search(rf'<dt>Published</dt><dd><time datetime="{published_on}', html)
    assert "<dt>Last updated</dt>" in html


def test_event_page_links_its_json_in_the_api(client, record):
    html = page(client, record.okex)

    assert f'href="/api/v1/events/{record.okex.public_id}/"' in html


def test_citation_names_the_event_and_its_permanent_url(client, record):
    html = page(client, record.okex)

    permalink = f"http://testserver/events/{record.okex.public_id}/"
    assert (
        f"WeChat blocked OKEx official account (China, Aug 2018). "
        f"Censorship Tracker, event {record.okex.public_id}. {permalink}. Accessed "
    ) in html
    assert f'<link rel="canonical" href="{permalink}">' in html


def test_related_events_share_the_target_or_platform_and_country(client, record):
    same_target = published(target="OKEx official account", country="HK")
    html = page(client, record.okex)

    related = html.split('id="related-heading"')[1]
    assert "Huobi official account" in related
    assert same_target.platform.name in related
    assert "OKEx official account</a>" in related  # the other one, not itself
    assert related.count(f"/events/{record.okex.public_id}/") == 0
    assert "WeChat draft" not in related


def test_event_without_kin_has_no_related_section(client, record):
    assert 'id="related-heading"' not in page(client, record.old)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.REJECTED])
def test_unpublished_events_are_404(client, db, status):
    event = EventFactory(status=status, target="Not for the public")

    response = client.get(url(event))

    assert response.status_code == 404
    assert "Not for the public" not in response.content.decode()


def test_unknown_event_is_404(client, db):
    assert client.get(f"/events/{uuid.uuid4()}/").status_code == 404


@pytest.mark.parametrize("path", ["/events/123/", "/events/not-a-uuid/", "/events/"])
def test_malformed_event_ids_are_404(client, db, path):
    assert client.get(path).status_code == 404


def test_script_in_any_field_is_escaped(client, record):
    html = page(client, record.xss)

    assert "<script>window.__xss" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;" in html


def test_javascript_urls_never_become_links(client, record):
    html = page(client, record.xss)

    assert 'href="javascript:' not in html.lower()
    assert "javascript:window.__xss=1" in html  # shown as text
