"""The record: platforms, authorities, blocking events and their sources."""

from __future__ import annotations

import datetime
import re
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from events.choices import (
    Action,
    AuthorityKind,
    DatePrecision,
    NoticeMatch,
    Status,
    TargetType,
)
from events.dates import format_partial_date, period_end, precision_error

language_tag_validator = RegexValidator(
    r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    _("Use a BCP 47 language tag such as 'zh', 'ru', 'fa' or 'zh-Hans'."),
)


# django-simple-history's change-reason column (every history table).
HISTORY_REASON_LENGTH = 100


def history_reason(text: str) -> str:
    """`text` shortened to fit the history's change-reason column; the whole
    text stays where the caller keeps it (a StatusChange note, a merge)."""
    return Truncator(text).chars(HISTORY_REASON_LENGTH)


def event_version(updated_at: datetime.datetime | None) -> str:
    """An event's version: every write moves `updated_at`, so a transition
    or an edit made on an older version can be refused (StaleVersion)."""
    return f"{updated_at:%Y%m%d%H%M%S%f}" if updated_at else ""


def normalise_alias(text: str) -> str:
    """Case- and space-insensitive form of a name, used to match aliases."""
    return re.sub(r"\s+", " ", text).strip().casefold()


class Platform(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    homepage = models.URLField(blank=True)
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Other names and spellings, in any script (微信, Weixin…)."),
    )
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def match_keys(self) -> set[str]:
        return {normalise_alias(n) for n in [self.name, self.slug, *self.aliases]}


class Authority(models.Model):
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=150, unique=True)
    country = CountryField(blank=True)
    kind = models.CharField(
        max_length=20, choices=AuthorityKind.choices, default=AuthorityKind.OTHER
    )
    aliases = models.JSONField(default=list, blank=True)
    homepage = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"], name="authority_name_country_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})" if self.country else self.name

    def match_keys(self) -> set[str]:
        return {normalise_alias(n) for n in [self.name, self.slug, *self.aliases]}


class EventQuerySet(models.QuerySet):
    def published(self) -> EventQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def awaiting_review(self) -> EventQuerySet:
        return self.filter(status__in=[Status.DRAFT, Status.IN_REVIEW])

    def with_related(self) -> EventQuerySet:
        return self.select_related("platform", "authority").prefetch_related("sources")


# The fields curators write (admin form, API, importer); status and the
# timestamps change only through the workflow services.
EDITABLE_EVENT_FIELDS = (
    "platform",
    "target",
    "target_type",
    "target_url",
    "authority",
    "country",
    "action",
    "date",
    "date_precision",
    "ended_on",
    "ended_on_precision",
    "notice_text",
    "notice_language",
    "summary",
)


# What a draft may lack (an incomplete draft made from a feed item) but an
# event in review or published may not; INCOMPLETE finds the drafts lacking it.
REQUIRED_TO_REVIEW = ("country",)
INCOMPLETE = Q(country="")


