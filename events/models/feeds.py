"""Feeds curators register, the items fetched from them, and the fetch log."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from events.choices import FeedFormat, FetchOutcome, ItemOutcome

# A feed failing this many times in a row shows as unhealthy; so does one
# whose last fetch failed for good (refused, not found, a web page), and one
# whose completed fetches found no items this many times in a row.
UNHEALTHY_AFTER_FAILURES = 3
UNHEALTHY_AFTER_EMPTY = 3
UNHEALTHY = (
    Q(consecutive_failures__gte=UNHEALTHY_AFTER_FAILURES)
    | Q(last_status=FetchOutcome.FAILED)
    | Q(consecutive_empty__gte=UNHEALTHY_AFTER_EMPTY)
)


class FeedQuerySet(models.QuerySet):
    def unhealthy(self) -> FeedQuerySet:
        return self.filter(UNHEALTHY)

    def healthy(self) -> FeedQuerySet:
        return self.exclude(UNHEALTHY)

    def with_item_counts(self) -> FeedQuerySet:
        """Each feed with how many of its items became drafts (`n_drafts`),
        incomplete drafts still lacking a field (`n_incomplete`), sources of
        known events (`n_attached`) and non-events (`n_not_event`): one
        query, the items and their events joined once."""
        drafted = Q(items__outcome=ItemOutcome.DRAFT_CREATED)
        return self.annotate(
            n_drafts=models.Count("items", filter=drafted),
            n_incomplete=models.Count(
                "items", filter=drafted & Q(items__event__country="")
            ),
            n_attached=models.Count(
                "items", filter=Q(items__outcome=ItemOutcome.ATTACHED)
            ),
            n_not_event=models.Count(
                "items", filter=Q(items__outcome=ItemOutcome.NOT_EVENT)
            ),
        )


class Feed(models.Model):
    name = models.CharField(max_length=200)
    url = models.URLField(max_length=2000, unique=True)
    format = models.CharField(
        max_length=20, choices=FeedFormat.choices, default=FeedFormat.AUTO
    )
    active = models.BooleanField(default=True)
    fetch_interval = models.PositiveIntegerField(
        default=60, help_text=_("Minutes between fetches.")
    )
    default_platform = models.ForeignKey(
        "events.Platform",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Used when an item names no platform."),
    )
    default_country = CountryField(
        blank=True, help_text=_("Used when an item names no country.")
    )
    # Fetch state, written by the fetch task.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_status = models.CharField(
        max_length=20, choices=FetchOutcome.choices, blank=True, editable=False
    )
    last_error = models.TextField(blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    # Completed fetches in a row whose document held no items (a 304 or a
    # failure leaves it as it is).
    consecutive_empty = models.PositiveIntegerField(default=0, editable=False)
    next_due_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Empty means due now."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # The beat dispatcher: active feeds whose next_due_at has passed.
            models.Index(fields=["active", "next_due_at"], name="feed_due"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def healthy(self) -> bool:
        """False exactly for the feeds UNHEALTHY finds."""
        return not self.health_problem

    @property
    def health_problem(self) -> str:
        """Why the feed is unhealthy, in words a curator can act on; ""."""
        if self.last_status == FetchOutcome.FAILED:
            return (
                f"the last fetch failed and retrying will not help: {self.last_error}"
            )
        if self.consecutive_failures >= UNHEALTHY_AFTER_FAILURES:
            return (
                f"{self.consecutive_failures} fetches in a row failed: "
                f"{self.last_error}"
            )
        if self.consecutive_empty >= UNHEALTHY_AFTER_EMPTY:
            return (
                f"the last {self.consecutive_empty} fetches found no items: "
                "check that the address is still the feed's"
            )
        return ""


class FeedItem(models.Model):
    """One item of one feed, kept once: unique on (feed, guid), where the guid
    falls back to the link and then to a hash of the content."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=1000)
    link = models.URLField(max_length=2000, blank=True)
    title = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(blank=True)
    raw = models.JSONField(default=dict, blank=True)
    candidate = models.JSONField(
        null=True,
        blank=True,
        help_text=_("Event fields given by a structured format (OONI, STOP, …)."),
    )
    outcome = models.CharField(
        max_length=20, choices=ItemOutcome.choices, default=ItemOutcome.PENDING
    )
    outcome_detail = models.TextField(blank=True)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feed_items",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="feeditem_feed_guid")
        ]
        indexes = [
            # The processing task: a feed's items still waiting.
            models.Index(
                fields=["feed", "id"],
                condition=Q(outcome="pending"),
                name="feeditem_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.link or self.guid


class FetchLog(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="fetches")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=FetchOutcome.choices)
    items_new = models.PositiveIntegerField(default=0)
    items_seen = models.PositiveIntegerField(default=0)
    items_failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            # The admin's fetch log of one feed, newest first.
            models.Index(fields=["feed", "-started_at"], name="fetchlog_feed_started"),
        ]

    def __str__(self) -> str:
        return f"{self.feed} at {self.started_at:%Y-%m-%d %H:%M} ({self.outcome})"
