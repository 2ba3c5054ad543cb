"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

from events.views.health import healthz, livez
from events.views.metrics import metrics

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("metrics", metrics, name="metrics"),
    path("api/v1/", include("events.api.urls", namespace="api")),
    path("", include("events.urls", namespace="public")),
]
