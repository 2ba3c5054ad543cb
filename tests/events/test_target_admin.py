"""Curators fix the grouping: merges (the service and the admin), and the
target admin's list."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.choices import Status
from events.exceptions import NotPermitted
from events.services import event_update
from events.services.target_merges import targets_merge
from tests.events.admin_support import change_url, changelist_url, history_url
from tests.events.target_support import make
from tests.factories import PlatformFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Merges ------------------------------------------------------------------


@pytest.fixture
def two_targets():
    platform = PlatformFactory()
    survivor = make(platform=platform, target="OKEx")
    absorbed = make(platform=platform, target="OKEx official account")
    return survivor, absorbed


def test_merge_moves_the_events_and_records_it(two_targets, editor):
    survivor, absorbed = two_targets
    other = absorbed.target_ref

    moved = targets_merge(survivor=survivor.target_ref, others=[other], user=editor)

    absorbed.refresh_from_db()
    other.refresh_from_db()
    assert moved == [absorbed.pk]
    assert absorbed.target_ref_id == survivor.target_ref_id
    assert other.merged_into_id == survivor.target_ref_id
    latest = other.history.first()
    assert (
        latest.history_change_reason == f"merged into target {survivor.target_ref_id}"
    )
    assert latest.history_user == editor
    assert absorbed.history.first().target_ref_id == survivor.target_ref_id


def test_after_a_merge_edits_and_new_events_follow_the_survivor(two_targets, editor):
    survivor, absorbed = two_targets
    targets_merge(
        survivor=survivor.target_ref, others=[absorbed.target_ref], user=editor
    )
    # Re-saving with the same text keeps the curator's grouping…
    event_update(event=absorbed, user=editor, data={"summary": "Edited."})
    absorbed.refresh_from_db()
    assert absorbed.target_ref_id == survivor.target_ref_id
    # …and a new event with the absorbed key lands on the survivor.
    newcomer = make(platform=survivor.platform, target="okex official account")
    assert newcomer.target_ref_id == survivor.target_ref_id
    # A new text is a new key: the event goes where that key belongs.
    event_update(event=absorbed, user=editor, data={"target": "Huobi"})
    absorbed.refresh_from_db()
    assert absorbed.target_ref.key == "huobi"


def test_merging_twice_leaves_one_hop_to_the_survivor(editor):
    platform = PlatformFactory()
    a, b, c = (make(platform=platform, target=name).target_ref for name in "ABC")
    targets_merge(survivor=b, others=[a], user=editor)
    targets_merge(survivor=c, others=[b], user=editor)

    a.refresh_from_db()
    assert a.merged_into_id == c.pk
    assert make(platform=platform, target="a").target_ref_id == c.pk


def test_merge_refuses_other_platforms_and_users_without_permission(
    two_targets, editor
):
    survivor, _ = two_targets
    elsewhere = make(target="OKEx").target_ref
    with pytest.raises(ValidationError):
        targets_merge(survivor=survivor.target_ref, others=[elsewhere], user=editor)
    nobody = UserFactory(groups=[])
    with pytest.raises(NotPermitted):
        targets_merge(survivor=survivor.target_ref, others=[elsewhere], user=nobody)


# --- Admin -------------------------------------------------------------------


def test_curators_find_targets_with_their_event_counts(client, curator, two_targets):
    survivor, _ = two_targets
    make(platform=survivor.platform, target="okex", status=Status.DRAFT)
    client.force_login(curator)

    response = client.get(changelist_url("target"), {"q": "okex"})

    assert response.status_code == 200
    rows = {t.name: t.event_count for t in response.context["cl"].result_list}
    assert rows == {"OKEx": 2, "OKEx official account": 1}
    page = client.get(change_url(survivor.target_ref, "target"))
    assert page.status_code == 200
    assert f"/admin/events/event/{survivor.pk}/change/" in page.content.decode()


def test_curators_merge_targets_only_drafts_use_from_the_admin(client, curator):
    platform = PlatformFactory()
    survivor = make(platform=platform, target="OKEx", status=Status.DRAFT)
    absorbed = make(platform=platform, target="OKEx official", status=Status.DRAFT)
    client.force_login(curator)
    selected = [survivor.target_ref_id, absorbed.target_ref_id]
    data = {"action": "merge_selected", "_selected_action": selected}

    asked = client.post(changelist_url("target"), {**data, "index": 0})
    assert asked.status_code == 200
    assert "Keep this target" in asked.content.decode()
    done = client.post(
        changelist_url("target"),
        {**data, "post": "yes", "survivor": survivor.target_ref_id},
    )

    assert done.status_code == 302
    absorbed.refresh_from_db()
    assert absorbed.target_ref_id == survivor.target_ref_id
    messages = [str(m) for m in get_messages(done.wsgi_request)]
    assert messages == ["Merged 1 target(s) into “OKEx”; moved 1 event(s)."]
    history = client.get(history_url(absorbed.target_ref, "target"))
    assert "absorbed target(s)" in history.content.decode()


def test_a_merge_error_is_reported_not_raised(client, curator, two_targets):
    survivor, _ = two_targets
    elsewhere = make(target="Other").target_ref
    client.force_login(curator)
    data = {
        "action": "merge_selected",
        "_selected_action": [survivor.target_ref_id, elsewhere.pk],
        "post": "yes",
        "survivor": survivor.target_ref_id,
    }
    response = client.post(changelist_url("target"), data)
    assert response.status_code == 302
    [message] = get_messages(response.wsgi_request)
    assert "another platform" in str(message)
    elsewhere.refresh_from_db()
    assert elsewhere.merged_into_id is None


def test_targets_are_never_added_by_hand(client, curator):
    client.force_login(curator)
    assert client.get("/admin/events/target/add/").status_code == 403


def test_the_target_changelist_costs_the_same_for_few_or_many(
    client, curator, editor, django_assert_max_num_queries
):
    platform = PlatformFactory()
    client.force_login(curator)

    names = (f"Grown {n}" for n in itertools.count())

    def grow(count: int) -> None:
        for _ in range(count):
            make(platform=platform, target=next(names))

    grow(3)
    absorbed = make(platform=platform, target="Absorbed").target_ref
    survivor = make(platform=platform, target="Survivor").target_ref
    targets_merge(survivor=survivor, others=[absorbed], user=editor)
    with CaptureQueriesContext(connection) as few:
        assert client.get(changelist_url("target")).status_code == 200
    grow(30)
    with django_assert_max_num_queries(len(few)):
        client.get(changelist_url("target"))


def test_a_curator_cannot_merge_targets_public_pages_show(client, curator, two_targets):
    survivor, absorbed = two_targets
    client.force_login(curator)
    data = {
        "action": "merge_selected",
        "_selected_action": [survivor.target_ref_id, absorbed.target_ref_id],
        "post": "yes",
        "survivor": survivor.target_ref_id,
    }

    done = client.post(changelist_url("target"), data)

    absorbed.refresh_from_db()
    assert absorbed.target_ref_id != survivor.target_ref_id
    messages = [str(m) for m in get_messages(done.wsgi_request)]
    assert "only editors may change it" in messages[0]


def test_a_curator_sees_a_public_target_read_only_and_an_editor_renames_it(
    client, curator, editor, two_targets
):
    target = two_targets[0].target_ref
    url = f"/admin/events/target/{target.pk}/change/"
    client.force_login(curator)
    refused = client.post(url, {"name": "Renamed by a curator", "url": ""})
    client.force_login(editor)
    inline = client.get(url).context["inline_admin_formsets"][0].formset
    management = {
        f"{inline.prefix}-{name}": value
        for name, value in inline.management_form.initial.items()
    }
    renamed = client.post(
        url, {**management, "name": "Renamed by an editor", "url": ""}
    )

    target.refresh_from_db()
    assert refused.status_code == 403
    assert renamed.status_code == 302
    assert target.name == "Renamed by an editor"
