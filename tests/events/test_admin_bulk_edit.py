"""Bulk edit from the review queue (issue #13): many drafts at once, through
the editing service, recorded in history with the curator and the reason."""

from __future__ import annotations

import pytest

from events.choices import Action, Status
from events.models import Event
from tests.events.admin_support import changelist_url, seen
from tests.events.test_admin_actions import messages_of
from tests.factories import EventFactory, PlatformFactory

pytestmark = pytest.mark.django_db


def edit(client, events, query="", **fields):
    data = {
        "action": "edit_selected",
        "_selected_action": [event.pk for event in events],
        "post": "yes",
        **seen(*events),
        **{f"edit-{name}": value for name, value in fields.items()},
    }
    return client.post(changelist_url() + query, data, follow=True)


def test_sets_the_chosen_fields_on_every_selected_draft(client, curator):
    drafts = [EventFactory(action=Action.BLOCKED) for _ in range(3)]
    platform = PlatformFactory()
    client.force_login(curator)

    response = edit(
        client, drafts, platform=platform.pk, action=Action.THROTTLED, reason="OONI"
    )

    rows = Event.objects.filter(pk__in=[d.pk for d in drafts])
    assert {(e.platform_id, e.action) for e in rows} == {(platform.pk, "throttled")}
    assert {e.country for e in rows} == {"CN"}
    assert "Edited 3 events." in messages_of(response)


def test_history_records_the_curator_and_the_reason(client, curator):
    draft = EventFactory()
    client.force_login(curator)

    edit(client, [draft], country="RU", reason="the report says Russia")

    latest = draft.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        curator,
        "the report says Russia",
    )
    assert latest.country == "RU"


def test_without_a_reason_nothing_changes_and_the_form_asks(client, curator):
    draft = EventFactory(country="CN")
    client.force_login(curator)

    response = edit(client, [draft], country="RU")

    draft.refresh_from_db()
    assert draft.country == "CN"
    assert response.templates[0].name == "admin/events/event/bulk_edit.html"


def test_choosing_no_field_is_an_error(client, curator):
    draft = EventFactory()
    client.force_login(curator)

    response = edit(client, [draft], reason="nothing")

    assert "Choose at least one field to set." in response.content.decode()


def test_an_event_the_curator_may_not_edit_is_skipped(client, curator):
    draft = EventFactory(country="CN")
    published = EventFactory(country="CN", status=Status.PUBLISHED)
    client.force_login(curator)

    response = edit(
        client, [draft, published], "?status=all", country="RU", reason="Russia"
    )

    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.country, published.country) == ("RU", "CN")
    assert any("Skipped 1" in m for m in messages_of(response))


def test_an_event_changed_since_the_page_was_shown_is_skipped(client, curator):
    draft = EventFactory(country="CN")
    client.force_login(curator)

    response = client.post(
        changelist_url(),
        {
            "action": "edit_selected",
            "_selected_action": [draft.pk],
            "post": "yes",
            f"version-{draft.pk}": "stale",
            "edit-country": "RU",
            "edit-reason": "Russia",
        },
        follow=True,
    )

    draft.refresh_from_db()
    assert draft.country == "CN"
    assert any("Skipped 1" in m for m in messages_of(response))
