"""The admin index is the review desk's dashboard: waiting events by origin,
the oldest waiting, unhealthy feeds, the last 8 weeks in all and per person;
every number links to the event list it counts, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from events.choices import ItemOutcome, Status
from events.models import Event, Feed, FeedItem, StatusChange
from events.selectors.desk import (
    desk_dashboard,
    events_of_origin,
    events_with_activity,
    week_start,
)
from events.services import event_publish, event_reject, event_submit
from events.services.editing import event_create_from_form
from tests.events.import_support import import_text, jsonl, row
from tests.events.test_admin_actions import messages_of
from tests.factories import EventFactory, PlatformFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db
INDEX = "/admin/"
NUMBER_LINK = re.compile(r'<a href="(/admin/events/event/\?[^"]*)"[^>]*>(\d+)</a>')


def feed_draft(feed: Feed, target: str) -> Event:
    """A draft as ingestion stores it (events.services.drafts): made from a
    feed item that keeps it, its creation recorded without a user."""
    event = EventFactory(target=target)
    SourceFactory(event=event)
    FeedItem.objects.create(
        feed=feed,
        guid=target,
        outcome=ItemOutcome.DRAFT_CREATED,
        event=event,
    )
    StatusChange.objects.create(
        event=event, from_status="", to_status=Status.DRAFT, note=f"from feed {feed}"
    )
    return event


def manual_draft(user, target: str) -> Event:
    event = EventFactory.build(platform=PlatformFactory(), target=target)
    event.authority.save()
    return event_create_from_form(event=event, user=user)


@pytest.fixture
def desk(curator, editor):
    feed = Feed.objects.create(name="OONI blog", url="https://ooni.example/feed")
    from_feed = [feed_draft(feed, "Feed one"), feed_draft(feed, "Feed two")]
    import_text(jsonl(row("OKEx"), row("Huobi")), user=editor, note="batch.jsonl")
    imported = list(Event.objects.filter(target__in=["OKEx", "Huobi"]))
    manual = manual_draft(curator, "By hand")
    SourceFactory(event=manual)
    event_submit(event=manual, user=curator)
    event_submit(event=from_feed[1], user=curator)
    older = EventFactory(target="No record")
    return {
        "feed": feed,
        "from_feed": from_feed,
        "imported": imported,
        "manual": manual,
        "older": older,
    }


def number_links(response) -> list[tuple[str, int]]:
    content = response.content.decode()
    section = content[
        content.index('<section class="desk"') : content.index("</section>")
    ]
    return [(unescape(url), int(n)) for url, n in NUMBER_LINK.findall(section)]


def listed(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    assert not messages_of(response), messages_of(response)
    return {event.pk for event in response.context["cl"].queryset}


# --- Origin -------------------------------------------------------------------


def test_origin_is_derived_from_what_each_path_stored(desk):
    feed_key = f"feed-{desk['feed'].pk}"
    every = Event.objects.all()

    assert set(events_of_origin(every, feed_key)) == set(desk["from_feed"])
    assert set(events_of_origin(every, "import")) == set(desk["imported"])
    assert set(events_of_origin(every, "manual")) == {desk["manual"]}
    assert set(events_of_origin(every, "other")) == {desk["older"]}


def test_waiting_counts_by_origin(desk):
    rows = {row.key: row for row in desk_dashboard().origins}

    feed = rows[f"feed-{desk['feed'].pk}"]
    assert (feed.label, feed.draft, feed.in_review) == ("feed: OONI blog", 1, 1)
    assert (rows["import"].draft, rows["import"].in_review) == (2, 0)
    assert (rows["manual"].draft, rows["manual"].in_review) == (0, 1)
    assert (rows["other"].draft, rows["other"].in_review) == (1, 0)


def test_published_events_are_not_waiting(desk, editor):
    [first, second] = desk["imported"]
    SourceFactory(event=first)
    event_publish(event=first, user=editor)

    rows = {row.key: row for row in desk_dashboard().origins}

    assert rows["import"].draft == 1


# --- Every number is a link to what it counts ---------------------------------


def test_every_number_links_to_the_list_of_exactly_that_many(client, desk, editor):
    event_reject(event=desk["imported"][0], user=editor, reason="spam")
    SourceFactory(event=desk["imported"][1])
    event_publish(event=desk["imported"][1], user=editor)
    client.force_login(editor)

    links = number_links(client.get(INDEX))

    # 3 origins still waiting (none imported), 8 weeks, 2 people (the editor,
    # the curator), every number once.
    assert len(links) == 3 * 2 + 8 * 3 + 2 * 8 * 3
    for url, number in links:
        assert len(listed(client, url)) == number, url
    assert sum(number for _, number in links) > 0


def test_weekly_numbers_count_status_changes_by_week(desk, editor, curator):
    now = timezone.now()
    [first, second] = desk["imported"]
    event_reject(event=first, user=editor, reason="spam")
    three_weeks_ago = now - dt.timedelta(weeks=3)
    StatusChange.objects.filter(event=first, to_status=Status.REJECTED).update(
        at=three_weeks_ago
    )
    SourceFactory(event=second)
    event_publish(event=second, user=editor)
    long_ago = now - dt.timedelta(weeks=9)
    StatusChange.objects.filter(event=desk["manual"], from_status="").update(
        at=long_ago
    )

    board = desk_dashboard(now=now)

    this_week, then = board.weeks[-1], board.weeks[-4]
    assert (this_week.came_in, this_week.published, this_week.rejected) == (4, 1, 0)
    assert (then.came_in, then.published, then.rejected) == (0, 0, 1)
    assert then.start == week_start(timezone.localdate(three_weeks_ago)).date()
    assert len(board.weeks) == 8
    people = {person.name: person for person in board.people}
    assert [w.rejected for w in people["editor"].weeks][-4] == 1
    assert people["editor"].weeks[-1].came_in == 2  # the import
    assert sum(w.came_in for w in people["curator"].weeks) == 0  # 9 weeks ago


def test_per_person_links_list_only_that_persons_moves(client, desk, editor, curator):
    week = timezone.localdate().isoformat()
    base = reverse("admin:events_event_changelist")
    client.force_login(editor)

    by_editor = listed(
        client, f"{base}?status=all&activity=came_in&week={week}&by={editor.pk}"
    )
    by_curator = listed(
        client, f"{base}?status=all&activity=came_in&week={week}&by={curator.pk}"
    )

    assert by_editor == {event.pk for event in desk["imported"]}
    assert by_curator == {desk["manual"].pk}


def test_activity_in_a_week_is_that_week_only(desk):
    last_week = timezone.localdate() - dt.timedelta(weeks=1)

    found = events_with_activity(
        Event.objects.all(), "came_in", week=week_start(last_week)
    )

    assert not found.exists()


# --- Oldest waiting, unhealthy feeds ------------------------------------------


def test_oldest_waiting_items_link_to_their_pages(client, desk, editor):
    StatusChange.objects.filter(
        event=desk["manual"], to_status=Status.IN_REVIEW
    ).update(at=timezone.now() - dt.timedelta(days=30))
    Event.objects.filter(pk=desk["older"].pk).update(
        created_at=timezone.now() - dt.timedelta(days=10)
    )
    client.force_login(editor)

    response = client.get(INDEX)

    oldest = response.context["desk"].oldest
    assert oldest[Status.IN_REVIEW] == desk["manual"]
    assert oldest[Status.DRAFT] == desk["older"]  # no record: since its creation
    content = response.content.decode()
    for event in (desk["manual"], desk["older"]):
        assert reverse("admin:events_event_change", args=[event.pk]) in content


def test_unhealthy_active_feeds_are_listed_with_a_link(client, editor):
    failing = Feed.objects.create(
        name="Broken", url="https://a.example/feed", consecutive_failures=5
    )
    Feed.objects.create(name="Fine", url="https://b.example/feed")
    Feed.objects.create(
        name="Switched off",
        url="https://c.example/feed",
        consecutive_failures=9,
        active=False,
    )
    client.force_login(editor)

    response = client.get(INDEX)

    assert response.context["desk"].unhealthy_feeds == [failing]
    content = response.content.decode()
    assert reverse("admin:events_feed_change", args=[failing.pk]) in content
    assert failing.health_problem.rstrip() in content  # why, in the feeds' words
    assert "Fine" not in content and "Switched off" not in content


# --- The page -----------------------------------------------------------------


def test_the_app_list_stays_below_the_dashboard(client, desk, curator):
    client.force_login(curator)

    content = client.get(INDEX).content.decode()

    assert content.index('<section class="desk"') < content.index('id="content-main"')
    assert 'class="app-events' in content


def test_the_dashboard_has_no_inline_script_or_style(client, desk, editor):
    client.force_login(editor)

    content = client.get(INDEX).content.decode()
    section = content[
        content.index('<section class="desk"') : content.index("</section>")
    ]

    assert "<script" not in section and "<style" not in section
    assert " style=" not in section
    assert "events/admin.css" in content


def test_someone_who_may_not_see_events_gets_no_dashboard(client, desk):
    client.force_login(UserFactory())

    response = client.get(INDEX)

    assert "desk" not in response.context
    assert '<section class="desk"' not in response.content.decode()


def test_the_dashboard_takes_a_fixed_number_of_queries(
    client, desk, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    client.get(INDEX)
    with django_assert_max_num_queries(11):
        small = client.get(INDEX)
    for n in range(6):
        feed = Feed.objects.create(
            name=f"Feed {n}", url=f"https://{n}.example/f", consecutive_failures=n
        )
        person = UserFactory(groups=["Editors"])
        for event in (feed_draft(feed, f"Item {n}"), manual_draft(person, f"M {n}")):
            SourceFactory(event=event)
            event_publish(event=event, user=person)

    with django_assert_max_num_queries(11):
        large = client.get(INDEX)

    assert len(large.context["desk"].people) > len(small.context["desk"].people)


# --- Bad filter values are said, not guessed ----------------------------------


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("activity=sneezed", "activity 'sneezed' is none of"),
        ("activity=came_in&week=last-week", "week 'last-week': a date YYYY-MM-DD"),
        ("activity=came_in&week=2026-02-30", "a date YYYY-MM-DD expected"),
        ("activity=published&by=abc", "by 'abc' names no user"),
        ("activity=published&by=99999999", "names no user"),
        ("week=2026-01-05", "give activity= with week= or by="),
        ("origin=feed-x", "origin 'feed-x': feed-<number> expected"),
        ("origin=telepathy", "origin 'telepathy' is none of"),
    ],
)
def test_a_filter_value_that_means_nothing_is_an_error_message(
    client, editor, query, said
):
    client.force_login(editor)

    response = client.get(f"{reverse('admin:events_event_changelist')}?{query}")

    assert response.status_code == 200
    [message] = messages_of(response)
    assert said in message
