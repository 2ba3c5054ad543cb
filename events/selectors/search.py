"""Full-text search over events (a contract shared by the API and the pages).

A minimal stand-in: case-insensitive substring search. The API's owner replaces
the internals (PostgreSQL full text and trigram, an SQLite fallback) behind the
same signature.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from events.models import Event


def search_events(queryset: QuerySet[Event], q: str) -> QuerySet[Event]:
    """Events of `queryset` whose target, notice text or summary contain `q`."""
    q = q.strip()
    if not q:
        return queryset
    return queryset.filter(
        Q(target__icontains=q) | Q(notice_text__icontains=q) | Q(summary__icontains=q)
    )
