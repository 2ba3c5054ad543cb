"""The whole pipeline through the services: fetch from a local HTTP server,
parse, store items once, extract, deduplicate, create drafts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from events.choices import FetchOutcome, ItemOutcome, Status
from events.ingest.extract import no_verb_reason
from events.models import Event, Feed, FeedItem, FetchLog, Source, StatusChange
from events.services import feeds
from events.services.feeds import (
    FeedFetchFailed,
    feed_fetch,
    feed_items_process,
    feeds_claim_due,
)
from events.tasks import fetch_feed
from tests.events.ingest.corpus import dataset, feed
from tests.httpserver import Route, http_server

pytestmark = pytest.mark.django_db

TELEGRAM_STORY = {
    "id": "rkn-telegram-1",
    "url": "https://news.example.org/2018/04/16/telegram-blocked",
    "title": "Russia blocks Telegram messenger",
    "content_text": (
        "Russia's communications regulator Roskomnadzor blocked the Telegram "
        "messenger on 16 April 2018 after a Moscow court ordered it for refusing "
        "to hand over encryption keys."
    ),
    "date_published": "2018-04-16T12:00:00Z",
}
WEATHER = {
    "id": "weather-1",
    "url": "https://news.example.org/weather",
    "title": "Sunny weekend ahead",
    "content_text": "Forecasters expect a warm and sunny weekend across the region.",
    "date_published": "2018-04-16T09:00:00Z",
}


def json_feed(*items: dict) -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Test news",
            "items": list(items),
        }
    ).encode()


@pytest.fixture
def server(settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with http_server() as srv:
        yield srv


def make_feed(server, path: str, route: Route, **kwargs) -> Feed:
    server.routes[path] = route
    return Feed.objects.create(name=path.strip("/"), url=server.url(path), **kwargs)


def test_fetch_stores_each_item_once_and_logs_the_fetch(server):
    guardian = make_feed(
        server, "/guardian", Route(body=feed("rss2-guardian-facebook-2017.xml"))
    )
    log = feed_fetch(feed_id=guardian.pk)
    assert (log.outcome, log.http_status, log.items_new) == (FetchOutcome.OK, 200, 20)
    again = feed_fetch(feed_id=guardian.pk)
    assert (again.items_new, again.items_seen) == (0, 20)
    assert FeedItem.objects.filter(feed=guardian).count() == 20
    assert FetchLog.objects.filter(feed=guardian).count() == 2


def test_conditional_get_uses_the_stored_etag(server):
    news = make_feed(server, "/news", Route(body=json_feed(WEATHER), etag='"v7"'))
    feed_fetch(feed_id=news.pk)
    log = feed_fetch(feed_id=news.pk)
    assert log.outcome == FetchOutcome.NOT_MODIFIED
    assert log.http_status == 304
    assert server.requests[-1][1]["If-None-Match"] == '"v7"'
    news.refresh_from_db()
    assert (news.etag, news.last_status) == ('"v7"', FetchOutcome.NOT_MODIFIED)


def test_a_transient_failure_is_recorded_and_backs_off(server):
    flaky = make_feed(server, "/flaky", Route(status=503), fetch_interval=30)
    before = timezone.now()
    with pytest.raises(FeedFetchFailed) as info:
        feed_fetch(feed_id=flaky.pk)
    assert info.value.transient
    flaky.refresh_from_db()
    assert flaky.consecutive_failures == 1
    assert flaky.last_status == FetchOutcome.RETRYING
    assert flaky.next_due_at >= before + dt.timedelta(minutes=60)
    log = FetchLog.objects.get(feed=flaky)
    assert (log.outcome, log.http_status, log.error) == ("retrying", 503, "HTTP 503")


def test_repeated_failures_back_off_further_and_mark_the_feed_unhealthy(server):
    flaky = make_feed(server, "/flaky", Route(status=500), fetch_interval=10)
    for _ in range(3):
        with pytest.raises(FeedFetchFailed):
            feed_fetch(feed_id=flaky.pk)
    flaky.refresh_from_db()
    assert flaky.consecutive_failures == 3
    assert not flaky.healthy
    assert flaky.next_due_at >= timezone.now() + dt.timedelta(minutes=79)


def test_success_resets_the_failure_count(server):
    flaky = make_feed(server, "/flaky", Route(status=500))
    with pytest.raises(FeedFetchFailed):
        feed_fetch(feed_id=flaky.pk)
    server.routes["/flaky"] = Route(body=json_feed(WEATHER))
    feed_fetch(feed_id=flaky.pk)
    flaky.refresh_from_db()
    assert (flaky.consecutive_failures, flaky.last_error) == (0, "")


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (Route(status=404), "HTTP 404"),
        (Route(body=feed("not-a-feed.html"), content_type="text/html"), "HTML page"),
    ],
)
def test_permanent_failures_are_not_transient(server, route, message):
    broken = make_feed(server, "/broken", route)
    with pytest.raises(FeedFetchFailed, match=message) as info:
        feed_fetch(feed_id=broken.pk)
    assert not info.value.transient
    broken.refresh_from_db()
    assert broken.last_status == FetchOutcome.FAILED


def test_fetch_task_reraises_transient_failures_for_retry(server):
    flaky = make_feed(server, "/flaky", Route(status=503))
    with pytest.raises(FeedFetchFailed):
        fetch_feed(flaky.pk)  # called directly, a retry re-raises


def test_fetch_task_gives_up_at_once_on_permanent_failures(server):
    gone = make_feed(server, "/gone", Route(status=410))
    assert fetch_feed(gone.pk)["outcome"] == "failed"
    assert FetchLog.objects.get(feed=gone).outcome == FetchOutcome.FAILED


def test_a_report_becomes_a_draft_with_its_source(server):
    news = make_feed(server, "/news", Route(body=json_feed(TELEGRAM_STORY, WEATHER)))
    feed_fetch(feed_id=news.pk)
    counts = feed_items_process(feed_id=news.pk)
    assert counts == {ItemOutcome.DRAFT_CREATED: 1, ItemOutcome.NOT_EVENT: 1}
    event = Event.objects.get()
    assert event.status == Status.DRAFT
    assert (event.platform.slug, event.country, event.action) == (
        "telegram",
        "RU",
        "blocked",
    )
    assert (event.date, event.date_precision) == (dt.date(2018, 4, 16), "day")
    assert event.sources.get().url == TELEGRAM_STORY["url"]
    assert 0 < event.extraction["fields"]["platform"] <= 1
    assert StatusChange.objects.get(event=event).to_status == Status.DRAFT
    item = FeedItem.objects.get(guid="rkn-telegram-1")
    assert (item.outcome, item.event) == (ItemOutcome.DRAFT_CREATED, event)


def test_items_that_report_no_event_never_become_drafts(server):
    news = make_feed(
        server, "/news", Route(body=feed("rss2-nytimes-technology-2017.xml"))
    )
    feed_fetch(feed_id=news.pk)
    feed_items_process(feed_id=news.pk)
    assert Event.objects.count() == 0
    assert set(FeedItem.objects.values_list("outcome", flat=True)) == {
        ItemOutcome.NOT_EVENT
    }


def test_processing_twice_changes_nothing(server):
    news = make_feed(server, "/news", Route(body=json_feed(TELEGRAM_STORY)))
    feed_fetch(feed_id=news.pk)
    feed_items_process(feed_id=news.pk)
    assert feed_items_process(feed_id=news.pk) == {}
    assert (Event.objects.count(), Source.objects.count()) == (1, 1)


def test_the_same_story_in_two_feeds_makes_one_draft(server):
    first = make_feed(server, "/a", Route(body=json_feed(TELEGRAM_STORY)))
    second = make_feed(server, "/b", Route(body=json_feed(TELEGRAM_STORY)))
    for f in (first, second):
        feed_fetch(feed_id=f.pk)
        feed_items_process(feed_id=f.pk)
    event = Event.objects.get()
    assert Source.objects.get().event == event
    item = FeedItem.objects.get(feed=second)
    assert (item.outcome, item.event) == (ItemOutcome.ATTACHED, event)


def test_another_report_of_a_known_event_becomes_its_source(server):
    other = dict(
        TELEGRAM_STORY,
        id="other-1",
        url="https://other.example.net/telegram-ban",
        title="Telegram blocked in Russia",
        date_published="2018-04-17T08:00:00Z",
        content_text=(
            "Roskomnadzor started blocking Telegram in Russia on 16 April 2018."
        ),
    )
    first = make_feed(server, "/a", Route(body=json_feed(TELEGRAM_STORY)))
    second = make_feed(server, "/b", Route(body=json_feed(other)))
    for f in (first, second):
        feed_fetch(feed_id=f.pk)
        feed_items_process(feed_id=f.pk)
    event = Event.objects.get()
    assert set(event.sources.values_list("url", flat=True)) == {
        TELEGRAM_STORY["url"],
        other["url"],
    }


def test_an_ooni_measurement_becomes_a_draft_for_the_known_platform(server):
    ooni = make_feed(
        server,
        "/ooni",
        Route(body=dataset("ooni-webconnectivity-IR-facebook-dns-2022-08-15.json")),
    )
    feed_fetch(feed_id=ooni.pk)
    feed_items_process(feed_id=ooni.pk)
    event = Event.objects.get()
    assert (event.platform.slug, event.country, event.target_type) == (
        "facebook",
        "IR",
        "website",
    )
    assert event.sources.get().url.startswith("https://explorer.ooni.org/")


def test_claiming_due_feeds_claims_each_once(server):
    due = make_feed(server, "/due", Route(body=json_feed(WEATHER)))
    make_feed(
        server, "/later", Route(), next_due_at=timezone.now() + dt.timedelta(hours=1)
    )
    make_feed(server, "/off", Route(), active=False)
    assert feeds_claim_due() == [due.pk]
    assert feeds_claim_due() == []
    due.refresh_from_db()
    assert due.next_due_at > timezone.now()


HOW_TO = {
    "id": "howto-1",
    "url": "https://news.example.org/howto",
    "title": "How to keep your phone charged on a long trip",
    "content_text": "Carry a power bank and turn the screen brightness down.",
    "date_published": "2018-04-16T10:00:00Z",
}


def test_items_without_a_blocking_verb_get_the_reason_extract_gives(server):
    news = make_feed(server, "/news", Route(body=json_feed(WEATHER, HOW_TO)))
    feed_fetch(feed_id=news.pk)
    assert feed_items_process(feed_id=news.pk) == {ItemOutcome.NOT_EVENT: 2}
    details = dict(FeedItem.objects.values_list("guid", "outcome_detail"))
    assert details == {
        "weather-1": "no blocking verb",
        "howto-1": "a how-to or guide, not a report of a block",
    }


def test_a_feed_of_non_events_costs_the_same_few_queries_at_any_size(
    server, django_assert_max_num_queries
):
    weather = [dict(WEATHER, id=f"weather-{n}") for n in range(60)]
    news = make_feed(server, "/news", Route(body=json_feed(*weather)))
    feed_fetch(feed_id=news.pk)
    with django_assert_max_num_queries(4):
        assert feed_items_process(feed_id=news.pk) == {ItemOutcome.NOT_EVENT: 60}


def test_an_item_processed_meanwhile_is_left_as_it_is(server, monkeypatch):
    news = make_feed(server, "/news", Route(body=json_feed(WEATHER)))
    feed_fetch(feed_id=news.pk)

    def another_worker_gets_there_first(**kwargs):
        FeedItem.objects.update(outcome=ItemOutcome.ATTACHED)
        return no_verb_reason(**kwargs)

    monkeypatch.setattr(feeds, "no_verb_reason", another_worker_gets_there_first)
    assert feed_items_process(feed_id=news.pk) == {}
    assert FeedItem.objects.get().outcome == ItemOutcome.ATTACHED


def test_items_are_processed_in_batches_up_to_the_limit(server, monkeypatch):
    monkeypatch.setattr(feeds, "_BATCH", 2)
    weather = [dict(WEATHER, id=f"weather-{n}") for n in range(5)]
    news = make_feed(server, "/news", Route(body=json_feed(TELEGRAM_STORY, *weather)))
    feed_fetch(feed_id=news.pk)
    assert feed_items_process(feed_id=news.pk, limit=4) == {
        ItemOutcome.DRAFT_CREATED: 1,
        ItemOutcome.NOT_EVENT: 3,
    }
    assert FeedItem.objects.filter(outcome=ItemOutcome.PENDING).count() == 2
    assert feed_items_process(feed_id=news.pk) == {ItemOutcome.NOT_EVENT: 2}


def test_an_item_whose_stored_candidate_is_unreadable_fails(server):
    news = make_feed(server, "/news", Route(body=json_feed(WEATHER)))
    feed_fetch(feed_id=news.pk)
    FeedItem.objects.update(candidate={"is_event": True})  # no confidence
    assert feed_items_process(feed_id=news.pk) == {ItemOutcome.FAILED: 1}
    assert FeedItem.objects.get().outcome_detail.startswith("KeyError")
