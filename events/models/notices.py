"""The notice registry: messages platforms and blockpages show, and their variants."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from events.choices import NoticeKind, NoticePatternType
from events.models.record import Platform, language_tag_validator


class Notice(models.Model):
    """One message, in all its wordings and languages.

    `canonical_text` is the wording curators chose to show; `fingerprint` is its
    normalised form used for matching. Seeded notices from the OONI / Citizen
    Lab fingerprint lists keep the list's `pattern`, `pattern_type`, `location`
    and name (`origin`), so a match can be traced back to the list.
    """

    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    title = models.CharField(max_length=300)
    platform = models.ForeignKey(
        Platform,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        help_text=_("The platform that shows it; empty for national blockpages."),
    )
    countries = models.JSONField(
        default=list,
        blank=True,
        help_text=_("ISO 3166 alpha-2 codes where it is known to be shown."),
    )
    canonical_text = models.TextField()
    language = models.CharField(
        max_length=35, blank=True, validators=[language_tag_validator]
    )
    fingerprint = models.TextField(
        editable=False, help_text=_("Normalised canonical text used for matching.")
    )
    origin = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "Where it was seeded from, e.g. 'ooni:cl.nat_sa'; empty if curated."
        ),
    )
    pattern = models.TextField(blank=True)
    pattern_type = models.CharField(
        max_length=10, choices=NoticePatternType.choices, blank=True
    )
    location = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("Where the pattern is found: body, header.server, dns…"),
    )
    first_seen = models.DateField(null=True, blank=True, editable=False)
    last_seen = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            # Seeding is idempotent: one notice per fingerprint-list entry.
            models.UniqueConstraint(
                fields=["origin"],
                condition=~models.Q(origin=""),
                name="notice_origin_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public:notice", args=[self.pk])


class NoticeVariant(models.Model):
    """A wording of a notice: a translation or a small change of text."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="variants"
    )
    text = models.TextField()
    language = models.CharField(
        max_length=35, blank=True, validators=[language_tag_validator]
    )
    fingerprint = models.TextField(editable=False)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="notice_wordings",
        help_text=_(
            "The event whose confirmed notice text this wording is; it is public "
            "only while that event is published. Empty for curated wordings."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["language", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "fingerprint"], name="noticevariant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice} [{self.language or '?'}]"
