"""The seeded gazetteers (migration 0004) and the snapshot selector."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps

from events.ingest.gazetteer import SEED_FILE, build_snapshot, gazetteer_snapshot
from events.ingest.types import GazetteerEntry
from events.models import Authority, CountryAlias, Platform
from events.services.demo import DEMO_DIR

seed_migration = importlib.import_module("events.migrations.0004_seed_gazetteer")


@pytest.fixture
def snapshot(db):
    return gazetteer_snapshot()


def test_seeded_russian_alias_resolves_to_telegram(snapshot):
    assert snapshot.platforms["телеграм"] == GazetteerEntry("Telegram")


def test_seeded_russian_authority_resolves_with_its_country(snapshot):
    assert snapshot.authorities["роскомнадзор"] == GazetteerEntry("Roskomnadzor", "RU")


def test_seeded_persian_country_name_resolves_to_iran(snapshot):
    assert snapshot.countries["ایران"] == "IR"


def test_seeded_adjective_resolves_to_china(snapshot):
    assert snapshot.countries["chinese"] == "CN"


def test_translated_country_names_come_from_django_countries(snapshot):
    assert (snapshot.countries["土耳其"], snapshot.countries["россия"]) == ("TR", "RU")


def test_platform_domains_come_from_homepages_and_domain_aliases(snapshot):
    telegram = GazetteerEntry("Telegram")
    assert snapshot.platform_domains["telegram.org"] == telegram
    assert snapshot.platform_domains["t.me"] == telegram


def test_snapshot_takes_at_most_three_queries(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        gazetteer_snapshot()


def test_seed_has_the_promised_size():
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    assert len(data["platforms"]) >= 40
    assert len(data["authorities"]) >= 30


def test_seed_uses_the_demo_slugs_and_names():
    seed = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    demo = json.loads((DEMO_DIR / "gazetteer.json").read_text(encoding="utf-8"))
    for kind in ("platforms", "authorities"):
        seeded = {item["slug"]: item["name"] for item in seed[kind]}
        for item in demo[kind]:
            assert seeded.get(item["slug"], item["name"]) == item["name"], item["slug"]
            names = {name: slug for slug, name in seeded.items()}
            assert names.get(item["name"], item["slug"]) == item["slug"], item["name"]


def test_seeding_again_adds_nothing(db):
    before = (Platform.objects.count(), Authority.objects.count())
    aliases = CountryAlias.objects.count()
    seed_migration.seed_gazetteer(apps, None)
    after = (Platform.objects.count(), Authority.objects.count())
    assert (after, CountryAlias.objects.count()) == (before, aliases)


def test_unseeding_keeps_rows_it_did_not_add(db):
    Platform.objects.create(name="Curator Platform", slug="curator-platform")
    CountryAlias.objects.create(country="FR", alias="Hexagone", language="fr")
    seed_migration.unseed_gazetteer(apps, None)
    assert list(Platform.objects.values_list("slug", flat=True)) == ["curator-platform"]
    assert list(CountryAlias.objects.values_list("alias", flat=True)) == ["Hexagone"]
    assert not Authority.objects.exists()


def test_build_snapshot_keeps_the_first_holder_of_an_alias():
    snapshot = build_snapshot(
        platforms=[("X", ["Twitter"], "https://x.com/"), ("Twitter", [], "")],
        authorities=[],
        countries=[("Georgia", "GE"), ("Georgia", "US")],
    )
    assert snapshot.platforms["twitter"] == GazetteerEntry("X")
    assert snapshot.countries["georgia"] == "GE"
    assert snapshot.platform_domains == {"x.com": GazetteerEntry("X")}
