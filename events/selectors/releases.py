"""Reads of dataset releases: the snapshot a release freezes, its counts, the
ready releases the public sees, their files and citations."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from events.api.exports import CONTENT_TYPES
from events.api.representation import Links
from events.choices import ReleaseState
from events.models import EventChange, EventQuerySet, Release
from events.selectors.api import event_stats
from events.views import SITE_NAME

# The groupings of a release's counts, as /api/v1/stats/ names them.
COUNT_GROUPS = ("platform", "country", "action", "year")
MEDIA_TYPES = {
    **CONTENT_TYPES,
    "manifest": "text/tab-separated-values; charset=utf-8",
    "changelog": "application/json",
}
DATASET_TITLE = "Blocking events dataset"


@contextmanager
def read_snapshot() -> Iterator[None]:
    """Every read inside sees the record as of one moment, writers going on.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction. SQLite (in WAL
    mode): one deferred read transaction, begun by hand because the settings
    make Django's transactions IMMEDIATE, which would lock writers out for the
    whole build. Inside a caller's transaction (a test's), that transaction
    is the snapshot, at the caller's isolation level."""
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
            yield
        return
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def last_change_id() -> int | None:
    """The newest id of the change feed (None while it is empty)."""
    return EventChange.objects.aggregate(last=Max("id"))["last"]


def record_counts(queryset: EventQuerySet) -> dict[str, Any]:
    """The total and the counts by each of COUNT_GROUPS, as [{key, count}]
    lists in the order of /api/v1/stats/ (JSON objects would lose it)."""
    counts: dict[str, Any] = {"total": queryset.count()}
    for group in COUNT_GROUPS:
        counts[group] = [
            {"key": c.key, "count": c.count}
            for c in event_stats(queryset, group_by=group)
        ]
    return counts


def site_links() -> Links:
    """The event links of the API export, on settings.SITE_URL."""
    zero = uuid.UUID(int=0)
    web = settings.SITE_URL + reverse("public:event", args=[zero])
    prefix, _, suffix = web.partition(str(zero))
    return Links(
        api_prefix=settings.SITE_URL + reverse("api:event-list"),
        web_prefix=prefix,
        web_suffix=suffix,
    )


def releases_root() -> Path:
    return Path(settings.RELEASES_ROOT)


def previous_ready_release(number: int) -> Release | None:
    """The newest ready release numbered below `number` that was not
    withdrawn (a withdrawn release has no files to compare with)."""
    return live_releases().filter(number__lt=number).first()


def ready_releases() -> QuerySet[Release]:
    """The public releases, newest first, withdrawn ones included (the list
    says why they are gone)."""
    return Release.objects.filter(state=ReleaseState.READY).order_by("-number")


def live_releases() -> QuerySet[Release]:
    """Ready releases whose files can be downloaded, newest first."""
    return ready_releases().filter(withdrawn_at__isnull=True)


def releases_containing(public_id: uuid.UUID) -> list[Release]:
    """The live releases whose manifest lists this event (the candidates for
    withdrawal after a takedown); reads each manifest, a line per event."""
    wanted = str(public_id).encode()
    found = []
    for release in live_releases():
        path = releases_root() / release.file_name("manifest")
        if path.is_file() and _lists(path, wanted):
            found.append(release)
    return found


def _lists(path: Path, public_id: bytes) -> bool:
    with path.open("rb") as lines:
        return any(line.split(b"\t", 1)[0] == public_id for line in lines)


def ready_release(number: int) -> Release:
    """A public release; Release.DoesNotExist when unknown or not ready."""
    return ready_releases().get(number=number)


@dataclass(frozen=True)
class ReleaseFile:
    kind: str
    name: str
    sha256: str
    bytes: int
    media_type: str

    @property
    def format(self) -> str:
        return {"manifest": "tsv", "changelog": "json"}.get(self.kind, self.kind)


def release_files(release: Release) -> list[ReleaseFile]:
    """The files of a ready release, data first; none once withdrawn."""
    if release.withdrawn_at is not None:
        return []
    stored = {
        "csv": (release.csv_sha256, release.csv_bytes),
        "jsonl": (release.jsonl_sha256, release.jsonl_bytes),
        "manifest": (release.manifest_sha256, release.manifest_bytes),
        "changelog": (release.changelog_sha256, release.changelog_bytes),
    }
    return [
        ReleaseFile(kind, release.file_name(kind), sha, size or 0, MEDIA_TYPES[kind])
        for kind, (sha, size) in stored.items()
    ]


def release_file(release: Release, name: str) -> tuple[ReleaseFile, Path]:
    """The file of `release` called `name` and where it is; LookupError when
    it has none of that name or the file is gone from RELEASES_ROOT."""
    for file in release_files(release):
        path = releases_root() / file.name
        if file.name == name and path.is_file():
            return file, path
    raise LookupError(name)


@dataclass(frozen=True)
class Citation:
    text: str
    bibtex: str


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def release_citation(release: Release) -> Citation:
    """How to cite a ready release: its number, date, permanent address and
    the SHA-256 of its CSV file."""
    assert release.as_of is not None, "only a ready release is cited"
    url = settings.SITE_URL + reverse("public:release", args=[release.number])
    day = release.as_of.date().isoformat()
    year = release.as_of.year
    title = f"{DATASET_TITLE}, release {release.number}"
    text = (
        f"{SITE_NAME} ({year}). {title} ({day}) [Data set]. {url}. "
        f"SHA-256 {release.csv_sha256[:12]}…"
    )
    key = re.sub(r"[^a-z0-9]", "", SITE_NAME.lower()) + f"_r{release.number}"
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  author = {{{{{_bibtex_escape(SITE_NAME)}}}}},",
            f"  title = {{{_bibtex_escape(title)}}},",
            f"  year = {{{year}}},",
            f"  date = {{{day}}},",
            f"  version = {{{release.number}}},",
            f"  url = {{{url}}},",
            f"  note = {{Data set. SHA-256 of the CSV file: {release.csv_sha256}}},",
            "}",
        ]
    )
    return Citation(text=text, bibtex=bibtex)


def releases_unsent(
    *, pending_for: dt.timedelta, building_for: dt.timedelta
) -> list[int]:
    """Releases whose build was probably never sent (pending for a while: the
    broker was down when they were cut) or whose worker was lost (building
    for longer than any build may run). Building them again is safe: the
    build is idempotent."""
    now = timezone.now()
    stale = Q(state=ReleaseState.PENDING, created_at__lt=now - pending_for) | Q(
        state=ReleaseState.BUILDING, created_at__lt=now - building_for
    )
    return list(
        Release.objects.filter(stale).order_by("number").values_list("pk", flat=True)
    )
