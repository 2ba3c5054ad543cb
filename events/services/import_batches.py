"""The importer's batches: each row checked and resolved alone, then a batch
written in a few statements (events, history, sources, status changes).

Each row is identified by its `id` or, when it has none, by a UUID derived from
its natural key (platform, target, action, country and date at its precision),
so importing the same file twice changes nothing. events.services.imports
drives it (events_import).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_countries import countries
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from events.choices import Status
from events.dates import format_partial_date
from events.interchange import EventRow, RowError, parse_row
from events.models import (
    EDITABLE_EVENT_FIELDS,
    Authority,
    Event,
    Platform,
    Redaction,
    Source,
    history_reason,
    normalise_alias,
)
from events.services.derive import events_derive
from events.services.gazetteer import Gazetteer
from events.services.history_sync import events_history_recorded
from events.services.record_hooks import events_written
from events.services.status import StatusMove, status_user_may, statuses_record

# Namespace of the ids derived from natural keys; never change it.
NATURAL_KEY_NAMESPACE = uuid.UUID("5b0c3f4e-2d7a-4f61-9a53-6f1d1c1b7e10")

# What events_derive computes from the fields a row gives.
DERIVED_FIELDS = [
    "target_ref",
    "masked_as",
    "notice",
    "notice_match",
    "notice_match_score",
]
EVENT_FIELDS = [*EDITABLE_EVENT_FIELDS, "status", "published_at"]
# Compared by column (platform_id, not platform) so that no row loads its
# related objects one query at a time.
EVENT_ATTNAMES = [Event._meta.get_field(name).attname for name in EVENT_FIELDS]
SOURCE_FIELDS = ["title", "publisher", "published_at", "archive_url"]
MAX_KEPT_ERRORS = 1000
PUBLISH_PERMISSION = "events.publish_event"
NEEDS_PUBLISHER = (
    "importing a published event needs a user with the publish permission; "
    "pass --user EDITOR"
)
COUNTRY_CODES = frozenset(code for code, _name in countries)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    rolled_back: bool = False

    def add_error(self, line: int, message: str) -> None:
        self.failed += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append((line, message))


def natural_key_id(*, platform_slug: str, row: EventRow) -> uuid.UUID:
    key = "|".join(
        [
            platform_slug,
            normalise_alias(row.target),
            row.action,
            row.country,
            format_partial_date(row.date, row.date_precision),
        ]
    )
    return uuid.uuid5(NATURAL_KEY_NAMESPACE, key)


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}"
            for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


@dataclass
class PreparedRow:
    row: EventRow
    public_id: uuid.UUID
    event: Event
    sources: list[Source]


class BatchImporter:
    def __init__(
        self,
        *,
        user: AbstractBaseUser | None,
        note: str,
        report: ImportReport,
        fail: Callable[[int, str], None],
    ):
        self.user = user
        self.fail = fail  # reports a bad row (the report and the caller)
        # Only an editor's import may put an event before the public: the
        # same permission the workflow's publish asks for.
        self.may_publish = bool(
            user is not None and user.is_active and user.has_perm(PUBLISH_PERMISSION)
        )
        self.note = note
        self.report = report
        self.gazetteer = Gazetteer()
        self.now = timezone.now()

    def prepare(self, line: int, raw: dict[str, Any]) -> PreparedRow:
        """Check a row completely, then resolve its platform and authority
        (creating unknown ones), so a bad row creates nothing."""
        row = parse_row(line, raw)
        if row.status == Status.PUBLISHED and not self.may_publish:
            raise RowError(NEEDS_PUBLISHER)
        public_id: uuid.UUID | None = None
        if row.id:
            try:
                public_id = uuid.UUID(row.id)
            except ValueError as exc:
                raise RowError(f"id: {row.id!r} is not a UUID") from exc
        published_at = row.published_at if row.status == Status.PUBLISHED else None
        if row.status == Status.PUBLISHED and published_at is None:
            published_at = self.now
        event = Event(
            target=row.target,
            target_type=row.target_type,
            target_url=row.target_url,
            country=row.country,
            action=row.action,
            date=row.date,
            date_precision=row.date_precision,
            ended_on=row.ended_on,
            ended_on_precision=row.ended_on_precision,
            notice_text=row.notice_text,
            notice_language=row.notice_language,
            summary=row.summary,
            status=row.status,
            published_at=published_at,
        )
        sources = [
            Source(
                url=s.url,
                title=s.title,
                publisher=s.publisher,
                published_at=s.published_at,
                archive_url=s.archive_url,
            )
            for s in row.sources
        ]
        try:
            # The country field's 250 choices are checked against a set: the
            # model's own choice check dominates the import time otherwise.
            errors = {}
            if row.country not in COUNTRY_CODES:
                errors["country"] = [f"Value {row.country!r} is not a valid choice."]
            try:
                event.full_clean(
                    exclude=["platform", "authority", "public_id", "country"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as exc:
                errors = {**errors, **exc.message_dict}
            if errors:
                raise ValidationError(errors)
        except ValidationError as exc:
            raise RowError(_validation_message(exc)) from exc
        for index, source in enumerate(sources, start=1):
            try:
                source.clean_fields(exclude=["event"])
            except ValidationError as exc:
                raise RowError(f"sources[{index}]: {_validation_message(exc)}") from exc
        event.platform, event.authority = self._resolve(row)
        event.public_id = public_id or natural_key_id(
            platform_slug=event.platform.slug, row=row
        )
        return PreparedRow(
            row=row, public_id=event.public_id, event=event, sources=sources
        )

    def _resolve(self, row: EventRow) -> tuple[Platform, Authority | None]:
        """The row's platform and authority, creating unknown ones. Both names
        are checked first, so a name the record refuses creates neither."""
        for label, model, name in (
            ("platform", Platform, row.platform),
            ("authority", Authority, row.authority),
        ):
            if name:
                try:
                    model._meta.get_field("name").clean(name, None)
                except ValidationError as exc:
                    raise RowError(f"{label}: {' '.join(exc.messages)}") from exc
        try:
            platform = self.gazetteer.platform(row.platform)
            return platform, self.gazetteer.authority(row.authority, row.country)
        except ValidationError as exc:
            raise RowError(_validation_message(exc)) from exc

    def _movable(
        self, batch: list[PreparedRow], existing: dict[uuid.UUID, Event]
    ) -> list[PreparedRow]:
        """The rows whose status change the user may make (the one rule of
        events.services.status); the others fail with their line number."""
        redacted = set(
            Redaction.objects.filter(
                event_public_id__in=[p.public_id for p in batch]
            ).values_list("event_public_id", flat=True)
        )
        kept = []
        for prepared in batch:
            current = existing.get(prepared.public_id)
            before = current.status if current is not None else ""
            after = prepared.event.status
            if before != after and not status_user_may(self.user, before, after):
                self.fail(
                    prepared.row.line,
                    f"you may not import this event as {after}: "
                    f"it is {before or 'new'}",
                )
            elif after == Status.PUBLISHED and prepared.public_id in redacted:
                self.fail(
                    prepared.row.line,
                    "this event was taken down and cannot be published again",
                )
            else:
                kept.append(prepared)
        return kept

    def store(self, batch: list[PreparedRow]) -> None:
        existing = Event.objects.in_bulk(
            [p.public_id for p in batch], field_name="public_id"
        )
        batch = self._movable(batch, existing)
        to_create: list[Event] = []
        to_update: list[Event] = []
        changes: list[tuple[Event, str, str]] = []
        for prepared in batch:
            current = existing.get(prepared.public_id)
            if current is None:
                to_create.append(prepared.event)
                changes.append((prepared.event, "", prepared.event.status))
                continue
            if (
                prepared.row.published_at is None
                and current.status == prepared.event.status == Status.PUBLISHED
            ):
                # An omitted publication time keeps the recorded one.
                prepared.event.published_at = current.published_at
            changed = [
                name
                for name in EVENT_ATTNAMES
                if getattr(current, name) != getattr(prepared.event, name)
            ]
            if changed:
                if current.status != prepared.event.status:
                    changes.append((current, current.status, prepared.event.status))
                for name in EVENT_ATTNAMES:
                    setattr(current, name, getattr(prepared.event, name))
                current.updated_at = self.now
                to_update.append(current)
            prepared.event = current
        # simple-history's reason column holds 100 characters.
        reason = history_reason(f"import: {self.note}" if self.note else "import")
        events_derive([*to_create, *to_update])
        if to_create:
            created = bulk_create_with_history(
                to_create, Event, default_user=self.user, default_change_reason=reason
            )
            by_id = {e.public_id: e for e in created}
            for prepared in batch:
                if prepared.public_id in by_id:
                    prepared.event = by_id[prepared.public_id]
        if to_update:
            bulk_update_with_history(
                to_update,
                Event,
                [*EVENT_FIELDS, *DERIVED_FIELDS, "updated_at"],
                default_user=self.user,
                default_change_reason=reason,
            )
        sources_changed = self._store_sources(batch, reason)
        # A new or changed source changes the event as readers see it: API
        # clients syncing by updated_at must get it again.
        source_only = (
            sources_changed - {e.pk for e in to_update} - {e.pk for e in to_create}
        )
        if source_only:
            Event.objects.filter(pk__in=source_only).update(updated_at=self.now)
        statuses_record(
            moves=[StatusMove(event, old, new) for event, old, new in changes],
            user=self.user,
            note=reason,
        )
        updated_ids = {e.pk for e in to_update} | sources_changed
        created_ids = {e.pk for e in to_create}
        # Bulk writes send no signal: say which history rows are this batch's.
        events_history_recorded(event_ids={e.pk for e in to_update} | created_ids)
        events_written(event_ids=updated_ids | created_ids)
        self.report.created += len(created_ids)
        self.report.updated += len(updated_ids - created_ids)
        self.report.unchanged += len(batch) - len(created_ids | updated_ids)

    def _store_sources(self, batch: list[PreparedRow], reason: str) -> set[int]:
        """Add new sources and refresh changed ones; sources already recorded
        but absent from the row are kept (curators may have added them)."""
        current = {
            (s.event_id, s.url): s
            for s in Source.objects.filter(event__in=[p.event.pk for p in batch])
        }
        to_create, to_update = [], []
        touched: set[int] = set()
        for prepared in batch:
            for source in prepared.sources:
                key = (prepared.event.pk, source.url)
                known = current.get(key)
                if known is None:
                    source.event = prepared.event
                    current[key] = source
                    to_create.append(source)
                    touched.add(prepared.event.pk)
                elif any(
                    getattr(known, name) != getattr(source, name)
                    for name in SOURCE_FIELDS
                ):
                    for name in SOURCE_FIELDS:
                        setattr(known, name, getattr(source, name))
                    to_update.append(known)
                    touched.add(prepared.event.pk)
        if to_create:
            bulk_create_with_history(
                to_create, Source, default_user=self.user, default_change_reason=reason
            )
        if to_update:
            bulk_update_with_history(
                to_update,
                Source,
                SOURCE_FIELDS,
                default_user=self.user,
                default_change_reason=reason,
            )
        return touched
