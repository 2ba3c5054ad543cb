"""The notice registry: match events' notice text to known notices."""

from __future__ import annotations

from collections.abc import Collection


def events_match_notices(*, event_ids: Collection[int]) -> None:
    """Match each event's notice text to a registry notice."""
    # Filled in by the notice-registry work (issue #7).
    return None
