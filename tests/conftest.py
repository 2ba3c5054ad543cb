"""Shared fixtures: users in the review groups and events in each status."""

from __future__ import annotations

import uuid

import pytest

from events.choices import Status
from tests.factories import EventFactory, SourceFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs a quarter of a second per user; tests need no real hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def curator(db):
    _ensure_review_groups()
    return UserFactory(username="curator", groups=["Curators"])


@pytest.fixture
def editor(db):
    _ensure_review_groups()
    return UserFactory(username="editor", groups=["Editors"])


def _ensure_review_groups() -> None:
    """The groups and grants the migrations made, again when a transactional
    test's flush removed them (flush keeps permissions, not groups)."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.filter(name__in=["Curators", "Editors"]).count() == 2:
        return
    for module, function in (
        ("0002_review_groups", "create_groups"),
        ("0006_feed_permissions", "grant"),
        ("0010_notices", "grant_notice_permissions"),
        ("0011_targets", "grant_target_permissions"),
        ("0014_releases", "grant"),
        ("0017_takedowns_and_wordings", "grant"),
    ):
        migration = importlib.import_module(f"events.migrations.{module}")
        getattr(migration, function)(apps, None)


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


@pytest.fixture
def sweep_unthrottled(settings):
    """A sweep reads hundreds of URLs from one address: above the anonymous
    rate, in a cache namespace of its own."""
    settings.API_ANON_RATE = "100000/min"
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": uuid.uuid4().hex}
    }
