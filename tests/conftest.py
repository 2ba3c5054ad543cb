"""Shared fixtures: users in the review groups and events in each status."""

from __future__ import annotations

import pytest

from events.choices import Status
from tests.factories import EventFactory, SourceFactory, UserFactory


@pytest.fixture
def curator(db):
    return UserFactory(username="curator", groups=["Curators"])


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=["Editors"])


@pytest.fixture
def draft(db):
    event = EventFactory(status=Status.DRAFT)
    SourceFactory(event=event)
    return event


@pytest.fixture
def in_review(db):
    event = EventFactory(status=Status.IN_REVIEW)
    SourceFactory(event=event)
    return event


@pytest.fixture
def published(db):
    event = EventFactory(status=Status.PUBLISHED)
    SourceFactory(event=event)
    return event
