"""The record's trail: status changes of events, and components' heartbeats."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from events.choices import Status
from events.models.record import Event


class StatusChange(models.Model):
    """One transition of an event's status: who, when, from, to and why."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # The latest unpublication, part of the API's Last-Modified: an
            # event leaving the public record changes what lists show.
            models.Index(
                fields=["at"],
                name="statuschange_unpublished_at",
                condition=Q(from_status="published"),
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.from_status or '∅'} → {self.to_status} by {self.user or 'system'}"
        )


class Heartbeat(models.Model):
    """Last time a background component proved it was alive (worker, beat)."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
