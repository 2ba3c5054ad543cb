import re

import pytest
from django.urls import reverse

from events.choices import Status
from tests.factories import AuthorityFactory, EventFactory, PlatformFactory

pytestmark = pytest.mark.django_db


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def action_counts(html: str) -> dict[str, int]:
    rows = re.findall(
        r'<a class="badge badge-(\w+)"[^>]*>[^<]+</a></th><td class="num">(\d+)</td>',
        html,
    )
    return {action: int(count) for action, count in rows}


def test_platform_page_summarises_its_published_events(client, record):
    html = page(client, reverse("public:platform", args=["wechat"]))

    assert '<h1 id="page-title">WeChat</h1>' in html
    assert re.search(r'class="total-number">2<', html)
    assert action_counts(html) == {"blocked": 1, "suspended": 1}
    assert "Huobi official account" in html
    assert "WeChat draft" not in html


def test_platform_page_links_its_feed_and_the_filtered_timeline(client, record):
    html = page(client, reverse("public:platform", args=["wechat"]))

    assert 'type="application/atom+xml"' in html
    assert 'href="/feed/?platform=wechat"' in html
    assert 'href="/?platform=wechat"' in html


def test_entity_page_has_a_chart_of_events_per_year_with_a_text_alternative(
    client, record
):
    html = page(client, reverse("public:platform", args=["telegram"]))

    assert '<svg class="chart-svg"' in html
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    assert "One bar per year from 2016 to 2018" in html
    assert "<title>2017: 0 events</title>" in html
    assert re.search(r'<th scope="row"><a href="[^"]*year=2018">2018</a></th>', html)


def test_country_page_uses_the_country_name(client, record):
    html = page(client, reverse("public:country", args=["IR"]))

    assert '<h1 id="page-title">Iran</h1>' in html
    assert "Telegram" in html


def test_lower_case_country_code_redirects(client, record):
    response = client.get("/countries/ir/")

    assert response.status_code == 301
    assert response.headers["Location"] == "/countries/IR/"


def test_authority_page(client, record):
    html = page(client, reverse("public:authority", args=[record.cac.slug]))

    assert '<h1 id="page-title">Cyberspace Administration of China</h1>' in html
    assert action_counts(html) == {"blocked": 1, "suspended": 1}


@pytest.mark.parametrize(
    "path",
    [
        "/platforms/secretapp/",
        "/platforms/no-such-platform/",
        "/authorities/hidden-office/",
        "/authorities/nobody/",
        "/countries/KP/",
        "/countries/XX/",
        "/countries/CHN/",
    ],
)
def test_entities_without_published_events_are_404(client, record, path):
    assert client.get(path).status_code == 404


def test_entity_with_only_unpublished_events_reveals_nothing(client, db):
    platform = PlatformFactory(name="Quiet", slug="quiet")
    authority = AuthorityFactory(name="Quiet Office", slug="quiet-office")
    for status in Status.values:
        if status != Status.PUBLISHED:
            EventFactory(platform=platform, authority=authority, status=status)

    assert client.get("/platforms/quiet/").status_code == 404
    assert client.get("/authorities/quiet-office/").status_code == 404


def test_entity_page_paginates_with_keyset_cursors(client, record, monkeypatch):
    monkeypatch.setattr("events.views.entities.PAGE_SIZE", 1)

    html = page(client, "/platforms/wechat/")

    assert "Huobi official account" in html
    assert "OKEx official account" not in html
    older = re.search(r'rel="next" href="([^"]+)"', html)[1]
    assert older.startswith("/platforms/wechat/?before=2018-08-21.")
    assert "OKEx official account" in page(client, older)


def test_entity_page_rejects_a_garbage_cursor(client, record):
    assert client.get("/platforms/wechat/?before=nope").status_code == 400
