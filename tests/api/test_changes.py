"""The change feed (/api/v1/changes/): what each write logs, pages, bad input,
caching and cost."""

from __future__ import annotations

import threading
import time

import pytest
import yaml
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.api.serializers import EventSerializer
from events.api.views.changes import ChangePageSerializer, ChangeSerializer
from events.choices import Status
from events.models import Event, EventChange, Platform
from events.services.changes import changes_sync
from events.services.merges import events_merge
from tests.api.changes_support import (
    api_create,
    api_patch,
    api_publish_new,
    api_transition,
    feed_pages,
    kinds,
)
from tests.api.conftest import publish
from tests.events.admin_support import change_url, changelist_url, form_data
from tests.events.import_support import import_text, jsonl, row
from tests.factories import AuthorityFactory, PlatformFactory

pytestmark = pytest.mark.django_db


def test_a_draft_is_not_in_the_feed(editor_api, api):
    draft = api_create(editor_api)
    api_patch(editor_api, draft, summary="Still a draft.")
    assert kinds(api) == []


def test_publishing_logs_the_event_as_its_detail_shows_it(editor_api, api):
    public_id = api_publish_new(editor_api)
    [change] = feed_pages(api)[0]
    detail = api.get(f"/api/v1/events/{public_id}/").json()
    assert (change["kind"], change["event_id"]) == ("published", public_id)
    assert change["event"] == detail
    assert change["merged_into"] is None
    assert change["cursor"] == EventChange.objects.get().id


def test_each_write_of_a_published_event_logs_an_update(editor_api, api):
    public_id = api_publish_new(editor_api)
    api_patch(editor_api, public_id, summary="Corrected.")
    api_patch(editor_api, public_id, sources=[{"url": "https://b.example/2"}])
    assert kinds(api) == [("published", public_id)] + [("updated", public_id)] * 2
    assert feed_pages(api)[0][-1]["event"]["sources"][0]["url"] == (
        "https://b.example/2"
    )


def test_unpublishing_logs_unpublished_without_the_event(editor_api, api):
    public_id = api_publish_new(editor_api)
    api_transition(editor_api, public_id, "unpublish", reason="Not verified.")
    changes = feed_pages(api)[0]
    assert [c["kind"] for c in changes] == ["published", "unpublished"]
    # The feed embeds what the record holds now: nothing public.
    assert [c["event"] for c in changes] == [None, None]


def test_publishing_again_logs_published_again(editor_api, api):
    public_id = api_publish_new(editor_api)
    api_transition(editor_api, public_id, "unpublish", reason="Checking.")
    api_patch(editor_api, public_id, summary="Checked.")
    api_transition(editor_api, public_id, "publish")
    assert [kind for kind, _ in kinds(api)] == ["published", "unpublished", "published"]


def test_merging_logs_merged_with_the_survivor(editor_api, api, editor):
    survivor = api_publish_new(editor_api)
    absorbed = api_publish_new(
        editor_api, sources=[{"url": "https://other.example/telegram"}]
    )
    events_merge(
        survivor=Event.objects.get(public_id=survivor),
        absorbed=Event.objects.get(public_id=absorbed),
        user=editor,
        reason="Same event.",
    )
    changes = feed_pages(api)[0][2:]
    by_event = {c["event_id"]: c for c in changes}
    assert by_event[absorbed]["kind"] == "merged"
    assert by_event[absorbed]["merged_into"] == survivor
    assert by_event[absorbed]["event"] is None
    assert by_event[survivor]["kind"] == "updated"
    assert len(by_event[survivor]["event"]["sources"]) == 2


def test_merging_a_draft_into_a_published_event_logs_only_the_survivor(
    editor_api, api, editor
):
    survivor = api_publish_new(editor_api)
    draft = api_create(editor_api, sources=[{"url": "https://other.example/d"}])
    events_merge(
        survivor=Event.objects.get(public_id=survivor),
        absorbed=Event.objects.get(public_id=draft),
        user=editor,
        reason="Same event.",
    )
    assert kinds(api) == [("published", survivor), ("updated", survivor)]


def test_deleting_a_published_event_in_the_admin_logs_deleted(
    editor_api, api, admin_client
):
    public_id = api_publish_new(editor_api)
    event = Event.objects.get(public_id=public_id)
    delete_url = reverse("admin:events_event_delete", args=[event.pk])
    response = admin_client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    assert kinds(api)[-1] == ("deleted", public_id)


