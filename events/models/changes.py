"""The public record's change log, the cursor of the change feed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from events.choices import ChangeKind


class EventChange(models.Model):
    """One change of the public record, in commit order; `id` is the cursor of
    `/api/v1/changes/`. Rows are appended, never updated."""

    id = models.BigAutoField(primary_key=True)
    event_public_id = models.UUIDField()
    kind = models.CharField(max_length=12, choices=ChangeKind.choices)
    merged_into = models.UUIDField(
        null=True, blank=True, help_text=_("The survivor, for 'merged' changes.")
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # An event's own changes (event page, as-of checks).
            models.Index(fields=["event_public_id", "id"], name="eventchange_event"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.kind} {self.event_public_id}"
