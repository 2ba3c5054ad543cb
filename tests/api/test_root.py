"""GET /api/v1/: the API's front door."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_root_lists_every_resource_with_a_working_url(api):
    response = api.get("/api/v1/")

    body = response.json()
    assert response.status_code == 200
    assert body["version"] == "v1"
    for name, url in body["resources"].items():
        path = url.removeprefix("http://testserver")
        assert api.get(path).status_code == 200, name
    assert {"events", "changes", "schema", "docs", "releases"} <= set(body["resources"])


def test_the_root_refuses_unknown_parameters(api):
    response = api.get("/api/v1/?nosuch=1")

    assert response.status_code == 400
    assert "nosuch" in response.json()
