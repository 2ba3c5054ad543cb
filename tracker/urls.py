"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

from events.views.health import healthz

admin.site.site_header = "Blocking events tracker — curators' desk"
admin.site.site_title = "Tracker admin"
admin.site.index_title = "Review desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("events.api.urls", namespace="api")),
    path("", include("events.urls", namespace="public")),
]
