"""Run one feed (a URL or a local file) through the ingestion pipeline now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from events.choices import FeedFormat, ItemOutcome
from events.ingest.fetch import Fetched
from events.models import Feed, FeedItem
from events.services.feeds import FeedFetchFailed, feed_fetch, feed_items_process


class _DryRun(Exception):
    """Raised to roll a dry run back."""


def _file_loader(path: Path):
    def load(feed: Feed) -> Fetched:
        return Fetched(
            status=200,
            body=path.read_bytes(),
            content_type="",
            etag="",
            last_modified="",
            url=feed.url,
        )

    return load


class Command(BaseCommand):
    help = (
        "Fetch (or read) one feed, parse it, extract candidate events and store "
        "drafts, synchronously, printing what it created. --dry-run writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="an http(s) URL or a local file path")
        parser.add_argument("--format", choices=FeedFormat.values, default="auto")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        source: str = options["source"]
        loader = None
        if source.startswith(("http://", "https://")):
            url = source
        else:
            path = Path(source).resolve()
            if not path.is_file():
                raise CommandError(f"{source} is neither an http(s) URL nor a file")
            url, loader = path.as_uri(), _file_loader(path)
        try:
            with transaction.atomic():
                self._run(url, options["format"], loader)
                if options["dry_run"]:
                    raise _DryRun
        except _DryRun:
            self.stdout.write("Dry run: nothing was written.")

    def _run(self, url: str, fmt: str, loader: Any) -> None:
        feed, _ = Feed.objects.get_or_create(
            url=url, defaults={"name": url.rsplit("/", 1)[-1][:200], "active": False}
        )
        if fmt != "auto" or feed.format != fmt:
            feed.format = fmt
            feed.save(update_fields=["format"])
        started = timezone.now()
        try:
            log = feed_fetch(feed_id=feed.pk, loader=loader)
        except FeedFetchFailed as exc:
            raise CommandError(f"{url}: {exc}") from exc
        self.stdout.write(
            f"{url}: {log.get_outcome_display()}, {log.items_new} new item(s), "
            f"{log.items_seen} already seen, {log.items_failed} bad"
        )
        if log.error:
            self.stdout.write(f"  problems: {log.error}")
        counts = feed_items_process(feed_id=feed.pk)
        self.stdout.write(
            "  "
            + (
                ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
                or "nothing to process"
            )
        )
        drafts = FeedItem.objects.filter(
            feed=feed,
            outcome=ItemOutcome.DRAFT_CREATED,
            event__isnull=False,
            processed_at__gte=started,
        ).select_related("event", "event__platform")
        for item in drafts:
            self.stdout.write(f"  draft {item.event.public_id}: {item.event}")
