"""Every admin URL that takes an id answers 404 to one that cannot be an id,
never a 500 or a redirect to the index. The URLs are read from the admin
site's own registry and patterns, so a new admin or view is covered here."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MALFORMED_IDS = ["abc", "1.5", "1" * 30, "\x00"]
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
REGEX_GROUP = re.compile(r"\((?:\?P<\w+>)?[^()]*\)")


def _fill(pattern: URLPattern, bad_id: str) -> str | None:
    """The pattern's path with every id parameter set to `bad_id` (other
    parameters to a plain word); None for a pattern without an id."""
    text = str(pattern.pattern)
    if "<" in text and ">" in text and not text.startswith("^"):
        names = CONVERTER.findall(text)
        if not any(name.endswith("id") for name in names):
            return None
        return CONVERTER.sub(
            lambda m: quote(bad_id) if m.group(1).endswith("id") else "word", text
        )
    if REGEX_GROUP.search(text) and "app_label" not in text:
        filled = REGEX_GROUP.sub(lambda m: quote(bad_id), text)
        return filled.removeprefix("^").removesuffix("$")
    return None


def _id_urls(bad_id: str) -> list[str]:
    """Every admin URL with an id, for each registered model and the site."""
    urls = []
    for model, model_admin in admin.site._registry.items():
        prefix = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        )
        for pattern in model_admin.urls:
            filled = _fill(pattern, bad_id) if isinstance(pattern, URLPattern) else None
            if filled is not None:
                urls.append(prefix + filled)
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLResolver):
            continue
        filled = _fill(pattern, bad_id)
        if filled is not None:
            urls.append(reverse("admin:index") + filled)
    return urls


def test_the_url_list_covers_change_history_delete_and_custom_views():
    urls = _id_urls("abc")

    for expected in (
        "/admin/events/event/abc/change/",
        "/admin/events/event/abc/delete/",
        "/admin/events/platform/abc/history/",
        "/admin/events/event/abc/history/abc/",
        "/admin/events/event/abc/split/",
        "/admin/events/event/abc/transition/word/",
        "/admin/events/event/abc/notice/",
        "/admin/auth/user/abc/password/",
    ):
        assert expected in urls


@pytest.mark.parametrize(
    "bad_id", MALFORMED_IDS, ids=["word", "decimal", "huge", "nul"]
)
def test_every_admin_url_answers_404_to_a_malformed_id(client, bad_id):
    client.raise_request_exception = False  # a 500 is an answer to report here
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    answers = {
        url: client.get(url, follow=True).status_code for url in _id_urls(bad_id)
    }

    assert {url: status for url, status in answers.items() if status != 404} == {}


def test_a_well_formed_id_of_a_missing_row_still_answers_as_before(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get("/admin/events/event/999999/change/")

    assert response.status_code == 302
    assert response.url == reverse("admin:index")


@pytest.mark.parametrize(
    "bad_id", MALFORMED_IDS, ids=["word", "decimal", "huge", "nul"]
)
def test_a_history_version_page_answers_404_to_a_malformed_version_id(
    client, published, bad_id
):
    client.raise_request_exception = False
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:events_event_history", args=[published.pk])

    response = client.get(f"{url}{quote(bad_id)}/")

    assert response.status_code == 404
