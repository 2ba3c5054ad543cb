"""Drafts written through the editing services (the API's write path)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from events.choices import Status
from events.exceptions import NotPermitted
from events.interchange_files import read_rows
from events.models import Event, Platform, StatusChange
from events.services import event_create, event_update, events_import

pytestmark = pytest.mark.django_db


def data(**changes):
    return {
        "platform": Platform.objects.get(slug="telegram"),
        "target": "@channel",
        "target_type": "channel",
        "country": "RU",
        "action": "blocked",
        "date": dt.date(2018, 4, 16),
        "date_precision": "day",
        **changes,
    }


def test_create_records_a_draft_its_sources_and_who(curator):
    event = event_create(
        user=curator, data=data(), sources=[{"url": "https://a.example/1"}]
    )
    assert event.status == Status.DRAFT
    assert [s.url for s in event.sources.all()] == ["https://a.example/1"]
    assert event.history.get().history_user == curator
    assert StatusChange.objects.get(event=event).user == curator


def test_create_needs_the_add_permission(db):
    with pytest.raises(NotPermitted):
        event_create(user=AnonymousUser(), data=data())


def test_create_checks_the_model_rules(curator):
    with pytest.raises(ValidationError) as error:
        event_create(user=curator, data=data(ended_on=dt.date(2017, 1, 1)))
    assert "ended_on" in error.value.message_dict
    assert not Event.objects.exists()


def test_create_refuses_repeated_source_urls(curator):
    with pytest.raises(ValidationError) as error:
        event_create(
            user=curator, data=data(), sources=[{"url": "https://a.example/1"}] * 2
        )
    assert "sources" in error.value.message_dict


def test_create_refuses_the_status(curator):
    with pytest.raises(ValidationError):
        event_create(user=curator, data=data(status=Status.PUBLISHED))


def test_update_follows_event_can_edit(curator, editor, published):
    with pytest.raises(NotPermitted):
        event_update(event=published, user=curator, data={"summary": "x"})
    event_update(event=published, user=editor, data={"summary": "x"})
    published.refresh_from_db()
    assert published.summary == "x"
    assert published.history.first().history_user == editor


def test_update_replaces_sources_by_url(curator, draft):
    kept = draft.sources.get()
    event_update(
        event=draft,
        user=curator,
        data={},
        sources=[{"url": kept.url, "title": "Renamed"}, {"url": "https://b.example/2"}],
    )
    assert [(s.url, s.title) for s in draft.sources.order_by("id")] == [
        (kept.url, "Renamed"),
        ("https://b.example/2", ""),
    ]


def test_import_of_a_new_source_marks_the_event_changed(db):
    row = {
        "id": "8c0f3f4e-2d7a-4f61-9a53-6f1d1c1b7e10",
        "platform": "Telegram",
        "target": "@channel",
        "target_type": "channel",
        "country": "RU",
        "action": "blocked",
        "date": "2018-04-16",
        "sources": [{"url": "https://a.example/1"}],
    }
    events_import(rows=read_rows(io.BytesIO(json.dumps(row).encode()), "jsonl"))
    event = Event.objects.get()
    before = event.updated_at
    row["sources"].append({"url": "https://a.example/2"})
    events_import(rows=read_rows(io.BytesIO(json.dumps(row).encode()), "jsonl"))
    event.refresh_from_db()
    assert event.sources.count() == 2
    assert event.updated_at > before
