"""API tokens: stored hashed, shown once, refused once revoked or expired."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import ApiToken
from events.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def client_with(header: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


def test_key_is_stored_only_as_its_sha256(curator):
    token, key = api_token_create(user=curator, name="laptop")
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.key_hash, token.prefix}
    assert key.startswith(token.prefix)


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "token"])
def test_token_and_bearer_schemes(curator, draft, scheme):
    _, key = api_token_create(user=curator, name="t")
    response = client_with(f"{scheme} {key}").get(f"/api/v1/events/{draft.public_id}/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "header", ["Token nope", "Token", "Token a b", "Bearer " + "x" * 500, "Token é"]
)
def test_bad_keys_are_401(db, header):
    response = client_with(header).get("/api/v1/events/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token realm="api"'


def test_revoked_token_is_401(curator):
    token, key = api_token_create(user=curator, name="t")
    api_token_revoke(token=token)
    assert client_with(f"Token {key}").get("/api/v1/events/").status_code == 401


def test_expired_token_is_401(curator):
    past = timezone.now() - dt.timedelta(seconds=1)
    _, key = api_token_create(user=curator, name="t", expires_at=past)
    assert client_with(f"Token {key}").get("/api/v1/events/").status_code == 401


def test_inactive_user_is_401(curator):
    _, key = api_token_create(user=curator, name="t")
    curator.is_active = False
    curator.save()
    assert client_with(f"Token {key}").get("/api/v1/events/").status_code == 401


def test_use_is_recorded_at_most_once_a_minute(curator, django_assert_num_queries):
    token, key = api_token_create(user=curator, name="t")
    client = client_with(f"Token {key}")
    client.get("/api/v1/platforms/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/platforms/")
    token.refresh_from_db()
    assert token.last_used_at == first


def test_other_authorization_schemes_are_anonymous(published):
    response = client_with("Basic dXNlcjpwYXNz").get("/api/v1/events/")
    assert response.status_code == 200


def test_command_prints_the_key_once(curator):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_token",
        "curator",
        "--name",
        "dashboard",
        "--expires-days",
        "30",
        stdout=out,
        stderr=err,
    )
    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.name == "dashboard"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.expires_at > timezone.now() + dt.timedelta(days=29)
    assert "not shown again" in err.getvalue()


def test_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody")


def test_admin_revokes_tokens(client, curator):
    from django.contrib.auth import get_user_model

    token, key = api_token_create(user=curator, name="t")
    admin = get_user_model().objects.create_superuser(
        "root", "r@example.org", "pw-pw-pw-pw-1"
    )
    client.force_login(admin)
    response = client.post(
        "/admin/events/apitoken/",
        {"action": "revoke_selected", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client_with(f"Token {key}").get("/api/v1/events/").status_code == 401
