"""Content negotiation: ?format= first, then the Accept header."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class FormatNegotiation(DefaultContentNegotiation):
    """As DRF's, but an unknown ?format= is a 400 naming the parameter (DRF
    answers 404, as if the resource did not exist)."""

    def filter_renderers(self, renderers: list[Any], format: str) -> list[Any]:
        found = [renderer for renderer in renderers if renderer.format == format]
        if not found:
            known = ", ".join(renderer.format for renderer in renderers)
            raise ValidationError(
                {
                    "format": [
                        f"{format!r} is not a format of this endpoint; use {known}"
                    ]
                }
            )
        return found
