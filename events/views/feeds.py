"""Atom feeds of published events, with the timeline's filters:
/feed/ and /feed/?platform=wechat&country=CN."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from events.models import Event
from events.selectors.public import EventFilters, filtered_events
from events.views import SITE_NAME
from events.views.params import active_filters, filter_query, parse_filters

FEED_SIZE = 50


class EventsFeed(Feed):
    """Newest publications first, so a subscriber sees an old event the day it
    enters the record. Titles are text; summaries are escaped by their template."""

    feed_type = Atom1Feed
    description_template = "public/feed_entry.html"

    def get_object(self, request: HttpRequest) -> tuple[EventFilters, str, str]:
        filters = parse_filters(request.GET)
        chips = active_filters(request.GET, filters)
        described = ", ".join(f"{chip.label}: {chip.value}" for chip in chips)
        return filters, filter_query(request.GET), described

    def title(self, obj: tuple[EventFilters, str, str]) -> str:
        _filters, _query, described = obj
        if described:
            return _("%(site)s: published events (%(filters)s)") % {
                "site": SITE_NAME,
                "filters": described,
            }
        return _("%(site)s: published events") % {"site": SITE_NAME}

    def subtitle(self, obj: tuple[EventFilters, str, str]) -> str:
        return _("Blocking and censorship events, as published in the record.")

    def link(self, obj: tuple[EventFilters, str, str]) -> str:
        return reverse("public:timeline") + obj[1]

    def feed_url(self, obj: tuple[EventFilters, str, str]) -> str:
        return reverse("public:feed") + obj[1]

    def items(self, obj: tuple[EventFilters, str, str]) -> list[Event]:
        newest = F("published_at").desc(nulls_last=True)
        return list(filtered_events(obj[0]).order_by(newest, "-id")[:FEED_SIZE])

    def item_title(self, item: Event) -> str:
        return _("%(platform)s %(action)s %(target)s (%(country)s)") % {
            "platform": item.platform.name,
            "action": item.get_action_display(),
            "target": item.target,
            "country": item.country.name,
        }

    def item_link(self, item: Event) -> str:
        return reverse("public:event", args=[item.public_id])

    def item_guid(self, item: Event) -> str:
        return item.public_id.urn

    item_guid_is_permalink = False

    def item_pubdate(self, item: Event) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Event) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: Event) -> list[str]:
        return [item.platform.name, str(item.country.name), item.get_action_display()]
