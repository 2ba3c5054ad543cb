"""The page of a target (its lifecycle) and the list of targets blocked now."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.choices import Action, DatePrecision, Status, TargetType
from events.models import Event
from events.services.target_merges import targets_merge
from events.services.targets import events_assign_targets
from tests.factories import EventFactory, PlatformFactory
from tests.web.conftest import published

pytestmark = pytest.mark.django_db


def linked(**fields) -> Event:
    """A published event linked to its target (the write hooks' job)."""
    event = published(**fields) if "status" not in fields else EventFactory(**fields)
    events_assign_targets(event_ids=[event.pk])
    event.refresh_from_db()
    return event


def target_url(event: Event) -> str:
    return reverse("public:target", args=[event.target_ref_id])


@pytest.fixture
def wikipedia():
    """Blocked in Turkey (an end date), restored the same day, then throttled."""
    platform = PlatformFactory(name="Wikipedia", slug="wikipedia")
    common = {
        "platform": platform,
        "target": "Wikipedia",
        "target_type": TargetType.WEBSITE,
        "target_url": "https://www.wikipedia.org/",
        "country": "TR",
    }
    return [
        linked(**common, date=dt.date(2017, 4, 29), ended_on=dt.date(2020, 1, 15)),
        linked(**common, action=Action.RESTORED, date=dt.date(2020, 1, 15)),
        linked(
            **{**common, "target": "wikipedia.org", "target_url": ""},
            action=Action.THROTTLED,
            date=dt.date(2022, 3, 1),
            date_precision=DatePrecision.MONTH,
        ),
    ]


def test_target_page_shows_the_lifecycle(client, wikipedia):
    response = client.get(target_url(wikipedia[0]))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="page-title" dir="auto">wikipedia.org</h1>' in html
    # The latest published event that names a URL gives it.
    assert 'href="https://www.wikipedia.org/" rel="noopener' in html
    assert "Blocked since Mar 2022" in html
    rows = re.findall(r'<tr class="period-(\w+)">', html)
    assert rows == ["blocked", "restored", "blocked"]
    assert "991 days" in html  # 29 Apr 2017 to 15 Jan 2020
    assert "about 776 days" in html  # 15 Jan 2020 to Mar 2022 (its first day)
    for event in wikipedia:
        assert f'href="/events/{event.public_id}/"' in html
    assert html.count('<rect class="lifecycle-bar lifecycle-') == 3
    assert "style=" not in html  # CSP: no inline styles


def test_target_page_of_a_target_whose_block_ended(client):
    event = linked(
        platform=PlatformFactory(name="Telegram", slug="telegram"),
        target="Telegram",
        target_type=TargetType.WHOLE_PLATFORM,
        country="RU",
        date=dt.date(2018, 4, 16),
        ended_on=dt.date(2020, 6, 18),
    )
    html = client.get(target_url(event)).content.decode()
    assert "Telegram in Russia" in html
    assert "Not blocked: the block ended 18 Jun 2020" in html
    assert re.findall(r'<tr class="period-(\w+)">', html) == ["blocked", "ended"]


def test_unknown_and_unpublished_only_targets_are_not_found(client, wikipedia):
    draft = linked(target="Hidden", status=Status.DRAFT)
    assert client.get(target_url(draft)).status_code == 404
    assert client.get(reverse("public:target", args=[10**9])).status_code == 404
    assert client.get("/targets/abc/").status_code == 404


def test_unpublished_events_are_left_out_of_the_page(client, wikipedia):
    later = linked(
        platform=wikipedia[0].platform,
        target="Wikipedia",
        target_type=TargetType.WEBSITE,
        target_url="https://wikipedia.org",
        action=Action.RESTORED,
        date=dt.date(2023, 1, 1),
        status=Status.IN_REVIEW,
        summary="Secret restoration",
    )
    html = client.get(target_url(later)).content.decode()
    assert "Blocked since Mar 2022" in html
    assert str(later.public_id) not in html


def test_a_merged_target_redirects_to_the_survivor(client, editor, wikipedia):
    other = linked(platform=wikipedia[0].platform, target="Wikipedia (all languages)")
    absorbed = other.target_ref
    targets_merge(survivor=wikipedia[0].target_ref, others=[absorbed], user=editor)

    response = client.get(reverse("public:target", args=[absorbed.pk]))

    assert response.status_code == 301
    assert response["Location"] == target_url(wikipedia[0])


def test_event_page_links_to_its_target(client, wikipedia):
    html = client.get(reverse("public:event", args=[wikipedia[0].public_id]))
    assert f'href="{target_url(wikipedia[0])}"' in html.content.decode()


# --- Blocked now -------------------------------------------------------------


@pytest.fixture
def mixed(wikipedia):
    """Blocked: Wikipedia (TR, throttled), an account in China; not blocked: a
    restored app, a block that ended; hidden: a draft block."""
    account = linked(target="@dissident", country="CN", date=dt.date(2019, 5, 1))
    app = linked(target="Some app", target_type=TargetType.APP, country="IN")
    linked(
        platform=app.platform,
        target="Some app",
        target_type=TargetType.APP,
        country="IN",
        action=Action.RESTORED,
        date=dt.date(2021, 1, 1),
    )
    linked(target="Ended one", date=dt.date(2019, 1, 1), ended_on=dt.date(2019, 2, 1))
    linked(target="Secret draft block", status=Status.DRAFT)
    return {"wikipedia": wikipedia[0], "account": account, "app": app}


def listed(client, query: str = "") -> list[str]:
    response = client.get("/blocked-now/" + query)
    assert response.status_code == 200, response.content
    html = response.content.decode()
    return re.findall(
        r'<th scope="row"><a href="/targets/\d+/" dir="auto">([^<]+)<', html
    )


def test_blocked_now_lists_blocked_targets_newest_first(client, mixed):
    assert listed(client) == ["wikipedia.org", "@dissident"]
    html = client.get("/blocked-now/").content.decode()
    assert "Mar 2022" in html and "1 May 2019" in html
    assert "Secret draft block" not in html
    assert "style=" not in html


def test_blocked_now_filters(client, mixed):
    assert listed(client, "?country=CN") == ["@dissident"]
    assert listed(client, "?country=tr") == ["wikipedia.org"]
    assert listed(client, "?target_type=website") == ["wikipedia.org"]
    assert listed(client, "?platform=wikipedia") == ["wikipedia.org"]
    assert listed(client, "?target_type=app") == []


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?country=XX", 400),
        ("?target_type=planet", 400),
        ("?before=yesterday", 400),
        ("?platform=no-such-platform", 404),
    ],
)
def test_blocked_now_refuses_bad_filters(client, mixed, query, status):
    assert client.get("/blocked-now/" + query).status_code == status


