"""Targets: group events about the same account, site or app (lifecycles)."""

from __future__ import annotations

from collections.abc import Collection


def events_assign_targets(*, event_ids: Collection[int]) -> None:
    """Link each event to its Target, creating targets as needed."""
    # Filled in by the target-lifecycle work (issue #7).
    return None
