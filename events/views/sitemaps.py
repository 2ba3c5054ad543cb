"""sitemap.xml: an index of sections listing the home page, every published
event and the page of every platform, country and authority that has one."""

from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from events.models import Authority, Event, Platform, Release, Target
from events.selectors.notices import seen_notices
from events.selectors.public import (
    public_authorities,
    public_countries,
    public_platforms,
    published_events,
)
from events.selectors.releases import ready_releases
from events.selectors.targets import public_targets


class HomeSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["public:timeline", "public:releases"]

    def location(self, item: str) -> str:
        return reverse(item)


class EventSitemap(Sitemap):
    # Sitemaps hold at most 50,000 URLs; the index pages through the rest.
    limit = 10_000

    def items(self) -> QuerySet[Event]:
        return published_events().order_by("id").only("public_id", "updated_at")

    def location(self, item: Event) -> str:
        return reverse("public:event", args=[item.public_id])

    def lastmod(self, item: Event) -> dt.datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> None:
        # Django's default reads every item for the index; not worth it.
        return None


class PlatformSitemap(Sitemap):
    def items(self) -> QuerySet[Platform]:
        return public_platforms().order_by("slug").only("slug")

    def location(self, item: Platform) -> str:
        return reverse("public:platform", args=[item.slug])


class AuthoritySitemap(Sitemap):
    def items(self) -> QuerySet[Authority]:
        return public_authorities().order_by("slug").only("slug")

    def location(self, item: Authority) -> str:
        return reverse("public:authority", args=[item.slug])


class CountrySitemap(Sitemap):
    def items(self) -> list[str]:
        return public_countries()

    def location(self, item: str) -> str:
        return reverse("public:country", args=[item])


class ReleaseSitemap(Sitemap):
    def items(self) -> QuerySet[Release]:
        return ready_releases().only("number", "published_at")

    def location(self, item: Release) -> str:
        return reverse("public:release", args=[item.number])

    def lastmod(self, item: Release) -> dt.datetime | None:
        return item.published_at


class TargetSitemap(Sitemap):
    limit = 10_000

    def items(self) -> QuerySet[Target]:
        return public_targets().order_by("id").only("id")

    def location(self, item: Target) -> str:
        return reverse("public:target", args=[item.pk])


class NoticeSitemap(Sitemap):
    """The registry's index and each notice a published event carried."""

    def items(self) -> list[str | int]:
        ids = seen_notices().order_by("pk").values_list("pk", flat=True)
        return ["public:notices", *ids]

    def location(self, item: str | int) -> str:
        if isinstance(item, str):
            return reverse(item)
        return reverse("public:notice", args=[item])


SITEMAPS = {
    "home": HomeSitemap,
    "events": EventSitemap,
    "platforms": PlatformSitemap,
    "countries": CountrySitemap,
    "authorities": AuthoritySitemap,
    "targets": TargetSitemap,
    "releases": ReleaseSitemap,
    "notices": NoticeSitemap,
}
