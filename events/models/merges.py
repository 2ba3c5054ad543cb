"""Merges of duplicate events, kept so that a wrong merge can be split."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventMerge(models.Model):
    """`absorbed` was merged into `survivor`; kept so the merge can be split."""

    survivor = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, related_name="merges_in"
    )
    absorbed = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, related_name="merges_out"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    absorbed_status = models.CharField(
        max_length=10, help_text=_("The absorbed event's status before the merge.")
    )
    moved_source_ids = models.JSONField(default=list, blank=True)
    # A split gives the notice back only if the survivor took it in the merge.
    notice_taken = models.BooleanField(
        default=False,
        help_text=_("The survivor had no notice and took the absorbed event's."),
    )
    split_at = models.DateTimeField(null=True, blank=True)
    split_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            # An event is absorbed at most once at a time.
            models.UniqueConstraint(
                fields=["absorbed"],
                condition=models.Q(split_at__isnull=True),
                name="eventmerge_absorbed_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.absorbed_id} → {self.survivor_id}"
