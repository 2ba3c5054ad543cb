"""Feeds, their items and fetch log, and the country gazetteer."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django_countries.filters import CountryFilter

from events.models import CountryAlias, Feed, FeedItem, FetchLog
from events.tasks import enqueue_fetches


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


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "format",
        "active",
        "health",
        "last_status",
        "last_fetched_at",
        "next_due_at",
        "consecutive_failures",
        "items_link",
    ]
    list_filter = ["active", "format", "last_status"]
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
        "consecutive_failures",
        "created_at",
    ]
    fieldsets = [
        (None, {"fields": ["name", "url", "format", "active", "fetch_interval"]}),
        ("Hints", {"fields": ["default_platform", "default_country"]}),
        ("Fetch state", {"fields": [*readonly_fields, "next_due_at"]}),
    ]

    @admin.display(description="health", boolean=True)
    def health(self, feed: Feed) -> bool:
        return feed.healthy

    @admin.display(description="items")
    def items_link(self, feed: Feed) -> str:
        url = (
            reverse("admin:events_feeditem_changelist") + f"?feed__id__exact={feed.pk}"
        )
        return format_html('<a href="{}">items</a>', url)


@admin.register(FeedItem)
class FeedItemAdmin(admin.ModelAdmin):
    list_display = ["title", "feed", "outcome", "event", "published_at", "created_at"]
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
