"""Citable dataset releases: numbered, frozen exports with checksums."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.choices import ReleaseState

FILE_PREFIX = "tracker-events-r"
# The files of a release by kind: the data twice, the per-event checksums and
# the ids added, changed and removed since the previous release.
FILE_SUFFIXES = {
    "csv": "csv",
    "jsonl": "jsonl",
    "manifest": "manifest.tsv",
    "changelog": "changelog.json",
}


class Release(models.Model):
    """A numbered, frozen snapshot of the published record with checksums."""

    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    state = models.CharField(
        max_length=10, choices=ReleaseState.choices, default=ReleaseState.PENDING
    )
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    as_of = models.DateTimeField(
        null=True, blank=True, help_text=_("The moment of the record it freezes.")
    )
    change_cursor = models.BigIntegerField(
        null=True, blank=True, help_text=_("Last change-feed id included.")
    )
    event_count = models.PositiveIntegerField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    changelog = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Events added, changed and removed since the previous release."),
    )
    csv_file = models.CharField(max_length=300, blank=True)
    csv_sha256 = models.CharField(max_length=64, blank=True)
    csv_bytes = models.BigIntegerField(null=True, blank=True)
    jsonl_file = models.CharField(max_length=300, blank=True)
    jsonl_sha256 = models.CharField(max_length=64, blank=True)
    jsonl_bytes = models.BigIntegerField(null=True, blank=True)
    manifest_sha256 = models.CharField(max_length=64, blank=True)
    manifest_bytes = models.BigIntegerField(null=True, blank=True)
    changelog_sha256 = models.CharField(max_length=64, blank=True)
    changelog_bytes = models.BigIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawn_reason = models.TextField(
        blank=True,
        editable=False,
        help_text=_("Shown on the release list: why its files are gone."),
    )

    class Meta:
        ordering = ["-number"]
        permissions = [
            ("cut_release", "Can cut dataset releases"),
            ("withdraw_release", "Can withdraw dataset releases"),
        ]

    def __str__(self) -> str:
        return f"Release {self.number}"

    def file_name(self, kind: str) -> str:
        """The name of one of its files (a key of FILE_SUFFIXES)."""
        return f"{FILE_PREFIX}{self.number}.{FILE_SUFFIXES[kind]}"
