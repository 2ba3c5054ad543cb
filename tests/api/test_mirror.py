"""A mirror built only from /api/v1/changes/ equals the live record, after every
write path: the admin, the API, the importer, ingestion, the gazetteer,
merges and splits, deletion."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from events.ingest.gazetteer import clear_snapshot_cache
from events.models import Event, Feed, Platform
from events.services.feeds import feed_fetch, feed_items_process
from events.services.merges import event_split, events_merge
from tests.api.changes_support import (
    api_create,
    api_patch,
    api_publish_new,
    api_transition,
    feed_pages,
    whole_list,
)
from tests.events.admin_support import (
    add_url,
    change_url,
    changelist_url,
    form_data,
    seen,
    transition_url,
)
from tests.events.import_support import import_text, jsonl, row
from tests.httpserver import Route, http_server

pytestmark = pytest.mark.django_db
STORY = {
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
SAME_STORY_ELSEWHERE = {
    **STORY,
    "id": "other-1",
    "url": "https://other.example.net/telegram-ban",
    "title": "Telegram blocked in Russia",
    "date_published": "2018-04-17T08:00:00Z",
    "content_text": (
        "Roskomnadzor started blocking Telegram in Russia on 16 April 2018."
    ),
}


def json_feed(*items: dict) -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Test news",
            "items": list(items),
        }
    ).encode()


class Mirror:
    """What a client keeps: events by id, from the change feed alone."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.events: dict[str, dict] = {}
        self.cursor = 0

    def sync(self) -> None:
        changes, self.cursor = feed_pages(self.client, self.cursor, limit=3)
        for change in changes:
            if change["kind"] in ("published", "updated"):
                self.events[change["event_id"]] = change["event"]
            else:
                self.events.pop(change["event_id"], None)


@pytest.fixture
def mirror(api):
    return Mirror(api)


@pytest.fixture
def check(api, mirror):
    """Sync the mirror and compare it with the live list, in full."""

    def compare() -> None:
        mirror.sync()
        live = {event["id"]: event for event in whole_list(api)}
        assert mirror.events == live

    return compare


@pytest.fixture
def server(settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    clear_snapshot_cache()
    with http_server() as srv:
        yield srv
    clear_snapshot_cache()


def _admin_add_and_publish(client) -> Event:
    data = form_data(client.get(add_url()))
    data.update(
        platform=Platform.objects.get(slug="telegram").pk,
        target="@admin_channel",
        target_type="channel",
        country="RU",
        action="blocked",
        date="2018-05",
        notice_text="Доступ ограничен.",
        **{"sources-0-url": "https://admin.example/1", "sources-0-title": "One"},
    )
    assert client.post(add_url(), data).status_code == 302
    event = Event.objects.get(target="@admin_channel")
    assert client.post(transition_url(event, "publish"), seen(event)).status_code == 302
    return event


def _admin_edit(client, event: Event) -> None:
    data = form_data(client.get(change_url(event)))
    data.update(summary="Edited in the admin.")
    data.update({"sources-1-url": "https://admin.example/2"})
    assert client.post(change_url(event), data).status_code == 302


def _ingest(server, editor_api) -> None:
    """A feed item becomes a draft, which is published; another item about
    the same block is attached to it as a source."""
    for path, story in (("/a", STORY), ("/b", SAME_STORY_ELSEWHERE)):
        server.routes[path] = Route(body=json_feed(story))
        feed = Feed.objects.create(name=path.strip("/"), url=server.url(path))
        feed_fetch(feed_id=feed.pk)
        feed_items_process(feed_id=feed.pk)
        if story is STORY:
            draft = Event.objects.get(sources__url=STORY["url"])
            api_transition(editor_api, str(draft.public_id), "publish")


@dataclass
class Actors:
    """Who writes in the scenario: an editor in the admin and with a token, a
    superuser in the admin, and the feeds' server."""

    editor: Any
    admin: Any
    editor_api: Any
    superuser: Any
    server: Any


def _through_the_admin(who: Actors) -> None:
    _admin_edit(who.admin, _admin_add_and_publish(who.admin))


def _through_the_api(who: Actors) -> None:
    first = api_publish_new(who.editor_api, target="@api_1")
    second = api_publish_new(who.editor_api, target="@api_2")
    api_create(who.editor_api, target="@api_draft")
    patched = [{"url": "https://patched.example/1"}]
    api_patch(who.editor_api, first, summary="Patched.", sources=patched)
    api_transition(who.editor_api, second, "unpublish", reason="Unverified.")


def _republish_through_the_api(who: Actors) -> None:
    second = Event.objects.get(target="@api_2")
    api_transition(who.editor_api, str(second.public_id), "publish")


def _import_new_rows(who: Actors) -> None:
    published = {"status": "published"}
    import_text(jsonl(row("OKEx", **published), row("Huobi"), row("Gate", **published)))


def _import_changed_rows(who: Actors) -> None:
    published = {"status": "published"}
    changed = row("OKEx", summary="Re-imported.", **published)
    import_text(jsonl(changed, row("Huobi", **published)))


def _ingest_and_attach(who: Actors) -> None:
    _ingest(who.server, who.editor_api)
    ingested = Event.objects.get(sources__url=SAME_STORY_ELSEWHERE["url"])
    assert ingested.sources.count() == 2


def _publish_with_an_admin_action(who: Actors) -> None:
    draft = Event.objects.get(target="@api_draft")
    response = who.admin.post(
        changelist_url() + "?status=all",
        {"action": "publish_selected", "_selected_action": [draft.pk], **seen(draft)},
    )
    assert response.status_code == 302


def _rename_a_platform(who: Actors) -> None:
    telegram = Platform.objects.get(slug="telegram")
    url = change_url(telegram, "platform")
    data = form_data(who.superuser.get(url), "platform_form")
    data.update(name="Telegram Messenger")
    assert who.superuser.post(url, data).status_code == 302


def _merge_and_split(who: Actors, check: Any) -> None:
    [merge] = events_merge(
        survivor=Event.objects.get(target="@api_1"),
        absorbed=Event.objects.get(target="@api_2"),
        user=who.editor,
        reason="The same block.",
    )
    check()
    event_split(merge=merge, user=who.editor, reason="Not the same after all.")


def _delete_as_superuser(who: Actors) -> None:
    gone = Event.objects.get(target="Gate")
    delete = reverse("admin:events_event_delete", args=[gone.pk])
    assert who.superuser.post(delete, {"post": "yes"}).status_code == 302


def test_a_mirror_from_the_feed_equals_the_live_record(
    client, editor, editor_api, admin_client, server, check, mirror, settings
):
    # Its events are near-copies of each other (@api_1, @api_2, …) on purpose;
    # the duplicate guard, tested on its own, would ask about each.
    settings.DUPLICATE_CONFIRM_SCORE = 100
    client.force_login(editor)
    who = Actors(editor, client, editor_api, admin_client, server)
    check()
    for step in (
        _through_the_admin,
        _through_the_api,
        _republish_through_the_api,
        _import_new_rows,
        _import_changed_rows,
        _ingest_and_attach,
        _publish_with_an_admin_action,
        _rename_a_platform,
        lambda who: _merge_and_split(who, check),
        _delete_as_superuser,
    ):
        step(who)
        check()
    targets = sorted(event["target"] for event in mirror.events.values())
    assert targets == [
        "@admin_channel",
        "@api_1",
        "@api_2",
        "@api_draft",
        "Huobi",
        "OKEx",
        "Telegram",
    ]
    names = {e["platform"]["name"] for e in mirror.events.values()}
    assert "Telegram Messenger" in names and "Telegram" not in names
    # The record as of now is the mirror too.
    as_of = whole_list(mirror.client, as_of=timezone.now().isoformat())
    assert {event["id"]: event for event in as_of} == mirror.events


def test_a_mirror_started_late_catches_up_from_the_start(api, editor_api, check):
    public_id = api_publish_new(editor_api)
    api_patch(editor_api, public_id, summary="Before the mirror existed.")
    api_transition(editor_api, public_id, "unpublish", reason="Checking.")
    api_transition(editor_api, public_id, "publish")
    check()
