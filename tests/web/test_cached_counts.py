"""Counts and filter choices are cached per version of the record, and a new
version (any save, publication or unpublication) is seen at once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.selectors.cached import record_version
from events.services.workflow import event_publish, event_unpublish
from tests.factories import EventFactory, PlatformFactory, SourceFactory
from tests.web.conftest import published

pytestmark = pytest.mark.django_db


def total(client, path: str = "/") -> int:
    response = client.get(path)
    assert response.status_code == 200
    return int(re.search(r'class="total-number">(\d+)<', response.content.decode())[1])


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def test_a_repeated_page_reuses_the_counts(client, record):
    first = queries(client, "/")

    assert queries(client, "/") < first


def test_unpublishing_is_seen_at_once(client, record, editor):
    assert total(client) == 5

    event_unpublish(event=record.okex, user=editor, reason="needs a second source")

    assert total(client) == 4
    assert total(client, "/platforms/wechat/") == 1


def test_publishing_is_seen_at_once(client, record, editor):
    assert total(client) == 5
    draft = EventFactory(platform=record.wechat, target="Fresh")
    SourceFactory(event=draft)

    event_publish(event=draft, user=editor)

    assert total(client) == 6
    assert ">Fresh</a>" in client.get("/").content.decode()


def test_a_new_platform_name_is_seen_at_once(client, record):
    client.get("/")
    record.wechat.name = "Weixin"
    record.wechat.save()

    assert '<option value="wechat">Weixin</option>' in client.get("/").content.decode()


def test_record_version_changes_with_any_event_save(db):
    before = record_version()
    event = published(platform=PlatformFactory())
    after_create = record_version()
    event.summary = "Edited."
    event.save()

    assert len({before, after_create, record_version()}) == 3


def test_searches_and_combined_filters_are_not_cached(client, record, monkeypatch):
    stored = []
    monkeypatch.setattr(
        "events.selectors.cached.cache.get_or_set",
        lambda key, compute, timeout: stored.append(key) or compute(),
    )
    client.get("/?q=OKEx")
    client.get("/?platform=wechat&year=2018")
    assert not any("summary" in key for key in stored)

    client.get("/?platform=wechat")
    assert any("summary" in key for key in stored)