def test_blocked_now_pages(client, monkeypatch):
    monkeypatch.setattr("events.views.targets.PAGE_SIZE", 2)
    platform = PlatformFactory()
    for n in range(5):
        linked(platform=platform, target=f"Account {n}", date=dt.date(2020, 1, 1 + n))
    seen, url = [], "/blocked-now/"
    while url:
        html = client.get(url).content.decode()
        seen += re.findall(r'dir="auto">(Account \d)<', html)
        older = re.search(r'rel="next" href="([^"]+)"', html)
        url = older.group(1).replace("&amp;", "&") if older else ""
    assert seen == [f"Account {n}" for n in (4, 3, 2, 1, 0)]


def test_nav_and_sitemap_name_the_new_pages(client, mixed):
    home = client.get("/").content.decode()
    assert 'href="/blocked-now/"' in home
    sitemap = client.get("/sitemap-targets.xml").content.decode()
    assert target_url(mixed["wikipedia"]) in sitemap
    hidden = Event.objects.get(target="Secret draft block")
    assert f"/targets/{hidden.target_ref_id}/" not in sitemap


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def test_page_queries_do_not_grow_with_the_record(
    client, django_assert_max_num_queries
):
    platform = PlatformFactory(slug="budget")
    first = linked(platform=platform, target="Budget", date=dt.date(2000, 1, 1))

    def grow(count: int) -> None:
        for n in range(count):
            for name in ("Budget", f"Other {n}"):
                linked(
                    platform=platform,
                    target=name,
                    date=dt.date(2001, 1, 1) + dt.timedelta(days=n),
                    action=Action.RESTORED if n % 3 == 1 else Action.BLOCKED,
                )

    paths = [target_url(first), "/blocked-now/", "/blocked-now/?platform=budget"]
    grow(3)
    few = {path: count_queries(client, path) for path in paths}
    grow(30)
    for path in paths:
        with django_assert_max_num_queries(few[path]):
            client.get(path)
        assert few[path] <= 8, (path, few[path])


def test_a_drafts_url_and_wording_never_reach_the_target_page(client):
    platform = PlatformFactory()
    linked(
        platform=platform,
        target="OKEx",
        target_url="https://secret.example.org/draft-only",
        summary="Secretword",
        status=Status.DRAFT,
    )
    public = linked(platform=platform, target="okex", date=dt.date(2019, 1, 1))

    html = client.get(target_url(public)).content.decode()

    assert "secret.example.org" not in html
    assert "Secretword" not in html


def test_only_the_latest_event_of_a_target_is_marked_ongoing(client):
    """An open block followed by a restoration is over, whatever its own
    (missing) end date says: the event list agrees with the periods."""
    common = {"target": "@dissident", "target_type": TargetType.ACCOUNT}
    platform = PlatformFactory()
    first = linked(**common, platform=platform, date=dt.date(2019, 1, 1))
    linked(
        **common, platform=platform, action=Action.RESTORED, date=dt.date(2020, 1, 1)
    )
    linked(**common, platform=platform, date=dt.date(2021, 1, 1))

    html = client.get(target_url(first)).content.decode()

    assert html.count("state-ongoing") == 1


def test_blocked_now_form_address_keeps_only_the_filters_in_force(client, mixed):
    response = client.get("/blocked-now/?platform=&country=CN&target_type=")

    assert response.status_code == 302
    assert response["Location"] == "/blocked-now/?country=CN"
