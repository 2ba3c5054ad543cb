"""Second factors: a TOTP authenticator and single-use backup codes.

Reads and writes of django-otp's devices live here so that the login form, the
setup pages and the management command share one definition of a valid code.
"""

from __future__ import annotations

import base64

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_otp import user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from events.exceptions import SecondFactorInvalid

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "backup codes"


def normalise_code(code: str) -> str:
    """The code as stored: what people add when typing one (spaces, hyphens,
    capitals) removed."""
    return "".join(code.split()).replace("-", "").lower()


def confirmed_authenticator(user: AbstractBaseUser) -> TOTPDevice | None:
    """The user's confirmed TOTP authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: AbstractBaseUser) -> bool:
    """Whether signing in takes a code: any confirmed device (an authenticator,
    or backup codes left behind when an authenticator was removed)."""
    return user_has_device(user, confirmed=True)


def pending_authenticator(user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator being enrolled: the same key on every visit until it
    is confirmed, so a reload does not invalidate what was already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, confirmed=False, name="authenticator"
    )


def authenticator_key(device: TOTPDevice) -> str:
    """The device's key in base32, the alphabet authenticator apps accept, in
    groups of four for typing by hand (`JBSW Y3DP ...`)."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def authenticator_confirm(*, device: TOTPDevice, code: str) -> list[str]:
    """Confirm a pending authenticator with one code from it and issue the
    user's backup codes, returned for showing once.

    Raises SecondFactorInvalid if the code is wrong (or retries are throttled).
    """
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        # A wrong code's throttling count is kept: the error is raised after.
        accepted = not locked.confirmed and locked.verify_token(normalise_code(code))
        if accepted:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            codes = backup_codes_issue(user=device.user)
    if not accepted:
        raise SecondFactorInvalid("That code is not valid; try the next one.")
    device.refresh_from_db()
    return codes


@transaction.atomic
def backup_codes_issue(*, user: AbstractBaseUser) -> list[str]:
    """Replace the user's backup codes with BACKUP_CODE_COUNT new ones; the
    old ones stop working. Returns the codes, which are not shown again."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes


def backup_codes_left(user: AbstractBaseUser) -> int:
    """How many unused backup codes the user has."""
    return StaticToken.objects.filter(device__user=user).count()


def format_backup_code(code: str) -> str:
    """A backup code as shown: two groups of four (`abcd-efgh`)."""
    return f"{code[:4]}-{code[4:]}"


def second_factor_verify(*, user: AbstractBaseUser, code: str) -> Device:
    """The device that accepts the code: six digits are tried against the
    authenticator, anything else against the backup codes (so a backup code
    does not count as a failed authenticator code, which would slow down the
    next retry). A backup code is used up by this call.

    Raises SecondFactorInvalid if no device accepts it.
    """
    token = normalise_code(code)
    authenticator = token.isdigit() and len(token) == 6
    model = TOTPDevice if authenticator else StaticDevice
    with transaction.atomic():
        # Locked, so that two sign-ins cannot both spend the same backup code.
        device = (
            model.objects.select_for_update().filter(user=user, confirmed=True).first()
        )
        if device is not None and device.verify_token(token):
            return device
    raise SecondFactorInvalid("That code is not valid.")
