"""Each side door of issue #12, played as a curator (or an editor taking
something down), then every public surface swept for the markers it planted.

Every scenario also shows the sweep finding its marker once the thing is
legitimately public, so that a sweep that reads nothing cannot pass.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from events.choices import RedactionGround, Status, TargetType
from events.exceptions import NotPermitted, Redacted, StaleVersion
from events.models import EventChange, NoticeVariant
from events.services import event_publish, event_reject, event_unpublish, event_update
from events.services.masking import target_mask
from events.services.merges import events_merge
from events.services.notice_curation import event_notice_confirm
from events.services.redactions import event_redact
from events.services.releases import release_withdraw
from events.services.target_merges import targets_merge
from tests.api.conftest import token_client
from tests.events.admin_support import change_url, form_data
from tests.events.notice_support import make_notice
from tests.events.release_support import built
from tests.factories import EventFactory, PlatformFactory, SourceFactory
from tests.sweep_support import leaks, public_surface

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sweep_unthrottled")]


def published(editor, **fields):
    """An event published through the workflow (history and change log)."""
    event = EventFactory(**fields)
    SourceFactory(event=event)
    return event_publish(event=event, user=editor)


def drafted(**fields):
    event = EventFactory(**fields)
    SourceFactory(event=event)
    return event


@pytest.fixture
def releases_root(settings, tmp_path):
    settings.RELEASES_ROOT = tmp_path / "releases"
    return settings.RELEASES_ROOT


def test_a_wording_a_curator_confirmed_on_a_draft_stays_hidden(client, curator, editor):
    notice = make_notice("Access to this account is restricted.", title="Restricted")
    shown = published(editor, notice=notice, target="Shown account")
    draft = drafted(
        target="Secretdraft account",
        notice_text="Access to this account is restricted. Secretwording",
    )
    event_notice_confirm(event=draft, user=curator, notice=notice)
    assert NoticeVariant.objects.filter(event=draft).exists()
    secrets = ["Secretwording", "Secretdraft"]
    urls = public_surface(events=[shown, draft], secrets=secrets)

    assert leaks(client, secrets, urls) == []
    event_reject(event=draft, user=editor, reason="not a block")
    assert leaks(client, secrets, urls) == []
    draft.status = Status.DRAFT
    draft.save(update_fields=["status"])
    event_publish(event=draft, user=editor)
    assert leaks(client, secrets, urls) != []


def test_curators_cannot_rename_what_public_pages_show(
    client, curator, editor, admin_client
):
    event = published(editor, target="Shown account")
    platform = event.platform
    url = change_url(platform, "platform")
    data = form_data(admin_client.get(url), "platform_form")
    client.force_login(curator)

    refused = client.post(url, {**data, "name": "Secretplatformname"})
    client.logout()
    secrets = ["Secretplatformname"]
    surface = public_surface(events=[event], secrets=secrets)

    assert refused.status_code == 403
    assert leaks(client, secrets, surface) == []
    client.force_login(editor)
    assert client.post(url, {**data, "name": "Secretplatformname"}).status_code == 302
    client.logout()
    assert leaks(client, secrets, surface) != []


def test_a_curator_cannot_merge_a_public_target_into_a_drafts_target(
    client, curator, editor
):
    platform = PlatformFactory()
    shown = published(editor, platform=platform, target="Shown account")
    draft = drafted(platform=platform, target="Secrettargetname")
    shown.refresh_from_db()
    draft.refresh_from_db()

    with pytest.raises(NotPermitted):
        targets_merge(
            survivor=draft.target_ref, others=[shown.target_ref], user=curator
        )

    secrets = ["Secrettargetname"]
    assert leaks(client, secrets, public_surface(events=[shown], secrets=secrets)) == []


def test_the_change_feed_never_names_an_unpublished_survivor(client, editor):
    shown = published(editor, target="Shown account")
    survivor = drafted(target="Survivor account")
    events_merge(survivor=survivor, absorbed=shown, user=editor, reason="same")
    secrets = [str(survivor.public_id)]
    urls = public_surface(events=[shown, survivor], moments=[timezone.now()])

    assert leaks(client, secrets, urls) == []
    last = EventChange.objects.filter(event_public_id=shown.public_id).last()
    assert (last.kind, last.merged_into) == ("unpublished", None)
    event_publish(event=survivor, user=editor)
    assert leaks(client, secrets, urls) != []


def test_an_editor_cannot_publish_text_changed_after_reading_it(
    client, curator, editor
):
    event = drafted(target="Reviewed account", summary="As reviewed.")
    seen = event.version
    event_update(event=event, user=curator, data={"summary": "Secretlateedit"})

    with pytest.raises(StaleVersion):
        event_publish(event=event, user=editor, version=seen)

    secrets = ["Secretlateedit", "Reviewed account"]
    assert leaks(client, secrets, public_surface(events=[event], secrets=secrets)) == []


def test_a_takedown_removes_an_event_from_every_moment_and_release(
    client, editor, releases_root
):
    taken = published(editor, target="Secrettakedown account", summary="Secretsum")
    deleted = published(editor, target="Secretdeleted account")
    before = timezone.now()
    release = built(editor)
    event_unpublish(event=taken, user=editor, reason="legal review")
    deleted_id = deleted.public_id
    deleted.delete()
    secrets = ["Secrettakedown", "Secretsum", "Secretdeleted"]
    urls = public_surface(events=[taken], secrets=secrets, moments=[before])
    urls += [f"/api/v1/events/{deleted_id}/?as_of={before.isoformat()}"]
    assert leaks(client, secrets, urls) != []  # as_of and the release show them

    event_redact(
        public_id=taken.public_id,
        user=editor,
        ground=RedactionGround.LEGAL_ORDER,
        reason="court order 12/2026",
    )
    event_redact(
        public_id=deleted_id,
        user=editor,
        ground=RedactionGround.PERSONAL_SAFETY,
        reason="the account holder is at risk",
    )
    release_withdraw(release=release, user=editor, reason="held a taken-down event")

    assert leaks(client, secrets, urls) == []
    kinds = EventChange.objects.filter(event_public_id=taken.public_id)
    assert kinds.last().kind == "redacted"
    with pytest.raises(Redacted):
        event_publish(event=taken, user=editor)
    later = built(editor)
    assert later.event_count == 0
    assert leaks(client, secrets, public_surface(secrets=secrets)) == []


def test_a_masked_target_is_never_named_in_public(
    client, curator, editor, releases_root
):
    """A curator masks a person's account: every public surface, every past
    moment and the release cut after show the pseudonym only; a curator's
    token still reads the real values."""
    platform = PlatformFactory()
    fields = {
        "platform": platform,
        "target_type": TargetType.ACCOUNT,
        "target_url": "https://t.example/secretperson_ivanova",
        "summary": "The channel of SECRETPERSON Ivanova was blocked.",
        "notice_text": "The account @secretperson ivanova is withheld.",
    }
    events = []
    for text in ("Secretperson Ivanova", "@secretperson ivanova"):
        event = EventFactory(target=text, **fields)
        SourceFactory(
            event=event,
            url="https://news.example.org/secretperson-ivanova-blocked",
            title="Secretperson Ivanova's channel blocked",
            archive_url="https://archive.example.org/secretperson",
        )
        # The same story twice, a likely duplicate on purpose: confirmed.
        events.append(event_publish(event=event, user=editor, confirm_duplicate=True))
    before = timezone.now()
    secrets = ["Secretperson", "secretperson", "SECRETPERSON", "Ivanova", "ivanova"]
    urls = public_surface(events=events, secrets=secrets, moments=[before])
    assert leaks(client, secrets, urls) != []  # public until masked

    target_mask(target=events[0].target_ref, user=curator, pseudonym="Account A")
    built(editor)

    assert leaks(client, secrets, urls) == []
    assert leaks(client, ["Account A"], urls) != []  # the sweep reads them
    seen = token_client(curator).get(f"/api/v1/events/{events[0].public_id}/")
    assert seen.json()["target"] == "Secretperson Ivanova"
    assert "secretperson-ivanova" in seen.json()["sources"][0]["url"]
