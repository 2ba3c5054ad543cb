"""The OpenAPI schema and its interactive documentation."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from events.api.throttling import AnonymousThrottle, TokenThrottle


class SchemaView(SpectacularAPIView):
    authentication_classes: list = []
    throttle_classes = [AnonymousThrottle, TokenThrottle]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI whose start-up script is served from a URL, not inline, so
    the site's Content-Security-Policy (script-src 'self') allows it."""

    authentication_classes: list = []
    throttle_classes = [AnonymousThrottle, TokenThrottle]
    url_name = "api:schema"
