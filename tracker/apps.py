"""The admin, with the tracker's own site (two-factor rules for editors)."""

from django.contrib.admin.apps import AdminConfig


class TrackerAdminConfig(AdminConfig):
    default_site = "events.auth.site.TrackerAdminSite"
