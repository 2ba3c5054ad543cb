"""Writes with tokens: the admin's rules, through the same services."""

from __future__ import annotations

import pytest

from events.choices import Status
from events.models import Event, StatusChange
from tests.api.conftest import token_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DRAFT = {
    "platform": "telegram",
    "target": "@example_channel",
    "target_type": "channel",
    "country": "RU",
    "action": "blocked",
    "date": "2018-04",
    "notice_text": "  Доступ ограничен.\n",
    "sources": [{"url": "https://news.example.org/telegram", "title": "Blocked"}],
}


def transition(client, url: str, name: str, data: dict) -> object:
    """POST a transition as a client that read the event first: with the
    ETag of its GET in If-Match."""
    read = client.get(url)
    return client.post(
        f"{url}{name}/", data, format="json", HTTP_IF_MATCH=read.headers["ETag"]
    )


def create(client, **changes) -> object:
    return client.post("/api/v1/events/", {**DRAFT, **changes}, format="json")


def test_curator_creates_a_draft_with_history_and_status_change(curator_api, curator):
    response = create(curator_api)
    assert response.status_code == 201
    item = response.json()
    assert item["status"] == "draft"
    assert item["date"] == "2018-04"
    assert item["date_precision"] == "month"
    assert item["notice_text"] == "  Доступ ограничен.\n"
    assert item["sources"][0]["url"] == "https://news.example.org/telegram"
    event = Event.objects.get(public_id=item["id"])
    assert event.history.get().history_user == curator
    change = StatusChange.objects.get(event=event)
    assert (change.from_status, change.to_status, change.user) == ("", "draft", curator)


def test_anonymous_writes_are_401(api, draft):
    assert create(api).status_code == 401
    url = f"/api/v1/events/{draft.public_id}/"
    assert api.patch(url, {"target": "x"}, format="json").status_code == 401
    for action in ("submit", "publish", "reject", "unpublish"):
        assert (
            api.post(f"{url}{action}/", {"reason": "r"}, format="json").status_code
            == 401
        )


def test_token_without_permission_cannot_create(db):
    client = token_client(UserFactory(groups=[]))
    assert create(client).status_code == 403


def test_curator_edits_and_submits_but_may_not_publish(curator_api, curator, draft):
    url = f"/api/v1/events/{draft.public_id}/"
    edited = curator_api.patch(url, {"summary": "Edited."}, format="json")
    assert edited.status_code == 200
    assert edited.json()["summary"] == "Edited."
    assert draft.history.first().history_user == curator
    submitted = transition(curator_api, url, "submit", {})
    assert submitted.json()["status"] == "in_review"
    assert transition(curator_api, url, "publish", {}).status_code == 403
    assert transition(curator_api, url, "reject", {"reason": "no"}).status_code == 403


def test_curator_may_not_edit_a_published_event(curator_api, published):
    url = f"/api/v1/events/{published.public_id}/"
    assert curator_api.patch(url, {"summary": "x"}, format="json").status_code == 403


def test_editor_publishes_unpublishes_and_rejects(editor_api, editor, draft, in_review):
    url = f"/api/v1/events/{draft.public_id}/"
    published = transition(editor_api, url, "publish", {"note": "checked"})
    assert published.json()["status"] == "published"
    assert transition(editor_api, url, "unpublish", {}).status_code == 400
    back = transition(editor_api, url, "unpublish", {"reason": "wrong date"})
    assert back.json()["status"] == "draft"
    last = StatusChange.objects.filter(event=draft).last()
    assert (last.user, last.note) == (editor, "wrong date")
    other = f"/api/v1/events/{in_review.public_id}/"
    assert transition(editor_api, other, "reject", {"reason": " "}).status_code == 400
    rejected = transition(editor_api, other, "reject", {"reason": "duplicate"})
    assert rejected.json()["status"] == "rejected"


def test_transition_from_the_wrong_status_is_409(editor_api, published):
    url = f"/api/v1/events/{published.public_id}/"
    response = transition(editor_api, url, "submit", {})
    assert response.status_code == 409
    assert "published" in response.json()["detail"]


