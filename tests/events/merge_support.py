"""Helpers shared by the merge and split tests."""

from __future__ import annotations

from django.urls import reverse

from events.models import Event, Source
from tests.factories import EventFactory, SourceFactory

OKEX_DEMO_ID = "0b6f3c52-9a41-4e0e-8d0e-5f3f7c1f0a01"
COINDESK = (
    "https://www.coindesk.com/markets/2018/03/06/"
    "caixin-china-blocking-crypto-exchanges-on-social-media/"
)


def urls(event) -> set[str]:
    return set(Source.objects.filter(event=event).values_list("url", flat=True))


def with_sources(*urls_: str, **fields) -> Event:
    event = EventFactory(**fields)
    for url in urls_:
        SourceFactory(event=event, url=url)
    return event


def merge_url(*events, survivor=None) -> str:
    query = "&".join(f"event={event.pk}" for event in events)
    if survivor is not None:
        query += f"&survivor={survivor.pk}"
    return f"{reverse('admin:events_event_merge')}?{query}"


def split_url(event) -> str:
    return reverse("admin:events_event_split", args=[event.pk])
