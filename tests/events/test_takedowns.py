"""Takedowns: redactions by editors, and withdrawing the releases that hold
a taken-down event."""

from __future__ import annotations

import pytest

from events.choices import RedactionGround
from events.exceptions import EventInvalid, NotPermitted, TransitionNotAllowed
from events.models import Redaction
from events.selectors.releases import releases_containing
from events.services.redactions import event_redact
from events.services.releases import release_withdraw
from tests.events.release_support import built, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(settings, tmp_path):
    settings.RELEASES_ROOT = tmp_path / "releases"
    return settings.RELEASES_ROOT


def redact(event, user, reason="court order"):
    return event_redact(
        public_id=event.public_id,
        user=user,
        ground=RedactionGround.LEGAL_ORDER,
        reason=reason,
    )


def test_only_editors_redact_and_only_with_a_reason(curator, editor):
    event = publish()

    with pytest.raises(NotPermitted):
        redact(event, curator)
    with pytest.raises(EventInvalid):
        redact(event, editor, reason="  ")
    redact(event, editor)
    with pytest.raises(TransitionNotAllowed):
        redact(event, editor)
    assert Redaction.objects.get().user == editor


def test_an_unknown_id_cannot_be_redacted(editor):
    import uuid

    with pytest.raises(EventInvalid, match="no event"):
        event_redact(public_id=uuid.uuid4(), user=editor, ground="other", reason="typo")


def test_the_releases_holding_a_redacted_event_are_listed(editor, root):
    event = publish()
    first = built(editor)
    other = publish()
    redact(event, editor)
    second = built(editor)

    assert releases_containing(event.public_id) == [first]
    assert releases_containing(other.public_id) == [second]


def test_an_editor_withdraws_a_release_in_the_admin_and_it_is_gone(
    client, editor, curator, root, django_capture_on_commit_callbacks
):
    publish()
    old = built(editor)
    new = built(editor)
    url = f"/admin/events/release/{old.pk}/withdraw/"
    client.force_login(curator)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"reason": "It held an event taken down."})
    client.logout()

    assert done.status_code == 302
    assert not (root / old.file_name("csv")).exists()
    assert (root / new.file_name("csv")).exists()
    listing = client.get("/releases/").content.decode()
    assert "It held an event taken down." in listing
    for path in (
        f"/releases/{old.number}/",
        f"/releases/{old.number}/{old.file_name('csv')}",
    ):
        gone = client.get(path)
        assert gone.status_code == 410
        assert f"/releases/{new.number}/" in gone.content.decode()
    api = client.get(f"/api/v1/releases/{old.number}/").json()
    assert api["files"] == []
    assert api["withdrawn"]["reason"] == "It held an event taken down."
    assert api["withdrawn"]["use_instead"].endswith(f"/api/v1/releases/{new.number}/")
    assert client.get(f"/api/v1/releases/{new.number}/").json()["withdrawn"] is None


def test_a_release_after_a_withdrawn_one_compares_with_the_one_before(editor, root):
    publish()
    first = built(editor)
    second = built(editor)
    release_withdraw(release=second, user=editor, reason="error")
    publish()

    third = built(editor)

    assert third.state == "ready"
    assert third.changelog["previous"] == first.number
    with pytest.raises(TransitionNotAllowed):
        release_withdraw(release=second, user=editor, reason="again")


def test_an_import_cannot_publish_a_taken_down_event_again(editor):
    from tests.events.import_support import import_text, jsonl, row

    event = publish(target="Taken down")
    redact(event, editor)

    report = import_text(
        jsonl(row("Taken down", id=str(event.public_id), status="published")),
        user=editor,
    )

    event.refresh_from_db()
    assert event.status == "draft"
    assert report.errors == [
        (1, "this event was taken down and cannot be published again")
    ]


def test_a_curators_import_cannot_unpublish_an_event(curator):
    from tests.events.import_support import import_text, jsonl, row

    event = publish(target="Shown")

    report = import_text(
        jsonl(row("Shown", id=str(event.public_id), status="draft")), user=curator
    )

    event.refresh_from_db()
    assert event.status == "published"
    assert report.errors == [
        (1, "you may not import this event as draft: it is published")
    ]


def test_the_import_command_names_the_refused_line(editor, tmp_path, capsys):
    from tests.events.import_support import jsonl, row, run_import

    event = publish(target="Taken down")
    redact(event, editor)
    path = tmp_path / "again.jsonl"
    line = row("Taken down", id=str(event.public_id), status="published")
    path.write_text(jsonl(row("Other"), line))

    code, out = run_import(path, "--user", editor.username)

    printed = out + capsys.readouterr().err
    assert code == 1
    assert "line 2: this event was taken down" in printed
