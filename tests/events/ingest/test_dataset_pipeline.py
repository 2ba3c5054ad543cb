"""The dataset formats through the whole pipeline: served from a local HTTP
server, detected, parsed, stored once and made into drafts (or not)."""

from __future__ import annotations

import datetime as dt

import pytest

from events.choices import FeedFormat, ItemOutcome, Status
from events.models import Event, Feed, FeedItem, StatusChange
from events.services.feeds import FeedFetchFailed, feed_fetch, feed_items_process
from tests.events.ingest.corpus import dataset
from tests.httpserver import Route, http_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with http_server() as srv:
        yield srv


def serve(server, name: str, **kwargs) -> Feed:
    path = f"/{name}"
    server.routes[path] = Route(body=dataset(name), content_type="application/json")
    return Feed.objects.create(name=name[:40], url=server.url(path), **kwargs)


def outcomes(feed: Feed) -> dict[str, int]:
    found: dict[str, int] = {}
    for outcome in FeedItem.objects.filter(feed=feed).values_list("outcome", flat=True):
        found[outcome] = found.get(outcome, 0) + 1
    return found


def test_sflc_records_become_drafts_and_a_rerun_changes_nothing(server):
    sflc = serve(server, "sflc-in-india-internet-shutdowns.json")
    log = feed_fetch(feed_id=sflc.pk)
    assert (log.items_new, log.items_failed) == (114, 0)
    feed_items_process(feed_id=sflc.pk)
    # A record within 14 days of one about the same place joins its event.
    assert outcomes(sflc) == {ItemOutcome.DRAFT_CREATED: 100, ItemOutcome.ATTACHED: 14}
    events = Event.objects.select_related("platform")
    assert {(e.country, e.platform.name, e.status) for e in events} == {
        ("IN", "Internet", Status.DRAFT)
    }
    assert StatusChange.objects.filter(to_status=Status.DRAFT).count() == 100
    first = Event.objects.get(date=dt.date(2012, 1, 26))
    assert first.target == "Internet access in Kashmir, Jammu and Kashmir"
    assert first.sources.get().url.startswith("http://www.hindustantimes.com/")

    again = feed_fetch(feed_id=sflc.pk)
    assert (again.items_new, again.items_seen) == (0, 114)
    assert feed_items_process(feed_id=sflc.pk) == {}
    assert Event.objects.count() == 100


def test_ooni_findings_become_one_draft_per_country_and_site(server):
    findings = serve(server, "ooni-findings-incidents-api-sample.json")
    feed_fetch(feed_id=findings.pk)
    feed_items_process(feed_id=findings.pk)
    rows = Event.objects.order_by("date", "target").values_list(
        "country", "target", "target_type", "date", "ended_on"
    )
    assert list(rows) == [
        ("MY", "malaysianow.com", "website", dt.date(2023, 6, 28), dt.date(2024, 9, 7)),
        (
            "MY",
            "weechookeong.com",
            "website",
            dt.date(2023, 6, 28),
            dt.date(2024, 9, 7),
        ),
        ("ID", "archive.org", "website", dt.date(2025, 5, 26), dt.date(2025, 5, 29)),
    ]
    assert Event.objects.get(country="ID").sources.get().url == (
        "https://explorer.ooni.org/findings/8025203600"
    )


def test_lumen_notices_become_removal_drafts_with_the_notice_as_source(server):
    # The notices name no jurisdiction: the feed gives the country.
    lumen = serve(
        server, "lumen-api-notices-twitter-dmca-2017-04-14.json", default_country="US"
    )
    feed_fetch(feed_id=lumen.pk)
    feed_items_process(feed_id=lumen.pk)
    assert outcomes(lumen) == {ItemOutcome.DRAFT_CREATED: 50}
    event = Event.objects.get(sources__url="https://lumendatabase.org/notices/14197431")
    assert (event.action, event.target_type, event.country) == (
        "removed",
        "content_item",
        "US",
    )
    assert event.target_url == (
        "https://twitter.com/masrarabiasport/status/852988222137389058"
    )
    assert event.extraction["authority_text"] == "Kijamii for Internet Service"


def test_a_test_list_feed_makes_no_event(server):
    lists = serve(server, "citizenlab-test-lists-rows-noted-blocked.csv")
    feed_fetch(feed_id=lists.pk)
    feed_items_process(feed_id=lists.pk)
    assert outcomes(lists) == {ItemOutcome.NOT_EVENT: 127}
    assert not Event.objects.exists()


def test_a_declared_format_that_does_not_fit_is_a_clear_failure(server):
    wrong = serve(server, "sflc-in-india-internet-shutdowns.json")
    wrong.format = FeedFormat.LUMEN
    wrong.save()
    with pytest.raises(FeedFetchFailed, match="not a Lumen notices search page"):
        feed_fetch(feed_id=wrong.pk)
    wrong.refresh_from_db()
    assert "not a Lumen notices search page" in wrong.last_error
