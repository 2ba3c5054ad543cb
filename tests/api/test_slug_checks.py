"""Platform and authority filters once their slugs' ids are remembered.

The list then uses the remembered ids at once and checks the slugs in the
round trip that reads the record version and the page. The check must still
refuse what a first request refuses, and a slug that names another row since
it was remembered must never give the other row's events.
"""

from __future__ import annotations

import pytest
from django.db import connection

from events.choices import Status
from events.models import Event, Platform
from events.selectors.filters import SLUG_IDS
from tests.api.conftest import ids, publish, uid
from tests.factories import AuthorityFactory, EventFactory, PlatformFactory

pytestmark = pytest.mark.django_db


def listed(api, **params) -> list[str]:
    return ids(api.get("/api/v1/events/", params))


def test_a_remembered_slug_is_checked_in_the_same_round_trip(api, pipelines):
    platform, authority = PlatformFactory(), AuthorityFactory()
    event = publish(platform=platform, authority=authority)
    publish()
    query = {"platform": platform.slug, "authority": authority.slug}
    assert listed(api, **query) == [uid(event)]
    assert SLUG_IDS.known(Platform, (platform.slug,)) == [platform.pk]
    pipelines.clear()
    assert listed(api, **query) == [uid(event)]
    # Two slug checks, the record version and the page: one round trip.
    assert pipelines == ([4] if connection.vendor == "postgresql" else [])


def test_a_remembered_slug_without_published_events_is_refused(api):
    platform = PlatformFactory()
    event = publish(platform=platform)
    assert listed(api, platform=platform.slug) == [uid(event)]
    Event.objects.filter(pk=event.pk).update(status=Status.DRAFT)
    response = api.get("/api/v1/events/", {"platform": platform.slug})
    assert response.status_code == 400
    assert response.json()["platform"] == [f"no platform has the slug {platform.slug}"]


def test_a_renamed_slug_is_refused(api):
    platform = PlatformFactory(slug="vk")
    publish(platform=platform)
    assert len(listed(api, platform="vk")) == 1
    Platform.objects.filter(pk=platform.pk).update(slug="vkontakte")
    assert api.get("/api/v1/events/", {"platform": "vk"}).status_code == 400


def test_a_slug_taken_by_another_platform_gives_that_platforms_events(api):
    """`vk` is remembered as one platform; that one is renamed and a new one
    takes the slug: the list shows the new platform's events, not the old."""
    old = PlatformFactory(slug="vk")
    publish(platform=old)
    assert len(listed(api, platform="vk")) == 1
    Platform.objects.filter(pk=old.pk).update(slug="vk-archive")
    new = PlatformFactory(slug="vk")
    fresh = [publish(platform=new), publish(platform=new)]
    assert SLUG_IDS.known(Platform, ("vk",)) == [old.pk]
    assert sorted(listed(api, platform="vk")) == sorted(uid(e) for e in fresh)
    assert SLUG_IDS.known(Platform, ("vk",)) == [new.pk]


def test_curators_see_remembered_platforms_of_drafts(curator_api, api):
    platform = PlatformFactory()
    draft = EventFactory(platform=platform, status=Status.DRAFT)
    assert ids(curator_api.get("/api/v1/events/", {"platform": platform.slug})) == [
        uid(draft)
    ]
    assert ids(curator_api.get("/api/v1/events/", {"platform": platform.slug})) == [
        uid(draft)
    ]
    assert api.get("/api/v1/events/", {"platform": platform.slug}).status_code == 400


def test_stats_check_a_remembered_slug_with_the_version(api, pipelines):
    platform = PlatformFactory()
    event = publish(platform=platform)
    url = "/api/v1/stats/"
    query = {"group_by": "platform", "platform": platform.slug}
    assert api.get(url, query).json() == [{"key": platform.slug, "count": 1}]
    pipelines.clear()
    assert api.get(url, query).json() == [{"key": platform.slug, "count": 1}]
    # The slug check and the record version: one round trip, then the counts.
    assert pipelines == ([2] if connection.vendor == "postgresql" else [])
    Event.objects.filter(pk=event.pk).update(status=Status.DRAFT)
    assert api.get(url, query).status_code == 400
