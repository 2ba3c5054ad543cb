"""Helpers of the change feed, as-of and mirror tests: writes through the API
as a client would make them, and readers of whole lists and of the feed."""

from __future__ import annotations

from typing import Any

DRAFT = {
    "platform": "telegram",
    "target": "@example_channel",
    "target_type": "channel",
    "country": "RU",
    "action": "blocked",
    "date": "2018-04",
    "notice_text": "Доступ ограничен по требованию Роскомнадзора.",
    "sources": [{"url": "https://news.example.org/telegram", "title": "Blocked"}],
}


def api_create(client: Any, **changes: Any) -> str:
    """A new draft through the API; its public id."""
    response = client.post("/api/v1/events/", {**DRAFT, **changes}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def api_transition(client: Any, public_id: str, name: str, reason: str = "") -> None:
    """A transition made as a client that read the event first (If-Match)."""
    body: dict[str, Any] = {"reason": reason} if reason else {}
    if name == "publish":
        # These tests publish near-copies of one draft on purpose.
        body["confirm_duplicate"] = True
    read = client.get(f"/api/v1/events/{public_id}/")
    url = f"/api/v1/events/{public_id}/{name}/"
    response = client.post(url, body, format="json", HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 200, response.content


def api_publish_new(client: Any, **changes: Any) -> str:
    """A draft created and published through the API (an editor's token)."""
    public_id = api_create(client, **changes)
    api_transition(client, public_id, "publish")
    return public_id


def api_patch(client: Any, public_id: str, **changes: Any) -> dict:
    url = f"/api/v1/events/{public_id}/"
    response = client.patch(url, changes, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def feed_pages(client: Any, since: int = 0, limit: int = 1000) -> tuple[list, int]:
    """Every change after `since`, page by page; and the cursor to go on from."""
    changes: list[dict] = []
    while True:
        response = client.get("/api/v1/changes/", {"since": since, "limit": limit})
        assert response.status_code == 200, response.content
        page = response.json()
        changes += page["results"]
        since = page["next_cursor"]
        if not page["has_more"]:
            return changes, since


def kinds(client: Any, since: int = 0) -> list[tuple[str, str]]:
    """(kind, event id) of every change after `since`."""
    return [(c["kind"], c["event_id"]) for c in feed_pages(client, since)[0]]


def whole_list(client: Any, **params: Any) -> list[dict]:
    """Every event of the JSON list, following its next links."""
    url: str | None = "/api/v1/events/"
    query: dict | None = {"page_size": 500, **params}
    events: list[dict] = []
    while url:
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        page = response.json()
        events += page["results"]
        url, query = page["next"], None
    return events
