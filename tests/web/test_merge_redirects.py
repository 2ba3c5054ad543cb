"""A merged event's public page redirects to its survivor's, and only to a
published one; a split ends the redirect."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events.choices import Status
from events.services.merges import event_split, events_merge
from tests.factories import EventFactory, SourceFactory
from tests.web.conftest import published

pytestmark = pytest.mark.django_db


def page(event) -> str:
    return reverse("public:event", args=[event.public_id])


@pytest.fixture
def merged(editor, record):
    """The OKEx event, and a published duplicate of it merged into it."""
    duplicate = published(platform=record.wechat, target="OKEx")
    SourceFactory(event=duplicate, url="https://8btc.example/okex-blocked")
    (merge,) = events_merge(
        survivor=record.okex, absorbed=duplicate, user=editor, reason="same block"
    )
    return record.okex, duplicate, merge


def test_merged_page_redirects_permanently_to_the_survivor(client, merged):
    survivor, duplicate, _ = merged

    response = client.get(page(duplicate))

    assert response.status_code == 301
    assert response["Location"] == page(survivor)
    # Not cached forever by browsers: an editor may split the merge again.
    assert response["Cache-Control"] == "max-age=3600"


def test_survivor_page_lists_the_merged_sources(client, merged):
    survivor, _, _ = merged

    html = client.get(page(survivor)).content.decode()

    assert "https://8btc.example/okex-blocked" in html
    assert "https://www.coindesk.com/okex" in html


def test_merged_page_of_an_unpublished_survivor_is_a_plain_404(client, curator):
    survivor = EventFactory(status=Status.DRAFT, target="Secretsurvivor")
    duplicate = EventFactory(status=Status.DRAFT, platform=survivor.platform)
    events_merge(survivor=survivor, absorbed=duplicate, user=curator, reason="dup")

    response = client.get(page(duplicate))

    assert response.status_code == 404
    assert "Location" not in response
    html = response.content.decode()
    assert str(survivor.public_id) not in html
    assert "Secretsurvivor" not in html


def test_merged_events_stay_off_the_timeline(client, merged):
    _, duplicate, _ = merged

    html = client.get(reverse("public:timeline")).content.decode()

    assert str(duplicate.public_id) not in html


def test_split_restores_the_page_and_ends_the_redirect(client, editor, merged):
    survivor, duplicate, merge = merged

    event_split(merge=merge, user=editor, reason="two blocks")

    response = client.get(page(duplicate))
    assert response.status_code == 200
    assert "https://8btc.example/okex-blocked" in response.content.decode()
    assert "https://8btc.example/okex-blocked" not in (
        client.get(page(survivor)).content.decode()
    )
