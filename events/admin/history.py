"""History pages for the review desk's models."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from events.admin.forms import URL_OVERRIDES


class HistoryAdmin(SimpleHistoryAdmin):
    """Every version visible (who, when, why), none restorable.

    simple-history's "revert" saves the whole historical row, status included,
    and only checks *view* permission: anyone who may see an event could put
    back a published version, going around the workflow services.
    """

    formfield_overrides = URL_OVERRIDES

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )
