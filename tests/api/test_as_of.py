"""`?as_of=`: the published record as it was at a past moment, byte for byte."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.api.exports import _events
from events.models import Event, Platform
from events.selectors.asof import events_as_of, list_rows, parse_as_of
from events.selectors.filters import FilterError
from events.services.history_sync import CATCH_UP_REASON, TRACKED
from events.services.merges import events_merge
from events.services.record_hooks import events_written
from tests.api.changes_support import (
    api_create,
    api_patch,
    api_publish_new,
    api_transition,
    whole_list,
)
from tests.api.conftest import publish
from tests.events.admin_support import change_url, form_data
from tests.events.import_support import CCN, import_text, jsonl, row
from tests.factories import AuthorityFactory, PlatformFactory

pytestmark = pytest.mark.django_db
SOURCE = {
    "url": "https://meduza.example/telegram",
    "title": "«Роскомнадзор» заблокировал",
    "publisher": "Медуза",
    "published_at": "2018-04-16T10:11:12.345678Z",
}


def body(response) -> bytes:
    assert response.status_code == 200, response.content
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def snapshot(client, ids: list[str], **params) -> dict[str, bytes]:
    """The whole record as JSON (one page), CSV and JSON Lines, and each
    event's detail, as a client reads it."""
    read = {
        fmt: body(client.get("/api/v1/events/", {"format": fmt, **params}))
        for fmt in ("csv", "jsonl")
    }
    read["json"] = body(client.get("/api/v1/events/", {"page_size": 500, **params}))
    for public_id in ids:
        response = client.get(f"/api/v1/events/{public_id}/", params)
        read[public_id] = response.content if response.status_code == 200 else b"404"
    return read


def _edit_in_admin(client, obj, model: str, **changes) -> None:
    url = change_url(obj, model)
    data = form_data(client.get(url), f"{model}_form")
    data.update(changes)
    assert client.post(url, data).status_code == 302


def _record_before(editor_api) -> dict[str, str]:
    PlatformFactory(name="VK", slug="vk")
    AuthorityFactory(name="Court", slug="court-ru", country="RU")
    ids = {
        "edited": api_publish_new(editor_api, sources=[SOURCE], summary="First."),
        "renamed": api_publish_new(
            editor_api,
            platform="vk",
            authority="court-ru",
            target="@vk_group",
            date="2019-03-05",
            ended_on="2019-04",
        ),
        "absorbed": api_publish_new(editor_api, sources=[{"url": CCN}]),
        "later": api_create(editor_api, target="@later"),
    }
    published = {"status": "published"}
    import_text(jsonl(row("OKEx", **published), row("Huobi", **published)))
    # A source added by the importer alone: the event's updated_at moves by a
    # queryset update, which bypasses save() and its history row.
    extra = [{"url": f"{CCN}?about=OKEx"}, {"url": "https://b.example/okex"}]
    import_text(jsonl(row("OKEx", sources=extra, **published)))
    imported = Event.objects.filter(target__in=["OKEx", "Huobi"]).order_by("target")
    ids["imported_huobi"], ids["imported_okex"] = (str(e.public_id) for e in imported)
    return ids


def _change_everything(editor_api, editor, admin_client, ids) -> None:
    api_patch(editor_api, ids["edited"], summary="Corrected.", sources=[SOURCE])
    api_transition(editor_api, ids["imported_huobi"], "unpublish", reason="Dup.")
    api_transition(editor_api, ids["later"], "publish")
    api_patch(
        editor_api,
        ids["renamed"],
        sources=[{"url": "https://a.example/1"}, {"url": "https://a.example/2"}],
    )
    events_merge(
        survivor=Event.objects.get(public_id=ids["edited"]),
        absorbed=Event.objects.get(public_id=ids["absorbed"]),
        user=editor,
        reason="The same block.",
    )
    vk = Platform.objects.get(slug="vk")
    _edit_in_admin(admin_client, vk, "platform", name="VKontakte", slug="vkontakte")
    court = Event.objects.get(public_id=ids["renamed"]).authority
    _edit_in_admin(admin_client, court, "authority", name="Moscow court")
    import_text(jsonl(row("OKEx", summary="Re-imported.", status="published")))
    okex = Event.objects.get(public_id=ids["imported_okex"])
    delete = reverse("admin:events_event_delete", args=[okex.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302


def test_as_of_reproduces_an_earlier_export_exactly(
    api, editor_api, editor, admin_client
):
    ids = _record_before(editor_api)
    before = snapshot(api, list(ids.values()))
    moment = timezone.now()
    assert b"OKEx" in before["csv"]
    assert len(whole_list(api)) == 5

    _change_everything(editor_api, editor, admin_client, ids)

    now = snapshot(api, list(ids.values()))
    assert all(now[name] != before[name] for name in ("json", "csv", "jsonl"))
    again = snapshot(api, list(ids.values()), as_of=moment.isoformat())
    assert again == before
    # The record as of now is the live record, byte for byte.
    assert snapshot(api, list(ids.values()), as_of=timezone.now().isoformat()) == now


def test_a_page_walk_as_of_a_moment_gives_the_pages_of_then(api, editor_api):
    made = [api_publish_new(editor_api, target=f"@c{n}") for n in range(4)]
    query = {"ordering": "updated_at", "page_size": 3}
    then = whole_list(api, **query)
    moment = timezone.now().isoformat()
    api_patch(editor_api, made[0], summary="Now last by updated_at.")
    api_transition(editor_api, made[1], "unpublish", reason="Wrong.")
    assert whole_list(api, **query, as_of=moment) == then
    assert [event["id"] for event in then] == made


def test_filters_apply_to_the_record_of_then(api, editor_api, admin_client):
    PlatformFactory(name="VK", slug="vk")
    on_vk = api_publish_new(editor_api, platform="vk", summary="Первый текст")
    api_publish_new(editor_api, target="@other")
    moment = timezone.now().isoformat()
    api_patch(editor_api, on_vk, summary="Second text", country="BY")
    vk = Platform.objects.get(slug="vk")
    _edit_in_admin(admin_client, vk, "platform", name="VKontakte", slug="vkontakte")

    def found(**params) -> list[str]:
        return [event["id"] for event in whole_list(api, **params)]

    assert found(platform="vk", as_of=moment) == [on_vk]
    assert found(q="первый", as_of=moment) == [on_vk]
    assert found(country="RU", as_of=moment) == found(q="", as_of=moment)
    assert found(country="BY", as_of=moment) == []
    assert found(q="second", as_of=moment) == []
    assert found(q="second") == [on_vk]
    later = api.get("/api/v1/events/", {"platform": "vkontakte", "as_of": moment})
    assert later.status_code == 400
    assert "platform" in later.json()


def test_updated_after_filters_the_timestamps_of_then(api, editor_api):
    first = api_publish_new(editor_api, target="@first")
    between = timezone.now().isoformat()
    second = api_publish_new(editor_api, target="@second")
    moment = timezone.now().isoformat()
    api_patch(editor_api, first, summary="Edited after the moment.")
    params = {"updated_after": between, "ordering": "updated_at"}
    assert [e["id"] for e in whole_list(api, **params, as_of=moment)] == [second]
    assert [e["id"] for e in whole_list(api, **params)] == [second, first]


def test_detail_as_of_is_the_version_of_then_or_404(api, editor_api):
    before = timezone.now().isoformat()
    public_id = api_publish_new(editor_api, summary="One.")
    published = timezone.now().isoformat()
    api_patch(editor_api, public_id, summary="Two.")
    api_transition(editor_api, public_id, "unpublish", reason="Checking.")
    gone = timezone.now().isoformat()
    url = f"/api/v1/events/{public_id}/"

    assert api.get(url, {"as_of": before}).status_code == 404
    assert api.get(url, {"as_of": published}).json()["summary"] == "One."
    assert api.get(url, {"as_of": gone}).status_code == 404
    assert api.get(url).status_code == 404
    assert api.get("/api/v1/events/not-a-uuid/", {"as_of": gone}).status_code == 404


def test_as_of_before_any_history_is_empty(api, editor_api):
    api_publish_new(editor_api)
    params = {"as_of": "2001-01-01"}
    assert api.get("/api/v1/events/", params).json() == {
        "next": None,
        "previous": None,
        "results": [],
    }
    csv = body(api.get("/api/v1/events/", {**params, "format": "csv"})).decode()
    assert csv.count("\n") == 1 and csv.startswith('"id","url"')
    assert body(api.get("/api/v1/events/", {**params, "format": "jsonl"})) == b""


def test_as_of_shows_only_what_was_published_even_to_curators(curator_api, editor_api):
    published = api_publish_new(editor_api)
    api_create(editor_api, target="@draft")
    moment = timezone.now().isoformat()
    assert len(whole_list(curator_api)) == 2
    assert [e["id"] for e in whole_list(curator_api, as_of=moment)] == [published]


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2024-05-01T12:00:00",
        "2024-05-01 12:00:00 00:00",
        "2024-13-01",
        "2024-05-01T12:00:00Z\x00",
        "",
        "9999-01-01T00:00:00Z",
        "x" * 100,
    ],
)
def test_bad_as_of_is_400_naming_it(api, value):
    for url in ("/api/v1/events/", f"/api/v1/events/{Event().public_id}/"):
        response = api.get(url, {"as_of": value})
        assert response.status_code == 400, (url, response.content)
        assert "as_of" in response.json()


def test_as_of_given_twice_is_400(api):
    response = api.get("/api/v1/events/?as_of=2024-01-01&as_of=2024-01-02")
    assert response.status_code == 400
    assert "as_of" in response.json()


def test_a_date_is_the_end_of_that_day_in_utc():
    now = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    end = dt.datetime(2024, 5, 1, 23, 59, 59, 999999, tzinfo=dt.UTC)
    assert parse_as_of("2024-05-01", now=now) == end
    offset = parse_as_of("2024-05-01T12:00:00+02:00", now=now)
    assert offset == dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)
    assert parse_as_of(" 2024-05-01T10:00:00Z ", now=now) == offset
    # Today has not ended: its record is not final yet.
    with pytest.raises(FilterError):
        parse_as_of("2024-06-01", now=now)


def test_as_of_answers_are_cached_like_the_list(api, editor_api):
    api_publish_new(editor_api)
    params = {"as_of": timezone.now().isoformat()}
    first = api.get("/api/v1/events/", params)
    again = api.get("/api/v1/events/", params, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_an_as_of_page_costs_the_same_few_queries_at_any_size(
    api, django_assert_max_num_queries
):
    for _ in range(30):
        publish()
    moment = timezone.now().isoformat()
    # version, history rows, platforms, authorities, sources
    for size in (1, 200):
        with django_assert_max_num_queries(5):
            page = api.get("/api/v1/events/", {"page_size": size, "as_of": moment})
        assert len(page.json()["results"]) == size if size == 1 else 30


def test_an_as_of_export_reads_in_chunks(django_assert_max_num_queries):
    for _ in range(6):
        publish()
    moment = timezone.now()
    rows = list_rows(events_as_of(moment), ordering="-date", as_of=moment)
    # rows, then platforms, authorities and sources per chunk (and, on
    # PostgreSQL, the savepoint and its release around the streaming cursor)
    with django_assert_max_num_queries(6):
        assert len(list(_events(rows, moment))) == 6


def test_an_event_merged_since_is_itself_as_of_then_and_never_redirected(
    api, editor_api, editor
):
    before = timezone.now().isoformat()
    survivor = api_publish_new(editor_api)
    absorbed = api_publish_new(editor_api, sources=[{"url": CCN}])
    moment = timezone.now().isoformat()
    events_merge(
        survivor=Event.objects.get(public_id=survivor),
        absorbed=Event.objects.get(public_id=absorbed),
        user=editor,
        reason="Duplicates.",
    )
    url = f"/api/v1/events/{absorbed}/"
    assert api.get(url).status_code == 301
    then = api.get(url, {"as_of": moment})
    assert then.status_code == 200
    assert [s["url"] for s in then.json()["sources"]] == [CCN]
    assert api.get(url, {"as_of": before}).status_code == 404


def _tracked(obj) -> dict:
    return {name: getattr(obj, name) for name in TRACKED}


def test_a_write_keeps_one_history_row_with_its_final_values(editor_api, editor):
    """The hooks that follow a save (targets, notices) change the event with
    queryset updates: the save's own history row is amended, not doubled."""
    public_id = api_publish_new(editor_api)
    event = Event.objects.get(public_id=public_id)
    created, published = reversed(event.history.all())
    assert (published.history_user, published.history_change_reason) == (
        editor,
        "publish",
    )
    assert _tracked(published) == _tracked(event)
    assert created.status == "draft"


def test_an_update_that_bypassed_save_later_adds_a_history_row(editor_api):
    public_id = api_publish_new(editor_api)
    event = Event.objects.get(public_id=public_id)
    Event.objects.filter(pk=event.pk).update(summary="Bypassed save().")
    events_written(event_ids=[event.pk])
    latest = event.history.first()
    event.refresh_from_db()
    assert event.history.count() == 3
    assert latest.history_change_reason == CATCH_UP_REASON
    assert _tracked(latest) == _tracked(event)
