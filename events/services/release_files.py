"""Writing the files of a release, in constant memory whatever the record's size.

The CSV and JSON Lines files are the bytes of the API export
(`GET /api/v1/events/?format=csv|jsonl`, default ordering) with links on
settings.SITE_URL. The manifest lists each event's id and the SHA-256 of its
JSON line, sorted by id (an on-disk merge sort), so the changelog against the
previous release is a merge of two sorted files. Everything is written in a
work folder; the caller moves the files into place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import itertools
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils import timezone

from events.api.exports import csv_stream, jsonl_stream
from events.models import Event, EventQuerySet
from events.selectors.api import DEFAULT_ORDERING
from events.selectors.releases import (
    last_change_id,
    read_snapshot,
    record_counts,
    site_links,
)

MANIFEST_HEADER = b"id\tsha256\n"
CHANGE_KINDS = ("added", "changed", "removed")
# Ids of each kind kept in the database; the changelog file has them all.
CHANGELOG_IDS_KEPT = 1000
# Manifest lines sorted in memory at a time (~100 bytes each).
SORT_RUN_LINES = 100_000
_ID_PREFIX = b'{"id":"'
_ID_END = len(_ID_PREFIX) + 36


class ReleaseFileError(Exception):
    """The files cannot be written as they must be; the message says why."""


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    sha256: str
    bytes: int


class _HashingWriter:
    """A binary file that keeps the SHA-256 and size of what is written to it,
    and reaches the disk (fsync) when closed. As a context manager it closes
    the file (if close() was not reached) whatever happens."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file: IO[bytes] = path.open("wb")
        self.digest = hashlib.sha256()
        self.size = 0

    def __enter__(self) -> _HashingWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.file.close()

    def write(self, data: bytes) -> None:
        self.file.write(data)
        self.digest.update(data)
        self.size += len(data)

    def close(self) -> WrittenFile:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        return WrittenFile(self.path, self.digest.hexdigest(), self.size)


@dataclass
class Snapshot:
    """What one read of the record produced."""

    as_of: dt.datetime
    change_cursor: int | None
    counts: dict[str, Any]
    event_count: int
    csv: WrittenFile
    jsonl: WrittenFile
    unsorted_manifest: Path


def snapshot_write(*, workdir: Path) -> Snapshot:
    """Read the published record in one snapshot, writing the CSV, the JSON
    Lines and an unsorted manifest into `workdir`. `as_of` is taken just
    before the snapshot's first read: it holds everything committed by then."""
    links = site_links()
    with read_snapshot():
        as_of = timezone.now()
        change_cursor = last_change_id()
        published: EventQuerySet = Event.objects.published()
        counts = record_counts(published)
        jsonl, unsorted, lines = _write_jsonl(published, links, workdir)
        with _HashingWriter(workdir / "events.csv") as csv_writer:
            for chunk in csv_stream(published, DEFAULT_ORDERING, links, as_of=None):
                csv_writer.write(chunk)
            csv = csv_writer.close()
    if lines != counts["total"]:
        raise ReleaseFileError(
            f"the snapshot is not consistent: {lines} lines, {counts['total']} counted"
        )
    return Snapshot(as_of, change_cursor, counts, lines, csv, jsonl, unsorted)


def _write_jsonl(
    published: EventQuerySet, links: Any, workdir: Path
) -> tuple[WrittenFile, Path, int]:
    """The JSON Lines file and, line by line, the (id, SHA-256) of each event."""
    unsorted = workdir / "manifest.unsorted"
    lines = 0
    with (
        _HashingWriter(workdir / "events.jsonl") as writer,
        unsorted.open("wb") as manifest,
    ):
        for chunk in jsonl_stream(published, DEFAULT_ORDERING, links, as_of=None):
            writer.write(chunk)
            for line in chunk.split(b"\n")[:-1]:
                manifest.write(_manifest_line(line))
                lines += 1
        return writer.close(), unsorted, lines


