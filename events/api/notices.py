"""The API's representation of a registry notice, and its shape for OpenAPI.

A notice is shown with its variants, the number of published events that
carried it and a link to them (`events_url`, the event list filtered by
`notice`), never the events themselves: a notice on every WeChat block would
otherwise weigh as much as the record.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from events.choices import NoticeKind, NoticePatternType
from events.models import Notice

MAX_CURSOR_LENGTH = 100


class NoticeVariantSerializer(serializers.Serializer):
    language = serializers.CharField(allow_blank=True, help_text="BCP 47 tag")
    text = serializers.CharField(help_text="Exactly as shown to users.")
    fingerprint = serializers.CharField(help_text="The normalised text.")


class NoticePlatformSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class NoticeSerializer(serializers.Serializer):
    """A notice: one message platforms or blockpages show, in its wordings."""

    id = serializers.IntegerField()
    url = serializers.URLField(help_text="This notice in the API.")
    web_url = serializers.URLField(help_text="This notice's public page.")
    kind = serializers.ChoiceField(NoticeKind.choices)
    title = serializers.CharField()
    platform = NoticePlatformSerializer(
        allow_null=True, help_text="Null for a network-level blockpage."
    )
    countries = serializers.ListField(
        child=serializers.CharField(), help_text="Where it is known to be shown."
    )
    canonical_text = serializers.CharField()
    language = serializers.CharField(allow_blank=True)
    fingerprint = serializers.CharField(
        allow_blank=True, help_text="The canonical text normalised for matching."
    )
    pattern = serializers.CharField(allow_blank=True)
    pattern_type = serializers.ChoiceField(
        [("", "none"), *NoticePatternType.choices],
        help_text="How `pattern` matches; empty when there is none.",
    )
    location = serializers.CharField(
        allow_blank=True, help_text="Fingerprints: body, header.<name> or dns."
    )
    origin = serializers.CharField(
        allow_blank=True, help_text="The list entry it was seeded from, if any."
    )
    first_seen = serializers.DateField(allow_null=True)
    last_seen = serializers.DateField(allow_null=True)
    event_count = serializers.IntegerField(help_text="Published events with it.")
    events_url = serializers.URLField(help_text="Those events in the API.")
    variants = NoticeVariantSerializer(many=True)


class NoticePageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = NoticeSerializer(many=True)


@dataclass(frozen=True)
class NoticeLinks:
    api_prefix: str
    web_prefix: str
    events_url: str

    @classmethod
    def for_request(cls, request: HttpRequest) -> NoticeLinks:
        return cls(
            api_prefix=request.build_absolute_uri(reverse("api:notice-list")),
            web_prefix=request.build_absolute_uri(reverse("public:notices")),
            events_url=request.build_absolute_uri(reverse("api:event-list")),
        )


def notice_dict(notice: Notice, event_count: int, links: NoticeLinks) -> dict:
    """The notice as the API shows it (its variants must be prefetched)."""
    platform = notice.platform
    return {
        "id": notice.pk,
        "url": f"{links.api_prefix}{notice.pk}/",
        "web_url": f"{links.web_prefix}{notice.pk}/",
        "kind": notice.kind,
        "title": notice.title,
        "platform": None
        if platform is None
        else {"slug": platform.slug, "name": platform.name},
        "countries": list(notice.countries),
        "canonical_text": notice.canonical_text,
        "language": notice.language,
        "fingerprint": notice.fingerprint,
        "pattern": notice.pattern,
        "pattern_type": notice.pattern_type,
        "location": notice.location,
        "origin": notice.origin,
        "first_seen": _day(notice.first_seen),
        "last_seen": _day(notice.last_seen),
        "event_count": event_count,
        "events_url": f"{links.events_url}?notice={notice.pk}",
        "variants": [
            {"language": v.language, "text": v.text, "fingerprint": v.fingerprint}
            for v in notice.variants.all()
        ],
    }


def _day(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def encode_cursor(pk: int, *, backwards: bool) -> str:
    raw = json.dumps(["notices", pk, backwards]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> tuple[int, bool]:
    """(id, backwards) of a cursor of the notice list; a 400 naming `cursor`."""
    bad = ValidationError(
        {"cursor": ["not a cursor of this list: use the next or previous link"]}
    )
    if len(text) > MAX_CURSOR_LENGTH or "\x00" in text:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        made_for, pk, backwards = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise bad from None
    if made_for != "notices" or type(pk) is not int or type(backwards) is not bool:
        raise bad
    if not 0 <= pk < 2**63:
        raise bad
    return pk, backwards
