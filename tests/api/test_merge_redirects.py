"""A merged event's API URL redirects to its survivor, and only to a survivor
the client may see; lists never include merged events."""

from __future__ import annotations

import pytest

from events.choices import Status
from events.services.merges import event_split, events_merge
from tests.api.conftest import ids, publish, uid
from tests.factories import EventFactory, SourceFactory

pytestmark = pytest.mark.django_db


def detail(event) -> str:
    return f"/api/v1/events/{event.public_id}/"


@pytest.fixture
def merged(editor):
    """Two published events about the same block, one merged into the other."""
    survivor = publish(target="OKEx official account")
    absorbed = publish(target="OKEx", platform=survivor.platform)
    (merge,) = events_merge(
        survivor=survivor, absorbed=absorbed, user=editor, reason="same block"
    )
    return survivor, absorbed, merge


def test_merged_id_redirects_permanently_to_the_survivor(api, merged):
    survivor, absorbed, _ = merged

    response = api.get(detail(absorbed))

    assert response.status_code == 301
    assert response["Location"] == detail(survivor)
    followed = api.get(response["Location"])
    assert followed.json()["id"] == uid(survivor)


def test_redirect_keeps_the_format(api, merged):
    survivor, absorbed, _ = merged

    response = api.get(detail(absorbed), {"format": "csv"})

    assert response.status_code == 301
    assert response["Location"] == f"{detail(survivor)}?format=csv"


def test_redirect_still_rejects_unknown_parameters(api, merged):
    _, absorbed, _ = merged

    response = api.get(detail(absorbed), {"country": "CN"})

    assert response.status_code == 400
    assert "country" in response.json()


def test_unpublished_survivor_is_not_revealed_to_anonymous_clients(api, curator):
    survivor = EventFactory(status=Status.DRAFT)
    absorbed = EventFactory(status=Status.DRAFT, platform=survivor.platform)
    events_merge(survivor=survivor, absorbed=absorbed, user=curator, reason="dup")
    unknown = api.get(f"/api/v1/events/{'0' * 8}-0000-4000-8000-{'0' * 12}/")

    response = api.get(detail(absorbed))

    assert response.status_code == 404
    assert response.json() == unknown.json()
    assert str(survivor.public_id) not in response.content.decode()


def test_curator_is_redirected_to_an_unpublished_survivor(curator_api, curator):
    survivor = EventFactory(status=Status.DRAFT)
    absorbed = EventFactory(status=Status.DRAFT, platform=survivor.platform)
    events_merge(survivor=survivor, absorbed=absorbed, user=curator, reason="dup")

    response = curator_api.get(detail(absorbed))

    assert response.status_code == 301
    assert response["Location"] == detail(survivor)


def test_public_list_and_exports_never_include_merged_events(api, merged):
    survivor, absorbed, _ = merged

    assert ids(api.get("/api/v1/events/")) == [uid(survivor)]
    exported = api.get("/api/v1/events/", {"format": "jsonl"})
    assert uid(absorbed) not in b"".join(exported.streaming_content).decode()


def test_survivor_shows_the_merged_sources(api, merged):
    survivor, absorbed, merge = merged

    sources = api.get(detail(survivor)).json()["sources"]

    assert len(sources) == 2
    assert merge.moved_source_ids


def test_split_ends_the_redirect(api, editor, merged):
    survivor, absorbed, merge = merged

    event_split(merge=merge, user=editor, reason="two blocks after all")

    response = api.get(detail(absorbed))
    assert response.status_code == 200
    assert response.json()["id"] == uid(absorbed)
    assert len(response.json()["sources"]) == 1
    assert len(api.get(detail(survivor)).json()["sources"]) == 1


def test_editing_a_merged_event_is_refused(editor_api, merged):
    _, absorbed, _ = merged

    response = editor_api.patch(detail(absorbed), {"summary": "edited"}, format="json")

    assert response.status_code == 403


def test_redirect_of_a_chain_leads_to_the_last_survivor(api, editor, merged):
    survivor, absorbed, _ = merged
    final = publish(platform=survivor.platform)
    SourceFactory(event=final)
    events_merge(survivor=final, absorbed=survivor, user=editor, reason="dup")

    assert api.get(detail(absorbed))["Location"] == detail(final)
    assert api.get(detail(survivor))["Location"] == detail(final)


def test_curator_lists_leave_merged_events_out_unless_asked(curator_api, merged):
    survivor, absorbed, _ = merged
    draft = EventFactory(status=Status.DRAFT)

    listed = ids(curator_api.get("/api/v1/events/"))
    assert sorted(listed) == sorted([uid(survivor), uid(draft)])
    exported = curator_api.get("/api/v1/events/", {"format": "jsonl"})
    assert uid(absorbed) not in b"".join(exported.streaming_content).decode()
    asked = curator_api.get("/api/v1/events/", {"status": "merged"})
    assert ids(asked) == [uid(absorbed)]
    counts = curator_api.get("/api/v1/stats/", {"group_by": "year"}).json()
    assert sum(row["count"] for row in counts) == 2
