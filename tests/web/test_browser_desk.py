"""The review desk in a real browser at 1366 px: the dashboard lays out
without sideways scrolling, its stylesheet applies under the CSP (no inline
styles), and the transition buttons keep their look (the fixtures are in
conftest.py; `page` fails on any CSP violation)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from events.choices import Status
from events.models import Feed
from tests.events.test_dashboard import feed_draft, manual_draft
from tests.factories import SourceFactory, UserFactory
from tests.web.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie,
                "url": live_server.url,
            }
        ]
    )
    page.set_viewport_size({"width": 1366, "height": 768})


@pytest.fixture
def busy_desk(curator, editor):
    feed = Feed.objects.create(
        name="A feed with a rather long name, as feeds have",
        url="https://ooni.example/feed",
        consecutive_failures=7,
    )
    drafts = [feed_draft(feed, f"Item {n}") for n in range(3)]
    for n in range(5):
        person = UserFactory(
            username=f"curator-with-a-long-name-{n}", groups=["Curators"]
        )
        SourceFactory(event=manual_draft(person, f"Manual {n}"))
    return drafts


def test_the_dashboard_fits_1366_px_and_is_styled(
    page, live_server, curator, busy_desk
):
    signed_in(page, live_server, curator)

    page.goto(f"{live_server.url}/admin/")

    assert page.locator("#desk-people tbody tr").count() == 5
    assert page.locator("#desk-weeks tbody tr").count() == 8
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    cards = page.locator(".desk-cards").evaluate("el => getComputedStyle(el).display")
    assert cards == "grid"
    people = page.locator("#desk-people table").bounding_box()
    assert people is not None and people["x"] + people["width"] <= 1366
    assert page.locator("#content-main .app-events").is_visible()
    screenshot(page, "admin-desk-1366")


def test_transition_buttons_are_styled_from_the_stylesheet(
    page, live_server, curator, busy_desk
):
    signed_in(page, live_server, curator)
    draft = busy_desk[0]
    assert draft.status == Status.DRAFT

    page.goto(f"{live_server.url}/admin/events/event/{draft.pk}/change/")

    button = page.locator("form.transition button")
    assert button.inner_text().lower() == "submit for review"
    assert button.evaluate("el => getComputedStyle(el).borderTopLeftRadius") == "15px"


# Unsorted, and sorted (a sorted column's header grows by its sort buttons).
@pytest.mark.parametrize("query", ["", "?o=-8.11"])
def test_the_queue_fits_1366_px_with_its_columns(
    page, live_server, curator, busy_desk, query
):
    for draft in busy_desk:
        draft.target = "A target with a very long name, as Telegram channels have " * 3
        draft.extraction = {"is_event": 0.62, "fields": {}}
        draft.save()
    signed_in(page, live_server, curator)

    page.goto(f"{live_server.url}/admin/events/event/{query}")

    headers = page.locator("#result_list thead th .text").all_inner_texts()
    assert [text.strip().lower() for text in headers[1:]] == [
        *("status", "platform", "target", "country", "action", "date"),
        *("authority", "confidence", "origin", "dup?", "waited"),
    ]
    assert page.locator("#result_list tbody tr").count() == 8
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    # The table scrolls inside its box when too wide: that box must not.
    results = page.locator("#changelist .results")
    assert results.evaluate("el => el.scrollWidth - el.clientWidth") <= 0
    table = page.locator("#result_list").bounding_box()
    assert table is not None and table["x"] + table["width"] <= 1366
    screenshot(page, f"admin-queue-1366{'-sorted' if query else ''}")
