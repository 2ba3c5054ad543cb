"""The gazetteers as plain dicts for the extractor: a selector over Platform,
Authority and CountryAlias (three queries), and the pure builder it uses."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from events.ingest.types import GazetteerEntry, GazetteerSnapshot
from events.models import Authority, CountryAlias, Platform, normalise_alias

SEED_FILE = Path(__file__).resolve().parent / "seed" / "gazetteer.json"
_DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")


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
