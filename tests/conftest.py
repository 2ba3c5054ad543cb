"""Shared fixtures: users in the review groups and events in each status."""

from __future__ import annotations

import pytest

from events.choices import Status
from tests.factories import EventFactory, SourceFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs a quarter of a second per user; tests need no real hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture
def empty_gazetteer(db):
    """A database without the seeded platforms, authorities and country names,
    for tests about matching and creating them from scratch."""
    from events.models import Authority, CountryAlias, Platform

    CountryAlias.objects.all().delete()
    Authority.objects.all().delete()
    Platform.objects.all().delete()


@pytest.fixture
def seeded_gazetteer(transactional_db):
    """The gazetteer seed of migration 0004, again: a transactional test's flush
    removes what migrations seeded."""
    import importlib

    from django.apps import apps

    seed = importlib.import_module("events.migrations.0004_seed_gazetteer")
    seed.seed_gazetteer(apps, None)
