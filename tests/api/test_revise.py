"""Revising a rejected event through the API: rejected → draft with a reason,
then submitted and published again, each step recorded."""

from __future__ import annotations

import pytest

from events.choices import Status
from events.models import StatusChange
from tests.api.test_writes import transition
from tests.events.test_admin_actions import status_of
from tests.factories import EventFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejected(db):
    event = EventFactory(status=Status.REJECTED)
    SourceFactory(event=event)
    return event


def url_of(event) -> str:
    return f"/api/v1/events/{event.public_id}/"


def test_rejected_revise_resubmit_publish(curator_api, editor_api, curator, editor):
    event = EventFactory(status=Status.IN_REVIEW)
    SourceFactory(event=event)
    url = url_of(event)

    rejected = transition(editor_api, url, "reject", {"reason": "no date source"})
    revised = transition(curator_api, url, "revise", {"reason": "added the source"})
    edited = curator_api.patch(url, {"summary": "Dated by the ministry"}, format="json")
    submitted = transition(curator_api, url, "submit", {})
    published = transition(editor_api, url, "publish", {})

    assert [r.status_code for r in (rejected, revised, edited, submitted)] == [200] * 4
    assert revised.json()["status"] == "draft"
    assert published.json()["status"] == "published"
    moves = StatusChange.objects.filter(event=event).order_by("at", "id")
    assert [(c.from_status, c.to_status, c.user, c.note) for c in moves] == [
        (Status.IN_REVIEW, Status.REJECTED, editor, "no date source"),
        (Status.REJECTED, Status.DRAFT, curator, "added the source"),
        (Status.DRAFT, Status.IN_REVIEW, curator, ""),
        (Status.IN_REVIEW, Status.PUBLISHED, editor, ""),
    ]


def test_revise_requires_a_reason(curator_api, rejected):
    blank = transition(curator_api, url_of(rejected), "revise", {"reason": "  "})
    absent = transition(curator_api, url_of(rejected), "revise", {})

    assert (blank.status_code, absent.status_code) == (400, 400)
    assert status_of(rejected) == Status.REJECTED


def test_revise_requires_if_match(curator_api, rejected):
    response = curator_api.post(
        f"{url_of(rejected)}revise/", {"reason": "fixed"}, format="json"
    )

    assert response.status_code == 428
    assert status_of(rejected) == Status.REJECTED


def test_revising_an_event_that_is_not_rejected_is_409(curator_api, draft):
    response = transition(curator_api, url_of(draft), "revise", {"reason": "x"})

    assert response.status_code == 409
    assert "draft" in response.json()["detail"]


def test_revise_answers_with_the_new_etag(curator_api, rejected):
    revised = transition(curator_api, url_of(rejected), "revise", {"reason": "x"})

    submitted = curator_api.post(
        f"{url_of(rejected)}submit/", {}, format="json", HTTP_IF_MATCH=revised["ETag"]
    )

    assert submitted.status_code == 200
    assert status_of(rejected) == Status.IN_REVIEW
