"""Liveness check of one Celery worker (the worker's Docker healthcheck)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.health import check_worker_consumes


class Command(BaseCommand):
    help = (
        "Send a task to the named worker's own queue and wait for it to run; "
        "exit 1 if it does not run in time (a worker that stopped consuming)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("node", help="the worker's node name: celery@HOSTNAME")
        parser.add_argument("--timeout", type=float, default=20.0)

    def handle(self, *args: Any, node: str, timeout: float, **options: Any) -> None:
        if not settings.CELERY_WORKER_DIRECT:
            raise CommandError("workers have no queue of their own without Redis")
        check = check_worker_consumes(node=node, timeout=timeout)
        if not check.ok:
            raise CommandError(check.detail)
        self.stdout.write(check.detail)
