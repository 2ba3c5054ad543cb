"""Nothing unpublished leaks: with a draft, an event in review, a rejected and
an unpublished event and an incomplete draft (no country) present, every
public URL (pages, feeds, sitemap, API lists, details, exports in every
format, stats, counts, search, as-of, the change feed, notices, targets,
releases, /metrics: tests/sweep_support.py) is swept anonymously, and no
response names them, counts them or their platform, authority or country.
tests/test_side_doors.py plays each way a curator could try to make something
public and sweeps the same surfaces."""

from __future__ import annotations

import pytest
from django.utils import timezone

from events.choices import Status
from events.services import event_publish, event_unpublish
from tests.events.notice_support import make_notice
from tests.factories import (
    AuthorityFactory,
    EventFactory,
    PlatformFactory,
    SourceFactory,
)
from tests.sweep_support import leaks, public_surface

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sweep_unthrottled")]
NOT_PUBLISHED = {
    "draft": Status.DRAFT,
    "review": Status.IN_REVIEW,
    "rejected": Status.REJECTED,
}


@pytest.fixture
def record(editor):
    """One published event, and one hidden event of each other kind, each on a
    platform, authority and country of its own, marked with a secret word."""
    public = EventFactory(
        status=Status.PUBLISHED,
        target="Visible account",
        platform=PlatformFactory(name="Shownplatform", slug="shownplatform"),
        country="TR",
        notice_text="Shown notice",
        # One registry notice carried by every event, hidden ones included.
        notice=make_notice("A notice every event showed", title="Shared notice"),
    )
    SourceFactory(event=public)
    hidden = {}
    # "incomplete": a draft made from a feed item whose country was not found.
    kinds = {**NOT_PUBLISHED, "unpublished": Status.DRAFT, "incomplete": Status.DRAFT}
    for n, (label, status) in enumerate(kinds.items()):
        event = EventFactory(
            status=status,
            target=f"Secretword{label} account",
            notice_text=f"Secretword{label} notice",
            notice_id=public.notice_id,
            summary=f"Secretword{label} summary",
            platform=PlatformFactory(
                name=f"Secretplatform{label}", slug=f"secretplatform{label}"
            ),
            authority=AuthorityFactory(
                name=f"Secretauthority{label}",
                slug=f"secretauthority{label}",
                country=["KP", "ER", "TM", "SY", "CU"][n],
            ),
            country=["KP", "ER", "TM", "SY", ""][n],
        )
        SourceFactory(event=event, url=f"https://secret.example.org/{label}")
        if label == "unpublished":
            event_publish(event=event, user=editor)
            event_unpublish(event=event, user=editor, reason="not ready")
        hidden[label] = event
    return public, hidden


def secrets_of(hidden) -> list[str]:
    words = []
    for label, event in hidden.items():
        words += [
            f"Secretword{label}",
            str(event.public_id),
            f"Secretplatform{label}",
            f"secretplatform{label}",
            f"Secretauthority{label}",
            f"secretauthority{label}",
            f"https://secret.example.org/{label}",
        ]
    return words


def public_urls(public, hidden) -> list[str]:
    urls = [
        "/",
        "/?q=Secretword",
        "/?q=account",
        "/feed/",
        "/feed/?q=Secretword",
        "/sitemap.xml",
        "/api/v1/events/",
        "/api/v1/events/?q=Secretword",
        "/api/v1/events/?format=csv",
        "/api/v1/events/?format=jsonl",
        "/api/v1/events/?ordering=updated_at",
        "/api/v1/platforms/",
        "/api/v1/authorities/",
        "/api/v1/countries/",
        "/blocked-now/",
        "/api/v1/targets/",
        "/api/v1/targets/?q=Secretword",
        "/api/v1/targets/?blocked_now=true",
        f"/targets/{public.target_ref_id}/",
        f"/api/v1/targets/{public.target_ref_id}/",
        "/releases/",
        "/api/v1/releases/",
        f"/events/{public.public_id}/",
        f"/api/v1/events/{public.public_id}/",
        "/notices/",
        f"/notices/{public.notice_id}/",
        "/api/v1/notices/",
        f"/api/v1/notices/{public.notice_id}/",
        f"/api/v1/events/?notice={public.notice_id}",
        "/platforms/shownplatform/",
        "/countries/TR/",
    ]
    urls += [
        f"/api/v1/stats/?group_by={g}"
        for g in ("year", "month", "platform", "country", "authority", "action")
    ]
    for label, event in hidden.items():
        code = str(event.country)
        urls += [
            f"/events/{event.public_id}/",
            f"/api/v1/events/{event.public_id}/",
            f"/platforms/secretplatform{label}/",
            f"/authorities/secretauthority{label}/",
            f"/countries/{code}/",
            f"/feed/?platform=secretplatform{label}",
            f"/feed/?country={code}",
            f"/?country={code}",
            f"/?platform=secretplatform{label}",
            f"/api/v1/events/?country={code}",
            f"/api/v1/events/?platform=secretplatform{label}",
            f"/api/v1/events/?authority=secretauthority{label}",
            f"/api/v1/stats/?group_by=platform&country={code}",
            f"/targets/{event.target_ref_id}/",
            f"/api/v1/targets/{event.target_ref_id}/",
            f"/api/v1/targets/?country={code}",
            f"/api/v1/events/?target={event.target_ref_id}",
            f"/blocked-now/?country={code}",
        ]
    return urls


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_no_public_url_names_or_counts_an_unpublished_event(client, record):
    public, hidden = record
    secrets = secrets_of(hidden)
    urls = public_urls(public, hidden)
    urls += public_surface(
        events=[public, *hidden.values()],
        secrets=["Secretword", *(f"Secretword{label}" for label in hidden)],
        moments=[timezone.now()],
    )

    once_public = [str(hidden["unpublished"].public_id)]
    assert leaks(client, secrets, urls, once_public=once_public) == []
    assert "Visible account" in body_of(client.get("/"))


def test_counts_include_only_the_published_event(client, record):
    stats = client.get("/api/v1/stats/?group_by=country").json()
    assert stats == [{"key": "TR", "count": 1}]


def test_a_hidden_slug_is_refused_exactly_like_an_unknown_one(client, record):
    _, hidden = record
    for label in hidden:
        for kind in ("platform", "authority"):
            real = client.get(f"/api/v1/events/?{kind}=secret{kind}{label}")
            fake = client.get(f"/api/v1/events/?{kind}=nosuch{kind}{label}")
            assert real.status_code == fake.status_code
            assert body_of(real).replace(f"secret{kind}{label}", "X") == body_of(
                fake
            ).replace(f"nosuch{kind}{label}", "X")
