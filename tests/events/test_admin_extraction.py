"""The change page shows what the extractor stored (issue #13, "One
candidate"): each extracted field with its confidence, why the item was
called an event, and an authority phrase no known authority matched."""

from __future__ import annotations

import pytest

from events.selectors.extraction import event_extraction
from tests.events.admin_support import change_url
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db
STORED = {
    "is_event": 0.84,
    "fields": {"platform": 0.9, "country": 0.55, "date": 0.3},
    "reason": "blocking verb near the platform",
    "authority_text": "the Telecom Regulatory Board",
    "feed": "OONI blog",
    "feed_item": 7,
    "missing": ["country"],
}


def test_the_change_page_shows_each_fields_confidence(client, curator):
    event = EventFactory(extraction=STORED, authority=None)
    client.force_login(curator)

    content = client.get(change_url(event)).content.decode()

    assert 'id="extraction"' in content
    assert '<tr class="extracted-country"><td>country</td><td>0.55</td></tr>' in content
    assert "blocking verb near the platform" in content
    assert "0.84" in content
    assert "OONI blog" in content


def test_an_unresolved_authority_phrase_is_shown_as_such(client, curator):
    event = EventFactory(extraction=STORED, authority=None)
    client.force_login(curator)

    content = client.get(change_url(event)).content.decode()

    assert "the Telecom Regulatory Board" in content
    assert "matches no known authority" in content


def test_a_resolved_authority_is_not_called_unresolved():
    event = EventFactory(extraction=STORED)

    assert event_extraction(event).unresolved_authority == ""


def test_an_event_no_extractor_made_has_no_panel(client, curator):
    event = EventFactory(extraction={})
    client.force_login(curator)

    content = client.get(change_url(event)).content.decode()

    assert event_extraction(event) is None
    assert 'id="extraction"' not in content


def test_stored_values_of_the_wrong_shape_are_left_out():
    event = EventFactory(extraction={"fields": {"platform": "high", "date": 0.4}})

    found = event_extraction(event)

    assert [(g.name, g.confidence) for g in found.fields] == [("date", 0.4)]
    assert found.is_event is None
