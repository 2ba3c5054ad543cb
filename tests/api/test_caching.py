"""Conditional requests (ETag, Last-Modified → 304), cache headers and CORS."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events.services import event_publish, event_unpublish
from tests.api.conftest import publish
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db
READS = [
    "/api/v1/events/",
    "/api/v1/events/?country=CN",
    "/api/v1/events/?format=csv",
    "/api/v1/stats/?group_by=year",
    "/api/v1/platforms/",
    "/api/v1/authorities/",
    "/api/v1/countries/",
]


@pytest.mark.parametrize("url", READS)
def test_if_none_match_gives_304_until_the_record_changes(api, published, url):
    first = api.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    publish()
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_if_modified_since_gives_304(api, published):
    first = api.get("/api/v1/events/")
    since = first["Last-Modified"]
    assert api.get("/api/v1/events/", HTTP_IF_MODIFIED_SINCE=since).status_code == 304


def test_detail_etag_and_last_modified(api, published):
    url = f"/api/v1/events/{published.public_id}/"
    first = api.get(url)
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert (
        api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    )
    published.summary = "Changed."
    published.save()
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_unpublishing_changes_the_list_validators(api, published, editor):
    other = publish()
    first = api.get("/api/v1/events/")
    event_unpublish(event=other, user=editor, reason="wrong")
    assert (
        api.get("/api/v1/events/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    )


def test_deleting_an_older_published_event_changes_the_list_validators(
    api, editor, admin_client
):
    older, newer = (SourceFactory().event for _ in range(2))
    for event in (older, newer):
        event_publish(event=event, user=editor)
    first = api.get("/api/v1/events/")
    delete_url = reverse("admin:events_event_delete", args=[older.pk])

    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302

    again = api.get("/api/v1/events/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert [e["id"] for e in again.json()["results"]] == [str(newer.public_id)]


def test_renaming_a_platform_changes_the_validators(api, published):
    first = api.get("/api/v1/events/")
    platform = published.platform
    platform.name = "Renamed"
    platform.save()
    assert (
        api.get("/api/v1/events/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    )


def test_etag_differs_by_format_and_filters(api, published):
    tags = {api.get(url)["ETag"] for url in READS[:3]}
    assert len(tags) == 3


def test_anonymous_reads_are_public_token_reads_private(api, curator_api, published):
    assert api.get("/api/v1/events/")["Cache-Control"] == "public, max-age=0"
    assert curator_api.get("/api/v1/events/")["Cache-Control"] == "private, no-cache"
    vary = api.get("/api/v1/events/")["Vary"]
    assert "Accept" in vary
    assert "Authorization" in vary


def test_errors_are_not_stored(api):
    assert api.get("/api/v1/events/?country=XX1")["Cache-Control"] == "no-store"


def test_etag_is_per_visibility(api, curator_api, published):
    assert (
        api.get("/api/v1/events/")["ETag"] != curator_api.get("/api/v1/events/")["ETag"]
    )


@pytest.mark.parametrize("url", READS)
def test_reads_are_open_to_any_origin(api, published, url):
    response = api.get(url, HTTP_ORIGIN="https://dashboard.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_preflight_of_a_read(api):
    response = api.options(
        "/api/v1/events/",
        HTTP_ORIGIN="https://dashboard.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "POST" not in response["Access-Control-Allow-Methods"]


def test_writes_get_no_cors_header(curator_api):
    response = curator_api.post("/api/v1/events/", {}, format="json")
    assert response.status_code == 400
    assert "Access-Control-Allow-Origin" not in response
