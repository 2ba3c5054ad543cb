"""Feeds, their items and fetch log, and the country gazetteer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from events.admin.forms import URL_OVERRIDES, formfield
from events.choices import ItemOutcome, Status
from events.exceptions import TrackerError
from events.ingest.fetch import url_refusal
from events.models import CountryAlias, Feed, FeedItem, FetchLog
from events.services.item_drafts import feed_item_draft
from events.services.status import status_user_may
from events.tasks import enqueue_fetches


class FeedForm(forms.ModelForm):
    """A feed whose address the fetcher would refuse is refused here, with
    the fetcher's own words."""

    class Meta:
        model = Feed
        exclude: list[str] = []
        formfield_callback = formfield

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if refusal := url_refusal(url):
            raise forms.ValidationError(f"This feed cannot be fetched: {refusal}.")
        return url


class HealthFilter(admin.SimpleListFilter):
    """Feeds.healthy()/unhealthy(): the rule Feed.health_problem words."""

    title = _("health")
    parameter_name = "health"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("healthy", _("healthy")), ("unhealthy", _("unhealthy"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "healthy":
            return queryset.healthy()
        if self.value() == "unhealthy":
            return queryset.unhealthy()
        return queryset


class FetchLogInline(admin.TabularInline):
    model = FetchLog
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-started_at"]
    fields = [
        "started_at",
        "outcome",
        "http_status",
        "duration_ms",
        "items_new",
        "items_seen",
        "items_failed",
        "error",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The latest fetches only; the full log is under "Fetch logs".
        ids = super().get_queryset(request).values_list("id", flat=True)[:20]
        return super().get_queryset(request).filter(id__in=list(ids))

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.action(description="Fetch now", permissions=["change"])
def fetch_now(modeladmin: FeedAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    ids = list(queryset.values_list("id", flat=True))
    unsent = enqueue_fetches(ids)
    if unsent:
        modeladmin.message_user(
            request,
            f"The task queue is unreachable: {len(unsent)} feed(s) will be "
            "fetched as soon as it is back.",
            messages.WARNING,
        )
    else:
        modeladmin.message_user(
            request, f"Queued a fetch of {len(ids)} feed(s).", messages.SUCCESS
        )


def _items_url(feed: Feed, outcome: str = "") -> str:
    url = reverse("admin:events_feeditem_changelist") + f"?feed__id__exact={feed.pk}"
    return f"{url}&outcome__exact={outcome}" if outcome else url


def _count_link(feed: Feed, count: int, outcome: str) -> str:
    return format_html('<a href="{}">{}</a>', _items_url(feed, outcome), count)


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    form = FeedForm
    formfield_overrides = URL_OVERRIDES
    list_display = [
        "name",
        "format",
        "active",
        "health",
        "last_status",
        "last_fetched_at",
        "next_due_at",
        "consecutive_failures",
        "drafts",
        "incomplete",
        "attached",
        "not_events",
        "items_link",
    ]
    list_filter = ["active", HealthFilter, "format", "last_status"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["default_platform"]
    actions = [fetch_now]
    inlines = [FetchLogInline]
    readonly_fields = [
        "etag",
        "last_modified",
        "last_fetched_at",
        "last_status",
        "last_error",
        "health_problem",
        "consecutive_failures",
        "consecutive_empty",
        "created_at",
    ]
    fieldsets = [
        (None, {"fields": ["name", "url", "format", "active", "fetch_interval"]}),
        ("Hints", {"fields": ["default_platform", "default_country"]}),
        ("Fetch state", {"fields": [*readonly_fields, "next_due_at"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The per-feed item counts, for the whole page in its one query.
        return super().get_queryset(request).with_item_counts()

    @admin.display(description="health", boolean=True)
    def health(self, feed: Feed) -> bool:
        return feed.healthy

    @admin.display(description="why unhealthy")
    def health_problem(self, feed: Feed) -> str:
        return feed.health_problem or "healthy"

    @admin.display(description="drafts", ordering="n_drafts")
    def drafts(self, feed: Feed) -> str:
        return _count_link(feed, feed.n_drafts, ItemOutcome.DRAFT_CREATED)

    @admin.display(description="incomplete drafts", ordering="n_incomplete")
    def incomplete(self, feed: Feed) -> int:
        return feed.n_incomplete

    @admin.display(description="sources of known events", ordering="n_attached")
    def attached(self, feed: Feed) -> str:
        return _count_link(feed, feed.n_attached, ItemOutcome.ATTACHED)

    @admin.display(description="not events", ordering="n_not_event")
    def not_events(self, feed: Feed) -> str:
        return _count_link(feed, feed.n_not_event, ItemOutcome.NOT_EVENT)

    @admin.display(description="items")
    def items_link(self, feed: Feed) -> str:
        return format_html('<a href="{}">items</a>', _items_url(feed))


@admin.action(description="Make a draft of this item", permissions=["draft"])
def make_draft(
    modeladmin: FeedItemAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    for item in queryset.select_related("feed"):
        try:
            made = feed_item_draft(item=item, user=request.user)
        except TrackerError as exc:
            modeladmin.message_user(request, f"{item}: {exc}", messages.ERROR)
            continue
        link = format_html(
            '<a href="{}">{}</a>', made.event.get_absolute_url(), made.event
        )
        if made.created:
            missing = ", ".join(made.event.missing_fields)
            todo = f" It is incomplete: set its {missing}." if missing else ""
            text = format_html("{}: made the draft {}.{}", item, link, todo)
            modeladmin.message_user(request, text, messages.SUCCESS)
        else:
            text = format_html("{}: already belongs to the event {}.", item, link)
            modeladmin.message_user(request, text, messages.WARNING)


@admin.register(FeedItem)
class FeedItemAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "feed",
        "outcome",
        "outcome_detail",
        "event",
        "published_at",
        "created_at",
    ]
    actions = [make_draft]
    list_filter = ["outcome", "feed"]
    list_select_related = ["feed", "event", "event__platform"]
    search_fields = ["title", "link", "text"]
    readonly_fields = [
        "feed",
        "guid",
        "link",
        "title",
        "published_at",
        "text",
        "raw",
        "candidate",
        "outcome",
        "outcome_detail",
        "event",
        "created_at",
        "processed_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_draft_permission(self, request: HttpRequest) -> bool:
        return status_user_may(request.user, "", Status.DRAFT)


@admin.register(FetchLog)
class FetchLogAdmin(admin.ModelAdmin):
    list_display = [
        "feed",
        "started_at",
        "outcome",
        "http_status",
        "items_new",
        "items_seen",
        "items_failed",
        "duration_ms",
    ]
    list_filter = ["outcome", "feed"]
    list_select_related = ["feed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CountryAlias)
class CountryAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "country", "language"]
    list_filter = [("country", CountryFilter), "language"]
    search_fields = ["alias"]
