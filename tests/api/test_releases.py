"""/api/v1/releases/: ready releases with files, checksums and citations; the
release files are the bytes of the API export at the moment of the release."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from events.api.releases import ReleaseSerializer
from events.choices import DatePrecision, ReleaseState
from events.models import Release
from events.services import event_update
from events.services.releases import release_cut
from events.tasks import cut_release
from tests.api.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def releases_root(settings, tmp_path):
    settings.RELEASES_ROOT = tmp_path / "releases"
    settings.SITE_URL = "http://testserver"
    return settings.RELEASES_ROOT


def built(editor) -> Release:
    release = release_cut(user=editor, title="Spring", notes="Our first.")
    cut_release(release.pk)
    release.refresh_from_db()
    assert release.state == ReleaseState.READY, release.error
    return release


@pytest.fixture
def varied(db):
    """Events in several scripts, precisions, with and without an authority."""
    publish(country="RU", notice_text="Доступ ограничен.\r\nПо требованию.")
    publish(
        date=dt.date(2018, 8, 1), date_precision=DatePrecision.MONTH, authority=None
    )
    publish(date=dt.date(2018, 8, 1), summary='Quotes " and, commas')
    publish(date=dt.date(2016, 1, 1), date_precision=DatePrecision.YEAR)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_release_files_are_the_api_export_at_that_moment(
    api, editor, varied, releases_root, fmt
):
    exported = b"".join(api.get(f"/api/v1/events/?format={fmt}").streaming_content)

    release = built(editor)

    assert (releases_root / release.file_name(fmt)).read_bytes() == exported
    publish()  # after the release: in the API now, not in the release
    later = b"".join(api.get(f"/api/v1/events/?format={fmt}").streaming_content)
    assert later != exported
    assert (releases_root / release.file_name(fmt)).read_bytes() == exported


def test_list_shows_ready_releases_newest_first(api, editor, varied):
    first = built(editor)
    event_update(event=publish(), user=editor, data={"summary": "x"})
    second = built(editor)
    Release.objects.create(number=3)  # pending
    Release.objects.create(number=4, state=ReleaseState.FAILED, error="boom")

    body = api.get("/api/v1/releases/").json()

    assert [item["number"] for item in body] == [second.number, first.number]
    assert body[0]["changelog"] == {
        "previous": 1,
        "added": 1,
        "changed": 0,
        "removed": 0,
    }
    assert body[1]["changelog"]["added"] == 4


def test_detail_describes_files_counts_and_citation(api, editor, varied):
    release = built(editor)

    body = api.get("/api/v1/releases/1/").json()

    assert body["number"] == 1
    assert (body["title"], body["notes"]) == ("Spring", "Our first.")
    assert body["event_count"] == 4
    assert body["counts"]["total"] == 4
    assert body["url"] == "http://testserver/api/v1/releases/1/"
    assert body["web_url"] == "http://testserver/releases/1/"
    files = {f["format"]: f for f in body["files"]}
    assert set(files) == {"csv", "jsonl", "tsv", "json"}
    assert files["csv"] == {
        "format": "csv",
        "name": "tracker-events-r1.csv",
        "url": "http://testserver/releases/1/tracker-events-r1.csv",
        "media_type": "text/csv; charset=utf-8",
        "sha256": release.csv_sha256,
        "bytes": release.csv_bytes,
    }
    year = release.as_of.year
    assert body["citation"]["text"].startswith(f"Censorship Tracker ({year}). ")
    assert f"release 1 ({release.as_of.date().isoformat()})" in body["citation"]["text"]
    assert release.csv_sha256[:12] in body["citation"]["text"]
    assert body["citation"]["bibtex"].startswith("@misc{censorshiptracker_r1,")


def test_downloads_listed_by_the_api_verify_against_their_checksums(
    api, client, editor, varied
):
    built(editor)

    for file in api.get("/api/v1/releases/1/").json()["files"]:
        response = client.get(file["url"])
        data = b"".join(response.streaming_content)
        assert response.status_code == 200
        assert response["Content-Type"] == file["media_type"]
        assert hashlib.sha256(data).hexdigest() == file["sha256"]
        assert len(data) == file["bytes"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/releases/2/", "/api/v1/releases/3/", "/api/v1/releases/x/"]
    + ["/api/v1/releases/99999999999999999999/", "/api/v1/releases/-1/"]
    + ["/api/v1/releases/0_1/", "/api/v1/releases/%D9%A1/"],
)
def test_unknown_pending_or_failed_release_is_a_404(api, editor, path):
    built(editor)
    Release.objects.create(number=2)
    Release.objects.create(number=3, state=ReleaseState.FAILED, error="boom")

    response = api.get(path)

    assert api.get("/api/v1/releases/1/").status_code == 200
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_list_is_empty_before_any_release(api):
    assert api.get("/api/v1/releases/").json() == []


def test_unknown_parameter_is_a_400_naming_it(api):
    response = api.get("/api/v1/releases/?page=2")

    assert response.status_code == 400
    assert "page" in response.json()


def test_list_revalidates_with_its_etag(api, editor, varied):
    built(editor)
    first = api.get("/api/v1/releases/")

    again = api.get("/api/v1/releases/", HTTP_IF_NONE_MATCH=first["ETag"])
    built(editor)
    changed = api.get("/api/v1/releases/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert changed.status_code == 200


def test_list_query_budget_does_not_grow_with_releases(
    api, editor, varied, django_assert_max_num_queries
):
    for _ in range(4):
        built(editor)

    with django_assert_max_num_queries(3):
        assert len(api.get("/api/v1/releases/").json()) == 4


def test_release_has_exactly_the_documented_fields(api, editor, varied):
    built(editor)

    item = api.get("/api/v1/releases/1/").json()

    fields = ReleaseSerializer().fields
    assert list(item) == list(fields)
    for name in ("counts", "changelog", "citation"):
        assert list(item[name]) == list(fields[name].fields)
    assert list(item["files"][0]) == list(fields["files"].child.fields)
    assert list(item["counts"]["country"][0]) == ["key", "count"]


@pytest.fixture
def wsgi_app():
    """The WSGI application, sharing the test's transaction (as Django's test
    client does)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.parametrize(
    ("path", "parameters"),
    [("/api/v1/releases/", {}), ("/api/v1/releases/{number}/", {"number": 1})],
)
def test_built_releases_conform_to_the_openapi_schema(
    editor, varied, wsgi_app, path, parameters
):
    built(editor)
    built(editor)
    schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(public=True))
    case = schema[path]["GET"].Case(path_parameters=parameters)

    response = case.call(app=wsgi_app)

    assert response.status_code == 200
    case.validate_response(
        response,
        checks=[
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
