"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import path

from events.views import healthz

admin.site.site_header = "Blocking events tracker — curators' desk"
admin.site.site_title = "Tracker admin"
admin.site.index_title = "Review desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
