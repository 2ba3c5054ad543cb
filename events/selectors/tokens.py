"""Reads of API tokens."""

from __future__ import annotations

import datetime as dt

from events.models import ApiToken
from events.models.tokens import key_digest


def api_token_for_key(key: str, *, now: dt.datetime) -> ApiToken | None:
    """The usable token with this key, with its user; None for an unknown,
    revoked or expired key."""
    return (
        ApiToken.objects.usable(now)
        .select_related("user")
        .filter(key_hash=key_digest(key))
        .first()
    )
