"""Status transitions through the admin: bulk actions and change-page buttons."""

from __future__ import annotations

import pytest
from django.contrib.messages import WARNING, get_messages

from events.choices import Status
from events.models import StatusChange
from events.services import event_publish, event_unpublish
from tests.events.admin_support import (
    change_url,
    changelist_url,
    form_data,
    history_url,
    seen,
    transition_url,
)
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

REASON_PAGE = "admin/events/event/transition_reason.html"


def run_action(client, action, events, url=None, **extra):
    data = {"action": action, "_selected_action": [e.pk for e in events]}
    data |= seen(*events) | extra
    if "post" not in extra:
        data["index"] = 0
    return client.post(url or changelist_url(), data)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def offered_actions(client) -> set[str]:
    response = client.get(changelist_url())
    return {
        name for name, _ in response.context["action_form"].fields["action"].choices
    }


def status_of(event) -> str:
    event.refresh_from_db()
    return event.status


def test_editor_publishes_selected_events(client, editor, draft, in_review):
    client.force_login(editor)

    response = run_action(client, "publish_selected", [draft, in_review])

    assert response.status_code == 302
    assert status_of(draft) == Status.PUBLISHED
    assert status_of(in_review) == Status.PUBLISHED
    assert messages_of(response) == ["Published 2 events."]


def test_bulk_message_names_counts_and_skip_reasons(client, editor, draft):
    rejected = EventFactory(status=Status.REJECTED, target="Spam bot")
    client.force_login(editor)

    response = run_action(
        client, "publish_selected", [draft, rejected], changelist_url() + "?status=all"
    )

    [message] = list(get_messages(response.wsgi_request))
    assert message.level == WARNING
    assert str(message) == (
        f"Published 1 event. Skipped 1: '{rejected}' — "
        "cannot publish an event that is rejected."
    )
    assert status_of(rejected) == Status.REJECTED


def test_publishing_an_event_without_sources_is_skipped_with_the_reason(client, editor):
    unsourced = EventFactory()
    client.force_login(editor)

    response = run_action(client, "publish_selected", [unsourced])

    assert "a published event needs at least one source" in messages_of(response)[0]
    assert status_of(unsourced) == Status.DRAFT


def test_curator_is_offered_submit_but_not_publish_reject_or_unpublish(client, curator):
    client.force_login(curator)

    actions = offered_actions(client)

    assert "submit_selected" in actions
    assert not actions & {"publish_selected", "reject_selected", "unpublish_selected"}


def test_editor_is_offered_every_transition(client, editor):
    client.force_login(editor)

    actions = offered_actions(client)

    assert {"publish_selected", "reject_selected", "unpublish_selected"} <= actions


def test_curator_submits_a_draft_for_review(client, curator, draft):
    client.force_login(curator)

    response = run_action(client, "submit_selected", [draft])

    assert status_of(draft) == Status.IN_REVIEW
    assert messages_of(response) == ["Submitted 1 event for review."]


def test_crafted_publish_action_from_a_curator_changes_nothing(client, curator, draft):
    client.force_login(curator)

    run_action(client, "publish_selected", [draft])

    assert status_of(draft) == Status.DRAFT
    assert not StatusChange.objects.exists()


def test_crafted_reject_confirmation_from_a_curator_changes_nothing(
    client, curator, draft
):
    client.force_login(curator)

    run_action(client, "reject_selected", [draft], post="yes", reason="Spam")

    assert status_of(draft) == Status.DRAFT


def test_reject_asks_for_the_reason_first(client, editor, draft, in_review):
    client.force_login(editor)

    response = run_action(client, "reject_selected", [draft, in_review])

    assert response.status_code == 200
    assert REASON_PAGE in [t.name for t in response.templates]
    content = response.content.decode()
    assert str(draft) in content
    assert f'name="_selected_action" value="{in_review.pk}"' in content
    assert status_of(draft) == Status.DRAFT


def test_reject_with_an_empty_reason_shows_the_page_again(client, editor, draft):
    client.force_login(editor)

    response = run_action(client, "reject_selected", [draft], post="yes", reason="  ")

    assert response.status_code == 200
    assert "Give the reason" in response.content.decode()
    assert status_of(draft) == Status.DRAFT


def test_reject_records_the_reason(client, editor, draft):
    client.force_login(editor)

    response = run_action(
        client, "reject_selected", [draft], post="yes", reason="Duplicate report"
    )

    assert response.status_code == 302
    assert status_of(draft) == Status.REJECTED
    change = StatusChange.objects.get(event=draft)
    assert (change.user, change.note) == (editor, "Duplicate report")
    assert draft.history.latest().history_change_reason == "reject: Duplicate report"
    assert messages_of(response) == ["Rejected 1 event."]


def test_unpublish_requires_a_reason(client, editor, published):
    client.force_login(editor)
    url = changelist_url() + "?status=published"

    empty = run_action(client, "unpublish_selected", [published], url, post="yes")
    assert empty.status_code == 200
    assert status_of(published) == Status.PUBLISHED

    run_action(
        client, "unpublish_selected", [published], url, post="yes", reason="Retracted"
    )
    assert status_of(published) == Status.DRAFT
    assert StatusChange.objects.get(event=published).note == "Retracted"


def test_change_page_offers_the_editor_publish_and_reject(client, editor, draft):
    client.force_login(editor)

    content = client.get(change_url(draft)).content.decode()

    assert f'action="{transition_url(draft, "publish")}"' in content
    assert f'href="{transition_url(draft, "reject")}?version-{draft.pk}=' in content
    assert transition_url(draft, "unpublish") not in content