class Event(models.Model):
    public_id = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Stable identifier; survives export and import."),
    )
    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="events"
    )
    target = models.CharField(max_length=500)
    target_ref = models.ForeignKey(
        "events.Target",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        editable=False,
        help_text=_("The target this event belongs to, grouped by its lifecycle."),
    )
    target_type = models.CharField(max_length=20, choices=TargetType.choices)
    target_url = models.URLField(max_length=2000, blank=True)
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Leave empty when the ordering authority is unknown."),
    )
    # Empty only on an incomplete draft (a feed item whose country was not
    # found): it cannot be submitted or published until a curator sets it.
    country = CountryField(blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    date = models.DateField(
        help_text=_("First day of the period when the precision is month or year.")
    )
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    ended_on = models.DateField(
        null=True, blank=True, help_text=_("Empty while the event is ongoing.")
    )
    ended_on_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    notice_text = models.TextField(
        blank=True, help_text=_("Verbatim text users saw, exactly as given.")
    )
    notice_language = models.CharField(
        max_length=35, blank=True, validators=[language_tag_validator]
    )
    summary = models.TextField(blank=True)
    notice = models.ForeignKey(
        "events.Notice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("The registry notice this event's notice text is a wording of."),
    )
    notice_match = models.CharField(
        max_length=10, choices=NoticeMatch.choices, blank=True, default=""
    )
    notice_match_score = models.FloatField(
        null=True, blank=True, help_text=_("Similarity of the automatic match, 0-100.")
    )
    extraction = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text=_(
            "Fields filled by automatic extraction, each with its confidence (0-1)."
        ),
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="absorbed",
        help_text=_("Set when this event was merged into another; its id redirects."),
    )
    # Derived from the target (events.services.masking, events.services.targets):
    # its pseudonym when it is masked, "" otherwise. Every public read shows
    # the event through events.masking when it is set.
    masked_as = models.CharField(max_length=100, blank=True, default="", editable=False)

    # updated_at is kept in the history so that `?as_of=` reproduces a record
    # (and an export) exactly as it was served.
    history = HistoricalRecords()
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        permissions = [
            ("submit_event", "Can submit events for review"),
            ("publish_event", "Can publish events"),
            ("reject_event", "Can reject events"),
            ("unpublish_event", "Can unpublish events"),
            ("redact_event", "Can redact events (takedowns)"),
        ]
        indexes = [
            # The review queue: status filter, newest first.
            models.Index(fields=["status", "-created_at"], name="event_status_created"),
            # Public timeline and API default order over published events.
            models.Index(fields=["status", "-date", "-id"], name="event_status_date"),
            # The Atom feeds: published events, newest publication first.
            models.Index(
                fields=["status", "-published_at", "-id"], name="event_status_published"
            ),
            # API incremental sync (updated_after, ordering=updated_at) and the
            # newest change behind the API's ETag / Last-Modified.
            models.Index(fields=["updated_at", "id"], name="event_updated"),
            # An event page's related events: the same target, newest first.
            models.Index(
                fields=["target", "-date", "-id"],
                condition=Q(status="published"),
                name="event_published_target",
            ),
            # Search (q) on masked events matches their pseudonym only: a small
            # index of the masked ones (events/selectors/search.py).
            models.Index(
                fields=["masked_as"],
                condition=~Q(masked_as=""),
                name="event_masked_as",
            ),
            # Text search (q) has trigram GIN indexes on PostgreSQL only, made
            # by migration 0008 (see events/selectors/search.py).
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_precision=DatePrecision.DAY)
                | Q(date_precision=DatePrecision.MONTH, date__day=1)
                | Q(date_precision=DatePrecision.YEAR, date__day=1, date__month=1),
                name="event_date_matches_precision",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(ended_on_precision=DatePrecision.DAY)
                | Q(ended_on_precision=DatePrecision.MONTH, ended_on__day=1)
                | Q(
                    ended_on_precision=DatePrecision.YEAR,
                    ended_on__day=1,
                    ended_on__month=1,
                ),
                name="event_ended_on_matches_precision",
            ),
            # Coarse end dates (a month, a year) may start before a precise
            # start date inside them; clean() checks the period end for those.
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("date"))
                | ~Q(ended_on_precision=DatePrecision.DAY),
                name="event_ended_not_before_start",
            ),
            models.CheckConstraint(
                condition=~Q(target=""), name="event_target_not_empty"
            ),
            models.CheckConstraint(
                condition=~Q(country="")
                | ~Q(status__in=[Status.IN_REVIEW, Status.PUBLISHED]),
                name="event_reviewed_has_country",
            ),
        ]

    def __str__(self) -> str:
        action = self.get_action_display()
        return f"{self.platform} {action} {self.target} ({self.date_display})"

    def get_absolute_url(self) -> str:
        return reverse("admin:events_event_change", args=[self.pk])

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.date_precision)

    @property
    def ended_on_display(self) -> str:
        if self.ended_on is None:
            return ""
        return format_partial_date(self.ended_on, self.ended_on_precision)

    @property
    def version(self) -> str:
        """The event's version as a person saw it (see event_version)."""
        return event_version(self.updated_at)

    @property
    def is_ongoing(self) -> bool:
        return self.ended_on is None

    @property
    def missing_fields(self) -> list[str]:
        """The fields an incomplete draft still lacks (see INCOMPLETE); an
        event lacking any is never submitted or published."""
        return [name for name in REQUIRED_TO_REVIEW if not getattr(self, name)]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not (self.target or "").strip():
            errors["target"] = "The target cannot be empty."
        if self.status in (Status.IN_REVIEW, Status.PUBLISHED) and not self.country:
            errors["country"] = (
                f"An event that is {self.get_status_display()} needs a country."
            )
        if self.date and (problem := precision_error(self.date, self.date_precision)):
            errors["date"] = f"Invalid date: {problem}."
        if self.ended_on:
            problem = precision_error(self.ended_on, self.ended_on_precision)
            if problem:
                errors["ended_on"] = f"Invalid end date: {problem}."
            elif (
                self.date
                and period_end(self.ended_on, self.ended_on_precision) < self.date
            ):
                errors["ended_on"] = "The end date is before the start date."
        if errors:
            raise ValidationError(errors)


class Source(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    archive_url = models.URLField(max_length=2000, blank=True)

    history = HistoricalRecords()

    class Meta:
        # Insertion order: the order curators and files gave them in.
        ordering = ["id"]
        indexes = [
            # Ingestion's dedup: is this story's link already a source?
            models.Index(fields=["url"], name="source_url"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "url"], name="source_event_url_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.url
