"""URLs of the REST API (mounted at /api/v1/)."""

from django.urls import path

from events.api.views.changes import ChangeListView
from events.api.views.docs import DocsView, SchemaView
from events.api.views.events import EventDetailView, EventListView
from events.api.views.notices import NoticeDetailView, NoticeListView
from events.api.views.reference import (
    AuthorityListView,
    CountryListView,
    PlatformListView,
    StatsView,
)
from events.api.views.releases import ReleaseDetailView, ReleaseListView
from events.api.views.root import ApiRootView
from events.api.views.targets import TargetDetailView, TargetListView
from events.api.views.transitions import (
    EventPublishView,
    EventRejectView,
    EventReviseView,
    EventSubmitView,
    EventUnpublishView,
)

app_name = "api"
urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
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
    path(
        "events/<str:public_id>/revise/", EventReviseView.as_view(), name="event-revise"
    ),
    path("platforms/", PlatformListView.as_view(), name="platform-list"),
    path("notices/", NoticeListView.as_view(), name="notice-list"),
    path("notices/<str:pk>/", NoticeDetailView.as_view(), name="notice-detail"),
    path("authorities/", AuthorityListView.as_view(), name="authority-list"),
    path("countries/", CountryListView.as_view(), name="country-list"),
    path("stats/", StatsView.as_view(), name="stats"),
    path("targets/", TargetListView.as_view(), name="target-list"),
    path("targets/<str:pk>/", TargetDetailView.as_view(), name="target-detail"),
    path("changes/", ChangeListView.as_view(), name="change-list"),
    path("releases/", ReleaseListView.as_view(), name="release-list"),
    path("releases/<str:number>/", ReleaseDetailView.as_view(), name="release-detail"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
]
