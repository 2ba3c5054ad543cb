"""Nothing lost: a report of a block whose country was not found becomes an
incomplete draft (never a `failed` item nobody sees), and any item can be
made a draft by hand."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.choices import ItemOutcome, Status
from events.exceptions import EventInvalid, NotPermitted
from events.models import Event, FeedItem, StatusChange
from events.services.feeds import feed_fetch, feed_items_process
from events.services.item_drafts import feed_item_draft
from events.services.workflow import event_publish, event_submit
from tests.events.ingest.test_pipeline import (
    TELEGRAM_STORY,
    WEATHER,
    json_feed,
    make_feed,
)
from tests.factories import UserFactory
from tests.httpserver import Route, http_server

pytestmark = pytest.mark.django_db

NO_COUNTRY = {
    "id": "court-telegram-1",
    "url": "https://news.example.org/2018/04/16/court-telegram",
    "title": "Telegram blocked by court order",
    "content_text": (
        "A court ordered the Telegram messenger blocked on 16 April 2018 for "
        "refusing to hand over encryption keys."
    ),
    "date_published": "2018-04-16T12:00:00Z",
}
HOW_TO = {
    "id": "howto-telegram",
    "url": "https://news.example.org/telegram-howto",
    "title": "How to use Telegram safely",
    "content_text": "Turn on two-step verification in Telegram settings.",
    "date_published": "2018-04-16T10:00:00Z",
}


@pytest.fixture
def server(settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with http_server() as srv:
        yield srv


def processed(server, *items: dict, **feed_fields) -> None:
    news = make_feed(server, "/news", Route(body=json_feed(*items)), **feed_fields)
    feed_fetch(feed_id=news.pk)
    feed_items_process(feed_id=news.pk)


def test_an_item_without_a_country_becomes_an_incomplete_draft(server):
    processed(server, NO_COUNTRY)
    item = FeedItem.objects.get()
    event = Event.objects.get()
    assert (item.outcome, item.event) == (ItemOutcome.DRAFT_CREATED, event)
    assert "no country found" in item.outcome_detail
    assert (event.status, event.country, event.platform.name) == (
        Status.DRAFT,
        "",
        "Telegram",
    )
    assert event.missing_fields == ["country"]
    assert event.extraction["missing"] == ["country"]
    assert event.sources.get().url == NO_COUNTRY["url"]
    assert StatusChange.objects.get(event=event).to_status == Status.DRAFT


def test_a_complete_report_records_nothing_missing(server):
    processed(server, TELEGRAM_STORY)
    event = Event.objects.get()
    assert (event.missing_fields, "missing" in event.extraction) == ([], False)
    assert FeedItem.objects.get().outcome_detail == ""


def test_two_incomplete_reports_of_one_platform_stay_two_drafts(server):
    # Without a country, the same target blocked elsewhere is not the same event.
    other = dict(NO_COUNTRY, id="court-2", url="https://other.example.net/tg")
    processed(server, NO_COUNTRY, other)
    assert Event.objects.count() == 2


@pytest.mark.parametrize("move", [event_submit, event_publish])
def test_an_incomplete_draft_is_neither_submitted_nor_published(
    server,
    editor,
    move,
):
    processed(server, NO_COUNTRY)
    event = Event.objects.get()
    with pytest.raises(EventInvalid, match="set its country before you"):
        move(event=event, user=editor)
    event.refresh_from_db()
    assert event.status == Status.DRAFT


def test_a_completed_draft_is_submitted(server, curator):
    processed(server, NO_COUNTRY)
    event = Event.objects.get()
    Event.objects.filter(pk=event.pk).update(country="RU")
    event.refresh_from_db()
    assert event_submit(event=event, user=curator).status == Status.IN_REVIEW


def test_the_database_refuses_a_published_event_without_a_country(
    server,
):
    processed(server, NO_COUNTRY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.update(status=Status.PUBLISHED)


def test_an_event_in_review_without_a_country_is_invalid(server):
    processed(server, NO_COUNTRY)
    event = Event.objects.get()
    event.status = Status.IN_REVIEW
    with pytest.raises(ValidationError, match="needs a country") as info:
        event.full_clean()
    assert "country" in info.value.message_dict


def test_a_curator_makes_a_draft_of_a_non_event_in_one_call(
    server,
    curator,
):
    processed(server, HOW_TO)
    item = FeedItem.objects.get()
    assert item.outcome == ItemOutcome.NOT_EVENT
    made = feed_item_draft(item=item, user=curator)
    assert made.created
    item.refresh_from_db()
    assert (item.outcome, item.event) == (ItemOutcome.DRAFT_CREATED, made.event)
    assert "made by hand (was not an event: a how-to" in item.outcome_detail
    assert (made.event.platform.name, made.event.missing_fields) == (
        "Telegram",
        ["country"],
    )
    assert made.event.sources.get().url == HOW_TO["url"]
    change = StatusChange.objects.get(event=made.event)
    assert (change.to_status, change.user) == (Status.DRAFT, curator)


def test_a_second_click_gives_the_existing_draft(server, curator):
    processed(server, HOW_TO)
    item = FeedItem.objects.get()
    first = feed_item_draft(item=item, user=curator)
    again = feed_item_draft(item=item, user=curator)
    assert (again.created, again.event) == (False, first.event)
    assert Event.objects.count() == 1


def test_an_item_attached_to_a_known_event_gives_that_event(
    server,
    curator,
):
    processed(server, TELEGRAM_STORY)
    item = FeedItem.objects.get()
    made = feed_item_draft(item=item, user=curator)
    assert (made.created, made.event) == (False, item.event)


def test_an_item_naming_no_platform_asks_for_the_feeds_default(
    server,
    curator,
):
    processed(server, WEATHER)
    with pytest.raises(EventInvalid, match="set the feed's default platform"):
        feed_item_draft(item=FeedItem.objects.get(), user=curator)
    assert Event.objects.count() == 0
    assert FeedItem.objects.get().outcome == ItemOutcome.NOT_EVENT


def test_a_user_who_may_not_create_events_makes_no_draft(server):
    processed(server, HOW_TO)
    with pytest.raises(NotPermitted):
        feed_item_draft(item=FeedItem.objects.get(), user=UserFactory())
    assert Event.objects.count() == 0
