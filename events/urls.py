"""URLs of the public pages (namespace "public")."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from events.views.entities import authority_detail, country_detail, platform_detail
from events.views.event import event_detail
from events.views.feeds import EventsFeed
from events.views.notices import notice_detail, notice_list
from events.views.params import rejects_invalid_queries
from events.views.releases import release_detail, release_download, release_list
from events.views.sitemaps import SITEMAPS
from events.views.targets import blocked_now, target_detail
from events.views.timeline import timeline

app_name = "public"
urlpatterns = [
    path("", timeline, name="timeline"),
    path("events/<uuid:public_id>/", event_detail, name="event"),
    path("platforms/<slug:slug>/", platform_detail, name="platform"),
    path("countries/<str:code>/", country_detail, name="country"),
    path("authorities/<slug:slug>/", authority_detail, name="authority"),
    path("feed/", rejects_invalid_queries(EventsFeed()), name="feed"),
    path("notices/", notice_list, name="notices"),
    path("notices/<int:pk>/", notice_detail, name="notice"),
    path("targets/<int:pk>/", target_detail, name="target"),
    path("blocked-now/", blocked_now, name="blocked-now"),
    path("releases/", release_list, name="releases"),
    path("releases/<int:number>/", release_detail, name="release"),
    path(
        "releases/<int:number>/<str:filename>",
        release_download,
        name="release-file",
    ),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "public:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
