"""Rate limits per client: by IP address without a token, by user with one.

The rates are read from settings at each request (API_ANON_RATE, API_USER_RATE),
so tests and deployments can change them; counts live in the default cache.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    def get_rate(self) -> str:
        return settings.API_ANON_RATE


class TokenThrottle(UserRateThrottle):
    def get_rate(self) -> str:
        return settings.API_USER_RATE

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None  # AnonymousThrottle's business
        return super().get_cache_key(request, view)
