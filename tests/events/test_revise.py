"""Revising a rejected event: rejected → draft with a note, by curators,
recorded like every transition; then submitted and published again."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from events.choices import Status
from events.exceptions import EventInvalid, NotPermitted, TransitionNotAllowed
from events.models import StatusChange
from events.services import event_revise
from events.services.status import status_permissions
from tests.events.admin_support import change_url, seen, transition_url
from tests.events.test_admin_actions import (
    REASON_PAGE,
    messages_of,
    offered_actions,
    run_action,
    status_of,
)
from tests.factories import EventFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejected(db):
    event = EventFactory(status=Status.REJECTED)
    SourceFactory(event=event)
    return event


def test_curators_hold_what_the_recorder_asks_for_rejected_to_draft(curator):
    needed = status_permissions(Status.REJECTED, Status.DRAFT)

    assert needed == {"events.change_event"}
    assert curator.has_perms(needed)


def test_curator_revises_a_rejected_event_with_a_note(curator, rejected):
    event_revise(
        event=rejected, user=curator, reason=" source found ", version=rejected.version
    )

    assert status_of(rejected) == Status.DRAFT
    change = StatusChange.objects.get(event=rejected)
    assert (change.from_status, change.to_status, change.user, change.note) == (
        Status.REJECTED,
        Status.DRAFT,
        curator,
        "source found",
    )
    latest = rejected.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        curator,
        "revise: source found",
    )


def test_revise_needs_a_reason(curator, rejected):
    with pytest.raises(EventInvalid, match="reason is required"):
        event_revise(event=rejected, user=curator, reason="  ")
    assert status_of(rejected) == Status.REJECTED


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED])
def test_only_a_rejected_event_is_revised(curator, status):
    event = EventFactory(status=status)

    with pytest.raises(TransitionNotAllowed):
        event_revise(event=event, user=curator, reason="again")
    assert status_of(event) == status


def test_a_user_without_change_permission_may_not_revise(rejected):
    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_event"))

    with pytest.raises(NotPermitted):
        event_revise(event=rejected, user=viewer, reason="mine now")
    assert status_of(rejected) == Status.REJECTED


def test_revise_refuses_a_stale_version(curator, rejected):
    from events.exceptions import StaleVersion

    with pytest.raises(StaleVersion):
        event_revise(event=rejected, user=curator, reason="x", version="1")
    assert status_of(rejected) == Status.REJECTED


# --- The admin ----------------------------------------------------------------


def test_rejected_event_page_offers_the_curator_revise(client, curator, rejected):
    client.force_login(curator)

    response = client.get(change_url(rejected))

    labels = [t["label"] for t in response.context["transitions"]]
    assert [str(label) for label in labels] == ["Revise"]
    assert f'href="{transition_url(rejected, "revise")}?' in response.content.decode()
    assert "Revise…" in response.content.decode()


def test_curator_is_offered_the_bulk_revise(client, curator):
    client.force_login(curator)

    assert "revise_selected" in offered_actions(client)


def test_revise_button_asks_the_reason_then_revises(client, curator, rejected):
    client.force_login(curator)
    page = client.get(transition_url(rejected, "revise"), seen(rejected))
    assert REASON_PAGE in [t.name for t in page.templates]

    response = client.post(
        transition_url(rejected, "revise"), {**seen(rejected), "reason": "ok"}
    )

    assert response.status_code == 302
    assert status_of(rejected) == Status.DRAFT
    assert StatusChange.objects.get(event=rejected).note == "ok"


def test_bulk_revise_asks_the_reason_then_revises(client, curator, rejected):
    other = EventFactory(status=Status.REJECTED)
    client.force_login(curator)
    url = "/admin/events/event/?status=rejected"

    page = run_action(client, "revise_selected", [rejected, other], url)
    response = run_action(
        client, "revise_selected", [rejected, other], url, post="yes", reason="redo"
    )

    assert REASON_PAGE in [t.name for t in page.templates]
    assert (status_of(rejected), status_of(other)) == (Status.DRAFT, Status.DRAFT)
    assert messages_of(response) == [
        "Revised 2 events (back to draft, to submit again)."
    ]


def test_the_whole_loop_in_the_admin(client, curator, editor, in_review):
    """Rejected → revise → edit → submit → publish, each recorded."""
    client.force_login(editor)
    client.post(
        transition_url(in_review, "reject"), {**seen(in_review), "reason": "thin"}
    )
    client.force_login(curator)
    client.post(
        transition_url(in_review, "revise"), {**seen(in_review), "reason": "sourced"}
    )
    client.post(transition_url(in_review, "submit"), seen(in_review))
    client.force_login(editor)
    client.post(transition_url(in_review, "publish"), seen(in_review))

    assert status_of(in_review) == Status.PUBLISHED
    moves = StatusChange.objects.filter(event=in_review).order_by("at", "id")
    assert [(c.from_status, c.to_status, c.user, c.note) for c in moves] == [
        (Status.IN_REVIEW, Status.REJECTED, editor, "thin"),
        (Status.REJECTED, Status.DRAFT, curator, "sourced"),
        (Status.DRAFT, Status.IN_REVIEW, curator, ""),
        (Status.IN_REVIEW, Status.PUBLISHED, editor, ""),
    ]
