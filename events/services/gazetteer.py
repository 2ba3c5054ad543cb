"""Finding platforms and authorities by name, slug or alias, creating unknown ones."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.utils.text import slugify

from events.models import Authority, Platform, normalise_alias

_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")


def _domains(platform: Platform) -> set[str]:
    found = set()
    host = urlsplit(platform.homepage).hostname if platform.homepage else None
    if host:
        found.add(host.removeprefix("www."))
    for alias in platform.aliases:
        key = normalise_alias(str(alias))
        if _DOMAIN.match(key):
            found.add(key.removeprefix("www."))
    return found


def _unique_slug(model: type[Platform] | type[Authority], text: str) -> str:
    base = slugify(text, allow_unicode=False)[:90] or model.__name__.lower()
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class Gazetteer:
    """An in-memory index of platforms and authorities for one import run.

    The tables are small (hundreds of rows), so one query each fills the index
    and every row afterwards resolves without a query. They are read at the
    first look-up, so a run that resolves nothing (a feed of non-events)
    queries nothing.
    """

    def __init__(self) -> None:
        self.platforms: dict[str, Platform] = {}
        self.domains: dict[str, Platform] = {}
        self.authorities: dict[tuple[str, str], Authority] = {}
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for platform in Platform.objects.all():
            for key in platform.match_keys():
                self.platforms.setdefault(key, platform)
            for domain in _domains(platform):
                self.domains.setdefault(domain, platform)
        for authority in Authority.objects.all():
            self._index_authority(authority)

    def _index_authority(self, authority: Authority) -> None:
        for key in authority.match_keys():
            self.authorities.setdefault((key, str(authority.country)), authority)

    def platform(self, name: str) -> Platform:
        """The platform of that name, slug or alias, else a new one. A name the
        model refuses (too long) raises ValidationError and creates nothing."""
        self._load()
        key = normalise_alias(name)
        found = self.platforms.get(key) or self._by_domain(key)
        if found is None:
            found = Platform(name=name.strip(), slug=_unique_slug(Platform, name))
            found.full_clean()
            found.save()
            self.platforms[key] = found
        return found

    def _by_domain(self, name: str) -> Platform | None:
        """A platform whose homepage (or a domain-like alias) is `name` or a
        parent domain of it: fa.wikipedia.org finds Wikipedia."""
        if not _DOMAIN.match(name):
            return None
        labels = name.removeprefix("www.").split(".")
        for start in range(len(labels) - 1):
            found = self.domains.get(".".join(labels[start:]))
            if found is not None:
                return found
        return None

    def authority(
        self, name: str, country: str, *, create: bool = True
    ) -> Authority | None:
        """The authority of that name in `country`; failing that, one of that
        name with no country (an international body, a platform); failing
        that, a new one in `country` (ValidationError if the model refuses it),
        or None when `create` is false."""
        if not name.strip():
            return None
        self._load()
        key = normalise_alias(name)
        found = self.authorities.get((key, country)) or self.authorities.get((key, ""))
        if found is None and create:
            found = Authority(
                name=name.strip(),
                country=country,
                slug=_unique_slug(Authority, f"{name} {country}"),
            )
            found.full_clean()
            found.save()
            self._index_authority(found)
        return found
