"""Trigram indexes for the API's text search (q), on PostgreSQL only.

The search matches each term as a case-insensitive substring of an event's
target, notice text and summary (see events/selectors/search.py), which a
trigram GIN index serves in any script, CJK without spaces included. SQLite has
no such index; its fallback scans, which is fine for the embedded default.
"""

from django.db import migrations

# Must stay the exact expression of events.selectors.search.SearchDocument, or
# the planner will not use the index.
DOCUMENT = "(target || ' ' || notice_text || ' ' || summary)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS event_search_trgm ON events_event "
        f"USING gin ({DOCUMENT} gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other database objects may use it.
    schema_editor.execute("DROP INDEX IF EXISTS event_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("events", "0007_api_tokens_sync_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
