"""Issue an API token for a user and print its key (shown this once only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from events.services import api_token_create


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME and print the key. Only a digest is "
        "stored: the key cannot be shown again. Revoke tokens in the admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="API token", help="what it is for")
        parser.add_argument(
            "--expires-days",
            type=int,
            help="valid for this many days (default: no end)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = get_user_model().objects.get(username=options["username"])
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"no user is called {options['username']!r}") from exc
        days: int | None = options["expires_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-days must be at least 1")
        expires = timezone.now() + dt.timedelta(days=days) if days else None
        token, key = api_token_create(
            user=user, name=options["name"], expires_at=expires
        )
        self.stderr.write(
            f"Token {token.prefix}… for {user} created"
            + (f", expires {expires:%Y-%m-%d %H:%M} UTC" if expires else "")
            + ". Store the key now; it is not shown again:"
        )
        self.stdout.write(key)
