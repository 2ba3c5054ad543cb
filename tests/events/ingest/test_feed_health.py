"""Nothing hidden: a feed whose fetches keep failing, are refused, or keep
yielding no items is not shown as healthy, and says why."""

from __future__ import annotations

import pytest

from events.choices import FetchOutcome
from events.models import Feed, FetchLog
from events.services.feeds import FeedFetchFailed, feed_fetch
from tests.events.ingest.corpus import feed
from tests.events.ingest.test_pipeline import WEATHER, json_feed, make_feed
from tests.httpserver import Route, http_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with http_server() as srv:
        yield srv


def fetched(news: Feed, times: int = 1) -> Feed:
    for _ in range(times):
        feed_fetch(feed_id=news.pk)
    news.refresh_from_db()
    return news


def test_a_feed_with_zero_items_for_three_fetches_is_unhealthy(server):
    empty = make_feed(server, "/empty", Route(body=json_feed()))
    assert fetched(empty, 2).healthy
    empty = fetched(empty)
    assert not empty.healthy
    assert "the last 3 fetches found no items" in empty.health_problem
    assert list(Feed.objects.unhealthy()) == [empty]
    assert set(FetchLog.objects.values_list("outcome", flat=True)) == {
        FetchOutcome.EMPTY
    }


def test_a_fetch_with_items_makes_an_empty_feed_healthy_again(server):
    news = fetched(make_feed(server, "/news", Route(body=json_feed())), 3)
    server.routes["/news"] = Route(body=json_feed(WEATHER))
    news = fetched(news)
    assert (news.healthy, news.consecutive_empty) == (True, 0)
    assert list(Feed.objects.healthy()) == [news]


def test_a_not_modified_fetch_neither_counts_nor_clears_emptiness(server):
    news = fetched(make_feed(server, "/news", Route(body=json_feed(), etag='"e"')), 3)
    assert (news.last_status, news.consecutive_empty) == (FetchOutcome.NOT_MODIFIED, 1)


def test_a_refused_address_is_unhealthy_at_once_and_names_the_setting(settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = []
    local = Feed.objects.create(name="local", url="http://127.0.0.1:9/feed")
    with pytest.raises(FeedFetchFailed, match="FEED_FETCH_ALLOWED_HOSTS"):
        feed_fetch(feed_id=local.pk)
    local.refresh_from_db()
    assert not local.healthy
    assert "FEED_FETCH_ALLOWED_HOSTS" in local.health_problem
    assert list(Feed.objects.unhealthy()) == [local]


def test_a_web_page_is_refused_saying_it_is_not_a_feed(server):
    page = make_feed(
        server,
        "/page",
        Route(body=feed("not-a-feed.html"), content_type="text/html"),
    )
    with pytest.raises(FeedFetchFailed):
        feed_fetch(feed_id=page.pk)
    page.refresh_from_db()
    assert "this address is a web page, not a feed" in page.health_problem
    log = FetchLog.objects.get(feed=page)
    assert "web page, not a feed" in log.error


def test_a_transient_failure_alone_leaves_the_feed_healthy(server):
    flaky = make_feed(server, "/flaky", Route(status=503))
    with pytest.raises(FeedFetchFailed):
        feed_fetch(feed_id=flaky.pk)
    flaky.refresh_from_db()
    assert flaky.healthy
    assert list(Feed.objects.healthy()) == [flaky]
