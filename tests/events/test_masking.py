"""Masking a target (events.services.masking): who may, what it writes, and
the text rule both CSV writers apply (events.masking)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from rest_framework.test import APIClient

from events.api.exports import _batched, _events
from events.api.renderers import csv_lines
from events.api.representation import Links, csv_row, event_dict
from events.choices import ChangeKind, Status, TargetType
from events.exceptions import EventInvalid, NotPermitted, TransitionNotAllowed
from events.masking import mask_text, real_names
from events.models import Event, EventChange
from events.selectors.api import event_list
from events.selectors.csv_copy import events_csv_copy
from events.services import event_create, event_update
from events.services.masking import target_mask, target_unmask
from events.services.record_hooks import events_written
from events.services.target_merges import targets_merge
from tests.events.admin_support import change_url, changelist_url
from tests.factories import EventFactory, PlatformFactory, SourceFactory

pytestmark = pytest.mark.django_db

PSEUDONYM = "Account A (masked)"


def _published(target: str = "Secretperson Ivanova", **fields) -> Event:
    return EventFactory(status=Status.PUBLISHED, target=target, **fields)


def test_a_curator_masks_a_target_and_its_events_carry_the_pseudonym(curator):
    event = _published()
    before = event.updated_at
    target = target_mask(target=event.target_ref, user=curator, pseudonym=PSEUDONYM)
    assert (target.masked, target.pseudonym) == (True, PSEUDONYM)
    event.refresh_from_db()
    assert event.masked_as == PSEUDONYM
    assert event.updated_at > before


def test_masking_is_recorded_in_the_histories_with_its_user(curator):
    event = _published()
    target_mask(target=event.target_ref, user=curator, pseudonym=PSEUDONYM)
    latest = event.history.latest()
    assert (latest.masked_as, latest.history_user) == (PSEUDONYM, curator)
    assert latest.updated_at == Event.objects.get(pk=event.pk).updated_at
    assert event.target_ref.history.latest().history_user == curator


def test_masking_logs_an_update_of_published_events_in_the_change_feed(curator):
    event = _published()
    draft = EventFactory(target=event.target, platform=event.platform)
    events_written(event_ids=[event.pk, draft.pk])  # the feed knows it: published
    target_mask(target=event.target_ref, user=curator, pseudonym=PSEUDONYM)
    logged = EventChange.objects.order_by("-id").first()
    assert (logged.event_public_id, logged.kind) == (
        event.public_id,
        ChangeKind.UPDATED,
    )
    assert not EventChange.objects.filter(event_public_id=draft.public_id).exists()


def test_a_blank_pseudonym_gets_one_made_from_the_target_id(curator):
    event = _published()
    target = target_mask(target=event.target_ref, user=curator, pseudonym=" ")
    assert target.pseudonym == f"Account {target.pk} (masked)"


def test_a_pseudonym_naming_the_person_is_refused(curator):
    event = _published()
    with pytest.raises(EventInvalid):
        target_mask(
            target=event.target_ref,
            user=curator,
            pseudonym="secretperson ivanova (masked)",
        )
    event.target_ref.refresh_from_db()
    assert not event.target_ref.masked


def test_someone_without_the_change_permission_cannot_mask(django_user_model):
    event = _published()
    nobody = django_user_model.objects.create_user("nobody", is_staff=True)
    with pytest.raises(NotPermitted):
        target_mask(target=event.target_ref, user=nobody, pseudonym=PSEUDONYM)


def test_a_curator_cannot_unmask(curator):
    event = _published()
    target_mask(target=event.target_ref, user=curator, pseudonym=PSEUDONYM)
    with pytest.raises(NotPermitted):
        target_unmask(target=event.target_ref, user=curator, reason="safe now")
    event.refresh_from_db()
    assert event.masked_as == PSEUDONYM


def test_an_editor_unmasks_with_a_reason(curator, editor):
    event = _published()
    target_mask(target=event.target_ref, user=curator, pseudonym=PSEUDONYM)
    with pytest.raises(EventInvalid):
        target_unmask(target=event.target_ref, user=editor, reason=" ")
    target = target_unmask(target=event.target_ref, user=editor, reason="safe now")
    event.refresh_from_db()
    assert (target.masked, target.pseudonym, event.masked_as) == (False, "", "")
    assert "safe now" in event.history.latest().history_change_reason


def test_unmasking_a_target_that_is_not_masked_is_refused(editor):
    event = _published()
    with pytest.raises(TransitionNotAllowed):
        target_unmask(target=event.target_ref, user=editor, reason="why not")


def test_the_database_refuses_a_masked_target_without_pseudonym():
    target = _published().target_ref
    target.masked = True
    with pytest.raises(ValidationError):
        target.full_clean()


def test_a_new_event_of_a_masked_target_lands_masked(curator):
    event = _published(target="@secretperson", target_type=TargetType.ACCOUNT)
    target_mask(target=event.target_ref, user=curator, pseudonym=PSEUDONYM)
    data = {
        "platform": event.platform,
        "target": "SecretPerson",
        "target_type": TargetType.ACCOUNT,
        "country": "RU",
        "action": "blocked",
        "date": "2024-05-01",
    }
    created = event_create(user=curator, data=data)
    created.refresh_from_db()
    assert created.target_ref_id == event.target_ref_id
    assert created.masked_as == PSEUDONYM


def test_an_event_moved_off_a_masked_target_is_unmasked(curator, editor):
    event = _published()
    target_mask(target=event.target_ref, user=curator, pseudonym=PSEUDONYM)
    event.refresh_from_db()
    event_update(event=event, user=editor, data={"target": "Another Channel"})
    event.refresh_from_db()
    assert event.masked_as == ""


def test_a_masked_target_cannot_be_merged_into_an_unmasked_one(curator):
    platform = PlatformFactory()
    masked = _published(platform=platform).target_ref
    other = EventFactory(platform=platform, target="Other person").target_ref
    target_mask(target=masked, user=curator, pseudonym=PSEUDONYM)
    masked.refresh_from_db()
    with pytest.raises(ValidationError):
        targets_merge(survivor=other, others=[masked], user=curator)


def test_events_merged_into_a_masked_target_take_its_mask(curator):
    platform = PlatformFactory()
    masked = EventFactory(platform=platform, target="Secretperson Ivanova")
    moved = EventFactory(platform=platform, target="S. Ivanova")
    target_mask(target=masked.target_ref, user=curator, pseudonym=PSEUDONYM)
    masked.target_ref.refresh_from_db()
    targets_merge(survivor=masked.target_ref, others=[moved.target_ref], user=curator)
    moved.refresh_from_db()
    assert moved.masked_as == PSEUDONYM


# --- The admin -----------------------------------------------------------------


def test_a_curator_masks_from_the_target_admin_and_the_event_page_says_so(
    client, curator
):
    event = _published()
    client.force_login(curator)
    data = {"action": "mask_selected", "_selected_action": [event.target_ref_id]}
    asked = client.post(changelist_url("target"), {**data, "index": 0})
    assert "Pseudonym the public sees" in asked.content.decode()
    done = client.post(
        changelist_url("target"), {**data, "post": "yes", "text": PSEUDONYM}
    )
    assert done.status_code == 302
    event.refresh_from_db()
    assert event.masked_as == PSEUDONYM
    page = client.get(change_url(event, "event")).content.decode()
    assert "Masked: the public sees “Account A (masked)”" in page
    listed = client.get(changelist_url("target"), {"masked": "yes"}).content.decode()
    assert "Masked as “Account A (masked)”" in listed


def test_the_unmask_action_is_offered_to_editors_only(client, curator, editor):
    event = _published()
    target_mask(target=event.target_ref, user=curator, pseudonym=PSEUDONYM)
    client.force_login(curator)
    assert (
        "unmask_selected" not in client.get(changelist_url("target")).content.decode()
    )
    client.force_login(editor)
    data = {"action": "unmask_selected", "_selected_action": [event.target_ref_id]}
    client.post(changelist_url("target"), {**data, "post": "yes", "text": "safe now"})
    event.refresh_from_db()
    assert event.masked_as == ""


# --- The public text ---------------------------------------------------------


def test_every_case_of_every_real_name_is_replaced():
    names = real_names(["@Иванова_99", "Secret  Person", "secret person"])
    text = "ИВАНОВА_99 and иванова_99 met SECRET\nperson (@secret person)."
    assert mask_text(text, names, "A") == "A and A met A (@A)."


def test_copy_and_python_write_the_same_csv_for_a_masked_event(curator):
    event = _published(
        target="@Иванова_99",
        summary="The ИВАНОВА_99 channel, and иванова_99's: blocked.",
        notice_text="Withheld: @иванова_99",
    )
    SourceFactory(event=event, title="Иванова_99 blocked", publisher="Daily")
    plain = _published(target="Shown account", platform=event.platform)
    SourceFactory(event=plain)
    target_mask(target=event.target_ref, user=curator, pseudonym="A \\1 & b")
    links = Links.for_request(RequestFactory().get("/"))
    queryset = Event.objects.published()
    rows = event_list(queryset, ordering="-date")
    python = b"".join(
        _batched(csv_lines(csv_row(event_dict(e, links)) for e in _events(rows)))
    ).decode()
    assert "иванова" not in python.casefold()
    assert "A \\1 & b" in python and "Daily" in python
    served = b"".join(APIClient().get("/api/v1/events/?format=csv").streaming_content)
    assert served.decode().endswith(python)
    if connection.vendor == "postgresql":
        copied = b"".join(
            events_csv_copy(
                queryset.order_by("-date", "-id"),
                api_prefix=links.api_prefix,
                web_prefix=links.web_prefix,
                web_suffix=links.web_suffix,
            )
        )
        assert copied.decode() == python
