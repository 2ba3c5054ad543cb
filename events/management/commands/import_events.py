"""Import events from a JSON Lines or CSV file in the interchange format."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from events.interchange import FORMATS, guess_format
from events.interchange_files import read_rows
from events.services import events_import


class Command(BaseCommand):
    help = (
        "Import events (JSON Lines or CSV, see docs/data-format.md). Bad rows are "
        "reported with their line number and skipped; the exit code is 1 if any "
        "row failed. --strict imports nothing unless every row is good. Published "
        "rows need --user with the publish permission."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path to the file, or - for standard input")
        parser.add_argument("--format", choices=FORMATS, help="default: by extension")
        parser.add_argument(
            "--strict", action="store_true", help="all or nothing: any bad row aborts"
        )
        parser.add_argument(
            "--user",
            help="username the changes are attributed to; rows with status "
            "published need a user with the publish permission (an editor)",
        )
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--no-progress", action="store_true", help="never show a progress bar"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["file"]
        fmt = options["format"] or guess_format(path)
        if fmt is None:
            raise CommandError("cannot tell the format from the name; use --format")
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"no user named {options['user']!r}") from exc
        if path == "-":
            binary, total = sys.stdin.buffer, None
        else:
            try:
                binary = open(path, "rb")  # noqa: SIM115 - closed below
            except OSError as exc:
                raise CommandError(f"cannot open {path}: {exc.strerror}") from exc
            total = os.fstat(binary.fileno()).st_size
        show_bar = not options["no_progress"] and sys.stderr.isatty()
        bar = tqdm(total=total, unit="B", unit_scale=True, disable=not show_bar)

        def on_error(line: int, message: str) -> None:
            bar.write(f"line {line}: {message}", file=sys.stderr)

        def on_row() -> None:
            if show_bar and total:
                bar.n = binary.tell()
                bar.refresh()

        try:
            report = events_import(
                rows=read_rows(binary, fmt),
                user=user,
                strict=options["strict"],
                batch_size=options["batch_size"],
                note=os.path.basename(path),
                on_error=on_error,
                on_row=on_row,
            )
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        finally:
            bar.close()
            if binary is not sys.stdin.buffer:
                binary.close()
        if report.rolled_back:
            self.stderr.write(
                f"{report.failed} row(s) failed; --strict: nothing was imported."
            )
        else:
            self.stdout.write(
                f"created {report.created}, updated {report.updated}, "
                f"unchanged {report.unchanged}, failed {report.failed}"
            )
        if report.failed:
            sys.exit(1)
