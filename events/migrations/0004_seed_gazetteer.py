"""Seed the gazetteers: platforms, authorities and country names in many
languages, from events/ingest/seed/gazetteer.json.

Rows whose slug or name is already taken (the demo loader upserts by the same
slugs) are left as they are. The reverse removes the seeded rows that no event
refers to, and the seeded country aliases; it cannot tell a seeded platform or
authority from an identical one (same slug and name) that existed before.
"""

import json
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "ingest" / "seed" / "gazetteer.json"


def _seed() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


def _missing(model, items: list[dict], natural_key: tuple[str, ...]) -> list:
    """Seed rows whose slug and natural key are both still free."""
    taken_slugs = set(model.objects.values_list("slug", flat=True))
    taken_keys = set(model.objects.values_list(*natural_key))
    return [
        model(**item)
        for item in items
        if item["slug"] not in taken_slugs
        and tuple(item[field] for field in natural_key) not in taken_keys
    ]


def seed_gazetteer(apps, schema_editor):
    data = _seed()
    Platform = apps.get_model("events", "Platform")
    Authority = apps.get_model("events", "Authority")
    CountryAlias = apps.get_model("events", "CountryAlias")
    Platform.objects.bulk_create(
        _missing(Platform, data["platforms"], ("name",)), ignore_conflicts=True
    )
    Authority.objects.bulk_create(
        _missing(Authority, data["authorities"], ("name", "country")),
        ignore_conflicts=True,
    )
    CountryAlias.objects.bulk_create(
        [CountryAlias(**row) for row in data["country_aliases"]],
        ignore_conflicts=True,
        batch_size=500,
    )


def unseed_gazetteer(apps, schema_editor):
    data = _seed()
    Platform = apps.get_model("events", "Platform")
    Authority = apps.get_model("events", "Authority")
    CountryAlias = apps.get_model("events", "CountryAlias")
    for model, items in (
        (Platform, data["platforms"]),
        (Authority, data["authorities"]),
    ):
        for item in items:
            model.objects.filter(
                slug=item["slug"], name=item["name"], events__isnull=True
            ).delete()
    seeded = {
        (r["country"], r["alias"], r["language"]) for r in data["country_aliases"]
    }
    countries = {country for country, _, _ in seeded}
    doomed = [
        pk
        for pk, country, alias, language in CountryAlias.objects.filter(
            country__in=countries
        ).values_list("pk", "country", "alias", "language")
        if (country, alias, language) in seeded
    ]
    CountryAlias.objects.filter(pk__in=doomed).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_ingestion"),
    ]

    operations = [
        migrations.RunPython(seed_gazetteer, unseed_gazetteer),
    ]