def test_change_page_offers_the_curator_only_submit(client, curator, draft):
    client.force_login(curator)

    content = client.get(change_url(draft)).content.decode()

    assert transition_url(draft, "submit") in content
    assert transition_url(draft, "publish") not in content
    assert transition_url(draft, "reject") not in content


def test_editor_publishes_from_the_change_page(client, editor, in_review):
    client.force_login(editor)

    response = client.post(transition_url(in_review, "publish"), seen(in_review))

    assert response.status_code == 302
    assert response.url == change_url(in_review)
    assert status_of(in_review) == Status.PUBLISHED
    assert messages_of(response) == ["Published 1 event."]


def test_curator_cannot_publish_from_the_change_page_url(client, curator, draft):
    client.force_login(curator)

    response = client.post(transition_url(draft, "publish"))

    assert response.status_code == 403
    assert status_of(draft) == Status.DRAFT


def test_transition_buttons_only_accept_post(client, editor, draft):
    client.force_login(editor)

    response = client.get(transition_url(draft, "publish"))

    assert response.status_code == 405
    assert status_of(draft) == Status.DRAFT


def test_unknown_transition_is_not_found(client, editor, draft):
    client.force_login(editor)

    assert client.post(transition_url(draft, "delete")).status_code == 404


def test_reject_from_the_change_page_asks_for_a_reason(client, editor, draft):
    client.force_login(editor)
    url = transition_url(draft, "reject")

    page = client.get(url)
    empty = client.post(url, {"reason": "", **seen(draft)})
    done = client.post(url, {"reason": "Not a blocking event", **seen(draft)})

    assert REASON_PAGE in [t.name for t in page.templates]
    assert empty.status_code == 200
    assert "Give the reason" in empty.content.decode()
    assert done.status_code == 302
    assert status_of(draft) == Status.REJECTED
    assert StatusChange.objects.get(event=draft).note == "Not a blocking event"


def test_curator_cannot_open_the_reject_page(client, curator, draft):
    client.force_login(curator)

    assert client.get(transition_url(draft, "reject")).status_code == 403


def test_history_versions_cannot_be_reverted(client, curator, editor, draft):
    # simple-history's revert saves the old row, status included: a way round
    # the workflow for anyone who may view the event.
    event_publish(event=draft, user=editor)
    event_unpublish(event=draft, user=editor, reason="Checking a source")
    published_version = draft.history.filter(status=Status.PUBLISHED).get()
    client.force_login(curator)
    url = history_url(draft) + f"{published_version.history_id}/"
    page = client.get(url)
    data = form_data(page, "historicalevent_form")
    data.update(
        platform=draft.platform_id,
        target=draft.target,
        target_type=draft.target_type,
        country=draft.country.code,
        action=draft.action,
        date="2018-08-21",
        _save="Revert",
    )

    response = client.post(url, data)

    assert page.status_code == 200
    assert response.status_code == 403
    assert status_of(draft) == Status.DRAFT


def test_an_editor_cannot_publish_from_a_page_loaded_before_an_edit(
    client, editor, curator, in_review
):
    from events.services import event_update

    client.force_login(editor)
    shown = seen(in_review)
    event_update(event=in_review, user=curator, data={"summary": "Changed later"})

    button = client.post(transition_url(in_review, "publish"), shown)
    bulk = run_action(client, "publish_selected", [in_review], **shown)

    assert status_of(in_review) == Status.IN_REVIEW
    for response in (button, bulk):
        assert "changed since you loaded it" in messages_of(response)[0]


def test_the_queue_and_the_change_page_carry_the_version_they_show(
    client, editor, draft
):
    client.force_login(editor)
    field = f'name="version-{draft.pk}" value="{draft.version}"'

    queue = client.get(changelist_url()).content.decode()
    page = client.get(change_url(draft)).content.decode()

    assert field in queue
    assert field in page


def test_an_editor_takes_an_event_down_from_its_page(client, editor, published):
    from events.models import EventChange, Redaction
    from events.services.record_hooks import events_written

    events_written(event_ids=[published.pk])
    client.force_login(editor)
    page = client.get(change_url(published)).content.decode()
    link = f"/admin/events/redaction/add/?event_public_id={published.public_id}"
    form = client.get(link)

    done = client.post(
        link,
        {
            "event_public_id": str(published.public_id),
            "ground": "legal_order",
            "reason": "Court order 12/2026",
        },
    )

    assert link in page
    assert str(published.public_id) in form.content.decode()
    assert done.status_code == 302
    assert status_of(published) == Status.DRAFT
    redaction = Redaction.objects.get(event_public_id=published.public_id)
    assert (redaction.user, redaction.ground) == (editor, "legal_order")
    kinds = EventChange.objects.filter(event_public_id=published.public_id)
    assert list(kinds.values_list("kind", flat=True)) == [
        "published",
        "unpublished",
        "redacted",
    ]
    again = client.post(
        link,
        {"event_public_id": str(published.public_id), "ground": "other", "reason": "x"},
    )
    assert "taken down already" in again.content.decode()


def test_a_curator_cannot_take_events_down(client, curator, published):
    client.force_login(curator)

    page = client.get(change_url(published)).content.decode()
    form = client.get("/admin/events/redaction/add/")

    assert "redaction/add" not in page
    assert form.status_code == 403