def test_bulk_delete_logs_each_public_event_once(editor_api, api, admin_client):
    published = [api_publish_new(editor_api, target=f"@c{n}") for n in range(2)]
    draft = api_create(editor_api, target="@draft")
    pks = Event.objects.filter(public_id__in=[*published, draft]).values_list(
        "pk", flat=True
    )
    response = admin_client.post(
        changelist_url() + "?status=all",
        {"action": "delete_selected", "_selected_action": list(pks), "post": "yes"},
    )
    assert response.status_code == 302
    assert not Event.objects.exists()
    deleted = [event for kind, event in kinds(api) if kind == "deleted"]
    assert sorted(deleted) == sorted(published)


def _edit_platform(client, platform, **changes) -> None:
    data = form_data(client.get(change_url(platform, "platform")), "platform_form")
    data.update(changes)
    response = client.post(change_url(platform, "platform"), data)
    assert response.status_code == 302, response.content


def test_renaming_a_platform_updates_its_published_events(
    editor_api, api, admin_client
):
    on_telegram = api_publish_new(editor_api)
    api_create(editor_api, target="@draft_channel")
    PlatformFactory(name="VK", slug="vk")
    api_publish_new(editor_api, platform="vk", target="@vk")
    since = feed_pages(api)[1]
    telegram = Platform.objects.get(slug="telegram")

    _edit_platform(admin_client, telegram, name="Telegram Messenger")

    [change] = feed_pages(api, since)[0]
    assert (change["kind"], change["event_id"]) == ("updated", on_telegram)
    assert change["event"]["platform"]["name"] == "Telegram Messenger"


def test_editing_only_a_platforms_aliases_logs_nothing(editor_api, api, admin_client):
    api_publish_new(editor_api)
    since = feed_pages(api)[1]
    telegram = Platform.objects.get(slug="telegram")
    _edit_platform(admin_client, telegram, aliases="Телеграм\r\nTG")
    assert feed_pages(api, since)[0] == []


def test_changing_an_authoritys_country_updates_its_events(
    editor_api, api, admin_client
):
    authority = AuthorityFactory(name="Court", slug="court-ru", country="RU")
    api_publish_new(editor_api, authority="court-ru")
    since = feed_pages(api)[1]
    url = change_url(authority, "authority")
    data = form_data(admin_client.get(url), "authority_form")
    data.update(country="")
    assert admin_client.post(url, data).status_code == 302
    [change] = feed_pages(api, since)[0]
    assert change["kind"] == "updated"
    assert change["event"]["authority"]["country"] is None


def test_the_importer_logs_new_and_changed_published_rows(api):
    published = {"status": "published"}
    import_text(
        jsonl(row("OKEx", **published), row("Huobi"), row("Binance", **published))
    )
    first, since = feed_pages(api)
    assert [c["kind"] for c in first] == ["published", "published"]
    import_text(
        jsonl(
            row("OKEx", summary="Changed.", **published),
            row("Huobi", **published),
            row("Binance", **published),
        )
    )
    again = feed_pages(api, since)[0]
    assert sorted((c["kind"], c["event"]["target"]) for c in again) == [
        ("published", "Huobi"),
        ("updated", "OKEx"),
    ]


def test_logging_costs_the_same_queries_for_one_or_many_events(db):
    # Thirty events: one INSERT of history rows even under SQLite's limit of
    # 999 parameters per statement (history rows have 31 columns).
    few = [publish().pk for _ in range(2)]
    many = [publish().pk for _ in range(30)]
    counts = []
    for ids in (few, many):
        Event.objects.filter(pk__in=ids).update(summary="bypassing save()")
        with CaptureQueriesContext(connection) as queries:
            changes_sync(event_ids=ids)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert EventChange.objects.count() == 32
    # Each event's history caught up with the update that bypassed save().
    assert Event.history.filter(summary="bypassing save()").count() == 32


def test_unpublished_drafts_log_nothing_even_when_synced_again(draft):
    changes_sync(event_ids=[draft.pk])
    assert not EventChange.objects.exists()


def test_pages_follow_the_cursor(editor_api, api):
    made = [api_publish_new(editor_api, target=f"@c{n}") for n in range(5)]
    first = api.get("/api/v1/changes/", {"limit": 2}).json()
    assert [c["event_id"] for c in first["results"]] == made[:2]
    assert first["has_more"] is True
    assert first["next_cursor"] == first["results"][-1]["cursor"]
    rest = api.get(
        "/api/v1/changes/", {"since": first["next_cursor"], "limit": 1000}
    ).json()
    assert [c["event_id"] for c in rest["results"]] == made[2:]
    assert rest["has_more"] is False
    cursors = [c["cursor"] for c in first["results"] + rest["results"]]
    assert cursors == sorted(cursors)


