"""Issue an enrolment link for a user's first authenticator and print it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.auth.enrolment import ENROLMENT_LINK_MAX_AGE, enrolment_link_issue
from events.exceptions import EnrolmentRefused


class Command(BaseCommand):
    help = (
        "Print a one-time link with which USERNAME enrols a first two-factor "
        "authenticator (how a new deployment's first superuser enrols; others "
        "can get theirs from a superuser in the admin). Pass it on privately."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"no user is called {username!r}") from exc
        try:
            link = enrolment_link_issue(user=user, issued_by="manage.py")
        except EnrolmentRefused as exc:
            raise CommandError(str(exc)) from exc
        hours = int(ENROLMENT_LINK_MAX_AGE.total_seconds() // 3600)
        self.stderr.write(
            f"Enrolment link for {user}, valid for {hours} hours and until an "
            "authenticator is enrolled. Open it signed in as that user:"
        )
        self.stdout.write(link)
