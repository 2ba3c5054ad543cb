"""The superuser's page that issues enrolment links (events/auth/enrolment.py)."""

from __future__ import annotations

from django import forms
from django.contrib.admin.sites import AdminSite
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from events.auth.enrolment import ENROLMENT_LINK_MAX_AGE, enrolment_link_issue
from events.exceptions import EnrolmentRefused


class IssueLinkForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Account"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        help_text=_("The account that will enrol its first authenticator."),
    )


def issue_link_view(site: AdminSite, request: HttpRequest) -> HttpResponse:
    """Superusers only: issue an enrolment link for an account and show it,
    to be passed on to its owner by a channel the password did not travel by.
    Issuing is a POST; `?user=<id>` preselects the account."""
    if not request.user.is_superuser:
        raise PermissionDenied
    initial = {"user": request.GET.get("user")} if request.GET.get("user") else {}
    form = IssueLinkForm(request.POST or None, initial=initial)
    link = None
    if request.method == "POST" and form.is_valid():
        try:
            link = enrolment_link_issue(
                user=form.cleaned_data["user"], issued_by=request.user.get_username()
            )
        except EnrolmentRefused as exc:
            form.add_error("user", str(exc))
    context = {
        **site.each_context(request),
        "title": _("Issue an enrolment link"),
        "form": form,
        "link": link,
        "account": form.cleaned_data.get("user") if link else None,
        "hours": int(ENROLMENT_LINK_MAX_AGE.total_seconds() // 3600),
    }
    return TemplateResponse(request, "admin/two_factor_issue_link.html", context)