def test_nothing_new_keeps_the_cursor(editor_api, api):
    api_publish_new(editor_api)
    newest = EventChange.objects.get().id
    for since in (newest, newest + 1000, 2**63 - 1):
        page = api.get("/api/v1/changes/", {"since": since}).json()
        assert page == {"results": [], "next_cursor": since, "has_more": False}


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("since=-1", "since"),
        ("since=abc", "since"),
        ("since=1.5", "since"),
        ("since=%00", "since"),
        ("since=", "since"),
        ("since=%D9%A3", "since"),
        (f"since={2**63}", "since"),
        ("since=99999999999999999999999", "since"),
        ("since=1&since=2", "since"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("cursor=abc", "cursor"),
    ],
)
def test_bad_parameters_are_400_naming_them(api, query, name):
    response = api.get(f"/api/v1/changes/?{query}")
    assert response.status_code == 400
    assert name in response.json()


def test_etag_gives_304_until_a_change_is_logged(editor_api, api):
    api_publish_new(editor_api)
    first = api.get("/api/v1/changes/")
    assert api.get(
        "/api/v1/changes/", HTTP_IF_NONE_MATCH=first["ETag"]
    ).status_code == (304)
    api_publish_new(editor_api, target="@another")
    assert api.get(
        "/api/v1/changes/", HTTP_IF_NONE_MATCH=first["ETag"]
    ).status_code == (200)


def test_an_empty_log_is_an_empty_page(api):
    page = api.get("/api/v1/changes/")
    assert page.status_code == 200
    assert page.json() == {"results": [], "next_cursor": 0, "has_more": False}


def test_the_page_costs_the_same_few_queries_at_any_size(
    api, django_assert_max_num_queries
):
    events = [publish() for _ in range(30)]
    changes_sync(event_ids=[event.pk for event in events])
    # version, changes, events (with their sources on PostgreSQL), sources
    for limit in (1, 1000):
        with django_assert_max_num_queries(4):
            page = api.get("/api/v1/changes/", {"limit": limit}).json()
        assert len(page["results"]) == limit if limit == 1 else 30
    assert all(c["event"]["status"] == Status.PUBLISHED for c in page["results"])


def _blocked_on_the_log_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        )
        return cursor.fetchone()[0] > 0


def _run(target) -> threading.Thread:
    def body() -> None:
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=body)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_a_later_cursor_never_becomes_visible_before_an_earlier_one(api):
    """Two writers: the first logs a change and keeps its transaction open.
    The second must not commit a change (a larger cursor) before the first
    commits, or a reader would move past the first change and never see it."""
    first, second = publish(), publish()
    logged, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def hold_first() -> None:
        with transaction.atomic():
            changes_sync(event_ids=[first.pk])
            logged.set()
            release.wait(timeout=120)

    def log_second() -> None:
        if connection.vendor == "sqlite":
            # SQLite lets one writer in at a time: a second one is refused at
            # once instead of waiting (busy timeout 0).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 0")
            try:
                with transaction.atomic():
                    changes_sync(event_ids=[second.pk])
            except OperationalError as exc:
                outcome["refused"] = str(exc)
            return
        with transaction.atomic():
            changes_sync(event_ids=[second.pk])
        outcome["committed"] = True

    holder = _run(hold_first)
    assert logged.wait(timeout=120)
    writer = _run(log_second)
    if connection.vendor == "postgresql":
        give_up = time.monotonic() + 120  # a hung test, not a time limit
        while not (_blocked_on_the_log_lock() or not writer.is_alive()):
            assert time.monotonic() < give_up
            time.sleep(0.01)
        assert writer.is_alive(), "the second writer committed first"
    else:
        writer.join()
        assert "locked" in str(outcome["refused"])
    assert feed_pages(api)[0] == []
    release.set()
    holder.join()
    writer.join()
    if connection.vendor == "sqlite":
        changes_sync(event_ids=[second.pk])
    changes = feed_pages(api)[0]
    assert [c["event_id"] for c in changes] == [
        str(first.public_id),
        str(second.public_id),
    ]
    assert changes[0]["cursor"] < changes[1]["cursor"]


def test_the_schema_describes_the_feed_as_it_is(api, editor_api):
    api_publish_new(editor_api)
    page = api.get("/api/v1/changes/").json()
    assert set(page) == set(ChangePageSerializer().fields)
    [change] = page["results"]
    assert set(change) == set(ChangeSerializer().fields)
    assert set(change["event"]) == set(EventSerializer().fields)
    schema = yaml.safe_load(api.get("/api/v1/schema/").content)
    parameters = schema["paths"]["/api/v1/changes/"]["get"]["parameters"]
    described = {p["name"]: p for p in parameters if p.get("description")}
    assert {"since", "limit"} <= set(described)
