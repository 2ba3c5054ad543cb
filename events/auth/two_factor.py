"""Two-factor authentication (TOTP) for the admin: a login form that asks for a
code from users who have a second factor, the page that enrols an
authenticator (reached through an enrolment link), and the backup codes page."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.sites import AdminSite
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from events.auth.devices import (
    BACKUP_CODE_COUNT,
    authenticator_confirm,
    authenticator_key,
    backup_codes_issue,
    backup_codes_left,
    confirmed_authenticator,
    format_backup_code,
    has_second_factor,
    pending_authenticator,
    second_factor_verify,
)
from events.auth.enrolment import NO_LINK, enrolment_token_check
from events.exceptions import EnrolmentRefused, SecondFactorInvalid

# The enrolment link's token, kept in the session once the link was opened so
# that it does not stay in the address bar (or leak in a Referer).
ENROLMENT_SESSION_KEY = "two_factor_enrolment_token"
LOCKED_OUT = _(
    "Editors must use two-factor authentication here: until you have enrolled, "
    "the rest of the admin is closed to you."
)
CODE_HELP = _("Six digits from your authenticator app, or one of your backup codes.")


def needs_second_factor(request: HttpRequest) -> bool:
    """An editor (anyone who may publish) who has not proved a second factor
    in this session, where settings require one."""
    user = request.user
    return bool(
        settings.OTP_REQUIRED_FOR_EDITORS
        and user.is_authenticated
        and user.has_perm("events.publish_event")
        and not user.is_verified()
    )


def code_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        help_text=CODE_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class TwoFactorLoginForm(AdminAuthenticationForm):
    """Password, then a code (authenticator or backup) for users with a
    second factor."""

    otp_token = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=20,
        help_text=_(
            "If you set up two-factor authentication: six digits from your "
            "authenticator app, or one of your backup codes."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        user = self.get_user()
        if user is None or not has_second_factor(user):
            return cleaned
        code = cleaned.get("otp_token") or ""
        if not code.strip():
            raise forms.ValidationError(
                _("Enter the code from your authenticator, or a backup code.")
            )
        try:
            device = second_factor_verify(user=user, code=code)
        except SecondFactorInvalid as exc:
            raise forms.ValidationError(str(exc)) from exc
        user.otp_device = device  # django_otp marks the session verified on login
        if isinstance(device, StaticDevice):
            messages.warning(
                self.request,
                _(
                    "You signed in with a backup code, which now no longer works; "
                    "%(left)d left. Generate new ones under Two-factor "
                    "authentication."
                )
                % {"left": backup_codes_left(user)},
            )
        return cleaned


class ConfirmForm(forms.Form):
    token = forms.CharField(label=_("Code from your authenticator"), max_length=20)


class RegenerateForm(forms.Form):
    code = code_field(_("A current code, to confirm it is you"))


def _qr_svg(uri: str) -> str:
    out = io.BytesIO()
    qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage).save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def _render(
    site: AdminSite,
    request: HttpRequest,
    template: str,
    context: dict,
    status: int = 200,
) -> TemplateResponse:
    context = {**site.each_context(request), **context}
    return TemplateResponse(request, f"admin/{template}", context, status=status)


def _refused(site: AdminSite, request: HttpRequest, reason: str) -> HttpResponse:
    context = {"title": _("Two-factor authentication"), "reason": reason}
    return _render(site, request, "two_factor_refused.html", context, status=403)


def enrol_view(site: AdminSite, request: HttpRequest, token: str) -> HttpResponse:
    """Open an enrolment link: check it is valid for the signed-in user, keep
    it in the session and go on to the setup page."""
    try:
        enrolment_token_check(token=token, user=request.user)
    except EnrolmentRefused as exc:
        return _refused(site, request, str(exc))
    request.session[ENROLMENT_SESSION_KEY] = token
    return redirect("admin:two_factor_setup")


def setup_view(site: AdminSite, request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator, only through a valid enrolment link: scan
    the code (or type the key), confirm with one code; the session is then
    verified and the backup codes are shown, once."""
    user = request.user
    if confirmed_authenticator(user) is not None:
        if not user.is_verified():
            return _refused(
                site,
                request,
                _(
                    "Your account has an authenticator, but this session was "
                    "opened without it. Sign out and sign in again with a code."
                ),
            )
        return redirect("admin:two_factor_backup_codes")
    try:
        enrolment_token_check(
            token=request.session.get(ENROLMENT_SESSION_KEY, ""), user=user
        )
    except EnrolmentRefused as exc:
        opened = ENROLMENT_SESSION_KEY in request.session
        reason = str(exc) if opened else NO_LINK
        if needs_second_factor(request):
            reason += " " + LOCKED_OUT
        return _refused(site, request, reason)
    device = pending_authenticator(user)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = authenticator_confirm(
                device=device, code=form.cleaned_data["token"]
            )
        except SecondFactorInvalid as exc:
            form.add_error("token", str(exc))
        else:
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return _show_codes(site, request, codes)
    context = {
        "title": _("Set up two-factor authentication"),
        "form": form,
        # Generated by qrcode from our own URI: markup we made, not user input.
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308
        "secret": authenticator_key(device),
        "config_url": device.config_url,
    }
    return _render(site, request, "two_factor_setup.html", context)


def _show_codes(
    site: AdminSite, request: HttpRequest, codes: list[str]
) -> HttpResponse:
    context = {
        "title": _("Your backup codes"),
        "codes": [format_backup_code(code) for code in codes],
    }
    # Shown once: admin views are never_cache (no-store), so the browser
    # keeps no copy either.
    return _render(site, request, "two_factor_backup_codes.html", context)


def backup_codes_view(site: AdminSite, request: HttpRequest) -> HttpResponse:
    """How many backup codes are left, and a form that replaces them all with
    new ones (confirmed by a current code, so that a borrowed session cannot
    mint codes of its own)."""
    if confirmed_authenticator(request.user) is None:
        return redirect("admin:two_factor_setup")
    form = RegenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except SecondFactorInvalid as exc:
            form.add_error("code", str(exc))
        else:
            return _show_codes(site, request, backup_codes_issue(user=request.user))
    context = {
        "title": _("Backup codes"),
        "form": form,
        "left": backup_codes_left(request.user),
        "count": BACKUP_CODE_COUNT,
    }
    return _render(site, request, "two_factor_backup_codes.html", context)
