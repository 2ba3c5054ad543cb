"""URLs of the REST API (mounted at /api/v1/)."""

from django.urls import path

from events.api.views.docs import DocsView, SchemaView
from events.api.views.events import EventDetailView, EventListView
from events.api.views.reference import (
    AuthorityListView,
    CountryListView,
    PlatformListView,
    StatsView,
)
from events.api.views.transitions import (
    EventPublishView,
    EventRejectView,
    EventSubmitView,
    EventUnpublishView,
)

app_name = "api"
urlpatterns = [
    path("events/", EventListView.as_view(), name="event-list"),
    path("events/<str:public_id>/", EventDetailView.as_view(), name="event-detail"),
    path(
        "events/<str:public_id>/submit/", EventSubmitView.as_view(), name="event-submit"
    ),
    path(
        "events/<str:public_id>/publish/",
        EventPublishView.as_view(),
        name="event-publish",
    ),
    path(
        "events/<str:public_id>/reject/", EventRejectView.as_view(), name="event-reject"
    ),
    path(
        "events/<str:public_id>/unpublish/",
        EventUnpublishView.as_view(),
        name="event-unpublish",
    ),
    path("platforms/", PlatformListView.as_view(), name="platform-list"),
    path("authorities/", AuthorityListView.as_view(), name="authority-list"),
    path("countries/", CountryListView.as_view(), name="country-list"),
    path("stats/", StatsView.as_view(), name="stats"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
]