def test_publishing_without_a_source_is_400(editor_api, editor):
    created = create(editor_api, sources=[]).json()
    response = transition(editor_api, f"/api/v1/events/{created['id']}/", "publish", {})
    assert response.status_code == 400
    assert "source" in response.json()["detail"][0]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": "2018-13"}, "date"),
        ({"date": "2018-04", "date_precision": "day"}, "date_precision"),
        ({"country": "XX"}, "country"),
        ({"platform": "no-such-platform"}, "platform"),
        ({"platform": "wechat\x00"}, "platform"),
        ({"authority": "cac\x00"}, "authority"),
        ({"platform": ["wechat"]}, "platform"),
        ({"target_type": "planet"}, "target_type"),
        ({"target": ""}, "target"),
        ({"status": "published"}, "status"),
        ({"ended_on": "2017"}, "ended_on"),
        ({"sources": [{"url": "not a url"}]}, "sources"),
        ({"notice_language": "not a tag!"}, "notice_language"),
    ],
)
def test_invalid_draft_is_400_with_field_messages(curator_api, changes, field):
    response = create(curator_api, **changes)
    assert response.status_code == 400
    assert field in response.json()
    assert not Event.objects.exists()


def test_patch_replaces_sources_when_given(curator_api):
    created = create(curator_api).json()
    url = f"/api/v1/events/{created['id']}/"
    sources = [{"url": "https://a.example/1"}, {"url": "https://a.example/2"}]
    response = curator_api.patch(url, {"sources": sources}, format="json")
    assert [s["url"] for s in response.json()["sources"]] == [s["url"] for s in sources]


def test_patch_of_an_invisible_event_is_404(curator, draft):
    client = token_client(UserFactory(groups=[]))
    url = f"/api/v1/events/{draft.public_id}/"
    assert client.patch(url, {"summary": "x"}, format="json").status_code == 404


def test_status_is_not_writable_by_patch(editor_api, draft):
    url = f"/api/v1/events/{draft.public_id}/"
    response = editor_api.patch(url, {"status": "published"}, format="json")
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_transition_without_if_match_is_428_and_changes_nothing(editor_api, draft):
    url = f"/api/v1/events/{draft.public_id}/publish/"

    response = editor_api.post(url, {}, format="json")

    draft.refresh_from_db()
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert draft.status == Status.DRAFT


def test_an_editor_cannot_publish_text_edited_after_reading_it(
    editor_api, curator_api, in_review
):
    url = f"/api/v1/events/{in_review.public_id}/"
    read = editor_api.get(url)
    edited = curator_api.patch(url, {"summary": "Changed later"}, format="json")

    refused = editor_api.post(
        f"{url}publish/", {}, format="json", HTTP_IF_MATCH=read.headers["ETag"]
    )

    in_review.refresh_from_db()
    assert edited.status_code == 200
    assert refused.status_code == 412
    assert in_review.status == Status.IN_REVIEW
    again = editor_api.get(url)
    done = editor_api.post(
        f"{url}publish/", {}, format="json", HTTP_IF_MATCH=again.headers["ETag"]
    )
    assert done.status_code == 200
    assert done.json()["summary"] == "Changed later"


def test_patch_with_a_stale_if_match_is_412_and_without_it_applies(curator_api, draft):
    url = f"/api/v1/events/{draft.public_id}/"
    first = curator_api.get(url).headers["ETag"]
    changed = curator_api.patch(url, {"summary": "One"}, format="json")

    stale = curator_api.patch(
        url, {"summary": "Two"}, format="json", HTTP_IF_MATCH=first
    )
    chained = curator_api.patch(
        url, {"summary": "Three"}, format="json", HTTP_IF_MATCH=changed.headers["ETag"]
    )
    star = curator_api.patch(url, {"summary": "Four"}, format="json", HTTP_IF_MATCH="*")

    draft.refresh_from_db()
    assert stale.status_code == 412
    assert chained.status_code == 200
    assert star.status_code == 412
    assert draft.summary == "Three"
