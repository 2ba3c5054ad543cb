"""Publishing a likely duplicate of a published or in-review event asks for an
explicit confirmation that names the duplicate: the service refuses without
confirm_duplicate, the admin shows a page with "Publish anyway"."""

from __future__ import annotations

import pytest

from events.choices import Status
from events.exceptions import LikelyDuplicate
from events.models import StatusChange
from events.selectors.duplicates import event_duplicates
from events.services import event_publish
from tests.events.admin_support import (
    change_url,
    changelist_url,
    form_data,
    seen,
    transition_url,
)
from tests.events.test_admin_actions import messages_of, run_action, status_of
from tests.factories import EventFactory, PlatformFactory, SourceFactory

pytestmark = pytest.mark.django_db

CONFIRM_PAGE = "admin/events/event/publish_confirm.html"


def sourced(**fields) -> object:
    event = EventFactory(**fields)
    SourceFactory(event=event)
    return event


def duplicate_pair(other_status: str = Status.PUBLISHED) -> tuple[object, object]:
    """A draft and an event of `other_status` with the same target, date,
    country, action and notice on one platform: a score of 75."""
    platform = PlatformFactory()
    other = sourced(platform=platform, target="OKEx", status=other_status)
    draft = sourced(platform=platform, target="OKEx official account")
    return draft, other


def test_the_pair_scores_above_the_default_threshold(settings):
    draft, other = duplicate_pair()

    [found] = event_duplicates(draft)

    assert found.event == other
    assert found.score > settings.DUPLICATE_CONFIRM_SCORE == 65


def test_publishing_a_likely_duplicate_unconfirmed_names_it_and_does_nothing(editor):
    draft, other = duplicate_pair()

    with pytest.raises(LikelyDuplicate) as raised:
        event_publish(event=draft, user=editor, version=draft.version)

    [ref] = raised.value.duplicates
    assert (ref.public_id, ref.title, ref.status) == (
        str(other.public_id),
        str(other),
        Status.PUBLISHED,
    )
    assert ref.score == event_duplicates(draft)[0].score
    assert str(other) in str(raised.value)
    assert status_of(draft) == Status.DRAFT
    assert not StatusChange.objects.filter(event=draft).exists()


def test_a_duplicate_in_review_asks_too(editor):
    draft, _ = duplicate_pair(Status.IN_REVIEW)

    with pytest.raises(LikelyDuplicate):
        event_publish(event=draft, user=editor)


@pytest.mark.parametrize("other_status", [Status.DRAFT, Status.REJECTED])
def test_drafts_and_rejected_events_are_not_asked_about(editor, other_status):
    draft, _ = duplicate_pair(other_status)

    event_publish(event=draft, user=editor)

    assert status_of(draft) == Status.PUBLISHED


def test_confirmed_publishing_publishes_and_records_it(editor):
    draft, _ = duplicate_pair()

    event_publish(
        event=draft, user=editor, version=draft.version, confirm_duplicate=True
    )

    assert status_of(draft) == Status.PUBLISHED
    change = StatusChange.objects.get(event=draft)
    assert (change.from_status, change.to_status, change.user) == (
        Status.DRAFT,
        Status.PUBLISHED,
        editor,
    )


def test_only_a_score_above_the_threshold_asks(settings, editor):
    draft, _ = duplicate_pair()
    score = event_duplicates(draft)[0].score

    settings.DUPLICATE_CONFIRM_SCORE = score - 1
    with pytest.raises(LikelyDuplicate):
        event_publish(event=draft, user=editor)
    settings.DUPLICATE_CONFIRM_SCORE = score
    event_publish(event=draft, user=editor)

    assert status_of(draft) == Status.PUBLISHED


def test_a_confirmation_still_needs_the_version_seen(editor):
    from events.exceptions import StaleVersion

    draft, _ = duplicate_pair()

    with pytest.raises(StaleVersion):
        event_publish(event=draft, user=editor, version="1", confirm_duplicate=True)
    assert status_of(draft) == Status.DRAFT


# --- The admin ----------------------------------------------------------------


def test_publish_button_shows_the_duplicate_with_a_link_first(client, editor):
    draft, other = duplicate_pair()
    client.force_login(editor)

    response = client.post(transition_url(draft, "publish"), seen(draft))

    assert response.status_code == 200
    assert CONFIRM_PAGE in [t.name for t in response.templates]
    content = response.content.decode()
    assert f'href="{change_url(other)}"' in content
    assert str(other) in content
    assert "Publish anyway" in content
    assert status_of(draft) == Status.DRAFT


def test_publish_anyway_from_the_change_page_publishes(client, editor):
    draft, _ = duplicate_pair()
    client.force_login(editor)
    page = client.post(transition_url(draft, "publish"), seen(draft))

    response = client.post(
        transition_url(draft, "publish"), form_data(page, "publish-confirm")
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(draft)
    assert status_of(draft) == Status.PUBLISHED
    assert messages_of(response) == ["Published 1 event."]


def test_publish_anyway_is_refused_when_the_event_changed_meanwhile(
    client, editor, curator
):
    draft, _ = duplicate_pair()
    client.force_login(editor)
    page = client.post(transition_url(draft, "publish"), seen(draft))
    draft.summary = "edited by a curator after the editor looked"
    draft.save()

    response = client.post(
        transition_url(draft, "publish"), form_data(page, "publish-confirm")
    )

    assert status_of(draft) == Status.DRAFT
    assert "changed since you loaded it" in messages_of(response)[0]


def test_publish_without_a_duplicate_needs_no_confirmation(client, editor, draft):
    client.force_login(editor)

    response = client.post(transition_url(draft, "publish"), seen(draft))

    assert response.status_code == 302
    assert status_of(draft) == Status.PUBLISHED


def test_bulk_publish_asks_for_the_selection_and_publishes_nothing_yet(
    client, editor, in_review
):
    draft, other = duplicate_pair()
    client.force_login(editor)

    response = run_action(client, "publish_selected", [draft, in_review])

    assert CONFIRM_PAGE in [t.name for t in response.templates]
    content = response.content.decode()
    assert f'href="{change_url(other)}"' in content
    assert "no likely duplicate" in content
    assert (status_of(draft), status_of(in_review)) == (Status.DRAFT, Status.IN_REVIEW)


def test_bulk_publish_anyway_publishes_the_selection(client, editor, in_review):
    draft, _ = duplicate_pair()
    client.force_login(editor)
    page = run_action(client, "publish_selected", [draft, in_review])

    response = client.post(changelist_url(), form_data(page, "publish-confirm"))

    assert response.status_code == 302
    assert (status_of(draft), status_of(in_review)) == (
        Status.PUBLISHED,
        Status.PUBLISHED,
    )
    assert messages_of(response) == ["Published 2 events."]


def test_bulk_confirmation_covers_only_the_duplicates_it_showed(client, editor):
    """An event that gained a likely duplicate after the page was shown is
    skipped with the reason, not published on a confirmation that did not
    name its duplicate."""
    draft, _ = duplicate_pair()
    later = sourced(target="Huobi")
    client.force_login(editor)
    page = run_action(client, "publish_selected", [draft, later])
    sourced(platform=later.platform, target="Huobi", status=Status.PUBLISHED)

    response = client.post(changelist_url(), form_data(page, "publish-confirm"))

    assert (status_of(draft), status_of(later)) == (Status.PUBLISHED, Status.DRAFT)
    assert "likely a duplicate of" in messages_of(response)[0]
