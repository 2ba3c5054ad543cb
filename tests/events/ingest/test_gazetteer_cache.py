"""The pipeline's cached gazetteer snapshot: reused while the tables are
unchanged, rebuilt at once when a change leaves a trace in them, and at most
SNAPSHOT_TTL seconds stale for a change that does not."""

from __future__ import annotations

import pytest

from events.ingest import gazetteer
from events.ingest.gazetteer import SNAPSHOT_TTL, cached_gazetteer_snapshot
from events.models import CountryAlias, Platform

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(gazetteer, "_clock", lambda: now[0])
    return now


def test_an_unchanged_gazetteer_is_reused_at_the_cost_of_its_fingerprint(
    clock, django_assert_num_queries
):
    first = cached_gazetteer_snapshot()
    clock[0] += SNAPSHOT_TTL - 1
    with django_assert_num_queries(1):
        assert cached_gazetteer_snapshot() is first


def test_a_platform_saved_with_a_new_alias_is_seen_at_once(clock):
    cached_gazetteer_snapshot()
    telegram = Platform.objects.get(slug="telegram")
    telegram.aliases = [*telegram.aliases, "Телега"]
    telegram.save()
    assert cached_gazetteer_snapshot().platforms["телега"].name == "Telegram"


def test_a_new_platform_is_seen_at_once(clock):
    cached_gazetteer_snapshot()
    Platform.objects.create(name="Zangi", slug="zangi")
    assert cached_gazetteer_snapshot().platforms["zangi"].name == "Zangi"


def test_a_deleted_platform_is_gone_at_once(clock):
    zangi = Platform.objects.create(name="Zangi", slug="zangi")
    cached_gazetteer_snapshot()
    zangi.delete()
    assert "zangi" not in cached_gazetteer_snapshot().platforms


def test_a_new_country_alias_is_seen_at_once(clock):
    cached_gazetteer_snapshot()
    CountryAlias.objects.create(country="FR", alias="Hexagone")
    assert cached_gazetteer_snapshot().countries["hexagone"] == "FR"


def test_a_change_the_fingerprint_cannot_see_is_seen_after_the_ttl(clock):
    first = cached_gazetteer_snapshot()
    # A bulk update leaves no history row and changes no count or id.
    Platform.objects.filter(slug="telegram").update(aliases=["Телега"])
    assert cached_gazetteer_snapshot() is first
    clock[0] += SNAPSHOT_TTL
    assert cached_gazetteer_snapshot().platforms["телега"].name == "Telegram"
