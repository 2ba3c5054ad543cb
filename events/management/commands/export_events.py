"""Export events in the interchange format (JSON Lines or CSV)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.choices import Status
from events.interchange import FORMATS, event_to_row, guess_format, write_rows
from events.selectors import events_for_export, iterate


class Command(BaseCommand):
    help = "Export events as JSON Lines or CSV (see docs/data-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", default="-", help="output path, or - for standard output"
        )
        parser.add_argument("--format", choices=FORMATS, help="default: by extension")
        parser.add_argument(
            "--status",
            action="append",
            choices=[status for status in Status.values if status != Status.MERGED],
            help="only events with this status (repeatable); default: all but "
            "merged events, which redirect to their survivor",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["file"]
        fmt = options["format"] or (guess_format(path) if path != "-" else "jsonl")
        if fmt is None:
            raise CommandError("cannot tell the format from the name; use --format")
        rows = (
            event_to_row(e)
            for e in iterate(events_for_export(statuses=options["status"]))
        )
        if path == "-":
            count = write_rows(rows, sys.stdout, fmt)
        else:
            try:
                with open(path, "w", encoding="utf-8", newline="") as out:
                    count = write_rows(rows, out, fmt)
            except OSError as exc:
                raise CommandError(f"cannot write {path}: {exc.strerror}") from exc
        self.stderr.write(f"exported {count} event(s)")
