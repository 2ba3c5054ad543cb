"""The curators' review desk in the Django admin."""

from django.contrib import admin

from events.admin.event import EventAdmin
from events.admin.feeds import FeedAdmin
from events.admin.gazetteer import AuthorityAdmin, PlatformAdmin
from events.admin.redactions import RedactionAdmin
from events.admin.releases import ReleaseAdmin
from events.admin.targets import TargetAdmin
from events.admin.tokens import ApiTokenAdmin
from events.models import ApiToken, Authority, Event, Platform

admin.site.register(Event, EventAdmin)
admin.site.register(Platform, PlatformAdmin)
admin.site.register(Authority, AuthorityAdmin)
admin.site.register(ApiToken, ApiTokenAdmin)

__all__ = [
    "ApiTokenAdmin",
    "AuthorityAdmin",
    "EventAdmin",
    "FeedAdmin",
    "PlatformAdmin",
    "RedactionAdmin",
    "ReleaseAdmin",
    "TargetAdmin",
]
