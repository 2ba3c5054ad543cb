"""The feed desk: refused addresses are form errors, health and per-feed
counts on the feed list, one-click drafts on the item list, incomplete drafts
on the review desk."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.choices import FetchOutcome, ItemOutcome
from events.models import Event, Feed, FeedItem
from tests.events.admin_support import add_url, change_url, changelist_url
from tests.factories import EventFactory, PlatformFactory

pytestmark = pytest.mark.django_db


def feed_form(url: str) -> dict[str, str]:
    return {
        "name": "Local news",
        "url": url,
        "format": "auto",
        "active": "on",
        "fetch_interval": "60",
        "default_platform": "",
        "default_country": "",
        "next_due_at_0": "",
        "next_due_at_1": "",
        "fetches-TOTAL_FORMS": "0",
        "fetches-INITIAL_FORMS": "0",
    }


def test_a_refused_feed_url_is_a_form_error(admin_client, settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = []
    response = admin_client.post(
        add_url("feed"), feed_form("http://127.0.0.1:8000/feed.xml")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["url"]
    assert errors == [
        "This feed cannot be fetched: refused: 127.0.0.1 is not a public address "
        "(for local development or tests, name it in the FEED_FETCH_ALLOWED_HOSTS "
        "setting)."
    ]
    assert not Feed.objects.exists()


def test_an_allowed_local_host_is_saved(admin_client, settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    response = admin_client.post(
        add_url("feed"), feed_form("http://127.0.0.1:8000/feed.xml")
    )
    assert response.status_code == 302
    assert Feed.objects.get().url == "http://127.0.0.1:8000/feed.xml"


def test_a_public_address_is_saved(admin_client):
    response = admin_client.post(add_url("feed"), feed_form("http://8.8.8.8/feed"))
    assert response.status_code == 302


def feed_with_items(n: int) -> Feed:
    """A feed whose items became a draft, an incomplete draft, two sources
    of known events and three non-events."""
    feed = Feed.objects.create(name=f"feed {n}", url=f"https://e{n}.example/feed")
    outcomes = [
        (ItemOutcome.DRAFT_CREATED, EventFactory()),
        (ItemOutcome.DRAFT_CREATED, EventFactory(country="")),
        *[(ItemOutcome.ATTACHED, EventFactory())] * 2,
        *[(ItemOutcome.NOT_EVENT, None)] * 3,
    ]
    FeedItem.objects.bulk_create(
        FeedItem(feed=feed, guid=f"{n}-{i}", outcome=outcome, event=event)
        for i, (outcome, event) in enumerate(outcomes)
    )
    return feed


def test_the_feed_list_counts_what_each_feeds_items_became(admin_client):
    feed = feed_with_items(1)
    response = admin_client.get(changelist_url("feed"))
    row = response.context["cl"].result_list.get(pk=feed.pk)
    counts = (row.n_drafts, row.n_incomplete, row.n_attached, row.n_not_event)
    assert counts == (2, 1, 2, 3)
    assert "&amp;outcome__exact=not_event" in response.content.decode()


def page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(changelist_url("feed")).status_code == 200
    return len(queries)


def test_the_feed_list_costs_the_same_queries_for_one_feed_or_many(admin_client):
    feed_with_items(1)
    one = page_queries(admin_client)
    for n in range(2, 6):
        feed_with_items(n)
    assert page_queries(admin_client) == one


def test_the_health_filter_lists_unhealthy_feeds(admin_client):
    Feed.objects.create(name="fine", url="https://fine.example/feed")
    empty = Feed.objects.create(
        name="empty", url="https://empty.example/feed", consecutive_empty=3
    )
    refused = Feed.objects.create(
        name="refused", url="https://x.example/feed", last_status=FetchOutcome.FAILED
    )
    response = admin_client.get(changelist_url("feed") + "?health=unhealthy")
    assert set(response.context["cl"].result_list) == {empty, refused}


def test_the_feed_page_says_why_it_is_unhealthy(admin_client):
    empty = Feed.objects.create(
        name="empty", url="https://empty.example/feed", consecutive_empty=4
    )
    page = admin_client.get(change_url(empty, "feed")).content.decode()
    assert "the last 4 fetches found no items" in page


def make_draft(client, item: FeedItem):
    return client.post(
        changelist_url("feeditem"),
        {"action": "make_draft", "_selected_action": [item.pk], "index": 0},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_one_click_makes_a_draft_and_a_second_says_it_exists(client, curator):
    client.force_login(curator)
    feed = Feed.objects.create(
        name="news",
        url="https://news.example/feed",
        default_platform=PlatformFactory(name="Signal", slug="signal"),
    )
    item = FeedItem.objects.create(
        feed=feed,
        guid="weather",
        link="https://news.example/weather",
        title="Sunny weekend ahead",
        outcome=ItemOutcome.NOT_EVENT,
        outcome_detail="no blocking verb",
    )
    first = make_draft(client, item)
    event = Event.objects.get()
    assert (event.platform.name, event.missing_fields) == ("Signal", ["country"])
    link = f'<a href="{event.get_absolute_url()}">{event}</a>'
    assert messages_of(first) == [
        f"Sunny weekend ahead: made the draft {link}. It is incomplete: set its "
        "country."
    ]
    second = make_draft(client, item)
    assert messages_of(second) == [
        f"Sunny weekend ahead: already belongs to the event {link}."
    ]
    assert Event.objects.count() == 1


def test_one_click_without_a_platform_says_what_to_do(client, curator):
    client.force_login(curator)
    feed = Feed.objects.create(name="news", url="https://news.example/feed")
    item = FeedItem.objects.create(feed=feed, guid="w", title="Sunny weekend ahead")
    response = make_draft(client, item)
    assert "set the feed's default platform" in messages_of(response)[0]
    assert not Event.objects.exists()


def test_the_review_desk_filters_and_flags_incomplete_drafts(admin_client):
    incomplete = EventFactory(country="")
    EventFactory()
    listed = admin_client.get(changelist_url() + "?incomplete=yes")
    assert list(listed.context["cl"].result_list) == [incomplete]
    page = admin_client.get(change_url(incomplete)).content.decode()
    assert 'id="incomplete-notice"' in page
    assert "no country was found" in page
