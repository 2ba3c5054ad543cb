"""Duplicate suggestions on realistic data, the review desk's merge and split
pages, and concurrent merges."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections
from django.urls import reverse

from events.choices import DatePrecision, Status
from events.exceptions import TransitionNotAllowed
from events.models import Event, EventMerge, Source, StatusChange
from events.selectors.duplicates import event_duplicates, source_url_key
from events.services import event_publish, event_submit
from events.services.demo import demo_load
from events.services.merges import events_merge
from tests.events.admin_support import change_url, changelist_url, form_data
from tests.events.merge_support import (
    COINDESK,
    OKEX_DEMO_ID,
    merge_url,
    split_url,
    urls,
    with_sources,
)
from tests.factories import EventFactory, PlatformFactory, SourceFactory

pytestmark = pytest.mark.django_db


# Duplicate suggestions


@pytest.fixture
def okex_and_feed_draft(db):
    """The demo's OKEx record and the draft a feed made of the seed article
    (the same block, reported by another outlet), plus Huobi, blocked by the
    same order on the same day: a different event."""
    from events.ingest.extract import extract
    from events.ingest.gazetteer import seed_snapshot
    from events.models import Feed, FeedItem
    from events.services.drafts import item_to_event
    from events.services.gazetteer import Gazetteer
    from tests.events.import_support import SEED_ARTICLE

    demo_load()
    okex = Event.objects.get(public_id=OKEX_DEMO_ID)
    title, _, text = SEED_ARTICLE.read_text(encoding="utf-8").partition("\n")
    published = dt.datetime(2018, 3, 6, 15, tzinfo=dt.UTC)
    feed = Feed.objects.create(name="CCN", url="https://www.ccn.com/feed/")
    item = FeedItem.objects.create(
        feed=feed,
        guid="ccn-okex",
        link="https://www.ccn.com/chinese-government-blocks-cryptocurrency-exchanges",
        title=title,
        text=text,
        published_at=published,
    )
    candidate = extract(
        title=title, text=text, published_at=published, gazetteer=seed_snapshot()
    )
    outcome = item_to_event(
        item=item, candidate=candidate, feed=feed, gazetteer=Gazetteer()
    )
    assert outcome.outcome == "draft_created", outcome
    huobi = with_sources(
        "https://huobi.example/blocked",
        platform=okex.platform,
        target="Huobi official account",
        date=dt.date(2018, 3, 1),
        date_precision=DatePrecision.MONTH,
        notice_text=okex.notice_text,
        country="CN",
    )
    return okex, outcome.event, huobi


def test_feed_draft_finds_the_recorded_event_first(okex_and_feed_draft):
    okex, draft, huobi = okex_and_feed_draft

    found = event_duplicates(draft)

    assert found[0].event == okex
    assert "similar target (100%)" in found[0].reasons
    assert "overlapping dates" in found[0].reasons
    assert huobi not in [duplicate.event for duplicate in found]


def test_a_shared_source_is_a_strong_signal(okex_and_feed_draft):
    okex, draft, huobi = okex_and_feed_draft
    SourceFactory(event=huobi, url=COINDESK.replace("https://www.", "http://"))

    found = {d.event: d for d in event_duplicates(okex, limit=10)}

    assert "1 shared source(s)" in found[huobi].reasons
    assert found[draft].score > found[huobi].score >= 50


def test_suggestions_skip_merged_rejected_and_other_platforms(curator):
    wechat = PlatformFactory(name="WeChat", slug="wechat")
    event = EventFactory(platform=wechat, target="OKEx")
    twin = EventFactory(platform=wechat, target="OKEx")
    EventFactory(platform=wechat, target="OKEx", status=Status.REJECTED)
    EventFactory(platform=PlatformFactory(), target="OKEx")
    merged = EventFactory(platform=wechat, target="OKEx")
    events_merge(survivor=twin, absorbed=merged, user=curator, reason="dup")

    assert [d.event for d in event_duplicates(event)] == [twin]


def test_dates_far_apart_at_their_precision_do_not_count():
    wechat = PlatformFactory(name="WeChat", slug="wechat")
    event = EventFactory(platform=wechat, target="OKEx", date=dt.date(2018, 8, 21))
    same_year = EventFactory(
        platform=wechat,
        target="OKEx",
        date=dt.date(2018, 1, 1),
        date_precision=DatePrecision.YEAR,
    )
    years_before = EventFactory(
        platform=wechat, target="OKEx", date=dt.date(2016, 8, 21)
    )

    found = {d.event: d for d in event_duplicates(event, min_score=0)}

    assert "overlapping dates" in found[same_year].reasons
    assert years_before not in found


def test_suggestions_cost_a_few_queries_at_any_size(django_assert_max_num_queries):
    wechat = PlatformFactory(name="WeChat", slug="wechat")
    event = with_sources("https://a.example/", platform=wechat, target="OKEx")
    for n in range(30):
        with_sources(f"https://b.example/{n}", platform=wechat, target=f"OKEx {n}")

    with django_assert_max_num_queries(6):
        assert len(event_duplicates(event, limit=40)) == 30


def test_url_key_ignores_scheme_www_and_trailing_slash():
    assert source_url_key("https://www.Example.org/a/") == source_url_key(
        "http://example.org/a"
    )
    assert source_url_key("https://example.org/a?b=1") != source_url_key(
        "https://example.org/a"
    )


# The review desk


def test_change_page_offers_the_duplicates_with_merge_links(client, curator, pair):
    survivor, absorbed = pair
    client.force_login(curator)

    response = client.get(change_url(survivor))

    html = response.content.decode()
    assert 'id="possible-duplicates"' in html
    assert change_url(absorbed) in html
    assert (
        merge_url(survivor, absorbed, survivor=survivor).replace("&", "&amp;") in html
    )
    assert "1 shared source(s)" in html


def test_merge_page_shows_differences_and_moving_sources(client, curator, pair):
    survivor, absorbed = pair
    Event.objects.filter(pk=absorbed.pk).update(summary="Only in the duplicate")
    client.force_login(curator)

    response = client.get(merge_url(survivor, absorbed, survivor=survivor))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Only in the duplicate" in html
    assert 'class="differs"' in html
    assert "moves: https://b.example/2" in html
    assert (
        "stays (the survivor already cites it): http://www.shared.example/story/"
        in html
    )


def test_merge_through_the_admin(client, curator, pair):
    survivor, absorbed = pair
    client.force_login(curator)
    page = client.get(merge_url(survivor, absorbed, survivor=survivor))
    data = {**form_data(page, "merge_form"), "reason": "Same block, two reports"}

    response = client.post(reverse("admin:events_event_merge"), data, follow=True)

    assert response.redirect_chain[-1][0] == change_url(survivor)
    assert "Merged 1 event(s)" in response.content.decode()
    absorbed.refresh_from_db()
    assert (absorbed.status, absorbed.merged_into) == (Status.MERGED, survivor)
    assert "https://b.example/2" in urls(survivor)
    change = StatusChange.objects.filter(event=absorbed).last()
    assert (change.user, change.note) == (
        curator,
        f"merged into {survivor.public_id}: Same block, two reports",
    )
    assert absorbed.history.first().history_user == curator


def test_merge_page_needs_a_reason(client, curator, pair):
    survivor, absorbed = pair
    client.force_login(curator)
    page = client.get(merge_url(survivor, absorbed, survivor=survivor))

    response = client.post(
        reverse("admin:events_event_merge"), form_data(page, "merge_form")
    )

    assert response.status_code == 200
    assert "Give the reason" in response.content.decode()
    assert not EventMerge.objects.exists()


def test_curator_cannot_merge_a_published_event_in_the_admin(
    client, curator, draft, published
):
    client.force_login(curator)
    page = client.get(merge_url(published, draft, survivor=published))
    data = {**form_data(page, "merge_form"), "reason": "dup"}

    response = client.post(reverse("admin:events_event_merge"), data)

    assert response.status_code == 200
    assert "Not merged: " in response.content.decode()
    assert "only editors" in response.content.decode()
    assert not EventMerge.objects.exists()


def test_editor_merges_a_published_event_in_the_admin(client, editor, draft, published):
    client.force_login(editor)
    page = client.get(merge_url(published, draft, survivor=published))
    data = {**form_data(page, "merge_form"), "reason": "dup"}

    response = client.post(reverse("admin:events_event_merge"), data)

    assert response.status_code == 302
    assert EventMerge.objects.get().survivor == published


def test_merge_page_names_a_bad_parameter(client, curator, draft):
    client.force_login(curator)

    response = client.get(
        reverse("admin:events_event_merge"), {"event": [draft.pk, "x"]}
    )

    assert response.status_code == 400
    assert response.content.decode().startswith("event: ")


def test_review_queue_leaves_merged_events_out(client, curator, pair):
    survivor, absorbed = pair
    events_merge(survivor=survivor, absorbed=absorbed, user=curator, reason="dup")
    client.force_login(curator)

    queue = client.get(changelist_url()).context["cl"].result_list
    merged = client.get(changelist_url(), {"status": "merged"}).context["cl"]

    assert list(queue) == [survivor]
    assert list(merged.result_list) == [absorbed]


def test_bulk_action_leads_to_the_merge_page_to_choose_the_survivor(
    client, curator, pair
):
    survivor, absorbed = pair
    client.force_login(curator)

    response = client.post(
        changelist_url(),
        {"action": "merge_selected", "_selected_action": [survivor.pk, absorbed.pk]},
        follow=True,
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == merge_url(survivor, absorbed)
    assert "Choose the event that stays" in html
    assert (
        merge_url(survivor, absorbed, survivor=absorbed).replace("&", "&amp;") in html
    )


def test_survivor_page_shows_where_it_came_from(client, curator, pair):
    survivor, absorbed = pair
    event_submit(event=absorbed, user=curator)
    events_merge(survivor=survivor, absorbed=absorbed, user=curator, reason="dup")
    client.force_login(curator)

    html = client.get(change_url(survivor)).content.decode()

    assert "Merged from (each keeps its own history)" in html
    assert reverse("admin:events_event_history", args=[absorbed.pk]) in html
    assert "draft → in_review" in html
    assert "in_review → merged" in html


def test_merged_event_page_says_where_it_went_and_offers_the_split(
    client, curator, pair
):
    survivor, absorbed = pair
    events_merge(survivor=survivor, absorbed=absorbed, user=curator, reason="dup")
    client.force_login(curator)

    html = client.get(change_url(absorbed)).content.decode()

    assert 'id="merged-notice"' in html
    assert change_url(survivor) in html
    assert split_url(absorbed) in html
    assert 'id="possible-duplicates"' not in html


def test_curator_gets_no_split_of_a_merge_into_a_published_event(
    client, curator, editor, published
):
    other = with_sources("https://other.example/", platform=published.platform)
    events_merge(survivor=published, absorbed=other, user=editor, reason="dup")
    client.force_login(curator)

    html = client.get(change_url(other)).content.decode()

    assert 'id="merged-notice"' in html
    assert split_url(other) not in html


def test_split_through_the_admin(client, editor, published):
    other = with_sources("https://other.example/", platform=published.platform)
    # A likely duplicate of `published`, on purpose: the editor confirms.
    event_publish(event=other, user=editor, confirm_duplicate=True)
    events_merge(survivor=published, absorbed=other, user=editor, reason="dup")
    client.force_login(editor)
    page = client.get(split_url(other))
    assert "https://other.example/" in page.content.decode()

    response = client.post(split_url(other), {"reason": "two blocks"}, follow=True)

    assert "the event is published again" in response.content.decode()
    other.refresh_from_db()
    assert (other.status, other.merged_into) == (Status.PUBLISHED, None)
    assert urls(other) == {"https://other.example/"}


def test_split_off_through_the_admin(client, curator, pair):
    event, other = pair
    chosen = Source.objects.get(event=event, url="https://a.example/1")
    client.force_login(curator)
    url = reverse("admin:events_event_split_off", args=[event.pk])
    assert "https://a.example/1" in client.get(url).content.decode()

    response = client.post(url, {"sources": [chosen.pk], "reason": "two blocks"})

    draft = Event.objects.exclude(pk__in=[event.pk, other.pk]).get()
    assert response["Location"] == change_url(draft)
    assert urls(draft) == {"https://a.example/1"}


# Races


@pytest.mark.django_db(transaction=True)
def test_concurrent_merges_of_one_event_leave_one_merge(curator):
    """Two curators merge the same duplicate into two different events at
    once: one merge wins, the other gets a clear error."""
    platform = PlatformFactory()
    first, second, duplicate = (EventFactory(platform=platform) for _ in range(3))
    barrier = threading.Barrier(2, timeout=30)
    errors: list[Exception] = []

    def merge_into(survivor):
        try:
            barrier.wait()
            events_merge(
                survivor=survivor, absorbed=duplicate, user=curator, reason="dup"
            )
        except Exception as exc:  # noqa: BLE001 - recorded for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=merge_into, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [type(error) for error in errors] == [TransitionNotAllowed], errors
    assert EventMerge.objects.filter(absorbed=duplicate).count() == 1
    assert "already merged into event" in str(errors[0])
