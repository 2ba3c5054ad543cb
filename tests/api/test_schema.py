"""The OpenAPI schema, its documentation page, and the shape they promise."""

from __future__ import annotations

import re

import pytest
import yaml

from events.api.serializers import EventSerializer
from tests.api.conftest import publish

pytestmark = pytest.mark.django_db
FILTERS = {
    "platform",
    "country",
    "authority",
    "action",
    "target_type",
    "status",
    "date_after",
    "date_before",
    "ongoing",
    "has_notice",
    "q",
    "updated_after",
}


@pytest.fixture
def schema(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_every_filter_is_described(schema):
    parameters = schema["paths"]["/api/v1/events/"]["get"]["parameters"]
    described = {p["name"]: p for p in parameters}
    assert FILTERS | {"ordering", "cursor", "page_size", "format"} <= set(described)
    for name in FILTERS:
        assert described[name].get("description"), name
    assert described["ordering"]["schema"]["enum"] == ["-date", "date", "updated_at"]
    assert "blocked" in described["action"]["schema"]["items"]["enum"]


def test_stats_group_by_is_an_enum(schema):
    parameters = schema["paths"]["/api/v1/stats/"]["get"]["parameters"]
    group_by = next(p for p in parameters if p["name"] == "group_by")
    assert group_by["required"] is True
    assert set(group_by["schema"]["enum"]) == {
        "year",
        "month",
        "platform",
        "country",
        "authority",
        "action",
    }


def test_representation_has_exactly_the_documented_fields(api):
    event = publish()
    item = api.get(f"/api/v1/events/{event.public_id}/").json()
    assert list(item) == list(EventSerializer().fields)
    assert list(item["sources"][0]) == list(
        EventSerializer().fields["sources"].child.fields
    )


def test_docs_page_has_no_inline_script(api):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    assert all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    init = re.search(r'src="([^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    script = api.get(init)
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()


def test_docs_assets_are_self_hosted(api):
    html = api.get("/api/v1/docs/").content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html
