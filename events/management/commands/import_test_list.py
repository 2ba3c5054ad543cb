"""Give website targets their categories from a Citizen Lab test list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.ingest.fetch import FetchError, fetch
from events.ingest.parse import DEFAULT_MAX_BYTES, prepare_body
from events.ingest.parse.citizenlab import read_test_list
from events.ingest.parse.document import Document
from events.ingest.types import ParseError
from events.services.target_categories import targets_categorise

_SHOWN = 20  # unmatched hosts and bad lines listed; the rest are counted


class Command(BaseCommand):
    help = (
        "Read a Citizen Lab test list (CSV: url, category_code, "
        "category_description, …; a file or an http(s) URL) and give the website "
        "targets it names their category. Creates no event and no target."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="an http(s) URL or a local file path")

    def handle(self, *args: Any, **options: Any) -> None:
        source: str = options["source"]
        try:
            document = Document(prepare_body(self._read(source)))
            entries, parsed = read_test_list(document.text)
        except ParseError as exc:
            raise CommandError(f"{source}: {exc}") from exc
        for _, message in parsed.warnings[:_SHOWN]:
            self.stdout.write(f"  skipped {message}")
        report = targets_categorise(entries=entries)
        self.stdout.write(
            f"{source}: {len(entries)} entries read, {len(parsed.warnings)} bad; "
            f"{report.matched} matched a website target, {report.unmatched} did "
            f"not, {report.conflicting} conflicting; {report.targets_updated} "
            f"target(s) updated, {report.targets_unchanged} already so"
        )
        if report.unmatched_hosts:
            hosts = ", ".join(report.unmatched_hosts[:_SHOWN])
            more = len(report.unmatched_hosts) - _SHOWN
            self.stdout.write(
                f"  no target: {hosts}" + (f" and {more} more" if more > 0 else "")
            )

    def _read(self, source: str) -> bytes:
        if source.startswith(("http://", "https://")):
            try:
                return fetch(source).body
            except FetchError as exc:
                raise CommandError(f"{source}: {exc}") from exc
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"{source} is neither an http(s) URL nor a file")
        if path.stat().st_size > DEFAULT_MAX_BYTES:
            raise CommandError(f"{source} is over {DEFAULT_MAX_BYTES:,} bytes")
        return path.read_bytes()
