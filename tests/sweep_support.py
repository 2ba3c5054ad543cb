"""The leak sweep: every public surface read anonymously, searched for words
that must never leave the admin.

`public_surface` lists the URLs: pages, Atom feeds, the sitemap and what it
lists, notices, targets, blocked-now, releases and their files, every API
endpoint in every format, searches (`q=`) for each secret, `as_of=` at the
given moments, the change feed, stats, counts and /metrics. `leaks` reads
them all and reports which URL named which secret. A response may echo what
its own URL said (an error naming the bad filter), nothing more.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Sequence
from urllib.parse import quote

from events.models import Release
from events.selectors.releases import release_files

OK_STATUSES = (200, 301, 302, 400, 404, 410)
API_FORMATS = ("json", "csv", "jsonl")
GROUPINGS = ("year", "month", "platform", "country", "authority", "action")


def _fixed_pages() -> list[str]:
    urls = [
        "/",
        "/feed/",
        "/sitemap.xml",
        "/blocked-now/",
        "/notices/",
        "/releases/",
        "/metrics",
        "/api/v1/",
        "/api/v1/platforms/",
        "/api/v1/authorities/",
        "/api/v1/countries/",
        "/api/v1/targets/",
        "/api/v1/targets/?blocked_now=true",
        "/api/v1/notices/",
        "/api/v1/releases/",
        "/api/v1/changes/?since=0&limit=1000",
        "/api/v1/events/?ordering=updated_at",
    ]
    urls += [f"/api/v1/events/?format={f}" for f in API_FORMATS]
    urls += [f"/api/v1/stats/?group_by={g}" for g in GROUPINGS]
    return urls


def _searches(secrets: Iterable[str]) -> list[str]:
    urls = []
    for secret in secrets:
        q = quote(secret)
        urls += [
            f"/?q={q}",
            f"/feed/?q={q}",
            f"/notices/?q={q}",
            f"/api/v1/notices/?q={q}",
            f"/api/v1/targets/?q={q}",
        ]
        urls += [f"/api/v1/events/?q={q}&format={f}" for f in API_FORMATS]
    return urls


def _as_of(moments: Iterable[dt.datetime], event_ids: Sequence[str]) -> list[str]:
    urls = []
    for moment in moments:
        at = quote(moment.astimezone(dt.UTC).isoformat())
        urls += [f"/api/v1/events/?as_of={at}&format={f}" for f in API_FORMATS]
        urls += [f"/api/v1/events/{i}/?as_of={at}" for i in event_ids]
    return urls


def _releases() -> list[str]:
    urls = []
    for release in Release.objects.all():
        n = release.number
        urls += [f"/releases/{n}/", f"/api/v1/releases/{n}/"]
        names = [file.name for file in release_files(release)]
        names += [release.file_name(kind) for kind in ("csv", "jsonl", "manifest")]
        urls += [f"/releases/{n}/{name}" for name in dict.fromkeys(names)]
    return urls


def _entities(events: Iterable[object]) -> list[str]:
    urls = []
    for event in events:
        public_id = event.public_id  # type: ignore[attr-defined]
        code = str(event.country)  # type: ignore[attr-defined]
        platform = event.platform.slug  # type: ignore[attr-defined]
        urls += [
            f"/events/{public_id}/",
            f"/api/v1/events/{public_id}/",
            f"/api/v1/events/{public_id}/?format=csv",
            f"/platforms/{platform}/",
            f"/countries/{code}/",
            f"/?country={code}",
            f"/feed/?country={code}",
            f"/api/v1/events/?country={code}",
            f"/api/v1/events/?platform={platform}",
            f"/blocked-now/?country={code}",
        ]
        if event.authority_id:  # type: ignore[attr-defined]
            urls.append(f"/authorities/{event.authority.slug}/")  # type: ignore[attr-defined]
        if event.target_ref_id:  # type: ignore[attr-defined]
            target = event.target_ref_id  # type: ignore[attr-defined]
            urls += [f"/targets/{target}/", f"/api/v1/targets/{target}/"]
            urls.append(f"/api/v1/events/?target={target}")
        if event.notice_id:  # type: ignore[attr-defined]
            notice = event.notice_id  # type: ignore[attr-defined]
            urls += [f"/notices/{notice}/", f"/api/v1/notices/{notice}/"]
    return urls


def public_surface(
    *,
    events: Iterable[object] = (),
    secrets: Iterable[str] = (),
    moments: Iterable[dt.datetime] = (),
    extra: Iterable[str] = (),
) -> list[str]:
    """Every public URL worth reading for these events (published or not, so
    their own pages are tried too), searches for the secrets, and as-of
    reads at the moments."""
    events = list(events)
    ids = [str(event.public_id) for event in events]  # type: ignore[attr-defined]
    urls = _fixed_pages() + _searches(secrets) + _as_of(moments, ids)
    urls += _releases() + _entities(events) + list(extra)
    return list(dict.fromkeys(urls))


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _sitemap_pages(client) -> list[str]:
    found: list[str] = []
    pending = ["/sitemap.xml"]
    while pending:
        body = _body(client.get(pending.pop()))
        for path in re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", body):
            if "sitemap" in path and path not in found:
                pending.append(path)
            found.append(path)
    return found


CHANGE_FEED = "/api/v1/changes/"


def leaks(
    client,
    secrets: Sequence[str],
    urls: Iterable[str],
    *,
    once_public: Collection[str] = (),
) -> list[tuple]:
    """(url, status or secrets named) for every response that named a secret
    or answered an unexpected status; [] when the sweep is clean.
    `once_public` are ids of events that were published and left: the change
    feed names them (a mirror must learn that they left), nothing else may."""
    found = []
    for url in [*urls, *_sitemap_pages(client)]:
        response = client.get(url)
        if response.status_code not in OK_STATUSES:
            found.append((url, response.status_code))
            continue
        body = _body(response)
        allowed = set(once_public) if url.startswith(CHANGE_FEED) else set()
        named = [
            s
            for s in secrets
            if s in body and s not in allowed and quote(s) not in url and s not in url
        ]
        if named:
            found.append((url, named))
    return found
