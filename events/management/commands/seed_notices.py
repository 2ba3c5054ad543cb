"""Seed the notice registry, then match every event against it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.services.notice_curation import notices_rematch
from events.services.notice_seed import SeedError, SeedReport, notices_seed


class Command(BaseCommand):
    help = (
        "Seed the notice registry with the platform notices of "
        "events/ingest/seed/notices.json and, with --fingerprints-dir, the OONI / "
        "Citizen Lab blocking-fingerprint lists; then match existing events "
        "against it. Idempotent: running it again creates nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fingerprints-dir",
            type=Path,
            help="folder holding ooni-citizenlab-blocking-fingerprints-{http,dns}.json",
        )
        parser.add_argument(
            "--no-rematch",
            action="store_true",
            help="do not match existing events against the registry afterwards",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = notices_seed(fingerprints_dir=options["fingerprints_dir"])
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(describe(report))
        if not options["no_rematch"]:
            changed = notices_rematch()
            self.stdout.write(f"Events matched again: {changed} changed their notice.")


def describe(report: SeedReport) -> str:
    lines = [
        f"Notices: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged; {report.variants_created} variants added."
    ]
    lines += [f"Skipped: {reason}" for reason in report.skipped]
    return "\n".join(lines)
