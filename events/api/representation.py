"""The API's representation of an event, built directly from loaded objects.

One function makes the dict that JSON, JSON Lines and (flattened) CSV all show,
from rows the selectors read (events.selectors.api.ApiEvent);
events/api/serializers.py declares the same shape for the OpenAPI schema, and
tests check the two agree. Rows and a dict built by hand, rather than model
instances and DRF's field-by-field serialization, keep a 500-event page cheap.
"""

from __future__ import annotations

import functools
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.encoding import iri_to_uri

from events.dates import format_partial_date
from events.selectors.api import ApiEvent, utc_timestamp

_ZERO = uuid.UUID(int=0)
CSV_COLUMNS = (
    "id",
    "url",
    "web_url",
    "status",
    "platform",
    "platform_name",
    "target",
    "target_type",
    "target_url",
    "authority",
    "authority_name",
    "authority_country",
    "country",
    "action",
    "date",
    "date_precision",
    "ended_on",
    "notice_text",
    "notice_language",
    "summary",
    "source_urls",
    "sources",
    "published_at",
    "updated_at",
)


timestamp = utc_timestamp


@dataclass(frozen=True)
class Links:
    """Absolute URLs of an event in the API and on the public pages, as
    prefix + id + suffix (reversing each URL costs more than the rest of the
    event's representation)."""

    api_prefix: str
    web_prefix: str
    web_suffix: str

    @classmethod
    def for_request(cls, request: HttpRequest) -> Links:
        origin = f"{request.scheme}://{request.get_host()}"
        return _links(origin, get_script_prefix())

    def api(self, public_id: uuid.UUID | str) -> str:
        return f"{self.api_prefix}{public_id}/"

    def web(self, public_id: uuid.UUID | str) -> str:
        return f"{self.web_prefix}{public_id}{self.web_suffix}"

    def notice(self, pk: int) -> str:
        """A notice of the registry in the API (/api/v1/notices/<id>/)."""
        return f"{self.api_prefix.removesuffix('events/')}notices/{pk}/"

    def target(self, pk: int) -> str:
        """A target in the API (/api/v1/targets/<id>/, beside the events)."""
        return f"{self.api_prefix.removesuffix('events/')}targets/{pk}/"


def event_dict(event: ApiEvent, links: Links) -> dict[str, Any]:
    """The event as the API shows it."""
    row = event.row
    public_id = str(row.public_id)
    return {
        "id": public_id,
        "url": links.api(public_id),
        "web_url": links.web(public_id),
        "status": row.status,
        "platform": {"slug": row.platform_slug, "name": row.platform_name},
        "target": row.target,
        "target_type": row.target_type,
        "target_url": row.target_url,
        "target_ref": None
        if row.target_ref_id is None
        else {"id": row.target_ref_id, "url": links.target(row.target_ref_id)},
        "authority": None
        if row.authority_slug is None
        else {
            "slug": row.authority_slug,
            "name": row.authority_name,
            "country": row.authority_country or None,
        },
        "country": row.country,
        "action": row.action,
        "date": format_partial_date(row.date, row.date_precision),
        "date_precision": row.date_precision,
        "ended_on": None
        if row.ended_on is None
        else format_partial_date(row.ended_on, row.ended_on_precision),
        "notice_text": row.notice_text,
        "notice_language": row.notice_language,
        "notice": None
        if row.notice_id is None
        else {"id": row.notice_id, "url": links.notice(row.notice_id)},
        "summary": row.summary,
        "sources": event.sources,
        "published_at": timestamp(row.published_at),
        "updated_at": timestamp(row.updated_at),
    }


def csv_row(item: dict[str, Any]) -> list[str]:
    """An event dict flattened into the cells of CSV_COLUMNS: platform and
    authority as slug, name (and country); sources as their URLs separated by
    spaces and as a JSON list; absent values as empty cells."""
    authority = item["authority"] or {}
    flat = {
        **item,
        "platform": item["platform"]["slug"],
        "platform_name": item["platform"]["name"],
        "authority": authority.get("slug"),
        "authority_name": authority.get("name"),
        "authority_country": authority.get("country"),
        # A masked event's sources have no URL (events.masking): no cell.
        "source_urls": " ".join(s["url"] for s in item["sources"] if s["url"]),
        "sources": json.dumps(item["sources"], ensure_ascii=False),
    }
    return ["" if flat[name] is None else flat[name] for name in CSV_COLUMNS]


@functools.lru_cache(maxsize=64)
def _links(origin: str, script_prefix: str) -> Links:
    """Links for requests to `origin` (scheme and host), made once: the hosts
    a site answers to are few (settings.ALLOWED_HOSTS)."""
    api = iri_to_uri(origin + reverse("api:event-list"))
    web = iri_to_uri(origin + reverse("public:event", args=[_ZERO]))
    prefix, _, suffix = web.partition(str(_ZERO))
    return Links(api_prefix=api, web_prefix=prefix, web_suffix=suffix)
