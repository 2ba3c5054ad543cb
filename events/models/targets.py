"""Targets: the account, site or app that events are about, across its lifecycle."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from events.choices import TargetType
from events.models.record import Platform


class Target(models.Model):
    """One blocked thing on one platform; its events form its lifecycle.

    `key` is the normalised name (or URL) that events are grouped by, so that
    "OKEx", "okex " and "OKEx" with another case land on the same target.
    """

    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="targets"
    )
    target_type = models.CharField(max_length=20, choices=TargetType.choices)
    key = models.CharField(max_length=500, editable=False)
    name = models.CharField(max_length=500)
    url = models.URLField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "target_type", "key"], name="target_natural_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.platform}"

    def get_absolute_url(self) -> str:
        return reverse("public:target", args=[self.pk])
