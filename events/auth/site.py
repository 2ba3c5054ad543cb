"""The admin site: editors must use two-factor authentication where required;
its index is the review desk's dashboard (events.selectors.desk)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path

from events.auth.admin_ids import reject_malformed_ids
from events.auth.issue_link import issue_link_view
from events.auth.two_factor import (
    TwoFactorLoginForm,
    backup_codes_view,
    enrol_view,
    needs_second_factor,
    setup_view,
)
from events.selectors.desk import desk_dashboard

# What an editor who still needs a second factor may open: the way to enrol,
# and the way out. Not the link-issuing page: a superuser signed in with a
# password only must not issue a link for themselves.
OPEN_BEFORE_SECOND_FACTOR = {"two_factor_setup", "two_factor_enrol", "logout"}


class TrackerAdminSite(AdminSite):
    site_header = "Blocking events tracker — curators' desk"
    site_title = "Tracker admin"
    index_title = "Review desk"
    login_form = TwoFactorLoginForm
    login_template = "admin/two_factor_login.html"

    def get_urls(self) -> list[URLPattern]:
        def bound(view: Callable) -> Callable:
            return self.admin_view(
                lambda request, **kwargs: view(self, request, **kwargs)
            )

        return [
            path("two-factor/", bound(setup_view), name="two_factor_setup"),
            path(
                "two-factor/enrol/<str:token>/",
                bound(enrol_view),
                name="two_factor_enrol",
            ),
            path(
                "two-factor/backup-codes/",
                bound(backup_codes_view),
                name="two_factor_backup_codes",
            ),
            path(
                "two-factor/enrolment-links/",
                bound(issue_link_view),
                name="two_factor_issue_link",
            ),
            *super().get_urls(),
        ]

    def index(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The app list, below the dashboard for those who may see events."""
        context = dict(extra_context or {})
        if request.user.has_perm("events.view_event"):
            context["desk"] = desk_dashboard()
        return super().index(request, context)

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        inner = super().admin_view(reject_malformed_ids(view), cacheable)

        def guarded(
            request: HttpRequest, *args: object, **kwargs: object
        ) -> HttpResponse:
            match = request.resolver_match
            name = match.url_name if match else None
            if needs_second_factor(request) and name not in OPEN_BEFORE_SECOND_FACTOR:
                return redirect("admin:two_factor_setup")
            return inner(request, *args, **kwargs)

        return guarded
