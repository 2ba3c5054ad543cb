"""The public record's change log, appended in commit order."""

from __future__ import annotations

from collections.abc import Collection


def changes_sync(*, event_ids: Collection[int]) -> None:
    """Append an EventChange for each event whose public state changed."""
    # Filled in by the change-feed work (issue #7).
    return None
