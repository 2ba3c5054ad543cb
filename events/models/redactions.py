"""Takedowns: events an editor took out of every public read, for good."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.choices import RedactionGround


class Redaction(models.Model):
    """An editor's decision that an event must never be served again, in any
    form: not as it is, not as it was (`?as_of=`), not in a future release.

    Keyed by the event's public id, not a foreign key: an event can be
    redacted after it was deleted (its history still holds it), and the
    redaction outlives the row. Rows are never changed or deleted; they are
    the audit trail (who, when, on what ground, why)."""

    event_public_id = models.UUIDField(unique=True)
    ground = models.CharField(max_length=20, choices=RedactionGround.choices)
    reason = models.TextField(
        help_text=_("Why, for the audit trail (never shown to the public).")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_public_id} redacted ({self.get_ground_display()})"
