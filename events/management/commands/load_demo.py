"""Load the demo record and the demo curator and editor accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.services.demo import demo_load


class Command(BaseCommand):
    help = "Load demo events (real, documented) and demo accounts. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo accounts are never created in production")
        result = demo_load()
        report = result.report
        if report.failed:
            raise CommandError(f"demo data has bad rows: {report.errors}")
        self.stdout.write(
            f"Demo events: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} already there."
        )
        self.stdout.write(
            f"Notice registry: {result.notices.created} created, "
            f"{result.notices.unchanged + result.notices.updated} already there."
        )
        self.stdout.write("Demo accounts (log in at /admin/):")
        for username, password in result.accounts.items():
            self.stdout.write(f"  {username:8} password: {password}")
