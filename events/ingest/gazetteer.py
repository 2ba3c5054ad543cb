"""The gazetteers as plain dicts for the extractor: a selector over Platform,
Authority and CountryAlias (three queries), the pure builder it uses, and a
per-process cache of it for the feed pipeline.

The cache (`cached_gazetteer_snapshot`) hands out the same snapshot, and so the
same alias index, while a one-query fingerprint of the three tables is
unchanged and for at most SNAPSHOT_TTL seconds. The fingerprint sees rows
added or deleted and every change saved through a model (each leaves a history
row). Staleness: a change it cannot see (an alias edited by a bulk update or by
hand in SQL, a country alias edited in place) reaches extraction within
SNAPSHOT_TTL seconds.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from django.db import connection

from events.ingest.types import GazetteerEntry, GazetteerSnapshot
from events.models import Authority, CountryAlias, Platform, normalise_alias

SEED_FILE = Path(__file__).resolve().parent / "seed" / "gazetteer.json"
SNAPSHOT_TTL = 60.0  # seconds a cached snapshot is trusted at most
_DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")
# (fingerprint, clock time it was built, snapshot) of the last snapshot.
_cached: tuple[tuple, float, GazetteerSnapshot] | None = None
_clock = time.monotonic  # tests move it forward


def gazetteer_snapshot() -> GazetteerSnapshot:
    """The platforms, authorities and country names in the database now."""
    platforms = Platform.objects.values_list("name", "slug", "homepage", "aliases")
    authorities = Authority.objects.values_list("name", "slug", "country", "aliases")
    countries = CountryAlias.objects.values_list("alias", "country")
    return build_snapshot(
        platforms=[(n, [s, *a], h) for n, s, h, a in platforms],
        authorities=[(n, str(c), [s, *a]) for n, s, c, a in authorities],
        countries=[(alias, str(code)) for alias, code in countries],
    )


def cached_gazetteer_snapshot() -> GazetteerSnapshot:
    """gazetteer_snapshot(), reused while the tables' fingerprint is unchanged
    and for at most SNAPSHOT_TTL seconds."""
    global _cached
    fingerprint = gazetteer_fingerprint()
    now = _clock()
    if _cached is not None:
        known, built_at, snapshot = _cached
        if known == fingerprint and now - built_at < SNAPSHOT_TTL:
            return snapshot
    snapshot = gazetteer_snapshot()
    _cached = (fingerprint, now, snapshot)
    return snapshot


def clear_snapshot_cache() -> None:
    global _cached
    _cached = None


def gazetteer_fingerprint() -> tuple:
    """Which database; the row count and highest id of each gazetteer table;
    when a platform or authority was last saved or deleted (its latest history
    row). One query."""
    quote = connection.ops.quote_name
    parts = []
    for model in (Platform, Authority, CountryAlias):
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        parts += [f"COUNT(*) FROM {table}", f"MAX({pk}) FROM {table}"]
    for model in (Platform, Authority):
        table = quote(model.history.model._meta.db_table)
        parts.append(f"MAX({quote('history_date')}) FROM {table}")
    # Only the models' own table and column names go into it, no input.
    sql = "SELECT " + ", ".join(f"(SELECT {part})" for part in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return (connection.alias, str(connection.settings_dict["NAME"]), *row)


def build_snapshot(
    *,
    platforms: Iterable[tuple[str, list[str], str]],
    authorities: Iterable[tuple[str, str, list[str]]],
    countries: Iterable[tuple[str, str]],
) -> GazetteerSnapshot:
    """platforms: (name, aliases, homepage); authorities: (name, country,
    aliases); countries: (alias, ISO code). The first holder of an alias keeps
    it; a platform's homepage host and its aliases that look like domains
    become its domains."""
    snapshot = GazetteerSnapshot()
    for name, aliases, homepage in platforms:
        entry = GazetteerEntry(name=name)
        for alias in (name, *aliases):
            snapshot.platforms.setdefault(normalise_alias(alias), entry)
        for domain in _domains(homepage, aliases):
            snapshot.platform_domains.setdefault(domain, entry)
    for name, country, aliases in authorities:
        entry = GazetteerEntry(name=name, country=country or "")
        for alias in (name, *aliases):
            snapshot.authorities.setdefault(normalise_alias(alias), entry)
    for alias, code in countries:
        snapshot.countries.setdefault(normalise_alias(alias), code)
    return snapshot


def _domains(homepage: str, aliases: Iterable[str]) -> list[str]:
    found = []
    host = (urlsplit(homepage).hostname or "") if homepage else ""
    if host:
        found.append(host.removeprefix("www."))
    for alias in aliases:
        candidate = alias.strip().lower()
        if _DOMAIN.match(candidate):
            found.append(candidate.removeprefix("www."))
    return found


def seed_snapshot(path: Path = SEED_FILE) -> GazetteerSnapshot:
    """The snapshot of the seed file alone, for tests and benchmarks that run
    without a database."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return build_snapshot(
        platforms=[
            (p["name"], [p["slug"], *p["aliases"]], p["homepage"])
            for p in data["platforms"]
        ],
        authorities=[
            (a["name"], a["country"], [a["slug"], *a["aliases"]])
            for a in data["authorities"]
        ],
        countries=[(c["alias"], c["country"]) for c in data["country_aliases"]],
    )
