"""One event: visible when published, a 404 otherwise, with no hint of existence."""

from __future__ import annotations

import uuid

import pytest

from events.choices import Status
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_published_event(api, published):
    response = api.get(f"/api/v1/events/{published.public_id}/")
    assert response.status_code == 200
    assert response.json()["id"] == str(published.public_id)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.REJECTED])
def test_unpublished_event_is_404_like_an_unknown_one(api, status):
    event = EventFactory(status=status)
    hidden = api.get(f"/api/v1/events/{event.public_id}/")
    unknown = api.get(f"/api/v1/events/{uuid.uuid4()}/")
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()


@pytest.mark.parametrize("public_id", ["42", "not-a-uuid", "%00", "x" * 300])
def test_malformed_id_is_404(api, public_id):
    response = api.get(f"/api/v1/events/{public_id}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_curator_sees_a_draft_with_its_status(curator_api, draft):
    response = curator_api.get(f"/api/v1/events/{draft.public_id}/")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_token_without_view_permission_sees_published_only(draft, published):
    from tests.api.conftest import token_client
    from tests.factories import UserFactory

    client = token_client(UserFactory(groups=[]))
    assert client.get(f"/api/v1/events/{draft.public_id}/").status_code == 404
    assert client.get(f"/api/v1/events/{published.public_id}/").status_code == 200
    assert client.get("/api/v1/events/?status=draft").status_code == 400


def test_detail_takes_no_parameters(api, published):
    response = api.get(f"/api/v1/events/{published.public_id}/?country=CN")
    assert response.status_code == 400
    assert "country" in response.json()
