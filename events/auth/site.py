"""The admin site: editors must use two-factor authentication where required."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path

from events.auth.admin_ids import reject_malformed_ids
from events.auth.two_factor import TwoFactorLoginForm, setup_view


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


class TrackerAdminSite(AdminSite):
    site_header = "Blocking events tracker — curators' desk"
    site_title = "Tracker admin"
    index_title = "Review desk"
    login_form = TwoFactorLoginForm

    def get_urls(self) -> list[URLPattern]:
        setup = self.admin_view(lambda request: setup_view(self, request))
        return [
            path("two-factor/", setup, name="two_factor_setup"),
            *super().get_urls(),
        ]

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        inner = super().admin_view(reject_malformed_ids(view), cacheable)

        def guarded(
            request: HttpRequest, *args: object, **kwargs: object
        ) -> HttpResponse:
            setup_path = f"/{request.path.split('/')[1]}/two-factor/"
            if needs_second_factor(request) and request.path != setup_path:
                return redirect("admin:two_factor_setup")
            return inner(request, *args, **kwargs)

        return guarded
