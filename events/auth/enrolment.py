"""Enrolment links: the only way to enrol a first authenticator.

Without them, anyone who learnt the password of a user not yet enrolled could
enrol their own authenticator and keep an editor's powers. A superuser issues a
link (in the admin, or with `manage.py issue_enrolment_link`) and passes it on;
it is a signed token, so no table holds it:

- it names the user and expires after ENROLMENT_LINK_MAX_AGE;
- it stops working once the user has a confirmed authenticator (so it serves
  once), and when the user's password changes (a superuser's way to revoke it).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from events.auth.devices import confirmed_authenticator
from events.exceptions import EnrolmentRefused

ENROLMENT_LINK_MAX_AGE = dt.timedelta(hours=72)
SALT = "events.auth.enrolment"
logger = logging.getLogger(__name__)

ASK_FOR_A_LINK = "Ask a superuser for a new enrolment link."
NO_LINK = (
    "A first authenticator can only be set up through an enrolment link, which "
    "a superuser issues for your account. Ask a superuser for one and open it "
    "while signed in."
)


def _account_state(user: AbstractBaseUser) -> str:
    """A digest of what revokes a link: the password hash."""
    return salted_hmac(SALT, f"{user.pk}:{user.password}").hexdigest()[:32]


def enrolment_token_make(*, user: AbstractBaseUser) -> str:
    """A signed, timestamped token that lets `user` enrol a first authenticator.

    Raises EnrolmentRefused if the user is inactive or already enrolled.
    """
    if not user.is_active:
        raise EnrolmentRefused(f"{user} is not active.")
    if confirmed_authenticator(user) is not None:
        raise EnrolmentRefused(
            f"{user} already has an authenticator; to replace it, delete their "
            "devices in the admin first."
        )
    payload = {"user": user.pk, "state": _account_state(user)}
    return signing.dumps(payload, salt=SALT)


def enrolment_link_issue(*, user: AbstractBaseUser, issued_by: str) -> str:
    """The full enrolment link for `user` (on SITE_URL), logged with who
    issued it. Raises EnrolmentRefused as enrolment_token_make does."""
    token = enrolment_token_make(user=user)
    logger.info("enrolment link for %s issued by %s", user, issued_by)
    path = reverse("admin:two_factor_enrol", kwargs={"token": token})
    return f"{settings.SITE_URL}{path}"


def enrolment_token_check(*, token: str, user: AbstractBaseUser) -> None:
    """Accept the token if it lets `user` enrol a first authenticator now.

    Raises EnrolmentRefused, saying why, if it has expired, was tampered
    with, was issued for someone else, was revoked or was already used.
    """
    try:
        payload = signing.loads(
            token, salt=SALT, max_age=ENROLMENT_LINK_MAX_AGE.total_seconds()
        )
    except signing.SignatureExpired as exc:
        hours = int(ENROLMENT_LINK_MAX_AGE.total_seconds() // 3600)
        raise EnrolmentRefused(
            f"This enrolment link has expired (links last {hours} hours). "
            + ASK_FOR_A_LINK
        ) from exc
    except signing.BadSignature as exc:
        raise EnrolmentRefused(
            "This enrolment link is not valid: it may have been cut or altered "
            "when copied. " + ASK_FOR_A_LINK
        ) from exc
    if not isinstance(payload, dict) or payload.get("user") != user.pk:
        raise EnrolmentRefused(
            "This enrolment link was issued for another account: sign in as "
            "that account, or ask a superuser for a link for yours."
        )
    if confirmed_authenticator(user) is not None:
        raise EnrolmentRefused(
            "This enrolment link has been used: your account already has an "
            "authenticator."
        )
    if not constant_time_compare(str(payload.get("state")), _account_state(user)):
        raise EnrolmentRefused(
            "This enrolment link was revoked (the account's password changed "
            "since it was issued). " + ASK_FOR_A_LINK
        )
