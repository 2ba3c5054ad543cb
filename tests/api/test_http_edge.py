"""The API's answers at the HTTP edge: unknown paths, oversized bodies."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/api/", "/api", "/api/v2/", "/api/v1/nosuch/", "/api/v1/events/x/y/"]
)
def test_an_unknown_api_path_is_a_json_404(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_body_over_the_limit_is_a_json_413_naming_the_limit(curator_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"summary": "x" * 2000})

    response = curator_api.generic(
        "POST", "/api/v1/events/", body, content_type="application/json"
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "1000 bytes" in response.json()["detail"]


def test_a_missing_trailing_slash_still_redirects(api):
    response = api.get("/api/v1/events")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/events/"


def test_an_unknown_page_outside_the_api_keeps_the_html_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_patch_over_the_limit_is_a_json_413(curator_api, draft, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"summary": "x" * 2000})

    response = curator_api.generic(
        "PATCH",
        f"/api/v1/events/{draft.public_id}/",
        body,
        content_type="application/json",
    )

    assert response.status_code == 413
    assert "at most 1000 bytes" in response.json()["detail"]


def test_a_body_within_the_limit_is_not_refused_for_its_size(curator_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = curator_api.generic(
        "POST", "/api/v1/events/", json.dumps({}), content_type="application/json"
    )

    assert response.status_code == 400
