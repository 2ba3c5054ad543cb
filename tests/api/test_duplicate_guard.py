"""Publishing through the API: 409 naming the likely duplicates unless the
body confirms with "confirm_duplicate": true; If-Match works as ever."""

from __future__ import annotations

import pytest

from events.choices import Status
from tests.api.test_writes import transition
from tests.events.test_admin_actions import status_of
from tests.events.test_duplicate_guard import duplicate_pair

pytestmark = pytest.mark.django_db


def url_of(event) -> str:
    return f"/api/v1/events/{event.public_id}/"


def test_publishing_a_likely_duplicate_is_409_naming_it(editor_api, settings):
    draft, other = duplicate_pair()

    response = transition(editor_api, url_of(draft), "publish", {"note": "ok"})

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "likely_duplicate"
    assert body["threshold"] == settings.DUPLICATE_CONFIRM_SCORE
    [duplicate] = body["duplicates"]
    assert duplicate["id"] == str(other.public_id)
    assert duplicate["title"] == str(other)
    assert duplicate["status"] == "published"
    assert duplicate["score"] > settings.DUPLICATE_CONFIRM_SCORE
    assert duplicate["url"] == f"http://testserver{url_of(other)}"
    assert str(other) in body["detail"]
    assert status_of(draft) == Status.DRAFT


def test_confirm_duplicate_publishes(editor_api):
    draft, _ = duplicate_pair()

    response = transition(
        editor_api, url_of(draft), "publish", {"confirm_duplicate": True}
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"


def test_confirm_duplicate_false_is_the_same_as_absent(editor_api):
    draft, _ = duplicate_pair()

    response = transition(
        editor_api, url_of(draft), "publish", {"confirm_duplicate": False}
    )

    assert response.status_code == 409


def test_a_confirm_duplicate_that_is_not_a_boolean_is_400(editor_api):
    draft, _ = duplicate_pair()

    response = transition(
        editor_api, url_of(draft), "publish", {"confirm_duplicate": "perhaps"}
    )

    assert response.status_code == 400
    assert "confirm_duplicate" in response.json()
    assert status_of(draft) == Status.DRAFT


def test_a_confirmed_publish_still_needs_if_match(editor_api):
    draft, _ = duplicate_pair()

    missing = editor_api.post(
        f"{url_of(draft)}publish/", {"confirm_duplicate": True}, format="json"
    )
    stale = editor_api.post(
        f"{url_of(draft)}publish/",
        {"confirm_duplicate": True},
        format="json",
        HTTP_IF_MATCH='"v1.0"',
    )

    assert (missing.status_code, stale.status_code) == (428, 412)
    assert status_of(draft) == Status.DRAFT


def test_the_etag_read_before_the_409_confirms(editor_api):
    """The 409 changes nothing: the client confirms with the ETag it read."""
    draft, _ = duplicate_pair()
    etag = editor_api.get(url_of(draft)).headers["ETag"]
    first = editor_api.post(
        f"{url_of(draft)}publish/", {}, format="json", HTTP_IF_MATCH=etag
    )

    second = editor_api.post(
        f"{url_of(draft)}publish/",
        {"confirm_duplicate": True},
        format="json",
        HTTP_IF_MATCH=etag,
    )

    assert (first.status_code, second.status_code) == (409, 200)
