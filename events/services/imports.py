"""Bulk import of interchange rows: idempotent, batched, reporting bad rows.

The rows are read, checked and written a batch at a time by
events.services.import_batches; this module drives them, with `strict`
(all or nothing) and the planner statistics after a large import.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from events.interchange import RowError
from events.models import Event, Source
from events.services.import_batches import (
    NEEDS_PUBLISHER,
    BatchImporter,
    ImportReport,
    PreparedRow,
)

__all__ = ["NEEDS_PUBLISHER", "ImportReport", "events_import"]


class _StrictRollback(Exception):
    """Raised to undo a strict import that met a bad row."""


def events_import(
    *,
    rows: Iterable[tuple[int, dict[str, Any] | RowError]],
    user: AbstractBaseUser | None = None,
    strict: bool = False,
    batch_size: int = 1000,
    note: str = "",
    on_error: Callable[[int, str], None] | None = None,
    on_row: Callable[[], None] | None = None,
) -> ImportReport:
    """Import numbered raw rows, attributed to `user`. Bad rows are reported
    and skipped; with `strict`, any bad row rolls the whole import back. A row
    with status published is a bad row unless `user` has the publish
    permission (events.publish_event). Each event created, or whose status
    changes, gets a StatusChange by `user` in the transaction of its batch."""
    report = ImportReport()

    def fail(line: int, message: str) -> None:
        report.add_error(line, message)
        if on_error:
            on_error(line, message)

    def run() -> None:
        importer = BatchImporter(user=user, note=note, report=report, fail=fail)
        batch: list[PreparedRow] = []
        seen: set[uuid.UUID] = set()

        def flush() -> None:
            if batch:
                with transaction.atomic():
                    importer.store(batch)
                batch.clear()
                seen.clear()

        for line, raw in rows:
            if on_row:
                on_row()
            if isinstance(raw, RowError):
                fail(line, str(raw))
                continue
            try:
                prepared = importer.prepare(line, raw)
            except RowError as exc:
                fail(line, str(exc))
                continue
            if prepared.public_id in seen:
                flush()  # a later row about the same event updates it
            seen.add(prepared.public_id)
            batch.append(prepared)
            if len(batch) >= batch_size:
                flush()
        flush()

    if not strict:
        run()
    else:
        try:
            with transaction.atomic():
                run()
                if report.failed:
                    raise _StrictRollback
        except _StrictRollback:
            report.rolled_back = True
            report.created = report.updated = report.unchanged = 0
    if report.created + report.updated >= ANALYZE_AFTER:
        _analyze()
    return report


# Rows written by one import after which the planner's statistics are taken
# again at once: until autovacuum's next analyze they describe the record
# before the import (after the load benchmark imported 20,000 events, the
# API's newest page was planned for 59 rows: a scan and a sort of every
# event, 30 ms instead of 2).
ANALYZE_AFTER = 1000


def _analyze() -> None:
    with connection.cursor() as cursor:
        for model in (Event, Source):  # SQLite's ANALYZE takes one table
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
