"""Token authentication: `Authorization: Token <key>` or `Bearer <key>`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from events.selectors.tokens import api_token_for_key
from events.services.tokens import api_token_touch

SCHEMES = (b"token", b"bearer")
MAX_KEY_LENGTH = 200


class ApiTokenAuthentication(BaseAuthentication):
    """A request without the header is anonymous; one with a bad, revoked or
    expired key, or the key of an inactive user, is a 401."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in SCHEMES:
            return None
        if len(parts) != 2 or len(parts[1]) > MAX_KEY_LENGTH:
            raise AuthenticationFailed("Give the header as: Token <key>.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("Invalid token.") from None
        now = timezone.now()
        token = api_token_for_key(key, now=now)
        if token is None or not token.user.is_active:
            raise AuthenticationFailed("Invalid, revoked or expired token.")
        api_token_touch(token=token, now=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Token realm="api"'