def _manifest_line(line: bytes) -> bytes:
    # The id is the first key of every event (representation.event_dict).
    if not line.startswith(_ID_PREFIX) or line[_ID_END : _ID_END + 1] != b'"':
        raise ReleaseFileError("a JSON line does not start with the event's id")
    digest = hashlib.sha256(line).hexdigest().encode()
    return line[len(_ID_PREFIX) : _ID_END] + b"\t" + digest + b"\n"


def manifest_write(*, unsorted: Path, path: Path) -> WrittenFile:
    """The manifest sorted by id: sorted runs on disk, merged."""
    runs: list[IO[bytes]] = []
    try:
        with unsorted.open("rb") as source:
            while lines := list(itertools.islice(source, SORT_RUN_LINES)):
                lines.sort()
                run = tempfile.TemporaryFile(dir=path.parent)  # noqa: SIM115
                run.writelines(lines)
                run.seek(0)
                runs.append(run)
        with _HashingWriter(path) as writer:
            writer.write(MANIFEST_HEADER)
            for line in heapq.merge(*runs):
                writer.write(line)
            return writer.close()
    finally:
        for run in runs:
            run.close()


def _manifest_rows(path: Path | None) -> Iterator[tuple[bytes, bytes]]:
    if path is None:
        return
    with path.open("rb") as manifest:
        if manifest.readline() != MANIFEST_HEADER:
            raise ReleaseFileError(f"{path.name} is not a manifest")
        for line in manifest:
            public_id, _, digest = line.rstrip(b"\n").partition(b"\t")
            yield public_id, digest


def manifest_diff(new: Path, old: Path | None) -> Iterator[tuple[str, str]]:
    """(kind, id) of each event added, changed or removed from the manifest
    `old` (None: an empty record) to `new`, in id order."""
    new_rows, old_rows = _manifest_rows(new), _manifest_rows(old)
    a, b = next(new_rows, None), next(old_rows, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            assert a is not None
            yield "added", a[0].decode()
            a = next(new_rows, None)
        elif a is None or b[0] < a[0]:
            yield "removed", b[0].decode()
            b = next(old_rows, None)
        else:
            if a[1] != b[1]:
                yield "changed", a[0].decode()
            a, b = next(new_rows, None), next(old_rows, None)


@dataclass
class Changelog:
    """The summary kept in the database, and the file with every id."""

    summary: dict[str, Any]
    file: WrittenFile


def changelog_write(
    *, number: int, previous: int | None, diff: Iterator[tuple[str, str]], path: Path
) -> Changelog:
    """Write `{"release", "previous", "added": [...], "changed": [...],
    "removed": [...]}`, each list spooled to disk first; the summary keeps
    the counts and the first CHANGELOG_IDS_KEPT ids of each kind."""
    spools = {kind: path.with_name(f"{path.name}.{kind}") for kind in CHANGE_KINDS}
    summary: dict[str, Any] = {"previous": previous}
    summary.update(_spool(diff, spools))
    with _HashingWriter(path) as writer:
        head = {"release": number, "previous": previous}
        writer.write(json.dumps(head)[:-1].encode())
        for kind, spool in spools.items():
            writer.write(f', "{kind}": ['.encode())
            with spool.open("rb") as source:
                while chunk := source.read(1 << 16):
                    writer.write(chunk)
            writer.write(b"]")
        writer.write(b"}\n")
        return Changelog(summary=summary, file=writer.close())


def _spool(
    diff: Iterator[tuple[str, str]], spools: dict[str, Path]
) -> dict[str, dict[str, Any]]:
    """Write the ids of each kind, comma-separated, to its spool file; the
    count and first ids of each kind."""
    kinds: dict[str, dict[str, Any]] = {
        kind: {"count": 0, "ids": []} for kind in CHANGE_KINDS
    }
    with ExitStack() as stack:
        files = {
            kind: stack.enter_context(spool.open("w")) for kind, spool in spools.items()
        }
        for kind, public_id in diff:
            entry = kinds[kind]
            files[kind].write(("," if entry["count"] else "") + json.dumps(public_id))
            entry["count"] += 1
            if len(entry["ids"]) < CHANGELOG_IDS_KEPT:
                entry["ids"].append(public_id)
    return kinds
